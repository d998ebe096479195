// 點位 site lists: the generated sheet (validation, protection, read back), every check of a list at its
// cell, lists in an office's own layout and script, a bad file refused whole, and the reconciliation with
// the targets and the reported 累計完成 on hand-made lists.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { gridFromRows, type CellValue } from '../core/grid';
import { issueText } from '../core/issues';
import { readSiteList, readSiteWorkbook } from '../core/sites/readSites';
import type { SiteFill } from '../core/sites/siteLayout';
import { isCountedInSites, siteMetricIds } from '../core/sites/siteMetrics';
import { writeSiteTemplate } from '../pipeline/sites/siteTemplate';
import { readWorkbook } from '../pipeline/xlsx/readWorkbook';
import { runCli } from './helpers/cli';
import { SMALL_LOADS, SMALL_PLAN } from './helpers/reference/fixtures';
import { storeWith } from './helpers/store';
import { removeTempDirs, tempDir } from './helpers/tempDir';

const PLAN = SMALL_PLAN;
let dir: string;

beforeAll(() => {
  dir = tempDir('minsheng-sites-');
});
afterAll(removeTempDirs);

function site(n: number, over: Partial<SiteFill> = {}): SiteFill {
  return {
    metricId: '1-1',
    name: `湖濱街道老年食堂${n}`,
    address: `上城區解放路${n}號`,
    plannedStart: '2024-03-01',
    plannedFinish: '2024-10-31',
    status: 'in_progress',
    ...over,
  };
}

describe('which metrics are counted in sites', () => {
  test('place units of count and compound metrics, not rates, households or places at school', () => {
    expect(siteMetricIds(PLAN)).toEqual(['1-1', '3-1']);
    const metric = { id: '9-1', projectNo: 9, k: 1, unit: '個', kind: 'count' as const, cityTarget: 60000 };
    expect(isCountedInSites({ ...metric, label: '新增學位6萬個' })).toBe(false);
    expect(isCountedInSites({ ...metric, label: '新(改)建新能源汽車公共充電桩3000個' })).toBe(false);
    expect(isCountedInSites({ ...metric, label: '建成数字乡村100个', unit: '个' })).toBe(true);
  });
});

describe('the 點位 sheet', () => {
  let file: string;
  let book: ExcelJS.Workbook;

  beforeAll(async () => {
    file = path.join(dir, '上城區-點位.xlsx');
    await writeSiteTemplate(PLAN, '上城', 'zh-TW', file, { fill: [site(1, { status: 'finished', finishedOn: '2024-06-30', longitude: 120.17, latitude: 30.25 }), site(2)] });
    book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
  });

  test('lists the district\'s count metrics on its own sheet, with how many sites each needs', () => {
    const metrics = book.getWorksheet('指標清單')!;
    const rows = metrics.getSheetValues().slice(2).map((r) => (r as CellValue[]).slice(1, 7));
    expect(rows).toEqual([
      ['1-1', '老年助餐服務', '新增老年助餐服務點', '個', 30, 30],
      ['3-1', '口袋公園', '口袋公園', '個', 3, 3],
      ['5-1', '無障礙改造', '無障礙改造', '戶', 10, '—'],
    ]);
  });

  test('validation: metric and status from lists, dates in the plan year, coordinates in the city', () => {
    const ws = book.getWorksheet('點位清單')!;
    const rule = (cell: string) => ws.getCell(cell).dataValidation;
    expect(rule('B5')).toMatchObject({ type: 'list', formulae: ["'指標清單'!$A$2:$A$4"] });
    expect(rule('I40')).toMatchObject({ type: 'list', formulae: ['"未開工,在建,完成"'] });
    expect(rule('G5')).toMatchObject({ type: 'date', operator: 'between' });
    expect(rule('K5')).toMatchObject({ type: 'decimal', formulae: [118.3, 120.8] });
    expect(rule('L5')).toMatchObject({ type: 'decimal', formulae: [29.1, 30.6] });
  });

  test('protection: the sheet is protected, only the yellow cells are open', () => {
    const ws = book.getWorksheet('點位清單')!;
    expect((ws as unknown as { sheetProtection: { sheet: boolean } }).sheetProtection.sheet).toBe(true);
    for (const cell of ['B5', 'E5', 'F5', 'G5', 'I5', 'J5', 'K5', 'M5']) expect([cell, ws.getCell(cell).protection?.locked]).toEqual([cell, false]);
    for (const cell of ['A5', 'C5', 'D5', 'A4', 'E4']) expect([cell, ws.getCell(cell).protection?.locked]).not.toEqual([cell, false]);
    expect(ws.getCell('C5').value).toMatchObject({ formula: expect.stringContaining('VLOOKUP(B5') });
  });

  test('reads back as it was filled', async () => {
    const [reading] = readSiteWorkbook((await readWorkbook(file)).sheets, PLAN);
    expect(reading.issues).toEqual([]);
    expect(reading.district).toBe('上城區');
    expect(reading.sites).toEqual([
      { row: 5, metricId: '1-1', name: '湖濱街道老年食堂1', address: '上城區解放路1號', plannedStart: '2024-03-01', plannedFinish: '2024-10-31', status: 'finished', finishedOn: '2024-06-30', longitude: 120.17, latitude: 30.25 },
      { row: 6, metricId: '1-1', name: '湖濱街道老年食堂2', address: '上城區解放路2號', plannedStart: '2024-03-01', plannedFinish: '2024-10-31', status: 'in_progress' },
    ]);
  });

  test('in simplified script for a simplified reader', async () => {
    const out = path.join(dir, '上城区-点位.xlsx');
    await writeSiteTemplate(PLAN, '上城區', 'zh-CN', out);
    const cn = new ExcelJS.Workbook();
    await cn.xlsx.readFile(out);
    expect(cn.worksheets.map((w) => w.name)).toEqual(['点位清单', '指标清单', '点位填报说明']);
    expect(cn.getWorksheet('点位清单')!.getCell('I5').dataValidation).toMatchObject({ formulae: ['"未开工,在建,完成"'] });
  });
});

describe('every check of a list, at its cell', () => {
  const HEADER: CellValue[] = ['序號', '指標編號', '項目名稱', '指標', '點位名稱', '地址', '計劃開工', '計劃完工', '狀態', '完工日期', '經度', '緯度', '備註'];
  const sheet = (rows: CellValue[][]) => gridFromRows('點位清單', [['2024年點位清單'], ['填報單位：上城區'], [], HEADER, ...rows]);
  const found = (rows: CellValue[][]) =>
    readSiteList(sheet(rows), PLAN).issues.map((i) => `${i.severity} ${i.code} ${i.cell}`);
  const ok = (n: number, over: Record<number, CellValue> = {}): CellValue[] => {
    const row: CellValue[] = [n, '1-1', null, null, `食堂${n}`, `解放路${n}號`, '2024-03-01', '2024-10-31', '在建', null, null, null, null];
    for (const [i, v] of Object.entries(over)) row[Number(i)] = v;
    return row;
  };

  test.each([
    ['unknown metric', ok(1, { 1: '99-1' }), 'error site-unknown-metric B5'],
    ['a metric id in full-width digits', ok(1, { 1: '１－１' }), undefined],
    ['no name', ok(1, { 4: '  ' }), 'error site-name-missing E5'],
    ['no address', ok(1, { 5: null }), 'error site-address-missing F5'],
    ['a date that is not one', ok(1, { 6: '三月' }), 'error site-date-invalid G5'],
    ['a date in another year', ok(1, { 7: '2025-03-31' }), 'error site-date-outside-year H5'],
    ['start after finish', ok(1, { 6: '2024-11-01', 7: '2024-10-01' }), 'error site-dates-order G5'],
    ['no planned start', ok(1, { 6: null }), 'error site-date-missing G5'],
    ['a status word that is none', ok(1, { 8: '差不多' }), 'error site-status-unknown I5'],
    ['no status', ok(1, { 8: null }), 'error site-status-missing I5'],
    ['finished without a date', ok(1, { 8: '完成' }), 'error site-finish-date-missing J5'],
    ['a finish date while still in progress', ok(1, { 9: '2024-06-30' }), 'warning site-finish-date-unfinished J5'],
    ['longitude without latitude', ok(1, { 10: 120.2 }), 'error site-coordinates-incomplete L5'],
    ['coordinates that are not numbers', ok(1, { 10: '東經120度', 11: 30.2 }), 'error site-coordinates-invalid K5'],
    ['coordinates outside the city', ok(1, { 10: 116.4, 11: 39.9 }), 'error site-coordinates-outside K5'],
    ['longitude and latitude swapped', ok(1, { 10: 30.25, 11: 120.17 }), 'error site-coordinates-outside K5'],
    ['east of the city (Ningbo), at the city’s latitude', ok(1, { 10: 121.55, 11: 29.87 }), 'error site-coordinates-outside K5'],
  ])('%s', (_what, row, expected) => {
    expect(found([row])).toEqual(expected ? [expected] : []);
  });

  test('a metric the district has no target for is refused', () => {
    // 濱江區 has no target for 3-1.
    const grid = gridFromRows('點位清單', [['填報單位：濱江區'], HEADER, ok(1, { 1: '3-1' })]);
    expect(readSiteList(grid, PLAN).issues.map((i) => `${i.code} ${i.cell}`)).toEqual(['site-metric-not-targeted B3']);
  });

  test('duplicate names and addresses within the district, whatever the script, width or spacing', () => {
    const issues = readSiteList(
      sheet([
        ok(1),
        ok(2, { 4: '食 堂１' }),
        ok(3, { 5: '解放路1號' }),
        ok(4, { 1: '3-1', 5: '解放路1号' }),
      ]),
      PLAN,
    ).issues;
    expect(issues.map((i) => `${i.severity} ${i.code} ${i.cell}`)).toEqual(['error site-duplicate-name E6', 'error site-duplicate-address F7', 'warning site-shared-address F8']);
    expect(issueText(issues[0], 'zh-TW')).toBe('E6：點位名稱「食堂１」與第5行重複；同一區縣的點位名稱不能相同。');
    expect(issueText(issues[2], 'zh-CN')).toContain('与第5行（指标1-1）相同');
  });

  test('an office\'s own layout: simplified labels in another order, status words of their own, dates as text and serials, 項目名稱 instead of 指標編號', () => {
    const grid = gridFromRows('Sheet1', [
      ['填报单位', '上城区'],
      ['所属项目', '点位名称', '详细地址', '建设状态', '计划开工日期', '计划完工日期', '完工时间', '东经', '北纬'],
      ['老年助餐服务', '湖滨食堂', '解放路1号', '已完工', '2024年3月1日', 45596, '2024/6/30', 120.17, 30.25],
      ['口袋公园', '小河公园', '延安路9号', '施工中', '2024-04-01', '2024-06-30', null, null, null],
    ], { formats: [[], [], ['General', 'General', 'General', 'General', 'General', 'yyyy-mm-dd'], []] });
    const reading = readSiteList(grid, PLAN);
    expect(reading.issues).toEqual([]);
    expect(reading.sites.map((s) => [s.metricId, s.name, s.status, s.plannedStart, s.plannedFinish, s.finishedOn])).toEqual([
      ['1-1', '湖滨食堂', 'finished', '2024-03-01', '2024-10-31', '2024-06-30'],
      ['3-1', '小河公园', 'in_progress', '2024-04-01', '2024-06-30', undefined],
    ]);
  });

  test('a sheet that is no site list, and a list with no site', () => {
    expect(readSiteWorkbook([gridFromRows('Sheet1', [['項目', '金額'], ['a', 1]])], PLAN)[0].issues.map((i) => i.code)).toEqual(['site-header-missing']);
    expect(found([])).toEqual(['error site-list-empty E5']);
  });
});

describe('minsheng sites: load, reconcile, export', () => {
  let db: string;
  const cli = (...args: string[]) => runCli(...args, '--db', db, '--lang', 'zh-TW');

  beforeAll(async () => {
    db = path.join(dir, 'sites.duckdb');
    const { store } = await storeWith(PLAN, SMALL_LOADS, db);
    store.close();
  });

  test('a list with an error is refused whole, each error at its cell, and nothing is stored', async () => {
    const file = path.join(dir, '上城區-有錯.xlsx');
    await writeSiteTemplate(PLAN, '上城區', 'zh-TW', file, { fill: [site(1), site(2, { name: '湖濱街道老年食堂1' }), site(3, { plannedFinish: '2025-01-31' })] });
    const run = await cli('sites', 'load', file);
    expect(run.code).toBe(1);
    expect(run.stdout.split('\n')).toEqual([
      `${file}：有錯誤，未載入。`,
      '  錯誤 點位清單!E6 E6：點位名稱「湖濱街道老年食堂1」與第5行重複；同一區縣的點位名稱不能相同。',
      '  錯誤 點位清單!H7 H7：計劃完工2025-01-31不在計劃年度2024年內。',
    ]);
    // --json carries each issue's code next to its sentence in the language asked for.
    const json = JSON.parse((await runCli('sites', 'load', file, '--json', '--db', db, '--lang', 'zh-CN')).stdout);
    expect(json.files[0].issues.map((i: { code: string; cell: string; message: string }) => [i.code, i.cell, i.message])).toEqual([
      ['site-duplicate-name', 'E6', 'E6：点位名称「湖濱街道老年食堂1」与第5行重复；同一区县的点位名称不能相同。'],
      ['site-date-outside-year', 'H7', 'H7：计划完工2025-01-31不在计划年度2024年内。'],
    ]);
    expect((await cli('sql', 'SELECT count(*) AS n FROM sites', '--json')).stdout).toContain('"n": 0');
  });

  test('reconciliation on a hand-made list: sites against the target, finished sites against the reported 累計完成', async () => {
    // 上城區 at 9/30 reported 25 of 30 for 1-1 and 3 of 2(1) for 3-1. The list has 28 sites for 1-1, 20 of
    // them finished by 9/30 (one more finishes in October), and the 3 of 3-1, all finished.
    const fill: SiteFill[] = [];
    for (let n = 1; n <= 28; n++) fill.push(site(n, n <= 21 ? { status: 'finished', finishedOn: n === 21 ? '2024-10-15' : '2024-08-31' } : {}));
    for (let n = 1; n <= 3; n++) fill.push(site(100 + n, { metricId: '3-1', name: `口袋公園${n}`, status: 'finished', finishedOn: '2024-06-30' }));
    const file = path.join(dir, '上城區-點位.xlsx');
    await writeSiteTemplate(PLAN, '上城區', 'zh-TW', file, { fill });
    const run = await cli('sites', 'load', file, '--as-of', '2024-09-30');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      `${file}：已載入上城區的31個點位。`,
      '截至2024-09-30的點位核對（2項）',
      '  上城區指標1-1（新增老年助餐服務點）：列了28個點位，年度目標是30個。',
      '  上城區指標1-1（新增老年助餐服務點）：報送累計完成25個，但只有20個點位已完成。',
    ]);
    const check = JSON.parse((await cli('sites', 'check', '--as-of', '2024-09-30', '--json')).stdout);
    expect(check.map((r: Record<string, unknown>) => [r.district, r.metric_id, r.target_total, r.site_count, r.finished_count, r.completed, r.check_flags])).toEqual([
      ['上城區', '1-1', 30, 28, 20, 25, ['count_mismatch', 'reported_above_finished']],
      ['上城區', '3-1', 3, 3, 3, 3, []],
    ]);
    // In November 上城區 reports 30 done: now the report runs ahead of 21 finished sites by 9.
    const nov = JSON.parse((await cli('sites', 'check', '--as-of', '2024-11-30', '--json')).stdout);
    expect(nov[0]).toMatchObject({ finished_count: 21, completed: 30, check_flags: ['count_mismatch', 'reported_above_finished'] });
  });

  test('the same file again changes nothing; a later list supersedes the earlier, and both are kept', async () => {
    const file = path.join(dir, '上城區-點位.xlsx');
    expect((await cli('sites', 'load', file)).stdout.split('\n')[0]).toBe(`${file}：相同的點位清單已載入過，未重複載入。`);
    const fill: SiteFill[] = [];
    for (let n = 1; n <= 30; n++) fill.push(site(n, { status: 'finished', finishedOn: '2024-09-01' }));
    for (let n = 1; n <= 3; n++) fill.push(site(100 + n, { metricId: '3-1', name: `口袋公園${n}`, status: 'finished', finishedOn: '2024-06-30' }));
    const later = path.join(dir, '上城區-點位（更正）.xlsx');
    await writeSiteTemplate(PLAN, '上城區', 'zh-TW', later, { fill });
    const run = await cli('sites', 'load', later, '--as-of', '2024-11-30');
    expect(run.stdout.split('\n')).toEqual([`${later}：已載入上城區的33個點位，取代先前的點位清單。`, '截至2024-11-30，上城區的點位與任務、報送一致。']);
    const lists = JSON.parse((await cli('sql', 'SELECT id, superseded_by FROM site_lists ORDER BY id', '--json')).stdout);
    expect(lists).toEqual([{ id: 1, superseded_by: 2 }, { id: 2, superseded_by: null }]);
  });

  test('export: the current sites with documented columns, for the provincial 民生地圖', async () => {
    const out = path.join(dir, 'sites.csv');
    const run = await cli('sites', 'export', '--csv', out);
    expect(run.stdout).toBe(`已寫出 ${out}：33個點位。`);
    const lines = fs.readFileSync(out, 'utf8').replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('區縣,指標編號,項目名稱,指標,點位名稱,地址,計劃開工,計劃完工,狀態,完工日期,經度,緯度,備註');
    expect(lines[1]).toBe('上城區,1-1,老年助餐服務,新增老年助餐服務點,湖濱街道老年食堂1,上城區解放路1號,2024-03-01,2024-10-31,完成,2024-09-01,,,');
    expect(lines.filter((l) => l !== '')).toHaveLength(34);
  });

  test('more sites than the target is a mismatch too; a site finished on the date counts as finished', async () => {
    // 31 sites for a target of 30, the last finished on 11/30 itself: at 11/30 all 31 are finished, one more than the 30 reported.
    const fill: SiteFill[] = [];
    for (let n = 1; n <= 31; n++) fill.push(site(n, { status: 'finished', finishedOn: n === 31 ? '2024-11-30' : '2024-09-01' }));
    for (let n = 1; n <= 3; n++) fill.push(site(100 + n, { metricId: '3-1', name: `口袋公園${n}`, status: 'finished', finishedOn: '2024-06-30' }));
    const file = path.join(dir, '上城區-點位（多列）.xlsx');
    await writeSiteTemplate(PLAN, '上城區', 'zh-TW', file, { fill });
    expect((await cli('sites', 'load', file)).code).toBe(0);
    const check = JSON.parse((await cli('sites', 'check', '--as-of', '2024-11-30', '--json')).stdout);
    expect(check.map((r: Record<string, unknown>) => [r.metric_id, r.target_total, r.site_count, r.finished_count, r.completed, r.check_flags])).toEqual([
      ['1-1', 30, 31, 31, 30, ['count_mismatch', 'reported_below_finished']],
      ['3-1', 3, 3, 3, 3, []],
    ]);
  });

  test('template names a district it cannot recognise', async () => {
    const run = await cli('sites', 'template', '--district', '西湖', '-o', path.join(dir, 'x.xlsx'));
    expect(run.code).toBe(2);
  });
});
