// The rows of the analysts' macros (queries/ranking.sql, lag.sql) and plan tables (queries/schema.sql)
// as zod schemas, next to the queries that return them. Charts and the report never query the
// database: callers run the SQL, check the rows here (rowsFrom), and pass them in. Columns a schema
// does not name are dropped; column names stay as SQL spells them, so a result maps over unrenamed.
import { z } from 'zod';
import { LagStatus } from '../../core/lagStatus';
import { ISODate } from '../../core/model';
import { rowObjects, type ResultTable } from '../output/resultTable';

const Ratio = z.number().finite();

/** ranking(as_of_date): one row per district, in rank order. */
export const RankingRow = z.object({
  rank: z.number().int().positive(),
  district: z.string(),
  /** NULL when no numeric milestone is due yet for any of the district's metrics. */
  schedule_attainment: Ratio.nullable(),
  completion: Ratio,
  /** Competition rank of the score alone (1, 2, 2, 4). */
  tie_rank: z.number().int().positive(),
  /** Another district has the same schedule_attainment and completion. */
  tied: z.boolean(),
  /** Metrics with nothing reported by the date. */
  missing_count: z.number().int().nonnegative(),
  seriously_behind_count: z.number().int().nonnegative(),
});
export type RankingRow = z.infer<typeof RankingRow>;

/**
 * lag(as_of_date): one row per (district, metric). category_no / category are not lag columns: join
 * them in (projects.category_no, categories.name) for the charts that group by category.
 */
export const LagRow = z.object({
  district: z.string(),
  project_no: z.number().int().positive(),
  metric_id: z.string(),
  label: z.string(),
  /** Uncapped; NULL when nothing was reported. */
  completion: Ratio.nullable(),
  expected_ratio: Ratio,
  gap: Ratio,
  lag_status: LagStatus,
  /** Every status that applies; 'seriously_behind' here marks a 掛牌督辦 candidate even when overdue. */
  lag_flags: z.array(LagStatus).optional(),
  milestone_text: z.string().nullable().optional(),
  as_of: ISODate,
  category_no: z.number().int().positive().nullable().optional(),
  category: z.string().nullable().optional(),
});
export type LagRow = z.infer<typeof LagRow>;

/** lag rows with their project's category joined in (categoryCompletionChart). */
export const CategoryLagRow = LagRow.extend({
  category_no: z.number().int().positive(),
  category: z.string(),
});
export type CategoryLagRow = z.infer<typeof CategoryLagRow>;

/** projects (schema.sql). */
export const ProjectRow = z.object({
  project_no: z.number().int().positive(),
  name: z.string(),
});
export type ProjectRow = z.infer<typeof ProjectRow>;

/** metrics (schema.sql). */
export const MetricRow = z.object({
  metric_id: z.string(),
  project_no: z.number().int().positive(),
  k: z.number().int().positive(),
  label: z.string(),
  unit: z.string(),
  kind: z.enum(['count', 'rate', 'compound', 'city-only']),
  /** For rate metrics the fraction to reach (0.83). */
  city_target: z.number(),
});
export type MetricRow = z.infer<typeof MetricRow>;

/** milestones (schema.sql): steps without a number have only `text`. */
export const MilestoneRow = z.object({
  metric_id: z.string(),
  project_no: z.number().int().positive(),
  due_date: ISODate,
  /** Recurring steps ("4月-8月每月..."): the first month's end. */
  from_date: ISODate.nullable().optional(),
  expected_ratio: Ratio.nullable(),
  expected_rate: Ratio.nullable(),
  text: z.string(),
});
export type MilestoneRow = z.infer<typeof MilestoneRow>;

/**
 * A district's cumulative completion of a metric at a report date, uncapped: a row of the view
 * current_progress (schema.sql). `SELECT district, metric_id, as_of, completion FROM lag(d)` for each
 * report date d gives exactly these too (the latest report on or before d).
 */
export const ProgressPoint = z.object({
  district: z.string(),
  metric_id: z.string(),
  as_of: ISODate,
  completion: Ratio,
});
export type ProgressPoint = z.infer<typeof ProgressPoint>;

/** One district's ranking row at one report date (ranking(d) for each report date d). */
export const TrendPoint = z.object({
  as_of: ISODate,
  completion: Ratio,
  schedule_attainment: Ratio.nullable(),
});
export type TrendPoint = z.infer<typeof TrendPoint>;

/**
 * Checks a query result against a row schema and returns typed rows; throws on the first bad row
 * with its position, so a changed macro shows up here and not as a wrong picture.
 */
export function rowsFrom<S extends z.ZodType>(schema: S, table: ResultTable | readonly Record<string, unknown>[]): z.infer<S>[] {
  const objects = Array.isArray(table) ? table : rowObjects(table as ResultTable);
  return objects.map((row, i) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw new Error(`query row ${i + 1} does not match its schema: ${parsed.error.message}`);
    return parsed.data;
  });
}
