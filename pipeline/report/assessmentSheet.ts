// The leaders' report's 年度考核 sheet, when the year has assessment rules: the districts' and the lead
// departments' scores (rank, total, tier, 行政獎勵 candidates, each component's points, 缺項 and 未記錄
// said in words), and the stacked bar chart of components for each. The rows are assessment()'s
// (queries/assessment.sql), as `minsheng assess` prints them.
import type ExcelJS from 'exceljs';
import { t, type Lang } from '../../core/messages';
import type { AssesseeScore, AssessmentJson } from '../assessment/queries';
import { assessmentRows, assessmentShown, nestAssessment, queryAssessment } from '../assessment/queries';
import { readDistrictNames } from '../db/plan';
import { missingNotes, pointsText } from '../assessment/present';
import { hasRules } from '../assessment/store';
import { assessmentChart } from '../charts/assessment';
import { chineseDate } from '../charts/theme';
import type { Store } from '../db/store';
import { picture, type ChartPicture, type ChartRenderer } from './reportCharts';
import { TABLE_ROW, placeBelowTable, printTableSheet, title } from './reportWorkbook';
import { addTable, font, writeCell, type PlacedTable, type TableColumn } from './sheetKit';

export interface ReportAssessment {
  result: AssessmentJson;
  charts: ChartPicture[];
}

type Scored = AssesseeScore & { name: string };

const named = (result: AssessmentJson): Record<'district' | 'lead_unit', Scored[]> => ({
  district: result.districts.map((d) => ({ ...d, name: d.district })),
  lead_unit: result.lead_units.map((u) => ({ ...u, name: u.lead_unit })),
});

/**
 * The year's assessment at the report date and its charts, or undefined when the year has no rules
 * (the sheet is only added when there is something to assess with). The date is the report's, capped at
 * the year's end.
 */
export async function readReportAssessment(store: Store, year: number, asOf: string, lang: Lang, render?: ChartRenderer): Promise<ReportAssessment | undefined> {
  if (!(await hasRules(store, year))) return undefined;
  const at = asOf > `${year}-12-31` ? `${year}-12-31` : asOf;
  const result = assessmentShown(nestAssessment(assessmentRows(await queryAssessment(store, year, at)), year, at), await readDistrictNames(store));
  const charts: ChartPicture[] = [];
  for (const [type, list] of Object.entries(named(result)) as ['district' | 'lead_unit', Scored[]][]) {
    if (list.length === 0) continue;
    const spec = assessmentChart({ type, year, asOf: at, lang, assessees: list });
    charts.push(await picture(type === 'district' ? 'assessment-districts' : 'assessment-lead-units', spec, render));
  }
  return { result, charts };
}

function scoreColumns(type: 'district' | 'lead_unit', list: readonly Scored[], lang: Lang): TableColumn<Scored>[] {
  const components = list[0]?.components ?? [];
  return [
    { header: t(lang, 'assess.col.rank'), value: (r) => r.rank, align: 'center' },
    { header: t(lang, type === 'district' ? 'assess.type.district' : 'assess.type.lead_unit'), value: (r) => r.name, maxWidth: 18 },
    { header: t(lang, 'assess.col.total'), value: (r) => (r.total === null ? t(lang, 'assess.status.missing') : r.total), numFmt: '0.00', font: () => ({ bold: true }) },
    { header: t(lang, 'assess.col.tier'), value: (r) => r.tier, align: 'center' },
    { header: t(lang, 'assess.col.candidate'), value: (r) => (r.award_candidate ? t(lang, 'assess.yes') : null), align: 'center', font: () => ({ bold: true, color: { argb: 'FFB3272D' } }) },
    { header: t(lang, 'assess.sheet.tied'), value: (r) => (r.tied ? t(lang, 'assess.yes') : null), align: 'center' },
    ...components.map(
      (c, i): TableColumn<Scored> => ({
        header: `${c.component}（${Math.round(c.full_points * 100) / 100}）`,
        value: (r) => (r.components[i].status === 'scored' ? r.components[i].points : pointsText(r.components[i], lang)),
        numFmt: '0.00',
        align: 'right',
      }),
    ),
  ];
}

/** Adds the 年度考核 sheet to the report workbook. */
export function addAssessmentSheet(wb: ExcelJS.Workbook, assessment: ReportAssessment, lang: Lang): string {
  const { result } = assessment;
  const sheetName = t(lang, 'assess.sheet.report');
  const ws = wb.addWorksheet(sheetName);
  const heading = t(lang, 'assess.sheet.title', { year: result.year, asOf: chineseDate(result.as_of, lang) });
  title(ws, heading, t(lang, 'assess.sheet.subtitle'));
  const lists = named(result);
  let top = TABLE_ROW;
  let covered: PlacedTable | undefined;
  for (const type of ['district', 'lead_unit'] as const) {
    const list = lists[type];
    if (list.length === 0) continue;
    if (covered) {
      top = covered.range.bottom + 2;
      writeCell(ws, top, 1, t(lang, type === 'district' ? 'assess.sheet.districts' : 'assess.sheet.lead_units'), { font: font({ bold: true, size: 13 }) });
      top += 1;
    }
    const placed = addTable(ws, { name: type === 'district' ? 'AssessmentDistricts' : 'AssessmentLeadUnits', top, left: 1, columns: scoreColumns(type, list, lang), rows: list, emptyText: '' });
    let row = placed.range.bottom + 1;
    for (const note of missingNotes(list, lang)) {
      writeCell(ws, row, 1, note, { font: font({ size: 10, color: { argb: 'FF555555' } }) });
      row += 1;
    }
    const range = { ...placed.range, top: covered?.range.top ?? placed.range.top, bottom: row - 1, right: Math.max(placed.range.right, covered?.range.right ?? 0) };
    covered = { ...placed, range };
  }
  if (!covered) {
    writeCell(ws, TABLE_ROW, 1, t(lang, 'assess.cli.nobody'));
    return sheetName;
  }
  printTableSheet(ws, placeBelowTable(wb, ws, covered, assessment.charts), heading, lang);
  return sheetName;
}
