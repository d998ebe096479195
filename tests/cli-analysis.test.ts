// The analysts' commands as a user runs them: rank, lag, forecast, history, sql, export, with the
// table, JSON, CSV and Arrow outputs, against a database file built from the small test plan.
import * as fs from 'fs';
import * as path from 'path';
import { tableFromIPC } from 'apache-arrow';
import { Command } from 'commander';
import { DuckDBInstance } from '@duckdb/node-api';
import { registerAnalysisCommands } from '../pipeline/cli/commands/analysis';
import { LagStatusList, parameter, TypedDate } from '../pipeline/parameters';
import { openStore } from '../pipeline/db/store';
import { runCli } from './helpers/cli';
import { storeWith } from './helpers/store';
import { removeTempDirs, tempDir } from './helpers/tempDir';
import { referenceLag, referenceRanking } from './helpers/reference/analysis';
import { SMALL_LOADS, SMALL_PLAN } from './helpers/reference/fixtures';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = tempDir('minsheng-cli-');
  db = path.join(dir, 'm.duckdb');
  const { store } = await storeWith(SMALL_PLAN, SMALL_LOADS, db);
  store.close();
});
afterAll(removeTempDirs);

const withDb = (args: string[]) => [...args, ...(args.includes('--db') ? [] : ['--db', db])];

/** `minsheng <args> --db <the test database>`. */
const run = (...args: string[]) => runCli(...withDb(args));

test('without a CLI context the commands write to the process streams', async () => {
  let stdout = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  try {
    const program = new Command('minsheng').exitOverride();
    registerAnalysisCommands(program);
    await program.parseAsync(['node', 'minsheng', ...withDb(['rank', '--as-of', '2024-09-30', '--json'])]);
  } finally {
    spy.mockRestore();
  }
  expect(JSON.parse(stdout)).toHaveLength(referenceRanking(SMALL_PLAN, SMALL_LOADS, '2024-09-30').length);
});

test('rank prints the ranking with Chinese headers, in rank order', async () => {
  const { stdout } = await run('rank', '--as-of', '2024-09-30');
  const lines = stdout.trimEnd().split('\n');
  expect(lines[0]).toBe('截至 2024-09-30 各區縣民生實事進度排名');
  expect(lines[1]).toMatch(/^名次\s+區縣\s+進度達成率\s+完成率\s+並列/);
  const districts = lines.slice(3).map((l) => l.trim().split(/\s+/)[1]);
  expect(districts).toEqual(referenceRanking(SMALL_PLAN, SMALL_LOADS, '2024-09-30').map((r) => r.district));
});

test('rank without --as-of uses the date every district has reached (西湖區 last reported 09-30); dates may be written the Chinese way', async () => {
  const defaulted = await run('rank');
  expect(defaulted.stdout).toContain('截至 2024-09-30');
  expect(defaulted.stderr).toContain('各區縣都已報送到的日期 2024-09-30');
  expect((await run('rank', '--as-of', '2024年6月30日')).stdout).toContain('截至 2024-06-30');
});

test('lag --status keeps the asked statuses (codes or Chinese words) and --json is machine-readable', async () => {
  const { stdout } = await run('lag', '--as-of', '2024-09-30', '--status', '停滞,overdue', '--json');
  const rows = JSON.parse(stdout) as { district: string; metric_id: string; lag_status: string }[];
  const expected = referenceLag(SMALL_PLAN, SMALL_LOADS, '2024-09-30').filter((r) =>
    ['stalled', 'overdue'].includes(r.lagStatus),
  );
  expect(rows.map((r) => `${r.district} ${r.metric_id} ${r.lag_status}`).sort()).toEqual(
    expected.map((r) => `${r.district} ${r.metricId} ${r.lagStatus}`).sort(),
  );
});

test('lag table shows statuses in Chinese and fractions as percentages', async () => {
  const { stdout } = await run('lag', '--as-of', '2024-09-30');
  const west = stdout.split('\n').find((l) => l.startsWith('西湖區') && l.includes('新增老年助餐服務點'))!;
  expect(west).toMatch(/40\.0%\s+80\.0%\s+40\.0%\s+嚴重滯後\s+9月底前完成80%/);
});

test('forecast and history run; history accepts a district alias', async () => {
  expect((await run('forecast', '--as-of', '2024-09-30')).stdout).toMatch(/預計完成日/);
  const { stdout } = await run('history', '--district', '上城', '--json');
  const rows = JSON.parse(stdout) as { district: string; is_current: boolean }[];
  expect(new Set(rows.map((r) => r.district))).toEqual(new Set(['上城區']));
  expect(rows.filter((r) => !r.is_current)).toHaveLength(1);
});

test('--csv writes an Excel-safe file with a BOM; --csv - prints to stdout', async () => {
  const file = path.join(dir, 'out.csv');
  const { stderr } = await run('sql', "SELECT '=1+1' AS formula, -1 AS n, '上城區' AS district", '--csv', file);
  expect(stderr).toContain('已寫出 CSV 檔');
  expect(fs.readFileSync(file, 'utf8')).toBe("\uFEFFformula,n,district\r\n'=1+1,-1,上城區\r\n");
  const { stdout } = await run('rank', '--as-of', '2024-09-30', '--csv', '-');
  expect(stdout.split('\r\n')[0]).toMatch(/^rank,district,schedule_attainment,completion,tie_rank,tied/);
});

test('--arrow writes an Arrow IPC file with dates as dates', async () => {
  const file = path.join(dir, 'lag.arrow');
  await run('lag', '--as-of', '2024-09-30', '--arrow', file);
  const table = tableFromIPC(fs.readFileSync(file));
  const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
  expect(types.as_of).toBe('Date32<DAY>');
  expect(types.completion).toBe('Float64');
  expect(types.lag_flags).toBe('List<Utf8>');
  expect(table.numRows).toBe(referenceLag(SMALL_PLAN, SMALL_LOADS, '2024-09-30').length);
});

test('sql -f runs a file; a statement that writes is refused and the database is unchanged', async () => {
  const file = path.join(dir, 'q.sql');
  fs.writeFileSync(file, "-- 嚴重滯後\nSELECT count(*) AS n FROM lag(DATE '2024-09-30') WHERE lag_status = 'seriously_behind';\n");
  const { stdout } = await run('sql', '-f', file, '--json');
  const expected = referenceLag(SMALL_PLAN, SMALL_LOADS, '2024-09-30').filter((r) => r.lagStatus === 'seriously_behind');
  expect(JSON.parse(stdout)).toEqual([{ n: expected.length }]);

  const refused = await run('sql', 'DELETE FROM progress');
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/只執行查詢/);
  const store = await openStore(db, { readOnly: true });
  const count = await store.connection.runAndReadAll('SELECT count(*) FROM progress');
  expect(Number(count.getRows()[0][0])).toBeGreaterThan(0);
  store.close();
});
afterAll(removeTempDirs);

test('export --parquet writes Hive-partitioned files that read back as the same tables', async () => {
  const out = path.join(dir, 'parquet');
  const { stdout } = await run('export', '--parquet', out);
  expect(stdout).toMatch(/^progress\t\d+ 行/m);
  expect(fs.existsSync(path.join(out, 'progress', 'year=2024', `district=${encodeURIComponent('上城區')}`))).toBe(true);

  const instance = await DuckDBInstance.create(':memory:');
  const c = await instance.connect();
  const read = async (sql: string) => (await c.runAndReadAll(sql)).getRows();
  const exported = await read(
    `SELECT district, count(*) FROM read_parquet('${out}/progress/**/*.parquet', hive_partitioning = true) GROUP BY district ORDER BY district`,
  );
  const source = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
  const sc = await source.connect();
  const original = (await sc.runAndReadAll('SELECT district, count(*) FROM progress GROUP BY district ORDER BY district')).getRows();
  expect(exported).toEqual(original);
  const metrics = await read(`SELECT count(*) FROM read_parquet('${out}/metrics/**/*.parquet', hive_partitioning = true)`);
  expect(Number(metrics[0][0])).toBe(SMALL_PLAN.metrics.length);
  sc.closeSync();
  source.closeSync();
  c.closeSync();
  instance.closeSync();
});

describe('argument parsing', () => {
  test.each([
    ['2024-09-30', '2024-09-30'],
    ['2024/9/3', '2024-09-03'],
    ['２０２４－０９－３０', '2024-09-30'],
    ['2024年9月30日', '2024-09-30'],
    ['2024年9月底', '2024-09-30'],
  ])('%s is %s', (text, iso) => expect(parameter(TypedDate, text)).toBe(iso));

  test.each(['2024-02-30', '9/30', '下月底'])('%s is refused', (text) => {
    expect(() => parameter(TypedDate, text)).toThrow(/日期格式不對/);
  });

  test('statuses by code or Chinese word in either script; unknown ones listed', () => {
    expect(parameter(LagStatusList, 'stalled, 嚴重滯後,严重滞后 、未報送')).toEqual(['stalled', 'seriously_behind', 'seriously_behind', 'missing']);
    expect(() => parameter(LagStatusList, 'late')).toThrow(/未知的狀態「late」.*on_track（正常）/);
    for (const inherited of ['__proto__', 'constructor', 'toString']) expect(() => parameter(LagStatusList, inherited)).toThrow(/未知的狀態/);
  });
});
