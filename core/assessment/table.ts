// Reading the small tables of the assessment workbooks (rules and inputs): a sheet found by its name in
// either script, its header found by labels wherever it starts, its rows read as cells with addresses,
// and the values people type into them (numbers, percentages, yes/no, words of a closed vocabulary)
// parsed into data or into a located issue.
import type { ColumnSpec } from '../columns';
import { GridView, a1, type CellValue, type Grid } from '../grid';
import { findHeader } from '../header';
import { issue, type Issue, type IssueCode } from '../issues';
import { msg, type MessageRef } from '../messages';
import { matchKey, squeeze, tidyText, toHalfWidth } from '../text';

/** A sheet by its name, whatever the script or spacing ("考核項目" = "考核项目" = " 考核 項目"). */
export function sheetNamed(grids: readonly Grid[], names: readonly string[]): Grid | undefined {
  const keys = names.map(matchKey);
  return grids.find((g) => keys.includes(matchKey(g.sheet)));
}

export interface TableCell {
  value: CellValue;
  format: string;
  /** A1 address. */
  cell: string;
  text: string;
}

export interface TableRow<K extends string> {
  row: number;
  get(key: K): TableCell | undefined;
}

export interface TableRead<K extends string> {
  headerRow: number;
  /** Column of each key found in the header. */
  cols: Partial<Record<K, number>>;
  rows: TableRow<K>[];
}

/**
 * The table of a sheet: the header row naming most of `specs` (at least the required ones), then every
 * non-blank row below it. Missing required columns are reported at the header.
 */
export function readTable<K extends string>(
  grid: Grid,
  specs: readonly ColumnSpec<K>[],
  required: readonly K[],
  issues: Issue[],
): TableRead<K> | undefined {
  const view = new GridView(grid);
  const header = findHeader(view, specs, { minMatches: Math.max(1, Math.min(required.length, 2)) });
  if (!header) {
    issues.push(issue('assess-no-header', { sheet: grid.sheet, cell: a1(view.firstRow, view.firstCol) }, msg('issue.assess-no-header', { labels: specs.filter((s) => required.includes(s.key)).map((s) => s.label).join('、') })));
    return undefined;
  }
  const cols: Partial<Record<K, number>> = {};
  for (const c of header.cells) if (cols[c.key] === undefined) cols[c.key] = c.col;
  let missing = false;
  for (const key of required) {
    if (cols[key] !== undefined) continue;
    missing = true;
    const label = specs.find((s) => s.key === key)?.label ?? key;
    issues.push(issue('assess-column-missing', { sheet: grid.sheet, cell: a1(header.row, view.firstCol) }, msg('issue.assess-column-missing', { column: label, row: header.row })));
  }
  if (missing) return undefined;
  const rows: TableRow<K>[] = [];
  for (let row = header.bottom + 1; row <= view.lastRow; row++) {
    const cells = new Map<K, TableCell>();
    let filled = false;
    for (const [key, col] of Object.entries(cols) as [K, number][]) {
      const value = view.value(row, col);
      const text = value === null ? '' : tidyText(String(value));
      if (text !== '') filled = true;
      cells.set(key, { value, format: view.format(row, col), cell: a1(row, col), text });
    }
    if (!filled) continue;
    rows.push({ row, get: (key) => cells.get(key) });
  }
  return { headerRow: header.row, cols, rows };
}

/** A value written as "label：value" in one cell, or as a label with the value in the next cell to its right, above `beforeRow`. */
export function labelledValue(grid: Grid, labels: readonly string[], beforeRow: number): TableCell | undefined {
  const view = new GridView(grid);
  const keys = labels.map(matchKey);
  for (let row = view.firstRow; row < Math.min(beforeRow, view.lastRow + 1); row++) {
    for (let col = view.firstCol; col <= view.lastCol; col++) {
      const raw = view.raw(row, col);
      if (typeof raw !== 'string') continue;
      const text = squeeze(toHalfWidth(raw));
      const m = /^([^:：]+)[:：](.*)$/.exec(text);
      const key = matchKey(m ? m[1] : text);
      if (!keys.includes(key)) continue;
      if (m && m[2] !== '') return { value: m[2], format: 'General', cell: a1(row, col), text: m[2] };
      for (let next = col + 1; next <= view.lastCol; next++) {
        const value = view.value(row, next);
        if (value !== null && String(value).trim() !== '') return { value, format: view.format(row, next), cell: a1(row, next), text: tidyText(String(value)) };
      }
      return { value: null, format: 'General', cell: a1(row, col), text: '' };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Values

export type Parsed<T> = { ok: true; value: T; percent?: boolean } | { ok: false };

/** A number as typed: 60, "60", "６０", "60分", "60%" (→ 0.6, percent), a percent-formatted cell (0.6). */
export function parseNumber(cell: TableCell): Parsed<number> {
  const { value, format } = cell;
  if (typeof value === 'number') return Number.isFinite(value) ? { ok: true, value, percent: /%/.test(format) } : { ok: false };
  if (typeof value !== 'string') return { ok: false };
  const t = squeeze(toHalfWidth(value)).replace(/[分]$/, '').replace(/,/g, '');
  const percent = /^([+-]?\d+(?:\.\d+)?)%$/.exec(t);
  if (percent) return { ok: true, value: Number(percent[1]) / 100, percent: true };
  if (/^[+-]?\d+(?:\.\d+)?$/.test(t)) return { ok: true, value: Number(t) };
  return { ok: false };
}

/** Is the cell blank (nothing, or only "--", "—", "/")? */
export function isBlankCell(cell: TableCell | undefined): boolean {
  return !cell || cell.text === '' || /^[-－—–−_/\\]+$/.test(squeeze(cell.text));
}

/** A word of a closed vocabulary: each entry lists the words (either script, folded) that mean it. */
export function parseWord<T extends string>(cell: TableCell, vocabulary: readonly { value: T; words: readonly string[] }[]): T | undefined {
  const key = matchKey(cell.text);
  if (!key) return undefined;
  return vocabulary.find((v) => v.words.some((w) => matchKey(w) === key))?.value;
}

/** Pushes a located issue of the given code on this sheet. */
export function at(issues: Issue[], sheet: string) {
  return (code: IssueCode, cell: string | undefined, message: MessageRef, fix?: { value: string | number | null; description: MessageRef }): void => {
    issues.push(issue(code, { sheet, ...(cell ? { cell } : {}) }, message, fix));
  };
}
