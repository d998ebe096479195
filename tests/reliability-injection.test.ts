// docs/design.md, "Broken and hostile input": nothing typed into a workbook becomes code where the
// product writes it back out. Text that a spreadsheet would run ("=HYPERLINK(...)", "+1", "-1", "@SUM")
// or a browser would render ("<script>") is planted in plan names, milestone texts and report notes, then
// every writer runs — the normalised copy, the template, the leaders' report, the annotated copy, CSV,
// JSON and the service — and its output is read back: text cells only (no formula, no hyperlink), CSV
// text cells prefixed, JSON served as JSON. `minsheng sql` cannot change the database, whatever it is
// given. And a static check: SQL in the pipeline takes values only as parameters; the add-in never writes
// markup.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import * as ts from 'typescript';
import type { Plan } from '../core/model';
import { tidyText } from '../core/text';
import { chartSize } from '../pipeline/charts/render';
import { readPlan, replacePlan } from '../pipeline/db/plan';
import { openStore } from '../pipeline/db/store';
import { loadFile } from '../pipeline/loadFiles';
import type { ChartRenderer } from '../pipeline/report/reportCharts';
import { writeReport } from '../pipeline/report/writeReport';
import { startService } from '../pipeline/server/service';
import { addToken, TokenRegistry } from '../pipeline/server/tokens';
import { CORPUS_DIR, HOSTILE_TEXTS } from './fixtures/bad/generate';
import { cliProcess, runCli } from './helpers/cli';
import { SAMPLE_DIR } from './helpers/samples';
import { CRASH_TEXT, planDatabase, snapshotFile } from './helpers/reliability';
import { removeTempDirs, tempDir } from './helpers/tempDir';
import { request } from './helpers/server';
import { ROOT } from './helpers/paths';

const HOSTILE = Object.values(HOSTILE_TEXTS);
/** Pieces of the planted texts that survive tidying (spaces next to Chinese go): how a written cell is recognised. */
const FRAGMENTS = ['HYPERLINK("http://example.invalid', '已與區財政核對', '個點位待驗收', '@SUM(1+1)', '<script>alert'];
const containsHostile = (text: string) => FRAGMENTS.some((f) => text.includes(f));

let dir: string;
let db: string;
let plan: Plan;

/** The sample plan with the hostile texts in a category, project names, a lead unit, metric labels and every milestone. */
function hostilePlan(sample: Plan): Plan {
  const p = structuredClone(sample);
  p.categories[0].name = HOSTILE_TEXTS.minus;
  p.projects[0].name = HOSTILE_TEXTS.hyperlink;
  p.projects[1].leadUnit = HOSTILE_TEXTS.at;
  p.metrics[0].label = HOSTILE_TEXTS.plus;
  p.metrics[1].label = HOSTILE_TEXTS.script;
  p.milestones.forEach((m, i) => (m.text = `${HOSTILE[i % HOSTILE.length]} ${m.text}`));
  return p;
}

beforeAll(async () => {
  dir = tempDir('minsheng-injection-');
  db = await planDatabase(dir);
  const store = await openStore(db);
  try {
    plan = hostilePlan(await readPlan(store));
    await replacePlan(store, plan, [{ fileName: 'hostile-plan.xlsx', sha256: '0'.repeat(64) }]);
    // A month of reports, then 上城區's again with the planted notes (it supersedes the plain one).
    const month = path.join(SAMPLE_DIR, 'submissions/2024-09');
    for (const f of fs.readdirSync(month).sort()) await loadFile(store, plan, path.join(month, f));
    const noted = await loadFile(store, plan, path.join(CORPUS_DIR, 'submission-formula-like-text.xlsx'));
    expect(noted.verdict).toBe('superseded-earlier');
  } finally {
    store.close();
  }
}, 120_000);

afterAll(removeTempDirs);

// ---------------------------------------------------------------------------------------------
// Workbooks written back

interface Inspection {
  /** Cells whose text holds a planted text, with their ExcelJS type. */
  hostile: { at: string; type: ExcelJS.ValueType; text: string }[];
  formulas: { at: string; formula: string }[];
  hyperlinks: string[];
}

/** Every cell of every sheet, as ExcelJS reads the file back. */
async function inspectWorkbook(file: string): Promise<Inspection> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const found: Inspection = { hostile: [], formulas: [], hyperlinks: [] };
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        const at = `${ws.name}!${cell.address}`;
        if (cell.type === ExcelJS.ValueType.Formula) found.formulas.push({ at, formula: String(cell.formula ?? '') });
        if (cell.type === ExcelJS.ValueType.Hyperlink) found.hyperlinks.push(at);
        if (cell.type === ExcelJS.ValueType.Merge) return;
        const text = cell.type === ExcelJS.ValueType.RichText ? (cell.value as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join('') : String(cell.text ?? '');
        if (containsHostile(text)) found.hostile.push({ at, type: cell.type, text });
      }),
    );
  }
  return found;
}

/** The raw parts: no hyperlink element or external link anywhere, no markup that escaped XML escaping. */
async function expectInertParts(file: string): Promise<void> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  for (const name of Object.keys(zip.files).filter((n) => /\.(xml|rels|vml)$/.test(n))) {
    const xml = await zip.file(name)!.async('string');
    expect({ name, hyperlink: /<hyperlink\b/.test(xml) }).toEqual({ name, hyperlink: false });
    expect({ name, external: /TargetMode="External"/.test(xml) }).toEqual({ name, external: false });
    expect({ name, script: /<script/i.test(xml) }).toEqual({ name, script: false });
    for (const f of xml.matchAll(/<f\b[^>]*>([^<]*)<\/f>/g)) expect({ name, formula: f[1], hostile: containsHostile(f[1]) || /HYPERLINK/i.test(f[1]) }).toMatchObject({ hostile: false });
  }
}

const TEXT_TYPES = [ExcelJS.ValueType.String, ExcelJS.ValueType.RichText, ExcelJS.ValueType.SharedString];

async function expectPlainText(file: string, expectAtLeast: number): Promise<Inspection> {
  const found = await inspectWorkbook(file);
  // The planted texts were written (otherwise this would prove nothing) ...
  expect(found.hostile.length).toBeGreaterThanOrEqual(expectAtLeast);
  // ... as text, each of them.
  for (const cell of found.hostile) expect({ at: cell.at, text: TEXT_TYPES.includes(cell.type) }).toEqual({ at: cell.at, text: true });
  expect(found.hyperlinks).toEqual([]);
  for (const f of found.formulas) expect({ ...f, hostile: containsHostile(f.formula) || /HYPERLINK/i.test(f.formula) }).toMatchObject({ hostile: false });
  await expectInertParts(file);
  return found;
}

test('the normalised copy of a plan with formula-like names and notes keeps them as text', async () => {
  const out = path.join(dir, 'normalised.xlsx');
  const r = await runCli('normalise', path.join(CORPUS_DIR, 'plan-formula-like-text.xlsx'), '-o', out);
  expect(r.code).toBe(0);
  const found = await expectPlainText(out, 4);
  // The note beside 附件2's table, "=HYPERLINK(...)" as typed, is still that text in the copy.
  expect(found.hostile.map((c) => c.text)).toContain(HOSTILE_TEXTS.hyperlink);
});

test('the template for a district writes project names and metric labels from the plan as text', async () => {
  const out = path.join(dir, 'template.xlsx');
  const r = await runCli('template', '--district', '上城區', '--as-of', '2024-10-31', '-o', out, '--db', db);
  expect(r.code).toBe(0);
  const found = await expectPlainText(out, 2);
  expect(found.hostile.map((c) => c.text)).toEqual(expect.arrayContaining([HOSTILE_TEXTS.hyperlink, HOSTILE_TEXTS.plus]));
  // The template's own formulas (完成率) are all there is.
  for (const f of found.formulas) expect(f.formula).toMatch(/^IF\(G\d+="","",G\d+\/([A-Z]+\d+|[\d.]+)\)$/);
}, 60_000);

/** Charts are pictures, not text cells: a blank PNG of the chart's size keeps this test fast. */
const BLANK_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const blankChart: ChartRenderer = async (spec) => ({ svg: '', png: BLANK_PNG, ...chartSize(spec) });

test("the leaders' report writes names, milestones and notes as text", async () => {
  const out = path.join(dir, 'report.xlsx');
  const store = await openStore(db, { readOnly: true });
  try {
    await writeReport(store, { asOf: '2024-09-30', out, lang: 'zh-TW', render: blankChart });
  } finally {
    store.close();
  }
  const found = await expectPlainText(out, 3);
  // Milestones, a metric label and the planted notes all reach the leaders' sheets.
  const texts = found.hostile.map((c) => c.text).join('\n');
  for (const fragment of ['已與區財政核對', '<script>alert']) expect(texts).toContain(fragment);
}, 60_000);

test("the annotated copy of a district's report keeps its formula-like notes as text", async () => {
  const out = path.join(dir, 'annotated.xlsx');
  const r = await runCli('annotate', path.join(CORPUS_DIR, 'submission-formula-like-text.xlsx'), '-o', out, '--db', db);
  expect(r.code).toBe(0);
  const found = await expectPlainText(out, HOSTILE.length);
  expect(found.hostile.map((c) => c.text)).toEqual(expect.arrayContaining([HOSTILE_TEXTS.hyperlink, HOSTILE_TEXTS.at, HOSTILE_TEXTS.script]));
}, 60_000);

// ---------------------------------------------------------------------------------------------
// CSV and JSON

/** RFC 4180 fields of a CSV text (quoted fields may hold commas, quotes and line breaks). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && body[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** Every field a spreadsheet would run is a plain number or carries the quote prefix. */
function expectInertCsv(text: string): string[] {
  const fields = csvRows(text).flat();
  for (const field of fields) {
    if (/^[=+\-@\t\r]/.test(field)) expect({ field, number: /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(field) }).toEqual({ field, number: true });
  }
  return fields;
}

test('CSV from lag and from an ad-hoc query: every planted text arrives prefixed, never as a formula', async () => {
  const file = path.join(dir, 'lag.csv');
  const lag = await runCli('lag', '--as-of', '2024-09-30', '--db', db, '--csv', file);
  expect(lag.code).toBe(0);
  const lagFields = expectInertCsv(fs.readFileSync(file, 'utf8'));
  // Labels come from the plan as written; notes (below) are tidied as every note is.
  expect(lagFields).toContain(`'${HOSTILE_TEXTS.plus}`);
  expect(lagFields).toContain(HOSTILE_TEXTS.script);

  const notes = await runCli('sql', 'SELECT note FROM progress WHERE note IS NOT NULL ORDER BY note', '--db', db, '--csv', '-');
  expect(notes.code).toBe(0);
  const noteFields = expectInertCsv(notes.stdout);
  for (const text of [HOSTILE_TEXTS.hyperlink, tidyText(HOSTILE_TEXTS.plus), tidyText(HOSTILE_TEXTS.minus), HOSTILE_TEXTS.at]) expect(noteFields).toContain(`'${text}`);
  expect(noteFields).toContain(HOSTILE_TEXTS.script);
});

test('JSON from the CLI and the service carries the texts exactly, served as JSON that a browser will not sniff as a page', async () => {
  const lag = await runCli('lag', '--as-of', '2024-09-30', '--db', db, '--json');
  const labels = new Set((JSON.parse(lag.stdout) as { label: string }[]).map((r) => r.label));
  expect(labels.has(HOSTILE_TEXTS.plus)).toBe(true);
  expect(labels.has(HOSTILE_TEXTS.script)).toBe(true);

  // The service on a copy of the database (the CLI above opened it read-only; the service writes).
  const serviceDb = path.join(dir, 'service.duckdb');
  fs.copyFileSync(db, serviceDb);
  const store = await openStore(serviceDb);
  const tokensFile = path.join(dir, 'tokens.json');
  const token = addToken(tokensFile, { adminName: '督查室' }).token;
  const faults: unknown[] = [];
  const service = await startService({ store, tokens: new TokenRegistry(tokensFile), host: '127.0.0.1', port: 0, log: () => undefined, onInternalError: (e) => faults.push(e) });
  try {
    for (const route of ['/api/lag?as_of=2024-09-30', '/api/plan']) {
      const reply = await request(service.url, route, { headers: { Authorization: `Bearer ${token}` } });
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(reply.headers['x-content-type-options']).toBe('nosniff');
      expect(JSON.stringify(reply.json())).toContain(JSON.stringify(HOSTILE_TEXTS.script).slice(1, -1));
    }
    expect(faults).toEqual([]);
  } finally {
    await service.close();
    store.close();
  }
}, 60_000);

// ---------------------------------------------------------------------------------------------
// minsheng sql

describe('`minsheng sql` cannot change the database or write files', () => {
  const attempts: [string, (d: string) => string][] = [
    ['INSERT', () => "INSERT INTO districts VALUES ('火星區', 99)"],
    ['UPDATE', () => 'UPDATE metrics SET city_target = 0'],
    ['DELETE', () => 'DELETE FROM progress'],
    ['DROP', () => 'DROP TABLE progress'],
    ['CREATE', () => 'CREATE TABLE t AS SELECT 1 AS a'],
    ['ALTER', () => 'ALTER TABLE metrics ADD COLUMN x INTEGER'],
    ['COPY ... TO a file', (d) => `COPY (SELECT * FROM progress) TO '${d}/stolen.csv'`],
    ['COPY ... TO the database file itself', () => `COPY (SELECT 1 AS a) TO '${db}' (FORMAT csv)`],
    ['EXPLAIN ANALYZE COPY ... TO the database file', () => `EXPLAIN ANALYZE COPY (SELECT 1 AS a) TO '${db}' (FORMAT csv)`],
    ["EXPORT DATABASE to the database's .wal", () => `EXPORT DATABASE '${db}.wal'`],
    ['ATTACH a new database', (d) => `ATTACH '${d}/other.duckdb' AS other`],
    ['PRAGMA', () => 'PRAGMA enable_profiling'],
    ['SET a profiling output file', (d) => `SET profiling_output = '${d}/profile.json'`],
    ['multi-statement SELECT 1; DELETE', () => 'SELECT 1; DELETE FROM progress'],
    ['a transaction', () => 'BEGIN TRANSACTION; DELETE FROM progress; COMMIT'],
    ['a macro', () => 'CREATE MACRO evil() AS 1'],
  ];

  test.each(attempts)('%s: refused with a Chinese reason, the database and its folder unchanged', async (_what, sql) => {
    const scratch = tempDir('minsheng-sql-');
    const before = await snapshotFile(db);
    const filesBefore = fs.readdirSync(dir).sort();
    const r = await runCli('sql', sql(scratch), '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/minsheng sql (只執行查詢|只查詢資料庫本身|不能更改資料庫設定)/);
    expect(r.stderr).not.toMatch(CRASH_TEXT);
    expect(fs.readdirSync(scratch)).toEqual([]);
    expect(fs.readdirSync(dir).sort()).toEqual(filesBefore);
    expect(await snapshotFile(db)).toEqual(before);
  });

  // Functions past the locked configuration: logging to a folder the sandbox refuses aborted the whole
  // process with an uncaught C++ exception, profiling printed its tree into stdout, query() runs text
  // assembled at run time. Each is refused before any statement runs, whatever its spelling.
  const settingCalls: [string, (d: string) => string][] = [
    ['enable_logging as a quoted table function', () => 'SELECT * FROM "Enable_Logging"()'],
    ['enable_profiling, then a query', () => 'CALL enable_profiling(); SELECT 1'],
    ['disable_logging and truncate_duckdb_logs', () => 'CALL disable_logging(); CALL truncate_duckdb_logs()'],
    ['force_checkpoint', () => 'CALL force_checkpoint()'],
    ['enable_peg_parser', () => 'CALL enable_peg_parser()'],
    ['SQL assembled at run time by query()', () => "SELECT * FROM query('SELECT * FROM enable_' || 'logging()')"],
    ['json_execute_serialized_sql', () => "CALL json_execute_serialized_sql(json_serialize_sql('SELECT 1'))"],
    ['write_log', () => "SELECT write_log('x', level := 'error')"],
  ];
  const SETTINGS_REFUSED = /minsheng sql 不能更改資料庫設定：語句中用到了 \S+/;

  test('enable_logging to a folder, then a query: refused in Chinese, and the process ends normally (it aborted)', async () => {
    const scratch = tempDir('minsheng-sql-');
    const before = await snapshotFile(db);
    const sql = `CALL enable_logging(storage='file', storage_path='${scratch}/logs'); SELECT 1`;
    const r = await cliProcess(['sql', sql, '--db', db], { env: { MINSHENG_LANG: 'zh-TW' } });
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 2, signal: null });
    expect(r.stderr).toMatch(SETTINGS_REFUSED);
    expect(r.stderr).not.toMatch(/terminate called|exception/i);
    expect(r.stdout).toBe('');
    expect(fs.readdirSync(scratch)).toEqual([]);
    expect(await snapshotFile(db)).toEqual(before);
  }, 60_000);

  test.each(settingCalls)('%s: refused in Chinese before anything runs', async (_what, sql) => {
    const scratch = tempDir('minsheng-sql-');
    const before = await snapshotFile(db);
    const filesBefore = fs.readdirSync(dir).sort();
    const r = await runCli('sql', sql(scratch), '--db', db, '--lang', 'zh-TW');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(SETTINGS_REFUSED);
    expect(r.stdout).toBe('');
    expect(fs.readdirSync(scratch)).toEqual([]);
    expect(fs.readdirSync(dir).sort()).toEqual(filesBefore);
    expect(await snapshotFile(db)).toEqual(before);
  });

  test('queries still run: SELECT, the macros, SUMMARIZE, EXPLAIN, SET VARIABLE', async () => {
    const r = await runCli('sql', "SET VARIABLE d = DATE '2024-09-30'; SELECT count(*) AS n FROM ranking(getvariable('d'))", '--db', db, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)[0].n).toBeGreaterThan(0);
    for (const sql of ['SUMMARIZE metrics', 'EXPLAIN SELECT * FROM progress', 'EXPLAIN ANALYZE SELECT count(*) FROM progress', 'SELECT count(*) FROM duckdb_logs']) {
      expect((await runCli('sql', sql, '--db', db)).code).toBe(0);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Static checks

function sourceFiles(folder: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ts$/.test(e.name))
    .map((e) => path.relative(ROOT, path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name)));
}

/** Text that is SQL: it starts with a statement's keyword, or selects from something (not a Chinese message naming a statement). */
const isSql = (text: string) =>
  /^\s*\(?\s*(WITH|SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|COPY|ATTACH|DETACH|PRAGMA|SET|EXPORT|CALL|FROM|EXPLAIN)\b/.test(text) || /\bSELECT\b[\s\S]*\bFROM\b/.test(text);

/**
 * Every `${...}` inside a SQL template string of the pipeline, with why it is safe. A new interpolation
 * fails the test until it is either made a parameter ($1) or added here with its reason.
 */
const SAFE_INTERPOLATIONS: Record<string, string> = {
  'pipeline/db/queries.ts: BY_DISTRICT_AND_METRIC': 'a constant ORDER BY clause',
  'pipeline/db/plan.ts: table': 'a name from the constant PLAN_TABLES',
  'pipeline/db/export.ts: table': 'a name from the constant PLAN_TABLES or SUPERVISION_TABLES',
  'pipeline/db/supervision.ts: BY_PAIR': 'a constant ORDER BY clause',
  'pipeline/db/export.ts: Number(planYear)': 'a number read from plan_meta, forced to a number',
  'pipeline/db/export.ts: select': 'one of the constant SELECTs built in this file',
  'pipeline/db/export.ts: partition': "the constant 'year, district' / 'year' partition lists",
  "pipeline/db/export.ts: partitionBy ? ', OVERWRITE_OR_IGNORE true' : ''": 'a constant option',
};

test('SQL in the pipeline takes values only as parameters: every interpolation into SQL text is a known constant', () => {
  const seen: string[] = [];
  const concatenated: string[] = [];
  for (const file of sourceFiles('pipeline')) {
    const source = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (ts.isTemplateExpression(node)) {
        const text = node.head.text + node.templateSpans.map((s) => s.literal.text).join('');
        if (isSql(text)) for (const span of node.templateSpans) seen.push(`${file}: ${span.expression.getText(source)}`);
      }
      if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
        const literalSql = [node.left, node.right].some((side) => ts.isStringLiteral(side) && isSql(side.text));
        const other = [node.left, node.right].some((side) => !ts.isStringLiteralLike(side));
        if (literalSql && other) concatenated.push(`${file}: ${node.getText(source).slice(0, 80)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  expect(seen.filter((s) => !(s in SAFE_INTERPOLATIONS))).toEqual([]);
  expect(concatenated).toEqual([]);
  // The allow-list stays honest: each entry still exists.
  expect(Object.keys(SAFE_INTERPOLATIONS).filter((k) => !seen.includes(k))).toEqual([]);
});

test('the add-in never turns text into markup: no innerHTML, outerHTML, insertAdjacentHTML or document.write', () => {
  const sinks: string[] = [];
  for (const file of sourceFiles('addin')) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    for (const m of text.matchAll(/\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML\s*\(|document\.write(ln)?\s*\(|createContextualFragment\s*\(/g)) sinks.push(`${file}: ${m[0]}`);
  }
  expect(sourceFiles('addin').length).toBeGreaterThan(0);
  expect(sinks).toEqual([]);
});
