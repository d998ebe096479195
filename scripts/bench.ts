// `npm run bench`: prints the numbers each issue asks for. Speed lives here, not in timed tests.
import { benchPlan } from './bench/plan';

async function main(): Promise<void> {
  const print = (line: string) => console.log(line);
  print(`node ${process.version}, ${require('node:os').cpus().length} cores`);
  await benchPlan(print);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
