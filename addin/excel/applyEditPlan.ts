/// <reference types="office-js" />
// The Office.js adapter's write half (docs/design.md, "The edit plan and the two adapters"): applies
// core's edit plan in place. Each edited sheet is first copied whole (worksheet.copy, so nothing the
// clerk typed is lost); then merges are undone and the writes go out as rectangles of cells — number
// formats first, so that a text format holds before the text arrives, then the values — and new sheets
// are written as Excel tables. Everything is queued and sent in one sync, or in a few when the request
// would pass Excel on the web's 5 MB limit.
import type { EditPlan, NewSheet, WriteBlock } from '../../core/editPlan';
import { columnLetter, rangeA1, type CellRange, type CellValue, type Grid } from '../../core/grid';
import { textForCell } from './address';
import { PAYLOAD_BUDGET_BYTES } from './readSheets';

export interface ApplyOutcome {
  /** Backups made, as [sheet, backup]. */
  backups: [string, string][];
  newSheets: string[];
  syncs: number;
}

/** Bytes a queued operation costs beyond its data (the JSON envelope of a request action, generously). */
const OPERATION_BYTES = 200;

/**
 * A block as ranges of whole rows that each fit the request budget. A cut never falls inside a merged
 * area (a range over part of one is refused); the block holds its merged areas whole (core sees to it).
 */
export function blockBands(block: WriteBlock, merges: readonly CellRange[], rowBytes: (i: number) => number, budget = PAYLOAD_BUDGET_BYTES / 2): { from: number; to: number }[] {
  const height = block.values.length;
  const width = block.values[0]?.length ?? 0;
  // No cut between rows i and i + 1 where a merged area inside the block spans both.
  const joined = new Uint8Array(height);
  for (const m of merges) {
    if (m.left < block.col || m.right > block.col + width - 1 || m.bottom < block.row || m.top > block.row + height - 1) continue;
    for (let row = Math.max(m.top, block.row); row < Math.min(m.bottom, block.row + height - 1); row++) joined[row - block.row] = 1;
  }
  const bands: { from: number; to: number }[] = [];
  let from = 0;
  let bytes = 0;
  let lastCut = -1;
  for (let i = 0; i < height; i++) {
    bytes += rowBytes(i);
    if (bytes > budget && lastCut >= from) {
      bands.push({ from, to: lastCut });
      from = lastCut + 1;
      bytes = 0;
      for (let k = from; k <= i; k++) bytes += rowBytes(k);
      lastCut = -1;
    }
    if (!joined[i]) lastCut = i;
  }
  if (from < height) bands.push({ from, to: height - 1 });
  return bands;
}

/** Queues and syncs operations, syncing early whenever the request would pass the budget. */
class Batch {
  private bytes = 0;
  syncs = 0;
  constructor(private readonly context: Excel.RequestContext) {}
  async add(bytes: number, queue: () => void): Promise<void> {
    if (this.bytes > 0 && this.bytes + bytes > PAYLOAD_BUDGET_BYTES) await this.flush();
    queue();
    this.bytes += bytes + OPERATION_BYTES;
  }
  async flush(): Promise<void> {
    if (this.bytes === 0) return;
    this.syncs++;
    await this.context.sync();
    this.bytes = 0;
  }
}

/** Bytes of `v` as the request carries it: JSON in UTF-8 (a Chinese character takes three). */
function jsonSize(v: unknown): number {
  const text = JSON.stringify(v);
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) bytes += c < 0x800 ? 1 : c >= 0xd800 && c <= 0xdbff ? (i++, 2) : 2;
  }
  return bytes;
}

/**
 * What a cell gets as `values`: text that Excel would read as a number, date or formula is kept text
 * (textForCell); an intended empty cell is "" (null means "leave unchanged" to Excel).
 */
export function valueForExcel(value: CellValue, cellFormat: string): string | number | boolean {
  if (value === null) return '';
  if (typeof value === 'string') return textForCell(value, cellFormat);
  return value;
}

export interface ApplyOptions {
  /** Sheets by name, to put a replaced sheet back in its place. */
  positions?: Map<string, number>;
}

/**
 * Applies the plan to the workbook. `grids` are the sheets as read (their merges and number formats
 * decide how cells are written). A sheet named like a new sheet is replaced: core only plans new sheets
 * that it made itself before (規範數據).
 */
export async function applyEditPlan(context: Excel.RequestContext, plan: EditPlan, grids: readonly Grid[], options: ApplyOptions = {}): Promise<ApplyOutcome> {
  const batch = new Batch(context);
  const gridOf = new Map(grids.map((g) => [g.sheet.toLowerCase(), g]));
  const backups: [string, string][] = [];
  for (const edit of plan.edits) {
    const ws = context.workbook.worksheets.getItem(edit.sheet);
    if (edit.backupAs && !gridOf.has(edit.backupAs.toLowerCase())) {
      const backupAs = edit.backupAs;
      await batch.add(100, () => {
        const copy = ws.copy('After', ws);
        copy.name = backupAs;
      });
      backups.push([edit.sheet, backupAs]);
    }
    for (const area of edit.unmerge) await batch.add(50, () => ws.getRange(rangeA1(area)).unmerge());
    const grid = gridOf.get(edit.sheet.toLowerCase());
    const merges = (grid?.merges ?? []).filter((m) => !edit.unmerge.some((u) => u.top <= m.bottom && m.top <= u.bottom && u.left <= m.right && m.left <= u.right));
    const formatAt = (row: number, col: number) => grid?.formats[row - grid.origin.row]?.[col - grid.origin.col] ?? 'General';
    for (const block of edit.blocks) {
      const width = block.values[0]?.length ?? 0;
      // Holes are null: Excel leaves those cells as they are.
      const values = block.values.map((line, i) =>
        line.map((v, j) => (v === undefined ? null : valueForExcel(v, block.numberFormats?.[i]?.[j] ?? formatAt(block.row + i, block.col + j)))),
      );
      // A number written without a format into a text-formatted cell would stay text: give it General.
      const formats = block.values.map((line, i) =>
        line.map((v, j) => block.numberFormats?.[i]?.[j] ?? (typeof v === 'number' && formatAt(block.row + i, block.col + j) === '@' ? 'General' : null)),
      );
      const setsFormats = formats.some((line) => line.some((f) => f !== null));
      const rowBytes = (i: number) => jsonSize(values[i]) + (setsFormats ? jsonSize(formats[i]) : 0);
      for (const { from, to } of blockBands(block, merges, rowBytes)) {
        const address = rangeA1({ top: block.row + from, left: block.col, bottom: block.row + to, right: block.col + width - 1 });
        const bandValues = values.slice(from, to + 1);
        const bandFormats = formats.slice(from, to + 1);
        let bytes = 0;
        for (let i = from; i <= to; i++) bytes += rowBytes(i);
        await batch.add(bytes, () => {
          const range = ws.getRange(address);
          if (setsFormats) range.numberFormat = bandFormats;
          range.values = bandValues;
        });
      }
    }
  }
  const newSheets: string[] = [];
  for (const spec of plan.newSheets) {
    // The replaced sheet's place, counting the backups just put before it.
    const was = options.positions?.get(spec.name);
    const position = was === undefined ? undefined : was + backups.filter(([source]) => (options.positions?.get(source) ?? Infinity) < was).length;
    await writeNewSheet(context, batch, spec, gridOf.has(spec.name.toLowerCase()), position);
    newSheets.push(spec.name);
  }
  await batch.flush();
  return { backups, newSheets, syncs: batch.syncs };
}

/** Excel column width in points for a width in characters (Excel's default font: 7 px a character, 5 px padding). */
export function columnWidthPoints(characters: number): number {
  return Math.round((characters * 7 + 5) * 0.75 * 100) / 100;
}

async function writeNewSheet(context: Excel.RequestContext, batch: Batch, spec: NewSheet, replace: boolean, position: number | undefined): Promise<void> {
  const width = spec.header.length;
  const pad = (row: CellValue[]) => Array.from({ length: width }, (_, i) => (row[i] === undefined ? null : row[i]));
  // A table needs a data row; an empty one is what Excel itself shows for a new table.
  const rows = spec.rows.length > 0 ? spec.rows.map(pad) : [pad([])];
  const lastCol = columnLetter(width);
  const lastRow = rows.length + 1;
  let ws!: Excel.Worksheet;
  await batch.add(200, () => {
    if (replace) context.workbook.worksheets.getItem(spec.name).delete();
    ws = context.workbook.worksheets.add(spec.name);
    if (position !== undefined) ws.position = position;
  });
  const header = [spec.header.map((h) => valueForExcel(h, 'General'))];
  await batch.add(jsonSize(header), () => {
    ws.getRange(`A1:${lastCol}1`).values = header;
  });
  // Data rows in slices, so that a very long sheet still fits the request budget.
  const sliceRows = Math.max(1, Math.floor(20_000 / Math.max(1, width)));
  for (let start = 0; start < rows.length; start += sliceRows) {
    const slice = rows.slice(start, start + sliceRows);
    const top = start + 2;
    const bottom = top + slice.length - 1;
    const formats = slice.map(() => spec.columnFormats.map((f) => f ?? 'General').concat(Array(Math.max(0, width - spec.columnFormats.length)).fill('General')));
    const values = slice.map((row) => row.map((v, j) => valueForExcel(v, spec.columnFormats[j] ?? 'General')));
    await batch.add(jsonSize(values) + jsonSize(formats), () => {
      const range = ws.getRange(`A${top}:${lastCol}${bottom}`);
      range.numberFormat = formats;
      range.values = values;
    });
  }
  await batch.add(300, () => {
    const table = ws.tables.add(`A1:${lastCol}${lastRow}`, true);
    table.name = spec.tableName;
    table.style = 'TableStyleMedium2';
    table.showBandedRows = true;
    ws.getRange(`A1:${lastCol}1`).format.font.bold = true;
    spec.columnWidths.forEach((w, j) => {
      if (Number.isFinite(w) && w > 0) ws.getRange(`${columnLetter(j + 1)}:${columnLetter(j + 1)}`).format.columnWidth = columnWidthPoints(w);
    });
    ws.freezePanes.freezeRows(1);
  });
}
