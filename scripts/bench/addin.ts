// Bench of the add-in's Office.js round trips: 校驗 (validateWorkbook) and 規範化 (normaliseWorkbook), the
// real addin/workflows.ts, on the fake Excel host the tests use (tests/helpers/fakeExcel), which counts
// every context.sync(). A 附件2 of 20 and of 10,000 rows (tests/helpers/breakdownGrid.ts), run as the
// pane runs them (it has described the active sheet, so it knows the sheets) and cold (it has not).
// The syncs are what a clerk waits for in Excel; `ms` is this process's work against an in-memory fake,
// not Excel's.
import { setPaneLang } from '../../addin/paneLang';
import type { SheetMemory } from '../../addin/excel/readSheets';
import * as workflows from '../../addin/workflows';
import { breakdownOf } from '../../tests/helpers/breakdownGrid';
import { createFakeHost, installFakeHost, workbookFromGrids, type FakeHost } from '../../tests/helpers/fakeExcel/host';
import { fakeWorkbookToXlsx } from '../../tests/helpers/fakeExcel/xlsx';
import { time, type BenchContext } from './context';

const SIZES = [20, 10_000];

async function counted<T>(host: FakeHost, work: () => Promise<T>): Promise<{ syncs: number; ms: number }> {
  const before = host.workbook.syncs;
  const { ms } = await time(work);
  return { syncs: host.workbook.syncs - before, ms };
}

export async function benchAddin(bench: BenchContext): Promise<void> {
  bench.print('== add-in: Office.js round trips (syncs) of 校驗 and 規範化 on the fake Excel host');
  setPaneLang('zh-TW');
  for (const paneLooked of [true, false]) {
    for (const rows of SIZES) {
      const host = createFakeHost(workbookFromGrids([breakdownOf(rows)]), { fileBytes: fakeWorkbookToXlsx });
      installFakeHost(host);
      const memory: SheetMemory | undefined = paneLooked ? {} : undefined;
      if (memory) await workflows.describeActiveSheet({ memory });
      const runs = {
        validate: await counted(host, () => workflows.validateWorkbook({ memory })),
        normalise: await counted(host, () => workflows.normaliseWorkbook({ memory })),
      };
      for (const [workflow, { syncs, ms }] of Object.entries(runs)) {
        bench.print(`${workflow === 'validate' ? '校驗  ' : '規範化'} ${String(rows).padStart(6)} rows, ${paneLooked ? 'pane has looked' : 'cold          '}: ${syncs} syncs, ${ms.toFixed(0)} ms`);
        bench.record({ bench: 'addin-sync', workflow, rows, pane_looked: paneLooked, syncs, ms: Math.round(ms) });
      }
    }
  }
}
