// The README's quick start for the 督查室 (in simplified Chinese) is run as written: every command of its
// block in order, against a fresh database in a temp folder, with what each step says it does checked.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from './helpers/cli';
import { ROOT } from './helpers/paths';
import { traditionalOnly } from './helpers/script';

jest.setTimeout(600_000);

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The section under its heading, up to the next one. */
function section(heading: string): string {
  const start = README.indexOf(`## ${heading}`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('\n## ', start + 3);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The `npx minsheng …` lines of the section's sh block, split into arguments (none has a space inside). */
function commands(text: string): string[][] {
  const block = /```sh\n([\s\S]*?)```/.exec(text)![1];
  return block
    .split('\n')
    .filter((line) => line.startsWith('npx minsheng '))
    .map((line) => line.replace(/^npx minsheng /, '').trim().split(/\s+/));
}

test('the 督查室 quick start runs as written, in simplified Chinese prose, and does what it says', async () => {
  const text = section('督查室快速上手');
  // Its prose is simplified (the sample's file names keep their own script).
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/<[^>]+>/g, '').replace(/`[^`]*`/g, '');
  expect(traditionalOnly(prose).filter((ch) => !'繁體'.includes(ch))).toEqual([]);
  const steps = commands(text);
  expect(steps.map((s) => s.slice(0, s[0] === 'supervise' || s[0] === 'sites' || s[0] === 'plan' || s[0] === 'token' ? 2 : 1).join(' '))).toEqual([
    'plan load', 'load', 'rank', 'lag', 'supervise open', 'supervise review', 'supervise list', 'bulletin', 'sites template', 'sites load', 'sites check', 'token add',
  ]);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-quickstart-'));
  const cwd = process.cwd();
  process.chdir(work);
  try {
    const said: Record<string, string> = {};
    for (const args of steps) {
      // The sample's paths are the repository's; everything written goes to the temp folder.
      const real = args.map((a) => (a.startsWith('samples/') ? path.join(ROOT, a) : a));
      const result = await runCli(...real, ...(args[0] === 'token' ? [] : ['--db', path.join(work, 'minsheng.duckdb')]));
      expect([args.join(' '), result.code, result.stderr]).toEqual([args.join(' '), 0, expect.any(String)]);
      said[args.slice(0, 2).join(' ')] = result.stdout;
    }
    // 默认数据库是 minsheng.duckdb: here given as --db, in the temp folder.
    expect(fs.existsSync(path.join(work, 'minsheng.duckdb'))).toBe(true);
    // 挂牌督办: cases were opened at 9/30 with a 30-day deadline, and the review judged them.
    const list = await runCli('supervise', 'list', '--json', '--db', path.join(work, 'minsheng.duckdb'));
    const cases = JSON.parse(list.stdout) as { opened_on: string; due_on: string; status: string }[];
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.every((c) => c.opened_on === '2024-09-30' && c.due_on === '2024-10-30')).toBe(true);
    expect(cases.some((c) => c.status === 'closed' || c.status === 'overdue')).toBe(true);
    // 晾晒通报: a Word file.
    expect(fs.readFileSync(path.join(work, '通报.docx')).subarray(0, 2).toString()).toBe('PK');
    // 点位清单: the template for 临平区 (written in simplified), loaded and checked.
    expect(fs.readFileSync(path.join(work, '临平区-点位.xlsx')).subarray(0, 2).toString()).toBe('PK');
    // 令牌: shown once, only its SHA-256 in the file, for 上城区 written in simplified.
    const token = /msk_[A-Za-z0-9_-]+/.exec(said['token add'])?.[0];
    expect(token).toBeDefined();
    const stored = fs.readFileSync(path.join(work, 'tokens.json'), 'utf8');
    expect(stored).not.toContain(token!);
    expect(stored).toMatch(/[0-9a-f]{64}/);
    expect(stored).toMatch(/上城[区區]/);
  } finally {
    process.chdir(cwd);
    fs.rmSync(work, { recursive: true, force: true });
  }
});
