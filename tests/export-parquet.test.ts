// `minsheng export --parquet DIR` on the loaded sample (135 district reports), read back by hyparquet,
// a second Parquet reader that shares nothing with DuckDB (tests/helpers/parquetRows.mjs): every file of
// every table holds exactly the rows DuckDB holds, value for value, and the Hive folders year=/district=
// say what the rows inside them are (README, "Beyond one machine").
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCli } from './helpers/cli';
import { ROOT } from './helpers/paths';
import { buildSampleDb } from './helpers/sampleDb';
import { removeTempDirs, tempDir } from './helpers/tempDir';

type Row = Record<string, unknown>;

interface ExportedFile {
  /** The table: the export's first folder. */
  table: string;
  /** The Hive folders between the table and the file, decoded: { year: '2024', district: '上城區' }. */
  partitions: Record<string, string>;
  rows: Row[];
}

let out: string;
let files: ExportedFile[];
let exportStdout: string;
/** DuckDB's own rows, table by table, in the JSON shape of the reader's (see `plain`). */
const held = new Map<string, Row[]>();
let planYear: number;
let db: string;

/** As parquetRows.mjs prints values, so that DuckDB's rows and hyparquet's compare with toEqual. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : `${value}n`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Every .parquet file under `dir`, depth first. */
function parquetFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? parquetFiles(full) : e.name.endsWith('.parquet') ? [full] : [];
  });
}

const sorted = (rows: Row[]) => rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))))).sort();

const fileRows = (table: string) => files.filter((f) => f.table === table);

beforeAll(async () => {
  const dir = tempDir('minsheng-parquet-');
  db = path.join(dir, 'sample.duckdb');
  await buildSampleDb(db);
  out = path.join(dir, 'parquet');
  const result = await runCli('export', '--parquet', out, '--db', db);
  expect([result.code, result.stderr]).toEqual([0, '']);
  exportStdout = result.stdout;

  const paths = parquetFiles(out);
  const read = spawnSync(process.execPath, [path.join(ROOT, 'tests/helpers/parquetRows.mjs'), ...paths], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (read.status !== 0) throw new Error(`hyparquet could not read the export: ${read.stderr}`);
  files = read.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const { file, rows } = JSON.parse(line) as { file: string; rows: Row[] };
      const [table, ...folders] = path.relative(out, path.dirname(file)).split(path.sep);
      const partitions = Object.fromEntries(
        folders.map((folder) => {
          const at = folder.indexOf('=');
          return [folder.slice(0, at), decodeURIComponent(folder.slice(at + 1))];
        }),
      );
      return { table, partitions, rows };
    });

  const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    for (const table of new Set(files.map((f) => f.table))) {
      held.set(table, (await connection.runAndReadAll(`SELECT * FROM "${table}"`)).getRowObjectsJS().map((r) => plain(r) as Row));
    }
    planYear = Number((await connection.runAndReadAll('SELECT plan_year FROM plan_meta')).getRows()[0][0]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}, 600_000);
afterAll(removeTempDirs);

test('the plan, the districts, the submissions and the progress are all exported, and the command says how many rows each has', () => {
  const tables = [...new Set(files.map((f) => f.table))].sort();
  expect(tables).toEqual(
    ['categories', 'districts', 'metrics', 'milestones', 'plan_meta', 'progress', 'projects', 'responsibilities', 'submissions', 'targets'].sort(),
  );
  for (const table of tables) {
    const rows = fileRows(table).reduce((n, f) => n + f.rows.length, 0);
    expect([table, rows]).toEqual([table, held.get(table)!.length]);
    expect(exportStdout).toMatch(new RegExp(`^${table}\\t${rows} 行`, 'm'));
  }
  // The sample: 135 reports from 15 districts, every one stored.
  expect(held.get('submissions')).toHaveLength(135);
  expect(new Set(held.get('progress')!.map((r) => r.district)).size).toBe(15);
});

test('every progress row read back has the district, metric, date, amount and note DuckDB holds, in the folder of its year and district', () => {
  const readBack: Row[] = [];
  for (const f of fileRows('progress')) {
    expect(Object.keys(f.partitions)).toEqual(['year', 'district']);
    for (const row of f.rows) {
      // The folder names the row's year and district: the district is not repeated inside the file.
      expect([f.partitions.year, new Date(String(row.as_of)).getUTCFullYear()]).toEqual([f.partitions.year, Number(f.partitions.year)]);
      readBack.push({ ...row, district: f.partitions.district });
    }
  }
  // The partition columns are in the folder names only (README): a reader must use Hive partitioning.
  expect(Object.keys(fileRows('progress')[0].rows[0]).sort()).toEqual(['as_of', 'completed', 'metric_id', 'note', 'submission_id']);
  expect(sorted(readBack)).toEqual(sorted(held.get('progress')!));
});

test('every submission read back has its file, date, district and SHA-256 as DuckDB holds them, in the folder of its year and district', () => {
  const readBack: Row[] = [];
  for (const f of fileRows('submissions')) {
    expect(Object.keys(f.partitions)).toEqual(['year', 'district']);
    for (const row of f.rows) {
      expect(new Date(String(row.as_of)).getUTCFullYear()).toBe(Number(f.partitions.year));
      expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
      readBack.push({ ...row, district: f.partitions.district });
    }
  }
  expect(sorted(readBack)).toEqual(sorted(held.get('submissions')!));
  // Each file's own rows are that district's submissions, not merely the same rows overall.
  for (const f of fileRows('submissions')) {
    const own = held.get('submissions')!.filter((r) => r.district === f.partitions.district && String(r.as_of).startsWith(f.partitions.year));
    expect(sorted(f.rows.map((r) => ({ ...r, district: f.partitions.district })))).toEqual(sorted(own));
  }
});

test('the plan tables and the districts read back whole, the plan tables under the plan year', () => {
  for (const table of ['categories', 'districts', 'metrics', 'milestones', 'plan_meta', 'projects', 'responsibilities', 'targets']) {
    const parts = fileRows(table);
    for (const f of parts) expect([table, f.partitions]).toEqual([table, table === 'districts' ? {} : { year: String(planYear) }]);
    expect([table, sorted(parts.flatMap((f) => f.rows))]).toEqual([table, sorted(held.get(table)!)]);
  }
});

test('DuckDB over the exported files alone ranks and judges the districts as the database does', async () => {
  const queries = (file: string) => fs.readFileSync(path.join(ROOT, 'queries', file), 'utf8');
  const fresh = await DuckDBInstance.create(':memory:');
  const c = await fresh.connect();
  const source = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const sc = await source.connect();
  try {
    // The recipe of the README ("Beyond one machine"): a view per table, the views of schema.sql, the
    // derived tables as schema.sql makes them, the macro files, and the derived tables filled again.
    for (const table of new Set(files.map((f) => f.table))) {
      await c.run(`CREATE VIEW ${table} AS SELECT * FROM read_parquet('${path.join(out, table)}/**/*.parquet', hive_partitioning = true)`);
    }
    const schema = queries('schema.sql');
    for (const view of schema.match(/^CREATE OR REPLACE VIEW [\s\S]*?;/gm) ?? []) await c.run(view);
    const derived = ['judged_pairs', 'earlier_reports', 'milestone_spans'];
    for (const table of derived) await c.run(schema.match(new RegExp(`^CREATE TABLE IF NOT EXISTS ${table} [\\s\\S]*?\\n\\);`, 'm'))![0]);
    for (const file of ['lag.sql', 'ranking.sql', 'forecast.sql']) await c.run(queries(file));
    for (const table of derived) await c.run(`INSERT INTO ${table} SELECT * FROM ${table}_rebuilt()`);

    const dates = (await sc.runAndReadAll('SELECT DISTINCT CAST(as_of AS VARCHAR) FROM submissions ORDER BY 1')).getRows().map((r) => String(r[0]));
    expect(dates.length).toBeGreaterThan(1);
    // The latest date, and one in the middle of the year (reports after it come from the history).
    for (const date of [dates[Math.floor(dates.length / 2)], dates[dates.length - 1]]) {
      for (const query of [`SELECT * FROM ranking(DATE '${date}')`, `SELECT * FROM lag(DATE '${date}')`, `SELECT * FROM forecast(DATE '${date}')`]) {
        const there = (await c.runAndReadAll(query)).getRowObjectsJS().map((r) => plain(r) as Row);
        const here = (await sc.runAndReadAll(query)).getRowObjectsJS().map((r) => plain(r) as Row);
        expect(here.length).toBeGreaterThan(0);
        expect([query, sorted(there)]).toEqual([query, sorted(here)]);
      }
    }
  } finally {
    sc.closeSync();
    source.closeSync();
    c.closeSync();
    fresh.closeSync();
  }
});
