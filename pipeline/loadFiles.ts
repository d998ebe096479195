// Loading progress submissions (進度報送表) into the store: each file is read, validated against the
// loaded plan, and stored whole or rejected whole; the other files go on.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hasErrors, type Issue } from '../core/issues';
import type { Plan } from '../core/model';
import { detectSubmission, readSubmissions, type Submission } from '../core/submission';
import { loadSubmission, type LoadStatus } from './db/submissions';
import type { Store } from './db/store';
import { readWorkbook, UnreadableWorkbookError } from './xlsx/readWorkbook';

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
  const base: FileLoad = { file, verdict: 'rejected', submissions: [], issues: [] };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return { ...base, verdict: 'unreadable', reason: `找不到或無法打開文件「${file}」` };
  }
  let sheets;
  try {
    sheets = (await readWorkbook(file)).sheets;
  } catch (err) {
    if (err instanceof UnreadableWorkbookError) return { ...base, verdict: 'unreadable', reason: err.reason };
    throw err;
  }
  const submissions: Submission[] = [];
  const issues: Issue[] = [];
  for (const grid of sheets.filter(detectSubmission)) {
    const read = readSubmissions(grid, plan);
    submissions.push(...read.submissions);
    issues.push(...read.issues.map((i) => ({ ...i, file })));
  }
  if (submissions.length === 0 && !hasErrors(issues)) {
    return { ...base, verdict: 'unreadable', reason: `「${file}」中沒有進度報送表：找不到「填報單位」「截至日期」和「累計完成」表頭。`, issues };
  }
  const summary = submissions.map((s) => ({ district: s.district, asOf: s.asOf, rows: s.rows.length }));
  if (hasErrors(issues)) {
    const errors = issues.filter((i) => i.severity === 'error').length;
    return { ...base, verdict: 'rejected', reason: `有 ${errors} 個錯誤，整份文件未載入`, submissions: summary, issues };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const stored: FileLoad['submissions'] = [];
  for (const s of submissions) {
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
