// Validation of the plan attachments (附件1, 附件2): located issues with Chinese messages and fixes.
// Pure function of the sheet structures and the assembled plan; no side effects.
import type { BreakdownRow, BreakdownSheet, QuantityCell } from './breakdown';
import { BREAKDOWN_COLUMNS, REQUIRED_BREAKDOWN, REQUIRED_RESPONSIBILITY, RESPONSIBILITY_COLUMNS } from './columns';
import { DISTRICTS } from './districts';
import { formatAmount, formatPercent } from './format';
import { a1, columnLetter } from './grid';
import { districtMatchIssue } from './districtMatch';
import { issue, type Issue } from './issues';
import { listOf, msg } from './messages';
import type { Metric, Quantity } from './model';
import { projectNameKey, type AssembledPlan } from './plan';
import type { ResponsibilitySheet } from './responsibility';
import { sameUnit } from './quantity';
import { matchKey } from './text';

/** Rates in plan messages show two decimals of a percent (83.33%). */
const formatRate = (r: number) => formatPercent(r, 2);

export interface PlanSheets {
  breakdown?: BreakdownSheet;
  responsibility?: ResponsibilitySheet;
  assembled: AssembledPlan;
}

/** An issue before its sheet is known: the callers below put the sheet in. */
type IssueInput = Omit<Issue, 'sheet'>;

export function validatePlan(input: PlanSheets): Issue[] {
  const issues: Issue[] = [];
  if (input.breakdown) {
    const sheet = input.breakdown.sheet;
    issues.push(...validateBreakdown(input.breakdown, input.assembled).map((i) => ({ ...i, sheet })));
  }
  if (input.responsibility) {
    const sheet = input.responsibility.sheet;
    issues.push(...validateResponsibility(input.responsibility, input.assembled).map((i) => ({ ...i, sheet })));
  }
  if (input.breakdown && input.responsibility) issues.push(...crossCheck(input.breakdown, input.responsibility, input.assembled));
  return issues;
}

function validateBreakdown(sheet: BreakdownSheet, assembled: AssembledPlan): IssueInput[] {
  const issues: IssueInput[] = [];
  const headerRow = sheet.header.row;
  for (const key of REQUIRED_BREAKDOWN) {
    if (!sheet.header.cells.some((c) => c.key === key)) {
      const label = BREAKDOWN_COLUMNS.find((c) => c.key === key)?.label;
      issues.push(issue('missing-column', { cell: a1(headerRow, sheet.header.cells[0]?.col ?? 1) }, msg('issue.missing-column', { label: label ?? key, row: headerRow })));
    }
  }
  issues.push(...districtColumnIssues(sheet));
  issues.push(...duplicateProjects(sheet));
  issues.push(...repeatedMetricRows(sheet, assembled));
  for (const row of sheet.rows) {
    const scaled = row.districtScale;
    if (!scaled) continue;
    for (const cell of row.cells) {
      const q = cell.quantity;
      if (!q || q.kind !== 'count') continue;
      const at = a1(cell.row, cell.col);
      const params = { cell: at, district: cell.district, written: String(cell.value), word: scaled.word, amount: formatAmount(q.value), unit: q.unit, target: String(row.target.value) };
      issues.push(issue('district-values-in-target-scale', { cell: at }, msg('issue.district-values-in-target-scale', params), { value: q.value, description: msg('fix.district-values-in-target-scale', params) }));
    }
  }
  for (const row of sheet.rows) {
    quantityIssues(row.target, issues);
    for (const cell of row.cells) quantityIssues(cell, issues);
  }
  const metricById = new Map(assembled.plan.metrics.map((m) => [m.id, m]));
  for (const [id, row] of assembled.metricRows) {
    const metric = metricById.get(id);
    if (!metric) {
      if (row.target.quantity?.kind === 'none') {
        issues.push(issue('missing-target', { cell: a1(row.target.row, row.target.col) }, msg('issue.missing-target', { metric: id })));
      }
      continue;
    }
    issues.push(...metricIssues(metric, row.target, row.cells));
  }
  return issues;
}

function districtColumnIssues(sheet: BreakdownSheet): IssueInput[] {
  const issues: IssueInput[] = [];
  const seen = new Map<string, number>();
  for (const column of sheet.districtColumns) {
    const cell = a1(column.headerRow, column.col);
    const written = column.headerText.replace(/\s+/g, '');
    const mismatch = districtMatchIssue(column.match, written, { cell }, 'column');
    if (mismatch) issues.push(mismatch);
    if (!column.district) continue;
    const before = seen.get(column.district);
    if (before !== undefined) {
      issues.push(issue('duplicate-district', { cell }, msg('issue.duplicate-district', { district: column.district, column: columnLetter(before) })));
    } else seen.set(column.district, column.col);
  }
  if (sheet.districtColumns.length === 0) {
    issues.push(issue('missing-column', { cell: a1(sheet.header.row, sheet.header.cells[0]?.col ?? 1) }, msg('issue.missing-column.districts')));
    return issues;
  }
  const missing = DISTRICTS.filter((d) => !seen.has(d.name));
  if (missing.length > 0 && sheet.districtColumns.length > 0) {
    const first = sheet.districtColumns[0];
    issues.push(issue('missing-district', { cell: a1(first.headerRow, first.col) }, msg('issue.missing-district', { districts: listOf(missing.map((d) => d.name)) })));
  }
  return issues;
}

/**
 * Whether two rows of 附件2 say everything alike, as compared for an exact repeat. Compared field by
 * field, stopping at the first difference: a 10,000-row sheet compares 5,000 neighbouring pairs.
 */
function sameRowContent(a: BreakdownRow, b: BreakdownRow): boolean {
  // Formats count: a normalised row keeps its unit there (2000 as 0"人次" and 2000 as 0"場" are two metrics).
  if (
    a.projectNo !== b.projectNo ||
    a.serialText !== b.serialText ||
    a.projectName !== b.projectName ||
    (a.ownName ?? '') !== (b.ownName ?? '') ||
    a.target.value !== b.target.value ||
    a.target.format !== b.target.format ||
    (a.leadUnit?.text ?? '') !== (b.leadUnit?.text ?? '') ||
    (a.note?.text ?? '') !== (b.note?.text ?? '') ||
    a.cells.length !== b.cells.length
  ) {
    return false;
  }
  for (let i = 0; i < a.cells.length; i++) {
    const x = a.cells[i];
    const y = b.cells[i];
    if (x.district !== y.district || x.value !== y.value || x.format !== y.format) return false;
  }
  return true;
}

/**
 * A metric row pasted twice (same 序號, text and numbers, one row after the other) would be a second
 * metric with the target counted twice: an error at the repeated row. Two metrics of one project with
 * the same label and unit cannot be told apart by a clerk: a warning at the second.
 */
function repeatedMetricRows(sheet: BreakdownSheet, assembled: AssembledPlan): IssueInput[] {
  const issues: IssueInput[] = [];
  const repeated = new Set<number>();
  sheet.rows.forEach((row, i) => {
    const before = sheet.rows[i - 1];
    if (i === 0 || row.projectNo === undefined || before.projectNo !== row.projectNo || !sameRowContent(before, row)) return;
    repeated.add(row.row);
    const cell = a1(row.row, row.nameCell.col);
    issues.push(issue('repeated-metric-row', { cell }, msg('issue.repeated-metric-row', { cell, row: row.row, earlier: before.row, project: row.projectNo })));
  });
  const labelled = new Map<string, Metric>();
  for (const metric of assembled.plan.metrics) {
    const row = assembled.metricRows.get(metric.id);
    if (!row || repeated.has(row.row)) continue;
    // What the row itself says the metric is (a label in the target cell, its own name), the label read
    // for it and its unit: rows alike in all three cannot be told apart.
    const q = row.target.quantity;
    const written = (q?.kind === 'count' && q.label) || row.ownName || '';
    const key = `${metric.projectNo}|${matchKey(written)}|${matchKey(metric.label)}|${matchKey(metric.unit)}`;
    const first = labelled.get(key);
    if (!first) {
      labelled.set(key, metric);
      continue;
    }
    const cell = a1(row.row, row.nameCell.col);
    issues.push(issue('duplicate-metric-label', { cell }, msg('issue.duplicate-metric-label', { cell, metric: metric.id, first: first.id, label: metric.label, unit: metric.unit })));
  }
  return issues;
}

function duplicateProjects(sheet: BreakdownSheet): IssueInput[] {
  const issues: IssueInput[] = [];
  const firstRowOf = new Map<number, number>();
  const nameOf = new Map<string, number>();
  let previous: number | undefined;
  for (const row of sheet.rows) {
    if (row.projectNo === undefined) {
      if (row.serialText) issues.push(issue('bad-serial', { cell: a1(row.row, sheet.header.cells.find((c) => c.key === 'serial')?.col ?? 1) }, msg('issue.bad-serial', { serial: row.serialText })));
      continue;
    }
    if (row.projectNo !== previous) {
      const earlier = firstRowOf.get(row.projectNo);
      const nameKey = projectNameKey(row.projectName);
      const sameName = nameOf.get(nameKey);
      if (earlier !== undefined) {
        issues.push(issue('duplicate-project', { cell: a1(row.row, row.nameCell.col) }, msg('issue.duplicate-project.serial', { no: row.projectNo, row: earlier })));
      } else if (sameName !== undefined && sameName !== row.projectNo) {
        issues.push(issue('duplicate-project', { cell: a1(row.row, row.nameCell.col) }, msg('issue.duplicate-project.name', { name: row.projectName, no: sameName })));
      }
      firstRowOf.set(row.projectNo, firstRowOf.get(row.projectNo) ?? row.row);
      if (!nameOf.has(nameKey)) nameOf.set(nameKey, row.projectNo);
    }
    previous = row.projectNo;
  }
  return issues;
}

/** A cell's own issues, added to `issues` (most of a sheet's 150,000 cells have none: nothing is made for them). */
function quantityIssues(cell: QuantityCell, issues: IssueInput[]): void {
  if (cell.col === 0) return;
  if (cell.problem) {
    issues.push(issue('bad-quantity', { cell: a1(cell.row, cell.col) }, msg('issue.bad-quantity', { reason: cell.problem })));
    return;
  }
  const q = cell.quantity;
  if (q && q.kind !== 'none' && (q.value < 0 || (q.kind === 'compound' && q.extra < 0))) {
    issues.push(issue('negative-value', { cell: a1(cell.row, cell.col) }, msg('issue.negative-value', { value: String(cell.value) })));
  }
}

function metricIssues(metric: Metric, targetCell: QuantityCell, cells: (QuantityCell & { district: string })[]): IssueInput[] {
  const issues: IssueInput[] = [];
  for (const cell of cells) {
    const q = cell.quantity;
    if (!q || q.kind === 'none') continue;
    if (metric.kind === 'rate' && q.kind !== 'rate') {
      issues.push(issue('kind-mismatch', { cell: a1(cell.row, cell.col) }, msg('issue.kind-mismatch.rate', { metric: metric.id, rate: formatRate(metric.cityTarget), district: cell.district, value: String(cell.value) })));
      continue;
    }
    if (metric.kind !== 'rate' && q.kind === 'rate') {
      issues.push(issue('kind-mismatch', { cell: a1(cell.row, cell.col) }, msg('issue.kind-mismatch.count', { metric: metric.id, unit: metric.unit, district: cell.district, value: String(cell.value) })));
      continue;
    }
    const unit = unitOf(q);
    if (unit && metric.unit && !sameUnit(unit, metric.unit)) {
      issues.push(issue('unit-mismatch', { cell: a1(cell.row, cell.col) }, msg('issue.unit-mismatch', { district: cell.district, unit, metric: metric.id, expected: metric.unit })));
    }
    if (metric.kind === 'rate' && q.value < metric.cityTarget) {
      issues.push(issue('rate-below-target', { cell: a1(cell.row, cell.col) }, msg('issue.rate-below-target', { district: cell.district, rate: formatRate(q.value), cityRate: formatRate(metric.cityTarget) })));
    }
  }
  if (metric.kind === 'count' || metric.kind === 'compound') {
    let counted = 0;
    let sum = 0;
    for (const c of cells) {
      if (c.quantity && (c.quantity.kind === 'count' || c.quantity.kind === 'compound')) {
        counted++;
        sum += totalOf(c.quantity);
      }
    }
    if (counted > 0) {
      const target = metric.cityTarget + (metric.cityTargetExtra ?? 0);
      if (Math.abs(sum - target) > 1e-6 * Math.max(1, Math.abs(target))) {
        const diff = sum - target;
        const difference = msg(diff > 0 ? 'issue-part.more' : 'issue-part.less', { amount: formatAmount(Math.abs(diff)) });
        issues.push(issue('sum-mismatch', { cell: a1(targetCell.row, targetCell.col) }, msg('issue.sum-mismatch', { metric: metric.id, sum: formatAmount(sum), unit: metric.unit, target: formatAmount(target), difference })));
      }
    }
  }
  return issues;
}

function validateResponsibility(sheet: ResponsibilitySheet, assembled: AssembledPlan): IssueInput[] {
  const issues: IssueInput[] = [];
  const year = assembled.plan.year;
  for (const key of REQUIRED_RESPONSIBILITY) {
    if (!sheet.header.cells.some((c) => c.key === key)) {
      const label = RESPONSIBILITY_COLUMNS.find((c) => c.key === key)?.label;
      issues.push(issue('missing-column', { cell: a1(sheet.header.row, sheet.header.cells[0]?.col ?? 1) }, msg('issue.missing-column', { label: label ?? key, row: sheet.header.row })));
    }
  }
  const seenNames = new Map<string, number>();
  sheet.rows.forEach((row, index) => {
    const key = projectNameKey(row.name.text);
    const earlier = seenNames.get(key);
    if (earlier !== undefined) {
      issues.push(issue('duplicate-project', { cell: a1(row.name.row, row.name.col) }, msg('issue.duplicate-project.row', { name: row.name.text, row: earlier })));
    } else seenNames.set(key, row.row);
    // assemblePlan keeps 附件1's row order in plan.responsibilities.
    const responsibility = assembled.plan.responsibilities[index];
    if (row.deadline.col !== 0 && !responsibility?.deadline) {
      issues.push(issue('bad-deadline', { cell: a1(row.deadline.row, row.deadline.col) }, msg('issue.bad-deadline', { written: row.deadline.text, year })));
    }
    const schedule = assembled.schedules.get(row.row);
    if (!schedule || row.planText.col === 0) return;
    const at = a1(row.planText.row, row.planText.col);
    for (const problem of schedule.problems) {
      issues.push(issue('milestone-unreadable', { cell: at }, msg('issue.milestone-unreadable', { text: problem.text, reason: problem.message })));
    }
    // Date order, per metric and labelled sub-plan (each starts its own sequence); a recurring step is
    // ordered by its first month.
    const streams = new Map<string, typeof schedule.steps>();
    for (const step of schedule.steps) {
      for (const id of step.metricIds.length > 0 ? step.metricIds : ['']) {
        const key = `${step.subPlan ?? ''}|${id}`;
        streams.set(key, [...(streams.get(key) ?? []), step]);
      }
    }
    const reported = new Set<string>();
    for (const steps of streams.values()) {
      let lastDate = '';
      for (const step of steps) {
        const date = step.fromDate ?? step.dueDate;
        if (lastDate && date < lastDate && !reported.has(step.text)) {
          reported.add(step.text);
          issues.push(issue('milestone-order', { cell: at }, msg('issue.milestone-order', { step: step.text, date: lastDate })));
        }
        if (date > lastDate) lastDate = date;
      }
    }
    const deadline = responsibility?.deadline;
    if (deadline) {
      for (const step of schedule.steps) {
        if (step.dueDate > deadline) {
          issues.push(issue('milestone-after-deadline', { cell: at }, msg('issue.milestone-after-deadline', { step: step.text, due: step.dueDate, written: row.deadline.text, deadline })));
        }
      }
    }
    const byMetric = new Map<string, { due: string; ratio: number; text: string }[]>();
    // Per metric and labelled sub-plan: two sub-plans of one metric are two sequences.
    for (const m of schedule.milestones) {
      if (m.expectedRatio === undefined) continue;
      const key = `${schedule.subPlanOf.get(m) ?? ''}|${m.metricId}`;
      const list = byMetric.get(key) ?? [];
      list.push({ due: m.dueDate, ratio: m.expectedRatio, text: m.text });
      byMetric.set(key, list);
    }
    for (const [key, list] of byMetric) {
      const id = key.slice(key.indexOf('|') + 1);
      const sorted = [...list].sort((x, y) => x.due.localeCompare(y.due));
      for (let i = 1; i < sorted.length; i++) {
        if (sorted[i].ratio < sorted[i - 1].ratio - 1e-9) {
          const [earlier, later] = [sorted[i - 1], sorted[i]];
          const params = { metric: id, earlierDue: earlier.due, earlierRate: formatRate(earlier.ratio), laterDue: later.due, laterRate: formatRate(later.ratio) };
          issues.push(issue('milestone-falling', { cell: at }, msg('issue.milestone-falling', params)));
        }
      }
    }
  });
  return issues;
}

export function crossCheck(breakdown: BreakdownSheet, responsibility: ResponsibilitySheet, assembled: AssembledPlan): Issue[] {
  const issues: Issue[] = [];
  const linked = new Set<number>();
  const projectByNo = new Map(assembled.plan.projects.map((p) => [p.no, p]));
  for (const link of assembled.links) {
    const row = link.responsibilityRow;
    const at = a1(row.name.row, row.name.col);
    if (link.projectNo === undefined) {
      issues.push(issue('project-not-in-breakdown', { sheet: responsibility.sheet, cell: at }, msg('issue.project-not-in-breakdown', { name: row.name.text, sheet: breakdown.sheet })));
      continue;
    }
    linked.add(link.projectNo);
    const project = projectByNo.get(link.projectNo);
    if (!project) continue;
    const lead2 = project.leadUnit ?? '';
    if (lead2 && row.leadUnit.text && matchKey(lead2) !== matchKey(row.leadUnit.text)) {
      const where = { sheet: responsibility.sheet, cell: a1(row.leadUnit.row, row.leadUnit.col) };
      issues.push(issue('lead-unit-differs', where, msg('issue.lead-unit-differs', { no: project.no, here: row.leadUnit.text, sheet: breakdown.sheet, there: lead2 })));
    }
  }
  const seen = new Set<number>();
  for (const row of breakdown.rows) {
    if (row.projectNo === undefined || seen.has(row.projectNo)) continue;
    seen.add(row.projectNo);
    if (!linked.has(row.projectNo)) {
      const where = { sheet: breakdown.sheet, cell: a1(row.nameCell.row, row.nameCell.col) };
      issues.push(issue('project-not-in-responsibility', where, msg('issue.project-not-in-responsibility', { no: row.projectNo, name: row.projectName, sheet: responsibility.sheet })));
    }
  }
  return issues;
}

function unitOf(q: Quantity): string {
  return q.kind === 'count' || q.kind === 'compound' ? q.unit : '';
}

function totalOf(q: Quantity): number {
  if (q.kind === 'compound') return q.value + q.extra;
  return q.kind === 'none' ? 0 : q.value;
}
