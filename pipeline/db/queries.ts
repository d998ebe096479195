// The analysts' questions as typed calls: each calls the table macro its queries/*.sql file defines,
// with the date bound as a parameter, and returns a plain ResultTable.
import type { DuckDBValue } from '@duckdb/node-api';
import type { LagStatus } from '../../core/lagStatus';
import type { ResultTable } from '../output/resultTable';
import { isoDay } from './appender';
import type { Store } from './store';
import { readerToTable } from './values';

export async function runQuery(
  store: Store,
  sql: string,
  params?: DuckDBValue[] | Record<string, DuckDBValue>,
): Promise<ResultTable> {
  return readerToTable(await store.connection.runAndReadAll(sql, params));
}

/** ranking.sql: one row per district, in rank order. */
export function queryRanking(store: Store, asOf: string): Promise<ResultTable> {
  isoDay(asOf);
  return runQuery(store, 'SELECT * FROM ranking(CAST($1 AS DATE))', [asOf]);
}

/** The order lag and forecast rows are read in: district by district, project by project. */
const BY_DISTRICT_AND_METRIC = 'ORDER BY district_order NULLS LAST, district, project_no, k';

/** lag.sql: one row per (district, metric); optionally only rows whose lag_status is one of `statuses`. */
export function queryLag(store: Store, asOf: string, statuses?: readonly LagStatus[]): Promise<ResultTable> {
  isoDay(asOf);
  if (!statuses || statuses.length === 0) {
    return runQuery(store, `SELECT * FROM lag(CAST($1 AS DATE)) ${BY_DISTRICT_AND_METRIC}`, [asOf]);
  }
  return runQuery(
    store,
    `SELECT * FROM lag(CAST($1 AS DATE)) WHERE list_contains(string_split($2, ','), lag_status) ${BY_DISTRICT_AND_METRIC}`,
    [asOf, statuses.join(',')],
  );
}

/** forecast.sql: one row per (district, metric). */
export function queryForecast(store: Store, asOf: string): Promise<ResultTable> {
  isoDay(asOf);
  return runQuery(store, `SELECT * FROM forecast(CAST($1 AS DATE)) ${BY_DISTRICT_AND_METRIC}`, [asOf]);
}

/** history.sql: every submission, superseded ones included; optionally one district's. */
export function queryHistory(store: Store, district?: string): Promise<ResultTable> {
  if (district === undefined) return runQuery(store, 'SELECT * FROM history()');
  return runQuery(store, 'SELECT * FROM history() WHERE district = $1', [district]);
}

/** How far the districts' reports reach: the date all have reached, the latest any has, and who is furthest behind. */
export interface ReportDates {
  /** The earliest of the districts' latest report dates: every district that reports has reached it. */
  common: string;
  /** The latest date any current report has. */
  latest: string;
  /** The districts whose latest report is `common` (the ones holding it back), in 附件2's order. */
  behind: string[];
}

/** ReportDates of the current submissions, or undefined when nothing is loaded. */
export async function reportDates(store: Store): Promise<ReportDates | undefined> {
  const table = await runQuery(
    store,
    `WITH last AS (SELECT district, max(as_of) AS as_of FROM submissions WHERE superseded_by IS NULL GROUP BY district)
     SELECT CAST(min(as_of) AS VARCHAR), CAST(max(as_of) AS VARCHAR),
            list(district ORDER BY district_order NULLS LAST, district) FILTER (WHERE as_of = (SELECT min(as_of) FROM last))
     FROM last LEFT JOIN districts USING (district)`,
  );
  const [common, latest, behind] = table.rows[0] ?? [];
  if (typeof common !== 'string' || typeof latest !== 'string') return undefined;
  return { common, latest, behind: Array.isArray(behind) ? behind.filter((d): d is string => typeof d === 'string') : [] };
}

/** The latest date any current submission reports, or undefined when nothing is loaded. */
export async function latestAsOf(store: Store): Promise<string | undefined> {
  const table = await runQuery(store, 'SELECT max(as_of) AS as_of FROM submissions WHERE superseded_by IS NULL');
  const value = table.rows[0]?.[0];
  return typeof value === 'string' ? value : undefined;
}
