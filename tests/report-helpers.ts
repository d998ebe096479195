// Shared by tests/report-*.test.ts: a database file built from the bundled sample the way a user
// builds it (plan workbooks → replacePlan, submission workbooks → loadFile), PNG sizes, and the
// geometry of what a worksheet shows.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import type { CellRange } from '../core/grid';
import { replacePlan } from '../pipeline/db/plan';
import { openStore } from '../pipeline/db/store';
import { expandInputs, loadFile, type FileLoad } from '../pipeline/loadFiles';
import { combinedPlan, readPlanFiles } from '../pipeline/planFiles';

export const SAMPLE = path.resolve(__dirname, '../samples/2024-hangzhou');
export const SUBMISSIONS = path.join(SAMPLE, 'submissions');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Creates `dbPath` with the sample plan (附件1+2.xlsx) and the sample submissions that `include`
 * accepts (all by default), then `extraFiles` (loaded last, so they supersede), and closes it.
 */
export async function buildSampleDb(
  dbPath: string,
  options: { include?: (file: string) => boolean; extraFiles?: string[] } = {},
): Promise<FileLoad[]> {
  const read = await readPlanFiles([path.join(SAMPLE, '附件1+2.xlsx')]);
  const { plan } = combinedPlan(read);
  const store = await openStore(dbPath);
  try {
    await replacePlan(store, plan, [{ fileName: '附件1+2.xlsx', sha256: 'f'.repeat(64) }]);
    const files = [...expandInputs([SUBMISSIONS]).filter(options.include ?? (() => true)), ...(options.extraFiles ?? [])];
    const loads: FileLoad[] = [];
    for (const file of files) loads.push(await loadFile(store, plan, file));
    return loads;
  } finally {
    store.close();
  }
}

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG');
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

export interface SheetImage {
  png: Buffer;
  /** The cells the picture covers on the sheet (from its anchor and its size in px). */
  cells: CellRange;
}

/** Column widths and row heights in px as Excel draws them at 100 % (11 pt default font). */
function columnPx(ws: ExcelJS.Worksheet, col: number): number {
  return Math.trunc((ws.getColumn(col).width ?? 9.140625) * 7 + 5);
}
function rowPx(ws: ExcelJS.Worksheet, row: number): number {
  return Math.round(((ws.getRow(row).height ?? 15) * 96) / 72);
}

export function sheetImages(wb: ExcelJS.Workbook, ws: ExcelJS.Worksheet): SheetImage[] {
  return ws.getImages().map((image) => {
    const range = image.range as unknown as { tl: { nativeCol: number; nativeRow: number }; ext?: { width: number; height: number } };
    if (!range.ext) throw new Error('picture without a size (expected a one-cell anchor)');
    const top = range.tl.nativeRow + 1;
    const left = range.tl.nativeCol + 1;
    let bottom = top;
    for (let y = rowPx(ws, top); y < range.ext.height; y += rowPx(ws, bottom)) bottom++;
    let right = left;
    for (let x = columnPx(ws, left); x < range.ext.width; x += columnPx(ws, right)) right++;
    const media = wb.getImage(Number(image.imageId));
    return { png: Buffer.from(media.buffer as unknown as Uint8Array), cells: { top, left, bottom, right } };
  });
}

export function overlaps(a: CellRange, b: CellRange): boolean {
  return a.left <= b.right && b.left <= a.right && a.top <= b.bottom && b.top <= a.bottom;
}

/** A table's range as written in the file ("A4:N215"). */
export function tableRange(ws: ExcelJS.Worksheet, name: string): CellRange {
  const table = ws.getTable(name) as unknown as { table?: { tableRef?: string; ref?: string } } | undefined;
  const ref = table?.table?.tableRef;
  if (!ref) throw new Error(`no table ${name} on ${ws.name}`);
  const [from, to] = ref.split(':');
  const start = ws.getCell(from);
  const end = ws.getCell(to);
  return { top: Number(start.row), left: Number(start.col), bottom: Number(end.row), right: Number(end.col) };
}

/** Every table on a sheet: name → range. */
export function sheetTables(ws: ExcelJS.Worksheet): Map<string, CellRange> {
  const names = (ws.getTables() as unknown as { table?: { name: string } }[]).map((t) => t.table?.name).filter((n): n is string => !!n);
  return new Map(names.map((n) => [n, tableRange(ws, n)]));
}
