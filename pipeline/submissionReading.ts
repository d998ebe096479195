// Reading one progress file (進度報送表) and checking it against the plan, without storing anything: the
// half of loading that can run anywhere (in the CLI's worker threads, in the service before it knows
// whether the caller may submit the file). Grids come straight from the sheet XML (xlsx/xmlWorkbook.ts);
// a workbook that reader leaves to ExcelJS is read with ExcelJS after the same guards.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { Grid } from '../core/grid';
import { hasErrors, type Issue } from '../core/issues';
import { msg, type MessageRef } from '../core/messages';
import type { Plan } from '../core/model';
import { detectSubmission, oneReportPerDistrictAndDate, readSubmissions, type SheetSubmission, type Submission } from '../core/submission';
import type { LoadStatus } from './db/submissions';
import { readGridsFromXml } from './xlsx/xmlWorkbook';
import { UnreadableWorkbookError } from './xlsx/zipGuard';

export type FileVerdict = 'loaded' | 'duplicate' | 'superseded-earlier' | 'rejected' | 'unreadable';

export interface FileLoad {
  file: string;
  verdict: FileVerdict;
  /** One line: why the file was not read or not stored, rendered by whoever shows it. */
  reason?: MessageRef;
  submissions: { district: string; asOf: string; rows: number; status?: LoadStatus; submissionId?: number }[];
  issues: Issue[];
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

/** A workbook's grids: from its XML, or with ExcelJS (loaded only then) for what that reader leaves to it. */
export async function readGrids(bytes: Buffer, file: string): Promise<Grid[]> {
  const fast = readGridsFromXml(bytes, file);
  if (!('fallback' in fast)) return fast.sheets;
  const { readWorkbookBytes } = await import('./xlsx/readWorkbook');
  return (await readWorkbookBytes(bytes, file)).sheets;
}

export async function readSubmissionBytes(plan: Plan, bytes: Buffer, file: string): Promise<SubmissionFileReading> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const base: FileLoad = { file, verdict: 'rejected', submissions: [], issues: [] };
  let sheets: Grid[];
  try {
    sheets = await readGrids(bytes, file);
  } catch (err) {
    if (err instanceof UnreadableWorkbookError) {
      return { file, sha256, submissions: [], sheets: [], issues: [], refused: { ...base, verdict: 'unreadable', reason: err.reasonMessage } };
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
  // Two sheets reporting one district and date: the same numbers count once, different ones refuse the file.
  const once = oneReportPerDistrictAndDate(read);
  const submissions: Submission[] = once.submissions;
  issues.push(...once.issues.map((i) => ({ ...i, file })));
  const sheetNames = submissions.map((s) => read.find((r) => r.submission === s)!.sheet);
  const reading = { file, sha256, submissions, sheets: sheetNames, issues };
  if (submissions.length === 0 && !hasErrors(issues)) {
    return { ...reading, refused: { ...base, verdict: 'unreadable', reason: msg('submission-file.no-sheet', { file }), issues } };
  }
  const summary = submissions.map((s) => ({ district: s.district, asOf: s.asOf, rows: s.rows.length }));
  if (hasErrors(issues)) {
    const errors = issues.filter((i) => i.severity === 'error').length;
    return { ...reading, refused: { ...base, verdict: 'rejected', reason: msg('submission-file.rejected', { errors }), submissions: summary, issues } };
  }
  return reading;
}

/** readSubmissionBytes of a file on disk; a file that cannot be opened is unreadable, with the reason. */
export async function readSubmissionFile(plan: Plan, file: string): Promise<SubmissionFileReading> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    const refused: FileLoad = { file, verdict: 'unreadable', reason: msg('submission-file.unopenable', { file }), submissions: [], issues: [] };
    return { file, sha256: '', submissions: [], sheets: [], issues: [], refused };
  }
  return readSubmissionBytes(plan, bytes, file);
}
