// `minsheng report`: reads the report's data at a date, draws its charts, builds the workbook and
// writes it (atomically; never over the database file). Optionally also writes every chart as PNG +
// .vl.json for use outside Excel.
import { isSupervisionCandidate } from '../../core/lagStatus';
import { t, type Lang } from '../../core/messages';
import { addAssessmentSheet, readReportAssessment, type ReportAssessment } from './assessmentSheet';
import { chartPool } from '../charts/pool';
import type { Store } from '../db/store';
import { writeWorkbookCopy } from '../xlsx/applyEditPlan';
import { checkOutputFile } from '../output/outputGuard';
import { allPictures, renderReportCharts, writePictures, type ChartRenderer, type ReportCharts } from './reportCharts';
import { readReportData, type ReportData } from './reportData';
import { buildReportWorkbook, lagAlerts, type ReportLayout } from './reportWorkbook';

export interface ReportOptions {
  asOf: string;
  out: string;
  /** The reader's language: sheet names, headers, titles and charts. */
  lang: Lang;
  /** Also write each chart as `<name>.png` + `<name>.vl.json` here. */
  chartsDir?: string;
  /** Replace an existing file at `out` (the user said --force); the database and inputs never. */
  force?: boolean;
  render?: ChartRenderer;
}

export interface WrittenReport {
  out: string;
  asOf: string;
  data: ReportData;
  charts: ReportCharts;
  layout: ReportLayout;
  /** The year's assessment, when the year has rules (then the workbook has a 年度考核 sheet). */
  assessment?: ReportAssessment;
  /** Paths of the chart PNGs written to chartsDir. */
  chartFiles: string[];
  /** Time per step, ms. */
  timings: { data: number; charts: number; workbook: number; write: number; chartThreads: number };
}

const since = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

export async function writeReport(store: Store, options: ReportOptions): Promise<WrittenReport> {
  // The pool's workers load Vega and the font while the data is read.
  const pool = options.render ? undefined : chartPool();
  let start = process.hrtime.bigint();
  let data: ReportData;
  let charts: ReportCharts;
  let dataMs: number;
  let chartsMs: number;
  let assessment: ReportAssessment | undefined;
  const { lang } = options;
  // Refused before any work, not after the charts are drawn.
  checkOutputFile(options.out, { db: store.path, force: options.force });
  try {
    data = await readReportData(store, options.asOf);
    dataMs = since(start);
    start = process.hrtime.bigint();
    const render: ChartRenderer = options.render ?? ((spec) => pool!.render(spec));
    charts = await renderReportCharts(data, lang, render);
    assessment = await readReportAssessment(store, data.planYear, options.asOf, lang, render);
    chartsMs = since(start);
  } finally {
    await pool?.close();
  }
  start = process.hrtime.bigint();
  const { workbook, layout } = buildReportWorkbook(data, charts, lang);
  if (assessment) addAssessmentSheet(workbook, assessment, lang);
  const workbookMs = since(start);
  start = process.hrtime.bigint();
  // The database is the report's only input: the report may never be written over it.
  await writeWorkbookCopy(workbook, options.out, { db: store.path, force: options.force });
  const chartFiles = options.chartsDir ? writePictures([...allPictures(charts), ...(assessment?.charts ?? [])], options.chartsDir) : [];
  return {
    out: options.out,
    asOf: options.asOf,
    data,
    charts,
    layout,
    ...(assessment ? { assessment } : {}),
    chartFiles,
    timings: { data: dataMs, charts: chartsMs, workbook: workbookMs, write: since(start), chartThreads: pool?.threads ?? 1 },
  };
}

/** One line for the terminal: what the report holds. */
export function reportSummary(report: WrittenReport, lang: Lang): string {
  const alerts = lagAlerts(report.data.lag);
  return t(lang, 'report.summary', {
    file: report.out,
    asOf: report.asOf,
    districts: report.data.ranking.length,
    lagging: alerts.length,
    candidates: alerts.filter(isSupervisionCandidate).length,
    categories: report.layout.categorySheets.size,
    charts: allPictures(report.charts).length,
  });
}
