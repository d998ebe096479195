// The 點位 sheet in Excel (addin/excel/siteSheet.ts against the fake Excel host): the sheet drawn with
// Office.js is the sheet `minsheng sites template` writes, with the same drop-downs, date and coordinate
// rules and protection; typed into, it reads back as a site list; the pane recognises it.
import { gridFromRows, type Grid } from '../core/grid';
import { readSiteWorkbook } from '../core/sites/readSites';
import { listSheets, readGrids } from '../addin/excel/readSheets';
import * as workflows from '../addin/workflows';
import { buildSiteTemplate } from '../pipeline/sites/siteTemplate';
import { readWorkbookBytes } from '../pipeline/xlsx/readWorkbook';
import { createFakeHost, installFakeHost, workbookFromGrids, type FakeHost } from './helpers/fakeExcel/host';
import { fakeWorkbookToXlsx } from './helpers/fakeExcel/xlsx';
import { SMALL_PLAN } from './helpers/reference/fixtures';

function host(grids: readonly Grid[]): FakeHost {
  const h = createFakeHost(workbookFromGrids(structuredClone(grids)), { fileBytes: fakeWorkbookToXlsx });
  installFakeHost(h);
  return h;
}

async function readBack(names: string[]): Promise<Grid[]> {
  return Excel.run(async (context) => {
    await listSheets(context as unknown as Excel.RequestContext);
    return (await readGrids(context as unknown as Excel.RequestContext, names, { merges: true, notes: false, comments: false })).grids;
  });
}

/** Formula results aside (the fake computes no VLOOKUP across sheets; Excel does), "" and null alike. */
const withoutFormulas = (g: Grid): Grid => {
  const { formulas, ...rest } = g;
  const isFormula = (r: number, c: number) => formulas?.[`${String.fromCharCode(64 + c + rest.origin.col)}${r + rest.origin.row}`] !== undefined;
  return { ...rest, values: rest.values.map((row, r) => row.map((v, c) => (v === '' || isFormula(r, c) ? null : v))) };
};

test('the 點位 sheet drawn with Office.js is the sheet `minsheng sites template` writes', async () => {
  const h = host([gridFromRows('Sheet1', [['']])]);
  const made = await workflows.createSiteSheet(SMALL_PLAN, '上城', 'zh-TW');
  expect(made).toEqual({ sheet: '點位清單', metricsSheet: '指標清單', district: '上城區', districtAsWritten: '上城區', rows: 53 });
  const { workbook } = buildSiteTemplate(SMALL_PLAN, '上城區', 'zh-TW');
  const fromExcelJS = (await readWorkbookBytes(Buffer.from(await workbook.xlsx.writeBuffer()), 'sites.xlsx')).sheets;
  const fromOfficeJs = await readBack(['點位清單', '指標清單', '點位填報說明']);
  for (const name of ['點位清單', '指標清單', '點位填報說明']) {
    expect([name, withoutFormulas(fromOfficeJs.find((g) => g.sheet === name)!)]).toEqual([name, withoutFormulas(fromExcelJS.find((g) => g.sheet === name)!)]);
  }
  const sheet = h.workbook.sheet('點位清單');
  expect(sheet.protection.protected).toBe(true);
  expect(h.workbook.sheet('指標清單').protection.protected).toBe(true);
  expect(h.workbook.cell('點位清單', 'B5')).toMatchObject({ locked: false, validation: { rule: { list: { source: "='指標清單'!$A$2:$A$4" } } } });
  expect(h.workbook.cell('點位清單', 'I34')).toMatchObject({ validation: { rule: { list: { source: '未開工,在建,完成' } } } });
  expect(h.workbook.cell('點位清單', 'G5')).toMatchObject({ validation: { rule: { date: { formula1: '2024-01-01', formula2: '2024-12-31' } } } });
  expect(h.workbook.cell('點位清單', 'K5')).toMatchObject({ validation: { rule: { decimal: { formula1: 118.3, formula2: 120.8 } } } });
  expect(h.workbook.cell('點位清單', 'C5')?.locked).not.toBe(false);
  expect(h.workbook.cell('點位清單', 'C5')?.formula).toContain("VLOOKUP(B5,'指標清單'!$A$2:$C$4,2,FALSE)");
  expect(h.workbook.selection).toMatchObject({ address: 'B5' });
});

test('typed into, it reads back as the district\'s site list; a second one gets its own sheet names', async () => {
  const h = host([gridFromRows('Sheet1', [['']])]);
  await workflows.createSiteSheet(SMALL_PLAN, '上城區', 'zh-CN');
  for (const [cell, value] of [['B5', '1-1'], ['E5', '湖滨食堂'], ['F5', '解放路1号'], ['G5', '2024-03-01'], ['H5', '2024-10-31'], ['I5', '在建']] as const) h.workbook.type('点位清单', cell, value);
  const grids = await readBack(['点位清单']);
  const [reading] = readSiteWorkbook(grids, SMALL_PLAN);
  expect(reading.issues).toEqual([]);
  expect(reading.sites).toEqual([{ row: 5, metricId: '1-1', name: '湖滨食堂', address: '解放路1号', plannedStart: '2024-03-01', plannedFinish: '2024-10-31', status: 'in_progress' }]);
  expect((await workflows.describeActiveSheet()).label).toBe('点位清单'); // the pane's language: simplified unless Office or 設定 says otherwise
  const again = await workflows.createSiteSheet(SMALL_PLAN, '上城區', 'zh-CN');
  expect(again).toMatchObject({ sheet: '点位清单 (2)', metricsSheet: '指标清单 (2)' });
  expect(h.workbook.cell('点位清单 (2)', 'B5')).toMatchObject({ validation: { rule: { list: { source: "='指标清单 (2)'!$A$2:$A$4" } } } });
});

test('a district without count targets: said in Chinese, nothing added', async () => {
  const h = host([gridFromRows('Sheet1', [['']])]);
  await expect(workflows.createSiteSheet({ ...SMALL_PLAN, targets: SMALL_PLAN.targets.filter((t) => t.district !== '西湖區' || t.metricId === '2-1') }, '西湖區', 'zh-TW')).rejects.toThrow(/西湖區在2024年計劃中沒有/);
  expect(h.workbook.names()).toEqual(['Sheet1']);
});
