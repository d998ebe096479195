// `npm run mutate [-- <filter>…]`: our own small mutation run. Each entry of tests/mutants.ts changes one
// line of a rule in core/ or queries/ (a threshold, a comparison, a multiplier, a skipped branch); the
// suites that cover the rule run against the changed code, and a change no test notices is a survivor.
// Not part of `npm test`: it is slow on purpose (one jest run per mutant) and is run when rules change.
//
// The run happens in a copy of the working tree (the repository is never edited): a fixed folder under
// the system temp dir, refreshed each run so jest's transform cache stays warm. A test that fails
// without any change (the baseline) is not counted as a kill.
//
//   npm run mutate                 every mutant
//   npm run mutate -- lag forecast only mutants whose id contains one of the words
//   npm run mutate -- --list       the list, nothing run
//   npm run mutate -- --check      that every mutant still finds its line, nothing run
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MUTANTS, type Mutant } from '../tests/mutants';

const ROOT = path.resolve(__dirname, '..');
/** Where rules live: a mutant's `find` is looked for in these folders. */
const RULE_FOLDERS = ['core', 'queries'];
/** One mutant's jest run may take this long before it counts as killed by a hang. */
const MUTANT_TIMEOUT_MS = 15 * 60_000;

interface JestResult {
  testResults: { name: string; assertionResults: { fullName: string; status: string }[]; message: string }[];
}

type Outcome =
  | { kind: 'killed'; by: string }
  | { kind: 'survived' }
  | { kind: 'stale'; why: string }
  | { kind: 'broken'; why: string };

function gitFiles(): string[] {
  const listed = spawnSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  return listed.stdout.split('\0').filter((f) => f !== '' && fs.existsSync(path.join(ROOT, f)));
}

/** A copy of the working tree (tracked and new files, node_modules linked) in a folder reused across runs. */
function sandbox(): string {
  const dir = path.join(os.tmpdir(), `minsheng-mutate-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const file of gitFiles()) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

function ruleFiles(dir: string): string[] {
  return RULE_FOLDERS.flatMap((folder) =>
    fs
      .readdirSync(path.join(dir, folder), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ts|sql)$/.test(f))
      .map((f) => path.join(folder, f)),
  );
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** The one file under core/ or queries/ (or `mutant.in`) that holds `find` exactly once. */
function locate(dir: string, files: string[], mutant: Mutant): { file: string } | { why: string } {
  const candidates = mutant.in ? [mutant.in] : files;
  const hits = candidates.filter((f) => fs.existsSync(path.join(dir, f)) && occurrences(fs.readFileSync(path.join(dir, f), 'utf8'), mutant.find) > 0);
  if (hits.length === 0) return { why: `"${mutant.find}" is no longer in ${mutant.in ?? RULE_FOLDERS.join('/ or ')}/: the rule moved or changed; update tests/mutants.ts` };
  if (hits.length > 1) return { why: `"${mutant.find}" is in ${hits.join(', ')}: add \`in\` to say which` };
  const count = occurrences(fs.readFileSync(path.join(dir, hits[0]), 'utf8'), mutant.find);
  if (count > 1) return { why: `"${mutant.find}" occurs ${count} times in ${hits[0]}: make it longer` };
  return { file: hits[0] };
}

function suitePaths(dir: string, mutant: Mutant): string[] {
  return mutant.tests.map((t) => {
    const p = path.join('tests', `${t}.test.ts`);
    if (!fs.existsSync(path.join(dir, p))) throw new Error(`mutant ${mutant.id}: no test file ${p}`);
    return p;
  });
}

/** Runs jest on `suites` in the sandbox; the names of the tests that failed, or why jest gave no result. */
function runJest(dir: string, suites: string[], only: string | undefined): { failed: string[] } | { broken: string } {
  const out = path.join(dir, '.mutate-result.json');
  fs.rmSync(out, { force: true });
  const args = [path.join(dir, 'node_modules/jest/bin/jest.js'), '--ci', '--silent', '--json', `--outputFile=${out}`, '--maxWorkers=1', ...(only ? ['-t', only] : []), ...suites];
  const run = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: MUTANT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0' } });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { failed: [`(jest did not finish in ${MUTANT_TIMEOUT_MS / 60_000} min)`] };
  if (!fs.existsSync(out)) return { broken: `jest wrote no result (exit ${run.status}):\n${run.stderr.slice(-2000)}` };
  const result = JSON.parse(fs.readFileSync(out, 'utf8')) as JestResult;
  const failed: string[] = [];
  for (const file of result.testResults) {
    const suite = path.basename(file.name);
    const tests = file.assertionResults.filter((a) => a.status === 'failed');
    if (tests.length > 0) failed.push(...tests.map((a) => `${suite}: ${a.fullName}`));
    else if (file.message && file.assertionResults.length === 0) failed.push(`${suite}: (the file failed to run) ${file.message.split('\n').find((l) => l.trim()) ?? ''}`);
  }
  return { failed };
}

function main(): number {
  const args = process.argv.slice(2);
  const words = args.filter((a) => !a.startsWith('--'));
  const chosen = MUTANTS.filter((m) => words.length === 0 || words.some((w) => m.id.includes(w)));
  if (args.includes('--list')) {
    for (const m of chosen) process.stdout.write(`${m.id.padEnd(34)} ${m.tests.join(', ')}\n    ${m.find}\n  → ${m.replace}\n`);
    return 0;
  }
  if (chosen.length === 0) {
    process.stderr.write(`no mutant id contains ${words.join(' or ')}\n`);
    return 2;
  }
  const ids = new Set<string>();
  for (const m of MUTANTS) {
    if (ids.has(m.id)) throw new Error(`two mutants are called ${m.id}`);
    ids.add(m.id);
  }

  if (args.includes('--check')) {
    const files = ruleFiles(ROOT);
    const stale = chosen.map((m) => [m, locate(ROOT, files, m)] as const).filter(([, at]) => 'why' in at);
    for (const [m, at] of stale) process.stdout.write(`STALE    ${m.id}: ${(at as { why: string }).why}\n`);
    process.stdout.write(`${chosen.length - stale.length} of ${chosen.length} mutants find their line\n`);
    return stale.length === 0 ? 0 : 1;
  }

  const dir = sandbox();
  const files = ruleFiles(dir);
  process.stdout.write(`mutation run in ${dir}: ${chosen.length} of ${MUTANTS.length} mutants\n`);

  // Baseline: what fails before any change (a failure there is not a kill).
  const suites = [...new Set(chosen.flatMap((m) => suitePaths(dir, m)))].sort();
  const started = Date.now();
  const baseline = runJest(dir, suites, undefined);
  if ('broken' in baseline) {
    process.stderr.write(`the baseline run failed: ${baseline.broken}\n`);
    return 2;
  }
  const alreadyFailing = new Set(baseline.failed);
  process.stdout.write(`baseline: ${suites.length} suites in ${((Date.now() - started) / 1000).toFixed(0)} s${alreadyFailing.size ? `; failing without any change (not counted): ${[...alreadyFailing].join('; ')}` : ''}\n\n`);

  const outcomes: [Mutant, Outcome][] = [];
  for (const mutant of chosen) {
    const at = locate(dir, files, mutant);
    let outcome: Outcome;
    if ('why' in at) {
      outcome = { kind: 'stale', why: at.why };
    } else {
      const target = path.join(dir, at.file);
      const original = fs.readFileSync(target, 'utf8');
      fs.writeFileSync(target, original.replace(mutant.find, () => mutant.replace));
      const t0 = Date.now();
      try {
        const run = runJest(dir, suitePaths(dir, mutant), mutant.only);
        if ('broken' in run) outcome = { kind: 'broken', why: run.broken };
        else {
          const kills = run.failed.filter((f) => !alreadyFailing.has(f));
          outcome = kills.length > 0 ? { kind: 'killed', by: kills[0] + (kills.length > 1 ? ` (+${kills.length - 1} more)` : '') } : { kind: 'survived' };
        }
      } finally {
        fs.writeFileSync(target, original);
      }
      process.stdout.write(`${outcome.kind === 'killed' ? 'killed  ' : outcome.kind.toUpperCase().padEnd(8)} ${mutant.id} (${at.file}, ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
      if (outcome.kind === 'killed') process.stdout.write(`         by ${outcome.by}\n`);
      outcomes.push([mutant, outcome]);
      continue;
    }
    process.stdout.write(`STALE    ${mutant.id}: ${outcome.why}\n`);
    outcomes.push([mutant, outcome]);
  }

  const count = (kind: Outcome['kind']) => outcomes.filter(([, o]) => o.kind === kind).length;
  process.stdout.write(
    `\n${chosen.length} mutants: ${count('killed')} killed, ${count('survived')} survived, ${count('stale')} stale, ${count('broken')} broken (${((Date.now() - started) / 60_000).toFixed(1)} min)\n`,
  );
  for (const [m, o] of outcomes) {
    if (o.kind === 'survived') process.stdout.write(`  survivor: ${m.id} — ${m.rule}\n    ${m.find}  →  ${m.replace}\n`);
    if (o.kind === 'broken') process.stdout.write(`  broken: ${m.id}: ${o.why}\n`);
  }
  return count('killed') === chosen.length ? 0 : 1;
}

process.exitCode = main();
