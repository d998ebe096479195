// Normalisation of the plan attachments as an edit plan (design §5): canonical labels and district
// names, quantities as numbers with their unit in the number format, "--" as empty, half-width forms,
// and the tidy sheet 規範數據. Applying the plan to a normalised workbook changes nothing.
import type { BreakdownSheet, QuantityCell } from './breakdown';
import { BREAKDOWN_COLUMNS, RESPONSIBILITY_COLUMNS, type ColumnSpec } from './columns';
import type { Change, CellWrite, EditPlan, NewSheet, SheetEdit } from './editPlan';
import { a1, GridView, type CellValue, type Grid } from './grid';
import type { Plan } from './model';
import { formatQuantityCell } from './quantity';
import type { ResponsibilitySheet, TextCell } from './responsibility';
import { splitPersonNames, tidyText, toHalfWidth } from './text';
import { TIDY_HEADER, TIDY_SHEET, tidyRows } from './tidy';

export interface NormaliseInput {
  grids: Grid[];
  breakdown?: BreakdownSheet;
  responsibility?: ResponsibilitySheet;
  plan: Plan;
}

const BACKUP_SUFFIX = '(原始)';

/** Backups are named "<sheet>(原始)", "<sheet>(原始2)", ... and are never read as data. */
export function isBackupSheet(name: string): boolean {
  return /\(原始\d*\)$/.test(name);
}

export function backupName(sheet: string, existing: readonly string[]): string {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? BACKUP_SUFFIX : `(原始${n})`;
    const name = `${sheet.slice(0, 31 - suffix.length)}${suffix}`;
    if (!existing.includes(name)) return name;
  }
}

export function normalisePlan(input: NormaliseInput): EditPlan {
  const existing = input.grids.map((g) => g.sheet);
  const edits: SheetEdit[] = [];
  const gridOf = (sheet: string) => input.grids.find((g) => g.sheet === sheet);
  if (input.breakdown) {
    const grid = gridOf(input.breakdown.sheet);
    if (grid) edits.push(sheetEdit(input.breakdown.sheet, breakdownWrites(input.breakdown, new GridView(grid)), existing));
  }
  if (input.responsibility) {
    const grid = gridOf(input.responsibility.sheet);
    if (grid) edits.push(sheetEdit(input.responsibility.sheet, responsibilityWrites(input.responsibility, new GridView(grid)), existing));
  }
  const newSheets: NewSheet[] = [];
  if (input.plan.metrics.length > 0) {
    const tidy = tidySheet(input.plan);
    const current = gridOf(TIDY_SHEET);
    if (!current || !sameContent(current, tidy)) newSheets.push(tidy);
  }
  const position = (sheet: string) => existing.indexOf(sheet);
  return { edits: edits.filter((e) => e.writes.length > 0).sort((a, b) => position(a.sheet) - position(b.sheet)), newSheets };
}

interface PlannedWrite extends CellWrite {
  before: CellValue;
  reason: string;
}

function sheetEdit(sheet: string, writes: PlannedWrite[], existing: readonly string[]): SheetEdit {
  const changes: Change[] = writes.map((w) => ({ cell: a1(w.row, w.col), before: w.before, after: w.value, reason: w.reason }));
  return {
    sheet,
    backupAs: writes.length > 0 ? backupName(sheet, existing) : undefined,
    unmerge: [],
    writes: writes.map(({ row, col, value, numberFormat }) => (numberFormat ? { row, col, value, numberFormat } : { row, col, value })),
    changes,
  };
}

function headerWrites<K extends string>(view: GridView, cells: { key: K; row: number; col: number; text: string }[], specs: readonly ColumnSpec<K>[]): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  for (const cell of cells) {
    const label = specs.find((s) => s.key === cell.key)?.label;
    if (label && view.raw(cell.row, cell.col) !== label) {
      writes.push({ row: cell.row, col: cell.col, value: label, before: view.raw(cell.row, cell.col), reason: '表頭改為標準名稱' });
    }
  }
  return writes;
}

function breakdownWrites(sheet: BreakdownSheet, view: GridView): PlannedWrite[] {
  const writes = headerWrites(view, sheet.header.cells, BREAKDOWN_COLUMNS);
  for (const column of sheet.districtColumns) {
    if (column.district && view.raw(column.headerRow, column.col) !== column.district) {
      writes.push({ row: column.headerRow, col: column.col, value: column.district, before: view.raw(column.headerRow, column.col), reason: '區縣改為標準名稱' });
    }
  }
  const serialCol = sheet.header.cells.find((c) => c.key === 'serial')?.col;
  const seen = new Set<string>();
  const once = (w: PlannedWrite | undefined) => {
    if (!w || seen.has(`${w.row}:${w.col}`)) return;
    seen.add(`${w.row}:${w.col}`);
    writes.push(w);
  };
  for (const row of sheet.rows) {
    if (serialCol !== undefined && row.projectNo !== undefined && !view.isMergedCopy(row.row, serialCol)) {
      const raw = view.raw(row.row, serialCol);
      if (raw !== row.projectNo) once({ row: row.row, col: serialCol, value: row.projectNo, before: raw, reason: '序號改為數字' });
    }
    once(textWrite(view, row.nameCell.row, row.nameCell.col, tidyText));
    if (row.leadUnit) once(textWrite(view, row.leadUnit.row, row.leadUnit.col, tidyText));
    for (const cell of [row.target, ...row.cells]) once(quantityWrite(cell));
  }
  return writes;
}

function responsibilityWrites(sheet: ResponsibilitySheet, view: GridView): PlannedWrite[] {
  const writes = headerWrites(view, sheet.header.cells, RESPONSIBILITY_COLUMNS);
  const seen = new Set<string>();
  const add = (cell: TextCell, fix: (s: string) => string) => {
    if (cell.col === 0 || seen.has(`${cell.row}:${cell.col}`)) return;
    seen.add(`${cell.row}:${cell.col}`);
    const w = textWrite(view, cell.row, cell.col, fix);
    if (w) writes.push(w);
  };
  const names = (s: string) => splitPersonNames(s).join('、');
  for (const row of sheet.rows) {
    add(row.categoryCell, tidyText);
    add(row.name, tidyText);
    add(row.leaders, names);
    add(row.leadUnit, tidyText);
    add(row.leadUnitLeaders, names);
    add(row.coordinatingUnits, tidyText);
    add(row.deadline, tidyText);
  }
  return writes;
}

/** A text cell in half-width forms, tidied by `fix`; undefined when it already reads so. */
function textWrite(view: GridView, row: number, col: number, fix: (s: string) => string): PlannedWrite | undefined {
  const raw = view.raw(row, col);
  if (typeof raw !== 'string') return undefined;
  const value = fix(toHalfWidth(raw));
  return value === raw ? undefined : { row, col, value, before: raw, reason: '全角轉半角、去除多餘空格和換行' };
}

function quantityWrite(cell: QuantityCell): PlannedWrite | undefined {
  if (!cell.quantity || cell.col === 0) return undefined;
  // A number is already what normalisation makes; its own format (#,##0"個" …) is the clerk's choice.
  if (typeof cell.value === 'number') return undefined;
  const { value, numberFormat } = formatQuantityCell(cell.quantity);
  const sameFormat = numberFormat === undefined || numberFormat === cell.format;
  if (value === cell.value && sameFormat) return undefined;
  if (value === null && (cell.value === null || cell.value === '')) return undefined;
  const reason = value === null ? '「--」表示無任務，改為空白' : typeof value === 'number' ? '數量改為數值，單位保留在數字格式中' : '數量寫法規範化';
  return { row: cell.row, col: cell.col, value, numberFormat, before: cell.value, reason };
}

function tidySheet(plan: Plan): NewSheet {
  return {
    name: TIDY_SHEET,
    header: [...TIDY_HEADER],
    rows: tidyRows(plan),
    columnFormats: [null, '0', null, null, null, 'General', 'General', null, null],
    tableName: 'Normalised_Targets',
    columnWidths: [10, 6, 48, 30, 18, 12, 8, 10, 10],
  };
}

function sameContent(grid: Grid, sheet: NewSheet): boolean {
  const rows = [sheet.header as CellValue[], ...sheet.rows];
  if (grid.values.length !== rows.length) return false;
  return rows.every((r, i) => r.every((v, j) => (grid.values[i]?.[j] ?? null) === v));
}
