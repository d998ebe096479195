// Reading many submission files on every core (docs/design.md, "Loading many files"): a pool of worker
// threads (piscina), each reading and checking files against the plan while the main thread stores
// what was read. A few files are read in the main thread: starting the workers would cost more.
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { Plan } from '../core/model';
import { readSubmissionFile, type SubmissionFileReading } from './submissionReading';

export interface SubmissionReader {
  read(file: string): Promise<SubmissionFileReading>;
  /** Threads reading (1: the main thread). */
  readonly threads: number;
  close(): Promise<void>;
}

/**
 * Below this many files the main thread reads them itself: each worker spends over a second of CPU
 * loading the readers' modules before it reads a file, as much as reading a few hundred files costs
 * the main thread, whose modules are loaded already (README "Performance" has the profile).
 */
export const POOL_MIN_FILES = 400;

export function readerFor(plan: Plan, fileCount: number, threads = os.availableParallelism()): SubmissionReader {
  return fileCount >= POOL_MIN_FILES && threads > 1 ? poolReader(plan, threads) : mainThreadReader(plan);
}

export function mainThreadReader(plan: Plan): SubmissionReader {
  return { threads: 1, read: (file) => readSubmissionFile(plan, file), close: async () => undefined };
}

/** Files per task: a task's round trip between threads costs about as much as reading a small file. */
const FILES_PER_TASK = 8;

export function poolReader(plan: Plan, threads: number): SubmissionReader {
  const ext = path.extname(__filename);
  const pool = new Piscina({
    filename: path.join(__dirname, `readWorker${ext}`),
    workerData: { plan },
    minThreads: threads,
    maxThreads: threads,
    // Workers inherit the process's own flags; from the TypeScript sources outside tsx (jest) they need tsx's loader.
    ...(ext === '.ts' && !process.execArgv.some((a) => a.includes('tsx')) ? { execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href] } : {}),
  });
  // Files asked for in one turn of the event loop go out together, FILES_PER_TASK to a task.
  let asked: { file: string; resolve: (r: SubmissionFileReading) => void; reject: (e: unknown) => void }[] = [];
  const send = () => {
    const batch = asked;
    asked = [];
    for (let i = 0; i < batch.length; i += FILES_PER_TASK) {
      const group = batch.slice(i, i + FILES_PER_TASK);
      (pool.run(group.map((g) => g.file)) as Promise<SubmissionFileReading[]>).then(
        (readings) => group.forEach((g, j) => g.resolve(readings[j])),
        (error: unknown) => group.forEach((g) => g.reject(error)),
      );
    }
  };
  return {
    threads,
    read: (file) =>
      new Promise<SubmissionFileReading>((resolve, reject) => {
        if (asked.length === 0) queueMicrotask(send);
        asked.push({ file, resolve, reject });
      }),
    close: () => pool.destroy(),
  };
}
