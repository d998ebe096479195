// `npm run bench`: prints the numbers each issue asks for. Speed lives here, not in timed tests.
// `npm run bench -- plan load queries` runs only the named sections.
import * as os from 'node:os';
import { benchCharts } from './bench/charts';
import { benchLoad } from './bench/load';
import { benchPlan } from './bench/plan';
import { benchQueries } from './bench/queries';
import { benchReport } from './bench/report';

const SECTIONS: Record<string, (print: (line: string) => void) => Promise<void>> = {
  plan: benchPlan,
  load: benchLoad,
  queries: benchQueries,
  report: benchReport,
  charts: async (print) => {
    await benchCharts(print);
  },
};

async function main(): Promise<void> {
  const print = (line: string) => console.log(line);
  const wanted = process.argv.slice(2).filter((a) => a in SECTIONS);
  print(`node ${process.version}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`);
  for (const [name, run] of Object.entries(SECTIONS)) {
    if (wanted.length === 0 || wanted.includes(name)) await run(print);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
