// Bench of the queries (issue 13, target 2): ranking and lag over a synthetic progress table of `--rows`
// rows (default 10,000,000), against a plain scan of the same table. Under --json the last line is
// {"rows", "scan_ms", "ranking_ms", "lag_ms"}.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { replacePlan } from '../../pipeline/db/plan';
import { queryLag, queryRanking } from '../../pipeline/db/queries';
import { openStore, type Store } from '../../pipeline/db/store';
import { rebuildDerivedTables } from '../../pipeline/db/submissions';
import { combinedPlan, readPlanFiles } from '../../pipeline/planFiles';
import { intFlag, median, type BenchContext } from './context';

const COMBINED = path.resolve(__dirname, '../../samples/2024-hangzhou/附件1+2.xlsx');

/**
 * A province-sized year in SQL (generate_series): `rows` progress rows = metrics × 15 districts × 36
 * report dates (three a month, March–December), cumulative and rising, one current submission per
 * district and date, stored in the order they arrive (as loading does). The synthetic metrics carry the sample's kind of milestones (20/50/80/100%).
 */
async function fillYear(store: Store, rows: number): Promise<void> {
  const c = store.connection;
  const districts = 15;
  const dates = 36;
  const metrics = Math.ceil(rows / (districts * dates));
  for (const table of ['progress', 'submissions', 'milestones', 'targets', 'metrics', 'projects', 'responsibilities']) await c.run(`DELETE FROM ${table}`);
  await c.run(`INSERT INTO projects (project_no, name, category_no, lead_unit, note)
    SELECT 1000 + i, '合成項目' || i, 1, '市民政局', NULL FROM range(${metrics}) r(i)`);
  await c.run(`INSERT INTO metrics (metric_id, project_no, k, label, unit, kind, city_target, city_target_extra)
    SELECT (1000 + i) || '-1', 1000 + i, 1, '合成指標' || i, '個', 'count', 100 * ${districts}, NULL FROM range(${metrics}) r(i)`);
  await c.run(`INSERT INTO targets (metric_id, district, target, target_extra)
    SELECT m.metric_id, d.district, 100, NULL FROM metrics m, (SELECT district FROM districts ORDER BY district_order LIMIT ${districts}) d`);
  await c.run(`INSERT INTO milestones (metric_id, project_no, due_date, from_date, expected_ratio, expected_rate, text)
    SELECT m.metric_id, m.project_no, x.due, NULL, x.ratio, NULL, x.text FROM metrics m,
      (VALUES (DATE '2024-03-31', 0.2, '3月底前完成20%'), (DATE '2024-06-30', 0.5, '6月底前完成50%'),
              (DATE '2024-09-30', 0.8, '9月底前完成80%'), (DATE '2024-11-30', 1.0, '11月底前全面完成')) x(due, ratio, text)`);
  await c.run(`INSERT INTO submissions (id, district, as_of, file_name, sha256, loaded_at, superseded_by)
    SELECT row_number() OVER (ORDER BY n, d.district), d.district, DATE '2024-03-10' + CAST(n * 8 AS INTEGER), 'bench.xlsx', md5(d.district || n), now(), NULL
    FROM (SELECT district FROM districts ORDER BY district_order LIMIT ${districts}) d, range(${dates}) r(n)`);
  await c.run(`INSERT INTO progress (submission_id, metric_id, district, as_of, completed, note)
    SELECT s.id, t.metric_id, t.district, s.as_of, round(least(100, (s.as_of - DATE '2024-03-01') / 2.7 * (0.8 + 0.4 * ((hash(t.metric_id || t.district) % 100) / 100.0))), 1), NULL
    FROM targets t JOIN submissions s USING (district)
    ORDER BY s.id`);
  // What the loader keeps current as it stores files (judged_pairs, numeric_milestones), built once here.
  await rebuildDerivedTables(store);
  await c.run('CHECKPOINT');
}

export async function benchQueries(bench: BenchContext): Promise<void> {
  const print = bench.print;
  const sizes = [intFlag(bench, 'rows', 10_000_000)];
  print('== ranking and lag over a synthetic progress table');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-bench-q-'));
  const store = await openStore(path.join(dir, 'bench.duckdb'));
  try {
    await replacePlan(store, combinedPlan(await readPlanFiles([COMBINED])).plan, [{ fileName: 'plan', sha256: 'bench' }]);
    for (const size of sizes) {
      await fillYear(store, size);
      const count = Number((await store.connection.runAndReadAll('SELECT count(*) FROM progress')).getRows()[0][0]);
      const asOf = '2024-09-30';
      const scan = await median(5, () => store.connection.runAndReadAll('SELECT count(*), sum(completed) FROM progress'));
      const ranking = await median(5, () => queryRanking(store, asOf));
      // lag returns a row per (district, metric): timed in DuckDB (aggregated there), and then with
      // every row brought into JavaScript as the CLI does.
      const lagSql = await median(5, () => store.connection.runAndReadAll(`SELECT count(*), sum(gap), count(*) FILTER (WHERE lag_status = 'seriously_behind') FROM lag(DATE '${asOf}')`));
      const lag = await median(3, () => queryLag(store, asOf));
      print(
        `${count.toLocaleString('en')} progress rows: plain scan ${scan.toFixed(1)} ms, ranking ${ranking.toFixed(1)} ms (${(ranking / scan).toFixed(1)}×), ` +
          `lag ${lagSql.toFixed(1)} ms in DuckDB (${(lagSql / scan).toFixed(1)}×), ${lag.toFixed(0)} ms with its rows in JavaScript`,
      );
      const round = (ms: number) => Math.round(ms * 10) / 10;
      bench.record({ rows: count, scan_ms: round(scan), ranking_ms: round(ranking), lag_ms: round(lagSql) });
    }
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
