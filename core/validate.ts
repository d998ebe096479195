// Validation of the plan attachments (附件1, 附件2): located issues with Chinese messages and fixes.
// Pure function of the sheet structures and the assembled plan; no side effects.
import type { BreakdownSheet, QuantityCell } from './breakdown';
import { BREAKDOWN_COLUMNS, REQUIRED_BREAKDOWN, REQUIRED_RESPONSIBILITY, RESPONSIBILITY_COLUMNS } from './columns';
import { DISTRICTS } from './districts';
import { formatAmount, formatPercent } from './format';
import { a1 } from './grid';
import type { Issue } from './issues';
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

type IssueInput = Omit<Issue, 'sheet'>;

export function validatePlan(input: PlanSheets): Issue[] {
  const issues: Issue[] = [];
  if (input.breakdown) {
    const sheet = input.breakdown.sheet;
    issues.push(...validateBreakdown(input.breakdown, input.assembled).map((i) => ({ sheet, ...i })));
  }
  if (input.responsibility) {
    const sheet = input.responsibility.sheet;
    issues.push(...validateResponsibility(input.responsibility, input.assembled).map((i) => ({ sheet, ...i })));
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
      issues.push({ code: 'missing-column', severity: 'error', cell: a1(headerRow, sheet.header.cells[0]?.col ?? 1), message: `缺少「${label}」欄：表頭第${headerRow}行找不到這一欄。` });
    }
  }
  issues.push(...districtColumnIssues(sheet));
  issues.push(...duplicateProjects(sheet));
  for (const row of sheet.rows) {
    issues.push(...quantityIssues(row.target));
    for (const cell of row.cells) issues.push(...quantityIssues(cell));
  }
  const metricById = new Map(assembled.plan.metrics.map((m) => [m.id, m]));
  for (const [id, row] of assembled.metricRows) {
    const metric = metricById.get(id);
    if (!metric) {
      if (row.target.quantity?.kind === 'none') {
        issues.push({ code: 'missing-target', severity: 'error', cell: a1(row.target.row, row.target.col), message: `指標${id}有區縣任務，但量化目標為空或「--」：請填寫全市量化目標。` });
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
    switch (column.match.kind) {
      case 'misspelled':
        issues.push({
          code: 'misspelled-district',
          severity: 'error',
          cell,
          message: `區縣名稱「${written}」不正確，應為「${column.match.suggestion.name}」？`,
          fix: { value: column.match.suggestion.name, description: `改為「${column.match.suggestion.name}」` },
        });
        break;
      case 'ambiguous':
        issues.push({ code: 'ambiguous-district', severity: 'error', cell, message: `區縣名稱「${written}」有歧義：可能是${column.match.candidates.map((c) => `「${c}」`).join('或')}，請寫全稱。` });
        break;
      case 'unknown':
        issues.push({ code: 'unknown-district', severity: 'error', cell, message: `「${written}」不是區縣名稱。可用的名稱：${DISTRICTS.map((d) => d.name).join('、')}。` });
        break;
      default:
        break;
    }
    if (!column.district) continue;
    const before = seen.get(column.district);
    if (before !== undefined) {
      issues.push({ code: 'duplicate-district', severity: 'error', cell, message: `「${column.district}」出現兩次：第${a1(column.headerRow, before).replace(/\d+$/, '')}欄已有這個區縣，請刪除或合併重複的一欄。` });
    } else seen.set(column.district, column.col);
  }
  if (sheet.districtColumns.length === 0) {
    issues.push({ code: 'missing-column', severity: 'error', cell: a1(sheet.header.row, sheet.header.cells[0]?.col ?? 1), message: `找不到區縣欄：表頭應有「市本級」「上城區」……「杭州西湖風景名勝區」等區縣名稱。` });
    return issues;
  }
  const missing = DISTRICTS.filter((d) => !seen.has(d.name));
  if (missing.length > 0 && sheet.districtColumns.length > 0) {
    const first = sheet.districtColumns[0];
    issues.push({ code: 'missing-district', severity: 'warning', cell: a1(first.headerRow, first.col), message: `表中沒有這些區縣的欄：${missing.map((d) => d.name).join('、')}。` });
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
      if (row.serialText) issues.push({ code: 'bad-serial', severity: 'error', cell: a1(row.row, sheet.header.cells.find((c) => c.key === 'serial')?.col ?? 1), message: `序號「${row.serialText}」不是項目編號：應為1、2、3……這樣的整數。` });
      continue;
    }
    if (row.projectNo !== previous) {
      const earlier = firstRowOf.get(row.projectNo);
      const nameKey = projectNameKey(row.projectName);
      const sameName = nameOf.get(nameKey);
      if (earlier !== undefined) {
        issues.push({ code: 'duplicate-project', severity: 'error', cell: a1(row.row, row.nameCell.col), message: `序號${row.projectNo}重複：第${earlier}行已有序號${row.projectNo}的項目。` });
      } else if (sameName !== undefined && sameName !== row.projectNo) {
        issues.push({ code: 'duplicate-project', severity: 'error', cell: a1(row.row, row.nameCell.col), message: `項目「${row.projectName}」重複：序號${sameName}已是同名項目。` });
      }
      firstRowOf.set(row.projectNo, firstRowOf.get(row.projectNo) ?? row.row);
      if (!nameOf.has(nameKey)) nameOf.set(nameKey, row.projectNo);
    }
    previous = row.projectNo;
  }
  return issues;
}

function quantityIssues(cell: QuantityCell): IssueInput[] {
  if (cell.col === 0) return [];
  if (cell.problem) return [{ code: 'bad-quantity', severity: 'error', cell: a1(cell.row, cell.col), message: cell.problem }];
  const q = cell.quantity;
  if (q && q.kind !== 'none' && (q.value < 0 || (q.kind === 'compound' && q.extra < 0))) {
    return [{ code: 'negative-value', severity: 'error', cell: a1(cell.row, cell.col), message: `「${String(cell.value)}」是負數：任務量不能為負。` }];
  }
  return NONE;
}

/** No issues: shared, since most of a sheet's 150,000 cells have none. */
const NONE: IssueInput[] = [];

function metricIssues(metric: Metric, targetCell: QuantityCell, cells: (QuantityCell & { district: string })[]): IssueInput[] {
  const issues: IssueInput[] = [];
  for (const cell of cells) {
    const q = cell.quantity;
    if (!q || q.kind === 'none') continue;
    if (metric.kind === 'rate' && q.kind !== 'rate') {
      issues.push({ code: 'kind-mismatch', severity: 'error', cell: a1(cell.row, cell.col), message: `指標${metric.id}是比率指標（${formatRate(metric.cityTarget)}），「${cell.district}」卻填了數量「${String(cell.value)}」：應填百分比。` });
      continue;
    }
    if (metric.kind !== 'rate' && q.kind === 'rate') {
      issues.push({ code: 'kind-mismatch', severity: 'error', cell: a1(cell.row, cell.col), message: `指標${metric.id}是數量指標（單位「${metric.unit}」），「${cell.district}」卻填了百分比「${String(cell.value)}」。` });
      continue;
    }
    const unit = unitOf(q);
    if (unit && metric.unit && !sameUnit(unit, metric.unit)) {
      issues.push({ code: 'unit-mismatch', severity: 'error', cell: a1(cell.row, cell.col), message: `單位不一致：「${cell.district}」填的是「${unit}」，指標${metric.id}的單位是「${metric.unit}」。` });
    }
    if (metric.kind === 'rate' && q.value < metric.cityTarget) {
      issues.push({ code: 'rate-below-target', severity: 'warning', cell: a1(cell.row, cell.col), message: `「${cell.district}」的目標${formatRate(q.value)}低於全市目標${formatRate(metric.cityTarget)}。` });
    }
  }
  if (metric.kind === 'count' || metric.kind === 'compound') {
    const counted = cells.filter((c) => c.quantity && (c.quantity.kind === 'count' || c.quantity.kind === 'compound'));
    if (counted.length > 0) {
      const sum = counted.reduce((s, c) => s + totalOf(c.quantity as Quantity), 0);
      const target = metric.cityTarget + (metric.cityTargetExtra ?? 0);
      if (Math.abs(sum - target) > 1e-6 * Math.max(1, Math.abs(target))) {
        const diff = sum - target;
        issues.push({
          code: 'sum-mismatch',
          severity: 'error',
          cell: a1(targetCell.row, targetCell.col),
          message: `指標${metric.id}各區縣（含市本級）合計${formatAmount(sum)}${metric.unit}，與量化目標${formatAmount(target)}${metric.unit}不符（${diff > 0 ? '多' : '少'}${formatAmount(Math.abs(diff))}）。`,
        });
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
      issues.push({ code: 'missing-column', severity: 'error', cell: a1(sheet.header.row, sheet.header.cells[0]?.col ?? 1), message: `缺少「${label}」欄：表頭第${sheet.header.row}行找不到這一欄。` });
    }
  }
  const seenNames = new Map<string, number>();
  sheet.rows.forEach((row, index) => {
    const key = projectNameKey(row.name.text);
    const earlier = seenNames.get(key);
    if (earlier !== undefined) {
      issues.push({ code: 'duplicate-project', severity: 'error', cell: a1(row.name.row, row.name.col), message: `項目「${row.name.text}」重複：第${earlier}行已有同名項目。` });
    } else seenNames.set(key, row.row);
    // assemblePlan keeps 附件1's row order in plan.responsibilities.
    const responsibility = assembled.plan.responsibilities[index];
    if (row.deadline.col !== 0 && !responsibility?.deadline) {
      issues.push({
        code: 'bad-deadline',
        severity: 'error',
        cell: a1(row.deadline.row, row.deadline.col),
        message: `預計完成時間「${row.deadline.text}」不是${year}年的月份：應寫成「11月底」這樣的形式。`,
      });
    }
    const schedule = assembled.schedules.get(row.row);
    if (!schedule || row.planText.col === 0) return;
    const at = a1(row.planText.row, row.planText.col);
    for (const problem of schedule.problems) {
      issues.push({ code: 'milestone-unreadable', severity: 'warning', cell: at, message: `進度安排「${problem.text}」：${problem.message}` });
    }
    // Date order, per metric (a bracketed sub-plan starts its own sequence); a recurring step is
    // ordered by its first month.
    const streams = new Map<string, typeof schedule.steps>();
    for (const step of schedule.steps) {
      for (const key of step.metricIds.length > 0 ? step.metricIds : ['']) streams.set(key, [...(streams.get(key) ?? []), step]);
    }
    const reported = new Set<string>();
    for (const steps of streams.values()) {
      let lastDate = '';
      for (const step of steps) {
        const date = step.fromDate ?? step.dueDate;
        if (lastDate && date < lastDate && !reported.has(step.text)) {
          reported.add(step.text);
          issues.push({ code: 'milestone-order', severity: 'warning', cell: at, message: `進度安排的時間順序顛倒：「${step.text}」排在${lastDate}的節點之後。` });
        }
        if (date > lastDate) lastDate = date;
      }
    }
    const deadline = responsibility?.deadline;
    if (deadline) {
      for (const step of schedule.steps) {
        if (step.dueDate > deadline) {
          issues.push({ code: 'milestone-after-deadline', severity: 'warning', cell: at, message: `節點「${step.text}」（${step.dueDate}）晚於預計完成時間「${row.deadline.text}」（${deadline}）。` });
        }
      }
    }
    const byMetric = new Map<string, { due: string; ratio: number; text: string }[]>();
    for (const m of schedule.milestones) {
      if (m.expectedRatio === undefined) continue;
      const list = byMetric.get(m.metricId) ?? [];
      list.push({ due: m.dueDate, ratio: m.expectedRatio, text: m.text });
      byMetric.set(m.metricId, list);
    }
    for (const [id, list] of byMetric) {
      const sorted = [...list].sort((x, y) => x.due.localeCompare(y.due));
      for (let i = 1; i < sorted.length; i++) {
        if (sorted[i].ratio < sorted[i - 1].ratio - 1e-9) {
          issues.push({
            code: 'milestone-falling',
            severity: 'warning',
            cell: at,
            message: `指標${id}的進度要求下降：${sorted[i - 1].due}要求${formatRate(sorted[i - 1].ratio)}，${sorted[i].due}卻只要求${formatRate(sorted[i].ratio)}。`,
          });
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
      issues.push({ code: 'project-not-in-breakdown', severity: 'error', sheet: responsibility.sheet, cell: at, message: `項目「${row.name.text}」在「${breakdown.sheet}」（任務分解表）中找不到對應的項目。` });
      continue;
    }
    linked.add(link.projectNo);
    const project = projectByNo.get(link.projectNo);
    if (!project) continue;
    const lead2 = project.leadUnit ?? '';
    if (lead2 && row.leadUnit.text && matchKey(lead2) !== matchKey(row.leadUnit.text)) {
      issues.push({
        code: 'lead-unit-differs',
        severity: 'warning',
        sheet: responsibility.sheet,
        cell: a1(row.leadUnit.row, row.leadUnit.col),
        message: `項目${project.no}的牽頭單位不一致：本表為「${row.leadUnit.text}」，「${breakdown.sheet}」為「${lead2}」。`,
      });
    }
  }
  const seen = new Set<number>();
  for (const row of breakdown.rows) {
    if (row.projectNo === undefined || seen.has(row.projectNo)) continue;
    seen.add(row.projectNo);
    if (!linked.has(row.projectNo)) {
      issues.push({ code: 'project-not-in-responsibility', severity: 'error', sheet: breakdown.sheet, cell: a1(row.nameCell.row, row.nameCell.col), message: `項目${row.projectNo}「${row.projectName}」在「${responsibility.sheet}」（責任清單）中找不到對應的項目。` });
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
