// The generated template (one district): each row is identified by its 指標編號, or, in a template whose
// 指標編號 column is gone, by 序號 + 年度目標 + 單位 (+ 指標); its 年度目標 is checked against the plan.
import { isNoteLabel, isTotalLabel, parseSerial } from '../columns';
import { isDateFormat, serialToISODate } from '../dates';
import { showTarget } from '../format';
import { a1, isBlank, type CellValue, type GridView } from '../grid';
import type { IssueCode } from '../issues';
import { msg } from '../messages';
import type { Metric, Quantity, Target } from '../model';
import { parseQuantity, sameUnit } from '../quantity';
import { matchKey, squeeze, tidyText, toHalfWidth } from '../text';
import { readCompleted } from './completed';
import { Context, metricName, notTargeted, type Found } from './context';
import { readAsOf, readDistrictLabel } from './labels';
import type { TemplateHeader } from './layout';
import { districtMetrics, targetTotal, type ProgressRow, type Submission, type SubmissionReading } from './schema';

function isFormLabelRow(view: GridView, row: number): boolean {
  for (let col = view.firstCol; col <= view.lastCol; col++) {
    const text = view.text(row, col).trim();
    if (text) return /[:：]$/.test(text);
  }
  return false;
}

export function readTemplate(ctx: Context, header: TemplateHeader): SubmissionReading {
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
    if (isTotalLabel(firstText) || (cols.serial !== undefined && isTotalLabel(view.text(row, cols.serial)))) continue;
    if (!hasValue && isNoteLabel(firstText)) continue;
    // The signature block under the table ("填報人：", "聯繫電話：", "審核人：") is a form, not data.
    if (!hasValue && isFormLabelRow(view, row)) continue;

    // A 序號 merged over a project's rows reads on each of them.
    const projectNo = cols.serial !== undefined ? parseSerial(view.value(row, cols.serial)) : undefined;
    const identified = district ? identifyTemplateRow(ctx, header, row, district.name, projectNo, usedByFallback) : undefined;
    if (!identified) {
      if (hasValue && district) {
        ctx.add('unmatched-row', completedCell, msg('issue.unmatched-row.no-id', { row }));
      }
      continue;
    }
    if ('problem' in identified) {
      // A row nobody filled in harms nothing: say so, without rejecting the file.
      const { code, cell, message } = identified.problem;
      ctx.add(hasValue ? code : UNFILLED[code], cell, message);
      continue;
    }
    const { metric, target } = identified;
    const first = seen.get(metric.id);
    if (first !== undefined) {
      ctx.add(hasValue ? 'duplicate-metric' : 'duplicate-metric-unfilled', completedCell, msg('issue.duplicate-metric', { row, metric: metricName(metric), first }));
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
      ctx.add('metric-row-missing', undefined, msg('issue.metric-row-missing', { district: district.name, metric: metricName(dm.metric) }));
    }
  }
  const submissions: Submission[] = district && asOf ? [{ district: district.name, asOf: asOf.iso, layout: 'template', rows }] : [];
  return { submissions, issues: ctx.issues };
}

type RowIdentity = { metric: Metric; target: Target; by: 'id' | 'fallback' } | { problem: Found<keyof typeof UNFILLED> };

/** The code of a problem row that nobody filled in: it is noted, and does not reject the file. */
const UNFILLED = {
  'unknown-metric': 'unknown-metric-unfilled',
  'metric-not-targeted': 'metric-not-targeted-unfilled',
  'unmatched-row': 'unmatched-row-unfilled',
} as const satisfies Partial<Record<IssueCode, IssueCode>>;

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
    const parsed = parseMetricId(idValue, view.format(row, idCol), view.date1904);
    const idCell = a1(row, idCol);
    if (!parsed) {
      return { problem: { code: 'unknown-metric', cell: idCell, message: msg('issue.unknown-metric.format', { cell: idCell, written: tidyText(String(idValue)) }) } };
    }
    if (parsed.fromDate) {
      ctx.add('metric-id-as-date', idCell, msg('issue.metric-id-as-date', { cell: idCell, id: parsed.id }), {
        value: parsed.id,
        numberFormat: '@',
        description: msg('fix.metric-id-as-date', { id: parsed.id }),
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
    return { problem: { code: 'unknown-metric', cell, message: msg('issue.unknown-metric.not-in-plan', { cell, id, year: ctx.plan.year }) } };
  }
  const target = ctx.target(district, id);
  if (!target) return { problem: notTargeted(cell, district, metric) };
  return { metric, target, by: 'id' };
}

function byFallback(ctx: Context, header: TemplateHeader, row: number, district: string, projectNo: number, used: Set<string>): RowIdentity {
  const { view } = ctx;
  const cols = header.cols;
  const cell = a1(row, cols.completed as number);
  const inProject = ctx.projectMetrics(projectNo);
  if (inProject.length === 0) {
    return { problem: { code: 'unknown-metric', cell, message: msg('issue.unknown-metric.serial', { cell, no: projectNo, year: ctx.plan.year }) } };
  }
  const targeted = inProject.filter((m) => ctx.target(district, m.id));
  if (targeted.length === 0) return { problem: notTargeted(cell, district, inProject[0]) };

  const targetValue = cols.target !== undefined ? view.value(row, cols.target) : null;
  const targetFormat = cols.target !== undefined ? view.format(row, cols.target) : 'General';
  const unitText = cols.unit !== undefined ? squeeze(view.text(row, cols.unit)) : '';
  const labelText = cols.metricLabel !== undefined ? view.text(row, cols.metricLabel) : '';
  const stated = isBlank(targetValue) ? undefined : parseQuantity(targetValue, targetFormat);
  let candidates = targeted;
  if (stated?.ok && stated.quantity.kind !== 'none') {
    const q = stated.quantity;
    candidates = candidates.filter((m) => sameTarget(q, m, ctx.target(district, m.id) as Target));
  }
  if (unitText && candidates.length > 1) {
    const byUnit = candidates.filter((m) => m.kind === 'rate' || !m.unit || sameUnit(unitText, m.unit));
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
    const written = isBlank(targetValue) ? msg('issue-part.empty') : tidyText(String(targetValue));
    const unit = unitText ? msg('issue-part.unit', { unit: unitText }) : '';
    return { problem: { code: 'unmatched-row', cell, message: msg('issue.unmatched-row.target', { row, no: projectNo, written, unit, district }) } };
  }
  used.add(metric.id);
  return { metric, target: ctx.target(district, metric.id) as Target, by: 'fallback' };
}

function sameTarget(q: Quantity, metric: Metric, target: Target): boolean {
  const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  switch (q.kind) {
    case 'rate':
      return metric.kind === 'rate' && near(q.value, target.target);
    case 'compound':
      return near(q.value, target.target) && near(q.extra, target.targetExtra ?? 0);
    case 'count':
      if (metric.kind === 'rate') return near(q.value, target.target) || near(q.value / 100, target.target);
      if (q.unit && metric.unit && !sameUnit(q.unit, metric.unit)) return false;
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
  const written = `${tidyText(String(value))}${unit && typeof value === 'number' ? unit : ''}`;
  ctx.add('target-differs', cell, msg('issue.target-differs', { cell, written, district, metric: metric.id, target: showTarget(metric, target) }));
}

/**
 * 指標編號 "29-2" (full-width, other dashes, spaces all fine). A cell Excel turned into a date ("3-12"
 * typed into a General cell becomes 12 March) reads back as month-day.
 */
export function parseMetricId(v: CellValue, format = 'General', date1904 = false): { id: string; fromDate: boolean } | undefined {
  if (typeof v === 'number') {
    if (!isDateFormat(format)) return undefined;
    const iso = serialToISODate(v, date1904);
    if (!iso) return undefined;
    return { id: `${Number(iso.slice(5, 7))}-${Number(iso.slice(8, 10))}`, fromDate: true };
  }
  if (typeof v !== 'string') return undefined;
  const t = squeeze(toHalfWidth(v)).replace(/[−–—‐－_]/g, '-');
  const m = /^(\d{1,3})[-.](\d{1,2})$/.exec(t);
  return m ? { id: `${Number(m[1])}-${Number(m[2])}`, fromDate: false } : undefined;
}
