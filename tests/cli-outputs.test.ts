// Where the CLI may write a file (pipeline/output/outputGuard.ts): --csv, --arrow and -o never land on the
// database, its .wal or a file the command reads, and replace an existing file only with --force.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from './helpers/cli';
import { storeWith } from './helpers/store';
import { removeTempDirs, tempDir } from './helpers/tempDir';
import { SMALL_LOADS, SMALL_PLAN } from './helpers/reference/fixtures';
import { BREAKDOWN_FILE } from './helpers/samples';

let dir: string;
let db: string;

beforeAll(async () => {
  dir = tempDir('minsheng-outputs-');
  db = path.join(dir, 'm.duckdb');
  const { store } = await storeWith(SMALL_PLAN, SMALL_LOADS, db);
  store.close();
});
afterAll(removeTempDirs);

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The files of the test folder with their hashes: what a refused command must leave as it was. */
function folderState(): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map((n) => [n, fs.statSync(path.join(dir, n)).isFile() ? sha(path.join(dir, n)) : 'dir']));
}

test('--csv and --arrow onto the database, however it is spelled, are refused and the database still answers', async () => {
  const link = path.join(dir, 'link-to-db.csv');
  fs.symlinkSync(db, link);
  const before = folderState();
  const spellings = [db, path.join(dir, '.', 'sub', '..', 'm.duckdb'), path.relative(process.cwd(), db), link];
  for (const target of spellings) {
    for (const option of ['--csv', '--arrow']) {
      const r = await runCli('sql', 'SELECT 1 AS x', option, target, '--db', db);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('資料庫檔案');
      const forced = await runCli('sql', 'SELECT 1 AS x', option, target, '--force', '--db', db);
      expect(forced.code).toBe(2);
    }
  }
  expect(folderState()).toEqual(before);
  const still = await runCli('rank', '--as-of', '2024-09-30', '--json', '--db', db);
  expect(still.code).toBe(0);
  expect(JSON.parse(still.stdout).length).toBeGreaterThan(0);
  fs.unlinkSync(link);
});

test("the database's .wal is refused too, also while no .wal exists", async () => {
  expect(fs.existsSync(`${db}.wal`)).toBe(false);
  for (const command of [['sql', 'SELECT 1 AS x'], ['rank', '--as-of', '2024-09-30'], ['lag', '--as-of', '2024-09-30']]) {
    const r = await runCli(...command, '--csv', `${db}.wal`, '--force', '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('預寫日誌');
  }
  expect(fs.existsSync(`${db}.wal`)).toBe(false);
});

test('the .sql file a query is read from is not written over', async () => {
  const query = path.join(dir, 'q.sql');
  fs.writeFileSync(query, 'SELECT 42 AS answer');
  const r = await runCli('sql', '-f', query, '--csv', query, '--force', '--db', db);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('就是輸入檔案');
  expect(fs.readFileSync(query, 'utf8')).toBe('SELECT 42 AS answer');
});

test('an existing file is kept unless --force; with --force it is replaced', async () => {
  const csv = path.join(dir, 'ranking.csv');
  const arrow = path.join(dir, 'ranking.arrow');
  fs.writeFileSync(csv, 'keep me');
  fs.writeFileSync(arrow, 'keep me too');
  const refused = await runCli('rank', '--as-of', '2024-09-30', '--csv', csv, '--db', db);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('已存在');
  expect(refused.stderr).toContain('--force');
  expect(fs.readFileSync(csv, 'utf8')).toBe('keep me');
  // Refused before anything is written: the Arrow file named with an existing CSV stays as it was.
  const both = await runCli('rank', '--as-of', '2024-09-30', '--arrow', path.join(dir, 'new.arrow'), '--csv', csv, '--db', db);
  expect(both.code).toBe(2);
  expect(fs.existsSync(path.join(dir, 'new.arrow'))).toBe(false);
  const forced = await runCli('rank', '--as-of', '2024-09-30', '--csv', csv, '--arrow', arrow, '--force', '--db', db);
  expect(forced.code).toBe(0);
  expect(fs.readFileSync(csv, 'utf8')).toMatch(/^\uFEFFrank,/);
  expect(fs.readFileSync(arrow).subarray(0, 6).toString()).toBe('ARROW1');
  const fresh = path.join(dir, 'fresh.csv');
  expect((await runCli('lag', '--as-of', '2024-09-30', '--csv', fresh, '--db', db)).code).toBe(0);
  expect(fs.readFileSync(fresh, 'utf8')).toContain('lag_status');
});

test('the other commands that write CSV follow the same rule (sites export)', async () => {
  const before = sha(db);
  const sites = await runCli('sites', 'export', '--csv', db, '--force', '--db', db);
  expect(sites.code).toBe(2);
  expect(sites.stderr).toContain('資料庫檔案');
  const existing = path.join(dir, 'sites.csv');
  fs.writeFileSync(existing, 'keep me');
  const kept = await runCli('sites', 'export', '--csv', existing, '--db', db);
  expect(kept.code).toBe(2);
  expect(fs.readFileSync(existing, 'utf8')).toBe('keep me');
  expect((await runCli('sites', 'export', '--csv', existing, '--force', '--db', db)).code).toBe(0);
  expect(fs.readFileSync(existing, 'utf8')).not.toBe('keep me');
  expect(sha(db)).toBe(before);
});

test('-o of the workbook commands never names the database or the input', async () => {
  const asXlsx = path.join(dir, 'db.xlsx');
  fs.copyFileSync(db, asXlsx);
  const before = sha(asXlsx);
  const report = await runCli('report', '--as-of', '2024-09-30', '-o', asXlsx, '--db', asXlsx);
  expect(report.code).toBe(2);
  expect(report.stderr).toContain('資料庫檔案');
  const template = await runCli('template', '--district', '上城區', '--as-of', '2024-09-30', '-o', asXlsx, '--force', '--db', asXlsx);
  expect(template.code).toBe(2);
  expect(template.stderr).toContain('資料庫檔案');
  expect(sha(asXlsx)).toBe(before);
});

describe('every command that writes a workbook or document keeps an existing file unless --force', () => {
  // One rule for every output (README, "What happens to your data"): a clerk's own workbook at the -o path
  // is never replaced by a report, a normalised copy or a bulletin unless the user said so.
  const commands: [string, (out: string) => string[], string][] = [
    ['report', (out) => ['report', '--as-of', '2024-09-30', '-o', out, '--db', db], 'xlsx'],
    ['report --lead-unit', (out) => ['report', '--as-of', '2024-09-30', '--lead-unit', '市民政局', '-o', out, '--db', db], 'xlsx'],
    ['normalise', (out) => ['normalise', BREAKDOWN_FILE, '-o', out], 'xlsx'],
    ['bulletin', (out) => ['bulletin', '--as-of', '2024-09-30', '-o', out, '--db', db], 'docx'],
    ['sites template', (out) => ['sites', 'template', '--district', '上城區', '-o', out, '--db', db], 'xlsx'],
    ['assess rules', (out) => ['assess', 'rules', '-o', out, '--db', db], 'xlsx'],
  ];
  test.each(commands)('%s', async (command, args, ext) => {
    const out = path.join(dir, `existing-${command.replace(/\W+/g, '-')}.${ext}`);
    fs.writeFileSync(out, 'a clerk’s own file');
    const refused = await runCli(...args(out));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('已存在');
    expect(refused.stderr).toContain('--force');
    expect(fs.readFileSync(out, 'utf8')).toBe('a clerk’s own file');
    const forced = await runCli(...args(out), '--force');
    expect({ code: forced.code, stderr: forced.stderr }).toMatchObject({ code: 0 });
    // Replaced by a real Office file (a zip), not appended to.
    expect(fs.readFileSync(out).subarray(0, 2).toString()).toBe('PK');
  });
});
