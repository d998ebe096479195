// Draws an assessment workbook layout (core/assessment/layout.ts: the rules workbook, an input
// template) with ExcelJS: a title, its lines, a bordered table with a coloured header, shaded input
// columns and dropdowns of the allowed words; the header row frozen. Never over an existing input file.
import ExcelJS from 'exceljs';
import { FIELDS_ROW, headerRowOf, type LayoutCellValue, type LayoutSheet, type LayoutWorkbook } from '../../core/assessment/layout';
import { columnLetter } from '../../core/grid';
import { font, solidFill, writeCell } from '../report/sheetKit';
import { stampZipEntries } from '../template';
import { writeWorkbookCopy } from '../xlsx/applyEditPlan';

const HEADER_FILL = 'FFD9E1F2';
const INPUT_FILL = 'FFFFF2CC';
const WARNING_COLOUR = 'FFC00000';
const HINT_COLOUR = 'FF595959';
const THIN: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
/** Rows below the data that keep the dropdowns and shading, so rows can be added by typing. */
const SPARE_ROWS = 30;

export function buildLayoutWorkbook(layout: LayoutWorkbook, created = new Date()): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'minsheng';
  wb.created = wb.modified = created;
  for (const sheet of layout.sheets) drawSheet(wb, sheet);
  return wb;
}

function split(value: LayoutCellValue): { value: unknown; numFmt?: string } {
  return value !== null && typeof value === 'object' ? { value: value.value, numFmt: value.format } : { value };
}

function drawSheet(wb: ExcelJS.Workbook, sheet: LayoutSheet): void {
  const ws = wb.addWorksheet(sheet.name, { views: [{ showGridLines: sheet.header === undefined ? false : true }] });
  sheet.widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  const width = Math.max(sheet.header?.length ?? 1, sheet.widths.length);
  writeCell(ws, 1, 1, sheet.title, { font: font({ size: 16, bold: true }) });
  ws.getRow(1).height = 26;
  const fields = sheet.fields ?? [];
  fields.forEach((field, i) => {
    writeCell(ws, FIELDS_ROW + i, 1, field.label, { font: font({ bold: true }), alignment: { horizontal: 'right' } });
    writeCell(ws, FIELDS_ROW + i, 2, field.value, { font: font(), fill: solidFill(INPUT_FILL), border: THIN });
  });
  sheet.lines.forEach((line, i) => {
    const row = FIELDS_ROW + fields.length + i;
    const colour = line.tone === 'warning' ? WARNING_COLOUR : line.tone === 'hint' ? HINT_COLOUR : undefined;
    writeCell(ws, row, 1, line.text, {
      font: font({ bold: line.tone === 'warning', ...(colour ? { color: { argb: colour } } : {}) }),
      alignment: { wrapText: true, vertical: 'top' },
    });
    if (width > 1) ws.mergeCells(row, 1, row, width);
    // Long lines wrap: give them the height the text needs at the merged width.
    const chars = sheet.widths.slice(0, width).reduce((s, w) => s + w, 0) / 2;
    ws.getRow(row).height = Math.max(18, Math.ceil([...line.text].length / Math.max(chars, 10)) * 16);
  });
  if (!sheet.header) return;
  const top = headerRowOf(sheet);
  sheet.header.forEach((label, i) =>
    writeCell(ws, top, i + 1, label, { font: font({ bold: true }), fill: solidFill(HEADER_FILL), border: THIN, alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } }),
  );
  ws.getRow(top).height = 24;
  const rows = sheet.rows ?? [];
  const inputs = new Set(sheet.inputCols ?? []);
  const last = top + rows.length + SPARE_ROWS;
  for (let r = 0; r < rows.length + SPARE_ROWS; r++) {
    for (let c = 0; c < sheet.header.length; c++) {
      const { value, numFmt } = split(rows[r]?.[c] ?? null);
      writeCell(ws, top + 1 + r, c + 1, value, {
        border: r < rows.length ? THIN : {},
        alignment: { vertical: 'top', wrapText: true },
        ...(numFmt ? { numFmt } : {}),
        ...(inputs.has(c + 1) && r < rows.length ? { fill: solidFill(INPUT_FILL) } : {}),
      });
    }
  }
  for (const list of sheet.lists ?? []) {
    const letter = columnLetter(list.col);
    // A list longer than 255 characters cannot be written inline; such columns go without a dropdown.
    const formula = `"${list.values.join(',')}"`;
    if (formula.length > 255) continue;
    // ExcelJS writes a range-wide rule from its model (the typings only know per-cell rules).
    (ws as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }).dataValidations.add(`${letter}${top + 1}:${letter}${last}`, {
      type: 'list',
      allowBlank: true,
      formulae: [formula],
      showErrorMessage: false,
    });
  }
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: top, topLeftCell: `A${top + 1}`, activeCell: `A${top + 1}` }];
  ws.pageSetup = { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${top}:${top}` };
}

/**
 * Writes the layout to `out` (never over the database `protectedPath` or its .wal). With `created`, the
 * file's every timestamp is that moment, so the same layout gives the same bytes (committed samples).
 */
export async function writeLayoutWorkbook(layout: LayoutWorkbook, out: string, guard: { db: string; force?: boolean }, created?: Date): Promise<void> {
  await writeWorkbookCopy(buildLayoutWorkbook(layout, created), out, guard, created ? (bytes) => stampZipEntries(bytes, created) : undefined);
}
