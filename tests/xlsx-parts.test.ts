// `minsheng normalise` edits the workbook file's parts in place (pipeline/xlsx/patchWorkbook.ts) rather
// than rebuilding it through ExcelJS: what a clerk would check of such a copy. Every part is well-formed
// XML with its content type, relationships point at parts that are there, rows and cells stay in order,
// what the plan does not touch is byte for byte the original, the backup carries notes, links and print
// titles (not pictures), and a workbook the part editor does not know how to edit safely (a formula
// that other cells share, overwritten) still gets a correct copy, made through ExcelJS.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { validateXML } from 'xmllint-wasm';
import type { CellValue } from '../core/grid';
import { isEmptyPlan } from '../core/editPlan';
import { normalisePlan } from '../core/normalise';
import { analysePlanSheets } from '../core/workbook';
import { writeBytesCopy } from '../pipeline/xlsx/applyEditPlan';
import { editedCopy } from '../pipeline/xlsx/editedCopy';
import { readWorkbookBytes, readWorkbookFile } from '../pipeline/xlsx/readWorkbook';
import { inspectZip } from '../pipeline/xlsx/zipGuard';
import { writeZip } from '../pipeline/xlsx/zipWrite';
import { located, machine, testIf } from './helpers/machine';
import { COMBINED_FILE } from './helpers/samples';
import { tempDir } from './helpers/tempDir';

jest.setTimeout(120_000);

const dir = tempDir('minsheng-parts-');

async function normalised(bytes: Buffer, name: string) {
  const read = await readWorkbookBytes(bytes, name);
  const analysis = analysePlanSheets(read.sheets);
  const plan = normalisePlan({ grids: read.sheets, breakdown: analysis.breakdown, responsibility: analysis.responsibility, plan: analysis.assembled.plan });
  const copy = await editedCopy(read, plan);
  return { read, plan, copy, parts: inspectZip(copy.bytes, name, {}, () => true).parts, original: inspectZip(bytes, name, {}, () => true).parts };
}

/** What Excel refuses to open without a repair: XML it cannot parse, a relationship to nothing, a part without a type, rows or cells out of order. */
async function expectSound(parts: Map<string, Buffer>) {
  const xmlParts = [...parts].filter(([name]) => /\.(xml|rels|vml)$/.test(name));
  const linted = await validateXML({ xml: xmlParts.map(([fileName, contents]) => ({ fileName, contents: contents.toString('utf8') })), normalization: 'format' });
  expect(linted.errors).toEqual([]);
  const types = parts.get('[Content_Types].xml')!.toString();
  const defaults = new Set([...types.matchAll(/<Default Extension="([^"]+)"/g)].map((m) => m[1].toLowerCase()));
  const overrides = new Set([...types.matchAll(/<Override PartName="\/([^"]+)"/g)].map((m) => m[1]));
  for (const name of parts.keys()) {
    if (name === '[Content_Types].xml') continue;
    expect({ name, typed: overrides.has(name) || defaults.has(name.slice(name.lastIndexOf('.') + 1).toLowerCase()) }).toEqual({ name, typed: true });
  }
  for (const override of overrides) expect({ override, there: parts.has(override) }).toEqual({ override, there: true });
  for (const [name, data] of parts) {
    if (!name.endsWith('.rels')) continue;
    // The package's own relationships (_rels/.rels) are of its root: their source part is ''.
    const base = name.replace(/(^|\/)_rels\/([^/]*)\.rels$/, '$1$2');
    for (const m of data.toString().matchAll(/<Relationship [^>]*Target="([^"]+)"(?: TargetMode="External")?/g)) {
      if (m[0].includes('External')) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(base), m[1])).replace(/^\//, '');
      expect({ from: name, target, there: parts.has(target) }).toEqual({ from: name, target, there: true });
    }
  }
  for (const [name, data] of parts) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) continue;
    let lastRow = 0;
    for (const row of data.toString().matchAll(/<row r="(\d+)"[^>]*?(?:\/>|>([^]*?)<\/row>)/g)) {
      expect(Number(row[1])).toBeGreaterThan(lastRow);
      lastRow = Number(row[1]);
      let lastCol = 0;
      for (const cell of (row[2] ?? '').matchAll(/<c r="([A-Z]+)\d+"/g)) {
        const col = [...cell[1]].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
        expect({ sheet: name, row: lastRow, col: col > lastCol }).toEqual({ sheet: name, row: lastRow, col: true });
        lastCol = col;
      }
    }
  }
}

/** A small 附件2 as clerks type it: units in the text, a title with a link, a note, print titles. */
async function messyBreakdown(extra: (wb: ExcelJS.Workbook, ws: ExcelJS.Worksheet) => void = () => undefined): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('附件2');
  const districts = ['上城區', '拱墅區', '西湖區'];
  const rows: CellValue[][] = [
    ['2024年市政府民生實事項目區、縣(市)任務分解表'],
    ['序號', '項目名稱', '量化目標', '牽頭單位', ...districts],
    [1, '新增老年助餐服務點 ', '30 個', '市民政局', '10 個', '--', '20個'],
    [2, '改造提升農貿市場', '５家', '市商務局', '2家', '3 家', '--'],
  ];
  ws.addRows(rows);
  ws.getCell('A1').value = { text: '2024年市政府民生實事項目區、縣(市)任務分解表', hyperlink: 'https://www.hangzhou.gov.cn/' };
  ws.getCell('B3').note = '以民政局核定數為準';
  ws.getColumn(2).width = 30;
  ws.pageSetup.printTitlesRow = '2:2';
  extra(wb, ws);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('the copy made on the parts', () => {
  test('of the sample: sound, the untouched parts byte for byte, normalising it again changes nothing', async () => {
    const bytes = fs.readFileSync(COMBINED_FILE);
    const { copy, parts, original } = await normalised(bytes, 'sample.xlsx');
    expect(copy.via).toBe('parts');
    await expectSound(parts);
    for (const name of ['xl/theme/theme1.xml', 'docProps/core.xml', 'docProps/app.xml', '_rels/.rels']) {
      expect({ name, same: parts.get(name)!.equals(original.get(name)!) }).toEqual({ name, same: true });
    }
    const again = await normalised(copy.bytes, 'again.xlsx');
    expect(isEmptyPlan(again.plan)).toBe(true);
  });

  test('a backup carries the link, the note and the print titles; the picture stays on the original', async () => {
    const bytes = await messyBreakdown((wb, ws) => {
      const image = wb.addImage({ buffer: PIXEL_PNG as unknown as ExcelJS.Buffer, extension: 'png' });
      ws.addImage(image, 'I2:J4');
    });
    const { copy, parts } = await normalised(bytes, 'messy.xlsx');
    expect(copy.via).toBe('parts');
    await expectSound(parts);
    const out = new ExcelJS.Workbook();
    await out.xlsx.load(copy.bytes as unknown as ExcelJS.Buffer);
    const backup = out.getWorksheet('附件2(原始)')!;
    expect(backup.getCell('A1').hyperlink).toBe('https://www.hangzhou.gov.cn/');
    expect(backup.getCell('B3').note).toBe('以民政局核定數為準');
    expect(backup.getCell('C3').value).toBe('30 個');
    expect(backup.getImages()).toHaveLength(0);
    const edited = out.getWorksheet('附件2')!;
    expect(edited.getImages()).toHaveLength(1);
    expect(edited.getCell('E3').value).toBe(10);
    expect(edited.getCell('E3').numFmt).toBe('0"個"');
    expect(edited.getCell('F3').value).toBeNull();
    expect(edited.getCell('B3').value).toBe('新增老年助餐服務點');
    expect(edited.getCell('B3').note).toBe('以民政局核定數為準');
    const names = parts.get('xl/workbook.xml')!.toString();
    expect(names).toMatch(/<definedName name="_xlnm.Print_Titles" localSheetId="1">&apos;附件2\(原始\)&apos;!\$2:\$2<\/definedName>|<definedName name="_xlnm.Print_Titles" localSheetId="1">'附件2\(原始\)'!\$2:\$2<\/definedName>/);
  });

  test('a formula other cells share, overwritten: the copy is made through ExcelJS, and is right', async () => {
    const bytes = await messyBreakdown((_wb, ws) => {
      ws.getCell('C3').value = { formula: 'TEXT(SUM(E3:G3),"0")&"個"', result: '30個', shareType: 'shared', ref: 'C3:C4' } as ExcelJS.CellValue;
      ws.getCell('C4').value = { sharedFormula: 'C3', result: '5家' } as unknown as ExcelJS.CellValue;
    });
    const { copy, parts } = await normalised(bytes, 'shared.xlsx');
    expect(copy.via).toBe('exceljs');
    expect(copy.reason).toMatch(/share/);
    await expectSound(parts);
    const back = await readWorkbookBytes(copy.bytes, 'shared-out.xlsx');
    const sheet = back.sheets.find((s) => s.sheet === '附件2')!;
    expect(sheet.values[2][2]).toBe(30);
  });

  test('read from the sheet XML, as `normalise` reads: the grids are those ExcelJS gives, and the copy ExcelJS must make is still right', async () => {
    // Plain (no note, link or print titles, which the XML reader leaves to ExcelJS), with a shared formula (which the part editor leaves to it).
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('附件2');
    ws.addRows([
      ['序號', '項目名稱', '量化目標', '牽頭單位', '上城區', '拱墅區', '西湖區'],
      [1, '新增老年助餐服務點', '30 個', '市民政局', '10 個', '--', '20個'],
      [2, '改造提升農貿市場', '5家', '市商務局', '2家', '3 家', '--'],
    ]);
    ws.getCell('C2').value = { formula: 'TEXT(SUM(E2:G2),"0")&"個"', result: '30個', shareType: 'shared', ref: 'C2:C3' } as ExcelJS.CellValue;
    ws.getCell('C3').value = { sharedFormula: 'C2', result: '5家' } as unknown as ExcelJS.CellValue;
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const file = path.join(dir, 'shared-xml.xlsx');
    fs.writeFileSync(file, bytes);
    const read = await readWorkbookFile(file);
    expect(read.workbook).toBeUndefined();
    expect(read.sheets).toEqual((await readWorkbookBytes(bytes, file)).sheets);
    const analysis = analysePlanSheets(read.sheets);
    const plan = normalisePlan({ grids: read.sheets, breakdown: analysis.breakdown, responsibility: analysis.responsibility, plan: analysis.assembled.plan });
    const copy = await editedCopy(read, plan);
    expect(copy.via).toBe('exceljs');
    const back = await readWorkbookBytes(copy.bytes, 'shared-xml-out.xlsx');
    const sheet = back.sheets.find((s) => s.sheet === '附件2')!;
    expect(sheet.values[1][2]).toBe(30);
    expect(sheet.values[2][4]).toBe(2);
    expect(back.sheets.find((s) => s.sheet === '附件2(原始)')!.values[1][2]).toBe('30個');
  });

  test('a workbook with macros: the copy is a plain .xlsx, without them', async () => {
    const plain = inspectZip(await messyBreakdown(), 'plain.xlsx', {}, () => true).parts;
    const types = plain.get('[Content_Types].xml')!.toString().replace('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml', 'application/vnd.ms-excel.sheet.macroEnabled.main+xml').replace('</Types>', '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>');
    const rels = plain.get('xl/_rels/workbook.xml.rels')!.toString().replace('</Relationships>', '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>');
    const withMacros = zipOf(new Map([...plain, ['[Content_Types].xml', Buffer.from(types)], ['xl/_rels/workbook.xml.rels', Buffer.from(rels)], ['xl/vbaProject.bin', Buffer.from('not really vba')]]));
    const { copy, parts } = await normalised(withMacros, 'macros.xlsm');
    expect(copy.via).toBe('parts');
    await expectSound(parts);
    expect(parts.has('xl/vbaProject.bin')).toBe(false);
    expect(parts.get('[Content_Types].xml')!.toString()).toMatch(/spreadsheetml\.sheet\.main\+xml/);
    expect(parts.get('xl/_rels/workbook.xml.rels')!.toString()).not.toMatch(/vbaProject/);
  });

  test('a sheet written by hand (text inline, no shared strings part, no spans or styles) is read and edited where it says', async () => {
    // Rows and cells carry their numbers: ExcelJS, which reads every plan, refuses a sheet without them.
    const cell = (v: string | number, ref: string) => (typeof v === 'number' ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`);
    const row = (values: (string | number)[], r: number) => `<row r="${r}">${values.map((v, j) => cell(v, `${'ABCDEF'[j]}${r}`)).join('')}</row>`;
    const sheet =
      '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' +
      row(['序號', '項目名稱', '量化目標', '牽頭單位', '上城區', '拱墅區'], 1) +
      row([1, '新增老年助餐服務點', '30個', '市民政局', '10 個', '２０個'], 2) +
      '</sheetData></worksheet>';
    const parts = new Map<string, Buffer>([
      ['[Content_Types].xml', Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')],
      ['_rels/.rels', Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')],
      ['xl/workbook.xml', Buffer.from('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="附件2" sheetId="1" r:id="rId1"/></sheets></workbook>')],
      ['xl/_rels/workbook.xml.rels', Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>')],
      ['xl/styles.xml', Buffer.from('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>')],
      ['xl/worksheets/sheet1.xml', Buffer.from(sheet)],
    ]);
    const { read, copy, parts: out } = await normalised(zipOf(parts), 'hand.xlsx');
    expect(read.sheets[0].values[1]).toEqual([1, '新增老年助餐服務點', '30個', '市民政局', '10 個', '２０個']);
    expect(copy.via).toBe('parts');
    await expectSound(out);
    const back = await readWorkbookBytes(copy.bytes, 'hand-out.xlsx');
    expect(back.sheets.map((s) => s.sheet)).toEqual(['附件2', '附件2(原始)', '規範數據']);
    expect(back.sheets[0].values[1]).toEqual([1, '新增老年助餐服務點', 30, '市民政局', 10, 20]);
    expect(back.sheets[0].formats[1].slice(4)).toEqual(['0"個"', '0"個"']);
    expect(back.sheets[2].values[1]).toEqual(['1-1', 1, '新增老年助餐服務點', '新增老年助餐服務點', '上城區', 10, null, '個', 'count']);
    expect(out.has('xl/sharedStrings.xml')).toBe(true);
  });
});

const soffice = machine.soffice();

testIf(soffice)('LibreOffice opens the normalised sample and converts it without error', async () => {
  const bytes = fs.readFileSync(COMBINED_FILE);
  const { copy } = await normalised(bytes, 'sample.xlsx');
  const file = path.join(dir, '附件1+2-規範.xlsx');
  await writeBytesCopy(copy.bytes, file, COMBINED_FILE);
  const profile = `file://${path.join(dir, 'lo-profile')}`;
  const { stderr } = await promisify(execFile)(located(soffice), [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'ods', '--outdir', dir, file], { timeout: 300_000 });
  expect(stderr).not.toMatch(/error/i);
  expect(fs.existsSync(path.join(dir, '附件1+2-規範.ods'))).toBe(true);
}, 330_000);

/** A zip of `parts`, for workbooks made by hand. */
function zipOf(parts: Map<string, Buffer>): Buffer {
  return writeZip([...parts].map(([name, content]) => ({ name, content })));
}
