/// <reference types="office-js" />
// Draws the 進度報送表 of core/templateLayout.ts in a new sheet with Office.js — the same sheet that
// `minsheng template` writes with ExcelJS. Cells of one style are styled as rectangles, values and
// formats go out as 2-D arrays, all in one sync; print setup follows in a sync of its own, because a
// host that refuses a print option must not cost the clerk the template.
import { columnLetter, rangeA1, type CellRange } from '../../core/grid';
import { INSTRUCTIONS_SHEET_NAMES, TEMPLATE_FONT, TEMPLATE_PROTECTION, type CellStyle, type LayoutCell, type PrintSetup, type SheetLayout, type TemplateSheetLayout } from '../../core/templateLayout';
import { textForCell } from './address';
import { columnWidthPoints } from './applyEditPlan';

export interface TemplateOutcome {
  sheet: string;
  rows: number;
  /** The instructions sheet was added (it is added once per workbook). */
  addedInstructions: boolean;
  syncs: number;
}

/** "進度報送表", or "進度報送表 (2)" ... when the name is taken (Excel compares names without case). */
export function freeSheetName(base: string, existing: readonly string[]): string {
  const taken = new Set(existing.map((n) => n.toLowerCase()));
  if (!taken.has(base.toLowerCase())) return base;
  for (let n = 2; ; n++) {
    const name = `${base} (${n})`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

/** Rectangles covering exactly the given cells: runs in a row, stacked over rows with the same span. */
export function cellRectangles(cells: readonly { row: number; col: number }[]): CellRange[] {
  const rows = new Map<number, number[]>();
  for (const c of cells) rows.set(c.row, [...(rows.get(c.row) ?? []), c.col]);
  const rects: CellRange[] = [];
  const open = new Map<string, CellRange>();
  for (const row of [...rows.keys()].sort((a, b) => a - b)) {
    const cols = [...new Set(rows.get(row)!)].sort((a, b) => a - b);
    for (let i = 0; i < cols.length; ) {
      let j = i;
      while (j + 1 < cols.length && cols[j + 1] === cols[j] + 1) j++;
      const span = `${cols[i]}:${cols[j]}`;
      const rect = open.get(span);
      if (rect && rect.bottom === row - 1) rect.bottom = row;
      else {
        const fresh = { top: row, left: cols[i], bottom: row, right: cols[j] };
        rects.push(fresh);
        open.set(span, fresh);
      }
      i = j + 1;
    }
  }
  return rects;
}

const HORIZONTAL = { left: 'Left', center: 'Center', right: 'Right' } as const;
const VERTICAL = { top: 'Top', middle: 'Center' } as const;

function applyStyle(range: Excel.Range, style: CellStyle, multiCell: boolean): void {
  const format = range.format;
  format.font.name = TEMPLATE_FONT;
  format.font.size = style.font.size;
  if (style.font.bold) format.font.bold = true;
  if (style.font.italic) format.font.italic = true;
  if (style.font.color) format.font.color = `#${style.font.color}`;
  if (style.fill) format.fill.color = `#${style.fill}`;
  if (style.alignment?.horizontal) format.horizontalAlignment = HORIZONTAL[style.alignment.horizontal];
  if (style.alignment?.vertical) format.verticalAlignment = VERTICAL[style.alignment.vertical];
  if (style.alignment?.wrapText !== undefined) format.wrapText = style.alignment.wrapText;
  if (style.border) {
    type Edge = 'EdgeTop' | 'EdgeBottom' | 'EdgeLeft' | 'EdgeRight' | 'InsideHorizontal' | 'InsideVertical';
    const edges: Edge[] = style.border === 'thin' ? ['EdgeTop', 'EdgeBottom', 'EdgeLeft', 'EdgeRight'] : ['EdgeBottom'];
    if (style.border === 'thin' && multiCell) edges.push('InsideHorizontal', 'InsideVertical');
    for (const edge of edges) {
      const border = format.borders.getItem(edge);
      border.style = 'Continuous';
      border.weight = 'Thin';
    }
  }
  if (style.unlocked) format.protection.locked = false;
}

/**
 * Adds the template as a new sheet (and 填報說明 if the workbook has none), activates it and selects the
 * first cell to type in. `existing`: the workbook's sheet names.
 */
/**
 * Writes layout cells into a sheet: number formats, then values and formulas, as two arrays over the
 * block A1:<width><last row> (null leaves a cell alone); then styles by rectangles of cells sharing one.
 */
export function writeLayoutCells(ws: Excel.Worksheet, cells: readonly LayoutCell[], width: number): void {
  const lastRow = Math.max(...cells.map((c) => c.row));
  const formats: (string | null)[][] = Array.from({ length: lastRow }, () => Array(width).fill(null));
  const formulas: (string | number | boolean | null)[][] = Array.from({ length: lastRow }, () => Array(width).fill(null));
  for (const cell of cells) {
    const format = cell.numberFormat ?? 'General';
    formats[cell.row - 1][cell.col - 1] = format;
    const v = cell.value;
    formulas[cell.row - 1][cell.col - 1] =
      v === null ? '' : typeof v === 'object' ? `=${v.formula}` : typeof v === 'string' ? textForCell(v, format) : v;
  }
  const block = ws.getRange(`A1:${columnLetter(width)}${lastRow}`);
  block.numberFormat = formats;
  block.formulas = formulas;

  const byStyle = new Map<string, { style: CellStyle; cells: LayoutCell[] }>();
  for (const cell of cells) {
    const k = JSON.stringify(cell.style);
    (byStyle.get(k) ?? byStyle.set(k, { style: cell.style, cells: [] }).get(k)!).cells.push(cell);
  }
  for (const { style, cells: same } of byStyle.values()) {
    for (const rect of cellRectangles(same)) applyStyle(ws.getRange(rangeA1(rect)), style, rect.top !== rect.bottom || rect.left !== rect.right);
  }
}

/**
 * Draws a sheet's layout (the template's, or the 點位 sheet's of core/sites/siteLayout.ts): column widths,
 * cells (`cells`, when the caller had to rewrite some), merges, row heights and the frozen header.
 * Validations, protection and print setup are the caller's.
 */
export function drawLayout(ws: Excel.Worksheet, layout: SheetLayout, cells: readonly LayoutCell[] = layout.cells): void {
  layout.columnWidths.forEach((w, i) => (ws.getRange(`${columnLetter(i + 1)}:${columnLetter(i + 1)}`).format.columnWidth = columnWidthPoints(w)));
  writeLayoutCells(ws, cells, layout.columnWidths.length);
  for (const m of layout.merges) ws.getRange(rangeA1(m)).merge(false);
  for (const [row, height] of Object.entries(layout.rowHeights)) ws.getRange(`${row}:${row}`).format.rowHeight = height;
  ws.freezePanes.freezeRows(layout.frozenRows);
}

/** A sheet of instructions: the heading, then the rules, one a row. */
export function addInstructionsSheet(context: Excel.RequestContext, name: string, lines: readonly string[]): void {
  const help = context.workbook.worksheets.add(name);
  const range = help.getRange(`A1:A${lines.length}`);
  range.values = lines.map((line) => [textForCell(line, 'General')]);
  range.format.font.name = TEMPLATE_FONT;
  range.format.font.size = 11;
  range.format.wrapText = true;
  range.format.verticalAlignment = 'Top';
  help.getRange('A1').format.font.size = 14;
  help.getRange('A1').format.font.bold = true;
  help.getRange('A:A').format.columnWidth = columnWidthPoints(110);
}

/** The template's protection (core TEMPLATE_PROTECTION): no password, typing only where cells are unlocked. */
export function protectForInput(ws: Excel.Worksheet): void {
  ws.protection.protect({
    allowFormatColumns: TEMPLATE_PROTECTION.formatColumns,
    allowFormatRows: TEMPLATE_PROTECTION.formatRows,
    allowFormatCells: TEMPLATE_PROTECTION.formatCells,
    allowInsertRows: TEMPLATE_PROTECTION.insertRows,
    allowInsertColumns: TEMPLATE_PROTECTION.insertColumns,
    allowDeleteRows: TEMPLATE_PROTECTION.deleteRows,
    allowDeleteColumns: TEMPLATE_PROTECTION.deleteColumns,
    allowSort: TEMPLATE_PROTECTION.sort,
    allowAutoFilter: TEMPLATE_PROTECTION.autoFilter,
    selectionMode: 'Normal',
  });
}

/** Print setup in a sync of its own: a host that refuses an option must not cost the clerk the sheet. Resolves to the syncs used. */
export async function applyPrintSetup(context: Excel.RequestContext, ws: Excel.Worksheet, print: PrintSetup): Promise<number> {
  try {
    const page = ws.pageLayout;
    const inches = (n: number) => n * 72;
    page.orientation = 'Landscape';
    page.paperSize = 'A4';
    page.centerHorizontally = print.horizontalCentered;
    page.zoom = { horizontalFitToPages: print.fitToWidth, verticalFitToPages: 0 };
    page.leftMargin = inches(print.margins.left);
    page.rightMargin = inches(print.margins.right);
    page.topMargin = inches(print.margins.top);
    page.bottomMargin = inches(print.margins.bottom);
    page.headerMargin = inches(print.margins.header);
    page.footerMargin = inches(print.margins.footer);
    page.setPrintTitleRows(`$${print.titleRows.replace(':', ':$')}`);
    page.setPrintArea(print.printArea);
    page.headersFooters.defaultForAllPages.centerFooter = print.centerFooter;
    await context.sync();
  } catch {
    // Print setup is a convenience; the sheet works without it.
  }
  return 1;
}

/**
 * Adds the template as a new sheet (and 填報說明 if the workbook has none), activates it and selects the
 * first cell to type in. `existing`: the workbook's sheet names.
 */
export async function insertTemplateSheet(context: Excel.RequestContext, layout: TemplateSheetLayout, existing: readonly string[]): Promise<TemplateOutcome> {
  const name = freeSheetName(layout.sheet, existing);
  const ws = context.workbook.worksheets.add(name);
  drawLayout(ws, layout);
  for (const rule of layout.validations) {
    const dv = ws.getRange(rule.cell).dataValidation;
    dv.rule =
      rule.operator === 'between'
        ? { decimal: { formula1: rule.formulae[0], formula2: rule.formulae[1], operator: 'Between' } }
        : { decimal: { formula1: rule.formulae[0], operator: 'GreaterThanOrEqualTo' } };
    dv.ignoreBlanks = true;
    dv.prompt = { showPrompt: true, title: rule.promptTitle, message: rule.prompt };
    dv.errorAlert = { showAlert: true, style: 'Stop', title: rule.errorTitle, message: rule.error };
  }

  // One 填報說明 a workbook, in whichever script it was first made.
  const taken = new Set(existing.map((n) => n.toLowerCase()));
  const addedInstructions = !INSTRUCTIONS_SHEET_NAMES.some((n) => taken.has(n.toLowerCase()));
  if (addedInstructions) addInstructionsSheet(context, layout.instructionsSheet, layout.instructions);

  protectForInput(ws);
  ws.activate();
  ws.getRange(layout.activeCell).select();
  await context.sync();

  const syncs = 1 + (await applyPrintSetup(context, ws, layout.print));
  return { sheet: name, rows: layout.rows.length, addedInstructions, syncs };
}
