// Normalisation of the plan attachments as an edit plan (docs/design.md, "The edit plan and the two
// adapters"): canonical labels and district names, quantities as numbers with their unit in the number
// format, "--" as empty, half-width forms, and the tidy sheet 規範數據. Applying the plan to a normalised
// workbook changes nothing.
import type { BreakdownSheet, QuantityCell } from './breakdown';
import { BREAKDOWN_COLUMNS, RESPONSIBILITY_COLUMNS, type ColumnSpec } from './columns';
import { SheetWrites, type EditPlan, type NewSheet, type SheetEdit } from './editPlan';
import { GridView, type CellValue, type Grid } from './grid';
import { isMessageId, render, type PlainMessageId } from './messages';
import { intoScriptOf, planText, type Lang } from './messages/lang';
import type { Plan } from './model';
import { formatQuantityCell } from './quantity';
import type { ResponsibilitySheet, TextCell } from './responsibility';
import { matchKey, splitPersonNames, tidyText, toHalfWidth } from './text';
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

/**
 * The words normalisation writes itself (canonical headers and district names, the tidy sheet's name and
 * header) in the plan's own script: a simplified plan keeps simplified headers and 临平区 (docs/design.md,
 * "Messages and languages").
 */
type OwnWords = (text: string) => string;

function ownWordsOf(plan: Plan): OwnWords {
  return intoScriptOf(planText(plan));
}

export function normalisePlan(input: NormaliseInput): EditPlan {
  const existing = input.grids.map((g) => g.sheet);
  const edits: SheetEdit[] = [];
  const own = ownWordsOf(input.plan);
  const gridOf = (sheet: string) => input.grids.find((g) => g.sheet === sheet);
  if (input.breakdown) {
    const grid = gridOf(input.breakdown.sheet);
    if (grid) edits.push(breakdownWrites(input.breakdown, grid, own).edit(input.breakdown.sheet, backupName(input.breakdown.sheet, existing)));
  }
  if (input.responsibility) {
    const grid = gridOf(input.responsibility.sheet);
    if (grid) edits.push(responsibilityWrites(input.responsibility, grid, own).edit(input.responsibility.sheet, backupName(input.responsibility.sheet, existing)));
  }
  const newSheets: NewSheet[] = [];
  if (input.plan.metrics.length > 0) {
    // A tidy sheet already there, in either script, is the one to compare with and replace.
    const current = input.grids.find((g) => matchKey(g.sheet) === matchKey(TIDY_SHEET));
    const tidy = tidySheet(input.plan, current?.sheet ?? own(TIDY_SHEET), own);
    if (!current || !sameContent(current, tidy)) newSheets.push(tidy);
  }
  const position = (sheet: string) => existing.indexOf(sheet);
  return { edits: edits.filter((e) => e.changeCount > 0).sort((a, b) => position(a.sheet) - position(b.sheet)), newSheets };
}

/** Why a cell changed: a catalogue id, kept in the edit plan and rendered in the reader's language (changeReasonText). */
const REASON = {
  header: 'normalise.reason.header',
  district: 'normalise.reason.district',
  serial: 'normalise.reason.serial',
  text: 'normalise.reason.text',
  none: 'normalise.reason.none',
  number: 'normalise.reason.number',
  quantity: 'normalise.reason.quantity',
} as const satisfies Record<string, PlainMessageId>;

/** A change's reason in the reader's language; a reason that is no catalogue id (an older plan's text) as it is. */
export function changeReasonText(reason: string, lang: Lang): string {
  return isMessageId(reason) ? render(lang, { id: reason }) : reason;
}

function headerWrites<K extends string>(writes: SheetWrites, view: GridView, cells: { key: K; row: number; col: number; text: string }[], specs: readonly ColumnSpec<K>[], own: OwnWords): void {
  for (const cell of cells) {
    const canonical = specs.find((s) => s.key === cell.key)?.label;
    const label = canonical === undefined ? undefined : own(canonical);
    if (label && view.raw(cell.row, cell.col) !== label) writes.set(cell.row, cell.col, label, undefined, REASON.header);
  }
}

function breakdownWrites(sheet: BreakdownSheet, grid: Grid, own: OwnWords): SheetWrites {
  const view = new GridView(grid);
  const writes = new SheetWrites(grid);
  headerWrites(writes, view, sheet.header.cells, BREAKDOWN_COLUMNS, own);
  for (const column of sheet.districtColumns) {
    const name = column.district && own(column.district);
    if (name && view.raw(column.headerRow, column.col) !== name) writes.set(column.headerRow, column.col, name, undefined, REASON.district);
  }
  const serialCol = sheet.header.cells.find((c) => c.key === 'serial')?.col;
  for (const row of sheet.rows) {
    // A 序號 written as text becomes its number; an empty one (a project's later row, not merged) stays
    // empty: filled in, it would start a project of its own when the copy is read again.
    const serial = serialCol === undefined ? null : view.raw(row.row, serialCol);
    const written = serial !== null && !(typeof serial === 'string' && serial.trim() === '');
    if (serialCol !== undefined && row.projectNo !== undefined && written && !view.isMergedCopy(row.row, serialCol)) {
      if (serial !== row.projectNo) writes.set(row.row, serialCol, row.projectNo, undefined, REASON.serial);
    }
    textWrite(writes, view, row.nameCell.row, row.nameCell.col, tidyText);
    if (row.leadUnit) textWrite(writes, view, row.leadUnit.row, row.leadUnit.col, tidyText);
    quantityWrite(writes, row.target);
    for (const cell of row.cells) quantityWrite(writes, cell);
  }
  return writes;
}

function responsibilityWrites(sheet: ResponsibilitySheet, grid: Grid, own: OwnWords): SheetWrites {
  const view = new GridView(grid);
  const writes = new SheetWrites(grid);
  headerWrites(writes, view, sheet.header.cells, RESPONSIBILITY_COLUMNS, own);
  const names = (s: string) => splitPersonNames(s).join('、');
  const add = (cell: TextCell, fix: (s: string) => string) => {
    if (cell.col !== 0) textWrite(writes, view, cell.row, cell.col, fix);
  };
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

/** A text cell in half-width forms, tidied by `fix`, unless it already reads so (or is planned already). */
function textWrite(writes: SheetWrites, view: GridView, row: number, col: number, fix: (s: string) => string): void {
  const raw = view.raw(row, col);
  if (typeof raw !== 'string' || writes.has(row, col)) return;
  const value = fix(toHalfWidth(raw));
  if (value !== raw) writes.set(row, col, value, undefined, REASON.text);
}

function quantityWrite(writes: SheetWrites, cell: QuantityCell): void {
  if (!cell.quantity || cell.col === 0) return;
  // A number is already what normalisation makes; its own format (#,##0"個" …) is the clerk's choice.
  if (typeof cell.value === 'number') return;
  const { value, numberFormat } = formatQuantityCell(cell.quantity);
  const sameFormat = numberFormat === undefined || numberFormat === cell.format;
  if (value === cell.value && sameFormat) return;
  if (value === null && (cell.value === null || cell.value === '')) return;
  const reason = value === null ? REASON.none : typeof value === 'number' ? REASON.number : REASON.quantity;
  writes.set(cell.row, cell.col, value, numberFormat, reason);
}

function tidySheet(plan: Plan, name: string, own: OwnWords): NewSheet {
  return {
    name,
    header: TIDY_HEADER.map(own),
    rows: tidyRows(plan, own),
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
