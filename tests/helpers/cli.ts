// The one way tests run the minsheng CLI: in-process through main() as bin/minsheng.js does (runCli),
// or as a child process from the TypeScript sources (startCli), for what needs a process of its own:
// a kill, a second writer, a heap limit, another user.
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { ServeHooks } from '../../pipeline/cli/commands/serve';
import { main } from '../../pipeline/cli/main';
import { ROOT } from './paths';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `minsheng <args>` in-process and returns the exit code and what a user would see. */
export async function runCli(...args: string[]): Promise<CliResult> {
  return runCliWith({}, ...args);
}

/** runCli with hooks: `serve.until` decides when a `minsheng serve` stops (default: SIGINT or SIGTERM). */
export async function runCliWith(hooks: { serve?: ServeHooks }, ...args: string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ['node', 'minsheng', ...args],
    { out: (s) => out.push(s), err: (s) => err.push(s), setExitCode: () => undefined, isTTY: false },
    hooks,
  );
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** A child's stderr without the runtime's own notices ("(node:123) ExperimentalWarning: …"), which depend on the Node version. */
export function withoutRuntimeWarnings(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !/^\(node:\d+\) \w*Warning: /.test(line) && !/^\(Use `node --trace-/.test(line))
    .join('\n');
}

/** The CLI entry that runs from the sources. */
export const CLI_ENTRY = path.join(ROOT, 'scripts/cli.ts');

export interface ProcessOptions {
  /** Node options placed before the script (`--require hook.js`, `--max-old-space-size=256`). */
  node?: string[];
  /** Added to the test's own environment. */
  env?: NodeJS.ProcessEnv;
  /** A command the node process is started through (`setpriv …`). */
  via?: string[];
  /** Give the process a stdin the test writes to (child.stdin); otherwise it has none. */
  stdin?: boolean;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningProcess {
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves as soon as the stream shows `pattern` (rejects if the process ends first): a test waits for an event, never a sleep. */
  printed(stream: 'stdout' | 'stderr', pattern: RegExp | string): Promise<void>;
  finished: Promise<ProcessExit>;
}

/** Starts a TypeScript file in its own node process (through tsx), in the repository root. */
export function startTs(script: string, args: string[], options: ProcessOptions = {}): RunningProcess {
  const nodeArgs = [...(options.node ?? []), '--import', 'tsx', script, ...args];
  const [command, ...commandArgs] = [...(options.via ?? []), process.execPath, ...nodeArgs];
  const child = spawn(command, commandArgs, { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
  const text = { stdout: '', stderr: '' };
  const watchers: { stream: 'stdout' | 'stderr'; pattern: RegExp | string; resolve: () => void; reject: (e: Error) => void }[] = [];
  const seen = (stream: 'stdout' | 'stderr', pattern: RegExp | string) =>
    typeof pattern === 'string' ? text[stream].includes(pattern) : pattern.test(text[stream]);
  const check = () => {
    for (const w of [...watchers]) {
      if (!seen(w.stream, w.pattern)) continue;
      watchers.splice(watchers.indexOf(w), 1);
      w.resolve();
    }
  };
  for (const stream of ['stdout', 'stderr'] as const) {
    const readable = child[stream]!;
    readable.setEncoding('utf8');
    readable.on('data', (chunk: string) => {
      text[stream] += chunk;
      check();
    });
  }
  let closed = false;
  const finished = new Promise<ProcessExit>((resolve) =>
    child.on('close', (code, signal) => {
      closed = true;
      for (const w of watchers.splice(0)) w.reject(new Error(`the process ended without printing ${String(w.pattern)} on ${w.stream}:\n${text.stderr}`));
      resolve({ code, signal, ...text });
    }),
  );
  return {
    child,
    output: () => ({ ...text }),
    printed: (stream, pattern) =>
      seen(stream, pattern)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            if (closed) reject(new Error(`the process has ended without printing ${String(pattern)}`));
            else watchers.push({ stream, pattern, resolve, reject });
          }),
    finished,
  };
}

/** `minsheng <args>` in its own process. */
export function startCli(args: string[], options: ProcessOptions = {}): RunningProcess {
  return startTs(CLI_ENTRY, args, options);
}

/** `minsheng <args>` in its own process, to its end. */
export function cliProcess(args: string[], options: ProcessOptions = {}): Promise<ProcessExit> {
  return startCli(args, options).finished;
}
