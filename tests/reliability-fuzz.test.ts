// docs/design.md, "Broken and hostile input": the sample workbooks mutated at random — bytes of the zip,
// text of the XML parts inside it, and cells of the grid — for a fixed number of iterations from a fixed
// seed, each mutant put through `minsheng validate` and the loader the CLI and the service share
// (loadBytes). Every mutant must get a verdict (never an exception), within a time bound; a refused one
// must leave the database as it was, and an accepted one must be stored row for row as the workbook
// reader reads it (some must be accepted). A failure names the iteration and the mutation, and keeps the
// mutant for replay.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { render } from '../core/messages';
import type { Plan } from '../core/model';
import { detectSubmission, readSubmissions } from '../core/submission';
import { readPlan } from '../pipeline/db/plan';
import { openStore, type Store } from '../pipeline/db/store';
import { loadBytes, type FileLoad } from '../pipeline/loadFiles';
import { readWorkbook } from '../pipeline/xlsx/readWorkbook';
import { PLAN_SOURCE, SUBMISSION_SOURCE, seededRandom } from './fixtures/bad/generate';
import { runCli } from './helpers/cli';
import { CRASH_TEXT, planDatabase, snapshotWith, storeQuery } from './helpers/reliability';
import { removeTempDirs, tempDir } from './helpers/tempDir';

// Fixed in `npm test`; MINSHENG_FUZZ_SEED and MINSHENG_FUZZ_SCALE (a multiplier) explore further by hand.
const FUZZ_SEED = Number(process.env.MINSHENG_FUZZ_SEED) || 20240930;
const SCALE = Number(process.env.MINSHENG_FUZZ_SCALE) || 1;
/** Per kind of mutation; together they run in well under a minute on two cores. */
const ITERATIONS = { zipBytes: 120 * SCALE, xmlText: 40 * SCALE, gridCells: 40 * SCALE };
/** Generous: a mutant takes a fraction of a second; this only catches a hang. */
const TIME_LIMIT_MS = 15_000;

type Random = () => number;

const int = (rnd: Random, n: number) => Math.floor(rnd() * n);
const pick = <T>(rnd: Random, items: readonly T[]): T => items[int(rnd, items.length)];

// ---------------------------------------------------------------------------------------------
// Mutations of the zip's bytes

function mutateBytes(rnd: Random, bytes: Buffer): { bytes: Buffer; how: string } {
  const at = int(rnd, bytes.length);
  const kinds = ['flip', 'insert', 'delete', 'truncate', 'overwrite', 'duplicate'] as const;
  const kind = pick(rnd, kinds);
  const randomRun = (n: number) => Buffer.from(Array.from({ length: n }, () => int(rnd, 256)));
  switch (kind) {
    case 'flip': {
      const out = Buffer.from(bytes);
      const flips = 1 + int(rnd, 8);
      for (let i = 0; i < flips; i++) {
        const p = int(rnd, out.length);
        out[p] ^= 1 << int(rnd, 8);
      }
      return { bytes: out, how: `flip ${flips} bits from ${at}` };
    }
    case 'insert': {
      const n = 1 + int(rnd, 64);
      return { bytes: Buffer.concat([bytes.subarray(0, at), randomRun(n), bytes.subarray(at)]), how: `insert ${n} bytes at ${at}` };
    }
    case 'delete': {
      const n = 1 + int(rnd, 256);
      return { bytes: Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + n)]), how: `delete ${n} bytes at ${at}` };
    }
    case 'truncate':
      return { bytes: bytes.subarray(0, at), how: `truncate at ${at}` };
    case 'overwrite': {
      const n = 1 + int(rnd, 32);
      const out = Buffer.from(bytes);
      randomRun(n).copy(out, at);
      return { bytes: out, how: `overwrite ${n} bytes at ${at}` };
    }
    case 'duplicate': {
      const n = 1 + int(rnd, 512);
      return { bytes: Buffer.concat([bytes.subarray(0, at + n), bytes.subarray(at)]), how: `duplicate ${n} bytes at ${at}` };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Mutations of the XML inside (deeper than the zip: what ExcelJS and our reader parse)

const XML_SNIPPETS = ['<', '>', '&', '&amp;', '"', '<c r="A1" t="s"><v>99999</v></c>', '<row r="0">', '</sheetData>', '<v>1e400</v>', '<v>NaN</v>', 't="e"', '<mergeCell ref="A1:XFD1048576"/>', '\u0000', '\uFFFF', ']]>', '<!DOCTYPE x [<!ENTITY a "aaaa">]>'];

async function mutateXml(rnd: Random, bytes: Buffer): Promise<{ bytes: Buffer; how: string }> {
  const zip = await JSZip.loadAsync(bytes);
  const parts = Object.keys(zip.files).filter((n) => /\.(xml|rels)$/.test(n)).sort();
  const part = pick(rnd, parts);
  let text = await zip.file(part)!.async('string');
  const edits = 1 + int(rnd, 3);
  const done: string[] = [];
  for (let i = 0; i < edits; i++) {
    const at = int(rnd, text.length);
    const kind = pick(rnd, ['insert', 'delete', 'replace-number', 'cut-tail'] as const);
    if (kind === 'insert') {
      const snippet = pick(rnd, XML_SNIPPETS);
      text = text.slice(0, at) + snippet + text.slice(at);
      done.push(`insert ${JSON.stringify(snippet)} at ${at}`);
    } else if (kind === 'delete') {
      const n = 1 + int(rnd, 40);
      text = text.slice(0, at) + text.slice(at + n);
      done.push(`delete ${n} chars at ${at}`);
    } else if (kind === 'replace-number') {
      // Row and column numbers, shared-string indexes, sizes: the numbers a reader trusts.
      const value = pick(rnd, ['-1', '0', '1048577', '16385', '9'.repeat(30), '1.5', 'abc', '']);
      const found = /\d+/.exec(text.slice(at));
      if (found) text = text.slice(0, at + found.index) + value + text.slice(at + found.index + found[0].length);
      done.push(`first number after ${at} → ${JSON.stringify(value)}`);
    } else {
      text = text.slice(0, at);
      done.push(`cut at ${at}`);
    }
  }
  zip.file(part, text);
  const out = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  return { bytes: out, how: `${part}: ${done.join('; ')}` };
}

// ---------------------------------------------------------------------------------------------
// Mutations of cells (what a clerk, or a careless export, can type)

const CHINESE = '上城區拱墅西湖濱江蕭山餘杭臨平錢塘富陽臨安桐廬淳安建德市本級個張人次平方米萬億已完成待定見附件';

function valueFor(rnd: Random): { value: ExcelJS.CellValue; shown: string } {
  const makers: (() => ExcelJS.CellValue)[] = [
    () => Array.from({ length: 1 + int(rnd, 12) }, () => CHINESE[int(rnd, CHINESE.length)]).join(''),
    () => String(int(rnd, 100000)).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d))),
    () => `${int(rnd, 1000)}．${int(rnd, 10)}％`,
    () => pick(rnd, [1e308, -1e308, Number.MAX_SAFE_INTEGER * 1024, 5e-324, -0.0001, -5, 0, 1e15]),
    () => pick(rnd, ['NaN', 'Infinity', '-Infinity', '1e999', '-0', '0x1F', '1,234,567.8', '十五', '三百萬', '--', '—', '/', '待定', '見附件']),
    () => pick(rnd, ['#N/A', '#REF!', '#DIV/0!', '#VALUE!', '#NAME?']),
    () => ({ error: pick(rnd, ['#N/A', '#REF!', '#DIV/0!']) }) as ExcelJS.CellErrorValue,
    () => ({ formula: pick(rnd, ['1/0', 'A1&B1', 'SUM(G5:G40)', 'HYPERLINK("http://example.invalid","x")']), result: pick(rnd, [undefined, 7, 'x', -3]) }) as ExcelJS.CellFormulaValue,
    () => pick(rnd, ['=1+1', '+86 123', '-1', '@SUM(A1)', '<script>x</script>', '\u202e上城區', '上\u200b城區', '２０２４年９月３０日', '2024-13-45', '2024/02/30', '45565', '0.83', '83%', '5(4)個', '12個', '3萬人次']),
    () => pick(rnd, [true, false, null, '', ' ', '\n']),
    () => new Date(Date.UTC(pick(rnd, [1900, 2023, 2024, 2025, 9999]), int(rnd, 12), 1 + int(rnd, 28))),
    () => ({ richText: [{ text: '上城' }, { font: { bold: true }, text: '區' }] }) as ExcelJS.CellRichTextValue,
    () => 'x'.repeat(pick(rnd, [255, 1024, 32_767])),
  ];
  const value = pick(rnd, makers)();
  const shown = JSON.stringify(value, (_k, v) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 20)}…(${v.length})` : v));
  return { value, shown };
}

async function mutateCells(rnd: Random, bytes: Buffer, source: 'submission' | 'plan'): Promise<{ bytes: Buffer; how: string }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const ws = source === 'submission' ? wb.getWorksheet('進度報送表')! : pick(rnd, [wb.getWorksheet('附件1')!, wb.getWorksheet('附件2')!]);
  const rows = ws.rowCount;
  const cols = ws.columnCount;
  const done: string[] = [];
  const edits = 1 + int(rnd, 4);
  for (let i = 0; i < edits; i++) {
    // Half the edits where the numbers are (累計完成 is column G of the template), the rest anywhere.
    const row = 1 + int(rnd, rows);
    const col = source === 'submission' && rnd() < 0.5 ? 7 : 1 + int(rnd, cols);
    const cell = ws.getCell(row, col);
    if (cell.isMerged && cell.master !== cell) continue;
    const { value, shown } = valueFor(rnd);
    cell.value = value;
    done.push(`${ws.name}!${cell.address} = ${shown}`);
  }
  if (rnd() < 0.15) {
    const top = 1 + int(rnd, rows);
    const left = 1 + int(rnd, cols);
    try {
      ws.mergeCells(top, left, top + int(rnd, 3), left + int(rnd, 3));
      done.push(`merge at R${top}C${left}`);
    } catch {
      // Overlapping an existing merge: ExcelJS refuses, as Excel would; the mutant goes without it.
    }
  }
  return { bytes: Buffer.from(await wb.xlsx.writeBuffer()), how: done.join('; ') || 'no change' };
}

// ---------------------------------------------------------------------------------------------

let dir: string;
let validateDb: string;
let store: Store;
let plan: Plan;
const sources: Record<'submission' | 'plan', Buffer> = {
  submission: fs.readFileSync(SUBMISSION_SOURCE),
  plan: fs.readFileSync(PLAN_SOURCE),
};
const tally: Record<string, number> = {};

beforeAll(async () => {
  dir = tempDir('minsheng-fuzz-');
  validateDb = await planDatabase(dir, 'validate.duckdb');
  store = await openStore(await planDatabase(dir, 'load.duckdb'));
  plan = await readPlan(store);
}, 60_000);

afterAll(() => {
  store?.close();
  const total = Object.values(ITERATIONS).reduce((a, b) => a + b, 0);
  process.stdout.write(
    `fuzzing (seed ${FUZZ_SEED}): ${total} mutants (${Object.entries(ITERATIONS).map(([k, n]) => `${k} ${n}`).join(', ')}); verdicts ${JSON.stringify(tally)}; ${accepted} accepted ones compared row for row with the reader\n`,
  );
  removeTempDirs();
});

/** The mutant through validate and load; throws with the iteration, the mutation and a replay file on any failure. */
async function check(label: string, how: string, bytes: Buffer, extension = '.xlsx'): Promise<void> {
  const name = `${label}${extension}`;
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  const context = `${label} (${how}); mutant kept at ${file}`;
  try {
    const started = Date.now();
    const v = await runCli('validate', file, '--db', validateDb, '--json');
    expect([0, 1, 2]).toContain(v.code);
    expect(v.stderr).not.toMatch(CRASH_TEXT);
    const report = JSON.parse(v.stdout).files[0] as { error?: string; issues: { severity: string; message: string; sheet: string }[] };
    if (v.code === 2) expect(report.error).toContain(name);
    if (v.code === 1) expect(report.issues.some((i) => i.severity === 'error')).toBe(true);
    for (const issue of report.issues) {
      expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
      expect(issue.message).not.toMatch(CRASH_TEXT);
    }

    const before = await snapshotWith(storeQuery(store));
    const loaded: FileLoad = await loadBytes(store, plan, bytes, name);
    expect(['loaded', 'duplicate', 'superseded-earlier', 'rejected', 'unreadable']).toContain(loaded.verdict);
    if (loaded.verdict === 'unreadable') expect(render('zh-TW', loaded.reason!)).toContain(name);
    if (loaded.verdict === 'rejected') expect(loaded.issues.some((i) => i.severity === 'error')).toBe(true);
    if (loaded.verdict === 'rejected' || loaded.verdict === 'unreadable') expect(await snapshotWith(storeQuery(store))).toEqual(before);
    if (loaded.verdict === 'loaded' || loaded.verdict === 'superseded-earlier') await expectStoredAsRead(file, loaded);
    expect(Date.now() - started).toBeLessThan(TIME_LIMIT_MS);
    tally[loaded.verdict] = (tally[loaded.verdict] ?? 0) + 1;
    fs.rmSync(file);
  } catch (error) {
    throw new Error(`${context}\n${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Each stored submission of an accepted mutant holds exactly the rows the workbook reader reads from the file. */
async function expectStoredAsRead(file: string, loaded: FileLoad): Promise<void> {
  const read = (await readWorkbook(file)).sheets.filter(detectSubmission).flatMap((grid) => readSubmissions(grid, plan).submissions);
  expect(loaded.submissions.length).toBeGreaterThan(0);
  for (const s of loaded.submissions) {
    const stored = await storeQuery(store)(`SELECT metric_id, completed, note FROM progress WHERE submission_id = ${Number(s.submissionId)}`);
    const reading = read.find((r) => r.district === s.district && r.asOf === s.asOf);
    expect(reading).toBeDefined();
    expect(stored.map((r) => [r.metric_id, r.completed, r.note ?? null]).sort()).toEqual(reading!.rows.map((r) => [r.metricId, r.completed, r.note ?? null]).sort());
  }
  accepted++;
}
let accepted = 0;

test(`zip bytes: ${ITERATIONS.zipBytes} mutants of the sample workbooks (flip, insert, delete, truncate, overwrite, duplicate)`, async () => {
  const rnd = seededRandom(FUZZ_SEED);
  for (let i = 0; i < ITERATIONS.zipBytes; i++) {
    const source = i % 3 === 2 ? 'plan' : 'submission';
    const { bytes, how } = mutateBytes(rnd, sources[source]);
    await check(`zip-${i}-${source}`, how, bytes);
  }
}, 600_000 * SCALE); // generous: the machine may be shared; a hang is what this catches

test(`XML parts: ${ITERATIONS.xmlText} mutants with broken or hostile XML inside a valid zip`, async () => {
  const rnd = seededRandom(FUZZ_SEED + 1);
  for (let i = 0; i < ITERATIONS.xmlText; i++) {
    const source = i % 4 === 3 ? 'plan' : 'submission';
    const { bytes, how } = await mutateXml(rnd, sources[source]);
    await check(`xml-${i}-${source}`, how, bytes);
  }
}, 600_000 * SCALE); // generous: the machine may be shared; a hang is what this catches

test(`grid cells: ${ITERATIONS.gridCells} mutants with random values (Chinese, full-width, huge, negative, NaN-like, errors, formulas, dates, 32,767 characters)`, async () => {
  const rnd = seededRandom(FUZZ_SEED + 2);
  for (let i = 0; i < ITERATIONS.gridCells; i++) {
    const source = i % 4 === 3 ? 'plan' : 'submission';
    const { bytes, how } = await mutateCells(rnd, sources[source], source);
    await check(`cells-${i}-${source}`, how, bytes);
  }
}, 600_000 * SCALE); // generous: the machine may be shared; a hang is what this catches

test('some mutants were accepted, and each was stored as read (the checks above ran on them)', () => {
  expect(accepted).toBeGreaterThan(0);
  expect(accepted).toBe((tally.loaded ?? 0) + (tally['superseded-earlier'] ?? 0));
});
