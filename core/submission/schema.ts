// What a progress submission (進度報送表, docs/design.md) is once read: the schema the store takes, and the
// plan seen from one district (the rows of its template).
import { z } from 'zod';
import type { Issue } from '../issues';
import { ISODate, type Metric, type Plan, type Project, type Target } from '../model';

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

/** What a sheet reports, and what is wrong with it. */
export interface SubmissionReading {
  submissions: Submission[];
  issues: Issue[];
}

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
