// Faults while loading (docs/design.md, "Broken and hostile input"). A `minsheng load` process SIGKILLed
// part way — just before a commit, while a commit is in flight, and from outside at an arbitrary moment —
// leaves every file wholly in or wholly out, and running the same command again completes the load
// (duplicates skipped). A database that cannot be written (read-only file system, no permission, missing
// folder) and a full disk give a clear Chinese error and an exit code, never a stack trace, and lose
// nothing. (A client that disconnects mid-upload is the service's fault to survive:
// tests/server-api.test.ts, "a client that disconnects mid-upload".)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { cliProcess, runCli, startCli, type ProcessExit } from './helpers/cli';
import { machine, testIf, unprivilegedPrefix } from './helpers/machine';
import { ROOT } from './helpers/paths';
import { BREAKDOWN_FILE, SAMPLE_DIR } from './helpers/samples';
import { CRASH_TEXT, planDatabase, queryFile, snapshotFile } from './helpers/reliability';
import { removeTempDirs, tempDir } from './helpers/tempDir';

const FOLDERS = ['2024-03', '2024-04'].map((m) => path.join(SAMPLE_DIR, 'submissions', m));
const FILE_COUNT = FOLDERS.reduce((n, f) => n + fs.readdirSync(f).filter((x) => x.endsWith('.xlsx')).length, 0);

/** Kills itself with SIGKILL at the n-th COMMIT (one per file: the plan's database already has this schema): just before it runs, or while it runs. */
const KILL_HOOK = `
const { DuckDBConnection } = require(${JSON.stringify(path.join(ROOT, 'node_modules/@duckdb/node-api'))});
const run = DuckDBConnection.prototype.run;
const killAt = Number(process.env.KILL_AT_COMMIT || 0);
let commits = 0;
DuckDBConnection.prototype.run = function (sql, ...rest) {
  if (typeof sql === 'string' && /^\\s*COMMIT\\s*$/i.test(sql)) {
    commits++;
    process.stderr.write('COMMIT ' + commits + '\\n');
    if (commits === killAt && process.env.KILL_MODE === 'before') process.kill(process.pid, 'SIGKILL');
    if (commits === killAt && process.env.KILL_MODE === 'during') {
      const running = run.call(this, sql, ...rest);
      setImmediate(() => process.kill(process.pid, 'SIGKILL'));
      return running;
    }
  }
  return run.call(this, sql, ...rest);
};
`;

/** `minsheng load` in its own process; `killAfterCommit` kills it from outside as soon as that many commits are announced. */
function loadProcess(db: string, env: Record<string, string>, preload: string, killAfterCommit?: number): Promise<ProcessExit> {
  const load = startCli(['load', ...FOLDERS, '--db', db, '--json'], { node: ['--require', preload], env });
  if (killAfterCommit !== undefined) void load.printed('stderr', `COMMIT ${killAfterCommit}\n`).then(() => load.child.kill('SIGKILL'), () => undefined);
  return load.finished;
}

/** Each stored file's rows as text, keyed by the file's hash and district: what "wholly in" is checked against. */
async function storedFiles(db: string): Promise<Map<string, string>> {
  const rows = await queryFile(
    db,
    `SELECT s.sha256 || '/' || s.district AS k, CAST(s.as_of AS VARCHAR) || ' ' ||
            coalesce(string_agg(p.metric_id || '=' || CAST(p.completed AS VARCHAR) || ':' || coalesce(p.note, ''), ';' ORDER BY p.metric_id), '') AS v
     FROM submissions s LEFT JOIN progress p ON p.submission_id = s.id GROUP BY s.sha256, s.district, s.as_of`,
  );
  return new Map(rows.map((r) => [String(r.k), String(r.v)]));
}

/** The database holds whole files only: each as the uninterrupted load stored it, no file twice, no stray rows. */
async function expectWholeFiles(db: string, reference: Map<string, string>): Promise<number> {
  const stored = await storedFiles(db);
  for (const [key, rows] of stored) expect({ key, rows }).toEqual({ key, rows: reference.get(key) });
  const [orphans] = await queryFile(db, 'SELECT count(*) AS n FROM progress WHERE submission_id NOT IN (SELECT id FROM submissions)');
  expect(Number(orphans.n)).toBe(0);
  const [twice] = await queryFile(db, 'SELECT count(*) - count(DISTINCT (sha256, district)) AS n FROM submissions');
  expect(Number(twice.n)).toBe(0);
  return stored.size;
}

let dir: string;
let preload: string;
let reference: Map<string, string>;

beforeAll(async () => {
  dir = tempDir('minsheng-faults-');
  preload = path.join(dir, 'kill-hook.js');
  fs.writeFileSync(preload, KILL_HOOK);
  // What an uninterrupted load of the same folders stores.
  const referenceDb = await planDatabase(dir, 'reference.duckdb');
  const r = await runCli('load', ...FOLDERS, '--db', referenceDb);
  expect(r.code).toBe(0);
  reference = await storedFiles(referenceDb);
  expect(reference.size).toBe(FILE_COUNT);
}, 120_000);

const mounted: string[] = [];

afterAll(() => {
  for (const m of mounted.splice(0)) execFileSync('umount', [m]);
  removeTempDirs();
});

test(`a load of ${FILE_COUNT} files SIGKILLed three times (before a commit, during one, from outside) keeps whole files only; re-running completes it`, async () => {
  const db = await planDatabase(dir, 'killed.duckdb');
  const rounds: string[] = [];

  // Killed with the 6th file's rows appended but not committed.
  const before = await loadProcess(db, { KILL_MODE: 'before', KILL_AT_COMMIT: '6' }, preload);
  expect(before.signal).toBe('SIGKILL');
  expect(await expectWholeFiles(db, reference)).toBe(5);
  rounds.push('before commit 6: 5 files in');

  // Killed while the 10th file's commit is on its way to disk: in or out, but whole.
  const during = await loadProcess(db, { KILL_MODE: 'during', KILL_AT_COMMIT: '10' }, preload);
  expect(during.signal).toBe('SIGKILL');
  const afterDuring = await expectWholeFiles(db, reference);
  expect([9, 10]).toContain(afterDuring);
  rounds.push(`during commit 10: ${afterDuring} files in`);

  // Killed from outside as soon as it said it starts the 15th commit, wherever it then is: commits 1–14
  // (files 1–14) are done by then, the 15th file's may or may not be.
  const outside = await loadProcess(db, {}, preload, 15);
  expect(outside.signal).toBe('SIGKILL');
  const afterOutside = await expectWholeFiles(db, reference);
  expect(afterOutside).toBeGreaterThanOrEqual(14);
  expect(afterOutside).toBeLessThan(FILE_COUNT);
  rounds.push(`outside after commit 15: ${afterOutside} files in`);

  // The same command again: what is in is skipped, the rest loads; the result is the uninterrupted load.
  const again = await loadProcess(db, {}, preload);
  expect(again.code).toBe(0);
  const verdicts = (JSON.parse(again.stdout).files as { verdict: string }[]).map((f) => f.verdict);
  expect(verdicts.filter((v) => v === 'duplicate')).toHaveLength(afterOutside);
  expect(verdicts.filter((v) => v === 'loaded')).toHaveLength(FILE_COUNT - afterOutside);
  expect(await storedFiles(db)).toEqual(reference);
  process.stdout.write(`SIGKILL faults: ${rounds.join('; ')}; re-run loaded the other ${FILE_COUNT - afterOutside}, nothing lost\n`);
}, 180_000);

/** The sample 附件2 filled in as a department's all-districts report (the targets as amounts reached by 9/30). */
async function wideReport(file: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(BREAKDOWN_FILE);
  const title = wb.worksheets[0].getCell('A2');
  title.value = `${String(title.value)}（截至2024年9月30日累計完成情況）`;
  await wb.xlsx.writeFile(file);
  return file;
}

test('a department\'s all-districts (wide) file is one transaction: SIGKILLed while it commits, all 15 districts are in or none (issue 11 §6)', async () => {
  const wide = await wideReport(path.join(dir, '各區進度-0930.xlsx'));
  const districtsIn = async (db: string) => Number((await queryFile(db, 'SELECT count(DISTINCT district) AS n FROM submissions'))[0].n);

  // Uninterrupted: one COMMIT for the whole file, 15 districts stored.
  const whole = await planDatabase(dir, 'wide-whole.duckdb');
  const done = await cliProcess(['load', wide, '--db', whole, '--json'], { node: ['--require', preload] });
  expect(done.code).toBe(0);
  expect(done.stderr.match(/^COMMIT \d+$/gm)).toEqual(['COMMIT 1']);
  expect(await districtsIn(whole)).toBe(15);

  // Killed while that commit is on its way to disk: the file is wholly in or wholly out, never a few districts.
  const killed = await planDatabase(dir, 'wide-killed.duckdb');
  const during = await cliProcess(['load', wide, '--db', killed, '--json'], { node: ['--require', preload], env: { KILL_MODE: 'during', KILL_AT_COMMIT: '1' } });
  expect(during.signal).toBe('SIGKILL');
  expect([0, 15]).toContain(await districtsIn(killed));
  // Run again, the load completes.
  expect((await runCli('load', wide, '--db', killed)).code).toBe(0);
  expect(await districtsIn(killed)).toBe(15);
}, 120_000);

// ---------------------------------------------------------------------------------------------
// A database that cannot be written

/** A `minsheng` command in a process that file modes apply to (root's rights dropped: machine.unprivileged). */
const runUnprivileged = (...args: string[]) => cliProcess(args, { via: unprivilegedPrefix() });

const oneFile = path.join(FOLDERS[0], '上城區.xlsx');

testIf(machine.unprivileged())('a database file without write permission, and a folder where none can be created: exit 2, a Chinese reason, nothing changed', async () => {
  const locked = path.join(dir, 'locked');
  fs.mkdirSync(locked);
  const db = await planDatabase(locked);
  const before = await snapshotFile(db);
  fs.chmodSync(db, 0o444);
  fs.chmodSync(locked, 0o555);
  try {
    const onFile = await runUnprivileged('load', oneFile, '--db', db);
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain(`無法寫入資料庫「${db}」：沒有寫入權限`);
    const newDb = path.join(locked, 'new.duckdb');
    const inFolder = await runUnprivileged('plan', 'load', path.join(SAMPLE_DIR, '附件1+2.xlsx'), '--db', newDb);
    expect(inFolder.code).toBe(2);
    expect(inFolder.stderr).toMatch(/無法寫入資料庫「.*new\.duckdb」：沒有寫入權限/);
    for (const r of [onFile, inFolder]) expect(`${r.stdout}\n${r.stderr}`).not.toMatch(CRASH_TEXT);
    expect(fs.existsSync(newDb)).toBe(false);
  } finally {
    fs.chmodSync(locked, 0o755);
    fs.chmodSync(db, 0o644);
  }
  expect(await snapshotFile(db)).toEqual(before);
}, 60_000);

test('a database in a folder that does not exist: exit 2 and a Chinese reason, no folder made', async () => {
  const db = path.join(dir, 'no-such-folder', 'minsheng.duckdb');
  const r = await runCli('load', oneFile, '--db', db);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('所在的資料夾不存在');
  expect(r.stderr).not.toMatch(CRASH_TEXT);
  expect(fs.existsSync(path.dirname(db))).toBe(false);
});

// ---------------------------------------------------------------------------------------------
// Read-only file systems and full disks, on a small tmpfs (needs root and mount: machine.mount)

function mountTmpfs(name: string, bytes: number): string {
  const target = path.join(dir, name);
  fs.mkdirSync(target);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${Math.ceil(bytes / 4096) * 4096}`, 'tmpfs', target], { stdio: 'pipe' });
  mounted.push(target);
  return target;
}

testIf(machine.mount())('a database on a read-only file system: load refuses with a Chinese reason; analysts can still query it', async () => {
  const planDb = await planDatabase(dir, 'for-ro.duckdb');
  const target = mountTmpfs('ro', fs.statSync(planDb).size + 1024 * 1024);
  const db = path.join(target, 'minsheng.duckdb');
  fs.copyFileSync(planDb, db);
  execFileSync('mount', ['-o', 'remount,ro', target]);
  const r = await runCli('load', oneFile, '--db', db);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`無法寫入資料庫「${db}」：所在的檔案系統是唯讀的`);
  expect(r.stderr).not.toMatch(CRASH_TEXT);
  const query = await runCli('sql', 'SELECT count(*) AS n FROM metrics', '--db', db, '--json');
  expect(query.code).toBe(0);
  expect(JSON.parse(query.stdout)[0].n).toBeGreaterThan(0);
}, 60_000);

testIf(machine.mount())('a disk that fills up part way: exit 2 with a Chinese reason after the report of what loaded; whole files only; after freeing space the same command completes', async () => {
  const planDb = await planDatabase(dir, 'for-full.duckdb');
  // Room for the plan and about a dozen reports' worth of write-ahead log.
  const target = mountTmpfs('full', fs.statSync(planDb).size + 28 * 1024);
  const db = path.join(target, 'minsheng.duckdb');
  fs.copyFileSync(planDb, db);
  const full = await runCli('load', ...FOLDERS, '--db', db);
  expect(full.code).toBe(2);
  expect(full.stderr).toContain('磁碟空間不足');
  expect(full.stderr).toContain('重新執行同一命令');
  expect(`${full.stdout}\n${full.stderr}`).not.toMatch(CRASH_TEXT);
  const reported = /共 (\d+) 個檔案：載入 (\d+)/.exec(full.stdout);
  expect(reported).not.toBeNull();
  expect(Number(reported![2])).toBeLessThan(FILE_COUNT);

  execFileSync('mount', ['-o', 'remount,size=16m', target]);
  const inAfterFull = await expectWholeFiles(db, reference);
  expect(inAfterFull).toBe(Number(reported![2]));
  const again = await runCli('load', ...FOLDERS, '--db', db, '--json');
  expect(again.code).toBe(0);
  const verdicts = (JSON.parse(again.stdout).files as { verdict: string }[]).map((f) => f.verdict);
  expect(verdicts.filter((v) => v === 'duplicate')).toHaveLength(inAfterFull);
  expect(await storedFiles(db)).toEqual(reference);
  process.stdout.write(`full disk: ${inAfterFull} of ${FILE_COUNT} files in when the disk filled; the re-run loaded the rest, nothing lost\n`);
}, 120_000);
