// Bench of the plan workbooks: read + validate + normalise of each sample file, core's
// validate + normalise of a 10,000-row 附件2, and `minsheng normalise` of that file against pandas
// reading it, melting it to one row per (metric, district) and writing that copy — whole process
// against whole process, both sides in this one run.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { DISTRICTS } from '../../core/districts';
import type { CellValue, Grid } from '../../core/grid';
import { normalisePlan } from '../../core/normalise';
import { analysePlanSheets } from '../../core/workbook';
import { readWorkbook, readWorkbookFile } from '../../pipeline/xlsx/readWorkbook';
import { median, middle, time, type BenchContext } from './context';

const ROOT = path.resolve(__dirname, '../..');
const SAMPLE_DIR = path.join(ROOT, 'samples/2024-hangzhou');
/** Debian's python3 has python3-pandas and python3-openpyxl; the python3 first on PATH may not. */
const PYTHON = '/usr/bin/python3';

function gridWork(grids: Grid[]) {
  const analysis = analysePlanSheets(grids);
  const plan = normalisePlan({ grids, breakdown: analysis.breakdown, responsibility: analysis.responsibility, plan: analysis.assembled.plan });
  return { analysis, plan };
}

/**
 * A 附件2 as an analyst's tool would read it: one header row (序號, 項目名稱, 量化目標, 牽頭單位 and the
 * 15 district columns), `rows` metric rows, two to a project (序號 on the first: it has at most four
 * digits), district values that add up, units in the text as clerks type them, "--" for no target.
 */
export function syntheticBreakdown(rows: number): CellValue[][] {
  const header: CellValue[] = ['序號', '項目名稱', '量化目標', '牽頭單位', ...DISTRICTS.map((d) => d.name)];
  const out: CellValue[][] = [header];
  let seed = 1;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (let i = 1; i <= rows; i++) {
    const values = DISTRICTS.map(() => (next() < 0.2 ? null : Math.floor(next() * 200) + 1));
    const sum = values.reduce<number>((s, v) => s + (v ?? 0), 0);
    out.push([i % 2 === 1 ? (i + 1) / 2 : null, `合成項目${i}`, `${sum}個`, '市民政局', ...values.map((v) => (v === null ? '--' : `${v} 個`))]);
  }
  return out;
}

const PANDAS_SCRIPT = `
import sys
import pandas as pd
source, target = sys.argv[1], sys.argv[2]
wide = pd.read_excel(source, sheet_name=0, header=0, engine="openpyxl")
ids = list(wide.columns[:4])
long = wide.melt(id_vars=ids, var_name="區縣", value_name="目標值")
long.to_excel(target, index=False, engine="openpyxl")
print(len(long))
`;

function pandasAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import pandas, openpyxl'], { stdio: 'ignore' }).status === 0;
}

/** The built CLI, rebuilt first when a source file is newer than it (the comparison is of what users run). */
function builtCli(bench: BenchContext): string {
  const main = path.join(ROOT, 'lib/pipeline/cli/main.js');
  const built = fs.existsSync(main) ? fs.statSync(main).mtimeMs : 0;
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
      const p = path.join(dir, e.name);
      return Math.max(t, e.isDirectory() ? newest(p) : e.name.endsWith('.ts') ? fs.statSync(p).mtimeMs : 0);
    }, 0);
  if (built < Math.max(newest(path.join(ROOT, 'core')), newest(path.join(ROOT, 'pipeline')))) {
    bench.print('building the CLI (npm run build:cli) …');
    execFileSync('npm', ['run', '--silent', 'build:cli'], { cwd: ROOT, stdio: 'ignore' });
  }
  return path.join(ROOT, 'bin/minsheng.js');
}

/** Wall time of a whole child process, ms. */
function runProcess(command: string, args: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return ms;
}

export async function benchPlan(bench: BenchContext): Promise<void> {
  bench.print('== plan workbooks: read + validate + normalise');
  for (const name of ['附件1-責任清單.xlsx', '附件2-任務分解表.xlsx', '附件1+2.xlsx']) {
    const file = path.join(SAMPLE_DIR, name);
    const read = await median(5, () => readWorkbook(file));
    const wb = await readWorkbook(file);
    const core = await median(5, () => gridWork(wb.sheets));
    bench.print(`${name.padEnd(24)} read ${read.toFixed(1)} ms, validate+normalise ${core.toFixed(1)} ms, total ${(read + core).toFixed(1)} ms`);
    bench.record({ bench: 'plan-sample', file: name, read_ms: round(read), core_ms: round(core) });
  }

  const rows = Number(bench.flags['plan-rows'] ?? 10_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-bench-plan-'));
  try {
    const file = path.join(dir, `附件2-${rows}.xlsx`);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('附件2').addRows(syntheticBreakdown(rows));
    await wb.xlsx.writeFile(file);
    const size = fs.statSync(file).size / 1e6;

    // Reading is not core's: timed apart, once with each reader (`normalise` reads from the sheet XML).
    const excelJs = await time(() => readWorkbook(file));
    const xml = await time(() => readWorkbookFile(file));
    bench.print(`synthetic 附件2, ${rows} rows × 15 districts (${size.toFixed(1)} MB): read with ExcelJS ${excelJs.ms.toFixed(0)} ms, from the sheet XML ${xml.ms.toFixed(0)} ms (not in core's time)`);
    // Core alone, on the grids read: the first run of the process and the median of five more, wall
    // and CPU time (on a shared machine the wall time also holds the waits for a core).
    const grids = xml.result.sheets;
    const load = os.loadavg()[0];
    const first = await time(() => gridWork(grids));
    const runs: { ms: number; cpu: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const cpuBefore = process.cpuUsage();
      const { ms } = await time(() => gridWork(grids));
      const cpu = process.cpuUsage(cpuBefore);
      runs.push({ ms, cpu: (cpu.user + cpu.system) / 1000 });
    }
    const again = middle(runs.map((r) => r.ms));
    const againCpu = middle(runs.map((r) => r.cpu));
    const { analysis, plan } = first.result;
    const edit = plan.edits[0];
    const errors = analysis.issues.filter((i) => i.severity === 'error').length;
    bench.print(
      `validate+normalise in core ${first.ms.toFixed(0)} ms first, ${again.toFixed(0)} ms median of 5 (CPU ${againCpu.toFixed(0)} ms; load average ${load.toFixed(1)}) ` +
        `(${analysis.assembled.plan.targets.length} targets, ${edit?.changeCount ?? 0} cells written in ${edit?.blocks.length ?? 0} blocks, ${errors} errors)`,
    );
    bench.record({
      bench: 'plan-core',
      rows,
      read_exceljs_ms: round(excelJs.ms),
      read_xml_ms: round(xml.ms),
      first_ms: round(first.ms),
      median_ms: round(again),
      median_cpu_ms: round(againCpu),
      load_average: round(load, 2),
      targets: analysis.assembled.plan.targets.length,
      cells_written: edit?.changeCount ?? 0,
      blocks: edit?.blocks.length ?? 0,
      errors,
    });

    // Whole process against whole process, alternating, three runs each.
    const cli = builtCli(bench);
    const hasPandas = pandasAvailable();
    const script = path.join(dir, 'melt.py');
    fs.writeFileSync(script, PANDAS_SCRIPT);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let run = 0; run < 3; run++) {
      const out = path.join(dir, `out-${run}.xlsx`);
      ours.push(runProcess(process.execPath, [cli, 'normalise', file, '-o', out]));
      if (hasPandas) theirs.push(runProcess(PYTHON, [script, file, path.join(dir, `pandas-${run}.xlsx`)]));
    }
    const oursMs = middle(ours);
    const pandasMs = hasPandas ? middle(theirs) : undefined;
    bench.print(
      `minsheng normalise ${(oursMs / 1000).toFixed(2)} s` +
        (pandasMs === undefined ? ' (pandas not installed for /usr/bin/python3: no comparison)' : `; pandas read + melt + write ${(pandasMs / 1000).toFixed(2)} s; ratio ${(oursMs / pandasMs).toFixed(2)}×`) +
        ` (median of 3 whole processes each; load average ${os.loadavg()[0].toFixed(1)})`,
    );
    bench.record({ bench: 'normalise-cli', rows, load_average: round(os.loadavg()[0], 2), minsheng_ms: round(oursMs), pandas_ms: pandasMs === undefined ? null : round(pandasMs), ratio: pandasMs === undefined ? null : round(oursMs / pandasMs, 3) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function round(n: number, places = 1): number {
  const f = 10 ** places;
  return Math.round(n * f) / f;
}
