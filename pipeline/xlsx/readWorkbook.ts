// The ExcelJS adapter's read half (docs/design.md, "The grid and the readers"): a workbook file → one
// Grid per sheet, with values as Office.js `Range.values` would report them, so core sees the same grid
// in the pipeline and in Excel.
import { msg } from '../../core/messages';
import { readFile } from 'fs/promises';
import ExcelJS from 'exceljs';
import { a1, type CellRange, type CellValue, type Grid } from '../../core/grid';
import { DEFAULT_MAX_CELLS_PER_SHEET, sheetTooLarge } from './sheetGuard';
import { guardWorksheets, isWorkbookPart, noContent, readGridsFromXml, sheetNamesByPart } from './xmlWorkbook';
import { checkZip, displayName, UnreadableWorkbookError, type ZipLimits } from './zipGuard';

export { UnreadableWorkbookError } from './zipGuard';
export { DEFAULT_MAX_CELLS_PER_SHEET } from './sheetGuard';

export interface WorkbookGrids {
  file: string;
  /** Every worksheet in tab order, hidden ones included. */
  sheets: Grid[];
  hiddenSheets: string[];
  /** The file carries VBA macros (a fact for a warning; the macros are never run or kept by us). */
  hasMacros: boolean;
  /** The loaded workbook, so an edit plan can be applied without reading the file again. */
  workbook: ExcelJS.Workbook;
  /** The file's bytes, for an edit made on its parts (patchWorkbook.ts). */
  bytes: Buffer;
}

export interface ReadWorkbookOptions {
  zipLimits?: Partial<ZipLimits>;
  /** A sheet whose used range spans more cells than this is refused (the grid is dense). */
  maxCellsPerSheet?: number;
}

export async function readWorkbook(path: string, options: ReadWorkbookOptions = {}): Promise<WorkbookGrids> {
  return readWorkbookBytes(await readBytes(path), path, options);
}

/** A workbook file's grids, with ExcelJS's workbook model only when it was needed to read them (see excelJsWorkbook). */
export type WorkbookFile = Omit<WorkbookGrids, 'workbook'> & { workbook?: ExcelJS.Workbook };

/**
 * A workbook file's grids straight from its sheet XML (xmlWorkbook.ts: the same grids, guards and
 * refusals), or with ExcelJS for a workbook that reader leaves to it. A 10,000-row sheet reads several
 * times faster so.
 */
export async function readWorkbookFile(path: string, options: ReadWorkbookOptions = {}): Promise<WorkbookFile> {
  const bytes = await readBytes(path);
  const fast = readGridsFromXml(bytes, path, options);
  if ('fallback' in fast) return readWorkbookBytes(bytes, path, options);
  return { file: path, sheets: fast.sheets, hiddenSheets: fast.hiddenSheets, hasMacros: fast.hasMacros, bytes };
}

/** The file's ExcelJS workbook model, loaded from its bytes the first time an adapter asks for it. */
export async function excelJsWorkbook(read: WorkbookFile): Promise<ExcelJS.Workbook> {
  return (read.workbook ??= (await readWorkbookBytes(read.bytes, read.file)).workbook);
}

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UnreadableWorkbookError(path, msg('workbook.file-not-found', { file: displayName(path) }), 'file-not-found', { cause: e });
    throw new UnreadableWorkbookError(path, msg('workbook.file-unreadable', { file: displayName(path), code: code ?? msg('workbook.read-failed') }), 'file-unreadable', { cause: e });
  }
}

export async function readWorkbookBytes(bytes: Buffer, fileName: string, options: ReadWorkbookOptions = {}): Promise<WorkbookGrids> {
  const maxCells = options.maxCellsPerSheet ?? DEFAULT_MAX_CELLS_PER_SHEET;
  const facts = await checkZip(bytes, fileName, options.zipLimits, isWorkbookPart);
  // Before ExcelJS allocates anything per cell: every sheet it will parse, checked as it streams by.
  guardWorksheets(facts.parts, facts.names, sheetNamesByPart(facts.parts), fileName, maxCells);
  const workbook = new ExcelJS.Workbook();
  try {
    // ExcelJS declares its own Buffer type (an ArrayBuffer); a Node Buffer is what it reads at run time.
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw new UnreadableWorkbookError(
      fileName,
      msg('workbook.parse-failed', { file: displayName(fileName) }),
      'parse-failed',
      { cause: e },
    );
  }
  const date1904 = Boolean(workbook.properties?.date1904);
  const sheets: Grid[] = [];
  const hiddenSheets: string[] = [];
  for (const ws of workbook.worksheets) {
    sheets.push(worksheetToGrid(ws, { date1904, maxCells, file: fileName }));
    if (ws.state === 'hidden' || ws.state === 'veryHidden') hiddenSheets.push(ws.name);
  }
  if (sheets.every((g) => g.values.length === 0)) throw noContent(fileName);
  return { file: fileName, sheets, hiddenSheets, hasMacros: facts.hasMacros, workbook, bytes };
}

// ---------------------------------------------------------------------------------------------
// Worksheet → Grid

export interface GridReadOptions {
  /** The workbook uses the 1904 date system: serials stay as the file stores them and the grid says so. */
  date1904?: boolean;
  maxCells?: number;
  /** For the message when the sheet is too large. */
  file?: string;
}

/** ExcelJS keeps merges in a private map; the public `model` getter would serialise the whole sheet. */
export function mergesOf(ws: ExcelJS.Worksheet): CellRange[] {
  const merges = (ws as unknown as { _merges?: Record<string, { top: number; left: number; bottom: number; right: number }> })._merges ?? {};
  return Object.values(merges)
    .filter(Boolean)
    .map((m) => ({ top: m.top, left: m.left, bottom: m.bottom, right: m.right }))
    .sort((x, y) => x.top - y.top || x.left - y.left);
}

/** A cell that holds something: skips empty styled cells and merge placeholders. */
function holdsValue(cell: ExcelJS.Cell): boolean {
  return cell.type !== ExcelJS.ValueType.Null && cell.type !== ExcelJS.ValueType.Merge;
}

/** Mirrors ExcelJS's own excelToDate so a loaded serial comes back exactly (incl. the 1900 leap-year bug). */
export function dateToSerial(d: Date, date1904 = false): number | null {
  const ms = d.getTime();
  if (Number.isNaN(ms)) return null;
  const serial = 25569 + ms / 86_400_000 - (date1904 ? 1462 : 0);
  return Math.round(serial * 1e9) / 1e9;
}

/** Realm-safe: a Date made in another VM context fails `instanceof Date`. */
export function isDate(v: unknown): v is Date {
  return Object.prototype.toString.call(v) === '[object Date]';
}

/** An ExcelJS cell value → what Office.js `Range.values` shows for it. */
export function plainValue(v: ExcelJS.CellValue | undefined, date1904 = false): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (isDate(v)) return dateToSerial(v, date1904);
  if (typeof v !== 'object') return null;
  if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((run) => run.text ?? '').join('');
  if ('error' in v) return String(v.error);
  if ('formula' in v || 'sharedFormula' in v) return plainValue((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, date1904);
  if ('hyperlink' in v) return plainValue((v as ExcelJS.CellHyperlinkValue).text as unknown as ExcelJS.CellValue, date1904);
  if ('text' in v) return plainValue((v as { text: ExcelJS.CellValue }).text, date1904);
  return null;
}

/** Row methods ExcelJS has at run time but does not declare; findCell does not create the cell. */
type RowWithFind = ExcelJS.Row & { findCell(col: number): ExcelJS.Cell | undefined; style?: Partial<ExcelJS.Style> };

function usedBounds(ws: ExcelJS.Worksheet, merges: CellRange[]): CellRange | null {
  let top = Infinity;
  let left = Infinity;
  let bottom = -Infinity;
  let right = -Infinity;
  const take = (r: CellRange) => {
    top = Math.min(top, r.top);
    left = Math.min(left, r.left);
    bottom = Math.max(bottom, r.bottom);
    right = Math.max(right, r.right);
  };
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      if (holdsValue(cell)) take({ top: rowNumber, left: col, bottom: rowNumber, right: col });
    });
  });
  merges.forEach(take);
  return top === Infinity ? null : { top, left, bottom, right };
}

/**
 * One worksheet as a grid: origin at the top-left of the used range (cells holding a value, and merged
 * areas); merged areas other than their top-left read as null, as in Excel; an empty sheet has no rows.
 */
export function worksheetToGrid(ws: ExcelJS.Worksheet, options: GridReadOptions = {}): Grid {
  const merges = mergesOf(ws);
  const bounds = usedBounds(ws, merges);
  if (!bounds) return { sheet: ws.name, origin: { row: 1, col: 1 }, values: [], formats: [], merges, ...(options.date1904 ? { date1904: true } : {}) };
  const height = bounds.bottom - bounds.top + 1;
  const width = bounds.right - bounds.left + 1;
  const maxCells = options.maxCells ?? Infinity;
  if (height * width > maxCells) throw sheetTooLarge(options.file ?? '', ws.name, bounds, maxCells);
  const columns = ws.columns ?? [];
  const columnFormat = (col: number): string | undefined => columns[col - 1]?.style?.numFmt;
  const values: CellValue[][] = [];
  const formats: string[][] = [];
  const formulas: Record<string, string> = {};
  for (let r = bounds.top; r <= bounds.bottom; r++) {
    const rowValues: CellValue[] = new Array(width).fill(null);
    const rowFormats: string[] = new Array(width);
    const row = ws.findRow(r) as RowWithFind | undefined;
    const rowFormat = row?.style?.numFmt;
    for (let c = bounds.left; c <= bounds.right; c++) {
      const cell = row?.findCell(c);
      const i = c - bounds.left;
      // A cell's own style wins (no numFmt there means General); only absent cells take the row's or column's.
      rowFormats[i] = (cell ? cell.style?.numFmt : rowFormat || columnFormat(c)) || 'General';
      if (!cell || !holdsValue(cell)) continue;
      // A formula's cached result as it is: ExcelJS's `value` drops a result of 0, "" or false.
      rowValues[i] = cell.type === ExcelJS.ValueType.Formula ? plainValue(cell.result as ExcelJS.CellValue, options.date1904) : plainValue(cell.value, options.date1904);
      if (cell.type === ExcelJS.ValueType.Formula && cell.formula) formulas[a1(r, c)] = `=${cell.formula}`;
    }
    values.push(rowValues);
    formats.push(rowFormats);
  }
  const grid: Grid = { sheet: ws.name, origin: { row: bounds.top, col: bounds.left }, values, formats, merges };
  if (Object.keys(formulas).length > 0) grid.formulas = formulas;
  if (options.date1904) grid.date1904 = true;
  return grid;
}
