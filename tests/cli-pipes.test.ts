// Output piped into a reader that stops early (`minsheng lag --json | head`): the CLI exits quietly, with
// no stack trace, whichever format it was writing. A real pipe between two processes, as a shell makes it,
// to the CLI started as the installed command starts it (tests/helpers/installedEntry.ts).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { withoutRuntimeWarnings } from './helpers/cli';
import { ROOT } from './helpers/paths';
import { storeWith } from './helpers/store';
import { removeTempDirs, tempDir } from './helpers/tempDir';
import { SMALL_LOADS, SMALL_PLAN } from './helpers/reference/fixtures';

let db: string;

beforeAll(async () => {
  db = path.join(tempDir('minsheng-pipes-'), 'm.duckdb');
  const { store } = await storeWith(SMALL_PLAN, SMALL_LOADS, db);
  store.close();
});
afterAll(removeTempDirs);

/** `minsheng <args> | head -c 200` through bash: what head printed, the CLI's stderr and exit status. */
function pipedIntoHead(args: string[]): Promise<{ head: string; stderr: string; status: number }> {
  const quoted = [process.execPath, '--import', 'tsx', path.join(ROOT, 'tests/helpers/installedEntry.ts'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `${quoted} | head -c 200; echo "status=\${PIPESTATUS[0]}" >&2`;
  const child = spawn('bash', ['-c', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let head = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (head += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve) =>
    child.on('close', () => {
      const status = Number(/status=(\d+)\s*$/.exec(stderr)?.[1] ?? NaN);
      resolve({ head, stderr: withoutRuntimeWarnings(stderr.replace(/status=\d+\s*$/, '')).trim(), status });
    }),
  );
}

// Far more than a pipe's buffer (64 KB), so the CLI is still writing when head has gone.
const BIG = "SELECT range AS n, '第' || range || '行' AS label FROM range(200000)";

test.each([
  ['JSON', ['sql', BIG, '--json']],
  ['CSV on stdout', ['sql', BIG, '--csv', '-']],
])('%s into a reader that stops early: exit 0, nothing on stderr', async (_name, args) => {
  const r = await pipedIntoHead([...args, '--db', db]);
  expect(r.head.length).toBeGreaterThan(0);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});
