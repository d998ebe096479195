// `npm run bench`: prints the numbers each issue asks for. Speed lives here, not in timed tests.
// `npm run bench -- plan load queries` runs only the named suites; `--json` prints one JSON object a
// line on stdout (lines for people go to stderr); other `--name value` flags (`--rows 1000000`) reach
// the suites (scripts/bench/context.ts).
import * as os from 'node:os';
import { benchAddin } from './bench/addin';
import { benchAssessment } from './bench/assessment';
import { benchCharts } from './bench/charts';
import { benchContext, parseBenchArgs, type Suite } from './bench/context';
import { benchLoad } from './bench/load';
import { benchPlan } from './bench/plan';
import { benchQueries } from './bench/queries';
import { benchReport } from './bench/report';

const SUITES: Record<string, Suite> = {
  plan: benchPlan,
  load: benchLoad,
  queries: benchQueries,
  report: benchReport,
  charts: benchCharts,
  assessment: benchAssessment,
  addin: benchAddin,
};

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const unknown = args.suites.filter((s) => !(s in SUITES));
  if (unknown.length > 0) throw new Error(`unknown bench suite ${unknown.join(', ')}; suites: ${Object.keys(SUITES).join(', ')}`);
  const bench = benchContext(args.json, args.flags);
  const load = os.loadavg()[0];
  bench.print(`node ${process.version}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${load.toFixed(1)}`);
  bench.record({ bench: 'machine', node: process.version, cores: os.cpus().length, memory_gib: Math.round(os.totalmem() / 2 ** 30), load_average: Math.round(load * 100) / 100 });
  for (const [name, run] of Object.entries(SUITES)) {
    if (args.suites.length === 0 || args.suites.includes(name)) await run(bench);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
