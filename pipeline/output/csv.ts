// CSV output that is safe to open in Excel: RFC 4180 quoting, CRLF line ends, and text cells that
// Excel would run as a formula (= + - @ tab CR at the start) prefixed with a single quote.
import type { Cell, ResultTable } from './resultTable';

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell made inert for spreadsheets: "=1+1" → "'=1+1". Numbers are never changed. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  if (Array.isArray(cell)) return neutraliseFormula(cell.map((c) => (c === null ? '' : String(c))).join('; '));
  return neutraliseFormula(cell);
}

function quote(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/**
 * The table as CSV text. `bom` adds a UTF-8 byte-order mark, which Excel needs to read Chinese
 * correctly from a .csv file (use it for files, not for pipes).
 */
export function toCsv(table: ResultTable, options: { bom?: boolean; headers?: Record<string, string> } = {}): string {
  const header = table.columns.map((c) => quote(neutraliseFormula(options.headers?.[c.name] ?? c.name)));
  const lines = [header.join(','), ...table.rows.map((row) => row.map((cell) => quote(cellText(cell))).join(','))];
  return (options.bom ? '\uFEFF' : '') + lines.join('\r\n') + '\r\n';
}
