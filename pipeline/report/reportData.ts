// Everything the leaders' workbook and the annotated submission show, read from the store in one place.
// The ranking and lag rows are the analysts' macros as queryRanking / queryLag return them (so the
// workbook can never disagree with `minsheng rank` / `minsheng lag`); the rest (categories, progress
// over time, the districts' notes, who has reported) is joined in here, in TypeScript, by key. Districts
// come out as the plan writes them (core/districtNames.ts), joined by their canonical key before that.
import { z } from 'zod';
import { LagStatus } from '../../core/lagStatus';
import { msg } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';
import { ISODate } from '../../core/model';
import {
  LagRow,
  MetricRow,
  MilestoneRow,
  ProgressPoint,
  RankingRow,
  TrendPoint,
  rowsFrom,
} from '../db/rows';
import { queryLag, queryRanking, runQuery } from '../db/queries';
import type { Store } from '../db/store';
import { withDistrictsAsWritten, type ResultTable } from '../output/resultTable';
import { readDistrictNames } from '../db/plan';
import { shownDistrict, type DistrictNames } from '../../core/districtNames';

/** A lag row with the columns the workbook shows besides the chart's (queries/lag.sql). */
export const ReportLagRow = LagRow.extend({
  district_order: z.number().int().nullable(),
  k: z.number().int().positive(),
  unit: z.string(),
  kind: z.string(),
  target_total: z.number(),
  completed: z.number().nullable(),
  last_report_date: ISODate.nullable(),
  previous_report_date: ISODate.nullable(),
  previous_completed: z.number().nullable(),
  milestone_due_date: ISODate.nullable(),
  deadline: ISODate.nullable(),
  lag_flags: z.array(LagStatus),
});
export type ReportLagRow = z.infer<typeof ReportLagRow> & {
  /** 備註 of the district's latest report of the metric, as written (undefined when blank). */
  note?: string;
};

/** A ranking row with every column the workbook shows (declared here: the chart's schema may drop some). */
export const ReportRankingRow = RankingRow.extend({
  metric_count: z.number().int().nonnegative(),
  missing_count: z.number().int().nonnegative(),
  seriously_behind_count: z.number().int().nonnegative(),
  expected_metric_count: z.number().int().nonnegative(),
  district_order: z.number().int().nullable(),
});
export type ReportRankingRow = z.infer<typeof ReportRankingRow>;

export interface ReportProject {
  project_no: number;
  name: string;
  category_no: number | null;
  lead_unit: string | null;
  deadline: string | null;
}

export interface ReportCategory {
  category_no: number;
  name: string;
}

export interface ReportData {
  asOf: string;
  /**
   * The plan's spelling of each district, by canonical name. Every district in this data is already
   * shown so (rows, tables, lists); a canonical name read elsewhere (a submission) goes through it.
   */
  districtNames: DistrictNames;
  planYear: number;
  /** queryRanking(asOf) as returned, and its rows typed. */
  rankingTable: ResultTable;
  ranking: ReportRankingRow[];
  /** queryLag(asOf) as returned, and its rows typed, with category and the latest note joined in. */
  lagTable: ResultTable;
  lag: ReportLagRow[];
  categories: ReportCategory[];
  projects: ReportProject[];
  metrics: MetricRow[];
  milestones: MilestoneRow[];
  /** Every current report on or before asOf, as completion of the district's target (uncapped). */
  progress: ProgressPoint[];
  /** The report dates on or before asOf, ascending. */
  reportDates: string[];
  /** The latest report date on or before asOf (undefined when nothing was reported by then). */
  period?: string;
  /** Districts with a target, in 附件2 order; and those with a current submission dated `period`. */
  expectedDistricts: string[];
  receivedDistricts: string[];
}

const PlanYear = z.object({ plan_year: z.number().int() });

const ProjectInfo = z.object({
  project_no: z.number().int().positive(),
  name: z.string(),
  category_no: z.number().int().nullable(),
  lead_unit: z.string().nullable(),
  deadline: ISODate.nullable(),
});
const CategoryInfo = z.object({ category_no: z.number().int(), name: z.string() });
const NoteRow = z.object({ district: z.string(), metric_id: z.string(), note: z.string().nullable() });
const DateRow = z.object({ as_of: ISODate });
const DistrictRow = z.object({ district: z.string() });

/** Every current report on or before the date, as completion of the district's target (the view current_progress, schema.sql). */
const PROGRESS_SQL = `
  SELECT district, metric_id, as_of, completion
  FROM current_progress
  WHERE as_of <= CAST($1 AS DATE)
  ORDER BY district, metric_id, as_of`;

/** The 備註 of each judged (district, metric)'s latest current report on or before the date. */
const NOTES_SQL = `
  SELECT district, metric_id, note
  FROM current_progress
  WHERE as_of <= CAST($1 AS DATE)
  QUALIFY row_number() OVER (PARTITION BY district, metric_id ORDER BY as_of DESC, submission_id DESC) = 1`;

export async function readReportData(store: Store, asOf: string): Promise<ReportData> {
  const planYears = rowsFrom(PlanYear, await runQuery(store, 'SELECT plan_year FROM plan_meta'));
  if (planYears.length === 0) throw new MessageError(msg('report.no-plan'));
  const districtNames = await readDistrictNames(store);
  const show = (district: string) => shownDistrict(districtNames, district);
  const rankingTable = withDistrictsAsWritten(await queryRanking(store, asOf), districtNames);
  const lagTable = withDistrictsAsWritten(await queryLag(store, asOf), districtNames);
  const categories = rowsFrom(CategoryInfo, await runQuery(store, 'SELECT category_no, name FROM categories ORDER BY category_no'));
  const projects = rowsFrom(
    ProjectInfo,
    await runQuery(
      store,
      `SELECT p.project_no, p.name, coalesce(p.category_no, r.category_no) AS category_no, p.lead_unit, r.deadline
       FROM projects AS p LEFT JOIN responsibilities AS r USING (project_no) ORDER BY p.project_no`,
    ),
  );
  const notes = new Map(
    rowsFrom(NoteRow, await runQuery(store, NOTES_SQL, [asOf]))
      .filter((n) => n.note !== null && n.note.trim() !== '')
      .map((n) => [`${show(n.district)}\u0000${n.metric_id}`, n.note as string]),
  );
  const categoryName = new Map(categories.map((c) => [c.category_no, c.name]));
  const categoryOf = new Map(projects.map((p) => [p.project_no, p.category_no]));
  const lag: ReportLagRow[] = rowsFrom(ReportLagRow, lagTable).map((row) => {
    const category_no = categoryOf.get(row.project_no) ?? null;
    const note = notes.get(`${row.district}\u0000${row.metric_id}`);
    return {
      ...row,
      category_no,
      category: category_no === null ? null : (categoryName.get(category_no) ?? null),
      ...(note !== undefined ? { note } : {}),
    };
  });
  const reportDates = rowsFrom(
    DateRow,
    await runQuery(store, 'SELECT DISTINCT as_of FROM submissions WHERE superseded_by IS NULL AND as_of <= CAST($1 AS DATE) ORDER BY as_of', [asOf]),
  ).map((r) => r.as_of);
  const period = reportDates[reportDates.length - 1];
  const ranking = rowsFrom(ReportRankingRow, rankingTable);
  const received = period
    ? rowsFrom(DistrictRow, await runQuery(store, 'SELECT DISTINCT district FROM submissions WHERE superseded_by IS NULL AND as_of = CAST($1 AS DATE)', [period])).map(
        (r) => show(r.district),
      )
    : [];
  const expectedDistricts = [...ranking].sort((a, b) => (a.district_order ?? 99) - (b.district_order ?? 99)).map((r) => r.district);
  return {
    asOf,
    districtNames,
    planYear: planYears[0].plan_year,
    rankingTable,
    ranking,
    lagTable,
    lag,
    categories,
    projects,
    metrics: rowsFrom(MetricRow, await runQuery(store, 'SELECT * FROM metrics ORDER BY project_no, k')),
    milestones: rowsFrom(MilestoneRow, await runQuery(store, 'SELECT * FROM milestones ORDER BY project_no, due_date, metric_id')),
    progress: rowsFrom(ProgressPoint, await runQuery(store, PROGRESS_SQL, [asOf])).map((p) => ({ ...p, district: show(p.district) })),
    reportDates,
    ...(period ? { period } : {}),
    expectedDistricts,
    receivedDistricts: expectedDistricts.filter((d) => received.includes(d)),
  };
}

/** One district's ranking at each report date up to asOf (`district`: its canonical name): the points of its trend chart. */
export async function districtTrend(store: Store, district: string, reportDates: readonly string[]): Promise<TrendPoint[]> {
  const points: TrendPoint[] = [];
  for (const date of reportDates) {
    const row = rowsFrom(ReportRankingRow, await queryRanking(store, date)).find((r) => r.district === district);
    if (row) points.push({ as_of: date, completion: row.completion, schedule_attainment: row.schedule_attainment });
  }
  return points;
}
