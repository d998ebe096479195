// The wide layout: a 附件2-shaped sheet with one column per district, as a department reports every
// district at once. Rows follow the plan's metric order within each project.
import type { BreakdownRow, BreakdownSheet } from '../breakdown';
import { a1, type GridView } from '../grid';
import type { Metric, Quantity } from '../model';
import { isNoTarget } from '../quantity';
import { squeeze, tidyText } from '../text';
import { readCompleted } from './completed';
import { districtMatchIssue } from '../districtMatch';
import { msg } from '../messages';
import { metricName, notTargeted, type Context } from './context';
import { readAsOf } from './labels';
import type { ProgressRow, Submission, SubmissionReading } from './schema';

export function readWide(ctx: Context, sheet: BreakdownSheet): SubmissionReading {
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
      if (isNoTarget(value) || view.isMergedCopy(row.row, column.col)) continue;
      const cell = a1(row.row, column.col);
      if (!metric) {
        ctx.add('unknown-metric', cell, msg('issue.unknown-metric.wide', { cell, row: row.row, no: row.projectNo, k, year: plan.year }));
        continue;
      }
      const target = ctx.target(column.district, metric.id);
      if (!target) {
        const { code, message } = notTargeted(cell, column.district, metric);
        ctx.add(code, cell, message);
        continue;
      }
      const bucket = perDistrict.get(column.district) as { rows: ProgressRow[]; seen: Map<string, string> };
      const earlier = bucket.seen.get(metric.id);
      if (earlier) {
        ctx.add('duplicate-metric', cell, msg('issue.duplicate-metric.wide', { cell, district: column.district, metric: metricName(metric), first: earlier }));
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
    ctx.add('target-differs', cell, msg('issue.target-differs.wide', { cell, written: tidyText(String(row.target.value ?? '')), metric: metricName(byOrder) }));
  }
  return chosen;
}

function sameCityTarget(q: Quantity, m: Metric): boolean {
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
      const problem = holdsValues ? districtMatchIssue(column.match, squeeze(column.headerText), { sheet: ctx.sheet, cell }, 'column') : undefined;
      if (problem) ctx.issues.push(problem);
      continue;
    }
    const earlier = taken.get(column.district);
    if (earlier) {
      if (holdsValues) ctx.add('duplicate-district', cell, msg('issue.duplicate-district.wide', { cell, district: column.district, earlier }));
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
    if (!isNoTarget(v) && !view.mergeAt(row, col)) return true;
  }
  return false;
}
