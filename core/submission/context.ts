// What every step of reading a submission needs: the sheet, the plan indexed for lookups, and the issues
// found so far; and the issue every layout raises for a row its district has no target for.
import type { GridView } from '../grid';
import { issue, type Issue, type IssueCode } from '../issues';
import { msg, type Message } from '../messages';
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

  /** Records an issue on this sheet. */
  add(code: IssueCode, cell: string | undefined, message: Message, fix?: Parameters<typeof issue>[3]): void {
    this.issues.push(issue(code, { sheet: this.sheet, cell }, message, fix));
  }
}

/** An issue found before it is known whether it counts (a row nobody filled in harms nothing). */
export interface Found<C extends IssueCode = IssueCode> {
  code: C;
  cell: string;
  message: Message;
}

/** "指標1-1「…」": how sentences name a metric. */
export function metricName(metric: Metric): Message {
  return msg('issue-part.metric', { id: metric.id, label: metric.label });
}

/** "A5：" before a sentence, or nothing when there is no cell. */
export function atCell(cell: string | undefined): Message | '' {
  return cell ? msg('issue-part.at', { cell }) : '';
}

export function notTargeted(cell: string, district: string, metric: Metric): Found<'metric-not-targeted'> {
  return { code: 'metric-not-targeted', cell, message: msg('issue.metric-not-targeted', { cell, district, metric: metricName(metric) }) };
}
