// Keeping what the store accepted in the folder of received files (receivedFiles.ts): only a file the
// store holds is kept, with the name and time the store gave it, so a rebuild stores it again as it was.
// A refused file is never kept.
import * as fs from 'node:fs';
import { msg, type Message } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';
import type { Plan } from '../../core/model';
import { replacePlan, type PlanLoadCounts } from '../db/plan';
import { queryObjects, type Store } from '../db/store';
import { storeSubmissionFile, type FileLoad, type SubmissionFileReading } from '../loadFiles';
import { sha256Of, type PendingFile, type ReceivedFiles } from './receivedFiles';

/**
 * Replaces the plan with the one read from `files` and keeps those workbooks (plan load, rebuild):
 * the store records each file's name and SHA-256, the folder the same bytes.
 */
export async function storePlanAndKeep(
  store: Store,
  plan: Plan,
  files: readonly { fileName: string; bytes: Buffer }[],
  loadedAt: Date,
  received: ReceivedFiles | undefined,
): Promise<PlanLoadCounts> {
  const counts = await replacePlan(
    store,
    plan,
    files.map((f) => ({ fileName: f.fileName, sha256: sha256Of(f.bytes) })),
    loadedAt,
  );
  received?.keepPlan(files, loadedAt);
  return counts;
}

const STORED: readonly FileLoad['verdict'][] = ['loaded', 'superseded-earlier', 'duplicate'];

/** The stored file behind a load (by one of its submissions): its name, bytes' SHA-256 and load time. */
async function storedFile(store: Store, load: FileLoad): Promise<{ fileName: string; sha256: string; loadedAt: Date } | undefined> {
  const id = load.submissions.find((s) => s.submissionId !== undefined)?.submissionId;
  if (!STORED.includes(load.verdict) || id === undefined) return undefined;
  const [row] = await queryObjects(store, 'SELECT file_name, sha256, epoch_ms(loaded_at) AS ms FROM submissions WHERE id = $1', [id]);
  return row
    ? {
        fileName: String(row.file_name),
        sha256: String(row.sha256),
        loadedAt: new Date(Number(row.ms)),
      }
    : undefined;
}

function keptFailed(received: ReceivedFiles, error: unknown): MessageError {
  return new MessageError(
    msg('received.failed', {
      dir: received.dir,
      reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message,
    }),
  );
}

/**
 * Stores a file read from an upload and keeps its bytes: they are on disk before the store changes (a
 * full disk refuses the upload with nothing stored) and appear in the folder once the store has
 * committed. Bytes the folder holds already are not kept twice.
 */
export async function storeAndKeep(store: Store, reading: SubmissionFileReading, bytes: Buffer, received: ReceivedFiles | undefined): Promise<FileLoad> {
  if (!received || reading.refused || received.has(reading.sha256)) return storeSubmissionFile(store, reading);
  let pending: PendingFile;
  try {
    pending = received.prepare(bytes);
  } catch (error) {
    throw keptFailed(received, error);
  }
  let load: FileLoad;
  try {
    load = await storeSubmissionFile(store, reading);
  } catch (error) {
    pending.discard();
    throw error;
  }
  const stored = await storedFile(store, load);
  if (stored && stored.sha256 === reading.sha256) pending.keep({ ...stored, reports: load.submissions });
  else pending.discard();
  return load;
}

/**
 * Keeps the files `minsheng load` stored, in the order they were stored (loads: loadFiles' results).
 * Each file is read again and kept only when its bytes are still the ones stored; returns a message for
 * each file that changed since.
 */
export async function keepLoadedFiles(store: Store, received: ReceivedFiles, loads: readonly FileLoad[]): Promise<Message[]> {
  const notes: Message[] = [];
  for (const load of loads) {
    const stored = await storedFile(store, load);
    if (!stored || received.has(stored.sha256)) continue;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(load.file);
    } catch {
      notes.push(msg('received.unverified', { file: load.file }));
      continue;
    }
    if (sha256Of(bytes) !== stored.sha256) {
      notes.push(msg('received.unverified', { file: load.file }));
      continue;
    }
    try {
      received.keepSubmission(bytes, { ...stored, reports: load.submissions });
    } catch (error) {
      throw keptFailed(received, error);
    }
  }
  return notes;
}
