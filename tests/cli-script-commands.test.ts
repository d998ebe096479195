// Every other command speaks its reader's script too (docs/design.md, "Messages and languages"; issue 10),
// beside what tests/cli-script.test.ts checks: run as a new mainland user would — LANG=zh_CN.UTF-8, no
// MINSHENG_LANG — on the sample converted to simplified script (OpenCC), the help of the program and of
// every command, normalise, annotate (cells, notes, summary sheet), template, the lead departments'
// workbook and views, supervise, sites, assess, export, token, rebuild, the service (answers to a request
// asking for the reader's script) and the refusals of bad input show
// no traditional-only character; with LANG=zh_TW.UTF-8 on the traditional sample, none of the
// simplified-only ones.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { DISTRICTS } from '../core/districts';
import { t } from '../core/messages';
import { matchKey, simplify } from '../core/text';
import type { CliResult } from './helpers/cli';
import { COMBINED_FILE, SAMPLE_DIR, SUBMISSIONS_DIR } from './helpers/samples';
import { simplifiedOnly, traditionalOnly } from './helpers/script';
import { request, uploadHeaders, type Reply, type RequestOptions } from './helpers/server';
import { asUser, asUserWith, chartText, simplifiedCopy, workbookText } from './helpers/scriptRuns';
import { removeTempDirs, tempDir } from './helpers/tempDir';

const MONTH = '2024-09';
const AS_OF = '2024-09-30';
const ASSESSMENT_INPUTS = ['參與監督.xlsx', '滿意度測評.xlsx', '第三方評價.xlsx'];
const SITES_FILE = '臨平區-點位.xlsx';

/** Every command line whose --help a user may ask for. */
const HELP = [
  [],
  ['validate'],
  ['normalise'],
  ['plan'],
  ['plan', 'load'],
  ['load'],
  ['template'],
  ['rank'],
  ['lag'],
  ['forecast'],
  ['history'],
  ['sql'],
  ['export'],
  ['report'],
  ['annotate'],
  ['assess'],
  ['assess', 'rules'],
  ['assess', 'template'],
  ['assess', 'load'],
  ['assess', 'explain'],
  ['serve'],
  ['token'],
  ['token', 'add'],
  ['token', 'list'],
  ['token', 'revoke'],
  ['supervise'],
  ['supervise', 'open'],
  ['supervise', 'review'],
  ['supervise', 'list'],
  ['supervise', 'note'],
  ['bulletin'],
  ['rebuild'],
  ['sites'],
  ['sites', 'template'],
  ['sites', 'load'],
  ['sites', 'check'],
  ['sites', 'export'],
];

afterAll(removeTempDirs);

/** The cell notes (comments) of a workbook, which text readers of cells alone miss. */
async function workbookNotes(file: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const parts: string[] = [];
  for (const ws of wb.worksheets) {
    ws.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        const note = cell.note;
        if (typeof note === 'string') parts.push(note);
        else if (note) parts.push(...(note.texts ?? []).map((r) => r.text));
      }),
    );
  }
  return parts.join('\n');
}

/** A copy of a submission with a word where a number belongs: its first 累計完成 figure. */
async function withWordForNumber(from: string, to: string, word: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(from);
  const header = matchKey('累計完成');
  for (const ws of wb.worksheets) {
    let at: { row: number; col: number } | undefined;
    ws.eachRow((row, r) => row.eachCell((cell, c) => void (at === undefined && matchKey(cell.text).startsWith(header) ? (at = { row: r, col: c }) : undefined)));
    if (!at) continue;
    for (let r = at.row + 1; r <= ws.rowCount; r++) {
      const cell = ws.getCell(r, at.col);
      if (typeof cell.value !== 'number') continue;
      cell.value = word;
      await wb.xlsx.writeFile(to);
      return;
    }
  }
  throw new Error(`no 累計完成 figure in ${from}`);
}

const cases = [
  { locale: 'zh_CN.UTF-8', script: 'simplified', foreign: traditionalOnly },
  { locale: 'zh_TW.UTF-8', script: 'traditional', foreign: simplifiedOnly },
] as const;

describe.each(cases)('LANG=$locale on a $script plan and inputs', ({ locale, script, foreign }) => {
  const dir = tempDir();
  const db = path.join(dir, 'minsheng.duckdb');
  const plan = path.join(dir, 'plan.xlsx');
  const submissions = path.join(dir, 'submissions');
  const inScript = (name: string) => (script === 'simplified' ? simplify(name) : name);
  const district = inScript('臨平區');
  const sitesFile = path.join(dir, inScript(SITES_FILE));
  const assessmentFiles = ASSESSMENT_INPUTS.map((f) => path.join(dir, inScript(f)));
  const run = (...args: string[]) => asUser(locale, ...args);
  /**
   * Characters of the other script that the input itself holds (data keeps the names the plan uses: the
   * traditional sample writes 裏, 占, 谘 and 辟 in its project texts); what the product wrote may hold these.
   */
  let inData = new Set<string>();
  const foreignWords = (text: string) => foreign(text).filter((ch) => !inData.has(ch));
  const shown = (r: CliResult) => foreignWords(`${r.stdout}\n${r.stderr}`);
  /** A command run to its end with exit code 0 and nothing of the other script in what it printed. */
  const clean = async (...args: string[]) => {
    const result = await run(...args);
    expect([args.join(' '), result.code, shown(result), result.stderr.slice(0, 300)]).toEqual([args.join(' '), 0, [], expect.anything()]);
    return result;
  };
  const workbookWords = async (file: string) => foreignWords(`${await workbookText(file)}\n${await workbookNotes(file)}`);

  beforeAll(async () => {
    fs.mkdirSync(submissions);
    const copy = (from: string, to: string) => (script === 'simplified' ? simplifiedCopy(from, to) : fs.promises.copyFile(from, to));
    await copy(COMBINED_FILE, plan);
    for (const f of fs.readdirSync(path.join(SUBMISSIONS_DIR, MONTH)).filter((f) => f.endsWith('.xlsx'))) {
      await copy(path.join(SUBMISSIONS_DIR, MONTH, f), path.join(submissions, inScript(f)));
    }
    await copy(path.join(SAMPLE_DIR, 'sites', SITES_FILE), sitesFile);
    for (const [i, f] of ASSESSMENT_INPUTS.entries()) await copy(path.join(SAMPLE_DIR, 'assessment', f), assessmentFiles[i]);
    const inputs = await Promise.all([plan, sitesFile, ...assessmentFiles].map((f) => workbookText(f)));
    inData = new Set(foreign(inputs.join('\n')));
    // A simplified input holds nothing traditional, or the checks below would prove nothing.
    if (script === 'simplified') expect([...inData]).toEqual([]);
    expect((await run('plan', 'load', plan, '--db', db)).code).toBe(0);
    expect((await run('load', submissions, '--db', db)).code).toBe(0);
  }, 300_000);

  test('the help of the program and of every command', async () => {
    // `template --help` shows a district written three ways (上城區、上城区、上城): data, in both scripts.
    const first = DISTRICTS.find((d) => d.order === 1)!.name;
    const example = new Set(foreign(`${first}${simplify(first)}`));
    for (const command of HELP) {
      const result = await run(...command, '--help');
      expect([command, result.code]).toEqual([command, 0]);
      expect(result.stdout).toMatch(/[\u4e00-\u9fff]/);
      // Commander's own headings and help lines are the catalogue's too, not English.
      expect([command, result.stdout]).toEqual([command, expect.not.stringMatching(/Usage:|Options:|Commands:|Arguments:|display help/)]);
      expect(result.stdout).toContain(t(script === 'simplified' ? 'zh-CN' : 'zh-TW', 'cli.help.usage'));
      expect([command, shown(result).filter((ch) => !example.has(ch))]).toEqual([command, []]);
      // The example keeps its two scripts in either language, not the same name twice.
      if (command.join(' ') === 'template') expect(result.stdout).toContain(`${first}、${simplify(first)}`);
    }
  }, 120_000);

  test('normalise: what it says and the copy it writes (headers, the tidy sheet), which is then normal', async () => {
    const copy = path.join(dir, 'normalised.xlsx');
    const normalised = await clean('normalise', plan, '-o', copy);
    expect(normalised.stdout.split('\n').length).toBeGreaterThan(5);
    const text = await workbookText(copy);
    expect(foreignWords(text)).toEqual([]);
    // The canonical headers and the tidy sheet are written in the plan's own script, so that the copy
    // normalised again needs no change.
    const again = await clean('normalise', copy, '-o', path.join(dir, 'normalised-again.xlsx'));
    expect(again.stdout.split('\n')[0]).toBe(t(script === 'simplified' ? 'zh-CN' : 'zh-TW', 'normalise.nothing'));
  }, 180_000);

  test('template and annotate: the messages, the annotated copy’s cells, notes and summary sheet', async () => {
    const template = path.join(dir, 'template.xlsx');
    await clean('template', '--district', district, '--as-of', AS_OF, '-o', template, '--db', db);
    expect(await workbookWords(template)).toEqual([]);

    const submission = path.join(submissions, inScript('臨平區.xlsx'));
    const annotated = path.join(dir, 'annotated.xlsx');
    await clean('annotate', submission, '-o', annotated, '--db', db);
    const notes = await workbookNotes(annotated);
    expect(notes.length).toBeGreaterThan(20);
    expect(await workbookWords(annotated)).toEqual([]);
  }, 180_000);

  test('the lead departments: rank, lag, their workbook and its charts', async () => {
    const ranked = await clean('rank', '--by', 'lead-unit', '--db', db, '--as-of', AS_OF);
    expect(ranked.stdout.split('\n').length).toBeGreaterThan(5);
    await clean('lag', '--lead-unit', inScript('民政局'), '--db', db, '--as-of', AS_OF);
    const workbook = path.join(dir, 'lead-unit.xlsx');
    const charts = path.join(dir, 'lead-unit-charts');
    await clean('report', '--lead-unit', inScript('市民政局'), '-o', workbook, '--charts', charts, '--db', db, '--as-of', AS_OF);
    expect((await workbookText(workbook)).length).toBeGreaterThan(500);
    expect(await workbookWords(workbook)).toEqual([]);
    expect(chartText(charts)).toContain('"title"');
    expect(foreignWords(chartText(charts))).toEqual([]);
  }, 180_000);

  test('supervise: open cases, review them, note a measure, list them (table and CSV)', async () => {
    const opened = await clean('supervise', 'open', '--as-of', AS_OF, '--db', db);
    expect(opened.stdout).toMatch(/[\u4e00-\u9fff]/);
    await clean('supervise', 'review', '--as-of', '2024-10-31', '--db', db);
    await clean('supervise', 'note', '1', inScript('已約談分管負責人，10月底前補齊'), '--db', db);
    const listed = await clean('supervise', 'list', '--db', db);
    expect(listed.stdout.split('\n').length).toBeGreaterThan(3);
    const csv = path.join(dir, 'cases.csv');
    await clean('supervise', 'list', '--db', db, '--csv', csv);
    expect(foreignWords(fs.readFileSync(csv, 'utf8'))).toEqual([]);
  }, 180_000);

  test('sites: the sheet to fill, loading a list, the check and the export for the provincial system', async () => {
    const sheet = path.join(dir, 'sites-template.xlsx');
    await clean('sites', 'template', '--district', district, '-o', sheet, '--db', db);
    expect(await workbookWords(sheet)).toEqual([]);
    const loaded = await clean('sites', 'load', sitesFile, '--db', db);
    expect(loaded.stdout).toMatch(/[\u4e00-\u9fff]/);
    await clean('sites', 'check', '--db', db);
    const csv = path.join(dir, 'sites.csv');
    await clean('sites', 'export', '--csv', csv, '--db', db);
    // The CSV's header is words people read: in the reader's script.
    const [header] = fs.readFileSync(csv, 'utf8').split('\n');
    expect(header).toMatch(/[\u4e00-\u9fff]/);
    expect(foreign(header)).toEqual([]);
    expect(foreignWords(fs.readFileSync(csv, 'utf8'))).toEqual([]);
  }, 180_000);

  test('assess: the rules and input templates, loading, the scores, the explanation and the report’s assessment sheet', async () => {
    const rules = path.join(dir, 'rules.xlsx');
    await clean('assess', 'rules', '-o', rules, '--db', db);
    expect(await workbookWords(rules)).toEqual([]);
    const satisfaction = path.join(dir, 'satisfaction.xlsx');
    await clean('assess', 'template', '--input', 'satisfaction', '-o', satisfaction, '--db', db);
    expect(await workbookWords(satisfaction)).toEqual([]);
    await clean('assess', 'load', rules, ...assessmentFiles, '--db', db);
    const scores = await clean('assess', '--db', db, '--as-of', '2024-11-30');
    expect(scores.stdout.split('\n').length).toBeGreaterThan(10);
    const csv = path.join(dir, 'assessment.csv');
    await clean('assess', '--db', db, '--as-of', '2024-11-30', '--csv', csv);
    expect(foreignWords(fs.readFileSync(csv, 'utf8'))).toEqual([]);
    await clean('assess', 'explain', '--district', district, '--db', db, '--as-of', '2024-11-30');
    await clean('assess', 'explain', '--lead-unit', inScript('市民政局'), '--db', db, '--as-of', '2024-11-30');
    const report = path.join(dir, 'report.xlsx');
    await clean('report', '-o', report, '--db', db, '--as-of', AS_OF);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(report);
    expect(wb.worksheets.length).toBeGreaterThan(4);
    expect(await workbookWords(report)).toEqual([]);
  }, 300_000);

  test('export, token and rebuild', async () => {
    // After sites are loaded too (the export of site lists used to fail to bind).
    await clean('sites', 'load', sitesFile, '--db', db);
    const exported = await clean('export', '--parquet', path.join(dir, 'parquet'), '--db', db);
    expect(exported.stdout).toContain('site_lists');
    const tokens = path.join(dir, 'tokens.json');
    await clean('token', 'add', '--district', district, '--tokens', tokens, '--db', db);
    await clean('token', 'add', '--admin', '--tokens', tokens);
    const listed = await clean('token', 'list', '--tokens', tokens, '--db', db);
    const id = listed.stdout.split('\n')[0].split(/\s+/)[0];
    await clean('token', 'revoke', id, '--tokens', tokens);
    const rebuilt = await clean('rebuild', '--db', path.join(dir, 'rebuilt.duckdb'), '--from', `${db}.received`);
    expect(`${rebuilt.stdout}${rebuilt.stderr}`).toMatch(/[\u4e00-\u9fff]/);
  }, 300_000);

  test('the service: a clerk’s upload with a mistake, refusals and the cases, answered in the script Accept-Language asks for', async () => {
    const acceptLanguage = script === 'simplified' ? 'zh-CN,zh;q=0.9' : 'zh-TW,zh;q=0.9';
    const tokens = path.join(dir, 'service-tokens.json');
    const added = async (...args: string[]) => (JSON.parse((await run('token', 'add', ...args, '--tokens', tokens, '--json')).stdout) as { token: string }).token;
    const districtToken = await added('--district', district);
    const admin = { Authorization: `Bearer ${await added('--admin')}` };
    const upload = path.join(dir, 'upload.xlsx');
    await withWordForNumber(path.join(submissions, inScript('臨平區.xlsx')), upload, inScript('約七成'));
    const replies: Reply[] = [];
    const served = await asUserWith(
      locale,
      {
        serve: {
          until: async (service) => {
            const ask = (at: string, options: RequestOptions = {}) => request(service.url, at, { ...options, headers: { 'Accept-Language': acceptLanguage, ...options.headers } });
            replies.push(await ask('/api/submissions', { method: 'POST', headers: uploadHeaders(districtToken, 'upload.xlsx'), body: fs.readFileSync(upload) }));
            replies.push(await ask('/api/lag?status=nonsense', { headers: admin }));
            replies.push(await ask('/api/ranking?as_of=2024-13-45', { headers: admin }));
            replies.push(await ask('/api/plan'));
            replies.push(await ask('/api/nothing-here', { headers: admin }));
            replies.push(await ask('/api/cases', { headers: admin }));
          },
        },
      },
      'serve', '--db', db, '--tokens', tokens, '--port', '0', '--log', path.join(dir, 'requests.log'),
    );
    expect([served.code, shown(served)]).toEqual([0, []]);
    expect(replies.map((r) => r.status)).toEqual([422, 400, 400, 401, 404, 200]);
    const [uploaded, ...refusals] = replies;
    // The upload's answer names the cell and the metric: data in the plan's script, sentences in the reader's.
    const issues = (uploaded.json() as { issues: { message: string; fix?: string }[] }).issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(foreignWords(issues.map((i) => `${i.message}\n${i.fix ?? ''}`).join('\n'))).toEqual([]);
    for (const reply of refusals.slice(0, 4)) expect(foreignWords((reply.json() as { error: string }).error)).toEqual([]);
    // The cases carry the supervision's words (status, notes) as data; their sentences are in the CLI's.
    expect(foreignWords(refusals[4].body.toString('utf8'))).toEqual([]);
  }, 180_000);

  test('bad input is refused in the reader’s script: a damaged workbook, an unknown district, a wrong date, an unknown language', async () => {
    const damaged = path.join(dir, 'damaged.xlsx');
    fs.writeFileSync(damaged, fs.readFileSync(COMBINED_FILE).subarray(0, 300));
    const unknownDistrict = inScript('不存在區');
    const refusals: string[][] = [
      ['validate', damaged],
      ['load', damaged, '--db', db],
      ['annotate', damaged, '-o', path.join(dir, 'damaged-annotated.xlsx'), '--db', db],
      ['assess', 'load', damaged, '--db', db],
      ['sites', 'load', damaged, '--db', db],
      ['template', '--district', unknownDistrict, '--as-of', AS_OF, '-o', path.join(dir, 'nowhere.xlsx'), '--db', db],
      ['sites', 'template', '--district', unknownDistrict, '-o', path.join(dir, 'nowhere-sites.xlsx'), '--db', db],
      ['assess', 'explain', '--district', unknownDistrict, '--db', db],
      ['report', '--lead-unit', inScript('不存在局'), '-o', path.join(dir, 'nobody.xlsx'), '--db', db],
      ['rank', '--as-of', '2024-13-45', '--db', db],
      ['template', '--district', district, '--as-of', '2024年13月', '-o', path.join(dir, 'never.xlsx'), '--db', db],
      ['supervise', 'note', '999', 'x', '--db', db],
      ['lag', '--status', 'nonsense', '--db', db],
      ['rank', '--db', path.join(dir, 'no-such.duckdb')],
      ['--lang', 'fr', 'rank', '--db', db],
      // Refusals of the command line itself (commander's, in English unless replaced).
      ['nosuchcommand'],
      ['rank', '--as-o', AS_OF, '--db', db],
      ['validate'],
      ['token', 'add', '--admin'],
      ['rank', '--db', db, '--as-of'],
      ['annotate', 'a.xlsx', 'b.xlsx', '-o', path.join(dir, 'c.xlsx')],
    ];
    for (const args of refusals) {
      const result = await run(...args);
      expect([args.join(' '), result.code]).toEqual([args.join(' '), result.code === 0 ? 'a refusal' : result.code]);
      const said = `${result.stdout}\n${result.stderr}`;
      expect([args.join(' '), said]).toEqual([args.join(' '), expect.stringMatching(/[\u4e00-\u9fff]/)]);
      expect([args.join(' '), said]).toEqual([args.join(' '), expect.not.stringMatching(/error:|unknown (command|option)|missing required|not specified|argument missing|too many arguments/i)]);
      expect([args.join(' '), shown(result)]).toEqual([args.join(' '), []]);
    }
  }, 300_000);
});
