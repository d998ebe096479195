// Issue 11 §1: a sheet that declares one merged area, data validation or conditional format over a
// huge range (A1:XFD1048576 is 17 billion cells in a few bytes of XML) is refused while its XML
// streams by, before any reader allocates per cell: both readers (submissions and plans), `minsheng
// load` and `validate` (exit 2), and the service (422, with the request and token on record before the
// file is parsed, and still answering afterwards).
import * as fs from 'node:fs';
import * as path from 'node:path';
import JSZip from 'jszip';
import { render } from '../core/messages';
import { readSubmissionBytes } from '../pipeline/submissionReading';
import { readWorkbookBytes, UnreadableWorkbookError } from '../pipeline/xlsx/readWorkbook';
import { runCli } from './helpers/cli';
import { queryFile } from './helpers/reliability';
import { request, samplePlanDb, startTestService, uploadHeaders, type TestService } from './helpers/server';
import { SUBMISSIONS_DIR } from './helpers/samples';
import { removeTempDirs, tempDir } from './helpers/tempDir';

const SOURCE = path.join(SUBMISSIONS_DIR, '2024-09', '上城區.xlsx');
const SHEET_PART = 'xl/worksheets/sheet1.xml';
const SHEET = '進度報送表';

/** How each kind of declared range is slipped into the sample's 進度報送表 sheet XML, and the range the refusal must name. */
const BOMBS: { name: string; range: string; edit: (xml: string) => string }[] = [
  {
    name: 'merged area',
    range: 'A1:XFD1048576',
    edit: (xml) => xml.replace(/<mergeCells count="(\d+)">/, (_, n) => `<mergeCells count="${Number(n) + 1}"><mergeCell ref="A1:XFD1048576"/>`),
  },
  {
    name: 'data validation',
    range: 'A1:XFD1048576',
    edit: (xml) =>
      xml.replace(/<dataValidations count="(\d+)">/, (_, n) => `<dataValidations count="${Number(n) + 1}"><dataValidation type="whole" allowBlank="1" sqref="A1:XFD1048576"><formula1>0</formula1></dataValidation>`),
  },
  {
    name: 'conditional format',
    range: 'A1:Z200000',
    edit: (xml) => xml.replace('<dataValidations', '<conditionalFormatting sqref="A1:Z200000"><cfRule type="expression" priority="1"><formula>TRUE</formula></cfRule></conditionalFormatting><dataValidations'),
  },
  {
    name: 'x14 data validation (extension list)',
    range: 'A1:XFD1048576',
    edit: (xml) =>
      xml.replace(
        '</worksheet>',
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">' +
          '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list" allowBlank="1">' +
          '<x14:formula1><xm:f>$A$1:$A$2</xm:f></x14:formula1><xm:sqref>A1:XFD1048576</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst></worksheet>',
      ),
  },
];

async function bomb(edit: (xml: string) => string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(fs.readFileSync(SOURCE));
  const xml = await zip.file(SHEET_PART)!.async('string');
  const edited = edit(xml);
  expect(edited).not.toBe(xml);
  zip.file(SHEET_PART, edited);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

let plan: Awaited<ReturnType<typeof samplePlanDb>>;
const files = new Map<string, string>();

beforeAll(async () => {
  const dir = tempDir('minsheng-range-bombs-');
  plan = await samplePlanDb(dir);
  for (const b of BOMBS) {
    const file = path.join(dir, `上城區-${b.name.replace(/\W+/g, '-')}.xlsx`);
    fs.writeFileSync(file, await bomb(b.edit));
    files.set(b.name, file);
  }
});

afterAll(removeTempDirs);

test('a stale <dimension> over A1:XFD1048576 allocates nothing in either reader: the file is read by its cells and loads', async () => {
  const bytes = await bomb((xml) => xml.replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD1048576"/>'));
  const reading = await readSubmissionBytes(plan.plan, bytes, '上城區.xlsx');
  expect(reading.refused).toBeUndefined();
  const original = await readSubmissionBytes(plan.plan, fs.readFileSync(SOURCE), '上城區.xlsx');
  expect(reading.submissions).toEqual(original.submissions);
  expect((await readWorkbookBytes(bytes, '上城區.xlsx')).sheets[0].values).toEqual((await readWorkbookBytes(fs.readFileSync(SOURCE), '上城區.xlsx')).sheets[0].values);
});

describe.each(BOMBS)('a sheet declaring a $name over $range', ({ name, range }) => {
  test('the submission reader refuses the file, naming file, sheet and range; the plan reader (ExcelJS) refuses it the same way', async () => {
    const file = files.get(name)!;
    const bytes = fs.readFileSync(file);
    const reading = await readSubmissionBytes(plan.plan, bytes, path.basename(file));
    expect(reading.submissions).toEqual([]);
    expect(reading.refused?.verdict).toBe('unreadable');
    const reason = render('zh-TW', reading.refused!.reason!);
    for (const part of [path.basename(file), SHEET, range]) expect(reason).toContain(part);
    const viaExcelJs = await readWorkbookBytes(bytes, path.basename(file)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(viaExcelJs).toBeInstanceOf(UnreadableWorkbookError);
    expect((viaExcelJs as UnreadableWorkbookError).reason).toBe(reason);
  });
});

describe('the CLI', () => {
  test('load: the range bomb is unreadable with its reason (exit 2), nothing of it is stored, a good file beside it loads', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'copy.duckdb');
    fs.copyFileSync(plan.dbPath, db);
    const batch = path.join(dir, 'batch');
    fs.mkdirSync(batch);
    fs.copyFileSync(files.get('merged area')!, path.join(batch, 'a-合併炸彈.xlsx'));
    fs.copyFileSync(path.join(SUBMISSIONS_DIR, '2024-09', '拱墅區.xlsx'), path.join(batch, 'b-拱墅區.xlsx'));
    const r = await runCli('load', batch, '--db', db, '--json');
    expect(r.code).toBe(2);
    const results = JSON.parse(r.stdout).files as { file: string; verdict: string; reason?: string }[];
    const bad = results.find((f) => path.basename(f.file) === 'a-合併炸彈.xlsx')!;
    expect(bad.verdict).toBe('unreadable');
    for (const part of ['a-合併炸彈.xlsx', SHEET, 'A1:XFD1048576']) expect(bad.reason).toContain(part);
    expect(results.find((f) => path.basename(f.file) === 'b-拱墅區.xlsx')!.verdict).toBe('loaded');
    expect(await queryFile(db, 'SELECT district FROM submissions')).toEqual([{ district: '拱墅區' }]);
  });

  test('validate: the same file as a plan is refused with its reason (exit 2)', async () => {
    const r = await runCli('validate', files.get('data validation')!);
    expect(r.code).toBe(2);
    expect(`${r.stdout}\n${r.stderr}`).toContain('A1:XFD1048576');
  });
});

describe('the service', () => {
  let t: TestService;
  beforeAll(async () => {
    t = await startTestService();
  });
  afterAll(async () => {
    await t?.stop();
  });

  test('answers 422 with the reason, logs request and token id before parsing, and goes on serving', async () => {
    const bytes = fs.readFileSync(files.get('merged area')!);
    const reply = await request(t.service.url, '/api/submissions', { method: 'POST', headers: uploadHeaders(t.tokens['上城區'], '上城區.xlsx'), body: bytes });
    expect(reply.status).toBe(422);
    expect(reply.json()).toMatchObject({ verdict: 'unreadable' });
    expect(reply.json().reason).toContain('A1:XFD1048576');
    const [final] = await t.logged((e) => e.path === '/api/submissions' && e.status === 422 && e.file === '上城區.xlsx');
    const received = t.logs.find((e) => e.stage === 'received' && e.request === final.request);
    expect(received).toMatchObject({ district: '上城區', file: '上城區.xlsx', bytes: bytes.length, status: 0 });
    expect(t.logs.indexOf(received!)).toBeLessThan(t.logs.indexOf(final));
    // The token's id from the tokens file, never the token.
    const ids = (JSON.parse(fs.readFileSync(t.tokensFile, 'utf8')) as { tokens: { id: string; district?: string }[] }).tokens;
    expect(received!.tokenId).toBe(ids.find((e) => e.district === '上城區')!.id);
    expect(final.tokenId).toBe(received!.tokenId);
    expect(JSON.stringify(t.logs)).not.toContain(t.tokens['上城區']);
    expect((await request(t.service.url, '/api/health')).status).toBe(200);
    expect(await t.query(`SELECT count(*) AS n FROM submissions WHERE district = '上城區'`)).toEqual([{ n: 0n }]);
    expect(t.internalErrors).toEqual([]);
  });
});
