// The store: where the file is, schema and macros on open, plan replacement, loading submissions
// (duplicate, supersede, rejected input, one transaction each) and read-only ad-hoc SQL.
import * as fs from 'fs';
import * as path from 'path';
import { DuckDBInstance } from '@duckdb/node-api';
import { RejectedStatementError, runAdhocSql } from '../pipeline/db/adhoc';
import { readPlan, replacePlan } from '../pipeline/db/plan';
import { queryHistory, runQuery } from '../pipeline/db/queries';
import { inTransaction, openStore } from '../pipeline/db/store';
import { DEFAULT_DB_PATH, resolveDbPath } from '../pipeline/parameters';
import { loadSubmission } from '../pipeline/db/submissions';
import { objects, storeWith } from './helpers/store';
import { removeTempDirs, tempDir } from './helpers/tempDir';
import { referenceRanking } from './helpers/reference/analysis';
import { generateYear } from './helpers/reference/randomPlan';
import { SMALL_LOADS, SMALL_PLAN, sha256Of } from './helpers/reference/fixtures';

afterAll(removeTempDirs);

const septemberOrder = () => referenceRanking(SMALL_PLAN, SMALL_LOADS, '2024-09-30').map((r) => r.district);

const count = async (store: Awaited<ReturnType<typeof openStore>>, sql: string) =>
  Number((await runQuery(store, sql)).rows[0][0]);

describe('resolveDbPath', () => {
  test('--db wins over MINSHENG_DB, which wins over ./minsheng.duckdb', () => {
    expect(resolveDbPath('x/a.duckdb', { MINSHENG_DB: '/data/b.duckdb' })).toBe(path.resolve('x/a.duckdb'));
    expect(resolveDbPath(undefined, { MINSHENG_DB: '/data/b.duckdb' })).toBe('/data/b.duckdb');
    expect(resolveDbPath(undefined, {})).toBe(path.resolve(DEFAULT_DB_PATH));
    expect(resolveDbPath('  ', { MINSHENG_DB: '' })).toBe(path.resolve(DEFAULT_DB_PATH));
  });
});

describe('a database file', () => {
  test('opens again without changes, and any DuckDB client can call the macros stored in it', async () => {
    const file = path.join(tempDir(), 'm.duckdb');
    const { store } = await storeWith(SMALL_PLAN, SMALL_LOADS, file);
    store.close();
    const again = await openStore(file);
    expect(await count(again, 'SELECT count(*) FROM submissions')).toBe(15);
    again.close();

    // A plain DuckDB connection, as an analyst's client would open it: no minsheng code involved.
    const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    const ranking = await connection.runAndReadAll("SELECT district FROM ranking(DATE '2024-09-30') ORDER BY rank");
    expect(ranking.getRows().map((r) => r[0])).toEqual(septemberOrder());
    const lag = await connection.runAndReadAll(
      "SELECT count(*) FROM lag(DATE '2024-09-30') WHERE lag_status = 'seriously_behind'",
    );
    expect(Number(lag.getRows()[0][0])).toBeGreaterThan(0);
    connection.closeSync();
    instance.closeSync();
  });

  test('opening read-only a file that does not exist says so in Chinese', async () => {
    await expect(openStore(path.join(tempDir(), 'none.duckdb'), { readOnly: true })).rejects.toThrow(/資料庫檔案不存在/);
  });
});

describe('replacePlan', () => {
  test('records the plan year and its source files, and keeps the progress already loaded', async () => {
    const { store } = await storeWith(SMALL_PLAN, SMALL_LOADS);
    const sources = [
      { fileName: '附件1.xlsx', sha256: sha256Of('1') },
      { fileName: '附件2.xlsx', sha256: sha256Of('2') },
    ];
    await replacePlan(store, { ...SMALL_PLAN, metrics: SMALL_PLAN.metrics.slice(0, 3) }, sources);
    const meta = objects(await runQuery(store, 'SELECT * FROM plan_meta'));
    expect(meta).toHaveLength(1);
    expect(meta[0].plan_year).toBe(2024);
    expect(meta[0].source_files).toEqual(['附件1.xlsx', '附件2.xlsx']);
    expect(meta[0].source_sha256).toEqual(sources.map((s) => s.sha256));
    expect(await count(store, 'SELECT count(*) FROM metrics')).toBe(3);
    expect(await count(store, 'SELECT count(*) FROM progress')).toBeGreaterThan(0);
    const lists = objects(await runQuery(store, 'SELECT coordinating_units FROM responsibilities WHERE project_no = 1'));
    expect(lists[0].coordinating_units).toEqual(['市財政局', '各區、縣(市)政府']);
    store.close();
  });

  test('readPlan gives back the plan that was written, generated ones included', async () => {
    for (const plan of [SMALL_PLAN, generateYear(7).plan, generateYear(11).plan]) {
      const { store } = await storeWith(plan, []);
      expect(await readPlan(store)).toEqual(plan);
      store.close();
    }
    const empty = await openStore(':memory:');
    await expect(readPlan(empty)).rejects.toThrow(/還沒有計劃/);
    empty.close();
  });

  test('a plan that breaks a key is refused whole; the previous plan stays', async () => {
    const { store } = await storeWith(SMALL_PLAN, []);
    const broken = { ...SMALL_PLAN, metrics: [...SMALL_PLAN.metrics, SMALL_PLAN.metrics[0]] };
    await expect(replacePlan(store, broken, [])).rejects.toThrow();
    expect(await count(store, 'SELECT count(*) FROM metrics')).toBe(SMALL_PLAN.metrics.length);
    expect(await count(store, 'SELECT count(*) FROM targets')).toBe(SMALL_PLAN.targets.length);
    store.close();
  });
});

describe('loadSubmission', () => {
  const file = (name: string, content: string) => ({ fileName: name, sha256: sha256Of(content) });
  const march = { district: '上城區', asOf: '2024-03-31', rows: [{ metricId: '1-1', completed: 7, note: '=備註' }] };

  test('the identical file again is a no-op', async () => {
    const { store } = await storeWith(SMALL_PLAN, []);
    const first = await loadSubmission(store, march, file('a.xlsx', 'A'));
    const again = await loadSubmission(store, march, file('a-copy.xlsx', 'A'));
    expect(first.status).toBe('loaded');
    expect(again).toEqual({ status: 'duplicate', submissionId: first.submissionId, supersededIds: [] });
    expect(await count(store, 'SELECT count(*) FROM submissions')).toBe(1);
    expect(await count(store, 'SELECT count(*) FROM progress')).toBe(1);
    store.close();
  });

  test('a later file for the same district and date supersedes the earlier; history keeps both', async () => {
    const { store } = await storeWith(SMALL_PLAN, []);
    const first = await loadSubmission(store, march, file('a.xlsx', 'A'));
    const other = await loadSubmission(store, { ...march, district: '拱墅區' }, file('b.xlsx', 'B'));
    const fixed = await loadSubmission(store, { ...march, rows: [{ metricId: '1-1', completed: 8 }] }, file('a2.xlsx', 'A2'));
    expect(fixed.status).toBe('superseded-earlier');
    expect(fixed.supersededIds).toEqual([first.submissionId]);
    expect(other.status).toBe('loaded');
    const history = objects(await queryHistory(store, '上城區'));
    expect(history.map((h) => [h.submission_id, h.file_name, h.is_current, h.superseded_by])).toEqual([
      [first.submissionId, 'a.xlsx', false, fixed.submissionId],
      [fixed.submissionId, 'a2.xlsx', true, null],
    ]);
    const lag = objects(await runQuery(store, "SELECT completed FROM lag(DATE '2024-03-31') WHERE district = '上城區' AND metric_id = '1-1'"));
    expect(lag[0].completed).toBe(8);
    store.close();
  });

  test('one wide file read as several districts loads once for each of them', async () => {
    const { store } = await storeWith(SMALL_PLAN, []);
    const wide = file('附件2-填報.xlsx', 'WIDE');
    expect((await loadSubmission(store, march, wide)).status).toBe('loaded');
    expect((await loadSubmission(store, { ...march, district: '西湖區' }, wide)).status).toBe('loaded');
    expect((await loadSubmission(store, { ...march, district: '西湖區' }, wide)).status).toBe('duplicate');
    store.close();
  });

  test('district names in either script or without suffix are stored under the registry name', async () => {
    const { store } = await storeWith(SMALL_PLAN, []);
    await loadSubmission(store, { ...march, district: '上城' }, file('a.xlsx', 'A'));
    await loadSubmission(store, { ...march, district: '滨江区' }, file('b.xlsx', 'B'));
    const names = objects(await runQuery(store, 'SELECT district FROM submissions ORDER BY id')).map((r) => r.district);
    expect(names).toEqual(['上城區', '濱江區']);
    store.close();
  });

  test.each([
    [{ ...march, district: '火星區' }, /填報單位「火星區」無法識別/],
    [{ ...march, district: '西湖' }, /「西湖」有歧義/],
    [{ ...march, asOf: '2024-02-30' }, /不存在的日期/],
    [{ ...march, rows: [{ metricId: '1-1', completed: -1, cell: 'G5' }] }, /負數.*G5/],
    [{ ...march, rows: [{ metricId: '1-1', completed: Number.NaN }] }, /不是數字/],
    [
      {
        ...march,
        rows: [
          { metricId: '1-1', completed: 1 },
          { metricId: '1-1', completed: 2 },
        ],
      },
      /出現兩次/,
    ],
  ])('refuses %o and stores nothing', async (submission, message) => {
    const { store } = await storeWith(SMALL_PLAN, []);
    await expect(loadSubmission(store, submission, file('x.xlsx', JSON.stringify(submission)))).rejects.toThrow(message);
    expect(await count(store, 'SELECT count(*) FROM submissions')).toBe(0);
    store.close();
  });

  test('a transaction that fails half-way leaves nothing behind', async () => {
    const { store } = await storeWith(SMALL_PLAN, []);
    await expect(
      inTransaction(store, async () => {
        await store.connection.run(
          "INSERT INTO submissions (district, as_of, file_name, sha256, loaded_at) VALUES ('上城區', DATE '2024-03-31', 'x', 'y', now())",
        );
        throw new Error('讀取中斷');
      }),
    ).rejects.toThrow('讀取中斷');
    expect(await count(store, 'SELECT count(*) FROM submissions')).toBe(0);
    store.close();
  });
});

describe('read-only ad-hoc SQL (minsheng sql)', () => {
  let file: string;
  beforeAll(async () => {
    file = path.join(tempDir(), 'ro.duckdb');
    const { store } = await storeWith(SMALL_PLAN, SMALL_LOADS, file);
    store.close();
  });

  test('queries, DESCRIBE, SUMMARIZE and session variables work', async () => {
    const store = await openStore(file, { readOnly: true });
    const byVariable = await runAdhocSql(
      store,
      "SET VARIABLE as_of = DATE '2024-09-30'; SELECT district, rank FROM ranking(getvariable('as_of')) ORDER BY rank",
    );
    expect(byVariable.rows.map((r) => r[0])).toEqual(septemberOrder());
    expect((await runAdhocSql(store, 'DESCRIBE progress')).rows.map((r) => r[0])).toContain('completed');
    expect((await runAdhocSql(store, 'SUMMARIZE submissions')).rows.length).toBeGreaterThan(0);
    expect((await runAdhocSql(store, 'WITH x AS (SELECT 1 AS n) SELECT n FROM x')).rows).toEqual([[1]]);
    const byTableName = await runAdhocSql(store, "SET VARIABLE t = 'districts'; SELECT count(*) FROM query_table(getvariable('t'))");
    expect(byTableName.rows).toEqual([[15]]);
    await expect(runAdhocSql(store, 'SELECT * FROM no_such_table')).rejects.toThrow(/第 1 條語句有誤.*no_such_table/s);
    store.close();
  });

  test.each([
    'INSERT INTO districts VALUES (\'火星區\', 99)',
    'DELETE FROM progress',
    'DROP TABLE progress',
    "ATTACH 'other.duckdb' AS other",
  ])('refuses %s before running anything', async (statement) => {
    const store = await openStore(file, { readOnly: true });
    await expect(runAdhocSql(store, statement)).rejects.toThrow(RejectedStatementError);
    store.close();
  });

  test('a PRAGMA that switches profiling on is refused by name, before its statement type is looked at', async () => {
    const store = await openStore(file, { readOnly: true });
    await expect(runAdhocSql(store, 'PRAGMA enable_profiling')).rejects.toThrow(/enable_profiling.*未執行任何語句/);
    store.close();
  });

  test('a write hidden after a query is refused and the query before it does not run either', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'leak.csv');
    const store = await openStore(file, { readOnly: true });
    await expect(runAdhocSql(store, `SELECT 1; COPY progress TO '${target}'`)).rejects.toThrow(/第 2 條語句(是 COPY|要讀寫檔案)/);
    expect(fs.existsSync(target)).toBe(false);
    store.close();
  });

  test('settings cannot be changed (e.g. profiling output to a path)', async () => {
    const store = await openStore(file, { readOnly: true });
    await expect(runAdhocSql(store, "SET profiling_output = '/tmp/x.json'")).rejects.toThrow(/locked|不能更改資料庫設定/);
    store.close();
  });

  test('even without the statement check, the read-only connection cannot write', async () => {
    const store = await openStore(file, { readOnly: true });
    await expect(store.connection.run('DELETE FROM progress')).rejects.toThrow(/read-only/);
    store.close();
    const check = await openStore(file, { readOnly: true });
    expect(await count(check, 'SELECT count(*) FROM submissions')).toBe(15);
    check.close();
  });
});
