// Bench of the leaders' workbook: `minsheng report` on the bundled sample (plan + 135 demo
// submissions, loaded into a fresh database first), whole and per step, and `minsheng annotate` on one
// district's submission.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { latestAsOf } from '../../pipeline/db/queries';
import { replacePlan } from '../../pipeline/db/plan';
import { openStore } from '../../pipeline/db/store';
import { expandInputs, loadFile } from '../../pipeline/loadFiles';
import { combinedPlan, readPlanFiles } from '../../pipeline/planFiles';
import { annotateSubmission } from '../../pipeline/report/annotate';
import { allPictures } from '../../pipeline/report/reportCharts';
import { writeReport } from '../../pipeline/report/writeReport';
import { time, type BenchContext } from './context';

const SAMPLE_DIR = path.resolve(__dirname, '../../samples/2024-hangzhou');

export async function benchReport(bench: BenchContext): Promise<void> {
  const print = bench.print;
  print('== leaders\' workbook: minsheng report / annotate on the 2024 sample');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-bench-report-'));
  try {
    const db = path.join(dir, 'minsheng.duckdb');
    const { ms: loadMs, result: files } = await time(async () => {
      const { plan } = combinedPlan(await readPlanFiles([path.join(SAMPLE_DIR, '附件1+2.xlsx')]));
      const store = await openStore(db);
      try {
        await replacePlan(store, plan, []);
        const inputs = expandInputs([path.join(SAMPLE_DIR, 'submissions')]);
        for (const file of inputs) await loadFile(store, plan, file);
        return inputs.length;
      } finally {
        store.close();
      }
    });
    print(`setup: plan + ${files} submissions loaded in ${(loadMs / 1000).toFixed(1)} s`);

    const store = await openStore(db, { readOnly: true });
    try {
      const asOf = (await latestAsOf(store))!;
      const out = path.join(dir, 'report.xlsx');
      const { ms, result } = await time(() => writeReport(store, { asOf, out, lang: 'zh-CN' }));
      const t = result.timings;
      const charts = allPictures(result.charts).length;
      print(
        `report as of ${asOf}: ${(ms / 1000).toFixed(2)} s in all — data ${t.data.toFixed(0)} ms, ` +
          `${charts} charts ${(t.charts / 1000).toFixed(2)} s on ${t.chartThreads} threads (${(t.charts / charts).toFixed(0)} ms a chart), ` +
          `workbook ${t.workbook.toFixed(0)} ms, write ${t.write.toFixed(0)} ms; ${(fs.statSync(out).size / 1e6).toFixed(1)} MB`,
      );
      bench.record({
        bench: 'report',
        as_of: asOf,
        total_ms: Math.round(ms),
        data_ms: Math.round(t.data),
        charts: charts,
        charts_ms: Math.round(t.charts),
        chart_threads: t.chartThreads,
        workbook_ms: Math.round(t.workbook),
        write_ms: Math.round(t.write),
      });
      const input = path.join(SAMPLE_DIR, 'submissions', asOf.slice(0, 7), '臨平區.xlsx');
      if (fs.existsSync(input)) {
        const { ms: annotateMs, result: annotated } = await time(() =>
          annotateSubmission(store, { input, out: path.join(dir, 'annotated.xlsx'), lang: 'zh-CN' }),
        );
        print(`annotate 臨平區 ${asOf}: ${(annotateMs / 1000).toFixed(2)} s (${annotated.marked.length} rows marked, 2 charts)`);
        bench.record({ bench: 'annotate', as_of: asOf, ms: Math.round(annotateMs) });
      }
    } finally {
      store.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
