// The domain model (docs/design.md, "The plan" and "Progress submissions") as zod schemas; the types are
// inferred from them so that data coming from outside (workbooks, JSON, HTTP) is checked against the same
// definitions the code compiles against.
import { z } from 'zod';
import { ISODate } from './dates';

// Dates are checked by core/dates.ts; the schema is re-exported here beside the model that uses it.
export { ISODate };

/**
 * A parsed quantity cell (docs/design.md, "Quantities").
 * count: additive amount in a unit; rate: a fraction every district must reach (83% → 0.83);
 * compound: "5(4)個" = 5 new + 4 upgraded; none: "--", "—", blank (no target, never zero).
 */
export const Quantity = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('count'), value: z.number(), unit: z.string(), label: z.string().optional() }),
  z.object({ kind: z.literal('rate'), value: z.number() }),
  z.object({ kind: z.literal('compound'), value: z.number(), extra: z.number(), unit: z.string() }),
  z.object({ kind: z.literal('none') }),
]);
export type Quantity = z.infer<typeof Quantity>;

/** count/rate/compound as above; city-only: a city-wide target explicitly not split (project 12). */
export const MetricKind = z.enum(['count', 'rate', 'compound', 'city-only']);
export type MetricKind = z.infer<typeof MetricKind>;

export const Category = z.object({
  no: z.number().int().positive(),
  name: z.string(),
});
export type Category = z.infer<typeof Category>;

export const Project = z.object({
  /** 1..48 in the order of 附件2. */
  no: z.number().int().positive(),
  /** Name as 附件2 writes it. */
  name: z.string(),
  categoryNo: z.number().int().positive().optional(),
  /** Lead unit as 附件2 writes it (附件1's is in Responsibility). */
  leadUnit: z.string().optional(),
  /** Note text that stands in for targets (projects 11 and 12). */
  note: z.string().optional(),
});
export type Project = z.infer<typeof Project>;

export const Metric = z.object({
  /** "<project>-<k>", k = 1-based row order within the project in 附件2. */
  id: z.string().regex(/^\d+-\d+$/),
  projectNo: z.number().int().positive(),
  k: z.number().int().positive(),
  /** What is measured, in words ("地鐵接駁線", "新增學位6萬個"). */
  label: z.string(),
  unit: z.string(),
  kind: MetricKind,
  /** City-wide target: an amount in `unit`, or for rate metrics the fraction (0.83). */
  cityTarget: z.number(),
  /** Second part of a compound target (the "(4)" of "5(4)個"). */
  cityTargetExtra: z.number().optional(),
});
export type Metric = z.infer<typeof Metric>;

export const Target = z.object({
  metricId: z.string(),
  district: z.string(),
  /** Amount in the metric's unit; for rate metrics the fraction to reach; for compound, the first part. */
  target: z.number(),
  targetExtra: z.number().optional(),
});
export type Target = z.infer<typeof Target>;

export const Responsibility = z.object({
  projectNo: z.number().int().positive(),
  categoryNo: z.number().int().positive(),
  /** Name as 附件1 writes it. */
  projectName: z.string(),
  leaders: z.array(z.string()),
  leadUnit: z.string(),
  leadUnitLeaders: z.array(z.string()),
  coordinatingUnits: z.array(z.string()),
  /** Last day of the month of 預計完成時間. */
  deadline: ISODate.optional(),
  deadlineText: z.string(),
  planText: z.string(),
});
export type Responsibility = z.infer<typeof Responsibility>;

export const Milestone = z.object({
  /** The metric it measures; a project-wide milestone is repeated for each of the project's metrics. */
  metricId: z.string(),
  projectNo: z.number().int().positive(),
  dueDate: ISODate,
  /** For recurring steps ("4月-8月每月..."): the first month's end; dueDate is the last. */
  fromDate: ISODate.optional(),
  /** Expected completion as a fraction of the target, when the step gives a number. */
  expectedRatio: z.number().optional(),
  /** Expected rate for rate metrics ("保障率達到81%" → 0.81). */
  expectedRate: z.number().optional(),
  /** The step as written. */
  text: z.string(),
});
export type Milestone = z.infer<typeof Milestone>;

export const Plan = z.object({
  year: z.number().int(),
  categories: z.array(Category),
  projects: z.array(Project),
  metrics: z.array(Metric),
  targets: z.array(Target),
  responsibilities: z.array(Responsibility),
  milestones: z.array(Milestone),
  /** Each district as the plan writes it, by canonical name (core/districtNames.ts); outputs show these. */
  districtNames: z.record(z.string(), z.string()).optional(),
});
export type Plan = z.infer<typeof Plan>;

export function metricId(projectNo: number, k: number): string {
  return `${projectNo}-${k}`;
}
