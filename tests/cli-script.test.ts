// The CLI speaks its reader's script (docs/design.md, "Messages and languages"; issue 10): run as a new
// mainland user would — LANG=zh_CN.UTF-8, no MINSHENG_LANG — on a plan and submissions in simplified
// script (the sample converted with OpenCC), validate, load, rank, lag, the leaders' workbook (sheet
// names, headers, every cell, the charts' specs) and the bulletin show no traditional-only character;
// with LANG=zh_TW.UTF-8 on the traditional sample, none of the simplified-only ones.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { simplify } from '../core/text';
import type { CliResult } from './helpers/cli';
import { COMBINED_FILE, SUBMISSIONS_DIR } from './helpers/samples';
import { simplifiedOnly, traditionalOnly } from './helpers/script';
import { asUser, chartText, docxText, simplifiedCopy, workbookText } from './helpers/scriptRuns';
import { removeTempDirs, tempDir } from './helpers/tempDir';

const MONTH = '2024-09';
const AS_OF = '2024-09-30';

afterAll(removeTempDirs);

const cases = [
  { locale: 'zh_CN.UTF-8', script: 'simplified', foreign: traditionalOnly },
  { locale: 'zh_TW.UTF-8', script: 'traditional', foreign: simplifiedOnly },
] as const;

describe.each(cases)('LANG=$locale on a $script plan and submissions', ({ locale, script, foreign }) => {
  const dir = tempDir();
  const db = path.join(dir, 'minsheng.duckdb');
  const plan = path.join(dir, 'plan.xlsx');
  const submissions = path.join(dir, 'submissions');
  const run = (...args: string[]) => asUser(locale, ...args);
  /** A district as the plan writes it (附件2's header, in the plan's script). */
  const district = script === 'simplified' ? '临平区' : '臨平區';
  /**
   * Characters of the other script in what the product wrote, leaving out those the input itself holds
   * (data keeps the names the plan uses: the traditional sample writes 裏 and 占 in its project texts).
   */
  let inData = new Set<string>();
  const foreignWords = (text: string) => foreign(text).filter((ch) => !inData.has(ch));
  const shown = (r: CliResult) => foreignWords(`${r.stdout}\n${r.stderr}`);

  beforeAll(async () => {
    fs.mkdirSync(submissions);
    const files = fs.readdirSync(path.join(SUBMISSIONS_DIR, MONTH)).filter((f) => f.endsWith('.xlsx'));
    if (script === 'simplified') {
      await simplifiedCopy(COMBINED_FILE, plan);
      for (const f of files) await simplifiedCopy(path.join(SUBMISSIONS_DIR, MONTH, f), path.join(submissions, simplify(f)));
    } else {
      fs.copyFileSync(COMBINED_FILE, plan);
      for (const f of files) fs.copyFileSync(path.join(SUBMISSIONS_DIR, MONTH, f), path.join(submissions, f));
    }
    inData = new Set(foreign(await workbookText(plan)));
    // A simplified input holds nothing traditional, or the check below would prove nothing.
    if (script === 'simplified') expect([...inData]).toEqual([]);
  }, 120_000);

  test('validate, plan load, load, rank and lag', async () => {
    const validate = await run('validate', plan);
    expect(validate.stdout).toContain(path.basename(plan));
    expect(shown(validate)).toEqual([]);

    const planLoad = await run('plan', 'load', plan, '--db', db);
    expect(planLoad.code).toBe(0);
    expect(shown(planLoad)).toEqual([]);

    const load = await run('load', submissions, '--db', db);
    expect(load.code).toBe(0);
    expect(load.stdout).toMatch(/15 /);
    expect(shown(load)).toEqual([]);

    for (const command of ['rank', 'lag', 'forecast', 'history']) {
      const result = await run(command, '--db', db);
      expect([command, result.code]).toEqual([command, 0]);
      expect(result.stdout.split('\n').length).toBeGreaterThan(3);
      expect([command, shown(result)]).toEqual([command, []]);
      // Data keeps the plan's names: the districts as 附件2 writes them, in the plan's script.
      expect([command, result.stdout.includes(district)]).toEqual([command, true]);
    }
  }, 300_000);

  test('the leaders’ workbook, its charts and the bulletin', async () => {
    const out = path.join(dir, 'report.xlsx');
    const charts = path.join(dir, 'charts');
    const report = await run('report', '-o', out, '--charts', charts, '--db', db, '--as-of', AS_OF);
    expect(report.code).toBe(0);
    expect(shown(report)).toEqual([]);
    const text = await workbookText(out);
    expect(text.length).toBeGreaterThan(1000);
    expect(foreignWords(text)).toEqual([]);
    expect(text).toContain(district);
    const specs = chartText(charts);
    expect(specs).toContain('"title"');
    expect(foreignWords(specs)).toEqual([]);
    expect(specs).toContain(district);

    const docx = path.join(dir, 'bulletin.docx');
    const bulletin = await run('bulletin', '-o', docx, '--db', db, '--as-of', AS_OF);
    expect(bulletin.code).toBe(0);
    expect(shown(bulletin)).toEqual([]);
    const words = await docxText(docx);
    expect(words.length).toBeGreaterThan(200);
    expect(foreignWords(words)).toEqual([]);
  }, 600_000);
});
