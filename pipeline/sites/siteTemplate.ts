// Writes the 點位 sheet (core/sites/siteLayout.ts, which the add-in draws with Office.js too) with
// ExcelJS: the list sheet protected without a password (only the yellow cells open), the district's
// metrics sheet behind the drop-down and the lookups, and the instructions.
import { writeFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Lang } from '../../core/messages';
import type { Plan } from '../../core/model';
import { siteSheetLayout, type SiteFill, type SiteRule, type SiteSheetLayout } from '../../core/sites/siteLayout';
import { TEMPLATE_PROTECTION } from '../../core/templateLayout';
import { addLayoutSheet, stampZipEntries, writeCell, writeInstructions } from '../template';

function validation(rule: SiteRule): ExcelJS.DataValidation {
  const common = { allowBlank: true, showInputMessage: true, showErrorMessage: true, errorStyle: 'stop', promptTitle: rule.title, prompt: rule.prompt, errorTitle: rule.title, error: rule.error } as const;
  switch (rule.kind) {
    case 'list':
      return { ...common, type: 'list', formulae: [rule.source.startsWith('=') ? rule.source.slice(1) : `"${rule.source}"`] };
    case 'date':
      return { ...common, type: 'date', operator: 'between', formulae: [new Date(`${rule.from}T00:00:00Z`), new Date(`${rule.to}T00:00:00Z`)] };
    case 'decimal':
      return { ...common, type: 'decimal', operator: 'between', formulae: [rule.min, rule.max] };
  }
}

export function buildSiteTemplate(plan: Plan, district: string, lang: Lang, options: { fill?: readonly SiteFill[] } = {}): { workbook: ExcelJS.Workbook; layout: SiteSheetLayout } {
  const layout = siteSheetLayout(plan, district, lang, options);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'minsheng';
  // A fixed timestamp keeps generated files the same from one run to the next.
  workbook.created = workbook.modified = new Date(`${plan.year}-01-01T00:00:00Z`);
  const ws = addLayoutSheet(workbook, layout);
  const validations = (ws as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }).dataValidations;
  for (const rule of layout.rules) validations.add(rule.range, validation(rule));

  const metrics = workbook.addWorksheet(layout.metricsSheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  layout.metricsSheet.columnWidths.forEach((w, i) => (metrics.getColumn(i + 1).width = w));
  for (const cell of layout.metricsSheet.cells) writeCell(metrics, cell);
  writeInstructions(workbook, layout.help.lines, layout.help.sheet);
  return { workbook, layout };
}

/** Writes the 點位 template of one district to `outPath`. */
export async function writeSiteTemplate(plan: Plan, district: string, lang: Lang, outPath: string, options: { fill?: readonly SiteFill[] } = {}): Promise<SiteSheetLayout> {
  const { workbook, layout } = buildSiteTemplate(plan, district, lang, options);
  await workbook.getWorksheet(layout.sheet)!.protect('', { ...TEMPLATE_PROTECTION });
  await workbook.getWorksheet(layout.metricsSheet.name)!.protect('', { ...TEMPLATE_PROTECTION });
  const bytes = Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
  await writeFile(outPath, stampZipEntries(bytes, workbook.created));
  return layout;
}
