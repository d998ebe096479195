// Bench of the queries (issue 13, target 2, and "Scale, said honestly"): ranking and lag over a synthetic
// progress table of `--rows` rows (default 10,000,000), against a plain scan of the same table, asked
// about the latest date and about a past one (2024-09-30, which every pair has reported after).
// `--scale` first measures a nation-sized year (2,800 districts × 60 metrics × 12 monthly reports, about
// 2M rows) and ten years of such reports (about 20M rows): how long they take to store, and the same
// queries. Under --json the last line is {"rows", "scan_ms", "ranking_ms", "lag_ms"} at the past date.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { replacePlan } from '../../pipeline/db/plan';
import { queryLag, queryRanking } from '../../pipeline/db/queries';
import { openStore, type Store } from '../../pipeline/db/store';
import { rebuildDerivedTables } from '../../pipeline/db/submissions';
import { combinedPlan, readPlanFiles } from '../../pipeline/planFiles';
import { intFlag, median, time, type BenchContext } from './context';

const COMBINED = path.resolve(__dirname, '../../samples/2024-hangzhou/附件1+2.xlsx');
const PAST = '2024-09-30';

/** A synthetic history: every district reports every metric at each of `dates` dates, `stepDays` apart from 2024-03-10. */
interface Shape {
  districts: number;
  metrics: number;
  dates: number;
  stepDays: number;
}

/**
 * Fills the store with `shape` in SQL (generate_series): cumulative, rising amounts, one current
 * submission per district and date, stored in the order they arrive (as loading does), the sample's
 * kind of milestones (20/50/80/100%), then the derived tables the loader keeps current, built once.
 * Districts beyond the registry's 15 are synthetic (合成區0001 …): the loader accepts only the
 * registry's names, so a nation-sized table is stored in bulk, not file by file.
 */
async function fill(store: Store, shape: Shape): Promise<void> {
  const c = store.connection;
  const { districts, metrics, dates, stepDays } = shape;
  for (const table of ['progress', 'submissions', 'milestones', 'targets', 'metrics', 'projects', 'responsibilities']) await c.run(`DELETE FROM ${table}`);
  await c.run("DELETE FROM districts WHERE district LIKE '合成區%'");
  if (districts > 15) {
    await c.run(`INSERT INTO districts SELECT '合成區' || lpad(CAST(i AS VARCHAR), 4, '0'), 100 + i FROM range(${districts - 15}) r(i)`);
  }
  const districtList = `(SELECT district FROM districts ORDER BY district_order LIMIT ${districts})`;
  await c.run(`INSERT INTO projects (project_no, name, category_no, lead_unit, note)
    SELECT 1000 + i, '合成項目' || i, 1, '市民政局', NULL FROM range(${metrics}) r(i)`);
  await c.run(`INSERT INTO metrics (metric_id, project_no, k, label, unit, kind, city_target, city_target_extra)
    SELECT (1000 + i) || '-1', 1000 + i, 1, '合成指標' || i, '個', 'count', 100 * ${districts}, NULL FROM range(${metrics}) r(i)`);
  await c.run(`INSERT INTO targets (metric_id, district, target, target_extra)
    SELECT m.metric_id, d.district, 100, NULL FROM metrics m, ${districtList} d`);
  await c.run(`INSERT INTO milestones (metric_id, project_no, due_date, from_date, expected_ratio, expected_rate, text)
    SELECT m.metric_id, m.project_no, x.due, NULL, x.ratio, NULL, x.text FROM metrics m,
      (VALUES (DATE '2024-03-31', 0.2, '3月底前完成20%'), (DATE '2024-06-30', 0.5, '6月底前完成50%'),
              (DATE '2024-09-30', 0.8, '9月底前完成80%'), (DATE '2024-11-30', 1.0, '11月底前全面完成')) x(due, ratio, text)`);
  await c.run(`INSERT INTO submissions (id, district, as_of, file_name, sha256, loaded_at, superseded_by)
    SELECT row_number() OVER (ORDER BY n, d.district), d.district, DATE '2024-03-10' + CAST(n * ${stepDays} AS INTEGER), 'bench.xlsx', md5(d.district || n), now(), NULL
    FROM ${districtList} d, range(${dates}) r(n)`);
  await c.run(`INSERT INTO progress (submission_id, metric_id, district, as_of, completed, note)
    SELECT s.id, t.metric_id, t.district, s.as_of,
           round(least(100, (s.as_of - DATE '2024-03-01') / (${stepDays} * ${dates} / 100.0) * (0.8 + 0.4 * ((hash(t.metric_id || t.district) % 100) / 100.0))), 1), NULL
    FROM targets t JOIN submissions s USING (district)
    ORDER BY s.id`);
  await rebuildDerivedTables(store);
  await c.run('CHECKPOINT');
}

interface Timing {
  rows: number;
  latest: string;
  scan: number;
  ranking: number;
  lag: number;
  pastRanking: number;
  pastLag: number;
  lagRows: number;
}

/** Median times of a plain scan, and of ranking and lag (counted in DuckDB) at the latest date and at PAST; `runs` each. */
async function measure(store: Store, runs: number): Promise<Timing> {
  const c = store.connection;
  const one = async (sql: string) => (await c.runAndReadAll(sql)).getRows()[0][0];
  const rows = Number(await one('SELECT count(*) FROM progress'));
  const latest = String(await one("SELECT strftime(max(as_of), '%Y-%m-%d') FROM submissions"));
  const scan = await median(runs, () => c.runAndReadAll('SELECT count(*), sum(completed) FROM progress'));
  const lagAt = (asOf: string) => c.runAndReadAll(`SELECT count(*), sum(gap), count(*) FILTER (WHERE lag_status = 'seriously_behind') FROM lag(DATE '${asOf}')`);
  return {
    rows,
    latest,
    scan,
    ranking: await median(runs, () => queryRanking(store, latest)),
    lag: await median(runs, () => lagAt(latest)),
    pastRanking: await median(runs, () => queryRanking(store, PAST)),
    pastLag: await median(runs, () => lagAt(PAST)),
    lagRows: Number(await one(`SELECT count(*) FROM lag(DATE '${PAST}')`)),
  };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const ratio = (ms: number, scan: number) => `${(ms / scan).toFixed(1)}×`;

function report(bench: BenchContext, name: string, t: Timing, loadMs?: number): void {
  bench.print(
    `${name}: ${t.rows.toLocaleString('en')} progress rows, ${t.lagRows.toLocaleString('en')} pairs` +
      (loadMs === undefined ? '' : `, stored in bulk in ${(loadMs / 1000).toFixed(1)} s (derived tables included)`) +
      `; plain scan ${t.scan.toFixed(1)} ms; at the latest date (${t.latest}) ranking ${t.ranking.toFixed(1)} ms (${ratio(t.ranking, t.scan)}), lag ${t.lag.toFixed(1)} ms (${ratio(t.lag, t.scan)}); ` +
      `at ${PAST} ranking ${t.pastRanking.toFixed(1)} ms (${ratio(t.pastRanking, t.scan)}), lag ${t.pastLag.toFixed(1)} ms (${ratio(t.pastLag, t.scan)})`,
  );
  bench.record({
    bench: 'queries',
    case: name,
    rows: t.rows,
    pairs: t.lagRows,
    ...(loadMs === undefined ? {} : { load_ms: round(loadMs) }),
    scan_ms: round(t.scan),
    latest: t.latest,
    ranking_latest_ms: round(t.ranking),
    lag_latest_ms: round(t.lag),
    past: PAST,
    ranking_past_ms: round(t.pastRanking),
    lag_past_ms: round(t.pastLag),
  });
}

export async function benchQueries(bench: BenchContext): Promise<void> {
  const print = bench.print;
  const rows = intFlag(bench, 'rows', 10_000_000);
  print('== ranking and lag over a synthetic progress table');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-bench-q-'));
  const store = await openStore(path.join(dir, 'bench.duckdb'));
  try {
    await replacePlan(store, combinedPlan(await readPlanFiles([COMBINED])).plan, [{ fileName: 'plan', sha256: 'bench' }]);
    if (bench.flags.scale !== undefined) {
      // A nation: 2,800 districts × 60 metrics, reporting monthly; a year, then ten years of the same plan's reports (one run each: the decade is large).
      for (const [name, dates] of [['nation, one year', 12], ['nation, ten years', 120]] as const) {
        const loaded = await time(() => fill(store, { districts: 2800, metrics: 60, dates, stepDays: 30 }));
        report(bench, name, await measure(store, 3), loaded.ms);
      }
    }
    // A province-sized year: 15 districts × 36 reports (three a month, March–December) × enough metrics for `rows`.
    await fill(store, { districts: 15, metrics: Math.ceil(rows / (15 * 36)), dates: 36, stepDays: 8 });
    const t = await measure(store, 5);
    // lag returns a row per (district, metric): also timed with every row brought into JavaScript, as the CLI does.
    const lagInJs = await median(3, () => queryLag(store, PAST));
    report(bench, 'province', t);
    print(`lag at ${PAST} with its ${t.lagRows.toLocaleString('en')} rows in JavaScript: ${lagInJs.toFixed(0)} ms`);
    bench.record({ rows: t.rows, scan_ms: round(t.scan), ranking_ms: round(t.pastRanking), lag_ms: round(t.pastLag) });
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
