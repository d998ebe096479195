// Normalisation's output: an edit plan (design §5). Adapters apply it; core never touches a workbook.
import type { CellRange, CellValue } from './grid';

export interface CellWrite {
  row: number;
  col: number;
  value: CellValue;
  /** Number format to set with the value, e.g. 0"個" so a numeric cell still reads "10個". */
  numberFormat?: string;
}

/** One change, for telling the user what normalisation did. */
export interface Change {
  cell: string;
  before: CellValue;
  after: CellValue;
  reason: string;
}

export interface SheetEdit {
  sheet: string;
  /** Copy the sheet to this name before any write, so nothing the user typed is lost. */
  backupAs?: string;
  unmerge: CellRange[];
  writes: CellWrite[];
  changes: Change[];
}

/** A sheet to create (or replace, if a sheet of that name was created by us before). */
export interface NewSheet {
  name: string;
  header: string[];
  rows: CellValue[][];
  /** Number format per column (same length as header), null for General. */
  columnFormats: (string | null)[];
  /** Excel table name, so the sheet gets filters and banding. */
  tableName: string;
  columnWidths: number[];
}

export interface EditPlan {
  edits: SheetEdit[];
  newSheets: NewSheet[];
}

export function isEmptyPlan(plan: EditPlan): boolean {
  return plan.edits.every((e) => e.writes.length === 0 && e.unmerge.length === 0) && plan.newSheets.length === 0;
}
