// The leaders' workbook (docs/design.md, "The report and charts"): 概覽 (headline figures and the ranking
// chart), 排名 (the ranking table and chart), 滯後預警 (every lagging district metric, most urgent first, with
// the heatmap), and one sheet per category with its projects and their milestone charts. Built new with
// ExcelJS from ReportData and rendered charts; every sheet prints on A4 landscape.
import ExcelJS from 'exceljs';
import type { CellRange } from '../../core/grid';
import { chineseDate, percentText } from '../charts/theme';
import { LAG_STATUS_FILLS, LAG_STATUSES_BEST_FIRST, SERIOUSLY_BEHIND_GAP, isSupervisionCandidate, type LagStatus } from '../../core/lagStatus';
import { LITERAL_TEXT_LANG } from '../../core/messages/lang';
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
import { SEVERITY, SUPERVISION_CANDIDATE, SUPERVISION_WORD, bySeverity, isLagging, statusLabel } from './statusStyle';

export const OVERVIEW_SHEET = '概覽';
export const RANKING_SHEET = '排名';
export const LAG_SHEET = '滯後預警';
export const RANKING_TABLE = 'Ranking';
export const LAG_TABLE = 'LagAlerts';
export const categoryTableName = (no: number) => `Category${String(no).padStart(2, '0')}`;

/** Header of the derived columns (no query column of that name). */
export const NOTE_HEADER = '備註';
export const PAIRS_HEADER = '區縣指標數';

const TITLE_ROW = 1;
const SUBTITLE_ROW = 2;
export const TABLE_ROW = 4;
const RED = 'FFB3272D';
const GREY_TEXT = 'FF555555';

const label = (column: ColumnName) => columnLabel(LITERAL_TEXT_LANG, column);
const isRate = (row: { kind: string }) => row.kind === 'rate';

// ---------------------------------------------------------------------------------------------
// Sheet names

/** A valid, unique sheet name for a category: forbidden characters dropped, ≤ 31 characters. */
export function categorySheetName(name: string, no: number, taken: Set<string>): string {
  // Apostrophes go too: ExcelJS writes the print area as '<sheet>'!A1:B2 without doubling them.
  let base = name.replace(/[[\]:*?/\\']/g, '').replace(/\s+/g, ' ').trim();
  if (base === '' || base.toLowerCase() === 'history') base = `類別${no}`;
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
export function printTableSheet(ws: ExcelJS.Worksheet, laid: Laid, title: string): void {
  setUpPrint(ws, {
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

function buildOverview(wb: ExcelJS.Workbook, data: ReportData, charts: ReportCharts): void {
  const ws = wb.addWorksheet(OVERVIEW_SHEET, { views: [{ showGridLines: false }] });
  const headline = headlineFigures(data.lag);
  title(
    ws,
    `${data.planYear}年民生實事項目推進情況`,
    `截至${chineseDate(data.asOf)}；按各區縣進度報送表累計完成數計算；一個「區縣指標」為一個區縣在一項量化指標上的任務`,
  );
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
  rowLabel(OVERVIEW_ROWS.pairs, '區縣指標（個）');
  rowLabel(OVERVIEW_ROWS.share, '占全部區縣指標');
  rowLabel(OVERVIEW_ROWS.projects, '涉及項目（個）');
  LAG_STATUSES_BEST_FIRST.forEach((status, i) => {
    const col = 2 + i;
    const fill = solidFill(LAG_STATUS_FILLS[status]);
    writeCell(ws, OVERVIEW_ROWS.statusLabels, col, statusLabel(status), { font: font({ bold: true, size: 12 }), alignment: centred, fill, border });
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
  rowLabel(OVERVIEW_ROWS.reports, '本期報送（區縣）');
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
      ? `${chineseDate(data.period)}一期：${missing.length === 0 ? '全部按期報送' : `未報送：${missing.join('、')}`}`
      : '截至該日尚無報送',
    { font: font({ size: 11 }), alignment: { vertical: 'middle', wrapText: true } },
  );
  ws.mergeCells(OVERVIEW_ROWS.reports, 4, OVERVIEW_ROWS.reports, 1 + LAG_STATUSES_BEST_FIRST.length);

  rowLabel(OVERVIEW_ROWS.supervision, `${SUPERVISION_WORD}${SUPERVISION_CANDIDATE}（個）`);
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
      ? `進度落後計劃15個百分點及以上的區縣指標，涉及${headline.supervisionDistricts}個區縣、${headline.supervisionProjects}個項目；名單見「${LAG_SHEET}」表前列`
      : '沒有進度落後計劃15個百分點及以上的區縣指標',
    { font: font({ size: 11 }), alignment: { vertical: 'middle', wrapText: true } },
  );
  ws.mergeCells(OVERVIEW_ROWS.supervision, 3, OVERVIEW_ROWS.supervision, 1 + LAG_STATUSES_BEST_FIRST.length);

  rowLabel(OVERVIEW_ROWS.leaders, '進度排名');
  const first = data.ranking[0];
  const last = data.ranking[data.ranking.length - 1];
  const score = (r: ReportRankingRow) =>
    r.schedule_attainment === null ? `完成率${percentText(Math.min(r.completion, 1))}` : `${label('schedule_attainment')}${percentText(r.schedule_attainment)}`;
  writeCell(
    ws,
    OVERVIEW_ROWS.leaders,
    2,
    first && last && first !== last ? `第1名 ${first.district}（${score(first)}）；末位 ${last.district}（${score(last)}）；詳見「${RANKING_SHEET}」表` : `詳見「${RANKING_SHEET}」表`,
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
    title: `${data.planYear}年民生實事項目推進情況（截至${chineseDate(data.asOf)}）`,
    scalePercent: Math.max(10, Math.floor(scale * 100)),
  });
}

// ---------------------------------------------------------------------------------------------
// 排名

export function rankingColumns(): TableColumn<ReportRankingRow>[] {
  return [
    { header: label('rank'), value: (r) => r.rank, align: 'center' },
    { header: label('district'), value: (r) => r.district },
    { header: label('schedule_attainment'), value: (r) => r.schedule_attainment, numFmt: PERCENT_FORMAT },
    { header: label('completion'), value: (r) => r.completion, numFmt: PERCENT_FORMAT },
    { header: label('tie_rank'), value: (r) => r.tie_rank, align: 'center' },
    { header: label('tied'), value: (r) => (r.tied ? '是' : '否'), align: 'center' },
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

function buildRankingSheet(wb: ExcelJS.Workbook, data: ReportData, charts: ReportCharts): void {
  const ws = wb.addWorksheet(RANKING_SHEET);
  const heading = `各區縣民生實事進度排名（截至${chineseDate(data.asOf)}）`;
  title(ws, heading, `按${label('schedule_attainment')}排序，同分再比${label('completion')}；${label('tied')}：得分相同，名次僅按區縣順序區分；空白${label('schedule_attainment')}表示尚無到期的量化節點`);
  const table = addTable(ws, {
    name: RANKING_TABLE,
    top: TABLE_ROW,
    left: 1,
    columns: rankingColumns(),
    rows: data.ranking,
    emptyText: '截至該日沒有可排名的區縣',
  });
  freezeAbove(ws, TABLE_ROW + 1);
  printTableSheet(ws, placeBelowTable(wb, ws, table, [charts.ranking]), heading);
}

// ---------------------------------------------------------------------------------------------
// 滯後預警

export function lagColumns(): TableColumn<ReportLagRow>[] {
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
    { header: label('lag_status'), value: (r) => statusLabel(r.lag_status), align: 'center' },
    {
      header: SUPERVISION_WORD,
      value: (r) => (isSupervisionCandidate(r) ? SUPERVISION_CANDIDATE : null),
      align: 'center',
      font: () => ({ bold: true, color: { argb: RED } }),
    },
    { header: label('milestone_text'), value: (r) => r.milestone_text ?? null, maxWidth: 26 },
    { header: label('last_report_date'), value: (r) => excelDate(r.last_report_date), numFmt: DATE_FORMAT },
    { header: NOTE_HEADER, value: (r) => r.note ?? null, maxWidth: 20 },
  ];
}

/** The lagging district metrics in the order the sheet lists them. */
export function lagAlerts(lag: readonly ReportLagRow[]): ReportLagRow[] {
  return lag.filter(isLagging).sort(bySeverity);
}

function buildLagSheet(wb: ExcelJS.Workbook, data: ReportData, charts: ReportCharts): void {
  const ws = wb.addWorksheet(LAG_SHEET);
  const rows = lagAlerts(data.lag);
  const heading = `民生實事項目滯後預警（截至${chineseDate(data.asOf)}）`;
  const legend = SEVERITY.filter((s) => s !== 'on_track').map(statusLabel).join('、');
  title(
    ws,
    heading,
    `共${rows.length}個區縣指標未按計劃推進；${SUPERVISION_WORD}${SUPERVISION_CANDIDATE}（${label('gap')}≥${Math.round(SERIOUSLY_BEHIND_GAP * 100)}個百分點）排在最前，其餘按${legend}排列；行底色表示${label('lag_status')}`,
  );
  const table = addTable(ws, {
    name: LAG_TABLE,
    top: TABLE_ROW,
    left: 1,
    columns: lagColumns(),
    rows,
    fill: (r) => LAG_STATUS_FILLS[r.lag_status],
    emptyText: '截至該日所有區縣指標均按計劃推進',
  });
  freezeAbove(ws, TABLE_ROW + 1);
  printTableSheet(ws, placeBelowTable(wb, ws, table, [charts.heatmap]), heading);
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

export function categoryColumns(): TableColumn<ProjectSummary>[] {
  return [
    { header: label('project_no'), value: (s) => s.project.project_no, align: 'center' },
    { header: '項目名稱', value: (s) => s.project.name, maxWidth: 34 },
    { header: '牽頭單位', value: (s) => s.project.lead_unit, maxWidth: 18 },
    { header: label('deadline'), value: (s) => excelDate(s.project.deadline), numFmt: DATE_FORMAT },
    { header: PAIRS_HEADER, value: (s) => s.pairs },
    { header: label('completion'), value: (s) => s.completion, numFmt: PERCENT_FORMAT },
    ...LAG_STATUSES_BEST_FIRST.map(
      (status): TableColumn<ProjectSummary> => ({
        header: statusLabel(status),
        value: (s) => s.counts[status],
        ...(status === 'on_track' ? {} : { font: (s: ProjectSummary) => (s.counts[status] > 0 ? { bold: true } : undefined) }),
      }),
    ),
    {
      header: SUPERVISION_WORD,
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
): void {
  const ws = wb.addWorksheet(sheetName);
  const projects = data.projects.filter((p) => p.category_no === category.category_no);
  const heading = `${category.name}（截至${chineseDate(data.asOf)}）`;
  title(ws, heading, `本類別${projects.length}個項目的區縣指標進度；${PAIRS_HEADER}按${label('lag_status')}分列；其後每頁一個項目的節點進度圖`);
  const table = addTable(ws, {
    name: categoryTableName(category.category_no),
    top: TABLE_ROW,
    left: 1,
    columns: categoryColumns(),
    rows: projectSummaries(projects, data.lag),
    emptyText: '本類別沒有項目',
  });
  const pictures = projects.flatMap((p) => {
    const chart = charts.projects.get(p.project_no);
    return chart ? [chart] : [];
  });
  freezeAbove(ws, TABLE_ROW + 1);
  printTableSheet(ws, placeBelowTable(wb, ws, table, pictures), heading);
}

// ---------------------------------------------------------------------------------------------

export interface ReportLayout {
  /** Category number → its sheet's name. */
  categorySheets: Map<number, string>;
}

export function buildReportWorkbook(data: ReportData, charts: ReportCharts): { workbook: ExcelJS.Workbook; layout: ReportLayout } {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'minsheng';
  wb.title = `${data.planYear}年民生實事項目推進情況（截至${data.asOf}）`;
  buildOverview(wb, data, charts);
  buildRankingSheet(wb, data, charts);
  buildLagSheet(wb, data, charts);
  const taken = new Set([OVERVIEW_SHEET, RANKING_SHEET, LAG_SHEET].map((n) => n.toLowerCase()));
  const categorySheets = new Map<number, string>();
  for (const category of data.categories) {
    const name = categorySheetName(category.name, category.category_no, taken);
    categorySheets.set(category.category_no, name);
    buildCategorySheet(wb, data, charts, category, name);
  }
  return { workbook: wb, layout: { categorySheets } };
}
