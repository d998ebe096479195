// Shared by the tests of the store and the analysis queries: building a store from a plan and a list of
// files, reading query results as objects, and comparing them with the reference implementation.
import type { Plan } from '../../core/model';
import { replacePlan } from '../../pipeline/db/plan';
import { openStore, type Store } from '../../pipeline/db/store';
import { loadSubmission, type LoadResult } from '../../pipeline/db/submissions';
import { rowObjects, type Cell, type ResultTable } from '../../pipeline/output/resultTable';
import type { ReferenceLoad } from './reference/analysis';

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
