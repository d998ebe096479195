// Loading progress submissions (進度報送表) into the store: each file is read, validated against the
// loaded plan, and stored whole or rejected whole; the other files go on.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasErrors, type Issue } from '../core/issues';
import type { Plan } from '../core/model';
import { detectSubmission, oneReportPerDistrictAndDate, readSubmissions, type SheetSubmission, type Submission } from '../core/submission';
import { contradictsStoredReports } from './db/reportedBefore';
import { loadSubmission, type LoadStatus } from './db/submissions';
import type { Store } from './db/store';
import { readWorkbookBytes, UnreadableWorkbookError } from './xlsx/readWorkbook';

export type FileVerdict = 'loaded' | 'duplicate' | 'superseded-earlier' | 'rejected' | 'unreadable';

export interface FileLoad {
  file: string;
  verdict: FileVerdict;
  /** One line, Chinese: why the file was not read or not stored. */
  reason?: string;
  submissions: { district: string; asOf: string; rows: number; status?: LoadStatus; submissionId?: number }[];
  issues: Issue[];
}

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
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return { file, verdict: 'unreadable', reason: `找不到或無法打開文件「${file}」`, submissions: [], issues: [] };
  }
  return loadBytes(store, plan, bytes, file);
}

/** loadFile for bytes already in memory (an upload): `file` names them in messages and in the store. */
export async function loadBytes(store: Store, plan: Plan, bytes: Buffer, file: string): Promise<FileLoad> {
  return storeSubmissionFile(store, await readSubmissionBytes(plan, bytes, file));
}

/** A submission file read and checked against the plan, not yet stored (the service checks who may submit it in between). */
export interface SubmissionFileReading {
  file: string;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
  submissions: Submission[];
  /** The sheet each submission was read from, in the same order. */
  sheets: string[];
  issues: Issue[];
  /** Set when the file must not be stored: verdict 'unreadable' or 'rejected', with the reason. */
  refused?: FileLoad;
}

export async function readSubmissionBytes(plan: Plan, bytes: Buffer, file: string): Promise<SubmissionFileReading> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const base: FileLoad = { file, verdict: 'rejected', submissions: [], issues: [] };
  let sheets;
  try {
    sheets = (await readWorkbookBytes(bytes, file)).sheets;
  } catch (err) {
    if (err instanceof UnreadableWorkbookError) {
      return { file, sha256, submissions: [], sheets: [], issues: [], refused: { ...base, verdict: 'unreadable', reason: err.reason } };
    }
    throw err;
  }
  const read: SheetSubmission[] = [];
  const issues: Issue[] = [];
  for (const grid of sheets.filter(detectSubmission)) {
    const reading = readSubmissions(grid, plan);
    read.push(...reading.submissions.map((submission) => ({ sheet: grid.sheet, submission })));
    issues.push(...reading.issues.map((i) => ({ ...i, file })));
  }
  const once = oneReportPerDistrictAndDate(read);
  const submissions: Submission[] = once.submissions;
  issues.push(...once.issues.map((i) => ({ ...i, file })));
  const sheetNames = submissions.map((s) => read.find((r) => r.submission === s)!.sheet);
  const reading = { file, sha256, submissions, sheets: sheetNames, issues };
  if (submissions.length === 0 && !hasErrors(issues)) {
    return { ...reading, refused: { ...base, verdict: 'unreadable', reason: `「${file}」中沒有進度報送表：找不到「填報單位」「截至日期」和「累計完成」表頭。`, issues } };
  }
  const summary = submissions.map((s) => ({ district: s.district, asOf: s.asOf, rows: s.rows.length }));
  if (hasErrors(issues)) {
    const errors = issues.filter((i) => i.severity === 'error').length;
    return { ...reading, refused: { ...base, verdict: 'rejected', reason: `有 ${errors} 個錯誤，整份文件未載入`, submissions: summary, issues } };
  }
  return reading;
}

/** Stores what readSubmissionBytes read (nothing when it was refused); each submission in its own transaction. */
export async function storeSubmissionFile(store: Store, reading: SubmissionFileReading): Promise<FileLoad> {
  if (reading.refused) return reading.refused;
  const { file, sha256, submissions, sheets } = reading;
  const issues = [...reading.issues];
  const stored: FileLoad['submissions'] = [];
  for (const [i, s] of submissions.entries()) {
    // Against what is stored, each report after the ones before it in this file.
    issues.push(...(await contradictsStoredReports(store, s, sheets[i], file)));
    const result = await loadSubmission(store, s, { fileName: path.basename(file), sha256 });
    stored.push({ district: s.district, asOf: s.asOf, rows: s.rows.length, status: result.status, submissionId: result.submissionId });
  }
  const verdict: FileVerdict = stored.every((s) => s.status === 'duplicate')
    ? 'duplicate'
    : stored.some((s) => s.status === 'superseded-earlier')
      ? 'superseded-earlier'
      : 'loaded';
  return { file, verdict, submissions: stored, issues };
}
