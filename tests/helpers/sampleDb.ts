// Shared by tests/report-*.test.ts: a database file built from the bundled sample the way a user
// builds it (plan workbooks → replacePlan, submission workbooks → loadFile), and the geometry of what a
// worksheet shows.
import ExcelJS from 'exceljs';
import type { CellRange } from '../../core/grid';
import { replacePlan } from '../../pipeline/db/plan';
import { openStore } from '../../pipeline/db/store';
import { expandInputs, loadFile, type FileLoad } from '../../pipeline/loadFiles';
import { combinedPlan, readPlanFiles } from '../../pipeline/planFiles';
import { COMBINED_FILE, SUBMISSIONS_DIR } from './samples';


/**
 * Creates `dbPath` with the sample plan (附件1+2.xlsx) and the sample submissions that `include`
 * accepts (all by default), then `extraFiles` (loaded last, so they supersede), and closes it.
 */
export async function buildSampleDb(
  dbPath: string,
  options: { include?: (file: string) => boolean; extraFiles?: string[] } = {},
): Promise<FileLoad[]> {
  const read = await readPlanFiles([COMBINED_FILE]);
  const { plan } = combinedPlan(read);
  const store = await openStore(dbPath);
  try {
    await replacePlan(store, plan, [{ fileName: '附件1+2.xlsx', sha256: 'f'.repeat(64) }]);
    const files = [...expandInputs([SUBMISSIONS_DIR]).filter(options.include ?? (() => true)), ...(options.extraFiles ?? [])];
    const loads: FileLoad[] = [];
    for (const file of files) loads.push(await loadFile(store, plan, file));
    return loads;
  } finally {
    store.close();
  }
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
