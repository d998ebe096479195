// The add-in's real code (addin/workflows.ts and addin/excel/*) against the fake Excel host: reading
// sheets gives the pipeline's grids; 校驗 marks exactly the cells core names and takes its marks away
// again; 規範化 backs up first, writes what the ExcelJS adapter writes, and changes nothing the second
// time; the template drawn with Office.js is the template `minsheng template` writes; and a workbook
// of 10,000 rows costs the same few syncs as the sample.
import { deflateSync, crc32 } from 'node:zlib';
import { Resvg } from '@resvg/resvg-js';
import ExcelJS from 'exceljs';
import { columnLetter, gridFromRows, type CellValue, type Grid } from '../core/grid';
import { analysePlanSheets } from '../core/workbook';
import { normalisePlan } from '../core/normalise';
import { readSubmissions } from '../core/submission';
import { renderIssue, sortIssues } from '../core/issues';
import { templateSheetName } from '../core/templateLayout';
import { buildTemplate } from '../pipeline/template';
import { readWorkbookBytes } from '../pipeline/xlsx/readWorkbook';
import { applyEditPlan as applyWithExcelJS } from '../pipeline/xlsx/applyEditPlan';
import { readActiveSheet, readGrids, listSheets, type SheetMemory } from '../addin/excel/readSheets';
import { MARK_FILL, markTag, MARKS_SETTING } from '../addin/excel/marks';
import { CHART_SHEET } from '../addin/excel/chartImages';
import { ServiceClient } from '../addin/service';
import { paneLang, setPaneLang } from '../addin/paneLang';
import { explain } from '../addin/taskpane/explain';
import * as workflows from '../addin/workflows';
import { createFakeHost, installFakeHost, sheetContent, workbookFromGrids, type FakeHost, type HostOptions } from './helpers/fakeExcel/host';
import { keyCol, keyRow, newSheet as newSheetModel } from './helpers/fakeExcel/model';
import { fakeWorkbookToXlsx, gridsOfFile } from './helpers/fakeExcel/xlsx';
import { COMBINED_FILE } from './helpers/samples';
import { reportGrid } from './helpers/submissionGrids';
import { breakdownOf } from './helpers/breakdownGrid';
import { smallPlan } from './helpers/submissionPlan';

// These tests read the pane's traditional-script text (the sample is traditional); tests/addin-browser.test.ts runs both.
setPaneLang('zh-TW');
const TEMPLATE_SHEET = templateSheetName('zh-TW');

jest.setTimeout(120_000);

let sampleGrids: Grid[];
beforeAll(async () => {
  sampleGrids = await gridsOfFile(COMBINED_FILE);
});

function host(grids: readonly Grid[], options: HostOptions = {}): FakeHost {
  const h = createFakeHost(workbookFromGrids(structuredClone(grids)), { fileBytes: fakeWorkbookToXlsx, ...options });
  installFakeHost(h);
  return h;
}

/** Syncs of the run: what the clerk waits for. */
async function counting<T>(h: FakeHost, work: () => Promise<T>): Promise<{ result: T; syncs: number }> {
  const before = h.workbook.syncs;
  const result = await work();
  return { result, syncs: h.workbook.syncs - before };
}

/** The sheets as the add-in reads them (through the adapter, from the fake). */
async function readBack(names?: string[]): Promise<Grid[]> {
  return Excel.run(async (context) => {
    const book = await listSheets(context as unknown as Excel.RequestContext);
    return (await readGrids(context as unknown as Excel.RequestContext, names ?? book.sheets.map((s) => s.name), { merges: true, notes: true, comments: true })).grids;
  });
}

const withoutFormulas = (g: Grid): Grid => {
  const { formulas: _formulas, ...rest } = g;
  return { ...rest, values: rest.values.map((row) => row.map((v) => (v === '' ? null : v))) };
};

function cellOf(grid: Grid, address: string): { row: number; col: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(address)!;
  let col = 0;
  for (const ch of m[1]) col = col * 26 + ch.charCodeAt(0) - 64;
  return { row: Number(m[2]) - grid.origin.row, col: col - grid.origin.col };
}

function setValue(grid: Grid, address: string, value: CellValue): void {
  const { row, col } = cellOf(grid, address);
  grid.values[row][col] = value;
}

/** A PNG of noise (it does not compress), about width × height × 3 bytes; the same seed, the same bytes. */
function bigPng(width: number, height: number, seed: number): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  let x = seed * 2654435761;
  for (let i = 0; i < raw.length; i++) {
    if (i % (width * 3 + 1) === 0) continue; // filter byte 0
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    raw[i] = x >>> 24;
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 0 })), chunk('IEND', Buffer.alloc(0))]);
}

/** A cell key of the fake's model as "F5". */
function a1Key(k: number): string {
  return `${columnLetter(keyCol(k))}${keyRow(k)}`;
}

// ---------------------------------------------------------------------------------------------

describe('the fake behaves as Office.js does for wrong call orders', () => {
  test('a property read before load and sync fails; after them it is there', async () => {
    host(sampleGrids);
    await Excel.run(async (context) => {
      const range = context.workbook.worksheets.getItem('附件2').getRange('B5');
      expect(() => range.values).toThrow(/load/);
      range.load('values');
      expect(() => range.values).toThrow(/load/);
      await context.sync();
      expect(range.values).toEqual([['新增老年助餐服務點227個']]);
    });
  });

  test('a missing sheet fails at sync; getItemOrNullObject says isNullObject after sync', async () => {
    host(sampleGrids);
    await Excel.run(async (context) => {
      const missing = context.workbook.worksheets.getItemOrNullObject('不存在');
      expect(() => missing.isNullObject).toThrow();
      await context.sync();
      expect(missing.isNullObject).toBe(true);
      context.workbook.worksheets.getItem('不存在').getRange('A1').values = [[1]];
      await expect(context.sync()).rejects.toMatchObject({ code: 'ItemNotFound' });
    });
  });

  test('writing part of a merged area, a locked cell of a protected sheet, a data: image, a note where there is a note or a comment: refused', async () => {
    host(sampleGrids, { apiVersion: '1.18' });
    await Excel.run(async (context) => {
      const ws = context.workbook.worksheets.getItem('附件2');
      ws.getRange('A1:B2').values = [[1, 2], [3, 4]];
      await expect(context.sync()).rejects.toMatchObject({ code: 'InvalidOperation' });
      ws.shapes.addImage('data:image/png;base64,iVBORw0KGgo=');
      await expect(context.sync()).rejects.toMatchObject({ code: 'InvalidArgument' });
      ws.notes.add('B5', 'x');
      ws.notes.add('B5', 'y');
      await expect(context.sync()).rejects.toMatchObject({ code: 'InvalidArgument' });
      // One of a note and a threaded comment per cell, either way round.
      context.workbook.comments.add("'附件2'!C5", '請核對');
      await context.sync();
      ws.notes.add('C5', 'x');
      await expect(context.sync()).rejects.toMatchObject({ code: 'InvalidArgument', message: expect.stringMatching(/threaded comment/) });
      context.workbook.comments.add("'附件2'!B5", '請核對');
      await expect(context.sync()).rejects.toMatchObject({ code: 'InvalidArgument', message: expect.stringMatching(/note/) });
      ws.protection.protect({ allowFormatCells: false });
      ws.getRange('B6').values = [['改']];
      await expect(context.sync()).rejects.toMatchObject({ code: 'AccessDenied' });
    });
  });

  test('an API above the host requirement set is not there; a string is read as if typed', async () => {
    host(sampleGrids, { apiVersion: '1.9' });
    await Excel.run(async (context) => {
      expect(() => context.workbook.worksheets.getItem('附件2').notes).toThrow(/1\.18/);
      const ws = context.workbook.worksheets.getItem('附件2');
      ws.getRange('Z1:Z3').values = [['1-1'], ["'1-1"], ['10']];
      const back = ws.getRange('Z1:Z3');
      back.load('values');
      await context.sync();
      expect(typeof back.values[0][0]).toBe('number');
      expect(back.values[1][0]).toBe('1-1');
      expect(back.values[2][0]).toBe(10);
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('reading sheets', () => {
  test('the adapter reads the grids the pipeline reads from the same file, in one sync', async () => {
    const h = host(sampleGrids);
    const { result, syncs } = await counting(h, () =>
      Excel.run((context) => readGrids(context as unknown as Excel.RequestContext, ['附件1', '附件2'], { merges: true, notes: true, comments: true })),
    );
    expect(syncs).toBe(1);
    expect(result.grids.map(withoutFormulas)).toEqual(sampleGrids.map(withoutFormulas));
    expect(result.grids.find((g) => g.sheet === '附件2')!.merges.length).toBeGreaterThan(10);
  });

  test('a 1904-date-system workbook: the grids say so, in the same sync, and its 截至日期 reads as the day Excel shows', async () => {
    // The file as a Mac Excel saves it: workbook.xml's date1904="1", the date stored as a 1904 serial.
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    const ws = wb.addWorksheet('進度報送表');
    const report = reportGrid({ meta: [['填報單位：上城區', null, null, '截至日期：'], []] });
    report.values.forEach((row, i) => row.forEach((v, j) => v !== null && (ws.getCell(i + 1, j + 1).value = v)));
    ws.getCell('E1').value = new Date(Date.UTC(2024, 9, 7));
    ws.getCell('E1').numFmt = 'yyyy-mm-dd';
    const fromFile = (await readWorkbookBytes(Buffer.from(await wb.xlsx.writeBuffer()), 'mac.xlsx')).sheets;
    expect(fromFile[0].date1904).toBe(true);
    const h = host(fromFile);
    expect(h.workbook.date1904).toBe(true);
    const { result, syncs } = await counting(h, () => Excel.run((context) => readGrids(context as unknown as Excel.RequestContext, ['進度報送表'], { merges: true, notes: true, comments: true })));
    expect(syncs).toBe(1);
    expect(result.grids.map(withoutFormulas)).toEqual(fromFile.map(withoutFormulas));
    expect(readSubmissions(result.grids[0], smallPlan()).submissions[0]).toMatchObject({ district: '上城區', asOf: '2024-10-07' });
    const active = await Excel.run((context) => readActiveSheet(context as unknown as Excel.RequestContext, { merges: true, notes: true, comments: true }));
    expect(active.grid.date1904).toBe(true);
    // A workbook on the 1900 system says nothing: the same cells, the same grid as before.
    const plain = host(fromFile.map(({ date1904: _system, ...g }) => g));
    const read1900 = await Excel.run((context) => readGrids(context as unknown as Excel.RequestContext, ['進度報送表'], { merges: true, notes: true, comments: true }));
    expect(plain.workbook.date1904).toBe(false);
    expect(read1900.grids[0].date1904).toBeUndefined();
  });

  test('more than 512 merged areas: read again band by band, every area found once', async () => {
    const rows: CellValue[][] = [];
    const merges = [];
    for (let i = 0; i < 700; i++) {
      rows.push([i + 1, `項目${i + 1}`, 'a'], [null, null, 'b']);
      merges.push({ top: 2 * i + 1, left: 1, bottom: 2 * i + 2, right: 1 }, { top: 2 * i + 1, left: 2, bottom: 2 * i + 2, right: 2 });
    }
    const grid = gridFromRows('合併很多', rows, { merges });
    const h = host([grid]);
    const { result, syncs } = await counting(h, () => Excel.run((context) => readGrids(context as unknown as Excel.RequestContext, ['合併很多'], { merges: true, notes: true, comments: true })));
    expect(result.grids[0].merges).toEqual(merges);
    expect(result.notices).toEqual([]);
    // Refused, read without merges, the bands, and one look across the bands' edges where areas meet.
    expect(syncs).toBe(4);
  });

  test.each(['clipped', 'top-left'] as const)('merged areas across the bands (reported %s) are joined again; areas that only touch stay apart', async (mergedAreas) => {
    // A tall sheet (bands of 25 rows) and a wide one (bands of one row, 512 columns), each with more than 512 areas.
    const tall: CellValue[][] = Array.from({ length: 1200 }, (_, i) => Array.from({ length: 20 }, (_, j) => (j === 0 || j === 19 ? `第${i + 1}行` : null)));
    const tallMerges = [
      ...Array.from({ length: 400 }, (_, i) => ({ top: 3 * i + 1, left: 1, bottom: 3 * i + 3, right: 1 })),
      ...Array.from({ length: 600 }, (_, i) => ({ top: 2 * i + 1, left: 2, bottom: 2 * i + 2, right: 2 })),
      { top: 1, left: 3, bottom: 25, right: 4 },
      { top: 26, left: 3, bottom: 50, right: 4 },
      { top: 30, left: 5, bottom: 80, right: 8 },
    ];
    const wide: CellValue[][] = Array.from({ length: 6 }, (_, i) => Array.from({ length: 600 }, (_, j) => (j === 0 || j === 599 ? `第${i + 1}行` : null)));
    const wideMerges = [
      ...Array.from({ length: 300 }, (_, j) => ({ top: 1, left: 2 * j + 1, bottom: 1, right: 2 * j + 2 })),
      ...Array.from({ length: 300 }, (_, j) => ({ top: 2, left: 2 * j + 1, bottom: 2, right: 2 * j + 2 })),
      { top: 3, left: 510, bottom: 3, right: 515 },
      { top: 4, left: 505, bottom: 6, right: 520 },
    ];
    const h = host([gridFromRows('很高', tall, { merges: tallMerges }), gridFromRows('很寬', wide, { merges: wideMerges })], { mergedAreas });
    const { result } = await counting(h, () => Excel.run((context) => readGrids(context as unknown as Excel.RequestContext, ['很高', '很寬'], { merges: true, notes: true, comments: true })));
    const sorted = (m: { top: number; left: number }[]) => [...m].sort((a, b) => a.top - b.top || a.left - b.left);
    expect(result.notices).toEqual([]);
    expect(result.grids[0].merges).toEqual(sorted(tallMerges));
    expect(result.grids[1].merges).toEqual(sorted(wideMerges));
  });

  test('a sheet too large for one 5 MB answer is read in bands and comes back whole', async () => {
    const rows: CellValue[][] = Array.from({ length: 40_000 }, (_, i) => Array.from({ length: 10 }, (_, j) => `第${i + 1}行第${j + 1}列的文字內容`));
    const h = host([gridFromRows('很大', rows)]);
    const { result } = await counting(h, () => Excel.run((context) => readGrids(context as unknown as Excel.RequestContext, ['很大'], { merges: true, notes: true, comments: true })));
    expect(result.grids[0].values.length).toBe(40_000);
    expect(result.grids[0].values[39_999][9]).toBe('第40000行第10列的文字內容');
    expect(h.workbook.largestAnswer).toBeLessThanOrEqual(5 * 1024 * 1024);
  });

  test('without merge support (ExcelApi 1.9) the sheet is still read, and the clerk is told', async () => {
    const h = host(sampleGrids, { apiVersion: '1.9' });
    const outcome = await workflows.validateWorkbook();
    expect(outcome.notices.join()).toMatch(/合併儲存格/);
    expect(h.workbook.sheets.length).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------

describe('the active sheet', () => {
  test('says what the sheet is, and says it again when the clerk switches sheets', async () => {
    const blank = gridFromRows('備忘', [['隨手記的東西']]);
    const h = host([...sampleGrids, blank]);
    expect(await workflows.describeActiveSheet()).toMatchObject({ sheet: '附件1', kind: 'responsibility', label: '附件1 責任清單' });
    const seen: string[] = [];
    let bothSeen: () => void = () => undefined;
    const twoDescriptions = new Promise<void>((resolve) => (bothSeen = resolve));
    await workflows.watchActiveSheet(
      () =>
        void workflows.describeActiveSheet().then((d) => {
          if (seen.push(d.label) === 2) bothSeen();
        }),
    );
    await h.workbook.activate('附件2');
    await h.workbook.activate('備忘');
    await twoDescriptions;
    expect(seen).toEqual(['附件2 任務分解表', '不是本系統的表']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('校驗', () => {
  function faulty(): Grid[] {
    const grids = structuredClone(sampleGrids);
    setValue(grids[1], 'F5', '待定'); // 上城區's target of project 1
    return grids;
  }

  test('finds what the pipeline finds, marks each offending cell with a fill and a note', async () => {
    const grids = faulty();
    const h = host(grids);
    // The clerk had coloured the cell and written a note elsewhere.
    h.workbook.sheet('附件2').cells.get(5 * 20_000 + 6)!.fill = { color: '#00B0F0', pattern: 'Solid' };
    h.workbook.sheet('附件2').notes.push({ cell: 'C5', content: '待與民政局核對', author: '王' });
    const outcome = await workflows.validateWorkbook();
    expect(outcome.issues).toEqual(sortIssues(analysePlanSheets(grids).issues).map((i) => renderIssue(i, paneLang())));
    const error = outcome.issues.find((i) => i.cell === 'F5' && i.sheet === '附件2')!;
    expect(error).toMatchObject({ severity: 'error' });
    expect(h.workbook.cell('附件2', 'F5')!.fill).toEqual({ color: MARK_FILL.error, pattern: 'Solid' });
    const note = h.workbook.sheet('附件2').notes.find((n) => n.cell === 'F5')!;
    expect(note.content.startsWith(markTag())).toBe(true);
    expect(note.content).toContain(error.message);
    // A warning is marked in its own colour; the clerk's note is untouched.
    const warning = outcome.issues.find((i) => i.severity === 'warning' && i.cell)!;
    expect(h.workbook.cell(warning.sheet, warning.cell!)!.fill!.color).toBe(MARK_FILL.warning);
    expect(h.workbook.sheet('附件2').notes.find((n) => n.cell === 'C5')!.content).toBe('待與民政局核對');
    expect(outcome.marked).toBe(new Set(outcome.issues.filter((i) => i.cell && i.severity !== 'info').map((i) => `${i.sheet}!${i.cell}`)).size);
  });

  test('a second run clears only its own marks: the fixed cell gets its own fill back, the clerk’s note stays', async () => {
    const h = host(faulty());
    const cell = h.workbook.cell('附件2', 'F5')!;
    cell.fill = { color: '#00B0F0', pattern: 'Solid' };
    h.workbook.sheet('附件2').notes.push({ cell: 'C5', content: '待與民政局核對', author: '王' });
    await workflows.validateWorkbook();
    h.workbook.type('附件2', 'F5', '10個');
    const again = await workflows.validateWorkbook();
    expect(again.issues.some((i) => i.cell === 'F5')).toBe(false);
    expect(again.cleared).toBeGreaterThan(0);
    expect(h.workbook.cell('附件2', 'F5')!.fill).toEqual({ color: '#00B0F0', pattern: 'Solid' });
    expect(h.workbook.sheet('附件2').notes.map((n) => n.cell)).not.toContain('F5');
    expect(h.workbook.sheet('附件2').notes.find((n) => n.cell === 'C5')!.content).toBe('待與民政局核對');
    // Clearing everything leaves no mark and no record.
    await workflows.clearValidationMarks();
    const marked = h.workbook.sheets.flatMap((s) => [...s.cells.values()].filter((c) => c.fill?.color === MARK_FILL.error || c.fill?.color === MARK_FILL.warning));
    expect(marked).toEqual([]);
    expect(h.workbook.sheets.flatMap((s) => s.notes).filter((n) => n.content.startsWith(markTag()))).toEqual([]);
    expect(h.workbook.settings.has(MARKS_SETTING)).toBe(false);
  });

  test('where notes are missing (ExcelApi 1.10) the explanation is a comment, and it goes away too', async () => {
    const h = host(faulty(), { apiVersion: '1.13' });
    await workflows.validateWorkbook();
    const comment = h.workbook.comments.find((c) => c.cell === 'F5')!;
    expect(comment.content.startsWith(markTag())).toBe(true);
    await workflows.clearValidationMarks();
    expect(h.workbook.comments).toEqual([]);
  });

  test('a cell holding the clerk’s threaded comment is filled and keeps its comment; the others get their notes (Excel allows one of the two)', async () => {
    const h = host(faulty());
    const sheetId = h.workbook.sheet('附件2').id;
    h.workbook.comments.push({ id: 'clerk-1', sheetId, cell: 'F5', content: '@王科長 這個目標待定，等區裡回覆' });
    const { result: outcome, syncs } = await counting(h, () => workflows.validateWorkbook());
    expect(h.workbook.cell('附件2', 'F5')!.fill!.color).toBe(MARK_FILL.error);
    expect(h.workbook.comments).toEqual([{ id: 'clerk-1', sheetId, cell: 'F5', content: '@王科長 這個目標待定，等區裡回覆' }]);
    expect(h.workbook.sheet('附件2').notes.map((n) => n.cell)).not.toContain('F5');
    const others = new Set(outcome.issues.filter((i) => i.cell && i.severity !== 'info' && !(i.sheet === '附件2' && i.cell === 'F5')).map((i) => `${i.sheet}!${i.cell}`));
    expect(others.size).toBeGreaterThan(0);
    const noted = new Set(h.workbook.sheets.flatMap((s) => s.notes.filter((n) => n.content.startsWith(markTag())).map((n) => `${s.name}!${n.cell}`)));
    expect(noted).toEqual(others);
    expect(outcome.notices).toEqual([]);
    // The one comment costs one sync to find where it is, nothing more.
    expect(syncs).toBe(5);
    await workflows.clearValidationMarks();
    expect(h.workbook.comments.map((c) => c.id)).toEqual(['clerk-1']);
    expect(h.workbook.cell('附件2', 'F5')!.fill).toBeUndefined();
  });

  test('our own note on a cell the record forgot is updated in place, not added a second time', async () => {
    const h = host(faulty());
    await workflows.validateWorkbook();
    const before = h.workbook.sheet('附件2').notes.filter((n) => n.content.startsWith(markTag())).length;
    h.workbook.settings.delete(MARKS_SETTING);
    h.workbook.sheet('附件2').notes.find((n) => n.cell === 'F5')!.content = `${markTag()}\n過時的說明`;
    const again = await workflows.validateWorkbook();
    expect(again.notices).toEqual([]);
    const notes = h.workbook.sheet('附件2').notes.filter((n) => n.content.startsWith(markTag()));
    expect(notes.length).toBe(before);
    expect(notes.find((n) => n.cell === 'F5')!.content).not.toContain('過時的說明');
    expect(notes.find((n) => n.cell === 'F5')!.content).toContain(again.issues.find((i) => i.cell === 'F5' && i.sheet === '附件2')!.message);
  });

  test('below ExcelApi 1.18 a note cannot be seen, and Excel refuses a comment on it: every cell is still filled, the note kept, the clerk told', async () => {
    const h = host(faulty(), { apiVersion: '1.13' });
    h.workbook.sheet('附件2').notes.push({ cell: 'F5', content: '待與民政局核對', author: '王' });
    const { result: outcome } = await counting(h, () => workflows.validateWorkbook());
    const cells = new Set(outcome.issues.filter((i) => i.cell && i.severity !== 'info').map((i) => `${i.sheet}!${i.cell}`));
    const filled = new Set(h.workbook.sheets.flatMap((s) => [...s.cells.entries()].filter(([, c]) => c.fill?.color === MARK_FILL.error || c.fill?.color === MARK_FILL.warning).map(([k]) => `${s.name}!${a1Key(k)}`)));
    expect(filled).toEqual(cells);
    expect(outcome.marked).toBe(cells.size);
    expect(h.workbook.sheet('附件2').notes).toEqual([{ cell: 'F5', content: '待與民政局核對', author: '王' }]);
    expect(h.workbook.comments.filter((c) => c.content.startsWith(markTag()))).toEqual([]);
    expect(outcome.notices).toEqual([expect.stringMatching(new RegExp(`^有${cells.size}個儲存格的說明（附註或批註）未能寫入`))]);
    // The next run takes these marks away as exactly as any other.
    h.workbook.type('附件2', 'F5', '10個');
    await workflows.clearValidationMarks();
    expect(h.workbook.sheets.flatMap((s) => [...s.cells.values()].filter((c) => c.fill?.color === MARK_FILL.error || c.fill?.color === MARK_FILL.warning))).toEqual([]);
    expect(h.workbook.sheet('附件2').notes).toEqual([{ cell: 'F5', content: '待與民政局核對', author: '王' }]);
  });

  test('a refused explanation on a protected sheet leaves it protected and filled, and is not called a password', async () => {
    const plan = smallPlan();
    const h = host([gridFromRows('Sheet1', [['']])], { apiVersion: '1.13' });
    await workflows.createTemplate(plan, '上城區', '2024-09-30', 'zh-TW');
    h.workbook.type(TEMPLATE_SHEET, 'G5', '待定');
    h.workbook.sheet(TEMPLATE_SHEET).notes.push({ cell: 'G5', content: '區裡還沒報', author: '李' });
    const outcome = await workflows.validateWorkbook({ plan: async () => plan });
    expect(h.workbook.cell(TEMPLATE_SHEET, 'G5')!.fill!.color).toBe(MARK_FILL.error);
    expect(h.workbook.sheet(TEMPLATE_SHEET).protection.protected).toBe(true);
    expect(outcome.notices.join()).not.toMatch(/密碼/);
    expect(outcome.notices.join()).toMatch(/只塗了顏色/);
  });

  test('a 進度報送表 without a plan at hand is not judged, and the clerk is told why', async () => {
    const plan = smallPlan();
    const h = host([gridFromRows('Sheet1', [['']])]);
    await workflows.createTemplate(plan, '上城區', '2024-09-30', 'zh-TW');
    h.workbook.type(TEMPLATE_SHEET, 'G5', '待定');
    const offline = await workflows.validateWorkbook({
      plan: async () => {
        throw new Error('連不上民生實事服務（https://svc）。');
      },
    });
    expect(offline.issues).toEqual([]);
    expect(offline.notices).toEqual(['進度報送表未能校驗：連不上民生實事服務（https://svc）。']);
    const unset = await workflows.validateWorkbook();
    expect(unset.notices.join()).toMatch(/需要年度計劃/);
  });

  test('a protected sheet (the template, no password) is marked and protected again', async () => {
    const plan = smallPlan();
    const h = host([gridFromRows('Sheet1', [['']])]);
    await workflows.createTemplate(plan, '上城區', '2024-09-30', 'zh-TW');
    h.workbook.type(TEMPLATE_SHEET, 'G5', '待定');
    const outcome = await workflows.validateWorkbook({ plan: async () => plan });
    expect(outcome.issues.find((i) => i.cell === 'G5')).toMatchObject({ severity: 'error', code: 'not-a-number' });
    expect(h.workbook.cell(TEMPLATE_SHEET, 'G5')!.fill!.color).toBe(MARK_FILL.error);
    expect(h.workbook.sheet(TEMPLATE_SHEET).protection.protected).toBe(true);
    h.workbook.type(TEMPLATE_SHEET, 'G5', 7);
    await workflows.validateWorkbook({ plan: async () => plan });
    // Back to the template's yellow input fill.
    expect(h.workbook.cell(TEMPLATE_SHEET, 'G5')!.fill!.color).toBe('#FFF2CC');
  });
});

// ---------------------------------------------------------------------------------------------

describe('規範化', () => {
  function messy(): Grid[] {
    const grids = structuredClone(sampleGrids);
    setValue(grids[1], 'F4', '上 城'); // district header as clerks type it
    setValue(grids[1], 'C5', '２２７個'); // full-width digits
    setValue(grids[1], 'B6', '新增認知障礙照護專區床位1000張 ');
    return grids;
  }

  test('backs up each changed sheet first, whole; writes what the ExcelJS adapter writes; adds 規範數據 as a table', async () => {
    const grids = messy();
    const h = host(grids);
    const original = sheetContent(h.workbook.sheet('附件2'));
    const outcome = await workflows.normaliseWorkbook();
    expect(outcome.noPlanSheets).toBe(false);
    const edit = outcome.edits.find((e) => e.sheet === '附件2')!;
    expect(edit.backupAs).toBe('附件2(原始)');
    expect(edit.firstChanges.map((c) => c.cell)).toEqual(expect.arrayContaining(['F4', 'C5', 'B6']));
    expect(sheetContent(h.workbook.sheet('附件2(原始)'))).toEqual(original);
    expect(h.workbook.names()).toEqual(['附件1', '附件1(原始)', '附件2', '附件2(原始)', '規範數據']);

    // The pipeline's adapter, given the same plan, makes the same sheets.
    const analysis = analysePlanSheets(grids);
    const plan = normalisePlan({ grids, breakdown: analysis.breakdown, responsibility: analysis.responsibility, plan: analysis.assembled.plan });
    const file = await readWorkbookBytes(Buffer.from(await fakeWorkbookToXlsx(workbookFromGrids(grids))), 'messy.xlsx');
    applyWithExcelJS(file.workbook, plan);
    const expected = (await readWorkbookBytes(Buffer.from(await file.workbook.xlsx.writeBuffer()), 'out.xlsx')).sheets;
    const actual = await readBack();
    for (const name of ['附件1', '附件2', '規範數據']) {
      expect(withoutFormulas(actual.find((g) => g.sheet === name)!)).toEqual(withoutFormulas(expected.find((g) => g.sheet === name)!));
    }
    const tidy = h.workbook.sheet('規範數據');
    expect(tidy.tables.map((t) => t.name)).toEqual(['Normalised_Targets']);
    expect(tidy.frozenRows).toBe(1);
    expect(h.workbook.value('規範數據', 'A2')).toBe('1-1');
  });

  test('normalising twice changes nothing the second time', async () => {
    const h = host(messy());
    await workflows.normaliseWorkbook();
    const before = h.workbook.sheets.map((s) => [s.name, sheetContent(s)]);
    const second = await workflows.normaliseWorkbook();
    expect(second.edits).toEqual([]);
    expect(second.newSheets).toEqual([]);
    expect(h.workbook.sheets.map((s) => [s.name, sheetContent(s)])).toEqual(before);
  });

  test('a 規範數據 changed by hand is written again in its place; a foreign sheet of that name is never overwritten', async () => {
    const h = host(messy());
    await workflows.normaliseWorkbook();
    h.workbook.type('規範數據', 'F2', 999);
    await h.workbook.activate('附件1');
    const again = await workflows.normaliseWorkbook();
    expect(again.newSheets.map((s) => s.name)).toEqual(['規範數據']);
    expect(h.workbook.names()).toEqual(['附件1', '附件1(原始)', '附件2', '附件2(原始)', '規範數據']);
    expect(h.workbook.value('規範數據', 'F2')).not.toBe(999);
    expect(h.workbook.sheet('規範數據').tables.map((t) => t.name)).toEqual(['Normalised_Targets']);

    const own = host([...messy(), gridFromRows('規範數據', [['我自己的筆記']])]);
    await expect(workflows.normaliseWorkbook()).rejects.toThrow(/不是本系統生成的/);
    expect(own.workbook.value('規範數據', 'A1')).toBe('我自己的筆記');
    expect(own.workbook.names()).not.toContain('附件2(原始)');
  });

  test('clears the marks of an earlier 校驗 before the backup is taken', async () => {
    const grids = messy();
    setValue(grids[1], 'G5', '待定');
    const h = host(grids);
    await workflows.validateWorkbook();
    expect(h.workbook.cell('附件2', 'G5')!.fill?.color).toBe(MARK_FILL.error);
    await workflows.normaliseWorkbook();
    expect(h.workbook.cell('附件2(原始)', 'G5')!.fill).toBeUndefined();
    expect(h.workbook.sheet('附件2(原始)').notes).toEqual([]);
  });

  test('a workbook without 附件1 or 附件2 is left alone', async () => {
    const h = host([gridFromRows('Sheet1', [['姓名', '電話'], ['張三', 123]])]);
    const outcome = await workflows.normaliseWorkbook();
    expect(outcome.noPlanSheets).toBe(true);
    expect(h.workbook.names()).toEqual(['Sheet1']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('sync counts do not grow with the sheet', () => {
  /** 校驗 then 規範化, as the pane runs them: it has described the active sheet, so it knows the sheets. */
  async function paneRuns(h: FakeHost) {
    const memory: SheetMemory = {};
    const described = await counting(h, () => workflows.describeActiveSheet({ memory }));
    const validate = await counting(h, () => workflows.validateWorkbook({ memory }));
    const normalise = await counting(h, () => workflows.normaliseWorkbook({ memory }));
    return { described, validate, normalise };
  }

  test('校驗 and 規範化 of 10,000 rows use the syncs they use for 20: two each', async () => {
    const small = await paneRuns(host([breakdownOf(20)]));
    const large = host([breakdownOf(10_000)]);
    const { described, validate, normalise } = await paneRuns(large);

    expect(validate.result.issues.some((i) => i.cell === 'F4' && i.severity === 'error')).toBe(true);
    expect(validate.result.marked).toBeGreaterThan(0);
    // One row per metric with a target; the unreadable 「待定」 gives its metric none.
    expect(normalise.result.newSheets[0].rows).toBe(9_999);
    expect(large.workbook.value('附件2', 'C10002')).toBe(((10_000 % 9) + 1));
    // The backup is clean: 校驗's mark went before the copy.
    expect(large.workbook.cell('附件2(原始)', 'F4')?.fill).toBeUndefined();
    expect([described.syncs, validate.syncs, normalise.syncs]).toEqual([small.described.syncs, small.validate.syncs, small.normalise.syncs]);
    // The active sheet and the list of sheets: one sync.
    expect(described.syncs).toBe(1);
    // 校驗: the sheets with a look at the earlier marks' cells, then the marks.
    expect(validate.syncs).toBe(2);
    // 規範化: the sheets, then the marks taken away, the backups, the writes and 規範數據.
    expect(normalise.syncs).toBe(2);
    expect(large.workbook.largestRequest).toBeLessThan(5 * 1024 * 1024);
  });

  test('without the pane having looked, the list of sheets comes first: one sync more', async () => {
    const h = host([breakdownOf(20)]);
    const validate = await counting(h, () => workflows.validateWorkbook());
    const normalise = await counting(h, () => workflows.normaliseWorkbook());
    expect([validate.syncs, normalise.syncs]).toEqual([3, 3]);
  });

  test('a sheet added since the pane looked is read too (one sync more); one deleted since costs a second try', async () => {
    const h = host([breakdownOf(20)]);
    const memory: SheetMemory = {};
    await workflows.describeActiveSheet({ memory });
    h.workbook.sheets.push(newSheetModel('新表'));
    const added = await counting(h, () => workflows.validateWorkbook({ memory }));
    expect(added.result.sheets.map((s) => s.sheet)).toEqual(['附件2', '新表']);
    expect(added.syncs).toBe(3);
    h.workbook.sheets.splice(1, 1);
    const deleted = await counting(h, () => workflows.validateWorkbook({ memory: { sheets: [...memory.sheets!, { ...memory.sheets![0], id: 'gone', name: '已刪除' }] } }));
    expect(deleted.result.sheets.map((s) => s.sheet)).toEqual(['附件2']);
    expect(deleted.syncs).toBe(4);
  });

  test('the sample workbook: the same few syncs', async () => {
    const { validate, normalise } = await paneRuns(host(sampleGrids));
    expect(validate.syncs).toBe(2);
    expect(normalise.syncs).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------

describe('生成報送表', () => {
  test('the template drawn with Office.js is the template `minsheng template` writes', async () => {
    const plan = analysePlanSheets(sampleGrids).assembled.plan;
    const h = host(sampleGrids);
    const made = await workflows.createTemplate(plan, '上城', '2024年6月30日', 'zh-TW');
    expect(made).toMatchObject({ sheet: TEMPLATE_SHEET, district: '上城區', asOf: '2024-06-30', addedInstructions: true });
    const { workbook } = buildTemplate(plan, '上城區', '2024-06-30', { lang: 'zh-TW' });
    const fromExcelJS = (await readWorkbookBytes(Buffer.from(await workbook.xlsx.writeBuffer()), 'template.xlsx')).sheets;
    const fromOfficeJs = await readBack([TEMPLATE_SHEET, '填報說明']);
    for (const name of [TEMPLATE_SHEET, '填報說明']) {
      expect(withoutFormulas(fromOfficeJs.find((g) => g.sheet === name)!)).toEqual(withoutFormulas(fromExcelJS.find((g) => g.sheet === name)!));
    }
    const sheet = h.workbook.sheet(TEMPLATE_SHEET);
    expect(sheet.protection.protected).toBe(true);
    expect(sheet.frozenRows).toBe(4);
    expect(h.workbook.cell(TEMPLATE_SHEET, 'G5')).toMatchObject({ locked: false, fill: { color: '#FFF2CC' } });
    expect(h.workbook.cell(TEMPLATE_SHEET, 'H5')!.formula).toBe('=IF(G5="","",G5/E5)');
    expect(h.workbook.active.name).toBe(TEMPLATE_SHEET);
    expect(h.workbook.selection).toMatchObject({ address: 'G5' });
  });

  test('typed into, the template reads back as the numbers typed; a second template gets its own name', async () => {
    const plan = smallPlan();
    const h = host([gridFromRows('Sheet1', [['']])]);
    await workflows.createTemplate(plan, '上城區', '2024-09-30', 'zh-TW');
    h.workbook.type(TEMPLATE_SHEET, 'G5', 7);
    h.workbook.type(TEMPLATE_SHEET, 'G8', '81%');
    expect(h.workbook.value(TEMPLATE_SHEET, 'H5')).toBeCloseTo(0.7);
    const outcome = await workflows.validateWorkbook({ plan: async () => plan });
    expect(outcome.submissions).toEqual([expect.objectContaining({ district: '上城區', asOf: '2024-09-30', rows: [expect.objectContaining({ metricId: '1-1', completed: 7 }), expect.objectContaining({ metricId: '9-1', completed: 0.81 })] })]);
    const again = await workflows.createTemplate(plan, '上城區', '2024-10-31', 'zh-TW');
    expect(again.sheet).toBe(`${TEMPLATE_SHEET} (2)`);
    expect(again.addedInstructions).toBe(false);
  });

  test('in simplified script (a pane in zh-CN) the template is written in simplified, reads back the same, and the workbook keeps one 填報說明', async () => {
    const plan = smallPlan();
    const h = host([gridFromRows('Sheet1', [['']])]);
    const made = await workflows.createTemplate(plan, '上城區', '2024-09-30', 'zh-CN');
    expect(made).toMatchObject({ sheet: '进度报送表', district: '上城區', addedInstructions: true });
    expect(h.workbook.value('进度报送表', 'A2')).toBe('填报单位：上城區');
    expect(h.workbook.value('填报说明', 'A1')).toBe('填报说明');
    h.workbook.type('进度报送表', 'G5', 7);
    const outcome = await workflows.validateWorkbook({ plan: async () => plan });
    expect(outcome.submissions).toEqual([expect.objectContaining({ district: '上城區', asOf: '2024-09-30', rows: [expect.objectContaining({ metricId: '1-1', completed: 7 })] })]);
    // A traditional template added later finds the simplified 填报说明 and adds none of its own.
    expect(await workflows.createTemplate(plan, '上城區', '2024-10-31', 'zh-TW')).toMatchObject({ sheet: TEMPLATE_SHEET, addedInstructions: false });
    expect(h.workbook.names().filter((n) => /說明|说明/.test(n))).toEqual(['填报说明']);
    expect(workflows.describeGrid(gridFromRows('填报说明', [['填报说明']]))).toMatchObject({ own: true });
  });

  test('a district without targets or a date outside the plan year: said in Chinese, nothing added', async () => {
    const h = host([gridFromRows('Sheet1', [['']])]);
    await expect(workflows.createTemplate(smallPlan(), '拱墅區', '2024-09-30', 'zh-TW')).rejects.toThrow(/拱墅區.*沒有/);
    await expect(workflows.createTemplate(smallPlan(), '上城區', '2023-09-30', 'zh-TW')).rejects.toThrow(/2024/);
    expect(h.workbook.names()).toEqual(['Sheet1']);
  });
});

// ---------------------------------------------------------------------------------------------

describe('提交 and 插入圖表 (service answers stubbed; the browser test uses the real service)', () => {
  function stubFetch(answer: (url: string, init?: RequestInit) => Response) {
    const calls: { url: string; init?: RequestInit }[] = [];
    const fetchImpl = async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      return answer(url, init);
    };
    return { calls, fetchImpl };
  }

  test('提交 sends the workbook as .xlsx bytes with the token and file name; the file reads back as the template typed', async () => {
    const plan = smallPlan();
    const h = host([gridFromRows('Sheet1', [['']])]);
    h.workbook.url = 'C:\\報送\\上城區 9月.xlsx';
    await workflows.createTemplate(plan, '上城區', '2024-09-30', 'zh-TW');
    h.workbook.type(TEMPLATE_SHEET, 'G5', 7);
    const stub = stubFetch(() => new Response(JSON.stringify({ verdict: 'loaded', submissions: [{ district: '上城區', asOf: '2024-09-30', rows: 1, status: 'loaded' }], issues: [] }), { status: 200 }));
    const client = new ServiceClient({ url: 'https://svc.example', token: 'msk_abc' }, stub.fetchImpl);
    const outcome = await workflows.submitWorkbook(client);
    expect(outcome).toMatchObject({ kind: 'accepted', verdict: 'loaded', fileName: '上城區 9月.xlsx' });
    const { url, init } = stub.calls[0];
    expect(url).toBe('https://svc.example/api/submissions');
    const headers = new Headers(init!.headers);
    expect(headers.get('authorization')).toBe('Bearer msk_abc');
    expect(decodeURIComponent(headers.get('x-file-name')!)).toBe('上城區 9月.xlsx');
    const sent = await readWorkbookBytes(Buffer.from(init!.body as ArrayBuffer), 'sent.xlsx');
    const report = sent.sheets.find((g) => g.sheet === TEMPLATE_SHEET)!;
    expect(readSubmissions(report, plan).submissions[0].rows).toEqual([expect.objectContaining({ metricId: '1-1', completed: 7 })]);
  });

  test('a refusal comes back with its issues; a wrong token and an unreachable service are said in words', async () => {
    host([gridFromRows('Sheet1', [['x']])]);
    const refused = stubFetch(() => new Response(JSON.stringify({ verdict: 'rejected', reason: '有 1 個錯誤，整份文件未載入', issues: [{ code: 'x', severity: 'error', sheet: '進度報送表', cell: 'G5', message: 'G5：不是數字' }] }), { status: 422 }));
    expect(await workflows.submitWorkbook(new ServiceClient({ url: 'https://svc', token: 't' }, refused.fetchImpl))).toMatchObject({ kind: 'refused', reason: '有 1 個錯誤，整份文件未載入', issues: [{ cell: 'G5' }] });
    const wrong = stubFetch(() => new Response(JSON.stringify({ error: '令牌無效或已被撤銷' }), { status: 401 }));
    await expect(workflows.submitWorkbook(new ServiceClient({ url: 'https://svc', token: 't' }, wrong.fetchImpl))).rejects.toThrow(/令牌不對或已失效/);
    const down = new ServiceClient({ url: 'https://svc', token: 't' }, async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(workflows.submitWorkbook(down)).rejects.toThrow(/連不上民生實事服務/);
  });

  test('提交 on Excel for iPad (no File or CompressedFile requirement set) says so in words, before reading anything', async () => {
    host([gridFromRows('Sheet1', [['x']])], { platform: 'iOS' });
    const stub = stubFetch(() => new Response('{}', { status: 200 }));
    const attempt = workflows.submitWorkbook(new ServiceClient({ url: 'https://svc', token: 't' }, stub.fetchImpl));
    await expect(attempt).rejects.toThrow(/iPad/);
    expect(explain(await attempt.catch((e: unknown) => e))).toMatch(/^這個Excel（例如iPad版）不能把整個工作簿交給加載項/);
    expect(stub.calls).toEqual([]);
  });

  test('two large charts go in one request each, under Excel on the web’s 5 MB; one too large for any request is refused by name, the sheet untouched', async () => {
    const h = host(sampleGrids);
    const big = bigPng(1200, 700, 1); // ≈2.5 MB of picture, ≈3.4 MB as base64
    const other = bigPng(1200, 700, 2);
    let answer = big;
    const stub = stubFetch((url) => new Response(url.includes('ranking') ? answer : other, { status: 200, headers: { 'Content-Type': 'image/png' } }));
    const client = new ServiceClient({ url: 'https://svc', token: 't' }, stub.fetchImpl);
    const done = await workflows.insertCharts(client, '2024-09-30');
    expect(done.pictures).toEqual(['minsheng-chart-ranking', 'minsheng-chart-lag-heatmap']);
    expect(h.workbook.sheet(CHART_SHEET).shapes.map((s) => s.image.length)).toEqual([Math.ceil(big.length / 3) * 4, Math.ceil(other.length / 3) * 4]);
    expect(h.workbook.largestRequest).toBeLessThan(5 * 1024 * 1024);

    answer = bigPng(1600, 1000, 3); // ≈4.8 MB of picture: no request can carry it
    const before = sheetContent(h.workbook.sheet(CHART_SHEET));
    const shapes = h.workbook.sheet(CHART_SHEET).shapes.map((s) => s.name);
    const refused = await workflows.insertCharts(client, '2024-10-31').catch((e: unknown) => e);
    expect(explain(refused)).toMatch(/^圖表「區縣排名」的圖片有6\.\d MB，超過Excel一次能接收的4\.0 MB/);
    expect(explain(refused)).not.toMatch(/工作表太大/);
    expect(sheetContent(h.workbook.sheet(CHART_SHEET))).toEqual(before);
    expect(h.workbook.sheet(CHART_SHEET).shapes.map((s) => s.name)).toEqual(shapes);
  });

  test('插入圖表 puts both pictures on 圖表 and replaces them the next time, leaving the clerk’s own picture', async () => {
    const png = Buffer.from(new Resvg('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="400"><rect width="800" height="400" fill="#107C41"/></svg>').render().asPng());
    const h = host(sampleGrids);
    const stub = stubFetch(() => new Response(png, { status: 200, headers: { 'Content-Type': 'image/png' } }));
    const client = new ServiceClient({ url: 'https://svc', token: 't' }, stub.fetchImpl);
    const first = await workflows.insertCharts(client, '2024-09-30');
    expect(first).toMatchObject({ sheet: CHART_SHEET, replaced: 0 });
    expect(stub.calls.map((c) => new URL(c.url).pathname)).toEqual(['/api/charts/ranking.png', '/api/charts/lag-heatmap.png']);
    const sheet = h.workbook.sheet(CHART_SHEET);
    sheet.shapes.push({ id: 'mine', name: '我的圖', type: 'Image', image: '', left: 0, top: 0, width: 10, height: 10, lockAspectRatio: true });
    const second = await workflows.insertCharts(client, '2024-10-31');
    expect(second.replaced).toBe(2);
    expect(sheet.shapes.map((s) => s.name).sort()).toEqual(['minsheng-chart-lag-heatmap', 'minsheng-chart-ranking', '我的圖']);
    expect(h.workbook.value(CHART_SHEET, 'A1')).toContain('2024-10-31');
    const ranking = sheet.shapes.find((s) => s.name === 'minsheng-chart-ranking')!;
    expect(ranking.width).toBeLessThanOrEqual(720);
    expect(ranking.height / ranking.width).toBeCloseTo(400 / 800, 2);
  });
});

