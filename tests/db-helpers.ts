// Shared by the tests/db-*.test.ts files: building a store from a plan and a list of files, reading
// query results as objects, and comparing them with the reference implementation.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Plan } from '../core/model';
import { replacePlan } from '../pipeline/db/plan';
import { openStore, type Store } from '../pipeline/db/store';
import { loadSubmission, type LoadResult } from '../pipeline/db/submissions';
import { rowObjects, type Cell, type ResultTable } from '../pipeline/output/resultTable';
import type { ReferenceLoad } from './reference/analysis';

const madeDirs: string[] = [];

/** A fresh directory under the system temp dir, removed when the test file is done. */
export function tempDir(prefix = 'minsheng-db-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of madeDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

export async function storeWith(
  plan: Plan,
  loads: readonly ReferenceLoad[],
  dbPath = ':memory:',
): Promise<{ store: Store; results: LoadResult[] }> {
  const store = await openStore(dbPath);
  await replacePlan(store, plan, [{ fileName: '附件1.xlsx', sha256: 'a'.repeat(64) }]);
  const results: LoadResult[] = [];
  for (const [i, load] of loads.entries()) {
    results.push(
      await loadSubmission(store, load, { fileName: `${load.district}-${load.asOf}-${i}.xlsx`, sha256: load.sha256 }),
    );
  }
  return { store, results };
}

export function objects(table: ResultTable): Record<string, Cell>[] {
  return rowObjects(table);
}

/** Numbers equal to 1e-9 (the SQL and the reference may sum in a different order). */
export function close(a: Cell | undefined, b: number | null): boolean {
  if (b === null || a === null || a === undefined) return a === b || (a === undefined && b === null);
  return typeof a === 'number' && Math.abs(a - b) <= 1e-9;
}
