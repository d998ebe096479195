// Bench of issue 14, the year-end assessment at a nation's size: 2,800 districts × 60 metrics (every
// metric split across every district), reports at nine month ends, rules for districts and lead units
// with every method, satisfaction scores, participation records, 掛牌督辦 cases and bulletins, all made
// in SQL; then assessment(2024) (queries/assessment.sql) timed in DuckDB and as the CLI reads it.
// `npm run bench -- assessment [--districts 2800] [--metrics 60] [--json]`.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RuleSet } from '../../core/assessment/rules';
import { assessmentRows, nestAssessment, queryAssessment } from '../../pipeline/assessment/queries';
import { storeAssessmentFile } from '../../pipeline/assessment/store';
import { openStore, type Store } from '../../pipeline/db/store';
import { rebuildDerivedTables } from '../../pipeline/db/submissions';
import { intFlag, median, time, type BenchContext } from './context';

const UNITS = 12;

/** The year in SQL: districts, a plan of `metrics` metrics (three per project), reports, inputs, cases, bulletins. */
export async function fillYear(store: Store, districts: number, metrics: number): Promise<{ pairs: number; progress: number }> {
  const c = store.connection;
  const projects = Math.ceil(metrics / 3);
  await c.run(`INSERT INTO districts SELECT '合成區' || lpad(CAST(i AS VARCHAR), 4, '0'), 100 + i FROM range(${districts}) r(i)`);
  await c.run(`INSERT INTO categories VALUES (1, '合成類別')`);
  await c.run(`INSERT INTO projects SELECT i, '合成項目' || i, 1, '市合成局' || (i % ${UNITS}), NULL FROM range(1, ${projects + 1}) r(i)`);
  await c.run(`INSERT INTO lead_units SELECT '市合成局' || u, u + 1, [] FROM range(${UNITS}) r(u)`);
  await c.run(`INSERT INTO project_lead_units SELECT i, '市合成局' || (i % ${UNITS}) FROM range(1, ${projects + 1}) r(i)`);
  await c.run(`INSERT INTO metrics SELECT p || '-' || k, p, k, '合成指標' || p || '-' || k, '個', 'count', 100 * ${districts}, NULL
    FROM range(1, ${projects + 1}) a(p), range(1, 4) b(k) WHERE (p - 1) * 3 + k <= ${metrics}`);
  await c.run(`INSERT INTO targets SELECT m.metric_id, d.district, 100, NULL FROM metrics m, districts d WHERE d.district LIKE '合成區%'`);
  await c.run(`INSERT INTO responsibilities SELECT project_no, 1, name, [], lead_unit, [], [], DATE '2024-11-30', '11月底', '' FROM projects`);
  await c.run(`INSERT INTO milestones SELECT m.metric_id, m.project_no, x.due, NULL, x.ratio, NULL, x.text FROM metrics m,
    (VALUES (DATE '2024-03-31', 0.2, '3月底前完成20%'), (DATE '2024-06-30', 0.5, '6月底前完成50%'),
            (DATE '2024-09-30', 0.8, '9月底前完成80%'), (DATE '2024-11-30', 1.0, '11月底前全面完成')) x(due, ratio, text)`);
  await c.run(`INSERT INTO plan_meta VALUES (2024, now(), ['bench'], ['bench'])`);
  await c.run(`INSERT INTO submissions (id, district, as_of, file_name, sha256, loaded_at, superseded_by)
    SELECT row_number() OVER (ORDER BY m, d.district), d.district, last_day(make_date(2024, m, 1)), 'bench.xlsx', md5(d.district || m), now(), NULL
    FROM (SELECT district FROM districts WHERE district LIKE '合成區%') d, range(3, 12) r(m)`);
  await c.run(`INSERT INTO progress (submission_id, metric_id, district, as_of, completed, note)
    SELECT s.id, t.metric_id, t.district, s.as_of,
           round(least(100, (month(s.as_of) - 2) * 11.5 * (0.75 + 0.5 * ((hash(t.metric_id || t.district) % 100) / 100.0))), 1), NULL
    FROM targets t JOIN submissions s USING (district) ORDER BY s.id`);
  // 掛牌督辦 cases on about one pair in a hundred, and a bulletin a month praising and naming ten districts.
  await c.run(`INSERT INTO supervision_cases (case_id, district, metric_id, project_no, opened_on, due_on, opened_gap, recorded_at)
    SELECT row_number() OVER (), t.district, t.metric_id, m.project_no, DATE '2024-07-31', DATE '2024-08-30', 0.2, now()
    FROM targets t JOIN metrics m USING (metric_id) WHERE hash(t.district || t.metric_id) % 100 = 0`);
  await c.run(`INSERT INTO supervision_events SELECT case_id, 1, opened_on, 'opened', 0.2, NULL, 'seriously_behind', due_on, NULL, now() FROM supervision_cases`);
  await c.run(`INSERT INTO bulletins (bulletin_id, as_of, since, file_name, sha256, lang, written_at, superseded_by)
    SELECT m, last_day(make_date(2024, m, 1)), NULL, 'b.docx', md5(CAST(m AS VARCHAR)), 'zh-TW', now(), NULL FROM range(3, 12) r(m)`);
  await c.run(`INSERT INTO bulletin_mentions SELECT b.bulletin_id, d.district, CASE WHEN d.k < 10 THEN 'praised' ELSE 'named' END, d.k + 1, NULL, NULL, 0
    FROM bulletins b, (SELECT district, row_number() OVER (ORDER BY hash(district)) - 1 AS k FROM districts WHERE district LIKE '合成區%') d
    WHERE (d.k + b.bulletin_id * 37) % ${districts} < 20 AND d.k < 20`);
  // What the plan and the loader keep current (judged_pairs, earlier_reports, milestone_spans), built once here.
  await rebuildDerivedTables(store);
  await c.run('CHECKPOINT');
  const count = async (sql: string) => Number((await c.runAndReadAll(sql)).getRows()[0][0]);
  return { pairs: await count('SELECT count(*) FROM targets'), progress: await count('SELECT count(*) FROM progress') };
}

/** Rules using every method, every district and lead unit assessed. */
export async function storeInputs(store: Store, districts: number): Promise<void> {
  const names = (await store.connection.runAndReadAll("SELECT district FROM districts WHERE district LIKE '合成區%' ORDER BY district_order")).getRowsJS().map((r) => String(r[0]));
  const rules: RuleSet = {
    year: 2024,
    settings: [
      { type: 'district', fullPoints: 100, awardQuota: 50 },
      { type: 'lead_unit', fullPoints: 100, awardQuota: 3 },
    ],
    assessees: [...names.map((name) => ({ type: 'district' as const, name, included: true })), ...Array.from({ length: UNITS }, (_, u) => ({ type: 'lead_unit' as const, name: `市合成局${u}`, included: true }))],
    components: [
      { type: 'district', no: 1, name: '完成情況', points: 30, source: 'completion', method: 'linear', lower: 0, upper: 1, whenMissing: 'rescale' },
      { type: 'district', no: 2, name: '進度', points: 20, source: 'schedule', method: 'linear', lower: 0.5, upper: 1, caseDeduction: 2, whenMissing: 'rescale' },
      { type: 'district', no: 3, name: '滿意度測評', points: 20, source: 'satisfaction', method: 'bands', whenMissing: 'rescale' },
      { type: 'district', no: 4, name: '第三方評價', points: 15, source: 'third_party', method: 'linear', lower: 0.6, upper: 0.95, whenMissing: 'rescale' },
      { type: 'district', no: 5, name: '通報評價', points: 10, source: 'bulletins', method: 'per_event', basePoints: 6, plusPoints: 1, minusPoints: 1, minPoints: 0, whenMissing: 'rescale' },
      { type: 'district', no: 6, name: '參與監督', points: 5, source: 'participation', method: 'rank', whenMissing: 'omit' },
      { type: 'lead_unit', no: 1, name: '完成情況', points: 50, source: 'completion', method: 'linear', lower: 0, upper: 1, whenMissing: 'rescale' },
      { type: 'lead_unit', no: 2, name: '進度', points: 30, source: 'schedule', method: 'linear', lower: 0.5, upper: 1, caseDeduction: 0.1, whenMissing: 'rescale' },
      { type: 'lead_unit', no: 3, name: '任務量', points: 20, source: 'workload', method: 'rank', whenMissing: 'rescale' },
    ],
    bands: [
      { type: 'district', component: '滿意度測評', upper: 0.8, points: 8 },
      { type: 'district', component: '滿意度測評', lower: 0.8, upper: 0.9, points: 14 },
      { type: 'district', component: '滿意度測評', lower: 0.9, points: 20 },
    ],
    rankPoints: [
      { type: 'district', component: '參與監督', from: 1, to: Math.max(1, Math.floor(districts / 10)), points: 5 },
      { type: 'district', component: '參與監督', from: Math.max(1, Math.floor(districts / 10)) + 1, points: 2 },
      { type: 'lead_unit', component: '任務量', from: 1, to: 3, points: 20 },
      { type: 'lead_unit', component: '任務量', from: 4, points: 12 },
    ],
    tiers: ['district', 'lead_unit'].flatMap((type) => [
      { type: type as 'district', order: 1, name: '優秀', minTotal: 90, awardEligible: true },
      { type: type as 'district', order: 2, name: '合格', minTotal: 60, awardEligible: false },
      { type: type as 'district', order: 3, name: '不合格', awardEligible: false },
    ]),
    weights: [],
  };
  await storeAssessmentFile(store, { kind: 'rules', rules }, { fileName: 'rules.xlsx', sha256: 'bench-rules' });
  const projects = Number((await store.connection.runAndReadAll('SELECT count(*) FROM projects')).getRows()[0][0]);
  const scores = [
    ...Array.from({ length: projects }, (_, p) => ({ projectNo: p + 1, score: 80 + ((p * 7) % 18), cell: 'D1' })),
    ...names.filter((_, i) => i % 7 === 0).map((district, i) => ({ projectNo: 1 + (i % projects), district, score: 60 + (i % 35), cell: 'D1' })),
  ];
  await storeAssessmentFile(store, { kind: 'satisfaction', year: 2024, scale: 100, scores }, { fileName: 'satisfaction.xlsx', sha256: 'bench-satisfaction' });
  const records = names.filter((_, i) => i % 3 === 0).map((assessee, i) => ({ type: 'district' as const, assessee, date: `2024-0${3 + (i % 6)}-15`, activity: '代表監督周', times: 1 + (i % 4), cell: 'B1' }));
  await storeAssessmentFile(store, { kind: 'participation', year: 2024, records }, { fileName: 'participation.xlsx', sha256: 'bench-participation' });
}

export async function benchAssessment(bench: BenchContext): Promise<void> {
  const districts = intFlag(bench, 'districts', 2800);
  const metrics = intFlag(bench, 'metrics', 60);
  bench.print(`== year-end assessment (issue 14): ${districts.toLocaleString('en')} districts × ${metrics} metrics`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-bench-assess-'));
  // One writer for the whole run: reopening for writing would put the district registry back.
  const store = await openStore(path.join(dir, 'bench.duckdb'));
  try {
    const { ms: setupMs, result: size } = await time(async () => {
      const s = await fillYear(store, districts, metrics);
      await storeInputs(store, districts);
      return s;
    });
    bench.print(`setup: ${size.pairs.toLocaleString('en')} district metrics, ${size.progress.toLocaleString('en')} progress rows, rules and inputs in ${(setupMs / 1000).toFixed(1)} s`);
    const inDuckDb = await median(3, () => store.connection.runAndReadAll('SELECT count(*), sum(points), count(DISTINCT assessee) FROM assessment(2024)'));
    const { ms: cliMs, result } = await time(async () => nestAssessment(assessmentRows(await queryAssessment(store, 2024)), 2024, '2024-12-31'));
    const check = result.districts.every((d) => d.total === null || Math.abs(d.total - d.components.reduce((s, c) => s + (c.points ?? 0), 0)) < 1e-9);
    bench.print(
      `assessment(2024): ${(inDuckDb / 1000).toFixed(2)} s in DuckDB (median of 3), ${(cliMs / 1000).toFixed(2)} s with its ` +
        `${(result.districts.length + result.lead_units.length).toLocaleString('en')} assessees nested as \`assess --json\` prints them; totals = sums of components: ${check ? 'yes' : 'NO'}`,
    );
    bench.record({
      bench: 'assessment',
      districts,
      metrics,
      district_metrics: size.pairs,
      progress_rows: size.progress,
      in_duckdb_ms: Math.round(inDuckDb),
      as_json_ms: Math.round(cliMs),
      assessees: result.districts.length + result.lead_units.length,
      totals_are_sums: check,
    });
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
