// The assessment as the CLI, the report and the service read it: queries/assessment.sql's macro, one row
// per assessee and component, and the same rows nested per assessee (the `--json` shape).
import { z } from 'zod';
import { shownDistrict, withDistrictShown, type DistrictNames } from '../../core/districtNames';
import { isoDay } from '../db/appender';
import { runQuery } from '../db/queries';
import type { Store } from '../db/store';
import { columnIndex, rowObjects, type Cell, type ResultTable } from '../output/resultTable';

/** assessment(year, as_of_date): every column, in rank and component order. */
export function queryAssessment(store: Store, year: number, asOf?: string): Promise<ResultTable> {
  if (asOf !== undefined) isoDay(asOf);
  return runQuery(
    store,
    `SELECT * FROM assessment(CAST($1 AS INTEGER), as_of_date := CAST($2 AS DATE))
     ORDER BY assessee_type, rank, component_no`,
    [year, asOf ?? null],
  );
}

const num = z.number().nullable();

export const AssessmentRow = z.object({
  year: z.number().int(),
  as_of: z.string(),
  assessee_type: z.enum(['district', 'lead_unit']),
  assessee: z.string(),
  assessee_order: z.number().int().nullable(),
  rank: z.number().int(),
  tie_rank: z.number().int(),
  tied: z.boolean(),
  total: num,
  tier: z.string().nullable(),
  award_candidate: z.boolean(),
  component_no: z.number().int(),
  component: z.string(),
  source: z.string(),
  method: z.string(),
  full_points: z.number(),
  lower_bound: num,
  upper_bound: num,
  base_points: num,
  plus_points: num,
  minus_points: num,
  min_points: num,
  case_deduction: num,
  measure: num,
  measure_status: z.enum(['scored', 'missing', 'not_recorded']),
  measure_rank: z.number().int().nullable(),
  items: num,
  items_missing: num,
  plus_events: num,
  minus_events: num,
  case_count: num,
  case_points: num,
  method_points: num,
  raw_points: num,
  when_missing: z.enum(['rescale', 'omit']),
  rescale_factor: num,
  points: num,
  detail: z.string().nullable(),
  rules_file: z.number().int(),
});
export type AssessmentRow = z.infer<typeof AssessmentRow>;

export function assessmentRows(table: ResultTable): AssessmentRow[] {
  return rowObjects(table).map((row) => AssessmentRow.parse(row));
}

export interface ComponentScore {
  component: string;
  points: number | null;
  full_points: number;
  source: string;
  method: string;
  /** scored, missing (inputs exist, none for this assessee) or not_recorded (no input of the kind this year). */
  status: AssessmentRow['measure_status'];
  /** For a missing component: what the total does (rescale or omit), as the rules say. */
  when_missing: AssessmentRow['when_missing'];
  /** The rule's parameters that apply (linear bounds, per-event points, points off per case). */
  rule: Record<string, number>;
  measure: number | null;
  measure_rank: number | null;
  inputs: Record<string, unknown>;
  method_points: number | null;
  case_count: number | null;
  case_points: number | null;
  raw_points: number | null;
}

export interface AssesseeScore {
  rank: number;
  tie_rank: number;
  tied: boolean;
  total: number | null;
  tier: string | null;
  award_candidate: boolean;
  /** Multiplies the scored components when a missing one is rescaled (1 otherwise). */
  rescale_factor: number | null;
  components: ComponentScore[];
}

export interface AssessmentJson {
  year: number;
  as_of: string;
  rules_file: number | null;
  districts: (AssesseeScore & { district: string })[];
  lead_units: (AssesseeScore & { lead_unit: string })[];
}

/** The rows nested per assessee, in rank order, components in the rules' order. */
export function nestAssessment(rows: readonly AssessmentRow[], year: number, asOf: string): AssessmentJson {
  const groups = new Map<string, AssessmentRow[]>();
  for (const row of rows) {
    const key = `${row.assessee_type}\u0000${row.assessee}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const scores = [...groups.values()].map((own) => {
    const first = own[0];
    const score: AssesseeScore = {
      rank: first.rank,
      tie_rank: first.tie_rank,
      tied: first.tied,
      total: first.total,
      tier: first.tier,
      award_candidate: first.award_candidate,
      rescale_factor: first.rescale_factor,
      components: [...own].sort((a, b) => a.component_no - b.component_no).map(componentScore),
    };
    return { type: first.assessee_type, name: first.assessee, score };
  });
  const byRank = (a: { score: AssesseeScore }, b: { score: AssesseeScore }) => a.score.rank - b.score.rank;
  return {
    year,
    as_of: rows[0]?.as_of ?? asOf,
    rules_file: rows[0]?.rules_file ?? null,
    districts: scores.filter((s) => s.type === 'district').sort(byRank).map((s) => ({ district: s.name, ...s.score })),
    lead_units: scores.filter((s) => s.type === 'lead_unit').sort(byRank).map((s) => ({ lead_unit: s.name, ...s.score })),
  };
}

function componentScore(row: AssessmentRow): ComponentScore {
  const inputs: Record<string, unknown> = {
    ...(row.detail ? (JSON.parse(row.detail) as Record<string, unknown>) : {}),
    ...(row.items !== null ? { items: row.items } : {}),
    ...(row.items_missing !== null ? { items_missing: row.items_missing } : {}),
    ...(row.plus_events !== null ? { plus_events: row.plus_events } : {}),
    ...(row.minus_events !== null ? { minus_events: row.minus_events } : {}),
  };
  const rule = Object.fromEntries(
    (['lower_bound', 'upper_bound', 'base_points', 'plus_points', 'minus_points', 'min_points', 'case_deduction'] as const)
      .filter((key) => row[key] !== null)
      .map((key) => [key, row[key] as number]),
  );
  return {
    component: row.component,
    points: row.points,
    full_points: row.full_points,
    source: row.source,
    method: row.method,
    status: row.measure_status,
    when_missing: row.when_missing,
    rule,
    measure: row.measure,
    measure_rank: row.measure_rank,
    inputs,
    method_points: row.method_points,
    case_count: row.case_count,
    case_points: row.case_points,
    raw_points: row.raw_points,
  };
}

/**
 * The assessment as a reader is shown it: districts as the plan writes them (core/districtNames.ts),
 * applied last; queries, lookups and the store keep the canonical name.
 */
export function assessmentShown(result: AssessmentJson, names: DistrictNames | undefined): AssessmentJson {
  return { ...result, districts: result.districts.map((d) => withDistrictShown(d, names)) };
}

/** queryAssessment's rows as shown: each district assessee as the plan writes it, lead units as they are. */
export function assessmentTableShown(table: ResultTable, names: DistrictNames | undefined): ResultTable {
  const type = columnIndex(table, 'assessee_type');
  const assessee = columnIndex(table, 'assessee');
  const shown = (row: Cell[]) => (row[type] === 'district' && typeof row[assessee] === 'string' ? row.map((cell, i) => (i === assessee ? shownDistrict(names, cell as string) : cell)) : row);
  return { columns: table.columns, rows: table.rows.map(shown) };
}
