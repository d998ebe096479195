// Progress submissions (進度報送表, design §3): which sheets are one, and what they report, checked against
// the plan. Two layouts: the generated template (one district; header 序號 | 指標編號 | … | 累計完成 | 完成率 |
// 備註) and the wide 附件2-shaped sheet (a department reporting every district at once, date in the title).
import { z } from 'zod';
import { readBreakdown, type BreakdownRow, type BreakdownSheet } from './breakdown';
import { isNoteLabel, isTotalLabel, type ColumnSpec } from './columns';
import { DISTRICTS, resolveDistrict, type DistrictMatch } from './districts';
import { GridView, a1, type CellValue, type Grid } from './grid';
import type { Issue } from './issues';
import { ISODate, type Metric, type Plan, type Project, type Target } from './model';
import { parseQuantity, sameUnit } from './quantity';
import { matchKey, squeeze, tidyText, toHalfWidth } from './text';

// ---------------------------------------------------------------------------------------------
// Schemas (the DuckDB store takes these objects)

export const ProgressRow = z.object({
  metricId: z.string(),
  /** Cumulative amount as of the date, in the metric's unit; for rate metrics the rate reached (0.82); compound: the total. */
  completed: z.number(),
  note: z.string().optional(),
  /** A1 address of the 累計完成 cell. */
  cell: z.string(),
});
export type ProgressRow = z.infer<typeof ProgressRow>;

export const Submission = z.object({
  /** Canonical name (core/districts.ts). */
  district: z.string(),
  asOf: ISODate,
  layout: z.enum(['template', 'wide']),
  rows: z.array(ProgressRow),
});
export type Submission = z.infer<typeof Submission>;

export type SubmissionLayout = Submission['layout'];

// ---------------------------------------------------------------------------------------------
// The plan seen from one district: the rows of its template

export interface DistrictMetric {
  metric: Metric;
  target: Target;
  project?: Project;
  /** What 累計完成 is compared with: the target, both parts of a compound target added up. */
  total: number;
}

/** A compound target "5(4)個" is reported as one total (9); everything else as itself. */
export function targetTotal(target: Target): number {
  return target.target + (target.targetExtra ?? 0);
}

/** The metrics a district has a target for, in project and row order: the rows of its template. */
export function districtMetrics(plan: Plan, district: string): DistrictMetric[] {
  const metrics = new Map(plan.metrics.map((m) => [m.id, m]));
  const projects = new Map(plan.projects.map((p) => [p.no, p]));
  return plan.targets
    .filter((t) => t.district === district && metrics.has(t.metricId))
    .map((target) => {
      const metric = metrics.get(target.metricId) as Metric;
      return { metric, target, project: projects.get(metric.projectNo), total: targetTotal(target) };
    })
    .sort((a, b) => a.metric.projectNo - b.metric.projectNo || a.metric.k - b.metric.k);
}

// ---------------------------------------------------------------------------------------------
// Template header vocabulary

type TemplateKey = 'projectNo' | 'metricId' | 'projectName' | 'metricLabel' | 'target' | 'unit' | 'completed' | 'completionRate' | 'note';

/** The template's columns in the order the writer lays them out; labels are what the writer writes. */
export const SUBMISSION_COLUMNS = [
  { key: 'projectNo', label: '序號', synonyms: ['序', '項目序號', '項目編號'] },
  { key: 'metricId', label: '指標編號', synonyms: ['指標代碼', '指標ID', '指標序號'] },
  { key: 'projectName', label: '項目名稱', synonyms: ['項目', '民生實事項目', '實事項目名稱'] },
  { key: 'metricLabel', label: '指標', synonyms: ['指標名稱', '量化指標', '指標內容', '任務指標'] },
  { key: 'target', label: '年度目標', synonyms: ['目標', '全年目標', '目標任務', '年度目標任務', '量化目標', '年度任務'] },
  { key: 'unit', label: '單位', synonyms: ['計量單位'] },
  { key: 'completed', label: '累計完成', synonyms: ['累計完成數', '累計完成量', '累計完成值', '累計完成數量', '累計完成情況', '累計完成數值'] },
  { key: 'completionRate', label: '完成率', synonyms: ['完成比例', '完成進度', '完成百分比'] },
  { key: 'note', label: '備註', synonyms: ['說明', '情況說明'] },
] as const satisfies readonly ColumnSpec<TemplateKey>[];

const COLUMN_BY_KEY = new Map<string, TemplateKey>();
for (const spec of SUBMISSION_COLUMNS) {
  for (const label of [spec.label, ...spec.synonyms]) COLUMN_BY_KEY.set(matchKey(label), spec.key);
}

/** A header cell's key: folded, with a trailing bracketed remark dropped ("累計完成（個）" → 累计完成). */
function headerKey(text: string): TemplateKey | undefined {
  const key = matchKey(text);
  return COLUMN_BY_KEY.get(key) ?? COLUMN_BY_KEY.get(key.replace(/\([^()]*\)$/, ''));
}

interface TemplateHeader {
  row: number;
  cols: Partial<Record<TemplateKey, number>>;
}

/** The row that names 累計完成 plus a way to identify the metric (指標編號 or 序號), and at least three labels. */
function findTemplateHeader(view: GridView): TemplateHeader | undefined {
  const lastScan = Math.min(view.lastRow, view.firstRow + 40);
  for (let row = view.firstRow; row <= lastScan; row++) {
    const cols: Partial<Record<TemplateKey, number>> = {};
    for (let col = view.firstCol; col <= view.lastCol; col++) {
      if (view.isMergedCopy(row, col)) continue;
      const text = view.raw(row, col);
      if (typeof text !== 'string' || text.length > 30) continue;
      const key = headerKey(text);
      if (key && cols[key] === undefined) cols[key] = col;
    }
    const found = Object.keys(cols).length;
    if (cols.completed !== undefined && (cols.metricId !== undefined || cols.projectNo !== undefined) && found >= 3) return { row, cols };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Detection

/** The wide layout: 附件2's header with at least three district columns, and a date or progress words above it. */
function findWideSheet(grid: Grid, view: GridView): BreakdownSheet | undefined {
  const sheet = readBreakdown(grid);
  if (!sheet || sheet.districtColumns.filter((d) => d.district).length < 3) return undefined;
  const above = textsAbove(view, sheet.header.row).map((t) => matchKey(t.text));
  return above.some((k) => /截至|截止|进度|完成情况|累计完成/.test(k)) ? sheet : undefined;
}

/** Which submission layout a sheet holds, if any. */
export function detectSubmissionLayout(grid: Grid): SubmissionLayout | undefined {
  const view = new GridView(grid);
  if (grid.values.length === 0) return undefined;
  if (findTemplateHeader(view)) return 'template';
  return findWideSheet(grid, view) ? 'wide' : undefined;
}

/** Is this sheet a 進度報送表, in either layout? */
export function detectSubmission(grid: Grid): boolean {
  return detectSubmissionLayout(grid) !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface SubmissionReading {
  submissions: Submission[];
  issues: Issue[];
}

/**
 * Reads what a sheet reports. A submission comes back whenever its district and date are known, with
 * the rows that could be read; the issues say what is wrong (a loader rejects a file with errors).
 */
export function readSubmissions(grid: Grid, plan: Plan): SubmissionReading {
  const view = new GridView(grid);
  const ctx = new Context(grid.sheet, view, plan);
  const header = grid.values.length ? findTemplateHeader(view) : undefined;
  if (header) return readTemplate(ctx, header);
  const wide = grid.values.length ? findWideSheet(grid, view) ?? readBreakdown(grid) : undefined;
  if (wide && wide.districtColumns.some((d) => d.district)) return readWide(ctx, wide);
  return {
    submissions: [],
    issues: [
      {
        code: 'not-a-submission',
        severity: 'error',
        sheet: grid.sheet,
        message: `工作表「${grid.sheet}」不是進度報送表：找不到「序號、指標編號、年度目標、累計完成」等表頭，也不是按區縣分列的任務分解表格式。`,
      },
    ],
  };
}

/** What every reading step needs: where we are, the plan, and the issues found so far. */
class Context {
  readonly issues: Issue[] = [];
  readonly metrics: Map<string, Metric>;
  readonly targets = new Map<string, Target>();

  constructor(
    readonly sheet: string,
    readonly view: GridView,
    readonly plan: Plan,
  ) {
    this.metrics = new Map(plan.metrics.map((m) => [m.id, m]));
    for (const t of plan.targets) this.targets.set(`${t.district}|${t.metricId}`, t);
  }

  target(district: string, metricId: string): Target | undefined {
    return this.targets.get(`${district}|${metricId}`);
  }

  projectMetrics(projectNo: number): Metric[] {
    return this.plan.metrics.filter((m) => m.projectNo === projectNo).sort((a, b) => a.k - b.k);
  }

  add(issue: Omit<Issue, 'sheet'>): void {
    this.issues.push({ sheet: this.sheet, ...issue });
  }
}

// ---------------------------------------------------------------------------------------------
// Template layout

function isFormLabelRow(view: GridView, row: number): boolean {
  for (let col = view.firstCol; col <= view.lastCol; col++) {
    const text = view.text(row, col).trim();
    if (text) return /[:：]$/.test(text);
  }
  return false;
}

function readTemplate(ctx: Context, header: TemplateHeader): SubmissionReading {
  const { view, plan } = ctx;
  const district = readDistrictLabel(ctx, header.row);
  const asOf = readAsOf(ctx, header.row);
  const cols = header.cols;
  const rows: ProgressRow[] = [];
  const seen = new Map<string, number>();
  const usedByFallback = new Set<string>();

  for (let row = header.row + 1; row <= view.lastRow; row++) {
    if (view.isRowEmpty(row)) continue;
    const completedCol = cols.completed as number;
    const completedCell = a1(row, completedCol);
    const hasValue = !isBlank(view.raw(row, completedCol));
    const firstText = view.text(row, view.firstCol);
    if (isTotalLabel(firstText) || (cols.projectNo !== undefined && isTotalLabel(view.text(row, cols.projectNo)))) continue;
    if (!hasValue && isNoteLabel(firstText)) continue;
    // The signature block under the table ("填報人：", "聯繫電話：", "審核人：") is a form, not data.
    if (!hasValue && isFormLabelRow(view, row)) continue;

    // A 序號 merged over a project's rows reads on each of them.
    const projectNo = cols.projectNo !== undefined ? parseProjectNo(view.value(row, cols.projectNo)) : undefined;
    const identified = district ? identifyTemplateRow(ctx, header, row, district.name, projectNo, usedByFallback) : undefined;
    if (!identified) {
      if (hasValue && district) {
        ctx.add({
          code: 'unmatched-row',
          severity: 'error',
          cell: completedCell,
          message: `第${row}行：填了累計完成，但找不到這一行是哪個指標（缺少指標編號和序號）。請使用系統生成的報送表，不要增刪或改動前幾列。`,
        });
      }
      continue;
    }
    if ('problem' in identified) {
      // A row nobody filled in harms nothing: say so, without rejecting the file.
      ctx.add(hasValue ? identified.problem : { ...identified.problem, severity: 'info' });
      continue;
    }
    const { metric, target } = identified;
    const first = seen.get(metric.id);
    if (first !== undefined) {
      ctx.add({
        code: 'duplicate-metric',
        severity: hasValue ? 'error' : 'warning',
        cell: completedCell,
        message: `第${row}行：指標${metric.id}「${metric.label}」重複出現（第一次在第${first}行）。每個指標只能填一行，請刪除重複的行。`,
      });
      continue;
    }
    seen.set(metric.id, row);
    if (identified.by === 'id' && cols.target !== undefined) checkTargetCell(ctx, row, cols.target, cols.unit, metric, target, district?.name ?? '');
    const reading = readCompleted(ctx, row, completedCol, metric, target, asOf?.iso);
    if (reading.kind !== 'value') continue;
    const note = cols.note !== undefined ? tidyText(view.text(row, cols.note)) : '';
    rows.push({ metricId: metric.id, completed: reading.value, ...(note ? { note } : {}), cell: completedCell });
  }

  if (district) {
    for (const dm of districtMetrics(plan, district.name)) {
      if (seen.has(dm.metric.id)) continue;
      ctx.add({
        code: 'metric-row-missing',
        severity: 'info',
        message: `${district.name}有指標${dm.metric.id}「${dm.metric.label}」的年度任務，但表中沒有這一行：本次視為未報送該指標。`,
      });
    }
  }
  const submissions: Submission[] = district && asOf ? [{ district: district.name, asOf: asOf.iso, layout: 'template', rows }] : [];
  return { submissions, issues: ctx.issues };
}

type RowIdentity =
  | { metric: Metric; target: Target; by: 'id' | 'fallback' }
  | { problem: Omit<Issue, 'sheet'> };

/** Which metric a template row reports: by 指標編號, else by 序號 + 年度目標 + 單位 (+ 指標 when still ambiguous). */
function identifyTemplateRow(
  ctx: Context,
  header: TemplateHeader,
  row: number,
  district: string,
  projectNo: number | undefined,
  usedByFallback: Set<string>,
): RowIdentity | undefined {
  const { view } = ctx;
  const cols = header.cols;
  const completedCell = a1(row, cols.completed as number);
  const idCol = cols.metricId;
  const idValue = idCol !== undefined ? view.value(row, idCol) : null;
  if (idCol !== undefined && !isBlank(idValue)) {
    const parsed = parseMetricId(idValue, view.format(row, idCol));
    const idCell = a1(row, idCol);
    if (!parsed) {
      return { problem: { code: 'unknown-metric', severity: 'error', cell: idCell, message: `${idCell}：指標編號「${tidyText(String(idValue))}」格式不對，應形如「1-1」「29-2」（項目序號-指標序號）。` } };
    }
    if (parsed.fromDate) {
      ctx.add({
        code: 'metric-id-as-date',
        severity: 'warning',
        cell: idCell,
        message: `${idCell}：指標編號被Excel當成了日期，已按「${parsed.id}」理解。請把該列設為文本格式後重新輸入。`,
        fix: { value: parsed.id, numberFormat: '@', description: `改回文本「${parsed.id}」` },
      });
    }
    return byMetricId(ctx, parsed.id, district, completedCell);
  }
  if (projectNo === undefined) return undefined;
  return byFallback(ctx, header, row, district, projectNo, usedByFallback);
}

function byMetricId(ctx: Context, id: string, district: string, cell: string): RowIdentity {
  const metric = ctx.metrics.get(id);
  if (!metric) {
    return {
      problem: {
        code: 'unknown-metric',
        severity: 'error',
        cell,
        message: `${cell}：指標編號「${id}」不在${ctx.plan.year}年計劃中，無法計入。請使用系統按計劃生成的報送表。`,
      },
    };
  }
  const target = ctx.target(district, id);
  if (!target) return { problem: notTargeted(cell, district, metric) };
  return { metric, target, by: 'id' };
}

function notTargeted(cell: string, district: string, metric: Metric): Omit<Issue, 'sheet'> {
  return {
    code: 'metric-not-targeted',
    severity: 'error',
    cell,
    message: `${cell}：${district}沒有指標${metric.id}「${metric.label}」的年度任務，不應填報這一行。請核實是否填錯了行或填錯了區縣；不需要的行可以刪除。`,
  };
}

function byFallback(ctx: Context, header: TemplateHeader, row: number, district: string, projectNo: number, used: Set<string>): RowIdentity {
  const { view } = ctx;
  const cols = header.cols;
  const cell = a1(row, cols.completed as number);
  const inProject = ctx.projectMetrics(projectNo);
  if (inProject.length === 0) {
    return { problem: { code: 'unknown-metric', severity: 'error', cell, message: `${cell}：序號${projectNo}不是${ctx.plan.year}年計劃中有量化目標的項目，無法計入。` } };
  }
  const targeted = inProject.filter((m) => ctx.target(district, m.id));
  if (targeted.length === 0) return { problem: notTargeted(cell, district, inProject[0]) };

  const targetValue = cols.target !== undefined ? view.value(row, cols.target) : null;
  const targetFormat = cols.target !== undefined ? view.format(row, cols.target) : 'General';
  const unitText = cols.unit !== undefined ? squeeze(view.text(row, cols.unit)) : '';
  const labelText = cols.metricLabel !== undefined ? view.text(row, cols.metricLabel) : '';
  const written = isBlank(targetValue) ? undefined : parseQuantity(targetValue, targetFormat);
  let candidates = targeted;
  if (written?.ok && written.quantity.kind !== 'none') {
    const q = written.quantity;
    candidates = candidates.filter((m) => sameTarget(q, m, ctx.target(district, m.id) as Target));
  }
  if (unitText && candidates.length > 1) {
    const byUnit = candidates.filter((m) => m.kind === 'rate' || !m.unit || unitsMatch(unitText, m.unit));
    if (byUnit.length > 0) candidates = byUnit;
  }
  if (labelText && candidates.length > 1) {
    const key = matchKey(labelText);
    const byLabel = candidates.filter((m) => matchKey(m.label) === key);
    const loose = byLabel.length ? byLabel : candidates.filter((m) => key.includes(matchKey(m.label)) || matchKey(m.label).includes(key));
    if (loose.length > 0) candidates = loose;
  }
  // Rows repeated with the same target and unit follow the plan's row order, as the template writes them.
  const metric = candidates.find((m) => !used.has(m.id)) ?? candidates[0];
  if (!metric) {
    const shown = isBlank(targetValue) ? '（空）' : tidyText(String(targetValue));
    return {
      problem: {
        code: 'unmatched-row',
        severity: 'error',
        cell,
        message: `第${row}行：序號${projectNo}、年度目標「${shown}」${unitText ? `、單位「${unitText}」` : ''}與計劃中${district}的任務對不上，無法確定是哪個指標。請核對年度目標，或使用帶指標編號的報送表。`,
      },
    };
  }
  used.add(metric.id);
  return { metric, target: ctx.target(district, metric.id) as Target, by: 'fallback' };
}

type ParsedQuantity = Extract<ReturnType<typeof parseQuantity>, { ok: true }>['quantity'];

function sameTarget(q: ParsedQuantity, metric: Metric, target: Target): boolean {
  const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  switch (q.kind) {
    case 'rate':
      return metric.kind === 'rate' && near(q.value, target.target);
    case 'compound':
      return near(q.value, target.target) && near(q.extra, target.targetExtra ?? 0);
    case 'count':
      if (metric.kind === 'rate') return near(q.value, target.target) || near(q.value / 100, target.target);
      if (q.unit && metric.unit && !unitsMatch(q.unit, metric.unit)) return false;
      return near(q.value, target.target) || near(q.value, targetTotal(target));
    default:
      return false;
  }
}

/** 年度目標 as written in a template row (matched by 指標編號) against the plan: an outdated template shows here. */
function checkTargetCell(ctx: Context, row: number, col: number, unitCol: number | undefined, metric: Metric, target: Target, district: string): void {
  const value = ctx.view.value(row, col);
  if (isBlank(value)) return;
  const parsed = parseQuantity(value, ctx.view.format(row, col));
  if (!parsed.ok || parsed.quantity.kind === 'none') return;
  if (sameTarget(parsed.quantity, metric, target)) return;
  const cell = a1(row, col);
  const unit = unitCol !== undefined ? squeeze(ctx.view.text(row, unitCol)) : '';
  ctx.add({
    code: 'target-differs',
    severity: 'warning',
    cell,
    message: `${cell}：年度目標「${tidyText(String(value))}${unit && typeof value === 'number' ? unit : ''}」與計劃中${district}指標${metric.id}的目標${showTarget(metric, target)}不一致，以計劃為準。報送表可能是舊版本，請下載最新模板。`,
  });
}

// ---------------------------------------------------------------------------------------------
// Wide layout

function readWide(ctx: Context, sheet: BreakdownSheet): SubmissionReading {
  const { view, plan } = ctx;
  const asOf = readAsOf(ctx, sheet.header.row);
  const columns = wideDistrictColumns(ctx, sheet);
  const perDistrict = new Map<string, { rows: ProgressRow[]; seen: Map<string, string> }>();
  for (const c of columns) perDistrict.set(c.district, { rows: [], seen: new Map() });

  const kByProject = new Map<number, number>();
  const usedInProject = new Map<number, Set<string>>();
  for (const row of sheet.rows) {
    if (row.projectNo === undefined || row.note) continue;
    if (!countsAsMetricRow(row)) continue;
    const k = (kByProject.get(row.projectNo) ?? 0) + 1;
    kByProject.set(row.projectNo, k);
    const used = usedInProject.get(row.projectNo) ?? new Set<string>();
    usedInProject.set(row.projectNo, used);
    const metric = wideRowMetric(ctx, row, k, used);
    for (const column of columns) {
      const value = view.raw(row.row, column.col);
      if (isBlank(value) || view.isMergedCopy(row.row, column.col) || isNoneText(value)) continue;
      const cell = a1(row.row, column.col);
      if (!metric) {
        ctx.add({ code: 'unknown-metric', severity: 'error', cell, message: `${cell}：第${row.row}行（序號${row.projectNo}的第${k}個指標）不在${plan.year}年計劃中，無法計入。` });
        continue;
      }
      const target = ctx.target(column.district, metric.id);
      if (!target) {
        ctx.add(notTargeted(cell, column.district, metric));
        continue;
      }
      const bucket = perDistrict.get(column.district) as { rows: ProgressRow[]; seen: Map<string, string> };
      const earlier = bucket.seen.get(metric.id);
      if (earlier) {
        ctx.add({ code: 'duplicate-metric', severity: 'error', cell, message: `${cell}：${column.district}的指標${metric.id}「${metric.label}」重複填報（第一次在${earlier}）。` });
        continue;
      }
      bucket.seen.set(metric.id, cell);
      const reading = readCompleted(ctx, row.row, column.col, metric, target, asOf?.iso);
      if (reading.kind === 'value') bucket.rows.push({ metricId: metric.id, completed: reading.value, cell });
    }
  }
  const submissions: Submission[] = [];
  if (asOf) {
    for (const column of columns) {
      const bucket = perDistrict.get(column.district) as { rows: ProgressRow[] };
      if (bucket.rows.length > 0) submissions.push({ district: column.district, asOf: asOf.iso, layout: 'wide', rows: bucket.rows });
    }
  }
  return { submissions, issues: ctx.issues };
}

/** The plan numbers a project's rows that state a target or hold values; a wide submission follows the same count. */
function countsAsMetricRow(row: BreakdownRow): boolean {
  return !(row.target.quantity?.kind === 'none' && row.cells.every((c) => c.quantity?.kind !== 'count' && c.quantity?.kind !== 'rate' && c.quantity?.kind !== 'compound'));
}

/** The k-th metric row of a project, unless its 量化目標 names another of the project's metrics. */
function wideRowMetric(ctx: Context, row: BreakdownRow, k: number, used: Set<string>): Metric | undefined {
  const projectNo = row.projectNo as number;
  const byOrder = ctx.metrics.get(`${projectNo}-${k}`);
  const q = row.target.quantity;
  if (!q || q.kind === 'none') {
    if (byOrder) used.add(byOrder.id);
    return byOrder;
  }
  const states = (m: Metric) => sameCityTarget(q, m);
  if (byOrder && states(byOrder)) {
    used.add(byOrder.id);
    return byOrder;
  }
  const other = ctx.projectMetrics(projectNo).find((m) => !used.has(m.id) && states(m));
  const chosen = other ?? byOrder;
  if (chosen) used.add(chosen.id);
  if (!other && byOrder) {
    const cell = a1(row.target.row, row.target.col);
    ctx.add({
      code: 'target-differs',
      severity: 'warning',
      cell,
      message: `${cell}：量化目標「${tidyText(String(row.target.value ?? ''))}」與計劃中指標${byOrder.id}「${byOrder.label}」的全市目標不一致，按行序視為該指標。`,
    });
  }
  return chosen;
}

function sameCityTarget(q: ParsedQuantity, m: Metric): boolean {
  const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  if (q.kind === 'rate') return m.kind === 'rate' && near(q.value, m.cityTarget);
  if (q.kind === 'compound') return near(q.value, m.cityTarget) && near(q.extra, m.cityTargetExtra ?? 0);
  if (q.kind === 'count') return near(q.value, m.cityTarget) || near(q.value, m.cityTarget + (m.cityTargetExtra ?? 0));
  return false;
}

interface WideColumn {
  col: number;
  district: string;
}

/** District columns with canonical names; unknown or repeated ones are reported when they hold values. */
function wideDistrictColumns(ctx: Context, sheet: BreakdownSheet): WideColumn[] {
  const columns: WideColumn[] = [];
  const taken = new Map<string, string>();
  const firstData = sheet.headerBottom + 1;
  for (const column of sheet.districtColumns) {
    const cell = a1(column.headerRow, column.col);
    const holdsValues = columnHoldsValues(ctx.view, column.col, firstData);
    if (!column.district) {
      if (holdsValues) ctx.add(districtIssue(column.match, squeeze(column.headerText), cell, squeeze(column.headerText), 'column'));
      continue;
    }
    const earlier = taken.get(column.district);
    if (earlier) {
      if (holdsValues) ctx.add({ code: 'duplicate-district', severity: 'error', cell, message: `${cell}：${column.district}有兩列（另一列在${earlier}），請合併為一列。` });
      continue;
    }
    taken.set(column.district, cell);
    columns.push({ col: column.col, district: column.district });
  }
  return columns;
}

function columnHoldsValues(view: GridView, col: number, fromRow: number): boolean {
  for (let row = fromRow; row <= view.lastRow; row++) {
    const v = view.raw(row, col);
    if (!isBlank(v) && !isNoneText(v) && !view.mergeAt(row, col)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// 累計完成

type Completed = { kind: 'blank' } | { kind: 'value'; value: number } | { kind: 'invalid' };

/**
 * The cumulative amount in a cell, in the metric's terms. Blank (or "--") is no report, never zero;
 * anything that is not a non-negative amount in the metric's unit is an error at that cell.
 */
function readCompleted(ctx: Context, row: number, col: number, metric: Metric, target: Target, asOf: string | undefined): Completed {
  const value = ctx.view.raw(row, col);
  const format = ctx.view.format(row, col);
  const cell = a1(row, col);
  const what = `指標${metric.id}「${metric.label}」`;
  const formula = ctx.view.formula(row, col);
  if (isBlank(value) && formula) {
    // A file written by a program that never calculated it: the value Excel would show is unknown, and blank would read as "not reported".
    ctx.add({ code: 'formula-without-value', severity: 'error', cell, message: `${cell}：${what}的累計完成是公式「${formula}」，但文件中沒有保存它的計算結果。請在Excel中打開此文件、保存後再提交，或直接填寫數字。` });
    return { kind: 'invalid' };
  }
  if (isBlank(value)) return { kind: 'blank' };
  const shown = typeof value === 'string' ? tidyText(value) : String(value);
  const negative = negativeNumber(value);
  if (negative !== undefined) {
    ctx.add({
      code: 'negative-value',
      severity: 'error',
      cell,
      message: `${cell}：${what}的累計完成「${shown}」是負數。累計完成是${asOf ? `截至${asOf}` : ''}自年初起的累計數，不能小於0。`,
    });
    return { kind: 'invalid' };
  }
  if (typeof value === 'boolean' || (typeof value === 'number' && !Number.isFinite(value))) return notANumber(ctx, cell, what, shown, '');
  const parsed = parseQuantity(value, format);
  if (!parsed.ok) return notANumber(ctx, cell, what, shown, parsed.message);
  const q = parsed.quantity;
  if (q.kind === 'none') return { kind: 'blank' };
  if (metric.kind === 'rate') return rateReached(ctx, cell, what, shown, q, metric);

  if (q.kind === 'rate') {
    const total = targetTotal(target);
    const amount = roundTo(q.value * total, 4);
    ctx.add({
      code: 'percent-for-amount',
      severity: 'error',
      cell,
      message: `${cell}：${what}按數量報送，累計完成應填${metric.unit || '數量'}數，不能填百分比「${shown}」。年度目標是${formatAmount(total)}${metric.unit}，請填寫實際完成的數量。`,
      fix: { value: amount, description: `按年度目標${formatAmount(total)}${metric.unit}的${formatPercent(q.value)}折算為${formatAmount(amount)}${metric.unit}` },
    });
    return { kind: 'invalid' };
  }
  const unit = q.unit;
  if (unit && metric.unit && !unitsMatch(unit, metric.unit)) {
    ctx.add({
      code: 'unit-mismatch',
      severity: 'error',
      cell,
      message: `${cell}：${what}的累計完成「${shown}」單位是「${unit}」，但該指標以「${metric.unit}」計。請換算成${metric.unit}後只填數字。`,
    });
    return { kind: 'invalid' };
  }
  const amount = q.kind === 'compound' ? q.value + q.extra : q.value;
  const total = targetTotal(target);
  if (total > 0 && amount > 1.5 * total) {
    ctx.add({
      code: 'far-above-target',
      severity: 'warning',
      cell,
      message: `${cell}：${what}的累計完成${formatAmount(amount)}${metric.unit}超過年度目標${formatAmount(total)}${metric.unit}的1.5倍，請核實是否多打了數位或單位有誤。`,
    });
  }
  return { kind: 'value', value: amount };
}

/** A rate metric's 累計完成: the rate reached, as a fraction. "83%" and 0.83 read the same; 83 reads as 83% with a warning. */
function rateReached(ctx: Context, cell: string, what: string, shown: string, q: ParsedQuantity, metric: Metric): Completed {
  let rate: number;
  if (q.kind === 'rate') rate = q.value;
  else if (q.kind === 'count' && (!q.unit || q.unit === '%')) {
    rate = q.value;
    if (rate > 1 && rate <= 100) {
      rate = roundTo(q.value / 100, 6);
      ctx.add({
        code: 'rate-as-percent-points',
        severity: 'warning',
        cell,
        message: `${cell}：${what}是比率指標，「${shown}」已按${shown}%理解。請直接填寫百分數（如${shown}%）或小數（如${formatAmount(rate)}）。`,
        fix: { value: rate, numberFormat: '0.0%', description: `改為${formatPercent(rate)}` },
      });
    }
  } else {
    ctx.add({
      code: 'unit-mismatch',
      severity: 'error',
      cell,
      message: `${cell}：${what}是比率指標（目標${formatPercent(metric.cityTarget)}），累計完成應填達到的比率（如82%），不能填「${shown}」。`,
    });
    return { kind: 'invalid' };
  }
  if (rate > 1) {
    ctx.add({ code: 'rate-above-100', severity: 'error', cell, message: `${cell}：${what}的比率「${shown}」超過100%，請核實。` });
    return { kind: 'invalid' };
  }
  return { kind: 'value', value: rate };
}

function notANumber(ctx: Context, cell: string, what: string, shown: string, reason: string): Completed {
  ctx.add({
    code: 'not-a-number',
    severity: 'error',
    cell,
    message: `${cell}：${what}的累計完成「${shown}」不是數字${reason ? `（${reason}）` : ''}。請只填數字；尚無數據請留空，並在備註中說明。`,
  });
  return { kind: 'invalid' };
}

function negativeNumber(value: CellValue): number | undefined {
  if (typeof value === 'number') return value < 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const t = squeeze(toHalfWidth(value)).replace(/[−–—]/g, '-');
  const m = /^-(\d+(?:\.\d+)?)/.exec(t);
  return m && Number(m[1]) > 0 ? -Number(m[1]) : undefined;
}

// ---------------------------------------------------------------------------------------------
// 填報單位 and 截至日期

const DISTRICT_LABELS = ['填報單位', '報送單位', '填報單位名稱', '單位名稱', '填報區縣', '填報地區'].map(matchKey);
const DATE_LABELS = ['截至日期', '截止日期', '統計截至日期', '數據截至日期', '統計截至', '數據截至', '截至時間', '截止時間', '統計日期', '截至', '截止']
  .map(matchKey)
  .sort((a, b) => b.length - a.length);

interface LabelledValue {
  /** The value, as written (script kept). */
  value: CellValue;
  format: string;
  row: number;
  col: number;
  /** Label and value share the cell. */
  inLabelCell: boolean;
  labelText: string;
}

/** Cells above the header, with their text. */
function textsAbove(view: GridView, headerRow: number): { row: number; col: number; text: string }[] {
  const out: { row: number; col: number; text: string }[] = [];
  for (let row = view.firstRow; row < headerRow; row++) {
    for (let col = view.firstCol; col <= view.lastCol; col++) {
      if (view.isMergedCopy(row, col)) continue;
      const v = view.raw(row, col);
      if (typeof v === 'string' && v.trim()) out.push({ row, col, text: v });
    }
  }
  return out;
}

/** "填報單位：上城區" in one cell, or "填報單位：" with the value in the next filled cell to the right. */
function findLabelled(
  view: GridView,
  headerRow: number,
  labels: string[],
  /** What must follow a label written without a colon for the rest of the cell to count as its value. */
  valueStart: RegExp,
): LabelledValue | { labelOnly: { row: number; col: number } } | undefined {
  for (const { row, col, text } of textsAbove(view, headerRow)) {
    const t = squeeze(toHalfWidth(text));
    const colon = t.search(/[:：]/);
    const head = colon >= 0 ? t.slice(0, colon) : t;
    const headKey = matchKey(head).replace(/\([^()]*\)$/, '');
    let label: string | undefined;
    let rest = '';
    if (colon >= 0) {
      label = labels.find((l) => headKey === l);
      rest = t.slice(colon + 1);
    } else {
      label = labels.find((l) => headKey === l);
      if (!label) {
        label = labels.find((l) => headKey.startsWith(l) && valueStart.test(t.slice(l.length)));
        if (label) rest = t.slice(label.length);
      }
    }
    if (!label) continue;
    if (rest) return { value: rest, format: 'General', row, col, inLabelCell: true, labelText: t.slice(0, t.length - rest.length) };
    for (let c = col + 1; c <= Math.min(view.lastCol, col + 8); c++) {
      if (view.isMergedCopy(row, c)) continue;
      const v = view.raw(row, c);
      if (isBlank(v)) continue;
      // Another "label：value" cell: this label was left empty.
      if (typeof v === 'string' && /[:：]/.test(v)) break;
      return { value: v, format: view.format(row, c), row, col: c, inLabelCell: false, labelText: t };
    }
    return { labelOnly: { row, col } };
  }
  return undefined;
}

function readDistrictLabel(ctx: Context, headerRow: number): { name: string } | undefined {
  const found = findLabelled(ctx.view, headerRow, DISTRICT_LABELS, /^\S/);
  if (!found || 'labelOnly' in found) {
    const cell = found && 'labelOnly' in found ? a1(found.labelOnly.row, found.labelOnly.col) : undefined;
    ctx.add({
      code: 'district-missing',
      severity: 'error',
      cell,
      message: `${cell ? `${cell}：` : ''}未填寫填報單位：請在表頭寫明「填報單位：上城區」這樣的區縣名稱。可填寫：${acceptedDistricts()}。`,
    });
    return undefined;
  }
  const written = tidyText(String(found.value));
  const match = resolveDistrict(written);
  if (match.kind === 'exact' || match.kind === 'alias') return { name: match.district.name };
  const cell = a1(found.row, found.col);
  const fixValue = (name: string) => (found.inLabelCell ? `${found.labelText.replace(/[:：]?$/, '')}：${name}` : name);
  ctx.add(districtIssue(match, written, cell, written, 'label', fixValue));
  return undefined;
}

function districtIssue(match: DistrictMatch, written: string, cell: string, shown: string, where: 'label' | 'column', fixValue: (name: string) => string = (n) => n): Omit<Issue, 'sheet'> {
  const subject = where === 'label' ? '填報單位' : '區縣列名';
  if (match.kind === 'misspelled') {
    const name = match.suggestion.name;
    return {
      code: 'misspelled-district',
      severity: 'error',
      cell,
      message: `${cell}：${subject}「${shown}」無法識別，是否為「${name}」？`,
      fix: { value: fixValue(name), description: `改為「${name}」` },
    };
  }
  if (match.kind === 'ambiguous') {
    return {
      code: 'ambiguous-district',
      severity: 'error',
      cell,
      message: `${cell}：${subject}「${shown}」有歧義，可能是${match.candidates.map((c) => `「${c}」`).join('或')}，請寫全稱。`,
    };
  }
  return {
    code: 'unknown-district',
    severity: 'error',
    cell,
    message: `${cell}：${subject}「${written}」不是可識別的區縣。可填寫：${acceptedDistricts()}（簡體、繁體均可，也可寫簡稱如「上城」「淳安」）。`,
  };
}

function acceptedDistricts(): string {
  return DISTRICTS.map((d) => d.name).join('、');
}

/** 截至日期 from its label, else from a title such as "（截至2024年9月30日）". */
function readAsOf(ctx: Context, headerRow: number): { iso: string } | undefined {
  const { view, plan } = ctx;
  const found = findLabelled(view, headerRow, DATE_LABELS, /^\d/);
  let iso: string | undefined;
  let cell: string | undefined;
  if (found && !('labelOnly' in found)) {
    cell = a1(found.row, found.col);
    iso = parseDateValue(found.value, found.format, plan.year);
    if (!iso) {
      const shown = typeof found.value === 'number' ? String(found.value) : tidyText(String(found.value));
      ctx.add({
        code: 'date-unreadable',
        severity: 'error',
        cell,
        message: `${cell}：截至日期「${shown}」無法識別，請寫成「${plan.year}-09-30」或「${plan.year}年9月30日」。`,
      });
      return undefined;
    }
  } else {
    for (const t of textsAbove(view, headerRow)) {
      const inTitle = dateInText(t.text, plan.year);
      if (inTitle) {
        iso = inTitle;
        cell = a1(t.row, t.col);
        break;
      }
    }
  }
  if (!iso) {
    const labelCell = found && 'labelOnly' in found ? a1(found.labelOnly.row, found.labelOnly.col) : undefined;
    ctx.add({
      code: 'date-missing',
      severity: 'error',
      cell: labelCell,
      message: `${labelCell ? `${labelCell}：` : ''}未填寫截至日期：請在表頭寫明「截至日期：${plan.year}-09-30」，或在標題中寫「截至${plan.year}年9月30日」。`,
    });
    return undefined;
  }
  if (Number(iso.slice(0, 4)) !== plan.year) {
    ctx.add({
      code: 'date-outside-year',
      severity: 'error',
      cell,
      message: `${cell ? `${cell}：` : ''}截至日期${iso}不在${plan.year}年內，本計劃只接受${plan.year}年的進度，請核實日期。`,
    });
    return undefined;
  }
  return { iso };
}

// ---------------------------------------------------------------------------------------------
// Dates

/** Days from 1899-12-30 (Excel's day 0, which absorbs its 1900 leap-year bug for dates after February 1900). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

export function serialToISODate(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 61 || serial > 2958465) return undefined;
  const d = new Date(EXCEL_EPOCH_MS + Math.floor(serial) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

export function isoDateToSerial(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Math.round((Date.UTC(y, m - 1, d) - EXCEL_EPOCH_MS) / 86_400_000);
}

/** A number format that shows a date ("yyyy-mm-dd", "yyyy\"年\"m\"月\"d\"日\"", "m/d/yy"). */
export function isDateFormat(format: string): boolean {
  const bare = format.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '').replace(/\\./g, '');
  return /[ymd]/i.test(bare) || /[年月日]/.test(format);
}

function isoOf(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1) return undefined;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > last) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function monthEnd(y: number, m: number): string | undefined {
  if (m < 1 || m > 12) return undefined;
  return isoOf(y, m, new Date(Date.UTC(y, m, 0)).getUTCDate());
}

/**
 * A date as clerks write it: 2024-09-30, 2024/9/30, 2024年9月30日, 2024.9.30, 20240930, 2024年9月底
 * (month end), 9月30日 (the plan year), or a date cell (an Excel serial with a date format).
 */
export function parseDateValue(value: CellValue, format = 'General', year?: number): string | undefined {
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 19000101 && value <= 29991231) return parseDateText(String(value), year);
    if (isDateFormat(format) || (value >= 20000 && value < 80000)) return serialToISODate(value);
    return undefined;
  }
  return parseDateText(value, year);
}

export function parseDateText(text: string, year?: number): string | undefined {
  const t = squeeze(toHalfWidth(text)).replace(/[号號]$/, '日');
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  if (m) return isoOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) return isoOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})[-/.年](\d{1,2})月?(?:底|末)?$/.exec(t);
  if (m && (/[底末]$/.test(t) || /月$/.test(t))) return monthEnd(Number(m[1]), Number(m[2]));
  if (year !== undefined) {
    m = /^(\d{1,2})月(\d{1,2})日$/.exec(t);
    if (m) return isoOf(year, Number(m[1]), Number(m[2]));
    m = /^(\d{1,2})月(?:底|末)$/.exec(t);
    if (m) return monthEnd(year, Number(m[1]));
  }
  return undefined;
}

/** "截至2024年9月30日" (or 截止, 截至日期：…) anywhere in a title. */
export function dateInText(text: string, year?: number): string | undefined {
  const t = squeeze(toHalfWidth(text));
  const m = /截[至止](?:日期|时间|時間)?[:：]?(.*)$/.exec(t);
  if (!m) return undefined;
  const after = m[1];
  const full = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号號]?/.exec(after);
  if (full) return isoOf(Number(full[1]), Number(full[2]), Number(full[3]));
  const month = /^(\d{4})[-/.年](\d{1,2})月(?:底|末)?/.exec(after);
  if (month) return monthEnd(Number(month[1]), Number(month[2]));
  if (year !== undefined) {
    const short = /^(\d{1,2})月(\d{1,2})[日号號]/.exec(after);
    if (short) return isoOf(year, Number(short[1]), Number(short[2]));
    const shortMonth = /^(\d{1,2})月(?:底|末)/.exec(after);
    if (shortMonth) return monthEnd(year, Number(shortMonth[1]));
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Small readers

function isBlank(v: CellValue): boolean {
  return v === null || (typeof v === 'string' && squeeze(v) === '');
}

/** "--", "—", "－", "/" written where a district has nothing: the same as blank. */
function isNoneText(v: CellValue): boolean {
  return typeof v === 'string' && /^[-－—–−_/\\]+$/.test(squeeze(v));
}

/** 序號 as a project number: 3, "3", "３", "3." */
function parseProjectNo(v: CellValue): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v > 0 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const t = squeeze(toHalfWidth(v)).replace(/[.、]$/, '');
  return /^\d{1,4}$/.test(t) && Number(t) > 0 ? Number(t) : undefined;
}

/**
 * 指標編號 "29-2" (full-width, other dashes, spaces all fine). A cell Excel turned into a date ("3-12"
 * typed into a General cell becomes 12 March) reads back as month-day.
 */
export function parseMetricId(v: CellValue, format = 'General'): { id: string; fromDate: boolean } | undefined {
  if (typeof v === 'number') {
    if (!isDateFormat(format)) return undefined;
    const iso = serialToISODate(v);
    if (!iso) return undefined;
    return { id: `${Number(iso.slice(5, 7))}-${Number(iso.slice(8, 10))}`, fromDate: true };
  }
  if (typeof v !== 'string') return undefined;
  const t = squeeze(toHalfWidth(v)).replace(/[−–—‐－_]/g, '-');
  const m = /^(\d{1,3})[-.](\d{1,2})$/.exec(t);
  return m ? { id: `${Number(m[1])}-${Number(m[2])}`, fromDate: false } : undefined;
}

/** Same unit of measure: 個/个, "套(間)"/"套", spacing and script aside. */
export function unitsMatch(a: string, b: string): boolean {
  if (sameUnit(a, b)) return true;
  const ka = matchKey(a);
  const kb = matchKey(b);
  const bare = (k: string) => k.replace(/\([^()]*\)/g, '');
  return bare(ka) !== '' && bare(ka) === bare(kb);
}

function roundTo(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function formatAmount(n: number): string {
  return Number.isInteger(n) ? String(n) : String(roundTo(n, 6));
}

function formatPercent(r: number): string {
  return `${formatAmount(roundTo(r * 100, 4))}%`;
}

/** A district's target as a clerk reads it: "10個", "5(4)個", "83%". */
export function showTarget(metric: Metric, target: Target): string {
  if (metric.kind === 'rate') return formatPercent(target.target);
  if (target.targetExtra !== undefined) return `${formatAmount(target.target)}(${formatAmount(target.targetExtra)})${metric.unit}`;
  return `${formatAmount(target.target)}${metric.unit}`;
}
