// Two loads started at once, in two real processes: DuckDB lets one process write a file at a time,
// so the second waits for the first (bounded) and then loads, or gives up with a clear message; the
// database stays intact either way.
import * as fs from 'fs';
import * as path from 'path';
import { queryHistory } from '../pipeline/db/queries';
import { openStore } from '../pipeline/db/store';
import { objects } from './helpers/store';
import { removeTempDirs, tempDir } from './helpers/tempDir';
import { startTs, withoutRuntimeWarnings, type RunningProcess } from './helpers/cli';
import { ROOT } from './helpers/paths';


/**
 * The child: says when it starts to open the store and when it has it, loads one submission, keeps the
 * file until the test writes a line to its stdin (with "hold"), closes and says so. Times are Date.now().
 */
const WRITER_SCRIPT = `
import { openStore } from ${JSON.stringify(path.join(ROOT, 'pipeline/db/store'))};
import { loadSubmission } from ${JSON.stringify(path.join(ROOT, 'pipeline/db/submissions'))};
const [dbPath, district, lockTimeoutMs, hold] = process.argv.slice(2);
(async () => {
  try {
    console.log('opening ' + Date.now());
    const store = await openStore(dbPath, { lockTimeoutMs: Number(lockTimeoutMs) });
    console.log('opened ' + Date.now());
    const result = await loadSubmission(
      store,
      { district, asOf: '2024-09-30', rows: [{ metricId: '1-1', completed: 5 }] },
      { fileName: district + '.xlsx', sha256: district },
    );
    if (hold === 'hold') {
      console.log('holding');
      await new Promise((resolve) => process.stdin.once('data', resolve));
    }
    const closedAt = Date.now();
    store.close();
    console.log('closed ' + closedAt + ' ' + result.status);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 3;
  } finally {
    process.stdin.destroy();
  }
})();
`;

/** A writer; with `hold`, it keeps the database until release() is called. */
function startWriter(db: string, district: string, lockTimeoutMs: number, hold = false): RunningProcess & { release(): void } {
  const writer = startTs(script, [db, district, String(lockTimeoutMs), hold ? 'hold' : ''], { stdin: true });
  return { ...writer, release: () => writer.child.stdin!.end('release\n') };
}

const stamp = (out: string, word: string) => Number(new RegExp(`${word} (\\d+)`).exec(out)![1]);

let dir: string;
let script: string;
beforeAll(() => {
  dir = tempDir('minsheng-lock-');
  script = path.join(dir, 'writer.ts');
  fs.writeFileSync(script, WRITER_SCRIPT);
});
afterAll(removeTempDirs);

test('the second writer waits for the first and both loads end up in the database', async () => {
  const db = path.join(dir, 'both.duckdb');
  const first = startWriter(db, '上城區', 30_000, true);
  await first.printed('stdout', 'holding');
  const second = startWriter(db, '拱墅區', 30_000);
  await second.printed('stdout', 'opening');
  first.release();
  const [a, b] = await Promise.all([first.finished, second.finished]);
  expect([a.code, withoutRuntimeWarnings(a.stderr)]).toEqual([0, '']);
  expect([b.code, withoutRuntimeWarnings(b.stderr)]).toEqual([0, '']);
  // The second asked for the file while the first held it, and got it only once the first had let go.
  expect(stamp(b.stdout, 'opening')).toBeLessThan(stamp(a.stdout, 'closed'));
  expect(stamp(b.stdout, 'opened')).toBeGreaterThanOrEqual(stamp(a.stdout, 'closed'));

  const store = await openStore(db, { readOnly: true });
  expect(objects(await queryHistory(store)).map((h) => h.district)).toEqual(['上城區', '拱墅區']);
  store.close();
}, 120_000);

test('a writer that cannot get the file in time fails with a clear message; the database is intact', async () => {
  const db = path.join(dir, 'one.duckdb');
  const first = startWriter(db, '上城區', 30_000, true);
  await first.printed('stdout', 'holding');
  const b = await startWriter(db, '拱墅區', 1500).finished;
  first.release();
  expect(b.code).toBe(3);
  expect(b.stderr).toMatch(/資料庫正被另一個程序寫入：.*one\.duckdb（已等待 \d+ 秒仍未釋放/);
  const a = await first.finished;
  expect(a.code).toBe(0);

  const store = await openStore(db, { readOnly: true });
  expect(objects(await queryHistory(store)).map((h) => [h.district, h.is_current])).toEqual([['上城區', true]]);
  store.close();
}, 120_000);
