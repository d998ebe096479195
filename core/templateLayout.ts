// The 進度報送表 a district fills in (docs/design.md, "Progress submissions"), as pure layout: which cell
// holds what, with which number format and style, merges, sizes, data validation, print setup and
// protection. Two writers draw it — pipeline/template.ts with ExcelJS and the add-in with Office.js — so
// a template made in Excel and one made by `minsheng template` are the same sheet, and core/submission/
// reads both back. Every word on it comes from the catalogue's template area in the reader's script
// (options.lang); the plan's data (district, projects, metrics, units) keeps the plan's own.
import { canonicalDistrict } from './districtMatch';
import { shownDistrict } from './districtNames';
import { CITY } from './districts';
import { a1, type CellRange, type CellValue } from './grid';
import { msg, t, type Lang, type MessageId, type Translate, translator } from './messages';
import { MessageError } from './messages/messageError';
import type { Plan } from './model';
import { parseDateText } from './dates';
import { showTarget } from './format';
import { districtMetrics, SUBMISSION_COLUMNS, type DistrictMetric } from './submission';

/** The template's sheet name in the reader's script (進度報送表 / 进度报送表). */
export function templateSheetName(lang: Lang): string {
  return t(lang, 'template.sheet');
}

/** The instructions sheet's name in the reader's script (填報說明 / 填报说明). */
export function instructionsSheetName(lang: Lang): string {
  return t(lang, 'template.sheet.instructions');
}

/** Both scripts' names of the instructions sheet: a workbook may hold one made in either. */
export const INSTRUCTIONS_SHEET_NAMES: readonly string[] = [...new Set([instructionsSheetName('zh-TW'), instructionsSheetName('zh-CN')])];
/** Row of the column labels; data rows follow it. */
export const HEADER_ROW = 4;
/** Columns follow SUBMISSION_COLUMNS: 序號 指標編號 項目名稱 指標 年度目標 單位 累計完成 完成率 備註. */
export const TEMPLATE_COLUMNS = { serial: 1, metricId: 2, projectName: 3, metricLabel: 4, target: 5, unit: 6, completed: 7, completionRate: 8, note: 9 } as const;
export const TEMPLATE_LAST_COL = 9;
/** Column widths in Excel's character units (what ExcelJS takes; the add-in converts to points). */
export const TEMPLATE_COLUMN_WIDTHS = [6, 10, 34, 24, 13, 8.5, 13, 10, 30];
/** The font of every cell: SimSun prints cleanly on the government's A4 printers. */
export const TEMPLATE_FONT = 'SimSun';
/** Colours as RRGGBB. */
export const INPUT_FILL = 'FFF2CC';
export const HEADER_FILL = 'D9E1F2';
const HINT_COLOR = '595959';

const COL = TEMPLATE_COLUMNS;

/** The header label of each column (the reader knows them in either script: core/submission/layout.ts). */
const COLUMN_LABEL = {
  serial: 'template.column.serial',
  metricId: 'template.column.metricId',
  projectName: 'template.column.projectName',
  metricLabel: 'template.column.metricLabel',
  target: 'template.column.target',
  unit: 'template.column.unit',
  completed: 'template.column.completed',
  completionRate: 'template.column.completionRate',
  note: 'template.column.note',
} as const satisfies Record<keyof typeof TEMPLATE_COLUMNS, MessageId>;

/** What a clerk could have typed into a template before it is written (demo submissions, tests): by metric id. */
export interface TemplateFill {
  /** 累計完成: a number (rate metrics: the fraction, 0.82), or text as a clerk might type it; null leaves it blank. */
  completed?: Record<string, number | string | null>;
  notes?: Record<string, string>;
}

export interface TemplateOptions {
  /** The reader's script: every label, prompt and instruction is written in it; data keeps the plan's. */
  lang: Lang;
  fill?: TemplateFill;
  /** City named in the title; the plan does not carry one (default CITY). */
  city?: string;
}

/** A cell's look, in ExcelJS's vocabulary (the Office.js writer maps it). Keys appear in the order writers set them. */
export interface CellStyle {
  font: { size: number; bold?: boolean; italic?: boolean; color?: string };
  fill?: string;
  /** thin lines on all four sides, or only a line to write on. */
  border?: 'thin' | 'bottom';
  alignment?: { horizontal?: 'left' | 'center' | 'right'; vertical?: 'top' | 'middle'; wrapText?: boolean };
  /** Open for typing on the protected sheet. */
  unlocked?: boolean;
}

export type LayoutValue = CellValue | { formula: string; result: number | string };

export interface LayoutCell {
  row: number;
  col: number;
  value: LayoutValue;
  numberFormat?: string;
  style: CellStyle;
}

/** The rule on a 累計完成 cell: a decimal, non-negative (rates: between 0 and 1), with Chinese prompt and error texts. */
export interface CompletedRule {
  cell: string;
  operator: 'between' | 'greaterThanOrEqual';
  formulae: number[];
  promptTitle: string;
  prompt: string;
  errorTitle: string;
  error: string;
}

export interface TemplateRow {
  metricId: string;
  row: number;
  completedCell: string;
  noteCell: string;
}

export interface PrintSetup {
  paper: 'A4';
  orientation: 'landscape';
  /** One page wide, as many pages tall as needed. */
  fitToWidth: 1;
  horizontalCentered: true;
  /** Inches. */
  margins: { left: number; right: number; top: number; bottom: number; header: number; footer: number };
  /** Rows repeated on each page, "4:4". */
  titleRows: string;
  printArea: string;
  /** Centre footer, "第 1 頁，共 3 頁" (Excel's &P and &N codes). */
  centerFooter: string;
}

/** What every generated sheet's layout gives (this template's and the 點位 sheet's, core/sites/siteLayout.ts). */
export interface SheetLayout {
  sheet: string;
  /** Every written or styled cell, row by row. */
  cells: LayoutCell[];
  merges: CellRange[];
  /** Row heights in points, by row number. */
  rowHeights: Record<number, number>;
  columnWidths: number[];
  frozenRows: number;
  activeCell: string;
  print: PrintSetup;
}

export interface TemplateSheetLayout extends SheetLayout {
  /** Canonical district name and ISO date. */
  district: string;
  /** The district as the plan writes it (core/districtNames.ts): what the sheet shows. */
  districtAsWritten: string;
  asOf: string;
  validations: CompletedRule[];
  rows: TemplateRow[];
  /** The 填報說明 sheet's name, in the template's script. */
  instructionsSheet: string;
  /** Lines of the 填報說明 sheet: a heading, then the numbered rules. */
  instructions: string[];
}

/** A4 landscape, one page wide, the header row repeated on every page: how the generated sheets print. */
export function landscapePrint(headerRow: number, printArea: string, centerFooter: string): PrintSetup {
  return {
    paper: 'A4',
    orientation: 'landscape',
    fitToWidth: 1,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    titleRows: `${headerRow}:${headerRow}`,
    printArea,
    centerFooter,
  };
}

/** A template asked for, checked against the plan. */
export interface TemplateRequest {
  /** The registry name of the district. */
  district: string;
  /** ISO date in the plan year. */
  asOf: string;
  /** The rows: the district's metrics with a target. */
  metrics: DistrictMetric[];
}

/**
 * The district and date a template is asked for, as written ("上城", "2024年9月30日"), checked against the
 * plan. Throws a MessageError when the district is not recognised, the date is not a date of the plan
 * year, or the district has nothing to report. The one check for `minsheng template` and the writers.
 */
export function templateRequest(plan: Plan, district: string, asOf: string): TemplateRequest {
  const name = canonicalDistrict(district);
  const date = parseDateText(asOf, plan.year);
  if (!date) throw new MessageError(msg('template.date-unreadable', { written: asOf, year: plan.year }));
  if (Number(date.slice(0, 4)) !== plan.year) throw new MessageError(msg('template.date-outside-year', { date, year: plan.year }));
  const metrics = districtMetrics(plan, name);
  if (metrics.length === 0) throw new MessageError(msg('template.nothing-to-report', { district: name, year: plan.year }));
  return { district: name, asOf: date, metrics };
}

/** The template for one district and date, in the reader's script (options.lang); throws as templateRequest does. */
export function templateLayout(plan: Plan, district: string, asOf: string, options: TemplateOptions): TemplateSheetLayout {
  const { district: name, asOf: date, metrics } = templateRequest(plan, district, asOf);
  const say = translator(options.lang);
  const shown = shownDistrict(plan.districtNames, name);

  const cells: LayoutCell[] = [];
  const merges: CellRange[] = [];
  const rowHeights: Record<number, number> = {};
  heading(say, cells, merges, rowHeights, plan.year, shown, date, options.city ?? CITY);
  const validations: CompletedRule[] = [];
  const rows = metrics.map((dm, i) => metricRow(say, cells, validations, HEADER_ROW + 1 + i, dm, date, options.fill));
  const lastDataRow = HEADER_ROW + metrics.length;
  signature(say, cells, merges, lastDataRow + 2);
  const sheet = say('template.sheet');
  return {
    sheet,
    district: name,
    districtAsWritten: shown,
    asOf: date,
    cells,
    merges,
    rowHeights,
    columnWidths: [...TEMPLATE_COLUMN_WIDTHS],
    frozenRows: HEADER_ROW,
    activeCell: a1(HEADER_ROW + 1, COL.completed),
    validations,
    print: landscapePrint(HEADER_ROW, `A1:${a1(lastDataRow + 2, TEMPLATE_LAST_COL)}`, say('template.footer')),
    rows,
    instructionsSheet: say('template.sheet.instructions'),
    instructions: instructionLines(say, sheet, shown, date),
  };
}

function heading(say: Translate, cells: LayoutCell[], merges: CellRange[], heights: Record<number, number>, year: number, district: string, asOf: string, city: string): void {
  const span = (row: number, left: number, right: number) => merges.push({ top: row, left, bottom: row, right });
  span(1, 1, TEMPLATE_LAST_COL);
  cells.push({ row: 1, col: 1, value: say('template.title', { year, city }), style: { font: { size: 16, bold: true }, alignment: { horizontal: 'center', vertical: 'middle' } } });
  heights[1] = 32;

  span(2, 1, 4);
  cells.push({ row: 2, col: 1, value: say('template.label.district', { district }), style: { font: { size: 12, bold: true } } });
  span(2, 5, TEMPLATE_LAST_COL);
  cells.push({ row: 2, col: 5, value: say('template.label.as-of', { date: asOf }), style: { font: { size: 12, bold: true }, alignment: { horizontal: 'right' } } });
  heights[2] = 22;

  span(3, 1, TEMPLATE_LAST_COL);
  cells.push({
    row: 3,
    col: 1,
    value: say('template.hint'),
    style: { font: { size: 10, italic: true, color: HINT_COLOR }, alignment: { wrapText: true, vertical: 'middle' } },
  });
  heights[3] = 30;

  SUBMISSION_COLUMNS.forEach((spec, i) => {
    cells.push({
      row: HEADER_ROW,
      col: i + 1,
      value: say(COLUMN_LABEL[spec.key]),
      style: { font: { size: 11, bold: true }, fill: HEADER_FILL, border: 'thin', alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } },
    });
  });
  heights[HEADER_ROW] = 24;
}

function metricRow(say: Translate, cells: LayoutCell[], validations: CompletedRule[], row: number, dm: DistrictMetric, asOf: string, fill: TemplateFill | undefined): TemplateRow {
  const { metric, target, project } = dm;
  const wraps = (col: number) => col === COL.projectName || col === COL.metricLabel || col === COL.note;
  const put = (col: number, value: LayoutValue, numberFormat?: string, extra: Partial<CellStyle> = {}) => {
    const style: CellStyle = { border: 'thin', font: { size: 11 }, alignment: { vertical: 'middle', wrapText: wraps(col) }, ...extra };
    cells.push(numberFormat ? { row, col, value, numberFormat, style } : { row, col, value, style });
  };
  const centred: Partial<CellStyle> = { alignment: { horizontal: 'center', vertical: 'middle' } };
  const input: Partial<CellStyle> = { fill: INPUT_FILL, unlocked: true };
  const isRate = metric.kind === 'rate';
  put(COL.serial, metric.projectNo, undefined, centred);
  put(COL.metricId, metric.id, '@', centred);
  put(COL.projectName, project?.name ?? '');
  put(COL.metricLabel, metric.label);
  if (isRate) put(COL.target, target.target, percentFormat(target.target));
  else if (target.targetExtra !== undefined) put(COL.target, showTarget(metric, target), '@');
  else put(COL.target, target.target, Number.isInteger(target.target) ? '#,##0' : '#,##0.0##');
  put(COL.unit, isRate ? '%' : metric.unit, undefined, centred);

  const typed = fill?.completed?.[metric.id];
  put(COL.completed, typed ?? null, isRate ? '0.0%' : 'General', input);
  const g = a1(row, COL.completed);
  validations.push(completedRule(say, g, isRate, metric.unit, asOf, target.targetExtra !== undefined));

  // Compound targets are text ("5(4)個"), so 完成率 divides by their total.
  const divisor = target.targetExtra !== undefined ? String(dm.total) : a1(row, COL.target);
  const result = typeof typed === 'number' && dm.total !== 0 ? typed / dm.total : '';
  put(COL.completionRate, dm.total === 0 ? '' : { formula: `IF(${g}="","",${g}/${divisor})`, result }, '0.0%');
  put(COL.note, fill?.notes?.[metric.id] ?? null, undefined, input);
  return { metricId: metric.id, row, completedCell: g, noteCell: a1(row, COL.note) };
}

function percentFormat(rate: number): string {
  return Number.isInteger(Math.round(rate * 1e6) / 1e4) ? '0%' : '0.0%';
}

function completedRule(say: Translate, cell: string, isRate: boolean, unit: string, asOf: string, compound: boolean): CompletedRule {
  const titles = { promptTitle: say('template.rule.title'), errorTitle: say('template.rule.error-title') };
  if (isRate) {
    return {
      cell,
      operator: 'between',
      formulae: [0, 1],
      ...titles,
      prompt: say('template.rule.rate.prompt', { date: asOf }),
      error: say('template.rule.rate.error'),
    };
  }
  return {
    cell,
    operator: 'greaterThanOrEqual',
    formulae: [0],
    ...titles,
    prompt: say('template.rule.count.prompt', {
      date: asOf,
      unit: unit ? msg('template.rule.count.unit', { unit }) : '',
      compound: compound ? msg('template.rule.count.compound') : '',
    }),
    error: say('template.rule.count.error', { unit: unit ? msg('template.rule.count.error-unit', { unit }) : '' }),
  };
}

/** 填報人 / 聯繫電話 / 審核人 under the table: labels locked, the blanks beside them open. */
function signature(say: Translate, cells: LayoutCell[], merges: CellRange[], row: number): void {
  const fields: [number, number, string, number, number][] = [
    [1, 2, say('template.sign.filled-by'), 3, 3],
    [4, 4, say('template.sign.phone'), 5, 6],
    [8, 8, say('template.sign.reviewer'), 9, 9],
  ];
  for (const [from, to, label, inputFrom, inputTo] of fields) {
    if (to > from) merges.push({ top: row, left: from, bottom: row, right: to });
    cells.push({ row, col: from, value: label, style: { font: { size: 11 }, alignment: { horizontal: 'right' } } });
    if (inputTo > inputFrom) merges.push({ top: row, left: inputFrom, bottom: row, right: inputTo });
    cells.push({ row, col: inputFrom, value: null, style: { font: { size: 11 }, border: 'bottom', unlocked: true } });
  }
}

function instructionLines(say: Translate, sheet: string, district: string, asOf: string): string[] {
  return [
    say('template.instructions.title'),
    say('template.instructions.1', { district, date: asOf }),
    say('template.instructions.2', { sheet }),
    say('template.instructions.3'),
    say('template.instructions.4'),
    say('template.instructions.5'),
    say('template.instructions.6'),
    say('template.instructions.7'),
    say('template.instructions.8'),
    say('template.instructions.9'),
  ];
}

/** Sheet protection of the template: no password; select anything, type only in unlocked cells, resize rows and columns. */
export const TEMPLATE_PROTECTION = {
  selectLockedCells: true,
  selectUnlockedCells: true,
  formatColumns: true,
  formatRows: true,
  formatCells: false,
  insertRows: false,
  insertColumns: false,
  deleteRows: false,
  deleteColumns: false,
  sort: false,
  autoFilter: false,
} as const;
