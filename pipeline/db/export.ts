// `minsheng export --parquet DIR`: every table as Parquet in a Hive-partitioned layout that Spark,
// Trino, or DuckDB itself reads as tables (read_parquet('DIR/progress/**/*.parquet', hive_partitioning
// = true)):
//   DIR/progress/year=2024/district=<name>/data_0.parquet      (also submissions)
//   DIR/metrics/year=2024/data_0.parquet                      (every plan table, by plan year)
//   DIR/districts/data_0.parquet
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
  return exported;
}
