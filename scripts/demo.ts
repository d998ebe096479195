// `npm run demo`: the whole product on the bundled 2024 sample, step by step, with timings.
// Runs the real `minsheng` commands in-process; everything it writes goes to ./out/. Its own words come
// from the catalogue (DEMO) in the language the commands choose (MINSHENG_LANG, the locale, else the
// sample plan's script), so the whole run reads in one script; the sample's files and the outputs keep
// the names the README gives them.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { translator, type Translate } from '../core/messages';
import { DEFAULT_LANG, planText } from '../core/messages/lang';
import { cliLangChoice, withPlanScript } from '../pipeline/cli/lang';
import { main } from '../pipeline/cli/main';
import { readPlanFile } from '../pipeline/planFiles';

const ROOT = path.resolve(__dirname, '..');
const SAMPLE = path.join(ROOT, 'samples/2024-hangzhou');
const OUT = path.join(ROOT, 'out');
const DB = path.join(OUT, 'minsheng.duckdb');
const BULLETIN = path.join(OUT, '通報-2024-10-31.docx');

/** The bulletin's first page as a picture (the README's), when LibreOffice Writer and poppler are installed. */
function bulletinFirstPage(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-demo-'));
  try {
    // soffice names its output after the input: an ASCII copy keeps the path simple for every tool.
    fs.copyFileSync(BULLETIN, path.join(work, 'bulletin.docx'));
    execFileSync('soffice', [`-env:UserInstallation=file://${path.join(work, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', work, path.join(work, 'bulletin.docx')], { stdio: 'ignore', timeout: 180_000 });
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', path.join(work, 'bulletin.pdf'), path.join(OUT, '通報-2024-10-31-第1頁')], { stdio: 'ignore' });
    console.log(`\n▶ ${say('demo.bulletin-page', { file: path.relative(ROOT, path.join(OUT, '通報-2024-10-31-第1頁.png')) })}`);
  } catch {
    console.log(`\n▶ ${say('demo.bulletin-page.skipped')}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function step(title: string, args: string[], okCodes = [0]): Promise<void> {
  console.log(`\n▶ ${title}\n  $ minsheng ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : path.isAbsolute(a) ? path.relative(ROOT, a) || '.' : a)).join(' ')}`);
  const start = process.hrtime.bigint();
  const code = await main(['node', 'minsheng', ...args]);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const size = fs.existsSync(DB) ? say('demo.step.db-size', { mb: (fs.statSync(DB).size / 1e6).toFixed(1) }) : '';
  console.log(`  ${say('demo.step.took', { seconds: (ms / 1000).toFixed(2), code, size })}`);
  if (!okCodes.includes(code)) throw new Error(say('demo.step.failed', { title, code }));
}

let say: Translate = translator(DEFAULT_LANG);

/** The language the commands will speak: the environment's choice, else the sample plan's own script. */
async function demoTranslator(plan: string): Promise<Translate> {
  const choice = cliLangChoice(undefined);
  if ('invalid' in choice) return translator(DEFAULT_LANG);
  const assembled = (await readPlanFile(plan)).analysis?.assembled.plan;
  return translator(withPlanScript(choice, assembled ? planText(assembled) : undefined));
}

async function run(): Promise<void> {
  const started = Date.now();
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const combined = path.join(SAMPLE, '附件1+2.xlsx');
  say = await demoTranslator(combined);
  await step(say('demo.validate'), ['validate', combined]);
  await step(say('demo.normalise'), ['normalise', combined, '-o', path.join(OUT, '附件1+2-規範.xlsx')]);
  await step(say('demo.plan-load'), ['plan', 'load', combined, '--db', DB]);
  await step(say('demo.load'), ['load', path.join(SAMPLE, 'submissions'), '--db', DB]);
  await step(say('demo.rank'), ['rank', '--db', DB]);
  await step(say('demo.lag'), ['lag', '--status', 'seriously_behind', '--db', DB]);
  await step(say('demo.annotate', { district: '臨平區' }), ['annotate', path.join(SAMPLE, 'submissions/2024-09/臨平區.xlsx'), '-o', path.join(OUT, '臨平區-2024-09-30-標註.xlsx'), '--db', DB]);
  await step(say('demo.supervise-open'), ['supervise', 'open', '--as-of', '2024-09-30', '--db', DB]);
  await step(say('demo.supervise-review-october'), ['supervise', 'review', '--as-of', '2024-10-31', '--db', DB]);
  await step(say('demo.bulletin'), ['bulletin', '--as-of', '2024-10-31', '-o', BULLETIN, '--db', DB]);
  await step(say('demo.supervise-review-november'), ['supervise', 'review', '--as-of', '2024-11-30', '--db', DB]);
  await step(say('demo.supervise-list'), ['supervise', 'list', '--db', DB]);
  await step(say('demo.sites-load', { district: '臨平區' }), ['sites', 'load', path.join(SAMPLE, 'sites/臨平區-點位.xlsx'), '--db', DB]);
  await step(say('demo.sites-export'), ['sites', 'export', '--csv', path.join(OUT, '點位.csv'), '--db', DB]);
  // The year-end assessment, after the supervision loop so its cases and bulletin count: the example
  // rules (an example, not the city's), the demo inputs (samples/2024-hangzhou/assessment/README.md),
  // the scores, why the last district is last; then the leaders' report with its 年度考核 sheet.
  const rules = path.join(OUT, '考核細則-範例.xlsx');
  const inputs = ['滿意度測評.xlsx', '第三方評價.xlsx', '參與監督.xlsx'].map((f) => path.join(SAMPLE, 'assessment', f));
  await step(say('demo.assess-rules'), ['assess', 'rules', '-o', rules, '--db', DB]);
  await step(say('demo.assess-load'), ['assess', 'load', rules, ...inputs, '--db', DB]);
  await step(say('demo.assess'), ['assess', '--year', '2024', '--csv', path.join(OUT, '年度考核.csv'), '--db', DB]);
  await step(say('demo.assess-explain'), ['assess', 'explain', '--district', '臨平區', '--db', DB]);
  await step(say('demo.rank-lead-units'), ['rank', '--by', 'lead-unit', '--db', DB]);
  await step(say('demo.lead-unit-report', { unit: '市民政局' }), ['report', '--lead-unit', '市民政局', '-o', path.join(OUT, '市民政局.xlsx'), '--db', DB]);
  await step(say('demo.report'), ['report', '-o', path.join(OUT, 'report.xlsx'), '--charts', path.join(OUT, 'charts'), '--db', DB]);
  bulletinFirstPage();
  await step(say('demo.sql'), ['sql', `SELECT district, count(*) AS reports FROM submissions WHERE superseded_by IS NULL GROUP BY district ORDER BY reports, district LIMIT 5`, '--db', DB]);
  await step(say('demo.template'), ['template', '--district', '上城區', '--as-of', '2024-12-31', '-o', path.join(OUT, '上城區-2024-12-31-報送表.xlsx'), '--db', DB]);
  console.log(`\n${say('demo.done', { seconds: ((Date.now() - started) / 1000).toFixed(1), folder: path.relative(process.cwd(), OUT) || '.' })}`);
  for (const f of fs.readdirSync(OUT).sort()) {
    const full = path.join(OUT, f);
    console.log(fs.statSync(full).isDirectory() ? `  ${say('demo.folder-count', { folder: f, count: fs.readdirSync(full).length })}` : `  ${f}`);
  }
}

run().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
