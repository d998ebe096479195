// `minsheng rebuild`: a new database from the plan workbooks and the folder(s) of received files
// (docs/design.md, "The folder of received files"). Everything kept is stored again in the order it
// was first stored, with its original name and load time, so supersession, history, ranking and lag
// come out as they were. What lives only in the database (supervision, bulletins, sites, assessment
// inputs) is not in the folder and is said to be lost (rebuild.lost).
import { messageWithDistrictShown } from '../../core/districtNames';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { msg, type Message } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';
import type { Plan } from '../../core/model';
import { StoredReports } from '../db/reportedBefore';
import { openStore, type Store } from '../db/store';
import { readSubmissionBytes, storeSubmissionFile, type FileLoad } from '../loadFiles';
import { checkOutputFile } from '../output/outputGuard';
import { storePlanAndKeep } from './keepStored';
import { byStoredOrder, defaultReceivedDir, readReceived, ReceivedFiles, sha256Of, type ReceivedEntry } from './receivedFiles';

export interface RebuildOptions {
  /** The new database (resolved path). */
  db: string;
  /** Plan workbooks to use instead of the plans kept in the folders. */
  plans?: readonly string[];
  /** Folders of received files (or a clerk's folders of reports), replayed in the order given. */
  from: readonly string[];
  /** Replace an existing file at `db`. */
  force?: boolean;
  /** Told after each file, for a progress line. */
  onFile?: (done: number, total: number, fileName: string) => void;
}

export interface RebuildSummary {
  db: string;
  /** Where the replayed files are now kept (the new database's folder of received files). */
  archive: string;
  plans: number;
  files: number;
  loaded: number;
  superseded: number;
  duplicate: number;
  refused: number;
  changed: number;
  rows: number;
  /** One message per file that did not go in again (refused, or changed since it was kept). */
  notes: Message[];
}

/** A plan from its workbooks, or a refusal naming them when they have errors or lack an attachment. */
async function planOf(files: readonly string[], names: readonly string[]): Promise<Plan> {
  const { readPlanFiles, combinedPlan } = await import('../planFiles');
  const read = await readPlanFiles([...files]);
  const broken = read.some((f) => f.report.unreadable || f.report.issues.some((i) => i.severity === 'error'));
  if (broken || !read.some((f) => f.analysis?.breakdown) || !read.some((f) => f.analysis?.responsibility)) {
    throw new MessageError(msg('rebuild.plan-refused', { files: names.join('、') }));
  }
  return combinedPlan(read).plan;
}

function replayOrder(from: readonly string[]): ReceivedEntry[] {
  for (const dir of from) if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new MessageError(msg('rebuild.from-missing', { dir }));
  const entries = from.flatMap((dir) => readReceived(dir));
  // Kept files of several folders interleave by the time they were stored; plain files follow, folder by folder.
  const kept = entries.filter((e) => e.kind !== 'plain').sort(byStoredOrder);
  return [...kept, ...entries.filter((e) => e.kind === 'plain')];
}

export async function rebuildDatabase(options: RebuildOptions): Promise<RebuildSummary> {
  const from = options.from.map((d) => path.resolve(d));
  const entries = replayOrder(from);
  const inputs = [...(options.plans ?? []), ...entries.flatMap((e) => (e.kind === 'plan' ? e.files.map((f) => f.path) : [e.path]))];
  checkOutputFile(options.db, { inputs, force: options.force });
  const archiveDir = defaultReceivedDir(options.db);
  // The replayed files are kept beside the new database, unless that is the folder they come from.
  const received = from.includes(path.resolve(archiveDir)) ? undefined : new ReceivedFiles(archiveDir);
  for (const file of [options.db, `${options.db}.wal`]) fs.rmSync(file, { force: true });

  const summary: RebuildSummary = {
    db: options.db,
    archive: archiveDir,
    plans: 0,
    files: 0,
    loaded: 0,
    superseded: 0,
    duplicate: 0,
    refused: 0,
    changed: 0,
    rows: 0,
    notes: [],
  };
  const store = await openStore(options.db);
  try {
    let plan: Plan | undefined;
    // What is stored, kept between files as `load` keeps it; forgotten with each plan (it knows the metrics' kinds).
    const reported = new StoredReports();
    const loadPlan = async (files: { path: string; fileName: string }[], loadedAt?: Date) => {
      plan = await planOf(
        files.map((f) => f.path),
        files.map((f) => f.fileName),
      );
      const kept = files.map((f) => ({
        fileName: f.fileName,
        bytes: fs.readFileSync(f.path),
      }));
      await storePlanAndKeep(store, plan, kept, loadedAt ?? new Date(), received);
      reported.forget();
      summary.plans++;
    };
    if (options.plans?.length) await loadPlan(options.plans.map((p) => ({ path: p, fileName: path.basename(p) })));
    const submissions = entries.filter((e) => e.kind !== 'plan').length;
    for (const entry of entries) {
      if (entry.kind === 'plan') {
        if (!options.plans?.length) await loadPlan(entry.files, entry.loadedAt);
        continue;
      }
      if (!plan) throw new MessageError(msg('rebuild.no-plan'));
      summary.files++;
      await replaySubmission(store, plan, entry, received, reported, summary);
      options.onFile?.(summary.files, submissions, entry.fileName);
    }
  } finally {
    store.close();
  }
  return summary;
}

async function replaySubmission(
  store: Store,
  plan: Plan,
  entry: Extract<ReceivedEntry, { kind: 'submission' | 'plain' }>,
  received: ReceivedFiles | undefined,
  reported: StoredReports,
  summary: RebuildSummary,
): Promise<void> {
  const bytes = fs.readFileSync(entry.path);
  const sha256 = sha256Of(bytes);
  if (entry.kind === 'submission' && sha256 !== entry.sha256) {
    summary.changed++;
    summary.notes.push(msg('rebuild.file-changed', { file: entry.path }));
    return;
  }
  const loadedAt = entry.kind === 'submission' ? entry.loadedAt : new Date();
  const reading = await readSubmissionBytes(plan, bytes, entry.fileName);
  const load: FileLoad = await storeSubmissionFile(store, reading, reported, loadedAt);
  if (load.verdict === 'rejected' || load.verdict === 'unreadable') {
    summary.refused++;
    // The reason names districts as the plan writes them (core/districtNames.ts).
    summary.notes.push(
      messageWithDistrictShown(
        msg('rebuild.file-refused', {
          file: entry.fileName,
          receivedAt: loadedAt.toISOString(),
          reason: load.reason ?? load.verdict,
        }),
        plan.districtNames,
      ),
    );
    return;
  }
  if (load.verdict === 'duplicate') summary.duplicate++;
  else {
    summary.loaded++;
    if (load.verdict === 'superseded-earlier') summary.superseded++;
    summary.rows += load.submissions.reduce((n, s) => n + (s.status === 'duplicate' ? 0 : s.rows), 0);
  }
  if (received && !received.has(sha256))
    received.keepSubmission(bytes, {
      fileName: entry.fileName,
      sha256,
      loadedAt,
      reports: load.submissions,
    });
}
