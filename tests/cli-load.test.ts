// `minsheng plan load` / `load` / `history` as the supervision office uses them: idempotent
// reloads, corrections that supersede, a bad file rejected whole while the rest load, unknown
// districts, unreadable files, and two loads started at the same time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { openStore } from '../pipeline/db/store';
import { cliProcess, runCli } from './helpers/cli';
import { ROOT } from './helpers/paths';
import { COMBINED_FILE, SUBMISSIONS_DIR } from './helpers/samples';
import { removeTempDirs, tempDir } from './helpers/tempDir';

afterAll(removeTempDirs);

async function count(db: string, sql: string): Promise<number> {
  const store = await openStore(db, { readOnly: true });
  try {
    return Number((await store.connection.runAndReadAll(sql)).getRows()[0][0]);
  } finally {
    store.close();
  }
}

/** A copy of a sample submission with some cells changed (by the text they hold now). */
async function editedCopy(from: string, to: string, edits: (ws: ExcelJS.Worksheet) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(from);
  edits(wb.getWorksheet('進度報送表')!);
  await wb.xlsx.writeFile(to);
  return to;
}

function cellHolding(ws: ExcelJS.Worksheet, test: (v: unknown) => boolean): ExcelJS.Cell {
  let found: ExcelJS.Cell | undefined;
  ws.eachRow((row) => row.eachCell((cell) => {
    if (!found && test(cell.value)) found = cell;
  }));
  if (!found) throw new Error('cell not found');
  return found;
}

describe('loading progress reports', () => {
  const dir = tempDir('minsheng-load-');
  const db = path.join(dir, 'test.duckdb');

  beforeAll(async () => {
    const r = await runCli('plan', 'load', COMBINED_FILE, '--db', db);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('60 個指標、643 個區縣任務');
  });

  test('a month folder loads; loading it again changes nothing', async () => {
    const first = await runCli('load', path.join(SUBMISSIONS_DIR, '2024-09'), '--db', db);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('共 15 個檔案：載入 15');
    const rows = await count(db, 'SELECT count(*) FROM progress');
    const again = await runCli('load', path.join(SUBMISSIONS_DIR, '2024-09'), '--db', db, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).files.every((f: { verdict: string }) => f.verdict === 'duplicate')).toBe(true);
    expect(await count(db, 'SELECT count(*) FROM progress')).toBe(rows);
  });

  test('a correction supersedes the earlier report; both are kept and history shows them', async () => {
    const r = await runCli('load', path.join(SUBMISSIONS_DIR, '2024-07'), '--db', db, '--json');
    const verdicts = Object.fromEntries(JSON.parse(r.stdout).files.map((f: { file: string; verdict: string }) => [path.basename(f.file), f.verdict]));
    expect(verdicts['餘杭區.xlsx']).toBe('loaded');
    expect(verdicts['餘杭區（更正）.xlsx']).toBe('superseded-earlier');
    expect(await count(db, `SELECT count(*) FROM submissions WHERE district = '餘杭區' AND as_of = DATE '2024-07-31'`)).toBe(2);
    expect(await count(db, `SELECT count(*) FROM submissions WHERE district = '餘杭區' AND as_of = DATE '2024-07-31' AND superseded_by IS NULL`)).toBe(1);
    const lag = await runCli('lag', '--as-of', '2024-07-31', '--db', db, '--json');
    const row = JSON.parse(lag.stdout).find((x: { district: string; metric_id: string }) => x.district === '餘杭區' && x.metric_id === '47-1');
    expect(row.completed).toBe(8458);
    const history = await runCli('history', '--district', '餘杭區', '--db', db, '--json');
    expect(history.stdout).toContain('餘杭區（更正）.xlsx');
  });

  test('a file with errors is rejected whole, the others load; unknown districts and unreadable files are named', async () => {
    const batch = path.join(dir, 'batch');
    fs.mkdirSync(batch);
    fs.copyFileSync(path.join(SUBMISSIONS_DIR, '2024-10', '上城區.xlsx'), path.join(batch, 'a-上城區.xlsx'));
    await editedCopy(path.join(SUBMISSIONS_DIR, '2024-10', '拱墅區.xlsx'), path.join(batch, 'b-拱墅區-負數.xlsx'), (ws) => {
      const header = cellHolding(ws, (v) => v === '累計完成');
      const cell = ws.getCell(Number(header.row) + 3, Number(header.col));
      expect(typeof cell.value).toBe('number');
      cell.value = -5;
    });
    await editedCopy(path.join(SUBMISSIONS_DIR, '2024-10', '西湖區.xlsx'), path.join(batch, 'c-火星區.xlsx'), (ws) => {
      const cell = cellHolding(ws, (v) => typeof v === 'string' && v.includes('西湖區'));
      cell.value = String(cell.value).replace('西湖區', '火星區');
    });
    fs.writeFileSync(path.join(batch, 'd-壞文件.xlsx'), 'not a workbook');
    const before = await count(db, 'SELECT count(*) FROM submissions');
    const r = await runCli('load', batch, '--db', db, '--json');
    expect(r.code).toBe(2);
    const files = JSON.parse(r.stdout).files as { file: string; verdict: string; reason?: string; issues: { code: string; message: string; cell?: string }[] }[];
    const by = (name: string) => files.find((f) => path.basename(f.file).startsWith(name))!;
    expect(by('a-').verdict).toBe('loaded');
    expect(by('b-').verdict).toBe('rejected');
    expect(by('b-').issues.find((i) => i.code === 'negative-value')?.cell).toMatch(/^G\d+$/);
    expect(by('c-').verdict).toBe('rejected');
    expect(by('c-').issues.map((i) => i.message).join()).toContain('火星區');
    expect(by('d-').verdict).toBe('unreadable');
    expect(by('d-').reason).toContain('d-壞文件.xlsx');
    expect(await count(db, 'SELECT count(*) FROM submissions')).toBe(before + 1);
    expect(await count(db, `SELECT count(*) FROM submissions WHERE district = '拱墅區' AND as_of = DATE '2024-10-31'`)).toBe(0);
  });

  test('two loads started at once: one finds the database locked and waits, loads only after the other has finished; both land', async () => {
    // Each process says when DuckDB first refuses it the file because the other holds the lock.
    const hook = path.join(dir, 'lock-hook.js');
    fs.writeFileSync(hook, LOCK_HOOK);
    const start = (folder: string) => cliProcess(['load', path.join(SUBMISSIONS_DIR, folder), '--db', db], { node: ['--require', hook] });
    const [a, b] = await Promise.all([start('2024-03'), start('2024-04')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(await count(db, `SELECT count(DISTINCT district) FROM submissions WHERE as_of IN (DATE '2024-03-31', DATE '2024-04-30')`)).toBe(15);
    expect(await count(db, `SELECT count(*) FROM submissions WHERE as_of IN (DATE '2024-03-31', DATE '2024-04-30')`)).toBe(30);

    // When each process stored its files (loaded_at), by the month it loaded.
    const spans = new Map<string, { first: number; last: number }>();
    const store = await openStore(db, { readOnly: true });
    try {
      const rows = await store.connection.runAndReadAll(
        `SELECT CAST(as_of AS VARCHAR), min(epoch_ms(loaded_at)), max(epoch_ms(loaded_at)) FROM submissions
         WHERE as_of IN (DATE '2024-03-31', DATE '2024-04-30') GROUP BY as_of`,
      );
      for (const [asOf, first, last] of rows.getRows()) spans.set(String(asOf), { first: Number(first), last: Number(last) });
    } finally {
      store.close();
    }
    const runs = [
      { span: spans.get('2024-03-31')!, refused: /LOCKED-OUT (\d+)/.exec(a.stderr) },
      { span: spans.get('2024-04-30')!, refused: /LOCKED-OUT (\d+)/.exec(b.stderr) },
    ].sort((x, y) => x.span.first - y.span.first);
    const [earlier, later] = runs;
    // The later one was refused the file before it stored anything, and stored nothing until the earlier one was done.
    expect(later.refused).not.toBeNull();
    expect(Number(later.refused![1])).toBeLessThanOrEqual(later.span.first);
    expect(later.span.first).toBeGreaterThanOrEqual(earlier.span.last);
  });

  test('MINSHENG_PHASES=1: at exit, one JSON line on stderr says how long each phase of the load took; unset, nothing', async () => {
    const folder = path.join(SUBMISSIONS_DIR, '2024-03');
    const files = fs.readdirSync(folder).filter((f) => f.endsWith('.xlsx')).length;
    const profiled = await cliProcess(['load', folder, '--db', db, '--json'], { env: { MINSHENG_PHASES: '1' } });
    expect(profiled.code).toBe(0);
    const line = profiled.stderr.split('\n').find((l) => l.startsWith('{"phases"'));
    const { phases, exit } = JSON.parse(line!) as { phases: Record<string, { ms: number; n: number; from: number; to: number }>; exit: number };
    for (const name of ['cli.main', 'db.open', 'plan.read', 'read.wait', 'store', 'db.close']) expect(phases[name]).toBeDefined();
    expect(phases['read.wait'].n).toBe(files);
    expect(phases['db.open'].from).toBeLessThanOrEqual(phases['db.close'].to);
    expect(phases['db.close'].to).toBeLessThanOrEqual(exit);
    const plain = await cliProcess(['load', folder, '--db', db, '--json'], { env: { MINSHENG_PHASES: '' } });
    expect(plain.stderr).not.toContain('"phases"');
  });
});

/** Preloaded into a `minsheng load`: prints LOCKED-OUT <ms> the first time DuckDB refuses to open the file for a lock. */
const LOCK_HOOK = `
const duckdb = require(${JSON.stringify(path.join(ROOT, 'node_modules/@duckdb/node-api'))});
let told = false;
for (const name of ['create', 'fromCache']) {
  const open = duckdb.DuckDBInstance[name];
  if (typeof open !== 'function') continue;
  duckdb.DuckDBInstance[name] = async function (...args) {
    try {
      return await open.apply(this, args);
    } catch (error) {
      if (!told && /lock/i.test(String(error && error.message))) {
        told = true;
        process.stderr.write('LOCKED-OUT ' + Date.now() + '\\n');
      }
      throw error;
    }
  };
}
`;
