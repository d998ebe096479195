// `minsheng report --lead-unit 市民政局`: a lead department's own workbook (the notice asks departments to
// guide the districts on the tasks they split): 概覽 (where it stands among the departments, each
// district on its projects, the heatmap of its projects), 滯後區縣 (every district behind on them, most
// urgent first) and 項目 (each project, with its milestone chart). The rows are the leaders' report's
// (readReportData: lag.sql) kept to the unit's projects (project_lead_units), so the two never disagree.
import ExcelJS from 'exceljs';
import { LAG_STATUSES_BEST_FIRST, LAG_STATUS_FILLS, isSupervisionCandidate, type LagStatus } from '../../core/lagStatus';
import { t, type Lang } from '../../core/messages';
import { lagHeatmap } from '../charts/lagHeatmap';
import { projectProgressChart } from '../charts/projectProgress';
import { chineseDate } from '../charts/theme';
import { queryLeadUnitRanking } from '../db/leadUnits';
import { runQuery } from '../db/queries';
import type { Store } from '../db/store';
import { rowObjects } from '../output/resultTable';
import { writeWorkbookCopy } from '../xlsx/applyEditPlan';
import { checkOutputFile } from '../output/outputGuard';
import { picture, projectChartName, writePictures, type ChartPicture, type ChartRenderer } from './reportCharts';
import { readReportData, type ReportData, type ReportLagRow } from './reportData';
import { TABLE_ROW, categoryColumns, lagAlerts, lagColumns, placeBelowTable, printTableSheet, projectSummaries, title } from './reportWorkbook';
import { PERCENT_FORMAT, addTable, freezeAbove, type TableColumn } from './sheetKit';
import { statusLabel } from './statusStyle';

export interface LeadUnitReportOptions {
  asOf: string;
  leadUnit: string;
  out: string;
  lang: Lang;
  chartsDir?: string;
  /** Replace an existing file at `out` (the user said --force); the database and inputs never. */
  force?: boolean;
  render?: ChartRenderer;
}

export interface DistrictOnUnit {
  district: string;
  district_order: number | null;
  pairs: number;
  /** Mean of min(completion, 1) over the district's pairs on the unit's projects (nothing reported counts 0). */
  completion: number;
  counts: Record<LagStatus, number>;
  supervision: number;
}

export interface WrittenLeadUnitReport {
  out: string;
  leadUnit: string;
  asOf: string;
  projects: number;
  districts: DistrictOnUnit[];
  lagging: ReportLagRow[];
  /** The unit's place among the lead units (lead_unit_ranking), undefined when it has no pairs. */
  rank?: { rank: number; of: number; tied: boolean; tie_rank: number };
  sheets: string[];
  chartFiles: string[];
}

/** The leaders' report data kept to one unit's projects. */
async function unitData(store: Store, asOf: string, leadUnit: string): Promise<ReportData> {
  const data = await readReportData(store, asOf);
  const own = new Set(
    rowObjects(await runQuery(store, 'SELECT project_no FROM project_lead_units WHERE lead_unit = $1', [leadUnit])).map((r) => Number(r.project_no)),
  );
  const ownMetrics = new Set(data.metrics.filter((m) => own.has(m.project_no)).map((m) => m.metric_id));
  return {
    ...data,
    lag: data.lag.filter((r) => own.has(r.project_no)),
    projects: data.projects.filter((p) => own.has(p.project_no)),
    metrics: data.metrics.filter((m) => own.has(m.project_no)),
    milestones: data.milestones.filter((m) => own.has(m.project_no)),
    progress: data.progress.filter((p) => ownMetrics.has(p.metric_id)),
  };
}

export function districtsOnUnit(lag: readonly ReportLagRow[]): DistrictOnUnit[] {
  const groups = new Map<string, ReportLagRow[]>();
  for (const r of lag) groups.set(r.district, [...(groups.get(r.district) ?? []), r]);
  return [...groups.entries()]
    .map(([district, own]) => {
      const counts = Object.fromEntries(LAG_STATUSES_BEST_FIRST.map((s) => [s, 0])) as Record<LagStatus, number>;
      for (const r of own) counts[r.lag_status] += 1;
      return {
        district,
        district_order: own[0].district_order,
        pairs: own.length,
        completion: own.reduce((s, r) => s + Math.min(r.completion ?? 0, 1), 0) / own.length,
        counts,
        supervision: own.filter(isSupervisionCandidate).length,
      };
    })
    .sort((a, b) => a.completion - b.completion || (a.district_order ?? 99) - (b.district_order ?? 99));
}

function districtColumns(lang: Lang): TableColumn<DistrictOnUnit>[] {
  return [
    { header: t(lang, 'leadunit.report.col.district'), value: (d) => d.district },
    { header: t(lang, 'leadunit.col.pair_count'), value: (d) => d.pairs },
    { header: t(lang, 'leadunit.report.col.completion'), value: (d) => d.completion, numFmt: PERCENT_FORMAT },
    ...LAG_STATUSES_BEST_FIRST.map((status): TableColumn<DistrictOnUnit> => ({ header: statusLabel(status, lang), value: (d) => d.counts[status] })),
    { header: t(lang, 'leadunit.report.col.supervision'), value: (d) => d.supervision, font: (d) => (d.supervision > 0 ? { bold: true, color: { argb: 'FFB3272D' } } : undefined) },
  ];
}

export async function writeLeadUnitReport(store: Store, options: LeadUnitReportOptions): Promise<WrittenLeadUnitReport> {
  const { lang, leadUnit, asOf } = options;
  checkOutputFile(options.out, { db: store.path, force: options.force });
  const data = await unitData(store, asOf, leadUnit);
  const ranking = rowObjects(await queryLeadUnitRanking(store, asOf));
  const mine = ranking.find((r) => r.lead_unit === leadUnit);
  const rank = mine ? { rank: Number(mine.rank), of: ranking.length, tied: Boolean(mine.tied), tie_rank: Number(mine.tie_rank) } : undefined;
  const districts = districtsOnUnit(data.lag);
  const lagging = lagAlerts(data.lag);

  const heatmap = await picture('lead-unit-heatmap', lagHeatmap(data.lag, asOf, lang), options.render);
  const projectCharts: ChartPicture[] = [];
  for (const project of data.projects) {
    projectCharts.push(await picture(projectChartName(project.project_no), projectProgressChart({ project_no: project.project_no, name: project.name }, data.metrics, data.milestones, data.progress, lang), options.render));
  }

  const wb = new ExcelJS.Workbook();
  wb.creator = 'minsheng';
  wb.title = t(lang, 'leadunit.report.title', { leadUnit, asOf: chineseDate(asOf, lang) });
  const sheets = [t(lang, 'leadunit.report.sheet.overview'), t(lang, 'leadunit.report.sheet.lagging'), t(lang, 'leadunit.report.sheet.projects')];

  // 概覽: where the unit stands, then each district on its projects, weakest first, and the heatmap.
  const overview = wb.addWorksheet(sheets[0]);
  const standing = rank
    ? t(lang, rank.tied ? 'leadunit.report.rank-tied' : 'leadunit.report.rank', { rank: rank.tied ? rank.tie_rank : rank.rank, of: rank.of })
    : t(lang, 'leadunit.report.no-rank');
  title(
    overview,
    t(lang, 'leadunit.report.title', { leadUnit, asOf: chineseDate(asOf, lang) }),
    t(lang, 'leadunit.report.subtitle', { projects: data.projects.length, districts: districts.length, pairs: data.lag.length, lagging: lagging.length, standing }),
  );
  const districtTable = addTable(overview, {
    name: 'UnitDistricts',
    top: TABLE_ROW,
    left: 1,
    columns: districtColumns(lang),
    rows: districts,
    emptyText: t(lang, 'leadunit.report.empty'),
  });
  freezeAbove(overview, TABLE_ROW + 1);
  printTableSheet(overview, placeBelowTable(wb, overview, districtTable, [heatmap]), sheets[0], lang);

  // 滯後區縣: the districts behind on the unit's projects, coloured by status.
  const lagSheet = wb.addWorksheet(sheets[1]);
  title(lagSheet, t(lang, 'leadunit.report.lagging-title', { leadUnit, asOf: chineseDate(asOf, lang) }), t(lang, 'leadunit.report.lagging-subtitle', { count: lagging.length }));
  const lagTable = addTable(lagSheet, {
    name: 'UnitLagging',
    top: TABLE_ROW,
    left: 1,
    columns: lagColumns(lang),
    rows: lagging,
    fill: (r) => LAG_STATUS_FILLS[r.lag_status],
    emptyText: t(lang, 'leadunit.report.all-on-track'),
  });
  freezeAbove(lagSheet, TABLE_ROW + 1);
  printTableSheet(lagSheet, placeBelowTable(wb, lagSheet, lagTable, []), sheets[1], lang);

  // 項目: each project's standing across districts, then its milestone chart.
  const projectSheet = wb.addWorksheet(sheets[2]);
  title(projectSheet, t(lang, 'leadunit.report.projects-title', { leadUnit }), t(lang, 'leadunit.report.projects-subtitle', { count: data.projects.length }));
  const projectTable = addTable(projectSheet, {
    name: 'UnitProjects',
    top: TABLE_ROW,
    left: 1,
    columns: categoryColumns(lang),
    rows: projectSummaries(data.projects, data.lag),
    emptyText: t(lang, 'leadunit.report.empty'),
  });
  freezeAbove(projectSheet, TABLE_ROW + 1);
  printTableSheet(projectSheet, placeBelowTable(wb, projectSheet, projectTable, projectCharts), sheets[2], lang);

  await writeWorkbookCopy(wb, options.out, { db: store.path, force: options.force });
  const chartFiles = options.chartsDir ? writePictures([heatmap, ...projectCharts], options.chartsDir) : [];
  return { out: options.out, leadUnit, asOf, projects: data.projects.length, districts, lagging, ...(rank ? { rank } : {}), sheets, chartFiles };
}
