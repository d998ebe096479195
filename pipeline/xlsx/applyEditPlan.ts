// The ExcelJS adapter's write half (docs/design.md, "The edit plan and the two adapters"): applies core's
// edit plan to a loaded workbook, and writes the result to a new file. The whole plan is checked before
// anything changes, so a bad plan leaves the workbook untouched; output must open in Excel without a
// repair prompt.
import { randomBytes } from 'crypto';
import { open, rename, unlink } from 'fs/promises';
import * as path from 'path';
import ExcelJS from 'exceljs';
import { a1, type CellValue, type Grid } from '../../core/grid';
import { forEachWrite, type EditPlan, type NewSheet, type SheetEdit } from '../../core/editPlan';
import { checkEditPlan, EditPlanError, tableHeaders } from './editPlanCheck';
import { isDate, mergesOf, worksheetToGrid } from './readWorkbook';
import { checkOutputFile, type OutputGuard } from '../output/outputGuard';
import { msg } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';

export { EditPlanError, sheetNameProblem, tableHeaders, tableNameProblem } from './editPlanCheck';

/** The output could not be written (a catalogue message, shown in the reader's language). */
export class WorkbookWriteError extends MessageError {
  override readonly name = 'WorkbookWriteError';
}

function findSheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet | undefined {
  // Excel compares sheet names without regard to case.
  const key = name.toLowerCase();
  return wb.worksheets.find((ws) => ws.name.toLowerCase() === key);
}

// ---------------------------------------------------------------------------------------------
// Checking the whole plan first

function checkPlan(wb: ExcelJS.Workbook, plan: EditPlan): void {
  const tableNames = new Map<string, string>();
  for (const ws of wb.worksheets) {
    for (const t of ws.getTables() as unknown as { name?: string; table?: { name: string } }[]) {
      const name = t.table?.name ?? t.name;
      if (name) tableNames.set(name.toLowerCase(), ws.name);
    }
  }
  const definedNames = new Set(((wb.definedNames as unknown as { model?: { name: string }[] }).model ?? []).map((d) => d.name.toLowerCase()));
  checkEditPlan(
    {
      sheetNames: wb.worksheets.map((ws) => ws.name),
      mergesOf: (sheet) => {
        const ws = findSheet(wb, sheet);
        return ws ? mergesOf(ws) : [];
      },
      tableNames,
      definedNames,
    },
    plan,
  );
}

// ---------------------------------------------------------------------------------------------
// Backup copy of a sheet (ExcelJS has no copy)

/**
 * Deep copy that keeps Dates as Dates of this realm (structuredClone hands back Dates that fail
 * `instanceof Date` under a VM sandbox such as jest, and ExcelJS types values with instanceof).
 */
function deepCopy<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (isDate(v)) return new Date(v.getTime()) as T;
  if (Array.isArray(v)) return v.map(deepCopy) as T;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = deepCopy(x);
  return out as T;
}

function copyCellValue(cell: ExcelJS.Cell): ExcelJS.CellValue {
  if (cell.type === ExcelJS.ValueType.Formula) {
    const v = cell.value as ExcelJS.CellFormulaValue & { shareType?: string; ref?: string };
    // Shared formulas are written out one by one: the copy must not depend on the original's master cell.
    if (v.shareType === 'array') return deepCopy(v);
    return { formula: cell.formula, result: deepCopy(v.result) } as ExcelJS.CellFormulaValue;
  }
  return deepCopy(cell.value);
}

/** Worksheet fields ExcelJS has at run time but does not declare. */
type WorksheetInternals = ExcelJS.Worksheet & { orderNo: number; conditionalFormattings: ExcelJS.ConditionalFormattingOptions[] };

type RowInternals = ExcelJS.Row & { findCell(col: number): ExcelJS.Cell | undefined; style: Partial<ExcelJS.Style> };

function copyWorksheet(wb: ExcelJS.Workbook, source: ExcelJS.Worksheet, name: string): ExcelJS.Worksheet {
  const target = wb.addWorksheet(name, {
    properties: deepCopy(source.properties),
    // Print area and titles are relative to the sheet; ExcelJS writes them as names scoped to the copy.
    pageSetup: deepCopy(source.pageSetup),
    headerFooter: deepCopy(source.headerFooter),
    // A second selected tab would put Excel in group-edit mode.
    views: (source.views ?? []).map((v) => ({ ...deepCopy(v), tabSelected: false })) as Partial<ExcelJS.WorksheetView>[],
    state: source.state,
  });
  (source.columns ?? []).forEach((col, i) => {
    const t = target.getColumn(i + 1);
    if (col.width !== undefined) t.width = col.width;
    if (col.hidden) t.hidden = true;
    if (col.outlineLevel) t.outlineLevel = col.outlineLevel;
    if (col.style && Object.keys(col.style).length > 0) (t as { style: Partial<ExcelJS.Style> }).style = deepCopy(col.style);
  });
  for (let r = 1; r <= source.rowCount; r++) {
    const row = source.findRow(r) as RowInternals | undefined;
    if (!row) continue;
    const t = target.getRow(r) as RowInternals;
    if (row.height !== undefined) t.height = row.height;
    if (row.hidden) t.hidden = true;
    if (row.outlineLevel) t.outlineLevel = row.outlineLevel;
    if (row.style && Object.keys(row.style).length > 0) t.style = deepCopy(row.style);
    for (let c = 1; c <= row.cellCount; c++) {
      const cell = row.findCell(c);
      if (!cell) continue;
      const tc = t.getCell(c);
      // Merged-area placeholders keep their own style (borders live there); the merge is redone below.
      if (cell.type !== ExcelJS.ValueType.Merge) tc.value = copyCellValue(cell);
      tc.style = deepCopy(cell.style ?? {});
      if (cell.note !== undefined) tc.note = deepCopy(cell.note);
    }
  }
  for (const m of mergesOf(source)) target.mergeCellsWithoutStyle(m.top, m.left, m.bottom, m.right);
  const validations = (source as unknown as { dataValidations: { model: Record<string, unknown> } }).dataValidations;
  (target as unknown as { dataValidations: { model: Record<string, unknown> } }).dataValidations.model = deepCopy(validations.model);
  (target as WorksheetInternals).conditionalFormattings = deepCopy((source as WorksheetInternals).conditionalFormattings ?? []);
  if (source.autoFilter) target.autoFilter = deepCopy(source.autoFilter);
  return target;
}

/** What a person would compare: the grid (values, formulas, formats, merges), sizes and notes. */
function sheetSnapshot(ws: ExcelJS.Worksheet): string {
  const grid: Grid = worksheetToGrid(ws);
  const widths = (ws.columns ?? []).map((c) => c.width ?? null);
  const heights: (number | null)[] = [];
  const notes: Record<string, unknown> = {};
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.findRow(r) as RowInternals | undefined;
    heights.push(row?.height ?? null);
    for (let c = 1; c <= (row?.cellCount ?? 0); c++) {
      const cell = row?.findCell(c);
      if (cell?.note !== undefined) notes[a1(r, c)] = cell.note;
    }
  }
  const { sheet: _name, ...content } = grid;
  return JSON.stringify({ content, widths, heights, notes });
}

function backUp(wb: ExcelJS.Workbook, source: ExcelJS.Worksheet, name: string): void {
  const copy = copyWorksheet(wb, source, name);
  if (sheetSnapshot(copy) !== sheetSnapshot(source)) {
    wb.removeWorksheet(copy.id);
    throw new EditPlanError(msg('edit.backup-mismatch', { sheet: source.name }));
  }
}

// ---------------------------------------------------------------------------------------------
// Applying

function writeCell(ws: ExcelJS.Worksheet, row: number, col: number, value: CellValue, numberFormat: string | undefined): void {
  const cell = ws.getCell(row, col);
  // Strings are always written as text, never as formulas (CellValue carries no formulas).
  cell.value = value;
  if (numberFormat !== undefined) {
    // ExcelJS shares one style object between cells loaded with the same style: replace, never mutate.
    cell.style = { ...cell.style, numFmt: numberFormat };
  }
}

function applySheetEdit(wb: ExcelJS.Workbook, edit: SheetEdit): void {
  const ws = findSheet(wb, edit.sheet)!;
  if (edit.backupAs !== undefined && !findSheet(wb, edit.backupAs)) backUp(wb, ws, edit.backupAs);
  for (const u of edit.unmerge) ws.unMergeCells(u.top, u.left, u.bottom, u.right);
  for (const block of edit.blocks) forEachWrite(block, (row, col, value, numberFormat) => writeCell(ws, row, col, value, numberFormat));
}

function addNewSheet(wb: ExcelJS.Workbook, spec: NewSheet): void {
  const existing = findSheet(wb, spec.name);
  const orderNo = (existing as WorksheetInternals | undefined)?.orderNo;
  if (existing) wb.removeWorksheet(existing.id);
  const ws = wb.addWorksheet(spec.name, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
  });
  if (orderNo !== undefined) (ws as WorksheetInternals).orderNo = orderNo; // keep the replaced sheet's tab position
  const width = spec.header.length;
  const pad = (row: CellValue[]) => Array.from({ length: width }, (_, i) => (row[i] === undefined ? null : row[i]));
  // A table needs at least one data row; a header-only ref makes Excel repair the file.
  const rows = spec.rows.length > 0 ? spec.rows.map(pad) : [pad([])];
  ws.addTable({
    name: spec.tableName,
    displayName: spec.tableName,
    ref: 'A1',
    headerRow: true,
    totalsRow: false,
    style: { theme: 'TableStyleMedium2', showRowStripes: true },
    columns: tableHeaders(spec.header).map((name) => ({ name, filterButton: true })),
    rows,
  } as ExcelJS.TableProperties);
  ws.getRow(1).eachCell((cell) => {
    cell.style = { ...cell.style, font: { ...(cell.style.font ?? {}), bold: true } };
  });
  spec.columnFormats.forEach((fmt, j) => {
    if (!fmt) return;
    for (let r = 0; r < rows.length; r++) {
      const cell = ws.getCell(r + 2, j + 1);
      cell.style = { ...cell.style, numFmt: fmt };
    }
  });
  spec.columnWidths.forEach((w, j) => {
    if (Number.isFinite(w) && w > 0) ws.getColumn(j + 1).width = w;
  });
}

/** Applies the plan to the workbook in memory. Throws EditPlanError (and changes nothing) if the plan cannot be applied. */
export function applyEditPlan(wb: ExcelJS.Workbook, plan: EditPlan): void {
  checkPlan(wb, plan);
  for (const edit of plan.edits) applySheetEdit(wb, edit);
  for (const sheet of plan.newSheets) addNewSheet(wb, sheet);
}

// ---------------------------------------------------------------------------------------------
// Writing a copy

/**
 * Writes the workbook to outPath, never where the output guard forbids (the file it was read from, the
 * database: pipeline/output/outputGuard.ts; a bare path is the input, and an existing output is replaced),
 * and atomically: the bytes go to a temporary file next to outPath, which is then renamed over it, so a
 * crash leaves no half-written workbook.
 */
export async function writeWorkbookCopy(wb: ExcelJS.Workbook, outPath: string, guard: string | OutputGuard, finish: (bytes: Buffer) => Buffer = (b) => b): Promise<void> {
  checkOutputFile(outPath, typeof guard === 'string' ? { inputs: [guard], force: true } : guard);
  await writeFileAtomically(finish(Buffer.from(await wb.xlsx.writeBuffer())), outPath);
}

/** writeWorkbookCopy for a workbook already made into bytes (patchWorkbook.ts). */
export async function writeBytesCopy(bytes: Buffer, outPath: string, guard: string | OutputGuard): Promise<void> {
  checkOutputFile(outPath, typeof guard === 'string' ? { inputs: [guard], force: true } : guard);
  await writeFileAtomically(bytes, outPath);
}

async function writeFileAtomically(bytes: Buffer, outPath: string): Promise<void> {
  const target = path.resolve(outPath);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new WorkbookWriteError(msg('edit.cannot-write', { file: path.basename(target), code: code ? msg('edit.error-code', { code }) : '' }), { cause: e });
  }
}
