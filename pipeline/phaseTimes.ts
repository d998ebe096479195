// Where a command's time goes (README "Performance"): with MINSHENG_PHASES set, the milliseconds spent in
// each named phase, summed over the run, and when each phase first began and last ended (ms since the
// process started) go to stderr as one JSON line at exit. Unset, a phase costs one branch.
const enabled = Boolean(process.env.MINSHENG_PHASES);
const phases = new Map<string, { ms: number; count: number; first: number; last: number }>();

function add(phase: string, start: number, end: number): void {
  const p = phases.get(phase);
  if (p) {
    p.ms += end - start;
    p.count++;
    p.last = end;
  } else phases.set(phase, { ms: end - start, count: 1, first: start, last: end });
}

/** Runs `work`, counting its time to `phase`. */
export async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  const start = performance.now();
  try {
    return await work();
  } finally {
    add(name, start, performance.now());
  }
}

/** phase for synchronous work. */
export function phaseSync<T>(name: string, work: () => T): T {
  if (!enabled) return work();
  const start = performance.now();
  try {
    return work();
  } finally {
    add(name, start, performance.now());
  }
}

/** Notes that `name` happened now (a phase of no length: "modules loaded"). */
export function mark(name: string): void {
  if (enabled) add(name, performance.now(), performance.now());
}

if (enabled) {
  process.on('exit', () => {
    const round = (x: number) => Math.round(x);
    const out = Object.fromEntries([...phases].map(([k, p]) => [k, { ms: round(p.ms), n: p.count, from: round(p.first), to: round(p.last) }]));
    process.stderr.write(`${JSON.stringify({ phases: out, exit: round(performance.now()) })}\n`);
  });
}
