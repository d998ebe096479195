// The workbook behind the fake Excel host (tests/helpers/fakeExcel/host.ts): sheets of cells with values,
// formulas, number formats, fills, fonts, borders and protection; merged areas, notes, comments,
// pictures, tables, sheet protection, settings. Its rules are Excel's where the add-in depends on them:
// a string is read as if typed (numbers, dates, formulas, a leading apostrophe keeps text); a range
// may not cover part of a merged area; a protected sheet refuses changes to locked cells; names of
// sheets and tables are unique without regard to case. Browser-safe: no Node built-ins.
import { a1, columnLetter, type CellRange } from '../../../core/grid';

export const MAX_ROWS = 1_048_576;
export const MAX_COLS = 16_384;

export type Scalar = string | number | boolean;

/** An error as Office.js raises it: a code from Excel.ErrorCodes and a message. */
export class FakeExcelError extends Error {
  override readonly name = 'RichApi.Error';
  readonly debugInfo: { code: string; message: string; errorLocation?: string };
  constructor(
    readonly code: string,
    message: string,
    location?: string,
  ) {
    super(message);
    this.debugInfo = { code, message, errorLocation: location };
  }
}

export interface Fill {
  color: string;
  pattern: 'Solid' | 'None';
}

export interface Border {
  style: string;
  weight: string;
}

export interface Cell {
  /** Constant value; for a formula, undefined (computed when read). */
  value?: Scalar;
  formula?: string;
  format: string;
  /** Written with a leading apostrophe (Excel's quote prefix). */
  quotePrefix?: boolean;
  fill?: Fill;
  font?: { name?: string; size?: number; bold?: boolean; italic?: boolean; color?: string };
  horizontalAlignment?: string;
  verticalAlignment?: string;
  wrapText?: boolean;
  borders?: Record<string, Border>;
  /** Cells are locked unless unlocked (what protection looks at). */
  locked?: boolean;
  validation?: { rule?: unknown; prompt?: unknown; errorAlert?: unknown; ignoreBlanks?: boolean };
}

export interface NoteModel {
  cell: string;
  content: string;
  author: string;
}

export interface CommentModel {
  id: string;
  sheetId: string;
  cell: string;
  content: string;
}

export interface ShapeModel {
  id: string;
  name: string;
  type: 'Image';
  /** Base64 of the picture, as added. */
  image: string;
  left: number;
  top: number;
  width: number;
  height: number;
  lockAspectRatio: boolean;
}

export interface TableModel {
  id: string;
  name: string;
  range: CellRange;
  hasHeaders: boolean;
  style: string;
  showBandedRows: boolean;
}

export interface ProtectionModel {
  protected: boolean;
  options: Record<string, unknown>;
  password?: string;
}

export interface SheetModel {
  id: string;
  name: string;
  visibility: 'Visible' | 'Hidden' | 'VeryHidden';
  cells: Map<number, Cell>;
  merges: CellRange[];
  notes: NoteModel[];
  shapes: ShapeModel[];
  tables: TableModel[];
  protection: ProtectionModel;
  frozenRows: number;
  columnWidths: Map<number, number>;
  rowHeights: Map<number, number>;
  pageLayout: Record<string, unknown>;
}

let nextId = 1;
export const newId = (prefix: string) => `{${prefix}-${String(nextId++).padStart(8, '0')}}`;

export const cellKey = (row: number, col: number) => row * 20_000 + col;
export const keyRow = (key: number) => Math.floor(key / 20_000);
export const keyCol = (key: number) => key % 20_000;

export function newSheet(name: string): SheetModel {
  return {
    id: newId('sheet'),
    name,
    visibility: 'Visible',
    cells: new Map(),
    merges: [],
    notes: [],
    shapes: [],
    tables: [],
    protection: { protected: false, options: {} },
    frozenRows: 0,
    columnWidths: new Map(),
    rowHeights: new Map(),
    pageLayout: {},
  };
}

// ---------------------------------------------------------------------------------------------
// Addresses

/** How Excel writes a sheet name in an address: bare when it is letters, digits and _, quoted otherwise. */
export function addressSheet(name: string): string {
  return /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}

export function rectAddress(r: CellRange): string {
  if (r.top === 1 && r.bottom === MAX_ROWS) return `${columnLetter(r.left)}:${columnLetter(r.right)}`;
  if (r.left === 1 && r.right === MAX_COLS) return `${r.top}:${r.bottom}`;
  const start = a1(r.top, r.left);
  return r.top === r.bottom && r.left === r.right ? start : `${start}:${a1(r.bottom, r.right)}`;
}

function colNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** "A1", "$A$1:B2", "A:C", "3:5", optionally with a sheet ("'附件 2'!A1"); throws InvalidArgument otherwise. */
export function parseAddress(text: string): { sheet?: string; rect: CellRange } {
  let rest = text.trim();
  let sheet: string | undefined;
  const bang = rest.lastIndexOf('!');
  if (bang >= 0) {
    const raw = rest.slice(0, bang);
    sheet = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw;
    rest = rest.slice(bang + 1);
  }
  const bad = () => new FakeExcelError('InvalidArgument', `The argument is invalid or missing or has an incorrect format. (${text})`);
  const part = (p: string) => {
    const m = /^\$?([A-Za-z]{1,3})?\$?(\d+)?$/.exec(p);
    if (!m || (!m[1] && !m[2])) throw bad();
    return { col: m[1] ? colNumber(m[1]) : undefined, row: m[2] ? Number(m[2]) : undefined };
  };
  const [from, to = from] = rest.split(':');
  const s = part(from);
  const e = part(to);
  let rect: CellRange;
  if (s.col !== undefined && s.row !== undefined && e.col !== undefined && e.row !== undefined) {
    rect = { top: Math.min(s.row, e.row), left: Math.min(s.col, e.col), bottom: Math.max(s.row, e.row), right: Math.max(s.col, e.col) };
  } else if (s.row === undefined && e.row === undefined && s.col !== undefined && e.col !== undefined && rest.includes(':')) {
    rect = { top: 1, bottom: MAX_ROWS, left: Math.min(s.col, e.col), right: Math.max(s.col, e.col) };
  } else if (s.col === undefined && e.col === undefined && s.row !== undefined && e.row !== undefined && rest.includes(':')) {
    rect = { top: Math.min(s.row, e.row), bottom: Math.max(s.row, e.row), left: 1, right: MAX_COLS };
  } else throw bad();
  if (rect.top < 1 || rect.left < 1 || rect.bottom > MAX_ROWS || rect.right > MAX_COLS) throw bad();
  return { sheet, rect };
}

export function intersects(a: CellRange, b: CellRange): boolean {
  return a.left <= b.right && b.left <= a.right && a.top <= b.bottom && b.top <= a.bottom;
}

export function contains(outer: CellRange, inner: CellRange): boolean {
  return inner.top >= outer.top && inner.bottom <= outer.bottom && inner.left >= outer.left && inner.right <= outer.right;
}

// ---------------------------------------------------------------------------------------------
// Reading text as Excel does when it is typed or written through Range.values

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const serialOf = (y: number, m: number, d: number) => (Date.UTC(y, m - 1, d) - EXCEL_EPOCH) / 86_400_000;

export interface Typed {
  value?: Scalar;
  formula?: string;
  quotePrefix?: boolean;
  /** A format Excel gives the cell when it was General (a date, a percent). */
  impliedFormat?: string;
}

/** What a string becomes in a cell of format `format` ('@' keeps every string as it is). */
export function typeIn(text: string, format: string): Typed {
  if (format === '@') return { value: text };
  if (text.startsWith("'")) return { value: text.slice(1), quotePrefix: true };
  if (text.startsWith('=') && text.length > 1) return { formula: text };
  const t = text.trim();
  if (/^(true|false)$/i.test(t)) return { value: t.toLowerCase() === 'true' };
  const number = /^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$/;
  if (t !== '' && /\d/.test(t) && number.test(t)) return { value: Number(t.replace(/,/g, '')) };
  const percent = /^([+-]?(\d+)?(\.\d+)?)%$/.exec(t);
  if (percent && /\d/.test(percent[1])) return { value: Number(percent[1]) / 100, impliedFormat: '0%' };
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(t);
  if (m && Number(m[2]) <= 12 && Number(m[3]) <= 31) return { value: serialOf(Number(m[1]), Number(m[2]), Number(m[3])), impliedFormat: 'yyyy/m/d' };
  m = /^(\d{1,2})[-/](\d{1,2})$/.exec(t);
  if (m && Number(m[1]) >= 1 && Number(m[1]) <= 12 && Number(m[2]) >= 1 && Number(m[2]) <= 31) {
    return { value: serialOf(new Date().getFullYear(), Number(m[1]), Number(m[2])), impliedFormat: 'm月d日' };
  }
  return { value: text };
}

// ---------------------------------------------------------------------------------------------
// Formulas: a small evaluator for what the add-in writes (IF, comparisons, arithmetic, references)

type FormulaValue = Scalar | '';

export function evaluate(formula: string, read: (row: number, col: number) => FormulaValue): FormulaValue {
  const src = formula.replace(/^=/, '');
  let i = 0;
  const peek = () => src[i];
  const skip = () => {
    while (src[i] === ' ') i++;
  };
  const fail = (): never => {
    throw new Error('#NAME?');
  };
  const num = (v: FormulaValue): number => {
    if (typeof v === 'number') return v;
    if (v === '' || v === false) return 0;
    if (v === true) return 1;
    const n = Number(v);
    if (Number.isNaN(n)) throw new Error('#VALUE!');
    return n;
  };
  function primary(): FormulaValue {
    skip();
    const ch = peek();
    if (ch === '"') {
      const end = src.indexOf('"', i + 1);
      if (end < 0) fail();
      const s = src.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    if (ch === '(') {
      i++;
      const v = comparison();
      skip();
      if (peek() !== ')') fail();
      i++;
      return v;
    }
    if (ch === '-') {
      i++;
      return -num(primary());
    }
    const numberMatch = /^\d+(\.\d+)?/.exec(src.slice(i));
    if (numberMatch) {
      i += numberMatch[0].length;
      return Number(numberMatch[0]);
    }
    const word = /^\$?([A-Za-z]+)\$?(\d*)/.exec(src.slice(i));
    if (!word) fail();
    i += word![0].length;
    if (word![2]) return read(Number(word![2]), colNumber(word![1]));
    const name = word![1].toUpperCase();
    skip();
    if (peek() !== '(') fail();
    i++;
    const args: (() => FormulaValue)[] = [];
    // Arguments are parsed now and evaluated lazily (IF evaluates one branch).
    for (;;) {
      skip();
      const start = i;
      let depth = 0;
      let inString = false;
      while (i < src.length) {
        const c = src[i];
        if (c === '"') inString = !inString;
        else if (!inString && c === '(') depth++;
        else if (!inString && c === ')') {
          if (depth === 0) break;
          depth--;
        } else if (!inString && c === ',' && depth === 0) break;
        i++;
      }
      const text = src.slice(start, i);
      args.push(() => evaluate(text, read));
      if (src[i] === ',') {
        i++;
        continue;
      }
      if (src[i] === ')') {
        i++;
        break;
      }
      fail();
    }
    if (name === 'IF') {
      const test = args[0]();
      return (typeof test === 'boolean' ? test : num(test) !== 0) ? (args[1]?.() ?? true) : (args[2]?.() ?? false);
    }
    return fail();
  }
  function term(): FormulaValue {
    let v = primary();
    for (;;) {
      skip();
      const op = peek();
      if (op !== '*' && op !== '/') return v;
      i++;
      const r = num(primary());
      if (op === '/' && r === 0) throw new Error('#DIV/0!');
      v = op === '*' ? num(v) * r : num(v) / r;
    }
  }
  function additive(): FormulaValue {
    let v = term();
    for (;;) {
      skip();
      const op = peek();
      if (op !== '+' && op !== '-') return v;
      i++;
      const r = num(term());
      v = op === '+' ? num(v) + r : num(v) - r;
    }
  }
  function comparison(): FormulaValue {
    const left = additive();
    skip();
    const m = /^(<>|<=|>=|=|<|>)/.exec(src.slice(i));
    if (!m) return left;
    i += m[0].length;
    const right = additive();
    const cmp = typeof left === 'string' || typeof right === 'string' ? String(left).localeCompare(String(right)) : num(left) - num(right);
    return { '=': cmp === 0, '<>': cmp !== 0, '<': cmp < 0, '>': cmp > 0, '<=': cmp <= 0, '>=': cmp >= 0 }[m[0]]!;
  }
  try {
    const v = comparison();
    skip();
    if (i < src.length) fail();
    return v;
  } catch (e) {
    return (e as Error).message.startsWith('#') ? (e as Error).message : '#VALUE!';
  }
}

// ---------------------------------------------------------------------------------------------
// Cell access

export function cellAt(sheet: SheetModel, row: number, col: number): Cell | undefined {
  return sheet.cells.get(cellKey(row, col));
}

export function ensureCell(sheet: SheetModel, row: number, col: number): Cell {
  const key = cellKey(row, col);
  let cell = sheet.cells.get(key);
  if (!cell) {
    cell = { format: 'General' };
    sheet.cells.set(key, cell);
  }
  return cell;
}

export function mergeAt(sheet: SheetModel, row: number, col: number): CellRange | undefined {
  return sheet.merges.find((m) => row >= m.top && row <= m.bottom && col >= m.left && col <= m.right);
}

/** What Range.values reports for a cell: "" when empty or inside a merged area, a formula's result. */
export function shownValue(sheet: SheetModel, row: number, col: number, depth = 0): Scalar {
  const m = mergeAt(sheet, row, col);
  if (m && (m.top !== row || m.left !== col)) return '';
  const cell = cellAt(sheet, row, col);
  if (!cell) return '';
  if (cell.formula !== undefined) {
    if (depth > 50) return '#REF!';
    const v = evaluate(cell.formula, (r, c) => shownValue(sheet, r, c, depth + 1));
    return v;
  }
  return cell.value ?? '';
}

export function hasContent(cell: Cell | undefined): boolean {
  return cell !== undefined && (cell.formula !== undefined || (cell.value !== undefined && cell.value !== ''));
}

export function hasFormatting(cell: Cell | undefined): boolean {
  if (!cell) return false;
  return cell.format !== 'General' || cell.fill !== undefined || cell.font !== undefined || cell.borders !== undefined || cell.locked === false;
}

/** The used range: cells with a value or formula (valuesOnly), or also formatted ones; undefined when empty. */
export function usedRect(sheet: SheetModel, valuesOnly: boolean): CellRange | undefined {
  let top = Infinity;
  let left = Infinity;
  let bottom = -Infinity;
  let right = -Infinity;
  for (const [key, cell] of sheet.cells) {
    if (!hasContent(cell) && (valuesOnly || !hasFormatting(cell))) continue;
    const r = keyRow(key);
    const c = keyCol(key);
    top = Math.min(top, r);
    bottom = Math.max(bottom, r);
    left = Math.min(left, c);
    right = Math.max(right, c);
  }
  return top === Infinity ? undefined : { top, left, bottom, right };
}

export function cloneSheet(source: SheetModel, name: string): SheetModel {
  const copy = newSheet(name);
  for (const [key, cell] of source.cells) copy.cells.set(key, structuredClone(cell));
  copy.visibility = source.visibility;
  copy.merges = source.merges.map((m) => ({ ...m }));
  copy.notes = source.notes.map((n) => ({ ...n }));
  copy.shapes = source.shapes.map((s) => ({ ...s, id: newId('shape') }));
  copy.protection = structuredClone(source.protection);
  copy.frozenRows = source.frozenRows;
  copy.columnWidths = new Map(source.columnWidths);
  copy.rowHeights = new Map(source.rowHeights);
  copy.pageLayout = structuredClone(source.pageLayout);
  return copy;
}

export function isValidSheetName(name: string): boolean {
  return name.length >= 1 && name.length <= 31 && !/[[\]:*?/\\]/.test(name) && !/^'|'$/.test(name) && name.toLowerCase() !== 'history';
}

export function isValidTableName(name: string): boolean {
  return /^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u.test(name) && !/^[A-Za-z]{1,3}\d+$/.test(name) && !/^[RrCc]$/.test(name);
}
