// Reader of the responsibility list (附件1 責任清單): grid → ResponsibilitySheet. 序號 there numbers the
// categories (merged over each category's projects); projects are numbered by their order.
import { RESPONSIBILITY_COLUMNS, isNoteLabel, isTotalLabel, parseSerial, type ResponsibilityKey } from './columns';
import { findHeader, type HeaderFound } from './header';
import { GridView, type Grid } from './grid';
import { findTitle, yearOf } from './breakdown';
import { tidyText, toHalfWidth } from './text';
import { parseDateValue } from './dates';

export interface TextCell {
  row: number;
  col: number;
  text: string;
}

export interface ResponsibilityRow {
  row: number;
  /** 1-based order of the project in the sheet. */
  projectNo: number;
  categoryNo?: number;
  categoryName: string;
  categoryCell: TextCell;
  name: TextCell;
  leaders: TextCell;
  leadUnit: TextCell;
  leadUnitLeaders: TextCell;
  coordinatingUnits: TextCell;
  deadline: TextCell;
  planText: TextCell;
}

export interface ResponsibilitySheet {
  kind: 'responsibility';
  sheet: string;
  title?: string;
  year?: number;
  header: HeaderFound<ResponsibilityKey>;
  rows: ResponsibilityRow[];
  skipped: { row: number; reason: 'total' | 'note' }[];
}

/**
 * 預計完成時間 typed as an Excel date (a serial with a date format, in the workbook's date system) reads as
 * that day in ISO form, which parseDeadline takes; text and other numbers stay as written.
 */
function deadlineCell(view: GridView, at: TextCell): TextCell {
  if (at.col === 0) return at;
  const value = view.value(at.row, at.col);
  if (typeof value !== 'number') return at;
  const day = parseDateValue(value, view.format(at.row, at.col), undefined, view.date1904);
  return day ? { ...at, text: day } : at;
}

export function readResponsibility(grid: Grid): ResponsibilitySheet | undefined {
  const view = new GridView(grid);
  const header = findHeader(view, RESPONSIBILITY_COLUMNS, { minMatches: 4 });
  if (!header) return undefined;
  const colOf = (key: ResponsibilityKey) => header.cells.find((c) => c.key === key)?.col;
  const cell = (row: number, key: ResponsibilityKey, keepLines = false): TextCell => {
    const col = colOf(key);
    if (col === undefined) return { row, col: 0, text: '' };
    const at = view.master(row, col);
    const raw = view.text(row, col);
    return { ...at, text: keepLines ? raw.trim() : tidyText(toHalfWidth(raw)) };
  };
  const title = findTitle(view, header.row);
  const rows: ResponsibilityRow[] = [];
  const skipped: ResponsibilitySheet['skipped'] = [];
  const nameCol = colOf('name');
  for (let row = header.bottom + 1; row <= view.lastRow; row++) {
    if (view.isRowEmpty(row)) continue;
    const name = cell(row, 'name');
    const first = tidyText(view.text(row, view.firstCol));
    if (isTotalLabel(first) || isTotalLabel(name.text)) {
      skipped.push({ row, reason: 'total' });
      continue;
    }
    if (isNoteLabel(first)) {
      skipped.push({ row, reason: 'note' });
      continue;
    }
    // A project row writes its own name; a row whose name cell is a merged copy adds nothing new.
    if (!name.text || (nameCol !== undefined && view.isMergedCopy(row, nameCol))) continue;
    const category = cell(row, 'category');
    rows.push({
      row,
      projectNo: rows.length + 1,
      categoryNo: parseSerial(cell(row, 'serial').text),
      categoryName: category.text,
      categoryCell: category,
      name,
      leaders: cell(row, 'leaders', true),
      leadUnit: cell(row, 'leadUnit'),
      leadUnitLeaders: cell(row, 'leadUnitLeaders', true),
      coordinatingUnits: cell(row, 'coordinatingUnits'),
      deadline: deadlineCell(view, cell(row, 'deadline')),
      planText: cell(row, 'planText', true),
    });
  }
  return { kind: 'responsibility', sheet: grid.sheet, title, year: yearOf(title), header, rows, skipped };
}
