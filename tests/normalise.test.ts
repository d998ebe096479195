// Normalisation of the sample workbook: applied through the ExcelJS adapter, written,
// read back: same plan, numbers with units in formats, backups equal to the originals, idempotent.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { forEachWrite, isEmptyPlan } from '../core/editPlan';
import { type CellRange } from '../core/grid';
import { normalisePlan } from '../core/normalise';
import { readTidy, TIDY_SHEET } from '../core/tidy';
import { analysePlanSheets } from '../core/workbook';
import { applyEditPlan, writeBytesCopy } from '../pipeline/xlsx/applyEditPlan';
import { editedCopy } from '../pipeline/xlsx/editedCopy';
import { readWorkbook, readWorkbookBytes } from '../pipeline/xlsx/readWorkbook';
import { COMBINED_FILE, findCell, getCell, sampleGrids, sheetOf } from './helpers/samples';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-normalise-'));

/** As `minsheng normalise` does it: the plan applied to the file's parts (through ExcelJS when the parts are unusual). */
async function normaliseFile(input: string, output: string) {
  const wb = await readWorkbook(input);
  const analysis = analysePlanSheets(wb.sheets);
  const plan = normalisePlan({ grids: wb.sheets, breakdown: analysis.breakdown, responsibility: analysis.responsibility, plan: analysis.assembled.plan });
  const copy = await editedCopy(wb, plan);
  await writeBytesCopy(copy.bytes, output, input);
  return { before: wb.sheets, analysis, plan, via: copy.via };
}

describe('normalise the sample workbook', () => {
  const once = path.join(dir, 'once.xlsx');
  const twice = path.join(dir, 'twice.xlsx');
  let first: Awaited<ReturnType<typeof normaliseFile>>;
  let after: Awaited<ReturnType<typeof readWorkbook>>;

  beforeAll(async () => {
    first = await normaliseFile(COMBINED_FILE, once);
    after = await readWorkbook(once);
  });

  test('the copy is made on the file’s parts and reads back as the copy ExcelJS makes of the same plan', async () => {
    expect(first.via).toBe('parts');
    const wb = await readWorkbook(COMBINED_FILE);
    applyEditPlan(wb.workbook, first.plan);
    const viaModel = (await readWorkbookBytes(Buffer.from(await wb.workbook.xlsx.writeBuffer()), 'model.xlsx')).sheets;
    const withoutFormulas = (g: (typeof viaModel)[number]) => ({ ...g, formulas: undefined });
    expect(after.sheets.map(withoutFormulas)).toEqual(viaModel.map(withoutFormulas));
  });

  test('the plan is the same after normalisation, with no errors', () => {
    const again = analysePlanSheets(after.sheets);
    expect(again.sheets.map((s) => [s.sheet, s.kind])).toEqual([
      ['附件1', 'responsibility'],
      ['附件2', 'breakdown'],
      ['附件1(原始)', 'backup'],
      ['附件2(原始)', 'backup'],
      [TIDY_SHEET, 'tidy'],
    ]);
    expect(again.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(again.assembled.plan).toEqual(first.analysis.assembled.plan);
  });

  test('quantities are numbers with the unit in the number format; "--" is empty; names canonical', () => {
    const a2 = sheetOf(after.sheets, '附件2');
    const header = findCell(a2, '上城區');
    const row = findCell(a2, '新增老年助餐服務點227個').row;
    const cell = { row, col: header.col };
    expect(getCell(a2, cell)).toBe(10);
    expect(a2.formats[row - a2.origin.row][header.col - a2.origin.col]).toBe('0"個"');
    const city = findCell(a2, '市本級');
    expect(getCell(a2, { row, col: city.col })).toBeNull();
    const p5 = findCell(a2, '全市長期護理保險投保人數達到859萬人').row;
    expect(getCell(a2, { row: p5, col: header.col })).toBe(890000);
    expect(getCell(a2, findCell(a2, '序號'))).toBe('序號');
    expect(getCell(a2, header)).toBe('上城區');
  });

  test('the originals are kept as backup sheets, unchanged', () => {
    for (const name of ['附件1', '附件2']) {
      const original = sheetOf(first.before, name);
      const backup = sheetOf(after.sheets, `${name}(原始)`);
      expect(backup.values).toEqual(original.values);
      expect(backup.merges).toEqual(original.merges);
      expect(backup.origin).toEqual(original.origin);
    }
  });

  test('the tidy sheet re-reads to the same metrics and targets', () => {
    const tidy = readTidy(sheetOf(after.sheets, TIDY_SHEET));
    const plan = first.analysis.assembled.plan;
    expect(tidy.targets).toEqual(expect.arrayContaining(plan.targets));
    expect(tidy.targets).toHaveLength(plan.targets.length);
    expect(tidy.metrics.map(({ id, label, unit, kind, cityTarget }) => ({ id, label, unit, kind, cityTarget }))).toEqual(
      plan.metrics.map(({ id, label, unit, kind, cityTarget }) => ({ id, label, unit, kind, cityTarget })),
    );
  });

  test('normalising a normalised workbook changes nothing', async () => {
    const second = await normaliseFile(once, twice);
    expect(isEmptyPlan(second.plan)).toBe(true);
    const reread = await readWorkbook(twice);
    expect(reread.sheets.map((s) => s.sheet)).toEqual(after.sheets.map((s) => s.sheet));
    for (const sheet of after.sheets) expect(sheetOf(reread.sheets, sheet.sheet).values).toEqual(sheet.values);
  });
});

describe('the edit plan comes in blocks', () => {
  const inside = (m: CellRange, r: CellRange) => m.top >= r.top && m.bottom <= r.bottom && m.left >= r.left && m.right <= r.right;
  const touches = (m: CellRange, r: CellRange) => m.left <= r.right && r.left <= m.right && m.top <= r.bottom && r.top <= m.bottom;

  test('every change of the messy sample is in a block; no block covers part of a merged area', async () => {
    const grids = await sampleGrids();
    const a2 = sheetOf(grids, '附件2');
    // Full-width digits and stray spaces in cells next to the merged 序號 and 項目名稱 areas.
    for (let r = 4; r < a2.values.length; r++) {
      const row = a2.values[r];
      for (let c = 4; c < row.length; c++) if (typeof row[c] === 'number') row[c] = `${row[c]} 個`.replace(/\d/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
    }
    const analysis = analysePlanSheets(grids);
    const plan = normalisePlan({ grids, breakdown: analysis.breakdown, responsibility: analysis.responsibility, plan: analysis.assembled.plan });
    const edit = plan.edits.find((e) => e.sheet === '附件2')!;
    let written = 0;
    let mergesHeld = 0;
    for (const block of edit.blocks) {
      const area = { top: block.row, left: block.col, bottom: block.row + block.values.length - 1, right: block.col + block.values[0].length - 1 };
      for (const m of a2.merges) if (touches(m, area)) expect({ merge: m, area, whole: inside(m, area) }).toEqual({ merge: m, area, whole: true });
      mergesHeld += a2.merges.filter((m) => inside(m, area)).length;
      forEachWrite(block, () => written++);
    }
    expect(written).toBe(edit.changeCount);
    expect(mergesHeld).toBeGreaterThan(0);
    expect(edit.changeCount).toBeGreaterThan(300);
    // A few rectangles, not one object per cell.
    expect(edit.blocks.length).toBeLessThan(10);
    expect(edit.firstChanges.length).toBeLessThanOrEqual(100);
    expect(Object.values(edit.reasonCounts).reduce((x, y) => x + y, 0)).toBe(edit.changeCount);
  });
});

describe('a 附件2 typed without merged cells', () => {
  test('a project’s later row keeps its empty 序號 and its own name: normalising the copy again changes nothing', async () => {
    // As an analyst's export has it: 序號 only on a project's first row, each row naming its own metric.
    const input = path.join(dir, 'unmerged.xlsx');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('附件2').addRows([
      ['序號', '項目名稱', '量化目標', '牽頭單位', '上城區', '拱墅區', '西湖區'],
      ['1', '新增老年助餐服務點', '30個', '市民政局', '10 個', '--', '20個'],
      [null, '改造提升老年食堂', '5家', '市民政局', '2家', '3 家', '--'],
      [2, '改造提升農貿市場', '５家', '市商務局', '2家', '3 家', '--'],
    ]);
    await wb.xlsx.writeFile(input);
    const once = path.join(dir, 'unmerged-once.xlsx');
    const first = await normaliseFile(input, once);
    const labels = (a: typeof first.analysis) => a.assembled.plan.metrics.map((m) => [m.id, m.label]);
    expect(labels(first.analysis)).toEqual([
      ['1-1', '新增老年助餐服務點'],
      ['1-2', '改造提升老年食堂'],
      ['2-1', '改造提升農貿市場'],
    ]);
    const normalised = sheetOf((await readWorkbook(once)).sheets, '附件2');
    expect(normalised.values.slice(1).map((r) => r[0])).toEqual([1, null, 2]);
    const second = await normaliseFile(once, path.join(dir, 'unmerged-twice.xlsx'));
    expect(isEmptyPlan(second.plan)).toBe(true);
    expect(labels(second.analysis)).toEqual(labels(first.analysis));
  });
});
