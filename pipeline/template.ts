// Writes the 進度報送表 (docs/design.md, "Progress submissions") a district fills in, with ExcelJS: the layout
// (core/templateLayout.ts, which the add-in draws with Office.js too) plus what only a file needs — the
// sheet protected without a password, print setup, a 填報說明 sheet, stable bytes. core/submission/ reads the
// filled file back.
import { writeFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { a1 } from '../core/grid';
import type { Plan } from '../core/model';
import {
  TEMPLATE_FONT,
  TEMPLATE_PROTECTION,
  templateLayout,
  type CellStyle,
  type CompletedRule,
  type LayoutCell,
  type SheetLayout,
  type TemplateOptions,
  type TemplateSheetLayout,
} from '../core/templateLayout';

export { HEADER_ROW, instructionsSheetName, templateSheetName, type TemplateFill, type TemplateOptions, type TemplateRow } from '../core/templateLayout';

export interface TemplateLayout {
  district: string;
  asOf: string;
  sheet: string;
  rows: TemplateSheetLayout['rows'];
}

const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

/** Writes the template workbook for one district to outPath and returns where each metric's row is. */
export async function writeTemplate(plan: Plan, district: string, asOf: string, outPath: string, options: TemplateOptions): Promise<TemplateLayout> {
  const { workbook, layout } = buildTemplate(plan, district, asOf, options);
  await protect(workbook, layout.sheet);
  const bytes = Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
  await writeFile(outPath, stampZipEntries(bytes, workbook.created));
  return layout;
}

/**
 * Sets every zip entry's modification time to one moment (ExcelJS stamps them with the clock), so the
 * same template gives the same bytes: committed samples do not churn, and a reload is recognised by hash.
 */
export function stampZipEntries(zip: Buffer, at: Date): Buffer {
  const time = (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | (at.getUTCSeconds() >> 1);
  const day = ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate();
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) return zip;
  const entries = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  for (let i = 0; i < entries && p + 46 <= zip.length && zip.readUInt32LE(p) === 0x02014b50; i++) {
    zip.writeUInt16LE(time, p + 12);
    zip.writeUInt16LE(day, p + 14);
    const local = zip.readUInt32LE(p + 42);
    if (local + 30 <= zip.length && zip.readUInt32LE(local) === 0x04034b50) {
      zip.writeUInt16LE(time, local + 10);
      zip.writeUInt16LE(day, local + 12);
    }
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return zip;
}

/** The template as an ExcelJS workbook (not yet protected: writeTemplate protects it before writing). */
export function buildTemplate(plan: Plan, district: string, asOf: string, options: TemplateOptions): { workbook: ExcelJS.Workbook; layout: TemplateLayout } {
  const layout = templateLayout(plan, district, asOf, options);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'minsheng';
  // A fixed timestamp keeps generated files the same from one run to the next.
  workbook.created = workbook.modified = new Date(`${layout.asOf}T00:00:00Z`);
  const ws = addLayoutSheet(workbook, layout);
  for (const rule of layout.validations) ws.getCell(rule.cell).dataValidation = dataValidation(rule);
  writeInstructions(workbook, layout.instructions, layout.instructionsSheet);
  return { workbook, layout: { district: layout.district, asOf: layout.asOf, sheet: layout.sheet, rows: layout.rows } };
}

/** A sheet drawn from its layout: frozen header, A4 landscape print setup, widths, merges, cells, heights. */
export function addLayoutSheet(workbook: ExcelJS.Workbook, layout: SheetLayout): ExcelJS.Worksheet {
  const { print } = layout;
  const ws = workbook.addWorksheet(layout.sheet, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: layout.frozenRows, topLeftCell: a1(layout.frozenRows + 1, 1), activeCell: layout.activeCell }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: print.orientation,
      fitToPage: true,
      fitToWidth: print.fitToWidth,
      fitToHeight: 0,
      horizontalCentered: print.horizontalCentered,
      margins: { ...print.margins },
      printTitlesRow: print.titleRows,
    },
  });
  ws.headerFooter.oddFooter = `&C${print.centerFooter}`;
  layout.columnWidths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  for (const m of layout.merges) ws.mergeCells(m.top, m.left, m.bottom, m.right);
  for (const cell of layout.cells) writeCell(ws, cell);
  for (const [row, height] of Object.entries(layout.rowHeights)) ws.getRow(Number(row)).height = height;
  ws.pageSetup.printArea = print.printArea;
  return ws;
}

/** Writes one layout cell (value, number format, style): shared with the 點位 sheet (pipeline/sites/siteTemplate.ts). */
export function writeCell(ws: ExcelJS.Worksheet, spec: LayoutCell): void {
  const cell = ws.getCell(spec.row, spec.col);
  cell.value = spec.value as ExcelJS.CellValue;
  if (spec.numberFormat) cell.numFmt = spec.numberFormat;
  applyStyle(cell, spec.style);
}

function applyStyle(cell: ExcelJS.Cell, style: CellStyle): void {
  if (style.unlocked) cell.protection = { locked: false };
  if (style.border) cell.border = style.border === 'thin' ? THIN : { bottom: { style: 'thin' } };
  cell.font = { name: TEMPLATE_FONT, ...style.font, ...(style.font.color ? { color: { argb: `FF${style.font.color}` } } : {}) } as Partial<ExcelJS.Font>;
  if (style.fill) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${style.fill}` } };
  if (style.alignment) cell.alignment = { ...style.alignment };
}

function dataValidation(rule: CompletedRule): ExcelJS.DataValidation {
  return {
    type: 'decimal',
    allowBlank: true,
    showInputMessage: true,
    showErrorMessage: true,
    errorStyle: 'stop',
    promptTitle: rule.promptTitle,
    errorTitle: rule.errorTitle,
    operator: rule.operator,
    formulae: rule.formulae,
    prompt: rule.prompt,
    error: rule.error,
  };
}

/** A sheet of instructions: a heading, then the numbered rules, one a row. */
export function writeInstructions(workbook: ExcelJS.Workbook, lines: string[], sheet: string): void {
  const ws = workbook.addWorksheet(sheet);
  ws.getColumn(1).width = 110;
  lines.forEach((text, i) => {
    const cell = ws.getCell(i + 1, 1);
    cell.value = text;
    cell.font = { name: TEMPLATE_FONT, size: i === 0 ? 14 : 11, bold: i === 0 };
    cell.alignment = { wrapText: true, vertical: 'top' };
  });
}

/** Protects the template sheet with no password: the clerk can select everything and type only where cells are unlocked. */
async function protect(workbook: ExcelJS.Workbook, sheet: string): Promise<void> {
  const ws = workbook.getWorksheet(sheet);
  if (!ws) return;
  await ws.protect('', { ...TEMPLATE_PROTECTION });
}
