// The grid: a worksheet read once into plain data (docs/design.md, "The grid and the readers"). Both
// adapters (ExcelJS in the pipeline, Office.js in the add-in) produce it; everything in core/ reads only
// grids.
import { squeeze } from './text';

/** What a cell holds, as Office.js `Range.values` reports it: dates are serial numbers, errors are "#REF!" strings. */
export type CellValue = string | number | boolean | null;

/** Nothing written: an empty cell, or only white space and invisible characters. */
export function isBlank(v: CellValue): boolean {
  return v === null || (typeof v === 'string' && squeeze(v) === '');
}

/** A rectangle of cells, 1-based absolute row/column numbers, inclusive. */
export interface CellRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface Grid {
  sheet: string;
  /** Absolute address (1-based) of values[0][0]: the top-left cell of the used range. */
  origin: { row: number; col: number };
  /** Rectangular: every row has the same length. */
  values: CellValue[][];
  /** Number format of each cell ("General" when none), same shape as values. */
  formats: string[][];
  /** Merged areas, absolute. */
  merges: CellRange[];
  /** Formula text of cells that hold one, keyed by A1 address; the value above is its cached result. */
  formulas?: Record<string, string>;
  /**
   * The workbook counts days from 1904-01-01 (Excel for Mac's old default): its date serials are 1462
   * smaller than the same day's in the 1900 system. Absent means the 1900 system.
   */
  date1904?: boolean;
}

export function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export function a1(row: number, col: number): string {
  return `${columnLetter(col)}${row}`;
}

export function parseA1(address: string): { row: number; col: number } {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(address.trim());
  if (!m) throw new Error(`not a cell address: ${address}`);
  return { row: Number(m[2]), col: columnNumber(m[1]) };
}

export function rangeA1(r: CellRange): string {
  const start = a1(r.top, r.left);
  return r.top === r.bottom && r.left === r.right ? start : `${start}:${a1(r.bottom, r.right)}`;
}

/** "A1:C3" or "Sheet1!A1:C3" → range. */
export function parseRange(address: string): CellRange {
  const local = address.includes('!') ? address.slice(address.lastIndexOf('!') + 1) : address;
  const [from, to = from] = local.split(':');
  const s = parseA1(from);
  const e = parseA1(to);
  return { top: Math.min(s.row, e.row), left: Math.min(s.col, e.col), bottom: Math.max(s.row, e.row), right: Math.max(s.col, e.col) };
}

export function rowCount(g: Grid): number {
  return g.values.length;
}

export function colCount(g: Grid): number {
  return g.values[0]?.length ?? 0;
}

/** Builds a grid from rows of values (tests, generated sheets); ragged rows are padded with null. */
export function gridFromRows(
  sheet: string,
  rows: CellValue[][],
  options: { origin?: { row: number; col: number }; merges?: CellRange[]; formats?: string[][] } = {},
): Grid {
  const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
  const values = rows.map((r) => Array.from({ length: width }, (_, i) => (r[i] === undefined ? null : r[i])));
  const formats = values.map((r, i) => r.map((_, j) => options.formats?.[i]?.[j] ?? 'General'));
  return { sheet, origin: options.origin ?? { row: 1, col: 1 }, values, formats, merges: options.merges ?? [] };
}

/**
 * Read access to a grid by absolute address, with merged areas resolved: every cell of a merged area
 * reads as its top-left cell, which is how a person reads a merged cell.
 */
export class GridView {
  /** Cells of merged areas other than their top-left → that top-left cell. */
  private readonly masterOf = new Map<number, { row: number; col: number }>();
  /** Every cell of a merged area, its top-left included → the (first) area. */
  private readonly areaOf = new Map<number, CellRange>();

  constructor(readonly grid: Grid) {
    for (const m of grid.merges) {
      const master = { row: m.top, col: m.left };
      for (let r = m.top; r <= m.bottom; r++) {
        for (let c = m.left; c <= m.right; c++) {
          const k = this.key(r, c);
          if (!this.areaOf.has(k)) this.areaOf.set(k, m);
          if (r !== m.top || c !== m.left) this.masterOf.set(k, master);
        }
      }
    }
  }

  get sheet(): string {
    return this.grid.sheet;
  }
  /** The sheet's date system (Grid.date1904): every serial read as a date goes through it. */
  get date1904(): boolean {
    return this.grid.date1904 === true;
  }
  get firstRow(): number {
    return this.grid.origin.row;
  }
  get lastRow(): number {
    return this.grid.origin.row + this.grid.values.length - 1;
  }
  get firstCol(): number {
    return this.grid.origin.col;
  }
  get lastCol(): number {
    return this.grid.origin.col + colCount(this.grid) - 1;
  }

  private key(row: number, col: number): number {
    return row * 20000 + col;
  }

  /** The value written in this very cell (null inside a merged area other than its top-left). */
  raw(row: number, col: number): CellValue {
    const r = row - this.grid.origin.row;
    const c = col - this.grid.origin.col;
    if (r < 0 || c < 0) return null;
    return this.grid.values[r]?.[c] ?? null;
  }

  format(row: number, col: number): string {
    const r = row - this.grid.origin.row;
    const c = col - this.grid.origin.col;
    if (r < 0 || c < 0) return 'General';
    return this.grid.formats[r]?.[c] ?? 'General';
  }

  /** The cell that holds the value shown at (row, col): itself, or the top-left of its merged area. */
  master(row: number, col: number): { row: number; col: number } {
    return this.masterOf.get(this.key(row, col)) ?? { row, col };
  }

  isMergedCopy(row: number, col: number): boolean {
    return this.masterOf.has(this.key(row, col));
  }

  /** The value a person sees at (row, col), merged areas resolved. */
  value(row: number, col: number): CellValue {
    const m = this.masterOf.get(this.key(row, col));
    return m ? this.raw(m.row, m.col) : this.raw(row, col);
  }

  /** The value as text ("" for empty). */
  text(row: number, col: number): string {
    const v = this.value(row, col);
    return v === null ? '' : String(v);
  }

  formula(row: number, col: number): string | undefined {
    return this.grid.formulas?.[a1(row, col)];
  }

  isRowEmpty(row: number): boolean {
    const line = this.grid.values[row - this.grid.origin.row];
    if (!line) return true;
    for (const v of line) {
      if (v === null) continue;
      if (typeof v !== 'string' || v.trim() !== '') return false;
    }
    return true;
  }

  mergeAt(row: number, col: number): CellRange | undefined {
    return this.areaOf.get(this.key(row, col));
  }
}
