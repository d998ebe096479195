// Two loads started at once, in two real processes: DuckDB lets one process write a file at a time,
// so the second waits for the first (bounded) and then loads, or gives up with a clear message; the
// database stays intact either way.
import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { queryHistory } from '../pipeline/db/queries';
import { openStore } from '../pipeline/db/store';
import { objects, tempDir } from './db-helpers';

const ROOT = path.resolve(__dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** The child: opens the store for writing, loads one submission, holds the file a while, closes. */
const WRITER_SCRIPT = `
import { openStore } from ${JSON.stringify(path.join(ROOT, 'pipeline/db/store'))};
import { loadSubmission } from ${JSON.stringify(path.join(ROOT, 'pipeline/db/submissions'))};
const [dbPath, district, holdMs, lockTimeoutMs] = process.argv.slice(2);
(async () => {
  try {
    const store = await openStore(dbPath, { lockTimeoutMs: Number(lockTimeoutMs) });
    console.log('opened ' + Date.now());
    const result = await loadSubmission(
      store,
      { district, asOf: '2024-09-30', rows: [{ metricId: '1-1', completed: 5 }] },
      { fileName: district + '.xlsx', sha256: district },
    );
    await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
    store.close();
    console.log('closed ' + Date.now() + ' ' + result.status);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 3;
  }
})();
`;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function startWriter(script: string, args: string[]): { child: ChildProcess; opened: Promise<void>; finished: Promise<Finished> } {
  const child = spawn(TSX, [script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let markOpened: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (markOpened = resolve));
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
    if (stdout.includes('opened')) markOpened();
  });
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const finished = new Promise<Finished>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, opened, finished };
}

const stamp = (out: string, word: string) => Number(new RegExp(`${word} (\\d+)`).exec(out)![1]);

let dir: string;
let script: string;
beforeAll(() => {
  dir = tempDir('minsheng-lock-');
  script = path.join(dir, 'writer.ts');
  fs.writeFileSync(script, WRITER_SCRIPT);
});

test('the second writer waits for the first and both loads end up in the database', async () => {
  const db = path.join(dir, 'both.duckdb');
  const first = startWriter(script, [db, '上城區', '2500', '30000']);
  await first.opened;
  const second = startWriter(script, [db, '拱墅區', '0', '30000']);
  const [a, b] = await Promise.all([first.finished, second.finished]);
  expect([a.code, a.stderr]).toEqual([0, '']);
  expect([b.code, b.stderr]).toEqual([0, '']);
  // The second could only open once the first had closed.
  expect(stamp(b.stdout, 'opened')).toBeGreaterThanOrEqual(stamp(a.stdout, 'closed'));

  const store = await openStore(db, { readOnly: true });
  expect(objects(await queryHistory(store)).map((h) => h.district)).toEqual(['上城區', '拱墅區']);
  store.close();
}, 120_000);

test('a writer that cannot get the file in time fails with a clear message; the database is intact', async () => {
  const db = path.join(dir, 'one.duckdb');
  const first = startWriter(script, [db, '上城區', '8000', '30000']);
  await first.opened;
  const second = startWriter(script, [db, '拱墅區', '0', '1500']);
  const b = await second.finished;
  expect(b.code).toBe(3);
  expect(b.stderr).toMatch(/資料庫正被另一個程序寫入：.*one\.duckdb（已等待 \d+ 秒仍未釋放/);
  const a = await first.finished;
  expect(a.code).toBe(0);

  const store = await openStore(db, { readOnly: true });
  expect(objects(await queryHistory(store)).map((h) => [h.district, h.is_current])).toEqual([['上城區', true]]);
  store.close();
}, 120_000);
