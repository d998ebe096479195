// What every bench suite is given: a line for people, a record for machines, and the flags. Under
// `--json` stdout carries only records, one JSON object a line (the lines for people go to stderr), so
// `npm run bench -- <suite> --json | tail -1` is the suite's last measurement.

export interface BenchContext {
  /** A line for a person: stdout, or stderr under --json. */
  print(line: string): void;
  /** One measurement for a machine, printed as a JSON line under --json (only there). */
  record(fields: Record<string, unknown>): void;
  json: boolean;
  /** `--name value` flags other than --json, by name ("rows" for `--rows 1000000`); each suite reads what it knows. */
  flags: Record<string, string>;
}

export type Suite = (bench: BenchContext) => Promise<void>;

/** Suite names, `--json`, and `--name value` (or `--name=value`) flags. */
export function parseBenchArgs(argv: readonly string[]): { suites: string[]; json: boolean; flags: Record<string, string> } {
  const suites: string[] = [];
  const flags: Record<string, string> = {};
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--json') json = true;
    else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      if (eq > 0) flags[arg.slice(2, eq)] = arg.slice(eq + 1);
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags[arg.slice(2)] = argv[++i];
      else flags[arg.slice(2)] = 'true';
    } else suites.push(arg);
  }
  return { suites, json, flags };
}

export function benchContext(json: boolean, flags: Record<string, string>): BenchContext {
  return {
    json,
    flags,
    print: (line) => (json ? process.stderr : process.stdout).write(`${line}\n`),
    record: (fields) => {
      if (json) process.stdout.write(`${JSON.stringify(fields)}\n`);
    },
  };
}

/** A positive integer flag, or the default. */
export function intFlag(bench: BenchContext, name: string, fallback: number): number {
  const raw = bench.flags[name];
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive whole number, got ${raw}`);
  return n;
}

export async function time<T>(work: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

/** Median of n runs, in ms. */
export async function median(n: number, work: () => Promise<unknown> | unknown): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < n; i++) runs.push((await time(work)).ms);
  return middle(runs);
}

export function middle(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
