// The lead departments all year: `rank --by lead-unit`, `lag --lead-unit`, `report --lead-unit` on the
// 2024 sample, checked against the districts' own lag rows.
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { runCli } from './helpers/cli';
import { buildSampleDb, tableRange } from './helpers/sampleDb';
import { removeTempDirs, tempDir } from './helpers/tempDir';

const dir = tempDir('minsheng-leadunit-');
const db = path.join(dir, 'm.duckdb');
const AS_OF = '2024-09-30';

beforeAll(async () => {
  await buildSampleDb(db);
}, 600_000); // 135 workbooks: over a minute on a loaded machine
afterAll(removeTempDirs);

/** The data rows of a table, as cell values. */
function tableCells(ws: ExcelJS.Worksheet, name: string): unknown[][] {
  const range = tableRange(ws, name);
  const rows: unknown[][] = [];
  for (let r = range.top + 1; r <= range.bottom; r++) {
    const row: unknown[] = [];
    for (let c = range.left; c <= range.right; c++) row.push(ws.getCell(r, c).value);
    rows.push(row);
  }
  return rows;
}

interface LagJson {
  district: string;
  project_no: number;
  metric_id: string;
  completion: number | null;
  expected_ratio: number;
  lag_status: string;
  lag_flags: string[];
}

test('rank --by lead-unit: the 19 departments, each over its projects\' pairs in every district, ranked as districts are', async () => {
  const out = await runCli('rank', '--by', 'lead-unit', '--as-of', AS_OF, '--db', db, '--json');
  expect(out.code).toBe(0);
  const ranking = JSON.parse(out.stdout) as { rank: number; lead_unit: string; schedule_attainment: number | null; completion: number; pair_count: number; project_count: number; tied: boolean }[];
  expect(ranking).toHaveLength(19);
  const lag = JSON.parse((await runCli('lag', '--as-of', AS_OF, '--db', db, '--json')).stdout) as LagJson[];
  // 市民政局 leads projects 1 and 2: its pairs are every district's rows of those projects.
  const mz = ranking.find((r) => r.lead_unit === '市民政局')!;
  const own = lag.filter((r) => r.project_no === 1 || r.project_no === 2);
  expect([mz.project_count, mz.pair_count]).toEqual([2, own.length]);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  expect(mz.completion).toBeCloseTo(mean(own.map((r) => Math.min(r.completion ?? 0, 1))), 9);
  const due = own.filter((r) => r.expected_ratio > 0);
  expect(mz.schedule_attainment).toBeCloseTo(mean(due.map((r) => Math.min((r.completion ?? 0) / r.expected_ratio, 1))), 9);
  // A total order: by schedule attainment, then completion.
  for (let i = 1; i < ranking.length; i++) {
    const [a, b] = [ranking[i - 1], ranking[i]];
    const sa = a.schedule_attainment ?? -1;
    const sb = b.schedule_attainment ?? -1;
    expect([a.lead_unit, b.lead_unit, sa > sb || (sa === sb && a.completion >= b.completion)]).toEqual([a.lead_unit, b.lead_unit, true]);
  }
  expect(ranking.map((r) => r.rank)).toEqual(ranking.map((_, i) => i + 1));
});

test('已到節點的區縣指標: only pairs whose milestone with a figure has come due count toward a department\'s schedule', async () => {
  const rank = async (asOf: string) =>
    JSON.parse((await runCli('rank', '--by', 'lead-unit', '--as-of', asOf, '--db', db, '--json')).stdout) as {
      lead_unit: string;
      pair_count: number;
      expected_pair_count: number;
      schedule_attainment: number | null;
    }[];
  const lagOf = async (unit: string, asOf: string) =>
    JSON.parse((await runCli('lag', '--lead-unit', unit, '--as-of', asOf, '--db', db, '--json')).stdout) as LagJson[];
  // 市民政局's steps due by 30 June (確定點位, 設計及招標) set no figure: none of its pairs is due, so it
  // has no schedule attainment yet; by 30 September its 9月 figures are due in every district.
  for (const [asOf, allDue] of [['2024-06-30', false], ['2024-09-30', true]] as const) {
    const mz = (await rank(asOf)).find((r) => r.lead_unit === '市民政局')!;
    const own = await lagOf('市民政局', asOf);
    expect([asOf, mz.pair_count, mz.expected_pair_count]).toEqual([asOf, own.length, allDue ? own.length : 0]);
    if (!allDue) expect(mz.schedule_attainment).toBeNull();
  }
  // 市衛生健康委員會 on 30 June: some of its pairs are due, others not yet; the count is of those due.
  const health = (await rank('2024-06-30')).find((r) => r.lead_unit === '市衛生健康委員會')!;
  const healthLag = await lagOf('市衛生健康委員會', '2024-06-30');
  const due = healthLag.filter((r) => r.expected_ratio > 0).length;
  expect([health.pair_count, health.expected_pair_count]).toEqual([healthLag.length, due]);
  expect(0 < due && due < healthLag.length).toBe(true);
});

test('rank --by lead-unit says which departments are tied: exactly those with the same two figures as another', async () => {
  const out = await runCli('rank', '--by', 'lead-unit', '--as-of', '2024-11-30', '--db', db, '--json');
  expect(out.code).toBe(0);
  const ranking = JSON.parse(out.stdout) as { lead_unit: string; schedule_attainment: number | null; completion: number; tied: boolean }[];
  const figures = (r: (typeof ranking)[number]) => `${r.schedule_attainment}|${r.completion}`;
  const sizes = new Map<string, number>();
  for (const r of ranking) sizes.set(figures(r), (sizes.get(figures(r)) ?? 0) + 1);
  // By 11/30 some departments have finished alike: a pair among them, as well as a larger group.
  expect([...sizes.values()]).toContain(2);
  expect(ranking.map((r) => [r.lead_unit, r.tied])).toEqual(ranking.map((r) => [r.lead_unit, sizes.get(figures(r))! > 1]));
});

test('lag --lead-unit: that department\'s projects in every district, the name in either script or without 市', async () => {
  const full = JSON.parse((await runCli('lag', '--as-of', AS_OF, '--db', db, '--json')).stdout) as LagJson[];
  for (const name of ['市民政局', '民政局', '市民政局 ']) {
    const out = await runCli('lag', '--lead-unit', name, '--as-of', AS_OF, '--db', db, '--json');
    expect([name, out.code]).toEqual([name, 0]);
    const rows = JSON.parse(out.stdout) as (LagJson & { lead_unit: string })[];
    expect(rows.every((r) => r.lead_unit === '市民政局')).toBe(true);
    expect(rows.map((r) => `${r.district}|${r.metric_id}|${r.lag_status}`).sort()).toEqual(
      full.filter((r) => r.project_no <= 2).map((r) => `${r.district}|${r.metric_id}|${r.lag_status}`).sort(),
    );
  }
  const health = JSON.parse((await runCli('lag', '--lead-unit', '市卫生健康委员会', '--status', 'seriously_behind,behind', '--as-of', AS_OF, '--db', db, '--json')).stdout) as LagJson[];
  expect(health.length).toBeGreaterThan(0);
  expect(health.every((r) => ['seriously_behind', 'behind'].includes(r.lag_status))).toBe(true);
  const unknown = await runCli('lag', '--lead-unit', '市民證局', '--db', db);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('是否為「市民政局」');
});

test('report --lead-unit: the department\'s own workbook — districts on its projects, those behind, its projects with charts', async () => {
  const out = path.join(dir, '市民政局.xlsx');
  const run = await runCli('report', '--lead-unit', '民政局', '--as-of', AS_OF, '-o', out, '--db', db);
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('市民政局牽頭2個項目');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  expect(wb.worksheets.map((ws) => ws.name)).toEqual(['概覽', '滯後區縣', '項目']);
  const lag = JSON.parse((await runCli('lag', '--lead-unit', '市民政局', '--as-of', AS_OF, '--db', db, '--json')).stdout) as LagJson[];
  const lagging = lag.filter((r) => r.lag_status !== 'on_track');
  const rows = tableCells(wb.getWorksheet('滯後區縣')!, 'UnitLagging');
  expect(rows.length).toBe(Math.max(lagging.length, 1));
  if (lagging.length > 0) expect(rows.map((r) => `${r[0]}|${r[1]}`).sort()).toEqual(lagging.map((r) => `${r.district}|${r.metric_id}`).sort());
  // The overview lists every district with a target in the unit's projects; pictures: the heatmap and one chart per project.
  const districts = new Set(lag.map((r) => r.district));
  const overview = wb.getWorksheet('概覽')!;
  const overviewRows = tableCells(overview, 'UnitDistricts').map((r) => r[0]);
  expect(new Set(overviewRows)).toEqual(districts);
  expect(overview.getImages()).toHaveLength(1);
  expect(wb.getWorksheet('項目')!.getImages()).toHaveLength(2);
});

test('rank --by accepts the Chinese words and refuses anything else', async () => {
  expect((await runCli('rank', '--by', '牵头单位', '--as-of', AS_OF, '--db', db, '--json')).code).toBe(0);
  expect((await runCli('rank', '--by', '區縣', '--as-of', AS_OF, '--db', db, '--json')).code).toBe(0);
  const bad = await runCli('rank', '--by', 'project', '--db', db);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('lead-unit');
});
