// docs/design.md, "Broken and hostile input": every file of the bad-input corpus (tests/fixtures/bad,
// made by generate.ts) goes through `minsheng validate`, `minsheng load` (into a database holding the
// sample plan), `minsheng plan load` (plan-shaped cases) and the service's POST /api/submissions. Each
// gets the verdict a clerk can act on (exit code or HTTP status, a Chinese reason naming the file, the
// cell where there is one), no stack trace, an answer within a time bound, bounded memory, and a rejected
// file leaves every table of the database exactly as it was. Files that are fine apart from their quirks
// load with nothing lost.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tidyText } from '../core/text';
import { readSubmissionBytes } from '../pipeline/loadFiles';
import { BAD_CASES, CORPUS_DIR, HOSTILE_TEXTS, MAX_CELL_CHARS, SUBMISSION_SOURCE, type BadCase } from './fixtures/bad/generate';
import { cliProcess, runCli } from './helpers/cli';
import { CRASH_TEXT, measured, planDatabase, queryFile, snapshotFile, snapshotWith, type DbSnapshot } from './helpers/reliability';
import { removeTempDirs, tempDir } from './helpers/tempDir';
import { request, startTestService, uploadHeaders, type TestService } from './helpers/server';

/** What each case must get. `stored`: loaded whole; `rejected`: read, with errors at cells; `unreadable`: not read at all. */
interface Expected {
  validate: 0 | 1 | 2;
  /** What an unreadable file's reason says, after naming the file. */
  reason?: RegExp;
  /** What `load` says when it differs from validate (a plan workbook is not a progress report). */
  loadReason?: RegExp;
  load: 'stored' | 'rejected' | 'unreadable';
  /** Cells the errors name (in validate and, for submissions, load and the service). */
  cells?: string[];
  /** Issue codes that must be among validate's warnings. */
  warnings?: string[];
  /** `minsheng plan load` exit code, for cases made from the plan. */
  planLoad?: 0 | 1 | 2;
}

const NOT_A_SUBMISSION = /沒有進度報送表/;

const EXPECTED: Record<string, Expected> = {
  'empty-file.xlsx': { validate: 2, reason: /是空檔案（0位元組）/, load: 'unreadable' },
  'random-bytes.xlsx': { validate: 2, reason: /不是Excel工作簿/, load: 'unreadable' },
  'random-bytes-zip-header.xlsx': { validate: 2, reason: /已損壞/, load: 'unreadable' },
  'truncated-half.xlsx': { validate: 2, reason: /已損壞或不完整/, load: 'unreadable' },
  'truncated-no-central-directory.xlsx': { validate: 2, reason: /已損壞或不完整/, load: 'unreadable' },
  'csv-renamed.xlsx': { validate: 2, reason: /CSV文字檔案.*另存為/, load: 'unreadable' },
  'text-renamed.xlsx': { validate: 2, reason: /純文字檔案.*另存為/, load: 'unreadable' },
  'empty-workbook.xlsx': { validate: 2, reason: /沒有任何內容/, load: 'unreadable' },
  'unrelated-table.xlsx': { validate: 2, reason: /沒有可識別的表格/, loadReason: NOT_A_SUBMISSION, load: 'unreadable' },
  'zip-bomb.xlsx': { validate: 2, reason: /壓縮炸彈/, load: 'unreadable' },
  'million-row-used-range.xlsx': { validate: 2, reason: /範圍過大：A1:I1048576/, load: 'unreadable' },
  'macro-submission.xlsm': { validate: 0, warnings: ['macros'], load: 'stored' },
  'macro-plan.xlsm': { validate: 0, warnings: ['macros'], loadReason: NOT_A_SUBMISSION, load: 'unreadable', planLoad: 0 },
  'plan-formulas-in-values.xlsx': { validate: 1, cells: ['G5'], loadReason: NOT_A_SUBMISSION, load: 'unreadable', planLoad: 1 },
  'plan-error-values.xlsx': { validate: 1, cells: ['F6', 'H7'], loadReason: NOT_A_SUBMISSION, load: 'unreadable', planLoad: 1 },
  'plan-merged-header.xlsx': { validate: 1, warnings: ['missing-district'], cells: ['C5'], loadReason: NOT_A_SUBMISSION, load: 'unreadable', planLoad: 1 },
  'plan-hidden-rows-and-sheets.xlsx': { validate: 0, loadReason: NOT_A_SUBMISSION, load: 'unreadable', planLoad: 0 },
  'plan-formula-like-text.xlsx': { validate: 0, loadReason: NOT_A_SUBMISSION, load: 'unreadable', planLoad: 0 },
  'plan-rtl-zero-width.xlsx': { validate: 0, loadReason: NOT_A_SUBMISSION, load: 'unreadable', planLoad: 0 },
  'plan-long-cells.xlsx': { validate: 0, loadReason: NOT_A_SUBMISSION, load: 'unreadable', planLoad: 0 },
  'submission-formulas-in-completed.xlsx': { validate: 1, cells: ['G6'], load: 'rejected' },
  'submission-error-values.xlsx': { validate: 1, cells: ['G5', 'G7'], load: 'rejected' },
  'submission-date-as-text.xlsx': { validate: 0, load: 'stored' },
  'submission-date-as-serial.xlsx': { validate: 0, load: 'stored' },
  'submission-date-as-bare-serial.xlsx': { validate: 0, load: 'stored' },
  'submission-merged-header.xlsx': { validate: 0, load: 'stored' },
  'submission-hidden-rows-and-sheets.xlsx': { validate: 0, load: 'stored' },
  'submission-formula-like-text.xlsx': { validate: 0, load: 'stored' },
  'submission-rtl-zero-width.xlsx': { validate: 0, load: 'stored' },
  'submission-long-cells.xlsx': { validate: 0, load: 'stored' },
};

/** Generous: a case takes well under a second here; this only catches a hang or a pathological slowdown. */
const TIME_LIMIT_MS = 20_000;
/** Peak resident memory growth allowed while one case is read (the zip bomb inflates to 64 MB; it must never be held). */
const RSS_LIMIT_MB = 200;
/** The hard limit for the one-process run of the whole corpus below. */
const CHILD_HEAP_LIMIT_MB = 256;

const corpusFile = (c: BadCase) => path.join(CORPUS_DIR, c.file);

interface Issue {
  code: string;
  severity: string;
  cell?: string;
  file?: string;
  message: string;
}

interface LoadJson {
  files: { file: string; verdict: string; reason?: string; issues: Issue[]; submissions: { submissionId?: number; rows: number; asOf: string; district: string }[] }[];
}

let loadDb: string;
let planDb: string;
let service: TestService;
/** The 上城區 report of 2024-09-30 as the loader reads it: what a stored case must still hold. */
let original: { rows: number; metricIds: string[]; asOf: string; completed: [string, number][] };
const figures: { file: string; validateMs: number; loadMs: number; serviceMs: number; rssGrowthMb: number }[] = [];

beforeAll(async () => {
  const dir = tempDir('minsheng-corpus-');
  loadDb = await planDatabase(dir, 'load.duckdb');
  planDb = await planDatabase(dir, 'plan.duckdb');
  service = await startTestService();
  const bytes = fs.readFileSync(SUBMISSION_SOURCE);
  const reading = await readSubmissionBytes(service.plan, bytes, path.basename(SUBMISSION_SOURCE));
  const [s] = reading.submissions;
  original = { rows: s.rows.length, metricIds: s.rows.map((r) => r.metricId).sort(), asOf: s.asOf, completed: s.rows.map((r) => [r.metricId, r.completed] as [string, number]).sort() };
}, 120_000);

afterAll(async () => {
  await service?.stop();
  removeTempDirs();
  if (figures.length > 0) {
    const slowest = figures.reduce((a, b) => (a.validateMs + a.loadMs + a.serviceMs > b.validateMs + b.loadMs + b.serviceMs ? a : b));
    const peak = figures.reduce((a, b) => (a.rssGrowthMb > b.rssGrowthMb ? a : b));
    process.stdout.write(
      `bad-input corpus: ${figures.length} cases × (validate, load, service); slowest ${slowest.file} ` +
        `${Math.round(slowest.validateMs + slowest.loadMs + slowest.serviceMs)} ms; largest RSS growth ${peak.file} ${peak.rssGrowthMb.toFixed(1)} MB (limit ${RSS_LIMIT_MB} MB)\n`,
    );
  }
});

test('the corpus on disk is the one the generator describes, and every case has an expectation', () => {
  const onDisk = fs.readdirSync(CORPUS_DIR).filter((f) => /\.xls[xm]$/i.test(f)).sort();
  expect(onDisk).toEqual(BAD_CASES.map((c) => c.file).sort());
  expect(Object.keys(EXPECTED).sort()).toEqual(onDisk);
  const manifest = JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'MANIFEST.json'), 'utf8')) as { file: string }[];
  expect(manifest.map((m) => m.file)).toEqual(BAD_CASES.map((c) => c.file));
  // Small by nature: the bomb and the million-row range are tiny files.
  const total = onDisk.reduce((n, f) => n + fs.statSync(path.join(CORPUS_DIR, f)).size, 0);
  expect(total).toBeLessThan(1024 * 1024);
});

const serviceQuery = (sql: string) => service.query(sql);

describe.each(BAD_CASES.map((c) => [c.file, c] as const))('%s', (file, badCase) => {
  const expected = EXPECTED[file];
  const name = badCase.file;

  test(`validate, load${expected.planLoad !== undefined ? ', plan load' : ''} and the service give one clear verdict; a refused file changes nothing`, async () => {
    // validate
    const v = await measured(() => runCli('validate', corpusFile(badCase), '--db', loadDb, '--json'));
    expect(v.value.code).toBe(expected.validate);
    expect(v.value.stderr).not.toMatch(CRASH_TEXT);
    const validated = JSON.parse(v.value.stdout).files[0] as { file: string; error?: string; issues: Issue[] };
    if (expected.validate === 2) {
      expect(validated.error).toContain(name);
      expect(validated.error).toMatch(expected.reason!);
    } else {
      expect(validated.error).toBeUndefined();
      const errors = validated.issues.filter((i) => i.severity === 'error');
      expect(errors.length > 0).toBe(expected.validate === 1);
      for (const cell of expected.cells ?? []) expect(errors.map((i) => i.cell)).toContain(cell);
      for (const code of expected.warnings ?? []) expect(validated.issues.filter((i) => i.severity === 'warning').map((i) => i.code)).toContain(code);
      for (const issue of validated.issues) expect(issue.message).not.toMatch(CRASH_TEXT);
    }
    const human = await runCli('validate', corpusFile(badCase), '--db', loadDb);
    expect(human.code).toBe(expected.validate);
    expect(`${human.stdout}\n${human.stderr}`).not.toMatch(CRASH_TEXT);
    expect(human.stdout).toContain(name);

    // load
    const before = await snapshotFile(loadDb);
    const l = await measured(() => runCli('load', corpusFile(badCase), '--db', loadDb, '--json'));
    expect(l.value.stderr).not.toMatch(CRASH_TEXT);
    const [loaded] = (JSON.parse(l.value.stdout) as LoadJson).files;
    const after = await snapshotFile(loadDb);
    if (expected.load === 'stored') {
      expect(l.value.code).toBe(0);
      expect(['loaded', 'superseded-earlier']).toContain(loaded.verdict);
      await expectStoredWhole(loaded.submissions[0].submissionId!, name);
    } else {
      expect(l.value.code).toBe(expected.load === 'unreadable' ? 2 : 1);
      expect(loaded.verdict).toBe(expected.load);
      if (expected.load === 'unreadable') {
        expect(loaded.reason).toContain(name);
        expect(loaded.reason).toMatch(expected.loadReason ?? expected.reason!);
      } else {
        const errorCells = loaded.issues.filter((i) => i.severity === 'error').map((i) => i.cell);
        for (const cell of expected.cells ?? []) expect(errorCells).toContain(cell);
        for (const issue of loaded.issues) expect(path.basename(issue.file ?? '')).toBe(name);
      }
      expect(after).toEqual(before);
    }

    // plan load (cases made from the plan workbook)
    if (expected.planLoad !== undefined) {
      const planBefore = await snapshotFile(planDb);
      const p = await runCli('plan', 'load', corpusFile(badCase), '--db', planDb);
      expect(p.code).toBe(expected.planLoad);
      expect(`${p.stdout}\n${p.stderr}`).not.toMatch(CRASH_TEXT);
      if (expected.planLoad !== 0) {
        expect(p.stderr).toContain('計劃未載入');
        expect(await snapshotFile(planDb)).toEqual(planBefore);
      } else await expectPlanRead(name);
    }

    // the service, as a district clerk uploading through the add-in
    const serviceBefore = await snapshotWith(serviceQuery);
    const bytes = fs.readFileSync(corpusFile(badCase));
    const s = await measured(() =>
      request(service.service.url, '/api/submissions', { method: 'POST', headers: uploadHeaders(service.tokens['上城區'], name), body: bytes }),
    );
    const reply = s.value.json();
    expect(service.internalErrors).toEqual([]);
    if (expected.load === 'stored') {
      expect(s.value.status).toBe(200);
      expect(['loaded', 'superseded-earlier']).toContain(reply.verdict);
      expect(reply.submissions[0]).toMatchObject({ district: '上城區', asOf: original.asOf, rows: original.rows });
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const stored = await service.query('SELECT p.metric_id, p.completed FROM progress p JOIN submissions s ON s.id = p.submission_id WHERE s.sha256 = $1', [sha256]);
      expect(stored.map((r) => [r.metric_id, r.completed]).sort()).toEqual(original.completed);
    } else {
      expect(s.value.status).toBe(422);
      expect(reply.error).toMatch(/[\u4e00-\u9fff]/);
      expect(reply.error).not.toMatch(CRASH_TEXT);
      if (expected.load === 'unreadable' && bytes.length > 0) {
        expect(reply.verdict).toBe('unreadable');
        expect(reply.reason).toContain(`「${name}」`);
      }
      if (expected.load === 'rejected') {
        expect(reply.verdict).toBe('rejected');
        const cells = (reply.issues as Issue[]).filter((i) => i.severity === 'error').map((i) => i.cell);
        for (const cell of expected.cells ?? []) expect(cells).toContain(cell);
      }
      expect(await snapshotWith(serviceQuery)).toEqual(serviceBefore);
    }
    expect((await request(service.service.url, '/api/health')).status).toBe(200);

    // time and memory
    for (const m of [v, l, s]) expect(m.ms).toBeLessThan(TIME_LIMIT_MS);
    const rssGrowthMb = Math.max(v.rssGrowthMb, l.rssGrowthMb, s.rssGrowthMb);
    expect(rssGrowthMb).toBeLessThan(RSS_LIMIT_MB);
    figures.push({ file: name, validateMs: v.ms, loadMs: l.ms, serviceMs: s.ms, rssGrowthMb });
  }, 120_000);
});

/**
 * A stored case lost nothing: every row of the original report with the amount the original holds, its
 * date and district, and each row's amount and note exactly as the reader reads them from the case itself.
 */
async function expectStoredWhole(submissionId: number, name: string): Promise<void> {
  const [submission] = await queryFile(loadDb, `SELECT district, CAST(as_of AS VARCHAR) AS as_of FROM submissions WHERE id = ${Number(submissionId)}`);
  expect(submission).toEqual({ district: '上城區', as_of: original.asOf });
  const rows = await queryFile(loadDb, `SELECT metric_id, completed, note FROM progress WHERE submission_id = ${Number(submissionId)} ORDER BY metric_id`);
  expect(rows.map((r) => r.metric_id).sort()).toEqual(original.metricIds);
  expect(rows.map((r) => [r.metric_id, r.completed]).sort()).toEqual(original.completed);
  const reading = await readSubmissionBytes(service.plan, fs.readFileSync(corpusFile(BAD_CASES.find((c) => c.file === name)!)), name);
  expect(reading.submissions).toHaveLength(1);
  const read = reading.submissions[0].rows.map((r) => [r.metricId, r.completed, r.note ?? null]).sort();
  expect(rows.map((r) => [r.metric_id, r.completed, r.note ?? null]).sort()).toEqual(read);
  const notes = rows.map((r) => r.note).filter((n): n is string => typeof n === 'string');
  if (name === 'submission-formula-like-text.xlsx') {
    // Kept as typed (tidied as every note is: spaces next to Chinese characters go), never evaluated.
    for (const text of Object.values(HOSTILE_TEXTS)) expect(notes).toContain(tidyText(text));
  }
  if (name === 'submission-long-cells.xlsx') expect(Math.max(...notes.map((n) => n.length))).toBe(MAX_CELL_CHARS);
  if (name === 'submission-rtl-zero-width.xlsx') expect(notes.some((n) => n.includes('مرحبا'))).toBe(true);
}

let samplePlan: DbSnapshot | undefined;

/** An accepted plan case was read as the sample plan is, apart from what the case changed on purpose. */
async function expectPlanRead(name: string): Promise<void> {
  samplePlan ??= await snapshotFile(loadDb);
  const now = await snapshotFile(planDb);
  const planTables = ['categories', 'projects', 'metrics', 'targets'];
  if (name === 'plan-long-cells.xlsx') {
    const [row] = await queryFile(planDb, 'SELECT max(length(plan_text)) AS longest FROM responsibilities');
    expect(Number(row.longest)).toBe(MAX_CELL_CHARS);
  } else if (name === 'plan-formula-like-text.xlsx') {
    const rows = await queryFile(planDb, `SELECT array_to_string(leaders, '|') AS l, array_to_string(lead_unit_leaders, '|') AS u, array_to_string(coordinating_units, '|') AS c, plan_text FROM responsibilities`);
    // Kept as text: a list cell (leaders, units) is split into names at its separators, but no character
    // of what was typed is dropped, and nothing is evaluated.
    const separators = /[\s|/,，、;；]/g;
    const stored = rows.map((r) => `${r.l}|${r.u}|${r.c}|${r.plan_text}`).join('\n').replace(separators, '');
    for (const text of Object.values(HOSTILE_TEXTS)) expect(stored).toContain(text.replace(separators, ''));
  } else planTables.push('responsibilities', 'milestones');
  // Hidden rows and sheets, invisible characters, a macro part: the plan read is the sample plan, row for row.
  for (const table of planTables) expect({ table, ...now[table] }).toEqual({ table, ...samplePlan[table] });
}

test(`the whole corpus in one \`minsheng load\` process under a ${CHILD_HEAP_LIMIT_MB} MB heap: one verdict per file, peak memory reported`, async () => {
  const dir = tempDir('minsheng-corpus-child-');
  const db = await planDatabase(dir);
  const preload = path.join(dir, 'report-max-rss.js');
  // The peak of this process image (VmHWM): getrusage's maxRSS also counts the forked jest worker's pages
  // from before exec, which after a few hundred tests is larger than the whole load. maxRSS off Linux.
  fs.writeFileSync(
    preload,
    "process.on('exit', () => { const hwm = /VmHWM:\\s+(\\d+) kB/.exec((() => { try { return require('fs').readFileSync('/proc/self/status', 'utf8'); } catch { return ''; } })()); process.stderr.write(`MAX_RSS_KB=${hwm ? hwm[1] : process.resourceUsage().maxRSS}\\n`); });\n",
  );
  const files = BAD_CASES.map(corpusFile);
  const started = Date.now();
  const result = await cliProcess(['load', ...files, '--db', db, '--json'], {
    node: [`--max-old-space-size=${CHILD_HEAP_LIMIT_MB}`, '--require', preload],
    env: { MINSHENG_DEBUG: '' },
  });
  expect(result.signal).toBeNull();
  expect(result.code).toBe(2);
  expect(result.stderr).not.toMatch(CRASH_TEXT);
  const verdicts = (JSON.parse(result.stdout) as LoadJson).files.map((f) => [path.basename(f.file), f.verdict]);
  expect(verdicts.map(([f]) => f)).toEqual(BAD_CASES.map((c) => c.file));
  for (const [file, verdict] of verdicts) {
    const want = EXPECTED[file].load;
    expect([file, want === 'stored' ? ['loaded', 'superseded-earlier'].includes(verdict) : verdict === want]).toEqual([file, true]);
  }
  const maxRssMb = Number(/MAX_RSS_KB=(\d+)/.exec(result.stderr)?.[1]) / 1024;
  expect(maxRssMb).toBeGreaterThan(0);
  expect(maxRssMb).toBeLessThan(CHILD_HEAP_LIMIT_MB + 256);
  process.stdout.write(`whole corpus in one load process: ${files.length} files, ${((Date.now() - started) / 1000).toFixed(1)} s, peak RSS ${maxRssMb.toFixed(0)} MB (V8 heap capped at ${CHILD_HEAP_LIMIT_MB} MB)\n`);
}, 120_000);
