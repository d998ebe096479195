// Building blocks for worksheets that people read on screen and on A4 paper: plain cell values (never a
// formula or a link), real Excel tables sized for Chinese text, pictures placed below what is already
// on the sheet, and the print setup. The geometry (pixels per column and row, the printable page) is
// computed here so that pictures never cover a table and never straddle a page break.
import { t, type Lang } from '../../core/messages';
import ExcelJS from 'exceljs';
import { a1, columnLetter, type CellRange } from '../../core/grid';
import { displayWidth } from '../output/displayWidth';
import { tableHeaders } from '../xlsx/applyEditPlan';

/** A CJK font on every Chinese Windows/Office machine; elsewhere the system substitutes one. */
export const FONT_NAME = 'Microsoft YaHei';
export const BODY_SIZE = 11;

/** Excel's default row height, and what one line of 11 pt Chinese text needs (YaHei is tall). */
export const DEFAULT_ROW_HEIGHT_PT = 15;
const LINE_HEIGHT_PT = 15;
const HEADER_HEIGHT_PT = 22;
/** Excel's default column width (8.43 characters), in its stored form. */
const DEFAULT_COLUMN_WIDTH = 9.140625;
/** Pixels per unit of column width: the maximum digit width of the default 11 pt font. */
const CHAR_PX = 7;
/** Room for the filter button Excel draws in every header cell of a table. */
const FILTER_BUTTON_UNITS = 3;
/** Excel's limit; a longer string makes Excel repair the file. */
const MAX_CELL_TEXT = 32_767;

export type PlainValue = string | number | Date | null;

/**
 * What may go into a cell: text, a finite number, a date or nothing. Text is written as text whatever
 * it starts with ("=1+1", "http://…" stay text: ExcelJS makes formulas and links only from objects);
 * characters XML cannot carry are dropped, and text is cut to Excel's limit.
 */
export function plainValue(value: unknown): PlainValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const text = String(value)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
  return text.length > MAX_CELL_TEXT ? text.slice(0, MAX_CELL_TEXT) : text;
}

/** 'YYYY-MM-DD' → a Date at UTC midnight (ExcelJS writes it as that day's serial, whatever the time zone). */
export function excelDate(isoDate: string | null | undefined): Date | null {
  if (!isoDate) return null;
  const [y, m, d] = isoDate.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

export const DATE_FORMAT = 'yyyy-mm-dd';
export const PERCENT_FORMAT = '0.0%';

/**
 * A number format that shows what was reported: no decimals for whole amounts, up to three otherwise,
 * followed by the unit of measure ("1,234 個") — the cell still holds the plain number.
 */
export function amountFormat(value: number | null, unit = ''): string {
  const digits = value === null || Number.isInteger(value) ? '#,##0' : '#,##0.0##';
  const shown = unit.replace(/["\\]/g, '').trim();
  return shown ? `${digits}" ${shown}"` : digits;
}

/** The text a cell shows, roughly, for measuring column widths. */
function shownText(value: PlainValue, numFmt: string | undefined): string {
  if (value === null) return '';
  if (value instanceof Date) return '2024-12-31';
  if (typeof value === 'number') {
    if (numFmt?.includes('%')) return `${(value * 100).toFixed(1)}%`;
    const rounded = Math.round(value * 1000) / 1000;
    const unit = /"([^"]*)"$/.exec(numFmt ?? '')?.[1] ?? '';
    return `${rounded.toLocaleString('en-US')}${unit}`;
  }
  return value;
}

/** Width units a text needs in the widest of its lines (CJK characters count 2). */
export function textUnits(text: string): number {
  return Math.max(0, ...text.split('\n').map((line) => displayWidth(line)));
}

/** Lines a text wraps to in a column `width` units wide (Excel breaks Chinese anywhere). */
export function wrappedLines(text: string, width: number): number {
  const room = Math.max(1, width - 1);
  return text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(displayWidth(line) / room)), 0);
}

export function columnPixels(width: number | undefined): number {
  return Math.trunc((width ?? DEFAULT_COLUMN_WIDTH) * CHAR_PX + 5);
}

export function rowPixels(heightPt: number | undefined): number {
  return Math.round(((heightPt ?? DEFAULT_ROW_HEIGHT_PT) * 96) / 72);
}

export function columnWidthOf(ws: ExcelJS.Worksheet, col: number): number | undefined {
  return (ws.columns ?? [])[col - 1]?.width;
}

export function rowHeightOf(ws: ExcelJS.Worksheet, row: number): number | undefined {
  return ws.findRow(row)?.height;
}

export function font(extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> {
  return { name: FONT_NAME, size: BODY_SIZE, ...extra };
}

export function solidFill(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb }, bgColor: { argb } };
}

/**
 * Writes a value with a style. ExcelJS shares style objects between cells: a style is always replaced
 * whole, never changed in place.
 */
export function writeCell(ws: ExcelJS.Worksheet, row: number, col: number, value: unknown, style: Partial<ExcelJS.Style> = {}): ExcelJS.Cell {
  const cell = ws.getCell(row, col);
  cell.value = plainValue(value);
  cell.style = { font: font(), ...style };
  return cell;
}

// ---------------------------------------------------------------------------------------------
// Tables

export interface TableColumn<R> {
  header: string;
  value: (row: R) => PlainValue;
  numFmt?: string | ((row: R) => string | undefined);
  /** Widest the column grows, in width units; longer text wraps. */
  maxWidth?: number;
  minWidth?: number;
  align?: 'left' | 'center' | 'right';
  /** Extra font for a cell (e.g. a red, bold flag). */
  font?: (row: R) => Partial<ExcelJS.Font> | undefined;
}

export interface TableSpec<R> {
  /** Workbook-wide unique, ASCII (Excel and LibreOffice both accept it). */
  name: string;
  /** Header row and first column, 1-based. */
  top: number;
  left: number;
  columns: TableColumn<R>[];
  rows: readonly R[];
  /** Background of a data row (ARGB), e.g. by status; rows without one keep the table style. */
  fill?: (row: R) => string | undefined;
  /** Written in the first column when there are no rows (a table needs one data row). */
  emptyText: string;
}

export interface PlacedTable {
  /** Header row included. */
  range: CellRange;
  widthPx: number;
  heightPx: number;
}

/**
 * Adds a real Excel table (filter buttons, banded style) with column widths that fit the text and
 * row heights for the lines wrapped text takes. Header names are made unique and single-line, as
 * Excel requires of table columns.
 */
export function addTable<R>(ws: ExcelJS.Worksheet, spec: TableSpec<R>): PlacedTable {
  const headers = tableHeaders(spec.columns.map((c) => c.header));
  const formats = spec.rows.map((row) => spec.columns.map((c) => (typeof c.numFmt === 'function' ? c.numFmt(row) : c.numFmt)));
  const values: PlainValue[][] =
    spec.rows.length > 0
      ? spec.rows.map((row) => spec.columns.map((c) => plainValue(c.value(row))))
      : [spec.columns.map((_, j) => (j === 0 ? plainValue(spec.emptyText) : null))];

  // Headers stay on one line: Excel breaks Chinese anywhere, and "應完成比" over "例" reads badly.
  const widths = spec.columns.map((c, j) => {
    const data = Math.max(0, ...values.map((row, i) => textUnits(shownText(row[j], formats[i]?.[j]))));
    const fitted = Math.max(Math.min(data, c.maxWidth ?? Infinity) + 2, c.minWidth ?? 0);
    return Math.max(fitted, textUnits(headers[j]) + FILTER_BUTTON_UNITS);
  });

  ws.addTable({
    name: spec.name,
    displayName: spec.name,
    ref: a1(spec.top, spec.left),
    headerRow: true,
    totalsRow: false,
    style: { theme: 'TableStyleLight9', showRowStripes: !spec.fill },
    columns: headers.map((name) => ({ name, filterButton: true })),
    rows: values,
  } as ExcelJS.TableProperties);

  widths.forEach((w, j) => (ws.getColumn(spec.left + j).width = w));
  const headerRow = ws.getRow(spec.top);
  headerRow.height = HEADER_HEIGHT_PT;
  spec.columns.forEach((_, j) => {
    const cell = headerRow.getCell(spec.left + j);
    cell.style = {
      font: font({ bold: true, color: { argb: 'FFFFFFFF' } }),
      fill: solidFill('FF2F5496'),
      alignment: { vertical: 'middle', horizontal: 'center', wrapText: false },
    };
  });

  let heightPx = rowPixels(HEADER_HEIGHT_PT);
  values.forEach((rowValues, i) => {
    const rowNo = spec.top + 1 + i;
    const source = spec.rows[i];
    const fill = source !== undefined ? spec.fill?.(source) : undefined;
    let lines = 1;
    spec.columns.forEach((c, j) => {
      const cell = ws.getCell(rowNo, spec.left + j);
      const text = shownText(rowValues[j], formats[i]?.[j]);
      const wraps = textUnits(text) > widths[j] - 2;
      if (wraps) lines = Math.max(lines, wrappedLines(text, widths[j]));
      const numeric = typeof rowValues[j] === 'number' || rowValues[j] instanceof Date;
      cell.style = {
        font: font(source !== undefined ? (c.font?.(source) ?? {}) : { italic: true, color: { argb: 'FF666666' } }),
        alignment: { vertical: 'middle', horizontal: c.align ?? (numeric ? 'right' : 'left'), wrapText: wraps },
        ...(formats[i]?.[j] ? { numFmt: formats[i][j] } : {}),
        ...(fill ? { fill: solidFill(fill) } : {}),
      };
    });
    const height = Math.max(DEFAULT_ROW_HEIGHT_PT + 3, lines * LINE_HEIGHT_PT + 4);
    ws.getRow(rowNo).height = height;
    heightPx += rowPixels(height);
  });

  return {
    range: { top: spec.top, left: spec.left, bottom: spec.top + values.length, right: spec.left + spec.columns.length - 1 },
    widthPx: widths.reduce((s, w) => s + columnPixels(w), 0),
    heightPx,
  };
}

// ---------------------------------------------------------------------------------------------
// Pictures

export interface Picture {
  png: Buffer;
  /** Size on the sheet in px (96 dpi); the PNG itself has more pixels for print. */
  width: number;
  height: number;
}

/** The cells a picture covers when its top-left corner sits at the top-left of (row, col). */
export function pictureCells(ws: ExcelJS.Worksheet, picture: Picture, row: number, col: number): CellRange {
  let bottom = row;
  for (let y = rowPixels(rowHeightOf(ws, row)); y < picture.height; y += rowPixels(rowHeightOf(ws, bottom))) bottom++;
  let right = col;
  for (let x = columnPixels(columnWidthOf(ws, col)); x < picture.width; x += columnPixels(columnWidthOf(ws, right))) right++;
  return { top: row, left: col, bottom, right };
}

/** Each PNG is stored once per workbook, however many sheets show it. */
const storedImages = new WeakMap<ExcelJS.Workbook, Map<Buffer, number>>();

function imageIdFor(wb: ExcelJS.Workbook, png: Buffer): number {
  if (!storedImages.has(wb)) storedImages.set(wb, new Map());
  const stored = storedImages.get(wb)!;
  let id = stored.get(png);
  if (id === undefined) {
    id = wb.addImage({ buffer: png as unknown as ExcelJS.Buffer, extension: 'png' });
    stored.set(png, id);
  }
  return id;
}

/** Places a picture with its top-left corner at (row, col), sized in whole pixels; returns the cells it covers. */
export function placePicture(wb: ExcelJS.Workbook, ws: ExcelJS.Worksheet, picture: Picture, row: number, col = 1): CellRange {
  const imageId = imageIdFor(wb, picture.png);
  ws.addImage(imageId, {
    tl: { col: col - 1, row: row - 1 },
    ext: { width: Math.round(picture.width), height: Math.round(picture.height) },
    editAs: 'oneCell',
  } as unknown as ExcelJS.ImagePosition & { editAs: string });
  return pictureCells(ws, picture, row, col);
}

/** Pixel height of rows from..to inclusive. */
export function rowsHeightPx(ws: ExcelJS.Worksheet, from: number, to: number): number {
  let px = 0;
  for (let r = from; r <= to; r++) px += rowPixels(rowHeightOf(ws, r));
  return px;
}

/** Pixel width of columns from..to inclusive. */
export function columnsWidthPx(ws: ExcelJS.Worksheet, from: number, to: number): number {
  let px = 0;
  for (let c = from; c <= to; c++) px += columnPixels(columnWidthOf(ws, c));
  return px;
}

// ---------------------------------------------------------------------------------------------
// Print: A4 landscape, fit to the page width, header rows repeated

/** A4 landscape at 96 dpi minus the margins below (0.4 in left/right, 0.55 in top/bottom). */
export const PRINTABLE = { width: Math.floor((297 / 25.4) * 96 - 0.8 * 96), height: Math.floor((210 / 25.4) * 96 - 1.1 * 96) };

/** How tall a printed page is in sheet pixels once the content `widthPx` wide is fitted to the page width. */
export function pageHeightPx(contentWidthPx: number): number {
  const scale = Math.min(1, PRINTABLE.width / Math.max(1, contentWidthPx));
  // A little slack: printers' and Excel's own arithmetic differ by a few pixels.
  return Math.floor((PRINTABLE.height / scale) * 0.97);
}

/** A manual page break above `row`. */
export function breakBefore(ws: ExcelJS.Worksheet, row: number): void {
  if (row > 1) ws.getRow(row - 1).addPageBreak();
}

/** '&' is a code in Excel's header/footer text. */
function headerText(text: string): string {
  return text.replace(/&/g, '&&');
}

export interface PrintOptions {
  /** The print area. */
  area: CellRange;
  /** Rows repeated at the top of every printed page (a table's header row). */
  repeatRows?: { from: number; to: number };
  /** A fixed print scale in percent instead of fitting to the page width (the overview sets one that keeps page 1 whole). */
  scalePercent?: number;
  /** Shown at the top left of every page. */
  title: string;
  /** The reader's language, for the page-number footer. */
  lang: Lang;
}

export function setUpPrint(ws: ExcelJS.Worksheet, options: PrintOptions): void {
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9, // A4
    orientation: 'landscape',
    ...(options.scalePercent !== undefined
      ? { fitToPage: false, scale: Math.round(Math.min(400, Math.max(10, options.scalePercent))) }
      : { fitToPage: true, fitToWidth: 1, fitToHeight: 0 }),
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.55, bottom: 0.55, header: 0.25, footer: 0.25 },
    // ExcelJS puts a "$" before what it is given: "A$1" comes out as the absolute "$A$1".
    printArea: `${columnLetter(options.area.left)}$${options.area.top}:${columnLetter(options.area.right)}$${options.area.bottom}`,
    ...(options.repeatRows ? { printTitlesRow: `${options.repeatRows.from}:${options.repeatRows.to}` } : {}),
  };
  ws.headerFooter = {
    // No font-size code before the text: "&9" followed by "2024年…" would read as size 92024.
    oddHeader: `&L${headerText(options.title)}`,
    oddFooter: t(options.lang, 'report.footer'),
  };
}

/** Freezes the rows above `row` (so a table's header stays in view). */
export function freezeAbove(ws: ExcelJS.Worksheet, row: number): void {
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: row - 1, topLeftCell: a1(row, 1), activeCell: a1(row, 1), showGridLines: false }];
}

export function lastColumnLetter(range: CellRange): string {
  return columnLetter(range.right);
}

/**
 * Turns every formula in the workbook into the value it last showed and every link into its text: a copy we write (annotate) carries the clerk's values, never a
 * live =WEBSERVICE(...) or =HYPERLINK(...) that the office would trust as ours (docs/design.md, "The
 * report and charts").
 */
export function keepValuesOnly(wb: ExcelJS.Workbook): void {
  wb.eachSheet((ws) => {
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (cell.type === ExcelJS.ValueType.Formula) {
          const result = (cell.value as { result?: unknown }).result;
          cell.value = result instanceof Date ? result : typeof result === 'object' && result !== null ? plainValue((result as { error?: string }).error ?? null) : plainValue(result);
        } else if (cell.type === ExcelJS.ValueType.Hyperlink) {
          cell.value = plainValue(cell.text);
        }
      });
    });
  });
}
