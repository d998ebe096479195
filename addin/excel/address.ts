// Addresses and cell text as Excel's API takes and gives them: sheet-qualified references, the list
// of areas a RangeAreas reports, and strings written so that Excel keeps them as text.
import { parseRange, type CellRange } from '../../core/grid';

/** "附件2" → "'附件2'": always quoted, which Excel accepts for every sheet name ('' escapes a quote). */
export function sheetRef(sheet: string): string {
  return `'${sheet.replace(/'/g, "''")}'`;
}

export function qualified(sheet: string, address: string): string {
  return `${sheetRef(sheet)}!${address}`;
}

/**
 * "Sheet1!A1:B2, 'My, Sheet'!C3:D4" → the areas. Commas inside a quoted sheet name do not split; the
 * sheet part is dropped (every area of one RangeAreas is on one sheet).
 */
export function parseAreaList(text: string): CellRange[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      // '' inside quotes is a quote in the name
      if (quoted && text[i + 1] === "'") {
        current += "''";
        i++;
        continue;
      }
      quoted = !quoted;
    }
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p.length > 0).map(parseRange);
}

/**
 * Excel reads a string written to a cell as if it had been typed: "1-1" becomes a date, "10" a number,
 * "=x" a formula. A leading apostrophe keeps it text (and is not part of the value read back), so every
 * string that could be taken for something else gets one — unless the cell is formatted as text.
 */
export function textForCell(value: string, cellFormat: string): string {
  if (cellFormat === '@' || value === '') return value;
  return mightBeReinterpreted(value) ? `'${value}` : value;
}

function mightBeReinterpreted(value: string): boolean {
  const t = value.trim();
  if (t === '') return false;
  if (/^[=+\-@'０-９0-9.$(%]/.test(t)) return true;
  if (/^(true|false)$/i.test(t)) return true;
  // English month names ("Sep 30", "March-1") are dates to Excel.
  return /^[A-Za-z]{3,9}[\s\-/.]+\d/.test(t);
}
