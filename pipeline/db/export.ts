// `minsheng export --parquet DIR`: the plan, districts, submissions, progress and supervision records as
// Parquet in a Hive-partitioned layout that Spark, Trino, or DuckDB itself reads as tables
// (read_parquet('DIR/progress/**/*.parquet', hive_partitioning = true)); the queries themselves are DuckDB
// SQL (README, "Beyond one machine", lists what another engine must rewrite):
//   DIR/progress/year=2024/district=<name>/data_0.parquet      (also submissions)
//   DIR/metrics/year=2024/data_0.parquet                      (every plan table, by plan year)
//   DIR/districts/data_0.parquet
//   DIR/supervision_cases/year=2024/data_0.parquet            (the supervision records, when there are any)
// District names are percent-encoded in directory names, as Hive does; readers decode them. Exports of
// other years' databases into the same DIR sit side by side: files of the same partition are replaced,
// other partitions are left alone.
import * as fs from 'fs';
import * as path from 'path';
import type { Store } from './store';

export interface ExportedTable {
  table: string;
  rows: number;
  directory: string;
}

const PLAN_TABLES = ['categories', 'projects', 'metrics', 'targets', 'responsibilities', 'milestones', 'plan_meta'];

/** The 督查室's own records (schema.sql, "supervision"), each with the year it belongs to. */
const SUPERVISION_TABLES: Record<string, string> = {
  supervision_cases: 'SELECT *, year(opened_on) AS year FROM supervision_cases ORDER BY case_id',
  supervision_events: 'SELECT *, year(event_on) AS year FROM supervision_events ORDER BY case_id, seq',
  bulletins: 'SELECT *, year(as_of) AS year FROM bulletins ORDER BY bulletin_id',
  bulletin_mentions: 'SELECT m.*, year(b.as_of) AS year FROM bulletin_mentions AS m JOIN bulletins AS b USING (bulletin_id) ORDER BY bulletin_id, district',
  // A list's year is its earliest planned start (a subquery: grouping l.* with loaded_at outside the aggregate does not bind).
  site_lists: 'SELECT l.*, year(coalesce((SELECT min(s.planned_start) FROM sites AS s WHERE s.site_list_id = l.id), l.loaded_at)) AS year FROM site_lists AS l ORDER BY l.id',
  sites: 'SELECT *, year(planned_start) AS year FROM sites ORDER BY site_list_id, row_no',
};

export async function exportParquet(store: Store, dir: string): Promise<ExportedTable[]> {
  const root = path.resolve(dir);
  fs.mkdirSync(root, { recursive: true });
  const copy = async (table: string, select: string, partitionBy?: string): Promise<ExportedTable> => {
    const directory = path.join(root, table);
    const partition = partitionBy ? `, PARTITION_BY (${partitionBy})` : '';
    const target = partitionBy ? directory : path.join(directory, 'data_0.parquet');
    if (!partitionBy) fs.mkdirSync(directory, { recursive: true });
    const reader = await store.connection.runAndReadAll(
      `COPY (${select}) TO $1 (FORMAT parquet, COMPRESSION zstd${partition}${partitionBy ? ', OVERWRITE_OR_IGNORE true' : ''})`,
      [target],
    );
    return { table, rows: Number(reader.getRows()[0]?.[0] ?? 0), directory };
  };

  const exported: ExportedTable[] = [];
  exported.push(await copy('districts', 'SELECT * FROM districts ORDER BY district_order'));
  exported.push(
    await copy('submissions', 'SELECT *, year(as_of) AS year FROM submissions ORDER BY as_of, id', 'year, district'),
  );
  exported.push(
    await copy('progress', 'SELECT *, year(as_of) AS year FROM progress ORDER BY as_of, submission_id, metric_id', 'year, district'),
  );
  const planYear = (await store.connection.runAndReadAll('SELECT max(plan_year) FROM plan_meta')).getRows()[0][0];
  if (planYear !== null) {
    for (const table of PLAN_TABLES) {
      const select =
        table === 'plan_meta'
          ? 'SELECT *, plan_year AS year FROM plan_meta'
          : `SELECT *, ${Number(planYear)} AS year FROM ${table}`;
      exported.push(await copy(table, select, 'year'));
    }
  }
  for (const [table, select] of Object.entries(SUPERVISION_TABLES)) {
    const rows = Number((await store.connection.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0][0]);
    if (rows > 0) exported.push(await copy(table, select, 'year'));
  }
  return exported;
}
