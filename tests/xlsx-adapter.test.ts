// The ExcelJS adapter: zip guard, workbook → grids, edit plan → workbook → file. Test workbooks are built
// with ExcelJS in a temp dir; broken and hostile files are crafted byte by byte with a tiny zip writer.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import * as yauzl from 'yauzl';
import type { EditPlan } from '../core/editPlan';
import { parseDateValue } from '../core/dates';
import { GridView, type CellValue, type Grid } from '../core/grid';
import { parseMetricId, readSubmissions } from '../core/submission';
import { checkZip, UnreadableWorkbookError, type UnreadableReasonCode } from '../pipeline/xlsx/zipGuard';
import { readWorkbook, readWorkbookBytes } from '../pipeline/xlsx/readWorkbook';
import { readGridsFromXml } from '../pipeline/xlsx/xmlWorkbook';
import { goodRows, HEADER } from './helpers/submissionGrids';
import { smallPlan } from './helpers/submissionPlan';
import { applyEditPlan, EditPlanError, tableHeaders, writeBytesCopy, writeWorkbookCopy } from '../pipeline/xlsx/applyEditPlan';
import { patchWorkbook } from '../pipeline/xlsx/patchWorkbook';
import type { WorkbookGrids } from '../pipeline/xlsx/readWorkbook';
import { XlsxPackage } from '../pipeline/xlsx/xlsxPackage';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-xlsx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// Zip helpers

interface ZipPart {
  name: string;
  data: Buffer | string;
  /** Lie about the inflated size in the headers. */
  declaredSize?: number;
}

function makeZip(parts: ZipPart[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const p of parts) {
    const data = Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data, 'utf8');
    const packed = deflateRawSync(data);
    const name = Buffer.from(p.name, 'utf8');
    const size = p.declaredSize ?? data.length;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(packed.length, 20);
    entry.writeUInt32LE(size, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    chunks.push(local, name, packed);
    central.push(entry, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...chunks, cd, end]);
}

async function unzipAll(bytes: Buffer): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(bytes, { lazyEntries: true });
  const parts = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    if (entry.fileName.endsWith('/')) continue;
    const stream = await zip.openReadStreamPromise(entry);
    const data: Buffer[] = [];
    for await (const c of stream) data.push(c as Buffer);
    parts.set(entry.fileName, Buffer.concat(data));
  }
  return parts;
}

function rezip(parts: Map<string, Buffer>, changes: Record<string, string | Buffer | null> = {}): Buffer {
  const out: ZipPart[] = [];
  for (const [name, data] of parts) if (!(name in changes)) out.push({ name, data });
  for (const [name, data] of Object.entries(changes)) if (data !== null) out.push({ name, data });
  return makeZip(out);
}

async function toBytes(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function rejection(p: Promise<unknown>): Promise<UnreadableWorkbookError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof UnreadableWorkbookError) return e;
    throw new Error(`expected UnreadableWorkbookError, got ${String(e)}`);
  }
  throw new Error('expected the file to be refused');
}

// ---------------------------------------------------------------------------------------------
// A sample progress sheet: data starts at B3, merged title, rich text, a date, formulas (one shared), errors

const REPORT_DATE = new Date(Date.UTC(2024, 8, 30)); // 2024-09-30, Excel serial 45565

function buildSample(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('進度報送');
  ws.getCell('B3').value = '2024年杭州市民生實事項目進度報送表';
  ws.mergeCells('B3:F3');
  ws.getCell('B4').value = { richText: [{ text: '填報單位：' }, { text: '上城區', font: { bold: true } }] };
  ws.getCell('D4').value = REPORT_DATE;
  ws.getCell('D4').numFmt = 'yyyy-mm-dd';
  ['指標編號', '項目名稱', '年度目標', '累計完成', '完成率'].forEach((h, i) => (ws.getCell(5, 2 + i).value = h));
  ws.getCell('B6').value = '1-1';
  ws.getCell('C6').value = '新增老年助餐服務點';
  ws.mergeCells('C6:C7'); // one project, two rows
  ws.getCell('B7').value = '1-2';
  ws.getCell('D6').value = 10;
  ws.getCell('D7').value = 0;
  ws.getCell('E6').value = 6;
  ws.getCell('E7').value = '待定';
  ws.getCell('F6').value = { formula: 'E6/D6', result: 0.6, shareType: 'shared', ref: 'F6:F7' } as ExcelJS.CellValue;
  ws.getCell('F7').value = { sharedFormula: 'F6', result: { error: '#DIV/0!' } } as unknown as ExcelJS.CellValue;
  ws.getCell('F6').numFmt = '0%';
  ws.getCell('G6').value = { error: '#REF!' } as ExcelJS.CellValue;
  ws.getCell('G7').value = { text: '說明', hyperlink: 'https://example.org/說明' };
  ws.getCell('B8').value = true;
  ws.getCell('E6').note = '截至9月底';
  // Same fill on both cells: ExcelJS will load them sharing one style object.
  for (const a of ['D6', 'D7']) ws.getCell(a).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
  ws.getColumn(3).width = 30;
  ws.getRow(6).height = 28;
  const hidden = wb.addWorksheet('設置');
  hidden.state = 'hidden';
  hidden.getCell('A1').value = '上城區';
  wb.addWorksheet('空白');
  return wb;
}

let sampleBytes: Buffer;
let samplePath: string;

beforeAll(async () => {
  sampleBytes = await toBytes(buildSample());
  samplePath = path.join(dir, '進度報送表.xlsx');
  fs.writeFileSync(samplePath, sampleBytes);
});

function sheet(grids: Grid[], name: string): Grid {
  const g = grids.find((s) => s.sheet === name);
  if (!g) throw new Error(`no sheet ${name}`);
  return g;
}

// ---------------------------------------------------------------------------------------------

describe('reading a workbook into grids', () => {
  test('the used range starts where the data starts, not at A1', async () => {
    const wb = await readWorkbook(samplePath);
    const g = sheet(wb.sheets, '進度報送');
    expect(g.origin).toEqual({ row: 3, col: 2 });
    const v = new GridView(g);
    expect(v.lastRow).toBe(8);
    expect(v.lastCol).toBe(7);
    expect(g.values.every((r) => r.length === g.values[0].length)).toBe(true);
    expect(g.formats.map((r) => r.length)).toEqual(g.values.map((r) => r.length));
  });

  test('merged areas are listed absolute, and only their top-left cell holds the value', async () => {
    const g = sheet((await readWorkbook(samplePath)).sheets, '進度報送');
    expect(g.merges).toEqual([
      { top: 3, left: 2, bottom: 3, right: 6 },
      { top: 6, left: 3, bottom: 7, right: 3 },
    ]);
    const v = new GridView(g);
    expect(v.raw(3, 2)).toBe('2024年杭州市民生實事項目進度報送表');
    expect(v.raw(3, 3)).toBeNull();
    expect(v.raw(7, 3)).toBeNull();
    expect(v.value(7, 3)).toBe('新增老年助餐服務點');
  });

  test('rich text, dates, formulas, errors, hyperlinks and booleans read as Excel shows them', async () => {
    const g = sheet((await readWorkbook(samplePath)).sheets, '進度報送');
    const v = new GridView(g);
    expect(v.raw(4, 2)).toBe('填報單位：上城區');
    expect(v.raw(4, 4)).toBe(45565); // 2024-09-30 in the 1900 date system
    expect(v.format(4, 4)).toBe('yyyy-mm-dd');
    expect(v.raw(6, 6)).toBe(0.6);
    expect(v.format(6, 6)).toBe('0%');
    expect(v.formula(6, 6)).toBe('=E6/D6');
    expect(v.raw(7, 6)).toBe('#DIV/0!');
    expect(v.formula(7, 6)).toBe('=E7/D7');
    expect(v.raw(6, 7)).toBe('#REF!');
    expect(v.raw(7, 7)).toBe('說明');
    expect(v.raw(8, 2)).toBe(true);
    expect(v.raw(6, 4)).toBe(10);
    expect(v.raw(7, 4)).toBe(0);
    expect(v.raw(7, 5)).toBe('待定');
    expect(v.format(6, 4)).toBe('General');
  });

  test('the shared formula really is stored shared in the file', async () => {
    const xml = (await unzipAll(sampleBytes)).get('xl/worksheets/sheet1.xml')!.toString();
    expect(xml).toMatch(/<c r="F7"[^>]*><f t="shared" si="0"\s*\/>/);
  });

  test('hidden sheets are listed; empty sheets read as grids with no rows', async () => {
    const wb = await readWorkbook(samplePath);
    expect(wb.sheets.map((s) => s.sheet)).toEqual(['進度報送', '設置', '空白']);
    expect(wb.hiddenSheets).toEqual(['設置']);
    expect(sheet(wb.sheets, '空白').values).toEqual([]);
    expect(wb.hasMacros).toBe(false);
    expect(wb.workbook.getWorksheet('進度報送')).toBeDefined();
  });

  test('dates in a 1904-date-system workbook read as the serial stored in the file', async () => {
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    const ws = wb.addWorksheet('S');
    ws.getCell('A1').value = REPORT_DATE;
    ws.getCell('A1').numFmt = 'yyyy-mm-dd';
    const bytes = await toBytes(wb);
    const stored = Number(/<c r="A1"[^>]*><v>([^<]+)<\/v>/.exec((await unzipAll(bytes)).get('xl/worksheets/sheet1.xml')!.toString())![1]);
    const g = (await readWorkbookBytes(bytes, 'd1904.xlsx')).sheets[0];
    expect(g.values[0][0]).toBe(stored);
    expect(stored).toBe(45565 - 1462);
  });

  test('a 1904-date-system report (workbook.xml date1904="1"): 截至日期 and a 指標編號 Excel made a date read as the days Excel shows', async () => {
    // As a Mac workbook stores them: the serials count from 1904-01-01, 1462 days fewer than the 1900 system's.
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    const ws = wb.addWorksheet('進度報送表');
    const cells: CellValue[][] = [['2024年杭州市民生實事項目進度報送表'], ['填報單位：上城區', null, null, '截至日期：'], [], HEADER];
    for (const r of goodRows()) cells.push(HEADER.map((c) => (r as unknown as Record<string, CellValue>)[c] ?? null));
    cells.forEach((row, i) => row.forEach((v, j) => v !== null && (ws.getCell(i + 1, j + 1).value = v)));
    ws.getCell('E2').value = new Date(Date.UTC(2024, 9, 7)); // shows 2024-10-07
    ws.getCell('E2').numFmt = 'yyyy-mm-dd';
    ws.getCell('B7').value = new Date(Date.UTC(2024, 7, 2)); // "8-2" typed into a General cell: Excel shows 2-Aug
    ws.getCell('B7').numFmt = 'd-mmm';
    const bytes = await toBytes(wb);
    const parts = await unzipAll(bytes);
    expect(parts.get('xl/workbook.xml')!.toString()).toMatch(/date1904="1"/);
    const stored = Number(/<c r="E2"[^>]*><v>([^<]+)<\/v>/.exec(parts.get('xl/worksheets/sheet1.xml')!.toString())![1]);
    expect(stored).toBe(45572 - 1462);

    // Both readers: ExcelJS's (plans) and the sheet XML reader's (submissions).
    const fromXml = readGridsFromXml(bytes, 'mac.xlsx');
    if ('fallback' in fromXml) throw new Error(`the XML reader left the file to ExcelJS: ${fromXml.fallback}`);
    for (const grid of [(await readWorkbookBytes(bytes, 'mac.xlsx')).sheets[0], fromXml.sheets[0]]) {
      expect(grid.date1904).toBe(true);
      const { submissions, issues } = readSubmissions(grid, smallPlan());
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(submissions[0]).toMatchObject({ district: '上城區', asOf: '2024-10-07' });
      expect(submissions[0].rows.find((r) => r.metricId === '8-2')?.completed).toBe(20);
    }
  });

  test('dates of a 1904 workbook: every date reader counts from 1904 when the grid says so', () => {
    expect(parseDateValue(45572 - 1462, 'yyyy-mm-dd', 2024, true)).toBe('2024-10-07');
    expect(parseDateValue(45572 - 1462, 'General', 2024, true)).toBe('2024-10-07');
    expect(parseDateValue(45572 - 1462, 'yyyy-mm-dd', 2024)).toBe('2020-10-06');
    expect(parseMetricId(45506 - 1462, 'd-mmm', true)).toEqual({ id: '8-2', fromDate: true });
  });

  test('a lone cell at row 1,000,000 gives a 1×1 grid there, not a million rows', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('S').getCell('C1000000').value = '孤立';
    const g = (await readWorkbookBytes(await toBytes(wb), 'lone.xlsx')).sheets[0];
    expect(g.origin).toEqual({ row: 1_000_000, col: 3 });
    expect(g.values).toEqual([['孤立']]);
  });

  test('a sheet spanning more cells than the limit is refused with the range in the reason', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('大表');
    ws.getCell('A1').value = '頂';
    ws.getCell('A1000000').value = '底';
    const e = await rejection(readWorkbookBytes(await toBytes(wb), 'big.xlsx', { maxCellsPerSheet: 500_000 }));
    expect(e.reasonCode).toBe('sheet-too-large');
    expect(e.reason).toContain('大表');
    expect(e.reason).toContain('A1:A1000000');
  });
});

// ---------------------------------------------------------------------------------------------

describe('files that are not readable workbooks', () => {
  async function refused(bytes: Buffer, name = '報送表.xlsx', options = {}): Promise<UnreadableWorkbookError> {
    const e = await rejection(readWorkbookBytes(bytes, name, options));
    // What a clerk reads: one line, names the file, no stack trace.
    expect(e.reason).toContain(`「${name}」`);
    expect(e.reason).not.toMatch(/\n|at .*\.(js|ts)|Error:/);
    expect(e.file).toBe(name);
    return e;
  }

  const cases: [string, () => Buffer, UnreadableReasonCode, RegExp][] = [
    ['an empty file', () => Buffer.alloc(0), 'empty-file', /空檔案/],
    ['a CSV renamed .xlsx', () => Buffer.from('序號,項目名稱,上城區\r\n1,新增老年助餐服務點,10\r\n', 'utf8'), 'text-file', /CSV/],
    ['a UTF-16 text export', () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('序號\t項目名稱\r\n', 'utf16le')]), 'text-file', /CSV/],
    ['an HTML table saved as .xls', () => Buffer.from('<html><body><table><tr><td>序號</td></tr></table></body></html>'), 'html-file', /HTML/],
    ['an old binary .xls', () => Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504, 0)]), 'legacy-xls-or-encrypted', /\.xls/],
    ['random bytes', () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)), 'not-a-zip', /無法識別/],
  ];
  test.each(cases)('%s', async (_label, bytes, code, wording) => {
    const e = await refused(bytes());
    expect(e.reasonCode).toBe(code);
    expect(e.reason).toMatch(wording);
  });

  test('a truncated download', async () => {
    const e = await refused(sampleBytes.subarray(0, Math.floor(sampleBytes.length / 2)));
    expect(e.reasonCode).toBe('corrupt-zip');
    expect(e.reason).toMatch(/損壞|不完整/);
  });

  test('a Word document renamed .xlsx', async () => {
    const docx = makeZip([
      { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types/>' },
      { name: 'word/document.xml', data: '<?xml version="1.0"?><w:document/>' },
    ]);
    const e = await refused(docx);
    expect(e.reasonCode).toBe('not-a-workbook');
    expect(e.reason).toContain('Word');
  });

  test('a zip bomb: a small file whose sheet inflates past the limit', async () => {
    const parts = await unzipAll(sampleBytes);
    const rows = '<row r="1"><c r="A1"><v>1</v></c></row>'.repeat(100_000); // ≈4 MB, deflates to a few KB
    const bomb = rezip(parts, { 'xl/worksheets/sheet1.xml': `<worksheet><sheetData>${rows}</sheetData></worksheet>` });
    expect(bomb.length).toBeLessThan(200_000);
    const e = await refused(bomb, '報送表.xlsx', { zipLimits: { maxEntryBytes: 1024 * 1024 } });
    expect(e.reasonCode).toBe('entry-too-large');
    expect(e.reason).toContain('xl/worksheets/sheet1.xml');
  });

  test('a zip bomb whose headers lie about its size is stopped while inflating', async () => {
    const parts = await unzipAll(sampleBytes);
    const big = Buffer.alloc(4 * 1024 * 1024, 0x20);
    const liar = makeZip([
      ...[...parts].filter(([n]) => n !== 'xl/worksheets/sheet1.xml').map(([name, data]) => ({ name, data })),
      { name: 'xl/worksheets/sheet1.xml', data: big, declaredSize: 100 },
    ]);
    const e = await refused(liar, '報送表.xlsx', { zipLimits: { maxEntryBytes: 1024 * 1024 } });
    // yauzl stops at the first byte past the declared 100, long before our own 1 MB count would.
    expect(e.reasonCode).toBe('corrupt-zip');
    expect(e.reason).toContain('「xl/worksheets/sheet1.xml」解壓後的大小與檔案頭記載的不符');
  });

  test('the total inflated size and the compression ratio have limits too', async () => {
    const parts = await unzipAll(sampleBytes);
    const filler = (n: number) => Buffer.alloc(600 * 1024, 0x20 + n);
    const many = rezip(parts, { 'xl/media/a.bin': filler(1), 'xl/media/b.bin': filler(2) });
    const total = await rejection(checkZip(many, 'x.xlsx', { maxTotalBytes: 1024 * 1024 }));
    expect(total.reasonCode).toBe('total-too-large');
    const ratio = await rejection(checkZip(many, 'x.xlsx', { maxRatio: 50, ratioMinBytes: 100 * 1024 }));
    expect(ratio.reasonCode).toBe('compression-ratio');
    expect((await checkZip(many, 'x.xlsx')).entryCount).toBe(parts.size + 2);
  });

  test('too many entries', async () => {
    const parts = await unzipAll(sampleBytes);
    const e = await rejection(checkZip(sampleBytes, 'x.xlsx', { maxEntries: parts.size - 1 }));
    expect(e.reasonCode).toBe('too-many-entries');
  });

  test('a workbook part ExcelJS cannot parse is wrapped, not thrown raw', async () => {
    const broken = rezip(await unzipAll(sampleBytes), { 'xl/workbook.xml': '<workbook><sheets><sheet name="進度" sheetId="1" r:id=' });
    const e = await refused(broken);
    expect(e.reasonCode).toBe('parse-failed');
  });

  test('a workbook with nothing in it', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Sheet1');
    const e = await refused(await toBytes(wb), '空.xlsx');
    expect(e.reasonCode).toBe('no-content');
    expect(e.reason).toContain('沒有任何內容');
  });

  test('a missing file', async () => {
    const e = await rejection(readWorkbook(path.join(dir, '不存在.xlsx')));
    expect(e.reasonCode).toBe('file-not-found');
    expect(e.reason).toContain('不存在.xlsx');
  });

  test('macros are a fact to warn about, not a reason to refuse', async () => {
    const withMacros = rezip(await unzipAll(sampleBytes), { 'xl/vbaProject.bin': Buffer.from('not really vba') });
    expect((await checkZip(withMacros, 'm.xlsm')).hasMacros).toBe(true);
    const wb = await readWorkbookBytes(withMacros, 'm.xlsm');
    expect(wb.hasMacros).toBe(true);
    expect(sheet(wb.sheets, '進度報送').origin).toEqual({ row: 3, col: 2 });
  });
});

// ---------------------------------------------------------------------------------------------

/** The pipeline's two ways to apply a plan: through ExcelJS's workbook model, and on the file's parts (`minsheng normalise`). */
const ADAPTERS: [string, (read: WorkbookGrids, plan: EditPlan) => Promise<Buffer>][] = [
  [
    'through ExcelJS',
    async (read, plan) => {
      applyEditPlan(read.workbook, plan);
      return toBytes(read.workbook);
    },
  ],
  [
    'on the file’s parts',
    async (read, plan) => {
      const pkg = XlsxPackage.fromBytes(read.bytes, read.file);
      patchWorkbook(pkg, plan, read.sheets);
      return pkg.toBuffer();
    },
  ],
];

describe.each(ADAPTERS)('applying an edit plan and writing a copy, %s', (_how, apply) => {
  const plan: EditPlan = {
    edits: [
      {
        sheet: '進度報送',
        backupAs: '進度報送(原始)',
        unmerge: [{ top: 6, left: 3, bottom: 7, right: 3 }],
        blocks: [
          { row: 4, col: 2, values: [['填報單位：上城區']] },
          {
            row: 6,
            col: 3,
            values: [
              [undefined, 10, undefined],
              ['新增老年助餐服務點', undefined, null],
            ],
            numberFormats: [
              [undefined, '0"個"', undefined],
              [undefined, undefined, undefined],
            ],
          },
        ],
        changeCount: 4,
        reasonCounts: {},
        firstChanges: [],
      },
    ],
    newSheets: [
      {
        name: '匯總',
        header: ['區', '完成率', '備註', '備註', '累計\n完成'],
        rows: [
          ['上城區', 0.6, null, '', 6],
          ['拱墅區', 0.45, '偏慢', null, 9],
        ],
        columnFormats: [null, '0.0%', null, null, '#,##0'],
        tableName: '進度匯總',
        columnWidths: [12, 10, 20, 8, 10],
      },
    ],
  };

  let before: Grid[];
  let outPath: string;
  let out: Awaited<ReturnType<typeof readWorkbook>>;
  let outParts: Map<string, Buffer>;

  beforeAll(async () => {
    const wb = await readWorkbook(samplePath);
    before = wb.sheets;
    outPath = path.join(dir, `進度報送表-規範-${_how}.xlsx`);
    await writeBytesCopy(await apply(wb, plan), outPath, samplePath);
    out = await readWorkbook(outPath);
    outParts = await unzipAll(fs.readFileSync(outPath));
  });

  test('the planned values and formats are written; merges undone; other styles kept', () => {
    const v = new GridView(sheet(out.sheets, '進度報送'));
    expect(v.grid.merges).toEqual([{ top: 3, left: 2, bottom: 3, right: 6 }]);
    expect(v.raw(6, 3)).toBe('新增老年助餐服務點');
    expect(v.raw(7, 3)).toBe('新增老年助餐服務點');
    expect(v.raw(6, 4)).toBe(10);
    expect(v.format(6, 4)).toBe('0"個"');
    expect(v.raw(7, 5)).toBeNull();
    expect(v.raw(4, 2)).toBe('填報單位：上城區');
    // Untouched cells as before, including the one that shared D6's style.
    expect(v.format(7, 4)).toBe('General');
    expect(v.raw(6, 6)).toBe(0.6);
    const ws = out.workbook.getWorksheet('進度報送')!;
    expect(ws.getCell('D6').fill).toEqual({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } });
    expect(ws.getCell('D7').fill).toEqual({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } });
  });

  test('the backup sheet equals the original: values, formulas, formats, merges, widths, heights, notes', () => {
    const original = sheet(before, '進度報送');
    const backup = sheet(out.sheets, '進度報送(原始)');
    expect({ ...backup, sheet: original.sheet }).toEqual(original);
    const b = out.workbook.getWorksheet('進度報送(原始)')!;
    expect(b.getColumn(3).width).toBe(30);
    expect(b.getRow(6).height).toBe(28);
    expect(b.getCell('E6').note).toBe('截至9月底');
    expect(b.getCell('D6').fill).toEqual({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } });
    expect(out.sheets.map((s) => s.sheet)).toEqual(['進度報送', '設置', '空白', '進度報送(原始)', '匯總']);
  });

  test('the new sheet is a real Excel table: bold unique headers, formats, widths, frozen header', () => {
    const g = sheet(out.sheets, '匯總');
    const headers = ['區', '完成率', '備註', '備註2', '累計 完成'];
    expect(g.origin).toEqual({ row: 1, col: 1 });
    expect(g.values).toEqual([headers, ['上城區', 0.6, null, '', 6], ['拱墅區', 0.45, '偏慢', null, 9]]);
    expect(g.formats[1]).toEqual(['General', '0.0%', 'General', 'General', '#,##0']);
    const ws = out.workbook.getWorksheet('匯總')!;
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.getCell('E1').font?.bold).toBe(true);
    expect(ws.getColumn(3).width).toBe(20);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    // The table part as Excel will read it: name, range, filter, and column names equal to the header cells.
    const tables = [...outParts].filter(([n]) => /^xl\/tables\/table\d+\.xml$/.test(n)).map(([, d]) => d.toString());
    expect(tables).toHaveLength(1);
    const xml = tables[0];
    expect(xml).toMatch(/ name="進度匯總"/);
    expect(xml).toMatch(/ displayName="進度匯總"/);
    expect(xml).toMatch(/ ref="A1:E3"/);
    expect(xml).toMatch(/<autoFilter ref="A1:E3"/);
    const columnNames = [...xml.matchAll(/<tableColumn [^>]*name="([^"]*)"/g)].map((m) => m[1]);
    expect(columnNames).toEqual(g.values[0]);
    expect(String(outParts.get('[Content_Types].xml'))).toContain('/xl/tables/table1.xml');
  });

  test('the header labels Excel would otherwise repair are made unique and one-line', () => {
    expect(tableHeaders(['備註', '備註', '', ' 備註 ', 'a\nb'])).toEqual(['備註', '備註2', '列3', '備註3', 'a b']);
  });

  test('applying again replaces the generated sheet and keeps the first backup', async () => {
    const again = await readWorkbook(outPath);
    const againPath = path.join(dir, `再次-${_how}.xlsx`);
    await writeBytesCopy(await apply(again, plan), againPath, outPath);
    const reread = await readWorkbook(againPath);
    expect(reread.sheets.map((s) => s.sheet)).toEqual(['進度報送', '設置', '空白', '進度報送(原始)', '匯總']);
    expect(sheet(reread.sheets, '進度報送(原始)').values).toEqual(sheet(before, '進度報送').values);
    const tables = [...(await unzipAll(fs.readFileSync(againPath))).keys()].filter((n) => n.startsWith('xl/tables/'));
    expect(tables).toHaveLength(1);
  });

  test('a table with no data rows still gets one (empty) row', async () => {
    const wb = await readWorkbook(samplePath);
    const bytes = await apply(wb, {
      edits: [],
      newSheets: [{ name: '空表', header: ['區', '值'], rows: [], columnFormats: [null, null], tableName: 'Empty_Table', columnWidths: [] }],
    });
    const p = path.join(dir, `空表-${_how}.xlsx`);
    await writeBytesCopy(bytes, p, samplePath);
    const xml = [...(await unzipAll(fs.readFileSync(p)))].find(([n]) => n.startsWith('xl/tables/'))![1].toString();
    expect(xml).toMatch(/ ref="A1:B2"/);
  });

  test('a plan that cannot be applied changes nothing', async () => {
    const wb = await readWorkbook(samplePath);
    const bad = (p: Partial<EditPlan>): EditPlan => ({ edits: [], newSheets: [], ...p });
    const newSheet = { name: '匯總', header: ['區'], rows: [['上城區']], columnFormats: [null], columnWidths: [10] };
    const plans: [string, EditPlan][] = [
      ['write inside a merged area', bad({ edits: [{ sheet: '進度報送', backupAs: '備份', unmerge: [], blocks: [{ row: 7, col: 3, values: [['x']] }], changeCount: 1, reasonCounts: {}, firstChanges: [] }] })],
      ['unknown sheet', bad({ edits: [{ sheet: '不存在', unmerge: [], blocks: [], changeCount: 0, reasonCounts: {}, firstChanges: [] }] })],
      ['table name like a cell address', bad({ newSheets: [{ ...newSheet, tableName: 'AB12' }] })],
      ['table name with a space', bad({ newSheets: [{ ...newSheet, tableName: '進度 匯總' }] })],
      ['sheet name too long', bad({ newSheets: [{ ...newSheet, name: '一'.repeat(32), tableName: 'T1x' }] })],
      ['text longer than a cell holds', bad({ newSheets: [{ ...newSheet, rows: [['字'.repeat(40_000)]], tableName: 'Long_Text' }] })],
    ];
    const thrown = async (p: EditPlan): Promise<unknown> => {
      try {
        await apply(wb, p);
        return 'applied';
      } catch (e) {
        return e;
      }
    };
    for (const [label, p] of plans) expect({ label, thrown: await thrown(p) }).toEqual({ label, thrown: expect.any(EditPlanError) });
    expect(wb.workbook.worksheets.map((w) => w.name)).toEqual(['進度報送', '設置', '空白']);
    const after = (await readWorkbookBytes(await toBytes(wb.workbook), 'same.xlsx')).sheets;
    expect(after).toEqual(wb.sheets);
  });

  test('two tables of the same name are refused', async () => {
    const wb = await readWorkbook(samplePath);
    const s = { header: ['區'], rows: [['上城區']], columnFormats: [null], columnWidths: [], tableName: 'Ranking' };
    await expect(apply(wb, { edits: [], newSheets: [{ ...s, name: '甲' }, { ...s, name: '乙' }] })).rejects.toThrow(/Ranking/);
  });

  test('the copy is never written onto the input, however the path is spelled', async () => {
    const wb = await readWorkbook(samplePath);
    const bytes = await apply(wb, plan);
    const original = fs.readFileSync(samplePath);
    const link = path.join(dir, `link-${_how}.xlsx`);
    fs.symlinkSync(samplePath, link);
    const spellings = [samplePath, path.join(dir, '.', 'x', '..', path.basename(samplePath)), link, path.relative(process.cwd(), samplePath)];
    for (const p of spellings) {
      await expect(writeBytesCopy(bytes, p, samplePath)).rejects.toThrow(/就是輸入檔案/);
      await expect(writeWorkbookCopy(wb.workbook, p, samplePath)).rejects.toThrow(/就是輸入檔案/);
    }
    expect(fs.readFileSync(samplePath).equals(original)).toBe(true);
  });

  test('writing is atomic: the old output is replaced whole, no temp file is left, a failed write leaves nothing', async () => {
    const wb = await readWorkbook(samplePath);
    const target = path.join(dir, `atomic-${_how}.xlsx`);
    fs.writeFileSync(target, 'old contents');
    await writeWorkbookCopy(wb.workbook, target, samplePath);
    expect((await readWorkbook(target)).sheets).toEqual(wb.sheets);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const missingDir = path.join(dir, '沒有這個目錄', 'out.xlsx');
    await expect(writeWorkbookCopy(wb.workbook, missingDir, samplePath)).rejects.toThrow(/無法寫入/);
    expect(fs.existsSync(missingDir)).toBe(false);
  });
});
