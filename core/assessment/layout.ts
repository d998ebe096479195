// The assessment workbooks (the rules workbook, the input templates) as pure layout: sheets of a title,
// a few lines under it, then one table with dropdowns on its closed-vocabulary columns. One writer
// (pipeline/assessment/writeWorkbook.ts) draws them with ExcelJS; the readers (rulesWorkbook.ts,
// inputs.ts) find the tables again by their labels, so a sheet rearranged in Excel still reads.
import type { CellValue } from '../grid';

export type LayoutCellValue = CellValue | { value: CellValue; format: string };

export interface LayoutSheet {
  name: string;
  title: string;
  /** Labelled values under the title, a label and its value in two cells ("考核年度" | 2024). */
  fields?: { label: string; value: CellValue }[];
  /** Lines under the title; a warning line is drawn bold and red. */
  lines: { text: string; tone?: 'warning' | 'hint' }[];
  header?: string[];
  rows?: LayoutCellValue[][];
  /** Column widths in Excel character units. */
  widths: number[];
  /** A dropdown of allowed words on a column's data cells (1-based column). */
  lists?: { col: number; values: string[] }[];
  /** Columns people are expected to type in, shaded (1-based). */
  inputCols?: number[];
}

export interface LayoutWorkbook {
  sheets: LayoutSheet[];
}

/** Row of a sheet's first field; the lines follow the fields. */
export const FIELDS_ROW = 2;

/** Row of a sheet's table header: the title, its fields, its lines, one blank row, then the header. */
export function headerRowOf(sheet: LayoutSheet): number {
  return FIELDS_ROW + (sheet.fields?.length ?? 0) + sheet.lines.length + 1;
}

export const PERCENT = '0%';
export const PERCENT_1 = '0.0%';

export function percentCell(value: number | undefined): LayoutCellValue {
  return value === undefined ? null : { value, format: Number.isInteger(value * 100) ? PERCENT : PERCENT_1 };
}
