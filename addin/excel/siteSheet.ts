/// <reference types="office-js" />
// Draws the 點位 sheet of core/sites/siteLayout.ts with Office.js — the same sheet `minsheng sites
// template` writes with ExcelJS: the list (drop-downs, date and coordinate rules, protected like the
// progress template), the district's metrics behind the drop-down, and the instructions. One sync for
// the sheets, one for print setup.
import { columnLetter } from '../../core/grid';
import type { SiteRule, SiteSheetLayout } from '../../core/sites/siteLayout';
import { columnWidthPoints } from './applyEditPlan';
import { addInstructionsSheet, applyPrintSetup, drawLayout, freeSheetName, protectForInput, writeLayoutCells } from './templateSheet';

export interface SiteSheetOutcome {
  sheet: string;
  metricsSheet: string;
  rows: number;
  syncs: number;
}

function ruleOf(rule: SiteRule): Excel.DataValidationRule {
  switch (rule.kind) {
    case 'list':
      return { list: { inCellDropDown: true, source: rule.source } };
    case 'date':
      return { date: { formula1: rule.from, formula2: rule.to, operator: 'Between' } };
    case 'decimal':
      return { decimal: { formula1: rule.min, formula2: rule.max, operator: 'Between' } };
  }
}

/** Adds the 點位 sheet, its metrics sheet and its instructions (each under a free name), and selects the first cell to type in. */
export async function insertSiteSheet(context: Excel.RequestContext, layout: SiteSheetLayout, existing: readonly string[]): Promise<SiteSheetOutcome> {
  const taken = [...existing];
  const name = freeSheetName(layout.sheet, taken);
  taken.push(name);
  const metricsName = freeSheetName(layout.metricsSheet.name, taken);
  taken.push(metricsName);
  // The drop-down and the lookups name the metrics sheet: follow it if it had to take another name.
  const renamed = (text: string) => text.split(`'${layout.metricsSheet.name}'!`).join(`'${metricsName}'!`);

  const ws = context.workbook.worksheets.add(name);
  const cells = layout.cells.map((c) => (typeof c.value === 'object' && c.value !== null ? { ...c, value: { ...c.value, formula: renamed(c.value.formula) } } : c));
  drawLayout(ws, layout, cells);
  for (const rule of layout.rules) {
    const dv = ws.getRange(rule.range).dataValidation;
    dv.rule = ruleOf(rule.kind === 'list' ? { ...rule, source: renamed(rule.source) } : rule);
    dv.ignoreBlanks = true;
    dv.prompt = { showPrompt: true, title: rule.title, message: rule.prompt };
    dv.errorAlert = { showAlert: true, style: 'Stop', title: rule.title, message: rule.error };
  }

  const metrics = context.workbook.worksheets.add(metricsName);
  layout.metricsSheet.columnWidths.forEach((w, i) => (metrics.getRange(`${columnLetter(i + 1)}:${columnLetter(i + 1)}`).format.columnWidth = columnWidthPoints(w)));
  writeLayoutCells(metrics, layout.metricsSheet.cells, layout.metricsSheet.columnWidths.length);
  metrics.freezePanes.freezeRows(1);
  protectForInput(metrics);

  if (!taken.some((n) => n.toLowerCase() === layout.help.sheet.toLowerCase())) addInstructionsSheet(context, layout.help.sheet, layout.help.lines);

  protectForInput(ws);
  ws.activate();
  ws.getRange(layout.activeCell).select();
  await context.sync();
  const syncs = 1 + (await applyPrintSetup(context, ws, layout.print));
  return { sheet: name, metricsSheet: metricsName, rows: layout.lastRow - layout.frozenRows, syncs };
}
