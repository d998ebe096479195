// What every step of reading a submission needs: the sheet, the plan indexed for lookups, and the issues
// found so far; and the issue every layout raises for a row its district has no target for.
import type { GridView } from '../grid';
import type { Issue } from '../issues';
import type { Metric, Plan, Target } from '../model';

/** What every reading step needs: where we are, the plan, and the issues found so far. */
export class Context {
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

export function notTargeted(cell: string, district: string, metric: Metric): Omit<Issue, 'sheet'> {
  return {
    code: 'metric-not-targeted',
    severity: 'error',
    cell,
    message: `${cell}：${district}沒有指標${metric.id}「${metric.label}」的年度任務，不應填報這一行。請核實是否填錯了行或填錯了區縣；不需要的行可以刪除。`,
  };
}

