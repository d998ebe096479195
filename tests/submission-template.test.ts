// The 進度報送表 a district receives: what is on it, what a clerk can and cannot type, and that a filled
// template reads back as exactly the numbers typed into it.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { detectSubmission, readSubmissions } from '../core/submission';
import type { Grid } from '../core/grid';
import { CITY } from '../core/districts';
import type { Lang } from '../core/messages';
import { SITES } from '../core/messages/catalogue/sites';
import { TEMPLATE } from '../core/messages/catalogue/template';
import { templateLayout } from '../core/templateLayout';
import { analysePlanSheets } from '../core/workbook';
import { instructionsSheetName, templateSheetName, writeTemplate } from '../pipeline/template';
import { readWorkbook } from '../pipeline/xlsx/readWorkbook';
import { sampleGrids, SUBMISSIONS_DIR } from './helpers/samples';
import { ROOT } from './helpers/paths';
import { simplifiedOnly, traditionalOnly } from './helpers/script';
import { smallPlan } from './helpers/submissionPlan';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-template-'));
const out = (name: string) => path.join(dir, name);
const TEMPLATE_SHEET = templateSheetName('zh-TW');
const INSTRUCTIONS_SHEET = instructionsSheetName('zh-TW');

async function sheetGrid(file: string, sheet = TEMPLATE_SHEET): Promise<Grid> {
  const grids = (await readWorkbook(file)).sheets;
  const grid = grids.find((g) => g.sheet === sheet);
  if (!grid) throw new Error(`no sheet ${sheet}`);
  return grid;
}

async function worksheet(file: string, sheet = TEMPLATE_SHEET): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb.getWorksheet(sheet)!;
}

describe('writeTemplate', () => {
  const plan = smallPlan();
  let file: string;
  let ws: ExcelJS.Worksheet;
  beforeAll(async () => {
    file = out('上城區-blank.xlsx');
    await writeTemplate(plan, '上城', '2024年9月30日', file, { lang: 'zh-TW' });
    ws = await worksheet(file);
  });

  test('title, district and date in the first rows, header row by its labels', () => {
    expect(ws.getCell('A1').value).toBe('2024年杭州市民生實事項目進度報送表');
    expect(ws.getCell('A2').value).toBe('填報單位：上城區');
    expect(ws.getCell('E2').value).toBe('截至日期：2024-09-30');
    const header = (ws.getRow(4).values as unknown[]).slice(1);
    expect(header).toEqual(['序號', '指標編號', '項目名稱', '指標', '年度目標', '單位', '累計完成', '完成率', '備註']);
  });

  test('one row per metric the district has a target for, in plan order, targets filled in', () => {
    const ids: unknown[] = [];
    for (let r = 5; r <= 9; r++) ids.push(ws.getCell(`B${r}`).value);
    expect(ids).toEqual(['1-1', '8-1', '8-2', '9-1', '26-1']);
    expect(ws.getCell('B10').value).toBeNull();
    expect(ws.getCell('E5').value).toBe(10);
    expect(ws.getCell('F5').value).toBe('個');
    expect(ws.getCell('E7').value).toBe(40);
    // rate: 83% as a fraction with a percent format
    expect(ws.getCell('E8').value).toBe(0.83);
    expect(ws.getCell('E8').numFmt).toBe('0%');
    // compound: the two parts as a clerk reads them
    expect(ws.getCell('E9').value).toBe('5(4)個');
  });

  test('完成率 is a formula; a compound target divides by its total', () => {
    expect((ws.getCell('H5').value as ExcelJS.CellFormulaValue).formula).toBe('IF(G5="","",G5/E5)');
    expect((ws.getCell('H8').value as ExcelJS.CellFormulaValue).formula).toBe('IF(G8="","",G8/E8)');
    expect((ws.getCell('H9').value as ExcelJS.CellFormulaValue).formula).toBe('IF(G9="","",G9/9)');
    expect(ws.getCell('H5').numFmt).toContain('%');
  });

  test('only 累計完成 and 備註 are open for typing; the sheet is protected without a password', () => {
    const protection = (ws as unknown as { sheetProtection: Record<string, unknown> }).sheetProtection;
    expect(protection.sheet).toBe(true);
    expect(protection.hashValue).toBeUndefined();
    for (let r = 5; r <= 9; r++) {
      expect(ws.getCell(`G${r}`).protection?.locked).toBe(false);
      expect(ws.getCell(`I${r}`).protection?.locked).toBe(false);
      for (const col of ['A', 'B', 'C', 'D', 'E', 'F', 'H']) expect(ws.getCell(`${col}${r}`).protection?.locked).not.toBe(false);
    }
    expect(ws.getCell('A2').protection?.locked).not.toBe(false);
    expect(ws.getCell('E2').protection?.locked).not.toBe(false);
  });

  test('累計完成 accepts only non-negative numbers (rates between 0 and 100%), with Chinese messages', () => {
    const count = ws.getCell('G5').dataValidation;
    expect(count).toMatchObject({ type: 'decimal', operator: 'greaterThanOrEqual', showErrorMessage: true, showInputMessage: true });
    expect(Number(count.formulae[0])).toBe(0);
    expect(count.prompt).toContain('2024-09-30');
    expect(count.prompt).toContain('個');
    expect(count.error).toMatch(/不小於0/);
    const rate = ws.getCell('G8').dataValidation;
    expect(rate).toMatchObject({ type: 'decimal', operator: 'between' });
    expect(rate.formulae.map(Number)).toEqual([0, 1]);
  });

  test('frozen header, widths for Chinese text, A4 landscape with the header repeated on each page', () => {
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(ws.getColumn(3).width).toBeGreaterThanOrEqual(30);
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1 });
    expect(ws.pageSetup.printTitlesRow).toBe('4:4');
  });

  test('a 填報說明 sheet explains how to fill it, and is not taken for a submission', async () => {
    const help = await sheetGrid(file, INSTRUCTIONS_SHEET);
    const text = help.values.flat().join('\n');
    expect(text).toMatch(/累計完成/);
    expect(text).toMatch(/留空/);
    expect(text).toMatch(/5\(4\)個/);
    expect(detectSubmission(help)).toBe(false);
  });

  test('an untouched template is a submission with nothing reported: blank is never zero', async () => {
    const grid = await sheetGrid(file);
    expect(detectSubmission(grid)).toBe(true);
    const { submissions, issues } = readSubmissions(grid, plan);
    expect(issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(submissions).toEqual([{ district: '上城區', asOf: '2024-09-30', layout: 'template', rows: [] }]);
  });
});

describe('round trip', () => {
  const plan = smallPlan();

  test('numbers typed into a template by hand read back exactly', async () => {
    const file = out('富陽區.xlsx');
    const layout = await writeTemplate(plan, '富阳区', '2024-06-30', file, { lang: 'zh-TW' });
    // A clerk opens the file and types into 累計完成 and 備註.
    const typed: Record<string, number> = { '1-1': 4, '9-1': 0.812, '23-1': 6.5, '26-1': 5, '29-1': 1, '29-2': 3, '29-3': 0 };
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet(TEMPLATE_SHEET)!;
    for (const row of layout.rows) {
      ws.getCell(row.completedCell).value = typed[row.metricId];
      if (row.metricId === '29-3') ws.getCell(row.noteCell).value = '線路方案待批復';
    }
    await wb.xlsx.writeFile(file);

    const { submissions, issues } = readSubmissions(await sheetGrid(file), plan);
    expect(issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(submissions).toHaveLength(1);
    const [s] = submissions;
    expect(s.district).toBe('富陽區');
    expect(s.asOf).toBe('2024-06-30');
    expect(Object.fromEntries(s.rows.map((r) => [r.metricId, r.completed]))).toEqual(typed);
    expect(s.rows.find((r) => r.metricId === '29-3')).toMatchObject({ completed: 0, note: '線路方案待批復' });
    expect(s.rows.map((r) => r.cell)).toEqual(layout.rows.map((r) => r.completedCell));
  });

  test('values filled in by the writer (as the demo generator does) read back exactly, blanks stay unreported', async () => {
    const file = out('淳安縣.xlsx');
    const completed = { '1-1': 3, '8-1': 1, '8-2': null, '9-1': 0.8, '23-1': 21.4 };
    await writeTemplate(plan, '淳安縣', '2024-05-31', file, { lang: 'zh-TW', fill: { completed } });
    const { submissions, issues } = readSubmissions(await sheetGrid(file), plan);
    expect(issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(submissions[0].rows.map((r) => [r.metricId, r.completed])).toEqual([
      ['1-1', 3],
      ['8-1', 1],
      ['9-1', 0.8],
      ['23-1', 21.4],
    ]);
  });
});

test('the same template written twice is the same bytes (samples do not churn, reloads are recognised)', async () => {
  const plan = smallPlan();
  const fill = { completed: { '1-1': 3, '9-1': 0.8 } };
  // Written at two clock times a year apart (only Date is faked; timers and I/O run as usual): zip entry
  // times and document properties must not depend on when the file was made.
  jest.useFakeTimers({ doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
  try {
    jest.setSystemTime(new Date('2024-03-01T08:00:00Z'));
    await writeTemplate(plan, '淳安縣', '2024-09-30', out('same-1.xlsx'), { lang: 'zh-TW', fill });
    jest.setSystemTime(new Date('2025-07-15T17:45:33Z'));
    await writeTemplate(plan, '淳安縣', '2024-09-30', out('same-2.xlsx'), { lang: 'zh-TW', fill });
  } finally {
    jest.useRealTimers();
  }
  expect(fs.readFileSync(out('same-1.xlsx')).equals(fs.readFileSync(out('same-2.xlsx')))).toBe(true);
});

describe('writeTemplate refuses what it cannot write', () => {
  const plan = smallPlan();
  test('a district with no target, an unknown district, a date outside the plan year', async () => {
    await expect(writeTemplate(plan, '拱墅區', '2024-09-30', out('x1.xlsx'), { lang: 'zh-TW' })).rejects.toThrow(/拱墅區.*沒有/);
    await expect(writeTemplate(plan, '東城區', '2024-09-30', out('x2.xlsx'), { lang: 'zh-TW' })).rejects.toThrow(/無法識別/);
    await expect(writeTemplate(plan, '上城區', '2023-09-30', out('x3.xlsx'), { lang: 'zh-TW' })).rejects.toThrow(/2024/);
    expect(fs.existsSync(out('x1.xlsx'))).toBe(false);
  });
});

describe("the template in the reader's script (issue 10)", () => {
  const plan = smallPlan();

  /** Every text of a template a clerk reads: cells, prompts and errors, footer, sheet names, instructions; the plan's data taken out. */
  function wordsOf(lang: Lang): string {
    const layout = templateLayout(plan, '富陽區', '2024-06-30', { lang });
    const data = [
      CITY,
      layout.district,
      layout.districtAsWritten,
      ...plan.projects.map((p) => p.name),
      ...plan.metrics.flatMap((m) => [m.label, m.unit]),
      ...layout.cells.flatMap((c) => (c.row > 4 && typeof c.value === 'string' ? [c.value] : [])),
    ].filter((d) => d !== '');
    const texts = [
      layout.sheet,
      layout.instructionsSheet,
      layout.print.centerFooter,
      ...layout.instructions,
      ...layout.cells.flatMap((c) => (typeof c.value === 'string' ? [c.value] : [])),
      ...layout.validations.flatMap((v) => [v.promptTitle, v.prompt, v.errorTitle, v.error]),
    ];
    return texts.map((text) => data.reduce((rest, d) => rest.split(d).join(' '), text)).join('\n');
  }

  test("simplified holds no traditional-only character and traditional no simplified-only one, apart from the plan's data", () => {
    const cn = wordsOf('zh-CN');
    const tw = wordsOf('zh-TW');
    expect(cn).toContain('进度报送表');
    expect(tw).toContain('進度報送表');
    expect(traditionalOnly(cn)).toEqual([]);
    expect(simplifiedOnly(tw)).toEqual([]);
  });

  test("traditional templates speak Taiwan's Excel (儲存格, 資料, 欄, 列印), simplified ones the mainland's", () => {
    const mainland = ['單元格', '數據', '打印', '列寬', '撤銷', '審閱', '設置'];
    // The areas of the sheets the product hands to districts: this template and the 點位 list.
    for (const [id, text] of Object.entries({ ...TEMPLATE, ...SITES })) expect([id, mainland.filter((w) => text.includes(w))]).toEqual([id, []]);
    const cn = wordsOf('zh-CN');
    for (const word of ['黄色单元格', '尚无数据', '打印设置', '审阅 → 撤销工作表保护', '「单位」列']) expect(cn).toContain(word);
    const tw = wordsOf('zh-TW');
    for (const word of ['黃色儲存格', '尚無資料', '列印設定', '校閱 → 取消保護工作表', '「單位」欄']) expect(tw).toContain(word);
  });

  test('a template written in zh-CN and one in zh-TW, filled in alike, read back as the same submission', async () => {
    const typed: Record<string, number> = { '1-1': 4, '9-1': 0.812, '23-1': 6.5, '26-1': 5, '29-1': 1, '29-2': 3, '29-3': 0 };
    const read = async (lang: Lang) => {
      const file = out(`富陽區-${lang}.xlsx`);
      const layout = await writeTemplate(plan, '富陽區', '2024年6月30日', file, { lang });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      expect(wb.worksheets.map((w) => w.name)).toEqual([templateSheetName(lang), instructionsSheetName(lang)]);
      const ws = wb.getWorksheet(layout.sheet)!;
      for (const row of layout.rows) {
        ws.getCell(row.completedCell).value = typed[row.metricId];
        if (row.metricId === '29-3') ws.getCell(row.noteCell).value = '線路方案待批復';
      }
      await wb.xlsx.writeFile(file);
      return readSubmissions(await sheetGrid(file, layout.sheet), plan);
    };
    const cn = await read('zh-CN');
    const tw = await read('zh-TW');
    expect(cn.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(cn.submissions).toHaveLength(1);
    expect(cn.submissions[0]).toMatchObject({ district: '富陽區', asOf: '2024-06-30', layout: 'template' });
    expect(Object.fromEntries(cn.submissions[0].rows.map((r) => [r.metricId, r.completed]))).toEqual(typed);
    expect(cn).toEqual(tw);
  });

  test('a template sent out before the wording changed (單元格, 數據) still reads back as the one written now', async () => {
    const samplePlan = analysePlanSheets(await sampleGrids()).assembled.plan;
    const old = await sheetGrid(path.join(ROOT, 'tests/fixtures/templates/上城區-2024-09-30-舊版.xlsx'));
    expect(String(old.values[2][0])).toContain('黃色單元格');
    const now = await sheetGrid(path.join(SUBMISSIONS_DIR, '2024-09', '上城區.xlsx'));
    expect(String(now.values[2][0])).toContain('黃色儲存格');
    const before = readSubmissions(old, samplePlan);
    expect(before.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(before.submissions[0]).toMatchObject({ district: '上城區', asOf: '2024-09-30' });
    expect(before.submissions[0].rows.length).toBeGreaterThan(20);
    expect(before).toEqual(readSubmissions(now, samplePlan));
  });
});
