// Bench of issue 13, target 1 (ingest against pandas): 135 and 1,350 generated submissions loaded into a
// fresh database by the `minsheng load` command (the compiled CLI, bin/minsheng.js, a process of its
// own), against pandas + openpyxl reading the same files into one table (scripts/bench/pandas_load.py),
// whole process against whole process. `--runs N` (default 1) takes the median of N runs of each.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { replacePlan } from '../../pipeline/db/plan';
import { openStore } from '../../pipeline/db/store';
import { combinedPlan, readPlanFiles } from '../../pipeline/planFiles';
import { generateDemoSubmissions } from '../../samples/2024-hangzhou/submissions/generate';
import { intFlag, middle, type BenchContext } from './context';

const ROOT = path.resolve(__dirname, '../..');
const COMBINED = path.join(ROOT, 'samples/2024-hangzhou/附件1+2.xlsx');
/** Debian's python3 has python3-pandas and python3-openpyxl; the python3 first on PATH may not. */
const PYTHON = '/usr/bin/python3';

/** Every other day from March on, until `count` dates: 15 districts × dates files. */
function reportDates(count: number): string[] {
  const dates: string[] = [];
  for (let day = new Date(Date.UTC(2024, 2, 1)); dates.length < count; day = new Date(day.getTime() + 2 * 86400000)) {
    dates.push(day.toISOString().slice(0, 10));
  }
  return dates;
}

/** Runs a command to its end; its wall time in ms and its stdout. */
function timed(command: string, args: string[]): { ms: number; stdout: string } {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr.slice(0, 2000)}`);
  return { ms, stdout: result.stdout };
}

export async function benchLoad(bench: BenchContext): Promise<void> {
  bench.print('== loading submissions (issue 13, target 1): `minsheng load` vs pandas + openpyxl, whole process each');
  const runs = intFlag(bench, 'runs', 1);
  const hasPandas = spawnSync(PYTHON, ['-c', 'import pandas, openpyxl'], { stdio: 'ignore' }).status === 0;
  // The command as users run it: the compiled CLI.
  const build = timed('npm', ['run', '--silent', 'build:cli']);
  bench.print(`(compiled the CLI first: ${(build.ms / 1000).toFixed(1)} s, not counted)`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-bench-load-'));
  try {
    const plan = combinedPlan(await readPlanFiles([COMBINED])).plan;
    const planDb = path.join(work, 'plan.duckdb');
    const store = await openStore(planDb);
    await replacePlan(store, plan, [{ fileName: 'plan', sha256: 'bench' }]);
    store.close();
    for (const dates of [9, 90]) {
      const dir = path.join(work, `files-${dates}`);
      await generateDemoSubmissions(plan, dir, { asOfDates: reportDates(dates), concurrency: 2 });
      const ours: number[] = [];
      const theirs: number[] = [];
      let files = 0;
      let rows = 0;
      let pandasRows = 0;
      for (let run = 0; run < runs; run++) {
        const db = path.join(work, `load-${dates}-${run}.duckdb`);
        fs.copyFileSync(planDb, db);
        const load = timed(process.execPath, [path.join(ROOT, 'bin/minsheng.js'), 'load', dir, '--db', db, '--json']);
        ours.push(load.ms);
        const result = JSON.parse(load.stdout) as { files: { verdict: string; submissions: { rows: number }[] }[] };
        files = result.files.length;
        rows = result.files.filter((f) => f.verdict === 'loaded').reduce((n, f) => n + f.submissions.reduce((m, s) => m + s.rows, 0), 0);
        if (hasPandas) {
          const pandas = timed(PYTHON, [path.join(__dirname, 'pandas_load.py'), dir]);
          theirs.push(pandas.ms);
          pandasRows = (JSON.parse(pandas.stdout.trim().split('\n').pop()!) as { rows: number }).rows;
        }
      }
      const oursMs = middle(ours);
      const pandasMs = hasPandas ? middle(theirs) : undefined;
      bench.print(
        `${files.toLocaleString('en')} files, ${rows.toLocaleString('en')} rows: minsheng load ${(oursMs / 1000).toFixed(2)} s` +
          (pandasMs === undefined
            ? ' (pandas not installed for /usr/bin/python3: no comparison)'
            : `; pandas + openpyxl ${(pandasMs / 1000).toFixed(2)} s (${pandasRows.toLocaleString('en')} rows); pandas / minsheng ${(pandasMs / oursMs).toFixed(2)}×`) +
          (runs > 1 ? ` (median of ${runs})` : ''),
      );
      bench.record({ bench: 'load', files, rows, runs, minsheng_ms: Math.round(oursMs), pandas_ms: pandasMs === undefined ? null : Math.round(pandasMs), speedup: pandasMs === undefined ? null : Math.round((pandasMs / oursMs) * 100) / 100 });
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
