// Node side of the fake Excel host: a sample .xlsx loaded into a fake workbook (through the pipeline's
// reader, so the fake holds what Office.js would report), and a fake workbook written back to .xlsx
// bytes for getFileAsync (ExcelJS), so 提交 sends a real file.
import ExcelJS from 'exceljs';
import type { Grid } from '../../../core/grid';
import { readWorkbook } from '../../../pipeline/xlsx/readWorkbook';
import { serializeWorkbook, workbookFromGrids, type FakeWorkbook, type SerializedSheet } from './host';

export async function gridsOfFile(path: string): Promise<Grid[]> {
  return (await readWorkbook(path)).sheets;
}

export async function fakeWorkbookFromFile(path: string): Promise<FakeWorkbook> {
  return workbookFromGrids(await gridsOfFile(path));
}

export async function xlsxFromSheets(sheets: readonly SerializedSheet[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'minsheng fake host';
  wb.created = wb.modified = new Date('2024-01-01T00:00:00Z');
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    for (const m of s.merges) ws.mergeCells(m.top, m.left, m.bottom, m.right);
    for (const [row, col, value, formula, format] of s.cells) {
      const cell = ws.getCell(row, col);
      if (formula) cell.value = { formula: formula.replace(/^=/, ''), result: value ?? '' } as ExcelJS.CellFormulaValue;
      else if (value !== null) cell.value = value;
      if (format !== 'General') cell.numFmt = format;
    }
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export function fakeWorkbookToXlsx(wb: FakeWorkbook): Promise<Uint8Array> {
  return xlsxFromSheets(serializeWorkbook(wb));
}
