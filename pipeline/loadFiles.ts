// Loading progress submissions (進度報送表) into the store: each file is read, validated against the
// loaded plan, and stored whole or rejected whole; the other files go on. Many files are read on every
// core and stored many to a transaction, each file still whole (docs/design.md, "Loading many files").
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Plan } from '../core/model';
import type { Issue } from '../core/issues';
import { StoredReports } from './db/reportedBefore';
import { storeFiles, type LoadResult, type ReportCheck } from './db/submissions';
import type { Store } from './db/store';
import { phase, phaseSync } from './phaseTimes';
import { readerFor, type SubmissionReader } from './readerPool';
import { readSubmissionBytes, readSubmissionFile, type FileLoad, type FileVerdict, type SubmissionFileReading } from './submissionReading';

export { readSubmissionBytes, type FileLoad, type FileVerdict, type SubmissionFileReading } from './submissionReading';

/** Files named, and the .xlsx files in folders named (recursively), in name order, so a 「（更正）」 file follows its original. */
export function expandInputs(inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    const stat = fs.statSync(input, { throwIfNoEntry: false });
    if (stat?.isDirectory()) {
      const found = fs
        .readdirSync(input, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile() && /\.xlsx$/i.test(e.name) && !e.name.startsWith('~$'))
        .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
      files.push(...found.sort(byCodePoint));
    } else files.push(input);
  }
  return files;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export async function loadFile(store: Store, plan: Plan, file: string): Promise<FileLoad> {
  return storeSubmissionFile(store, await readSubmissionFile(plan, file));
}

/** loadFile for bytes already in memory (an upload): `file` names them in messages and in the store. */
export async function loadBytes(store: Store, plan: Plan, bytes: Buffer, file: string): Promise<FileLoad> {
  return storeSubmissionFile(store, await readSubmissionBytes(plan, bytes, file));
}

/**
 * Stores what readSubmissionBytes read (nothing when it was refused), the whole file in one transaction;
 * `loadedAt` is when it is said to be loaded (now, or the original time when a rebuild stores it again).
 */
export async function storeSubmissionFile(store: Store, reading: SubmissionFileReading, reported = new StoredReports(), loadedAt?: Date): Promise<FileLoad> {
  if (reading.refused) return reading.refused;
  const [stored] = await storeReadings(store, [reading], reported, loadedAt);
  return stored;
}

/**
 * Stores the readings (none refused) in one transaction and says what became of each; each report is
 * checked against what is stored before it (a cumulative figure below an earlier report's or above a
 * later one's is a warning naming both). `reported` is kept current, or forgotten when nothing was stored.
 */
async function storeReadings(store: Store, readings: readonly SubmissionFileReading[], reported: StoredReports, loadedAt?: Date): Promise<FileLoad[]> {
  const found: Issue[][] = readings.map(() => []);
  const check: ReportCheck = async (reports, superseded) => {
    const issues = await reported.check(
      store,
      reports.map(({ fileIndex, submissionIndex, stored }) => {
        const reading = readings[fileIndex];
        return { submission: reading.submissions[submissionIndex], sheet: reading.sheets[submissionIndex], file: reading.file, stored };
      }),
      superseded,
    );
    reports.forEach((r, i) => found[r.fileIndex].push(...issues[i]));
  };
  let results: LoadResult[][];
  try {
    results = await storeFiles(store, readings.map(fileToStore), loadedAt, check);
  } catch (error) {
    reported.forget();
    throw error;
  }
  return readings.map((reading, i) => fileLoad(reading, results[i], found[i]));
}

function fileToStore(reading: SubmissionFileReading) {
  return { file: { fileName: path.basename(reading.file), sha256: reading.sha256 }, submissions: reading.submissions };
}

function fileLoad(reading: SubmissionFileReading, results: LoadResult[], found: Issue[]): FileLoad {
  const stored: FileLoad['submissions'] = reading.submissions.map((s, i) => ({
    district: s.district,
    asOf: s.asOf,
    rows: s.rows.length,
    status: results[i].status,
    submissionId: results[i].submissionId,
  }));
  const verdict: FileVerdict = stored.every((s) => s.status === 'duplicate')
    ? 'duplicate'
    : stored.some((s) => s.status === 'superseded-earlier')
      ? 'superseded-earlier'
      : 'loaded';
  return { file: reading.file, verdict, submissions: stored, issues: [...reading.issues, ...found] };
}

/**
 * Files per transaction for a load of `fileCount` files: a sixteenth of them, at most 256. A commit
 * waits for the disk (tens of milliseconds here), so a large load commits a few dozen times rather than
 * once per file; an interrupted one loses at most the files of its last transaction, each whole, and a
 * load of a few dozen files still commits every file as it goes.
 */
export function filesPerTransaction(fileCount: number): number {
  return Math.max(1, Math.min(256, Math.floor(fileCount / 16)));
}

export interface LoadFilesOptions {
  /** Told about each file once its fate is final (stored and committed, or refused), in file order. */
  onFile?: (result: FileLoad) => void;
  /** Files per transaction (default filesPerTransaction). */
  batch?: number;
  /** The reader to use (default: worker threads for many files, the main thread for a few). */
  reader?: SubmissionReader;
}

/**
 * Loads the files in order: read ahead on every core, stored `batch` files to a transaction. A file
 * with errors is refused alone. When a transaction fails, its files are stored again one by one, so
 * every file before the one that fails is in and the error is thrown at that file (a full disk stops
 * the load there; onFile has been told about every file before it).
 */
export async function loadFiles(store: Store, plan: Plan, files: readonly string[], options: LoadFilesOptions = {}): Promise<FileLoad[]> {
  const batch = options.batch ?? filesPerTransaction(files.length);
  const reader = options.reader ?? phaseSync('pool.start', () => readerFor(plan, files.length));
  const results: FileLoad[] = [];
  const reported = new StoredReports();
  const emit = (result: FileLoad) => {
    results.push(result);
    options.onFile?.(result);
  };
  // Reading runs ahead of storing by a bounded number of files, so memory stays flat on any load.
  const ahead = Math.max(2 * batch, 8 * reader.threads);
  const reads: Promise<SubmissionFileReading>[] = [];
  const readUpTo = (n: number) => {
    while (reads.length < Math.min(n, files.length)) {
      const read = reader.read(files[reads.length]);
      read.catch(() => undefined); // awaited in order below; not an unhandled rejection meanwhile
      reads.push(read);
    }
  };
  // Files read and not yet told about, in order; `storable` of them are waiting for a transaction.
  let queue: SubmissionFileReading[] = [];
  let storable = 0;
  const flush = async () => {
    const group = queue;
    queue = [];
    storable = 0;
    const toStore = group.filter((r) => !r.refused);
    let stored: FileLoad[];
    try {
      stored = toStore.length > 0 ? await phase('store', () => storeReadings(store, toStore, reported)) : [];
    } catch {
      // One by one: what can be stored is, and the error falls on its own file.
      for (const reading of group) emit(await storeSubmissionFile(store, reading, reported));
      return;
    }
    let next = 0;
    for (const reading of group) emit(reading.refused ?? stored[next++]);
  };
  try {
    for (let i = 0; i < files.length; i++) {
      // Asked for in runs (the pool sends files out several to a task), topped up at half way.
      if (reads.length - i <= ahead / 2) readUpTo(i + ahead);
      let reading: SubmissionFileReading;
      try {
        reading = await phase('read.wait', () => reads[i]);
      } catch (error) {
        await flush();
        throw error;
      }
      queue.push(reading);
      if (!reading.refused && ++storable >= batch) await flush();
    }
    await flush();
  } finally {
    if (!options.reader) await phase('pool.close', () => reader.close());
  }
  return results;
}
