// Each scoring method against hand-computed cases, on the small hand-made year (tests/helpers/reference/
// fixtures.ts): linear with weights and case deductions, bands, points by rank with a tie, points per
// event from bulletins (a superseded bulletin not counted), a component not recorded at all, a
// satisfaction input missing for some districts — reported as missing, never scored 0 — and the JSON
// shape `minsheng assess --json` prints.
import * as path from 'node:path';
import type { RuleSet } from '../core/assessment/rules';
import { assessmentRows, queryAssessment, type AssessmentRow } from '../pipeline/assessment/queries';
import { storeAssessmentFile } from '../pipeline/assessment/store';
import { queryObjects, type Store } from '../pipeline/db/store';
import { runCli } from './helpers/cli';
import { SMALL_LOADS, SMALL_PLAN } from './helpers/reference/fixtures';
import { storeWith } from './helpers/store';
import { removeTempDirs, tempDir } from './helpers/tempDir';

afterAll(removeTempDirs);

const D = ['上城區', '拱墅區', '西湖區', '濱江區'];

function rules(thirdPartyMissing: 'rescale' | 'omit'): RuleSet {
  return {
    year: 2024,
    settings: [{ type: 'district', fullPoints: 100, awardQuota: 1 }],
    assessees: D.map((name) => ({ type: 'district' as const, name, included: true })),
    components: [
      { type: 'district', no: 1, name: '完成情況', points: 40, source: 'completion', method: 'linear', lower: 0.5, upper: 1, caseDeduction: 5, whenMissing: 'rescale' },
      { type: 'district', no: 2, name: '滿意度', points: 20, source: 'satisfaction', method: 'bands', whenMissing: 'rescale' },
      { type: 'district', no: 3, name: '通報', points: 10, source: 'bulletins', method: 'per_event', basePoints: 6, plusPoints: 2, minusPoints: 3, minPoints: 0, whenMissing: 'rescale' },
      { type: 'district', no: 4, name: '參與', points: 10, source: 'participation', method: 'rank', whenMissing: 'rescale' },
      { type: 'district', no: 5, name: '第三方', points: 20, source: 'third_party', method: 'linear', lower: 0, upper: 1, whenMissing: thirdPartyMissing },
    ],
    bands: [
      { type: 'district', component: '滿意度', upper: 0.8, points: 5 },
      { type: 'district', component: '滿意度', lower: 0.8, upper: 0.9, points: 10 },
      { type: 'district', component: '滿意度', lower: 0.9, points: 20 },
    ],
    rankPoints: [
      { type: 'district', component: '參與', from: 1, to: 1, points: 10 },
      { type: 'district', component: '參與', from: 2, to: 3, points: 6 },
      { type: 'district', component: '參與', from: 4, points: 2 },
    ],
    tiers: [
      { type: 'district', order: 1, name: '優', minTotal: 80, awardEligible: true },
      { type: 'district', order: 2, name: '良', minTotal: 60, awardEligible: false },
      { type: 'district', order: 3, name: '差', awardEligible: false },
    ],
    weights: [{ metricId: '1-1', weight: 2 }],
  };
}

async function supervisionRecords(store: Store): Promise<void> {
  for (const [district, metric, project, opened] of [
    ['西湖區', '1-1', 1, '2024-09-30'],
    ['西湖區', '3-1', 3, '2024-06-30'],
    ['拱墅區', '1-1', 1, '2024-09-30'],
    ['濱江區', '1-1', 1, '2023-11-30'],
  ] as const) {
    const [row] = await queryObjects(store, `INSERT INTO supervision_cases (district, metric_id, project_no, opened_on, due_on, opened_gap, recorded_at) VALUES ($1, $2, $3, CAST($4 AS DATE), CAST($4 AS DATE) + 30, 0.3, now()) RETURNING case_id`, [district, metric, project, opened]);
    await store.connection.run(`INSERT INTO supervision_events VALUES ($1, 1, CAST($2 AS DATE), 'opened', 0.3, NULL, 'seriously_behind', CAST($2 AS DATE) + 30, NULL, now())`, [Number(row.case_id), opened]);
  }
  const bulletin = async (asOf: string, praised: string[], named: string[]) => {
    const [row] = await queryObjects(store, `INSERT INTO bulletins (as_of, since, file_name, sha256, lang, written_at, superseded_by) VALUES (CAST($1 AS DATE), NULL, 'b.docx', $2, 'zh-TW', now(), NULL) RETURNING bulletin_id`, [asOf, `${asOf}${praised}${named}`]);
    const id = Number(row.bulletin_id);
    for (const [mention, list] of [['praised', praised], ['named', named]] as const) {
      for (const [i, d] of list.entries()) await store.connection.run(`INSERT INTO bulletin_mentions VALUES ($1, $2, $3, $4, NULL, NULL, 0)`, [id, d, mention, i + 1]);
    }
    return id;
  };
  await bulletin('2024-06-30', ['上城區'], ['西湖區']);
  const first = await bulletin('2024-09-30', ['上城區'], ['拱墅區']);
  const rewrite = await bulletin('2024-09-30', ['上城區', '濱江區'], ['西湖區']);
  await store.connection.run('UPDATE bulletins SET superseded_by = $1 WHERE bulletin_id = $2', [rewrite, first]);
}

async function inputs(store: Store, satisfaction: { projectNo: number; district?: string; score: number }[]): Promise<void> {
  await storeAssessmentFile(store, { kind: 'satisfaction', year: 2024, scale: 100, scores: satisfaction.map((s) => ({ ...s, cell: 'D5' })) }, { fileName: 's.xlsx', sha256: `s${JSON.stringify(satisfaction)}` });
  const records = [
    { type: 'district' as const, assessee: '上城區', date: '2024-05-01', activity: '代表監督周', times: 3 },
    { type: 'district' as const, assessee: '拱墅區', date: '2024-05-01', activity: '代表監督周', times: 2 },
    { type: 'district' as const, assessee: '拱墅區', date: '2024-08-01', activity: '督查', times: 1 },
    { type: 'district' as const, assessee: '濱江區', date: '2024-05-01', activity: '代表監督周', times: 1 },
  ];
  await storeAssessmentFile(store, { kind: 'participation', year: 2024, records: records.map((r) => ({ ...r, cell: 'B5' })) }, { fileName: 'p.xlsx', sha256: 'p' });
}

const SATISFACTION = [
  { projectNo: 1, score: 95 },
  { projectNo: 1, district: '拱墅區', score: 70 },
  { projectNo: 2, score: 85 },
  { projectNo: 5, score: 80 },
];

async function assessed(whenMissing: 'rescale' | 'omit', satisfaction = SATISFACTION, dbPath = ':memory:'): Promise<{ rows: AssessmentRow[]; store: Store }> {
  const { store } = await storeWith(SMALL_PLAN, SMALL_LOADS, dbPath);
  await storeAssessmentFile(store, { kind: 'rules', rules: rules(whenMissing) }, { fileName: 'rules.xlsx', sha256: `rules-${whenMissing}` });
  await inputs(store, satisfaction);
  await supervisionRecords(store);
  return { rows: assessmentRows(await queryAssessment(store, 2024)), store };
}

const pointsOf = (rows: AssessmentRow[], district: string) => rows.filter((r) => r.assessee === district).map((r) => [r.component, r.points]);

test('each method, by hand: linear with weights and cases, bands, rank with a tie, per event, a rescaled missing input', async () => {
  const { rows, store } = await assessed('rescale');
  store.close();
  // Completion, weight 2 on 1-1: 拱墅區 (2×24/30 + 0.9/0.9 + 9/10) / 4 = 0.875 → (0.875 − 0.5) / 0.5 × 40 = 30, one case −5;
  // 西湖區 (2×8/20 + (0.7/0.95) + 2/6) / 4 = 0.4675 < 0.5 → 0, its two cases cannot take it below 0; 濱江區's case is of 2023.
  // Satisfaction: 上城區 (0.95, 0.85, 0.80) = 0.8667 → 10; 拱墅區 its own 0.70 for project 1 → 0.7833 → 5; 西湖區 (0.95, 0.85) = 0.9 → 20.
  // Bulletins: 6 + 2 per praise − 3 per naming, within 0..10; the superseded September bulletin's naming of 拱墅區 does not count.
  // Participation: times 3, 3, 1, 0 → ranks 1, 1, 3, 4 → 10, 10, 6, 2. Third-party not recorded: × (80 + 20) / 80 = 1.25.
  expect(pointsOf(rows, '上城區')).toEqual([['完成情況', 50], ['滿意度', 12.5], ['通報', 12.5], ['參與', 12.5], ['第三方', null]]);
  expect(pointsOf(rows, '拱墅區')).toEqual([['完成情況', 31.25], ['滿意度', 6.25], ['通報', 7.5], ['參與', 12.5], ['第三方', null]]);
  expect(pointsOf(rows, '西湖區')).toEqual([['完成情況', 0], ['滿意度', 25], ['通報', 0], ['參與', 2.5], ['第三方', null]]);
  expect(pointsOf(rows, '濱江區')).toEqual([['完成情況', 50], ['滿意度', 12.5], ['通報', 10], ['參與', 7.5], ['第三方', null]]);
  const byDistrict = new Map(rows.map((r) => [r.assessee, r]));
  expect(D.map((d) => [d, byDistrict.get(d)!.total, byDistrict.get(d)!.rank, byDistrict.get(d)!.tier, byDistrict.get(d)!.award_candidate])).toEqual([
    ['上城區', 87.5, 1, '優', true],
    ['拱墅區', 57.5, 3, '差', false],
    ['西湖區', 27.5, 4, '差', false],
    ['濱江區', 80, 2, '優', false],
  ]);
  const of = (d: string, c: string) => rows.find((r) => r.assessee === d && r.component === c)!;
  expect([of('拱墅區', '完成情況').measure, of('拱墅區', '完成情況').case_count, of('拱墅區', '完成情況').case_points]).toEqual([0.875, 1, 5]);
  expect([of('西湖區', '完成情況').case_count, of('西湖區', '完成情況').case_points, of('濱江區', '完成情況').case_count]).toEqual([2, 0, 0]);
  expect([of('上城區', '參與').measure_rank, of('拱墅區', '參與').measure_rank, of('濱江區', '參與').measure_rank]).toEqual([1, 1, 3]);
  expect([of('上城區', '第三方').measure_status, of('上城區', '第三方').rescale_factor]).toEqual(['not_recorded', 1.25]);
});

test('omit: a component not recorded counts for nothing, nothing is rescaled', async () => {
  const { rows, store } = await assessed('omit');
  store.close();
  const totals = new Map(rows.map((r) => [r.assessee, r.total]));
  expect(D.map((d) => totals.get(d))).toEqual([70, 46, 22, 64]);
  expect(rows.every((r) => r.rescale_factor === 1)).toBe(true);
});

test('a satisfaction input missing for a district is reported as missing, not scored 0', async () => {
  // Only project 3 has a score: 拱墅區 and 濱江區 have no target in it.
  const { rows, store } = await assessed('omit', [{ projectNo: 3, score: 90 }]);
  store.close();
  const satisfaction = new Map(rows.filter((r) => r.component === '滿意度').map((r) => [r.assessee, r]));
  expect(D.map((d) => [d, satisfaction.get(d)!.measure_status, satisfaction.get(d)!.points])).toEqual([
    ['上城區', 'scored', 20],
    ['拱墅區', 'missing', null],
    ['西湖區', 'scored', 20],
    ['濱江區', 'missing', null],
  ]);
  // The satisfaction component is `rescale`: 拱墅區's scored components are scaled by (60 + 20) / 60.
  const other = rows.find((r) => r.assessee === '拱墅區' && r.component === '完成情況')!;
  expect(other.rescale_factor).toBeCloseTo(80 / 60, 12);
  expect(other.points).toBe(Math.round(25 * (80 / 60) * 1e4) / 1e4);
});

test('`assess --json`: districts and lead units with rank, total, tier and every component, missing ones said so', async () => {
  const dir = tempDir('minsheng-assess-json-');
  const db = path.join(dir, 'm.duckdb');
  const { store } = await assessed('rescale', [{ projectNo: 3, score: 90 }], db);
  store.close();
  const out = await runCli('assess', '--year', '2024', '--db', db, '--json');
  expect(out.code).toBe(0);
  const json = JSON.parse(out.stdout);
  expect(Object.keys(json)).toEqual(expect.arrayContaining(['districts', 'lead_units']));
  expect(json.lead_units).toEqual([]);
  expect(json.districts.map((d: { district: string; rank: number }) => [d.rank, d.district])).toEqual([[1, '上城區'], [2, '濱江區'], [3, '拱墅區'], [4, '西湖區']]);
  for (const d of json.districts) {
    const sum = d.components.reduce((s: number, c: { points: number | null }) => s + (c.points ?? 0), 0);
    expect(Math.abs(d.total - sum)).toBeLessThan(1e-9);
  }
  const gongshu = json.districts.find((d: { district: string }) => d.district === '拱墅區');
  expect(gongshu.components.find((c: { component: string }) => c.component === '滿意度')).toMatchObject({ points: null, status: 'missing', when_missing: 'rescale' });
  expect(gongshu.components.find((c: { component: string }) => c.component === '第三方')).toMatchObject({ points: null, status: 'not_recorded' });
  // CSV: one row per assessee and component, the header the macro's columns.
  const csv = await runCli('assess', '--db', db, '--csv', '-');
  const lines = csv.stdout.trim().split(/\r?\n/);
  expect(lines[0].split(',').slice(0, 5)).toEqual(['year', 'as_of', 'assessee_type', 'assessee', 'assessee_order']);
  expect(lines).toHaveLength(1 + 4 * 5);
  // The terminal shows the words, never a 0, and says what the total did.
  const table = await runCli('assess', '--db', db);
  expect(table.stdout).toMatch(/拱墅區.*缺項.*未記錄/);
  expect(table.stdout).toContain('滿意度：濱江區、拱墅區沒有資料（缺項），不當作0分，按細則其他各項按比例折算到滿分。');
});
