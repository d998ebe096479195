// `minsheng annotate`: a copy of a district's submission (進度報送表) with every lagging row filled in
// its status colour and a note on its 累計完成 cell saying, in Chinese, what was expected, what was done
// and which milestone was missed; plus a sheet 圖表 with the district's trend and the ranking. The
// district and date come from the file itself; the judgement is lag(date) from the store, the same as
// `minsheng lag`. The input file is read once and never written.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { GridView, a1, parseA1, type Grid } from '../../core/grid';
import { detectSubmissionLayout, findTemplateHeader, parseMetricId, readSubmissions, type Submission } from '../../core/submission';
import { rankingChart } from '../charts/ranking';
import { chineseDate, percentText } from '../charts/theme';
import { readPlan } from '../db/plan';
import { runQuery } from '../db/queries';
import type { Store } from '../db/store';
import { t, type Lang } from '../../core/messages';
import { columnLabel } from '../output/columnLabels';
import { sheetNameProblem, writeWorkbookCopy } from '../xlsx/applyEditPlan';
import { checkOutputFile } from '../output/outputGuard';
import { readWorkbookBytes } from '../xlsx/readWorkbook';
import { highlightDistrict, picture, trendPicture, type ChartPicture, type ChartRenderer } from './reportCharts';
import { districtTrend, readReportData, type ReportLagRow } from './reportData';
import { shownDistrict } from '../../core/districtNames';
import { displayWidth } from '../output/displayWidth';
import {
  breakBefore,
  columnPixels,
  columnWidthOf,
  font,
  keepValuesOnly,
  pageHeightPx,
  placePicture,
  rowHeightOf,
  rowPixels,
  rowsHeightPx,
  setUpPrint,
  solidFill,
  writeCell,
} from './sheetKit';
import { LAG_STATUS_FILLS, isSupervisionCandidate } from '../../core/lagStatus';
import { isLagging, statusLabel } from './statusStyle';

/** The name of the sheet the charts go on, in `lang` (a number follows when a sheet has it already). */
export function chartSheetBaseName(lang: Lang): string {
  return t(lang, 'annotate.sheet.charts');
}

export interface AnnotateOptions {
  input: string;
  out: string;
  /** Judge at this date instead of the file's 截至日期. */
  asOf?: string;
  /** The reader's language: the notes, the chart sheet and its charts, the warnings. */
  lang: Lang;
  /** Replace an existing file at `out` (the user said --force); the database and inputs never. */
  force?: boolean;
  render?: ChartRenderer;
}

export interface MarkedRow {
  sheet: string;
  /** Row number in the sheet (1-based). */
  row: number;
  /** The 累計完成 cell that carries the note. */
  cell: string;
  district: string;
  metricId: string;
  status: ReportLagRow['lag_status'];
  note: string;
}

export interface AnnotateResult {
  out: string;
  districts: string[];
  asOf: string;
  marked: MarkedRow[];
  /** Lagging metrics of the district that have no row in the file. */
  notInFile: ReportLagRow[];
  /** Chinese, one line each: things the clerk or analyst should know. */
  warnings: string[];
  chartSheet: string;
}

// ---------------------------------------------------------------------------------------------
// Where each metric's row is

interface SheetRows {
  sheet: string;
  layout: 'template' | 'wide';
  /** Template: the header row and its first/last filled column, to colour whole rows. */
  header?: { row: number; firstCol: number; lastCol: number };
  /** metric id → its 累計完成 cell. */
  cells: Map<string, { row: number; col: number }>;
}

/**
 * The template's rows by 指標編號, blank 累計完成 included (a row left blank is just what a 未報送
 * note is for), then whatever the reader identified otherwise (序號 + target fallback, wide layout).
 */
function locateRows(grid: Grid, layout: 'template' | 'wide', submission: Submission): SheetRows {
  const view = new GridView(grid);
  const cells = new Map<string, { row: number; col: number }>();
  let header: SheetRows['header'];
  const found = layout === 'template' ? findTemplateHeader(view) : undefined;
  if (found) {
    const row = found.row;
    const filled = [...Array(view.lastCol - view.firstCol + 1).keys()].map((i) => view.firstCol + i).filter((c) => view.raw(row, c) !== null);
    header = { row, firstCol: Math.min(...filled), lastCol: Math.max(...filled) };
    const idCol = found.cols.metricId;
    const completedCol = found.cols.completed as number;
    if (idCol !== undefined) {
      for (let r = row + 1; r <= view.lastRow; r++) {
        const id = parseMetricId(view.raw(r, idCol), view.format(r, idCol), view.date1904);
        if (id && !cells.has(id.id)) cells.set(id.id, { row: r, col: completedCol });
      }
    }
  }
  for (const r of submission.rows) if (!cells.has(r.metricId)) cells.set(r.metricId, parseA1(r.cell));
  return { sheet: grid.sheet, layout, ...(header ? { header } : {}), cells };
}

// ---------------------------------------------------------------------------------------------
// What the note says

/** An amount in the metric's unit: as reported (up to 3 decimals), or an estimate to 1 decimal. */
function amountText(value: number, row: ReportLagRow, digits = 3): string {
  if (row.kind === 'rate') return percentText(value);
  const f = 10 ** digits;
  return `${(Math.round(value * f) / f).toLocaleString('en-US')}${row.unit}`;
}

/** The note on a lagging row's 累計完成 cell: status, expected vs actual, the missed milestone. */
export function lagNote(row: ReportLagRow, lang: Lang): string {
  const lines: string[] = [];
  const candidate = isSupervisionCandidate(row)
    ? t(lang, 'annotate.note.candidate', { word: t(lang, 'status.supervision'), candidate: t(lang, 'status.supervision.candidate') })
    : '';
  lines.push(t(lang, 'annotate.note.status', { status: statusLabel(row.lag_status, lang), candidate, date: chineseDate(row.as_of, lang) }));
  const expectedAmount = row.expected_ratio * row.target_total;
  lines.push(
    row.expected_ratio > 0
      ? t(lang, 'annotate.note.expected', { percent: percentText(row.expected_ratio), amount: amountText(expectedAmount, row, 1) })
      : t(lang, 'annotate.note.nothing-due'),
  );
  if (row.completed === null || row.completion === null) lines.push(t(lang, 'annotate.note.not-reported'));
  else lines.push(t(lang, 'annotate.note.completed', { percent: percentText(row.completion), amount: amountText(row.completed, row) }));
  if (row.gap > 0) lines.push(t(lang, 'annotate.note.gap', { gap: columnLabel(lang, 'gap'), points: (Math.round(row.gap * 1000) / 10).toFixed(1) }));
  if (row.lag_status === 'stalled' && row.previous_report_date && row.previous_completed !== null) {
    lines.push(t(lang, 'annotate.note.no-increase', { date: row.previous_report_date }));
  }
  if (row.lag_status === 'overdue' && row.deadline) lines.push(t(lang, 'annotate.note.overdue', { deadline: row.deadline }));
  if (row.milestone_text) lines.push(t(lang, 'annotate.note.milestone', { milestone: row.milestone_text }));
  return lines.join('\n');
}

function existingNoteText(cell: ExcelJS.Cell): string | undefined {
  const note = cell.note as string | { texts?: { text: string }[] } | undefined;
  if (note === undefined || note === null) return undefined;
  if (typeof note === 'string') return note;
  return (note.texts ?? []).map((t) => t.text).join('');
}

function markRow(ws: ExcelJS.Worksheet, rows: SheetRows, at: { row: number; col: number }, lag: ReportLagRow, note: string): void {
  const fill = solidFill(LAG_STATUS_FILLS[lag.lag_status]);
  const [from, to] = rows.header ? [rows.header.firstCol, rows.header.lastCol] : [at.col, at.col];
  for (let col = from; col <= to; col++) {
    const cell = ws.getCell(at.row, col);
    // A merged placeholder takes its style from the master cell; ExcelJS styles are replaced, never mutated.
    cell.style = { ...cell.style, fill };
  }
  const cell = ws.getCell(at.row, at.col);
  const before = existingNoteText(cell);
  const text = before ? `${before}\n\n${note}` : note;
  cell.note = { texts: [{ text }], margins: { insetmode: 'auto' } } as ExcelJS.Comment;
  sizeNoteBox(ws, cell, text);
}

/** Width of the note box in px: about 24 Chinese characters of 9 pt a line. */
const NOTE_BOX_PX = 340;
const NOTE_LINE_PX = 16;

/**
 * ExcelJS draws every note box 2 columns × 4 rows, which cuts a note of five lines; Excel shows the
 * box at the size stored in the file. The note's model is given an anchor that fits the text (ExcelJS
 * writes `anchor` when a comment model has one).
 */
function sizeNoteBox(ws: ExcelJS.Worksheet, cell: ExcelJS.Cell, text: string): void {
  const comment = (cell as unknown as { _comment?: { model: Record<string, unknown> } })._comment;
  if (!comment) return;
  const col = Number(cell.col);
  const row = Number(cell.row);
  let right = col; // 0-based index of the column after the cell = its 1-based number
  for (let px = 0; px < NOTE_BOX_PX; right++) px += columnPixels(columnWidthOf(ws, right + 1));
  const charsPerLine = Math.floor(NOTE_BOX_PX / 13);
  const lines = text.split('\n').reduce((n, line) => n + Math.max(1, Math.ceil(displayWidth(line) / 2 / charsPerLine)), 0);
  const top = Math.max(row - 2, 0);
  let bottom = top;
  for (let px = 0; px < lines * NOTE_LINE_PX + 12; bottom++) px += rowPixels(rowHeightOf(ws, bottom + 1));
  const model = comment.model;
  Object.defineProperty(comment, 'model', {
    configurable: true,
    get: () => ({ ...model, anchor: { left: col, top, right, bottom } }),
    set: (value) => Object.defineProperty(comment, 'model', { value, writable: true, configurable: true }),
  });
}

// ---------------------------------------------------------------------------------------------

function chartSheetName(wb: ExcelJS.Workbook, lang: Lang): string {
  const taken = new Set(wb.worksheets.map((ws) => ws.name.toLowerCase()));
  const base = chartSheetBaseName(lang);
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()) || sheetNameProblem(name) !== null; n++) name = `${base}${n}`;
  return name;
}

function addChartSheet(wb: ExcelJS.Workbook, district: string, asOf: string, pictures: ChartPicture[], lang: Lang): string {
  const name = chartSheetName(wb, lang);
  const ws = wb.addWorksheet(name, { views: [{ showGridLines: false }] });
  const heading = t(lang, 'annotate.charts.title', { district, date: chineseDate(asOf, lang) });
  writeCell(ws, 1, 1, heading, { font: font({ size: 16, bold: true }) });
  ws.getRow(1).height = 26;
  writeCell(ws, 2, 1, t(lang, 'annotate.charts.subtitle'), {
    font: font({ size: 10, color: { argb: 'FF555555' } }),
  });
  const widthPx = Math.max(...pictures.map((p) => p.width)) + 10;
  const pageHeight = pageHeightPx(widthPx);
  let row = 4;
  let used = rowsHeightPx(ws, 1, 3);
  let right = 1;
  for (const p of pictures) {
    if (used + p.height > pageHeight) {
      breakBefore(ws, row);
      used = 0;
    }
    const cells = placePicture(wb, ws, p, row);
    right = Math.max(right, cells.right);
    used += rowsHeightPx(ws, row, cells.bottom + 1);
    row = cells.bottom + 2;
  }
  setUpPrint(ws, { area: { top: 1, left: 1, bottom: row - 1, right }, title: heading, lang });
  return name;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function annotateSubmission(store: Store, options: AnnotateOptions): Promise<AnnotateResult> {
  const { lang } = options;
  checkOutputFile(options.out, { inputs: [options.input], db: store.path, force: options.force });
  const bytes = fs.readFileSync(options.input);
  const read = await readWorkbookBytes(bytes, options.input);
  const plan = await readPlan(store);

  const found: { grid: Grid; submission: Submission; layout: 'template' | 'wide' }[] = [];
  for (const grid of read.sheets) {
    const layout = detectSubmissionLayout(grid);
    if (!layout) continue;
    for (const submission of readSubmissions(grid, plan).submissions) found.push({ grid, submission, layout });
  }
  if (found.length === 0) {
    throw new Error(t(lang, 'annotate.no-submission', { file: path.basename(options.input) }));
  }
  const asOf = options.asOf ?? found[0].submission.asOf;
  const data = await readReportData(store, asOf);
  // The file names its district canonically once read; the report data shows the plan's spelling.
  const show = (district: string) => shownDistrict(data.districtNames, district);
  const warnings: string[] = [];
  const marked: MarkedRow[] = [];
  const notInFile: ReportLagRow[] = [];
  const fileHash = sha256(bytes);

  for (const { grid, submission, layout } of found) {
    if (options.asOf === undefined && submission.asOf !== asOf) {
      warnings.push(t(lang, 'annotate.other-date', { sheet: grid.sheet, written: submission.asOf, asOf }));
    }
    const stored = await runQuery(
      store,
      'SELECT sha256 FROM submissions WHERE district = $1 AND as_of = CAST($2 AS DATE) AND superseded_by IS NULL',
      [submission.district, submission.asOf],
    );
    if (!stored.rows.some((r) => r[0] === fileHash)) {
      warnings.push(t(lang, stored.rows.length === 0 ? 'annotate.not-loaded' : 'annotate.not-current', { district: show(submission.district), asOf: submission.asOf }));
    }
    const rows = locateRows(grid, layout, submission);
    const ws = read.workbook.getWorksheet(grid.sheet);
    if (!ws) continue;
    for (const lag of data.lag.filter((r) => r.district === show(submission.district) && isLagging(r))) {
      const at = rows.cells.get(lag.metric_id);
      if (!at) {
        notInFile.push(lag);
        continue;
      }
      const note = lagNote(lag, lang);
      markRow(ws, rows, at, lag, note);
      marked.push({ sheet: grid.sheet, row: at.row, cell: a1(at.row, at.col), district: lag.district, metricId: lag.metric_id, status: lag.lag_status, note });
    }
  }
  if (notInFile.length > 0) {
    warnings.push(t(lang, 'annotate.rows-missing', { count: notInFile.length, metrics: notInFile.map((r) => `${r.district}${r.metric_id}`).join('、') }));
  }

  const canonical = [...new Set(found.map((f) => f.submission.district))];
  const districts = canonical.map(show);
  const pictures: ChartPicture[] = [];
  if (canonical.length === 1) {
    pictures.push(await trendPicture(districts[0], await districtTrend(store, canonical[0], data.reportDates), lang, options.render));
  }
  const ranking = rankingChart(data.ranking, asOf, lang);
  pictures.push(await picture('ranking', districts.length === 1 ? highlightDistrict(ranking, districts[0]) : ranking, options.render));
  const chartSheet = addChartSheet(read.workbook, districts.join('、'), asOf, pictures, lang);

  keepValuesOnly(read.workbook);
  await writeWorkbookCopy(read.workbook, options.out, { inputs: [options.input], db: store.path, force: options.force });
  return { out: options.out, districts, asOf, marked, notInFile, warnings, chartSheet };
}
