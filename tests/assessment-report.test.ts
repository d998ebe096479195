// The assessment for leaders, on the 2024 sample with the demo inputs (samples/2024-hangzhou/assessment):
// the report's 年度考核 sheet (the same scores `assess --json` prints, 缺項 in words, both charts), `assess
// explain` (why 臨平區 is last, component by component, and the metrics that cost it most), the
// service's 年度考核 charts and the add-in inserting them.
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { exampleRules } from '../core/assessment/rulesWorkbook';
import { leadUnitsOf } from '../core/leadUnits';
import { storeAssessmentFile } from '../pipeline/assessment/store';
import { openStore } from '../pipeline/db/store';
import { readReportAssessment } from '../pipeline/report/assessmentSheet';
import { CHART_SHEET } from '../addin/excel/chartImages';
import { ServiceClient } from '../addin/service';
import * as workflows from '../addin/workflows';
import { gridFromRows } from '../core/grid';
import { runCli } from './helpers/cli';
import { createFakeHost, installFakeHost, workbookFromGrids } from './helpers/fakeExcel/host';
import { fakeWorkbookToXlsx } from './helpers/fakeExcel/xlsx';
import { buildSampleDb, tableRange } from './helpers/sampleDb';
import { SAMPLE_DIR } from './helpers/samples';
import { request, startTestService, type TestService } from './helpers/server';
import { removeTempDirs, tempDir } from './helpers/tempDir';

jest.setTimeout(240_000);

const dir = tempDir('minsheng-assess-report-');
const db = path.join(dir, 'm.duckdb');
const INPUTS = ['滿意度測評.xlsx', '第三方評價.xlsx', '參與監督.xlsx'].map((f) => path.join(SAMPLE_DIR, 'assessment', f));

beforeAll(async () => {
  await buildSampleDb(db);
  expect((await runCli('assess', 'rules', '-o', path.join(dir, 'rules.xlsx'), '--db', db)).code).toBe(0);
  const load = await runCli('assess', 'load', path.join(dir, 'rules.xlsx'), ...INPUTS, '--db', db);
  expect([load.code, load.stdout]).toEqual([0, expect.not.stringContaining('未載入')]);
});
afterAll(removeTempDirs);

interface Json {
  districts: { district: string; rank: number; total: number; tier: string; award_candidate: boolean; components: { component: string; points: number | null; status: string }[] }[];
  lead_units: { lead_unit: string; total: number }[];
}

function tableCells(ws: ExcelJS.Worksheet, name: string): { headers: string[]; rows: unknown[][] } {
  const range = tableRange(ws, name);
  const headers: string[] = [];
  for (let c = range.left; c <= range.right; c++) headers.push(String(ws.getCell(range.top, c).value));
  const rows: unknown[][] = [];
  for (let r = range.top + 1; r <= range.bottom; r++) {
    const row: unknown[] = [];
    for (let c = range.left; c <= range.right; c++) row.push(ws.getCell(r, c).value);
    rows.push(row);
  }
  return { headers, rows };
}

test('the report gains a 年度考核 sheet: the scores assess prints, 缺項 in words, the stacked charts', async () => {
  const out = path.join(dir, 'report.xlsx');
  const report = await runCli('report', '-o', out, '--db', db);
  expect(report.code).toBe(0);
  const json = JSON.parse((await runCli('assess', '--as-of', '2024-11-30', '--db', db, '--json')).stdout) as Json;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  const ws = wb.getWorksheet('年度考核')!;
  expect(ws).toBeDefined();
  const districts = tableCells(ws, 'AssessmentDistricts');
  expect(districts.headers.slice(0, 5)).toEqual(['名次', '區縣', '總分', '等次', '行政獎勵候選']);
  expect(districts.rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual(json.districts.map((d) => [d.rank, d.district, d.total, d.tier]));
  const scenic = districts.rows.find((r) => r[1] === '杭州西湖風景名勝區')!;
  expect(scenic[districts.headers.findIndex((h) => h.startsWith('第三方評價'))]).toBe('缺項');
  const units = tableCells(ws, 'AssessmentLeadUnits');
  expect(units.rows).toHaveLength(19);
  expect(ws.getImages()).toHaveLength(2);
  const text = ws.getSheetValues().flat().filter((v): v is string => typeof v === 'string').join('\n');
  expect(text).toContain('第三方評價：杭州西湖風景名勝區沒有資料（缺項），不當作0分');
});

test('a year without rules gets no 年度考核 sheet (the report asks readReportAssessment, which finds none)', async () => {
  const store = await openStore(db, { readOnly: true });
  try {
    expect(await readReportAssessment(store, 2023, '2023-12-31', 'zh-TW')).toBeUndefined();
    const found = await readReportAssessment(store, 2024, '2025-02-01', 'zh-TW', async () => ({ svg: '', png: Buffer.alloc(0), width: 1, height: 1 }));
    expect(found?.result.as_of).toBe('2024-12-31');
  } finally {
    store.close();
  }
});

test('assess explain: why 臨平區 is last — each component\'s rule, inputs and points, the gap to the one above, the metrics that cost most', async () => {
  const out = await runCli('assess', 'explain', '--district', '临平', '--db', db);
  expect(out.code).toBe(0);
  const json = JSON.parse((await runCli('assess', '--db', db, '--json')).stdout) as Json;
  const last = json.districts[json.districts.length - 1];
  expect(last.district).toBe('臨平區');
  expect(out.stdout).toContain(`臨平區2024年度考核（截至2024-12-31）：總分${Math.round(last.total * 100) / 100}，第${last.rank}名（共${json.districts.length}個區縣）`);
  for (const c of last.components) expect(out.stdout).toContain(c.component);
  expect(out.stdout).toMatch(/規則：0%得0分，100%及以上得滿分30分/);
  expect(out.stdout).toMatch(/與上一名\S+（第13名）相差/);
  expect(out.stdout).toContain('完成情況失分最多的指標');
  // The metrics the demo reports hold back (samples/2024-hangzhou/submissions/README.md) are the costly ones.
  const explained = JSON.parse((await runCli('assess', 'explain', '--district', '臨平區', '--db', db, '--json')).stdout);
  expect(explained.score.total).toBe(last.total);
  const costly = explained.costly_metrics as { metric_id: string; shortfall: number; points_lost: number }[];
  expect(costly.length).toBeGreaterThan(0);
  expect(costly.map((m) => m.shortfall)).toEqual([...costly.map((m) => m.shortfall)].sort((a, b) => b - a));
  expect(costly.map((m) => m.metric_id).filter((id) => ['16-1', '30-2', '1-1', '22-1', '27-1', '4-1'].includes(id)).length).toBeGreaterThanOrEqual(3);
  expect(explained.above.differences.reduce((s: number, d: { difference: number | null }) => s + (d.difference ?? 0), 0)).toBeCloseTo(last.total - explained.above.total, 6);

  const unit = await runCli('assess', 'explain', '--lead-unit', '民政局', '--db', db);
  expect(unit.stdout).toMatch(/^市民政局2024年度考核/);
  expect(unit.stdout).toContain('牽頭實施任務量');
  const nobody = await runCli('assess', 'explain', '--district', '上海區', '--db', db);
  expect(nobody.code).toBe(2);
});

describe('the service and the add-in', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(async () => {
    await t.stop();
  });

  test('the service draws the 年度考核 charts once the year has rules, and says why not before', async () => {
    const before = await request(t.service.url, '/api/charts/assessment-districts.png?as_of=2024-09-30', { headers: { Authorization: `Bearer ${t.adminToken}` } });
    expect(before.status).toBe(404);
    expect(before.json().error).toContain('2024年度的考核細則');
    await t.service.queue.run(() => storeAssessmentFile(t.store, { kind: 'rules', rules: exampleRules({ plan: t.plan, leadUnits: leadUnitsOf(t.plan).units }, 'zh-TW') }, { fileName: 'rules.xlsx', sha256: 'r'.repeat(64) }));
    for (const chart of ['assessment-districts', 'assessment-lead-units']) {
      const reply = await request(t.service.url, `/api/charts/${chart}.png?as_of=2024-09-30`, { headers: { Authorization: `Bearer ${t.tokens['上城區']}` } });
      expect([chart, reply.status, reply.body.subarray(1, 4).toString('latin1')]).toEqual([chart, 200, 'PNG']);
    }
  });

  test('the add-in\'s 圖表 tab inserts the 年度考核 charts next to the ranking and heatmap when asked', async () => {
    const h = createFakeHost(workbookFromGrids([gridFromRows('Sheet1', [['x']])]), { fileBytes: fakeWorkbookToXlsx });
    installFakeHost(h);
    const client = new ServiceClient({ url: t.service.url, token: t.tokens['上城區'] });
    const plain = await workflows.insertCharts(client, '2024-09-30');
    expect(plain.pictures).toEqual(['minsheng-chart-ranking', 'minsheng-chart-lag-heatmap']);
    const done = await workflows.insertCharts(client, '2024-09-30', { assessment: true });
    expect(done.pictures).toEqual(['minsheng-chart-ranking', 'minsheng-chart-lag-heatmap', 'minsheng-chart-assessment-districts', 'minsheng-chart-assessment-lead-units']);
    expect(h.workbook.sheet(CHART_SHEET).shapes.map((s) => s.name).sort()).toEqual([...done.pictures].sort());
  });
});
