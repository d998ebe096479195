// The leaders' workbook (docs/design.md, "The report and charts"): 概覽 (headline figures and the ranking
// chart), 排名 (the ranking table and chart), 滯後預警 (every lagging district metric, most urgent first, with
// the heatmap), and one sheet per category with its projects and their milestone charts. Built new with
// ExcelJS from ReportData and rendered charts; every sheet prints on A4 landscape.
import ExcelJS from 'exceljs';
import type { CellRange } from '../../core/grid';
import { chineseDate, percentText } from '../charts/theme';
import { LAG_STATUS_FILLS, LAG_STATUSES_BEST_FIRST, SERIOUSLY_BEHIND_GAP, isSupervisionCandidate, type LagStatus } from '../../core/lagStatus';
import { t, type Lang } from '../../core/messages';
import { columnLabel, type ColumnName } from '../output/columnLabels';
import { sheetNameProblem } from '../xlsx/applyEditPlan';
import type { ChartPicture, ReportCharts } from './reportCharts';
import type { ReportData, ReportLagRow, ReportProject, ReportRankingRow } from './reportData';
import {
  DATE_FORMAT,
  PERCENT_FORMAT,
  addTable,
  amountFormat,
  breakBefore,
  excelDate,
  font,
  freezeAbove,
  pageHeightPx,
  placePicture,
  rowsHeightPx,
  setUpPrint,
  solidFill,
  writeCell,
  columnsWidthPx,
  PRINTABLE,
  type Picture,
  type PlacedTable,
  type TableColumn,
} from './sheetKit';
import { SEVERITY, bySeverity, isLagging, statusLabel } from './statusStyle';

/** The fixed sheets' names in `lang`. */
export function reportSheetNames(lang: Lang): { overview: string; ranking: string; lag: string } {
  return { overview: t(lang, 'report.sheet.overview'), ranking: t(lang, 'report.sheet.ranking'), lag: t(lang, 'report.sheet.lag') };
}
export const RANKING_TABLE = 'Ranking';
export const LAG_TABLE = 'LagAlerts';
export const categoryTableName = (no: number) => `Category${String(no).padStart(2, '0')}`;

const TITLE_ROW = 1;
const SUBTITLE_ROW = 2;
export const TABLE_ROW = 4;
const RED = 'FFB3272D';
const GREY_TEXT = 'FF555555';

const SUPERVISION_POINTS = Math.round(SERIOUSLY_BEHIND_GAP * 100);
const isRate = (row: { kind: string }) => row.kind === 'rate';

// ---------------------------------------------------------------------------------------------
// Sheet names

/** A valid, unique sheet name for a category: forbidden characters dropped, ≤ 31 characters. */
export function categorySheetName(name: string, no: number, taken: Set<string>, lang: Lang): string {
  // Apostrophes go too: ExcelJS writes the print area as '<sheet>'!A1:B2 without doubling them.
  let base = name.replace(/[[\]:*?/\\']/g, '').replace(/\s+/g, ' ').trim();
  if (base === '' || base.toLowerCase() === 'history') base = t(lang, 'report.sheet.category', { no });
  const fit = (text: string, room: number) => {
    let out = text;
    while (out.length > room) out = [...out].slice(0, -1).join('');
    return out.trim();
  };
  let candidate = fit(base, 31);
  for (let n = 2; taken.has(candidate.toLowerCase()) || sheetNameProblem(candidate) !== null; n++) {
    const suffix = `(${n === 2 ? no : `${no}-${n}`})`;
    candidate = fit(base, 31 - suffix.length) + suffix;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}

// ---------------------------------------------------------------------------------------------
// Shared layout

export function title(ws: ExcelJS.Worksheet, text: string, subtitle: string): void {
  writeCell(ws, TITLE_ROW, 1, text, { font: font({ size: 18, bold: true }), alignment: { vertical: 'middle' } });
  ws.getRow(TITLE_ROW).height = 30;
  writeCell(ws, SUBTITLE_ROW, 1, subtitle, { font: font({ size: 10, color: { argb: GREY_TEXT } }), alignment: { vertical: 'top' } });
  ws.getRow(SUBTITLE_ROW).height = 18;
}

/** A picture given a page of its own grows to fill it, up to this factor (the PNG has pixels to spare). */
const MAX_ENLARGE = 1.6;

export interface Laid {
  /** Cells covered by the table and all pictures: the print area. */
  extent: CellRange;
  /** The table runs over more than one printed page (only then are its header rows repeated). */
  tableSpansPages: boolean;
}

/**
 * Places pictures one below the other under a table, each on the page the table ends on if it fits
 * there, else on a page of its own, enlarged to fill it. Page size is what fitting the widest thing on
 * the sheet to the page width leaves.
 */
export function placeBelowTable(wb: ExcelJS.Workbook, ws: ExcelJS.Worksheet, table: PlacedTable, pictures: readonly ChartPicture[]): Laid {
  const tableWidth = columnsWidthPx(ws, 1, table.range.right);
  const pageWidth = Math.max(tableWidth, PRINTABLE.width, ...pictures.map((p) => p.width));
  const tableBottomPx = rowsHeightPx(ws, 1, table.range.bottom);
  const tableSpansPages = tableBottomPx > pageHeightPx(pageWidth);
  // Pages after the first start with the repeated header row when there is one.
  const pageHeight = pageHeightPx(pageWidth) - (tableSpansPages ? rowsHeightPx(ws, table.range.top, table.range.top) : 0);
  let extent: CellRange = { ...table.range, top: 1, left: 1 };
  let row = table.range.bottom + 2;
  // Where a long table's last page ends is Excel's to decide: after one, pictures start a new page.
  let used = tableSpansPages ? Infinity : tableBottomPx;
  for (const natural of pictures) {
    let p: Picture = natural;
    if (used + rowsHeightPx(ws, row - 1, row - 1) + natural.height > pageHeight) {
      breakBefore(ws, row);
      used = 0;
      const room = pageHeight - 2 * rowsHeightPx(ws, row, row);
      const factor = Math.min(pageWidth / natural.width, room / natural.height, MAX_ENLARGE);
      p = { ...natural, width: Math.floor(natural.width * factor), height: Math.floor(natural.height * factor) };
    } else {
      used += rowsHeightPx(ws, row - 1, row - 1);
    }
    const cells = placePicture(wb, ws, p, row);
    extent = { top: 1, left: 1, bottom: cells.bottom, right: Math.max(extent.right, cells.right) };
    used += rowsHeightPx(ws, row, cells.bottom);
    row = cells.bottom + 2;
  }
  return { extent, tableSpansPages };
}

/** Print setup of a sheet laid out by placeBelowTable: header rows repeated only where the table continues. */
export function printTableSheet(ws: ExcelJS.Worksheet, laid: Laid, title: string, lang: Lang): void {
  setUpPrint(ws, {
    lang,
    area: laid.extent,
    ...(laid.tableSpansPages ? { repeatRows: { from: TABLE_ROW, to: TABLE_ROW } } : {}),
    title,
  });
}

// ---------------------------------------------------------------------------------------------
// 概覽

export interface Headline {
  /** District metrics per lag_status. */
  pairs: Record<LagStatus, number>;
  /** Projects with at least one district metric in that status. */
  projects: Record<LagStatus, number>;
  totalPairs: number;
  supervisionPairs: number;
  supervisionDistricts: number;
  supervisionProjects: number;
}

export function headlineFigures(lag: readonly ReportLagRow[]): Headline {
  const pairs = Object.fromEntries(LAG_STATUSES_BEST_FIRST.map((s) => [s, 0])) as Record<LagStatus, number>;
  const projectSets = Object.fromEntries(LAG_STATUSES_BEST_FIRST.map((s) => [s, new Set<number>()])) as Record<LagStatus, Set<number>>;
  for (const row of lag) {
    pairs[row.lag_status] += 1;
    projectSets[row.lag_status].add(row.project_no);
  }
  const candidates = lag.filter(isSupervisionCandidate);
  return {
    pairs,
    projects: Object.fromEntries(LAG_STATUSES_BEST_FIRST.map((s) => [s, projectSets[s].size])) as Record<LagStatus, number>,
    totalPairs: lag.length,
    supervisionPairs: candidates.length,
    supervisionDistricts: new Set(candidates.map((r) => r.district)).size,
    supervisionProjects: new Set(candidates.map((r) => r.project_no)).size,
  };
}

/** Rows of the headline block, for readers of the workbook (tests, the add-in). */
export const OVERVIEW_ROWS = { statusLabels: 4, pairs: 5, share: 6, projects: 7, reports: 9, supervision: 10, leaders: 11 } as const;

function buildOverview(wb: ExcelJS.Workbook, data: ReportData, charts: ReportCharts, lang: Lang): void {
  const sheets = reportSheetNames(lang);
  const label = (column: ColumnName) => columnLabel(lang, column);
  const ws = wb.addWorksheet(sheets.overview, { views: [{ showGridLines: false }] });
  const headline = headlineFigures(data.lag);
  title(ws, t(lang, 'report.overview.title', { year: data.planYear }), t(lang, 'report.overview.subtitle', { date: chineseDate(data.asOf, lang) }));
  ws.getColumn(1).width = 22;
  LAG_STATUSES_BEST_FIRST.forEach((_, i) => (ws.getColumn(2 + i).width = 13));

  const centred: Partial<ExcelJS.Alignment> = { horizontal: 'center', vertical: 'middle' };
  const rowLabel = (row: number, text: string) =>
    writeCell(ws, row, 1, text, { font: font({ bold: true }), alignment: { vertical: 'middle' } });
  const border: Partial<ExcelJS.Borders> = {
    top: { style: 'thin', color: { argb: 'FFFFFFFF' } },
    left: { style: 'thin', color: { argb: 'FFFFFFFF' } },
    right: { style: 'thin', color: { argb: 'FFFFFFFF' } },
    bottom: { style: 'thin', color: { argb: 'FFFFFFFF' } },
  };
  rowLabel(OVERVIEW_ROWS.pairs, t(lang, 'report.overview.pairs'));
  rowLabel(OVERVIEW_ROWS.share, t(lang, 'report.overview.share'));
  rowLabel(OVERVIEW_ROWS.projects, t(lang, 'report.overview.projects'));
  LAG_STATUSES_BEST_FIRST.forEach((status, i) => {
    const col = 2 + i;
    const fill = solidFill(LAG_STATUS_FILLS[status]);
    writeCell(ws, OVERVIEW_ROWS.statusLabels, col, statusLabel(status, lang), { font: font({ bold: true, size: 12 }), alignment: centred, fill, border });
    writeCell(ws, OVERVIEW_ROWS.pairs, col, headline.pairs[status], { font: font({ bold: true, size: 26 }), alignment: centred, fill, border, numFmt: '0' });
    writeCell(ws, OVERVIEW_ROWS.share, col, headline.totalPairs > 0 ? headline.pairs[status] / headline.totalPairs : null, {
      font: font({ size: 11, color: { argb: GREY_TEXT } }),
      alignment: centred,
      numFmt: PERCENT_FORMAT,
    });
    writeCell(ws, OVERVIEW_ROWS.projects, col, headline.projects[status], { font: font({ bold: true, size: 16 }), alignment: centred, numFmt: '0' });
  });
  ws.getRow(OVERVIEW_ROWS.statusLabels).height = 24;
  ws.getRow(OVERVIEW_ROWS.pairs).height = 44;
  ws.getRow(OVERVIEW_ROWS.projects).height = 26;

  const missing = data.expectedDistricts.filter((d) => !data.receivedDistricts.includes(d));
  rowLabel(OVERVIEW_ROWS.reports, t(lang, 'report.overview.reports'));
  writeCell(ws, OVERVIEW_ROWS.reports, 2, data.receivedDistricts.length, { font: font({ bold: true, size: 20 }), alignment: centred, numFmt: '0' });
  writeCell(ws, OVERVIEW_ROWS.reports, 3, data.expectedDistricts.length, {
    font: font({ size: 20, color: { argb: GREY_TEXT } }),
    alignment: centred,
    numFmt: '"/ "0',
  });
  writeCell(
    ws,
    OVERVIEW_ROWS.reports,
    4,
    data.period
      ? missing.length === 0
        ? t(lang, 'report.overview.period-all', { date: chineseDate(data.period, lang) })
        : t(lang, 'report.overview.period-missing', { date: chineseDate(data.period, lang), districts: missing.join('、') })
      : t(lang, 'report.overview.no-reports'),
    { font: font({ size: 11 }), alignment: { vertical: 'middle', wrapText: true } },
  );
  ws.mergeCells(OVERVIEW_ROWS.reports, 4, OVERVIEW_ROWS.reports, 1 + LAG_STATUSES_BEST_FIRST.length);

  rowLabel(OVERVIEW_ROWS.supervision, t(lang, 'report.overview.supervision', { word: t(lang, 'status.supervision'), candidate: t(lang, 'status.supervision.candidate') }));
  writeCell(ws, OVERVIEW_ROWS.supervision, 2, headline.supervisionPairs, {
    font: font({ bold: true, size: 20, color: { argb: RED } }),
    alignment: centred,
    numFmt: '0',
  });
  writeCell(
    ws,
    OVERVIEW_ROWS.supervision,
    3,
    headline.supervisionPairs > 0
      ? t(lang, 'report.overview.supervision-some', { points: SUPERVISION_POINTS, districts: headline.supervisionDistricts, projects: headline.supervisionProjects, sheet: sheets.lag })
      : t(lang, 'report.overview.supervision-none', { points: SUPERVISION_POINTS }),
    { font: font({ size: 11 }), alignment: { vertical: 'middle', wrapText: true } },
  );
  ws.mergeCells(OVERVIEW_ROWS.supervision, 3, OVERVIEW_ROWS.supervision, 1 + LAG_STATUSES_BEST_FIRST.length);

  rowLabel(OVERVIEW_ROWS.leaders, t(lang, 'report.overview.leaders'));
  const first = data.ranking[0];
  const last = data.ranking[data.ranking.length - 1];
  const score = (r: ReportRankingRow) =>
    r.schedule_attainment === null
      ? t(lang, 'report.overview.score-completion', { percent: percentText(Math.min(r.completion, 1)) })
      : t(lang, 'report.overview.score', { label: label('schedule_attainment'), percent: percentText(r.schedule_attainment) });
  writeCell(
    ws,
    OVERVIEW_ROWS.leaders,
    2,
    first && last && first !== last
      ? t(lang, 'report.overview.first-last', { first: first.district, firstScore: score(first), last: last.district, lastScore: score(last), sheet: sheets.ranking })
      : t(lang, 'report.overview.see', { sheet: sheets.ranking }),
    { font: font({ size: 11 }), alignment: { vertical: 'middle', wrapText: true } },
  );
  ws.mergeCells(OVERVIEW_ROWS.leaders, 2, OVERVIEW_ROWS.leaders, 1 + LAG_STATUSES_BEST_FIRST.length);
  for (const row of [OVERVIEW_ROWS.reports, OVERVIEW_ROWS.supervision, OVERVIEW_ROWS.leaders]) ws.getRow(row).height = 34;

  // Page 1: the figures and the ranking; page 2: completion by category. One print scale for both,
  // chosen so that page 1 is whole.
  const block: CellRange = { top: 1, left: 1, bottom: OVERVIEW_ROWS.leaders, right: 1 + LAG_STATUSES_BEST_FIRST.length };
  const rankingRow = block.bottom + 2;
  const rankingCells = placePicture(wb, ws, charts.ranking, rankingRow);
  const categoriesRow = rankingCells.bottom + 2;
  breakBefore(ws, categoriesRow);
  const categoryCells = placePicture(wb, ws, charts.categories, categoriesRow);
  const widthPx = Math.max(columnsWidthPx(ws, 1, block.right), charts.ranking.width, charts.categories.width) + 10;
  const page1Height = rowsHeightPx(ws, 1, rankingCells.bottom);
  const scale = Math.min(pageHeightPx(widthPx) / page1Height, 1);
  setUpPrint(ws, {
    area: { top: 1, left: 1, bottom: categoryCells.bottom, right: Math.max(block.right, rankingCells.right, categoryCells.right) },
    title: t(lang, 'report.workbook-title', { year: data.planYear, asOf: chineseDate(data.asOf, lang) }),
    lang,
    scalePercent: Math.max(10, Math.floor(scale * 100)),
  });
}

// ---------------------------------------------------------------------------------------------
// 排名

export function rankingColumns(lang: Lang): TableColumn<ReportRankingRow>[] {
  const label = (column: ColumnName) => columnLabel(lang, column);
  return [
    { header: label('rank'), value: (r) => r.rank, align: 'center' },
    { header: label('district'), value: (r) => r.district },
    { header: label('schedule_attainment'), value: (r) => r.schedule_attainment, numFmt: PERCENT_FORMAT },
    { header: label('completion'), value: (r) => r.completion, numFmt: PERCENT_FORMAT },
    { header: label('tie_rank'), value: (r) => r.tie_rank, align: 'center' },
    { header: label('tied'), value: (r) => t(lang, r.tied ? 'table.yes' : 'table.no'), align: 'center' },
    { header: label('metric_count'), value: (r) => r.metric_count },
    { header: label('expected_metric_count'), value: (r) => r.expected_metric_count },
    { header: label('missing_count'), value: (r) => r.missing_count },
    {
      header: label('seriously_behind_count'),
      value: (r) => r.seriously_behind_count,
      font: (r) => (r.seriously_behind_count > 0 ? { bold: true, color: { argb: RED } } : undefined),
    },
  ];
}

function buildRankingSheet(wb: ExcelJS.Workbook, data: ReportData, charts: ReportCharts, lang: Lang): void {
  const label = (column: ColumnName) => columnLabel(lang, column);
  const ws = wb.addWorksheet(reportSheetNames(lang).ranking);
  const heading = t(lang, 'report.ranking.title', { date: chineseDate(data.asOf, lang) });
  title(ws, heading, t(lang, 'report.ranking.subtitle', { attainment: label('schedule_attainment'), completion: label('completion'), tied: label('tied') }));
  const table = addTable(ws, {
    name: RANKING_TABLE,
    top: TABLE_ROW,
    left: 1,
    columns: rankingColumns(lang),
    rows: data.ranking,
    emptyText: t(lang, 'report.ranking.empty'),
  });
  freezeAbove(ws, TABLE_ROW + 1);
  printTableSheet(ws, placeBelowTable(wb, ws, table, [charts.ranking]), heading, lang);
}

// ---------------------------------------------------------------------------------------------
// 滯後預警

export function lagColumns(lang: Lang): TableColumn<ReportLagRow>[] {
  const label = (column: ColumnName) => columnLabel(lang, column);
  // The unit of measure is shown by the amounts' number format ("15 個"), not in a column of its own.
  const amountFmt = (value: (r: ReportLagRow) => number | null) => (r: ReportLagRow) =>
    isRate(r) ? PERCENT_FORMAT : amountFormat(value(r), r.unit);
  return [
    { header: label('district'), value: (r) => r.district, maxWidth: 12 },
    { header: label('metric_id'), value: (r) => r.metric_id, align: 'center' },
    { header: label('label'), value: (r) => r.label, maxWidth: 22 },
    { header: label('target_total'), value: (r) => r.target_total, numFmt: amountFmt((r) => r.target_total) },
    { header: label('completed'), value: (r) => r.completed, numFmt: amountFmt((r) => r.completed) },
    { header: label('completion'), value: (r) => r.completion, numFmt: PERCENT_FORMAT },
    { header: label('expected_ratio'), value: (r) => r.expected_ratio, numFmt: PERCENT_FORMAT },
    { header: label('gap'), value: (r) => r.gap, numFmt: PERCENT_FORMAT },
    { header: label('lag_status'), value: (r) => statusLabel(r.lag_status, lang), align: 'center' },
    {
      header: t(lang, 'status.supervision'),
      value: (r) => (isSupervisionCandidate(r) ? t(lang, 'status.supervision.candidate') : null),
      align: 'center',
      font: () => ({ bold: true, color: { argb: RED } }),
    },
    { header: label('milestone_text'), value: (r) => r.milestone_text ?? null, maxWidth: 26 },
    { header: label('last_report_date'), value: (r) => excelDate(r.last_report_date), numFmt: DATE_FORMAT },
    { header: t(lang, 'report.col.note'), value: (r) => r.note ?? null, maxWidth: 20 },
  ];
}

/** The lagging district metrics in the order the sheet lists them. */
export function lagAlerts(lag: readonly ReportLagRow[]): ReportLagRow[] {
  return lag.filter(isLagging).sort(bySeverity);
}

function buildLagSheet(wb: ExcelJS.Workbook, data: ReportData, charts: ReportCharts, lang: Lang): void {
  const ws = wb.addWorksheet(reportSheetNames(lang).lag);
  const rows = lagAlerts(data.lag);
  const heading = t(lang, 'report.lag.title', { date: chineseDate(data.asOf, lang) });
  const legend = SEVERITY.filter((s) => s !== 'on_track')
    .map((s) => statusLabel(s, lang))
    .join('、');
  title(
    ws,
    heading,
    t(lang, 'report.lag.subtitle', {
      count: rows.length,
      word: t(lang, 'status.supervision'),
      candidate: t(lang, 'status.supervision.candidate'),
      gap: columnLabel(lang, 'gap'),
      points: SUPERVISION_POINTS,
      legend,
      status: columnLabel(lang, 'lag_status'),
    }),
  );
  const table = addTable(ws, {
    name: LAG_TABLE,
    top: TABLE_ROW,
    left: 1,
    columns: lagColumns(lang),
    rows,
    fill: (r) => LAG_STATUS_FILLS[r.lag_status],
    emptyText: t(lang, 'report.lag.empty'),
  });
  freezeAbove(ws, TABLE_ROW + 1);
  printTableSheet(ws, placeBelowTable(wb, ws, table, [charts.heatmap]), heading, lang);
}

// ---------------------------------------------------------------------------------------------
// One sheet per category

export interface ProjectSummary {
  project: ReportProject;
  pairs: number;
  /** Mean of min(completion, 1) over the project's district metrics (nothing reported counts 0); null without any. */
  completion: number | null;
  counts: Record<LagStatus, number>;
  supervision: number;
}

export function projectSummaries(projects: readonly ReportProject[], lag: readonly ReportLagRow[]): ProjectSummary[] {
  return projects.map((project) => {
    const own = lag.filter((r) => r.project_no === project.project_no);
    const counts = Object.fromEntries(LAG_STATUSES_BEST_FIRST.map((s) => [s, 0])) as Record<LagStatus, number>;
    for (const r of own) counts[r.lag_status] += 1;
    return {
      project,
      pairs: own.length,
      completion: own.length === 0 ? null : own.reduce((s, r) => s + Math.min(r.completion ?? 0, 1), 0) / own.length,
      counts,
      supervision: own.filter(isSupervisionCandidate).length,
    };
  });
}

export function categoryColumns(lang: Lang): TableColumn<ProjectSummary>[] {
  const label = (column: ColumnName) => columnLabel(lang, column);
  return [
    { header: label('project_no'), value: (s) => s.project.project_no, align: 'center' },
    { header: t(lang, 'report.col.project-name'), value: (s) => s.project.name, maxWidth: 34 },
    { header: t(lang, 'report.col.lead-unit'), value: (s) => s.project.lead_unit, maxWidth: 18 },
    { header: label('deadline'), value: (s) => excelDate(s.project.deadline), numFmt: DATE_FORMAT },
    { header: t(lang, 'report.col.pairs'), value: (s) => s.pairs },
    { header: label('completion'), value: (s) => s.completion, numFmt: PERCENT_FORMAT },
    ...LAG_STATUSES_BEST_FIRST.map(
      (status): TableColumn<ProjectSummary> => ({
        header: statusLabel(status, lang),
        value: (s) => s.counts[status],
        ...(status === 'on_track' ? {} : { font: (s: ProjectSummary) => (s.counts[status] > 0 ? { bold: true } : undefined) }),
      }),
    ),
    {
      header: t(lang, 'status.supervision'),
      value: (s) => s.supervision,
      font: (s) => (s.supervision > 0 ? { bold: true, color: { argb: RED } } : undefined),
    },
  ];
}

function buildCategorySheet(
  wb: ExcelJS.Workbook,
  data: ReportData,
  charts: ReportCharts,
  category: { category_no: number; name: string },
  sheetName: string,
  lang: Lang,
): void {
  const ws = wb.addWorksheet(sheetName);
  const projects = data.projects.filter((p) => p.category_no === category.category_no);
  const heading = t(lang, 'report.category.title', { category: category.name, date: chineseDate(data.asOf, lang) });
  title(ws, heading, t(lang, 'report.category.subtitle', { count: projects.length, pairs: t(lang, 'report.col.pairs'), status: columnLabel(lang, 'lag_status') }));
  const table = addTable(ws, {
    name: categoryTableName(category.category_no),
    top: TABLE_ROW,
    left: 1,
    columns: categoryColumns(lang),
    rows: projectSummaries(projects, data.lag),
    emptyText: t(lang, 'report.category.empty'),
  });
  const pictures = projects.flatMap((p) => {
    const chart = charts.projects.get(p.project_no);
    return chart ? [chart] : [];
  });
  freezeAbove(ws, TABLE_ROW + 1);
  printTableSheet(ws, placeBelowTable(wb, ws, table, pictures), heading, lang);
}

// ---------------------------------------------------------------------------------------------

export interface ReportLayout {
  /** Category number → its sheet's name. */
  categorySheets: Map<number, string>;
}

export function buildReportWorkbook(data: ReportData, charts: ReportCharts, lang: Lang): { workbook: ExcelJS.Workbook; layout: ReportLayout } {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'minsheng';
  wb.title = t(lang, 'report.workbook-title', { year: data.planYear, asOf: data.asOf });
  buildOverview(wb, data, charts, lang);
  buildRankingSheet(wb, data, charts, lang);
  buildLagSheet(wb, data, charts, lang);
  const taken = new Set(Object.values(reportSheetNames(lang)).map((n) => n.toLowerCase()));
  const categorySheets = new Map<number, string>();
  for (const category of data.categories) {
    const name = categorySheetName(category.name, category.category_no, taken, lang);
    categorySheets.set(category.category_no, name);
    buildCategorySheet(wb, data, charts, category, name, lang);
  }
  return { workbook: wb, layout: { categorySheets } };
}
