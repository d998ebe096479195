// Districts as the plan writes them, in the commands beyond the analyses (docs/design.md, "Districts as
// the plan writes them"; issue 10, item 3): on a plan and submissions in simplified script, load,
// supervise, sites, assess, token and the service's answer to an upload show 临平区, not the registry's
// 臨平區, in text, --json and --csv alike, while the store keeps the canonical name.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { readStoredPlan } from '../pipeline/db/plan';
import { openStore, queryObjects, withStore } from '../pipeline/db/store';
import { startService } from '../pipeline/server/service';
import { addToken, TokenRegistry } from '../pipeline/server/tokens';
import { writeSiteTemplate } from '../pipeline/sites/siteTemplate';
import { simplify } from '../core/text';
import { runCli } from './helpers/cli';
import { COMBINED_FILE, SUBMISSIONS_DIR } from './helpers/samples';
import { request, uploadHeaders } from './helpers/server';
import { simplifiedCopy, workbookText } from './helpers/scriptRuns';
import { removeTempDirs, tempDir } from './helpers/tempDir';

const AS_OF = '2024-09-30';
const dir = tempDir();
const db = path.join(dir, 'minsheng.duckdb');
const submissions = path.join(dir, 'submissions');
/** Canonical name → as the simplified plan writes it (plan_districts), read once the plan is loaded. */
let written: Record<string, string> = {};

afterAll(removeTempDirs);

const cli = (...args: string[]) => runCli(...args, '--db', db);

/** The canonical names the plan writes another way: none of these may reach a reader. */
const canonicalOnly = () => Object.keys(written).filter((d) => written[d] !== d);

/** What a reader sees names districts only as the plan writes them: no canonical spelling that differs. */
function expectPlanSpelling(text: string): void {
  expect(canonicalOnly().filter((d) => text.includes(d))).toEqual([]);
}

/** Every district named is one the plan writes, and at least one differs from the canonical name. */
function expectShownNames(districts: unknown[]): void {
  expect(districts.length).toBeGreaterThan(0);
  const shown = new Set(Object.values(written));
  expect(districts.filter((d) => typeof d !== 'string' || !shown.has(d))).toEqual([]);
  expect(districts.some((d) => !(d as string in written))).toBe(true);
}

async function stored(sql: string): Promise<string[]> {
  return withStore(db, { readOnly: true }, async (store) => (await queryObjects(store, sql)).map((r) => String(Object.values(r)[0])));
}

/** The store keeps canonical names: each is a key of plan_districts, none the plan's other spelling. */
async function expectCanonical(sql: string): Promise<void> {
  const names = await stored(sql);
  expect(names.length).toBeGreaterThan(0);
  expect(names.filter((d) => !(d in written))).toEqual([]);
}

beforeAll(async () => {
  fs.mkdirSync(submissions);
  const plan = path.join(dir, 'plan.xlsx');
  await simplifiedCopy(COMBINED_FILE, plan);
  const month = path.join(SUBMISSIONS_DIR, '2024-09');
  for (const f of fs.readdirSync(month).filter((name) => name.endsWith('.xlsx'))) await simplifiedCopy(path.join(month, f), path.join(submissions, simplify(f)));
  expect((await cli('plan', 'load', plan)).code).toBe(0);
  written = Object.fromEntries((await withStore(db, { readOnly: true }, (store) => queryObjects(store, 'SELECT district, written FROM plan_districts'))).map((r) => [String(r.district), String(r.written)]));
  expect(written['臨平區']).toBe('临平区');
}, 120_000);

test('load names each submission’s district as the plan writes it', async () => {
  const load = await cli('load', submissions, '--json', '--no-archive');
  expect(load.code).toBe(0);
  const files = JSON.parse(load.stdout).files as { submissions: { district: string }[] }[];
  expectShownNames(files.flatMap((f) => f.submissions.map((s) => s.district)));
  await expectCanonical('SELECT DISTINCT district FROM submissions');
}, 120_000);

test('supervise opens, lists and notes cases by the plan’s names and stores them by the canonical ones', async () => {
  const open = await cli('supervise', 'open', '--as-of', AS_OF, '--json');
  expect(open.code).toBe(0);
  const opened = JSON.parse(open.stdout).opened as { case_id: number; district: string }[];
  expectShownNames(opened.map((o) => o.district));

  const list = await cli('supervise', 'list', '--json');
  expectShownNames((JSON.parse(list.stdout) as { district: string }[]).map((c) => c.district));
  const csv = await cli('supervise', 'list', '--csv', '-');
  expectPlanSpelling(csv.stdout);
  expect(csv.stdout).toContain(opened[0].district);
  const table = await cli('supervise', 'list');
  expectPlanSpelling(table.stdout);
  expect(table.stdout).toContain(opened[0].district);
  const note = await cli('supervise', 'note', String(opened[0].case_id), '已約談', '--on', AS_OF);
  expect(note.stdout).toContain(opened[0].district);
  expectPlanSpelling(note.stdout);
  const review = await cli('supervise', 'review', '--as-of', '2024-10-31');
  expectPlanSpelling(review.stdout);

  await expectCanonical('SELECT DISTINCT district FROM supervision_cases');
}, 120_000);

test('sites: the template, its load, the check and the export say 临平区; the lists are stored under 臨平區', async () => {
  const template = path.join(dir, 'sites-template.xlsx');
  const made = await cli('sites', 'template', '--district', '臨平', '-o', template);
  expect(made.code).toBe(0);
  expect(made.stdout).toContain('临平区');
  expectPlanSpelling(made.stdout);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(template);
  expect(book.worksheets[0].getCell('A2').text).toContain('临平区');

  const plan = await readStoredPlan(db);
  const filled = path.join(dir, 'sites-filled.xlsx');
  const site = (n: number) => ({ metricId: '1-1', name: `临平老年食堂${n}`, address: `临平区某路${n}号`, plannedStart: '2024-03-01', plannedFinish: '2024-10-31', status: 'in_progress' as const });
  await writeSiteTemplate(plan, '臨平區', 'zh-CN', filled, { fill: [site(1), site(2)] });
  const load = await cli('sites', 'load', filled, '--as-of', AS_OF, '--json');
  expect(load.code).toBe(0);
  const loaded = JSON.parse(load.stdout) as { files: { districts: string[] }[]; check: { district: string }[] };
  expect(loaded.files[0].districts).toEqual(['临平区']);
  expectShownNames(loaded.check.map((r) => r.district));

  const check = await cli('sites', 'check', '--as-of', AS_OF);
  expect(check.stdout).toContain('临平区');
  expectPlanSpelling(check.stdout);
  const exported = await cli('sites', 'export', '--csv', '-');
  expect(exported.stdout).toContain('临平区');
  expectPlanSpelling(exported.stdout);
  await expectCanonical('SELECT DISTINCT district FROM site_lists');
}, 120_000);

test('assess and assess explain name the districts assessed as the plan writes them', async () => {
  const rules = path.join(dir, 'rules.xlsx');
  expect((await cli('assess', 'rules', '-o', rules)).code).toBe(0);
  // The rules workbook lists the districts assessed as the plan writes them, and reads back.
  const listed = await workbookText(rules);
  expect(listed).toContain('临平区');
  expect(listed).not.toContain('臨平區');
  expect((await cli('assess', 'load', rules)).code).toBe(0);
  const json = await cli('assess', '--json');
  expect(json.code).toBe(0);
  expectShownNames((JSON.parse(json.stdout).districts as { district: string }[]).map((d) => d.district));
  const text = await cli('assess');
  expect(text.stdout).toContain('临平区');
  expectPlanSpelling(text.stdout);
  const csv = await cli('assess', '--csv', '-');
  expect(csv.stdout).toContain('临平区');
  expectPlanSpelling(csv.stdout);

  const explain = await cli('assess', 'explain', '--district', '臨平區', '--json');
  expect(JSON.parse(explain.stdout).assessee).toBe('临平区');
  const said = await cli('assess', 'explain', '--district', '临平', '--lang', 'zh-CN');
  expect(said.stdout).toContain('临平区');
  expectPlanSpelling(said.stdout);
}, 120_000);

test('token and the service’s answer to an upload say 临平区; the token file keeps 臨平區', async () => {
  const tokensFile = path.join(dir, 'tokens.json');
  const added = await cli('token', 'add', '--tokens', tokensFile, '--district', '临平区');
  expect(added.stderr).toContain('临平区');
  expect(JSON.parse(fs.readFileSync(tokensFile, 'utf8')).tokens[0].district).toBe('臨平區');
  const listed = await cli('token', 'list', '--tokens', tokensFile);
  expect(listed.stdout).toContain('临平区');
  expectPlanSpelling(listed.stdout);

  const token = addToken(tokensFile, { district: '臨平區' }).token;
  const store = await openStore(db);
  const service = await startService({ store, tokens: new TokenRegistry(tokensFile), host: '127.0.0.1', port: 0, log: () => undefined });
  try {
    const bytes = fs.readFileSync(path.join(submissions, '临平区.xlsx'));
    const reply = await request(service.url, '/api/submissions', { method: 'POST', headers: uploadHeaders(token, '临平区.xlsx'), body: bytes });
    expect(reply.status).toBe(200);
    expect(reply.json().submissions.map((s: { district: string }) => s.district)).toEqual(['临平区']);
    const other = await request(service.url, '/api/submissions', { method: 'POST', headers: uploadHeaders(token, '上城区.xlsx'), body: fs.readFileSync(path.join(submissions, '上城区.xlsx')) });
    expect(other.status).toBe(403);
    expect(other.body.toString()).toContain('上城区');
    expectPlanSpelling(other.body.toString());
  } finally {
    await service.close();
    store.close();
  }
}, 120_000);
