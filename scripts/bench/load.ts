// Bench of loading: 135 and 1,350 generated submissions into a fresh database, each run in a
// child process so its peak memory is its own. Run as a module (benchLoad) or as the child itself.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { replacePlan } from '../../pipeline/db/plan';
import { openStore } from '../../pipeline/db/store';
import { expandInputs, loadFile } from '../../pipeline/loadFiles';
import { combinedPlan, readPlanFiles } from '../../pipeline/planFiles';
import { generateDemoSubmissions } from '../../samples/2024-hangzhou/submissions/generate';

const COMBINED = path.resolve(__dirname, '../../samples/2024-hangzhou/附件1+2.xlsx');

async function samplePlan() {
  return combinedPlan(await readPlanFiles([COMBINED])).plan;
}

/** Every day from March on, skipping some, until `count` dates: 15 districts × dates ≈ files. */
function reportDates(count: number): string[] {
  const dates: string[] = [];
  for (let day = new Date(Date.UTC(2024, 2, 1)); dates.length < count; day = new Date(day.getTime() + 2 * 86400000)) {
    dates.push(day.toISOString().slice(0, 10));
  }
  return dates;
}

/** The child: loads every file of `dir` into a new database at `db`, prints one JSON line. */
async function child(dir: string, db: string): Promise<void> {
  const plan = await samplePlan();
  const store = await openStore(db);
  await replacePlan(store, plan, [{ fileName: 'plan', sha256: 'bench' }]);
  const files = expandInputs([dir]);
  const start = process.hrtime.bigint();
  let rows = 0;
  let loaded = 0;
  for (const file of files) {
    const result = await loadFile(store, plan, file);
    if (result.verdict === 'loaded' || result.verdict === 'superseded-earlier') {
      loaded += 1;
      rows += result.submissions.reduce((n, s) => n + s.rows, 0);
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  store.close();
  console.log(JSON.stringify({ files: files.length, loaded, rows, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

export async function benchLoad(print: (line: string) => void): Promise<void> {
  print('== loading submissions: fresh database, one child process per run');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-bench-load-'));
  try {
    const plan = await samplePlan();
    for (const [label, dates] of [
      ['135 files', 9],
      ['1,350 files', 90],
    ] as const) {
      const dir = path.join(work, `files-${dates}`);
      const gen = Date.now();
      await generateDemoSubmissions(plan, dir, { asOfDates: reportDates(dates), concurrency: 2 });
      const genSeconds = (Date.now() - gen) / 1000;
      const out = execFileSync(process.execPath, ['--import', 'tsx', __filename, 'child', dir, path.join(work, `bench-${dates}.duckdb`)], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      const r = JSON.parse(out.trim().split('\n').pop()!);
      print(
        `${label.padEnd(12)} ${r.loaded}/${r.files} loaded, ${r.rows} rows in ${r.seconds.toFixed(1)} s: ` +
          `${(r.files / r.seconds).toFixed(1)} files/s, ${Math.round(r.rows / r.seconds)} rows/s, peak RSS ${Math.round(r.maxRssMb)} MB ` +
          `(generating the files took ${genSeconds.toFixed(1)} s, not counted)`,
      );
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module && process.argv[2] === 'child') {
  child(process.argv[3], process.argv[4]).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
