// `minsheng assess load`: each file is read, told apart (a rules workbook, or a 滿意度測評, 第三方評價 or
// 參與監督 file), validated against the loaded plan with located issues, and stored whole in one
// transaction — or refused whole, changing nothing; the other files go on.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readInputWorkbook } from '../../core/assessment/inputs';
import { isRulesWorkbook, readRulesWorkbook, type RulesContext } from '../../core/assessment/rulesWorkbook';
import { hasErrors, type Issue } from '../../core/issues';
import { msg, type MessageRef } from '../../core/messages';
import type { Store } from '../db/store';
import { readWorkbookBytes, UnreadableWorkbookError } from '../xlsx/readWorkbook';
import { storeAssessmentFile, type AssessmentContent, type StoredAssessmentFile } from './store';

export type AssessmentVerdict = 'loaded' | 'duplicate' | 'rejected' | 'unreadable';

export interface AssessmentFileLoad {
  file: string;
  verdict: AssessmentVerdict;
  /** rules, satisfaction, third_party, participation (when it could tell). */
  kind?: string;
  year?: number;
  /** Why it was not read or not stored. */
  reason?: MessageRef | string;
  issues: Issue[];
  stored?: StoredAssessmentFile;
}

/** What a file holds, read and validated, not yet stored. */
export interface AssessmentReading {
  file: string;
  sha256: string;
  content?: AssessmentContent;
  issues: Issue[];
  refused?: AssessmentFileLoad;
}

export async function readAssessmentBytes(bytes: Buffer, file: string, ctx: RulesContext): Promise<AssessmentReading> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let grids;
  try {
    grids = (await readWorkbookBytes(bytes, file)).sheets;
  } catch (err) {
    if (err instanceof UnreadableWorkbookError) return { file, sha256, issues: [], refused: { file, verdict: 'unreadable', reason: err.reasonMessage, issues: [] } };
    throw err;
  }
  const located = (issues: Issue[]) => issues.map((i) => ({ ...i, file }));
  if (isRulesWorkbook(grids)) {
    const read = readRulesWorkbook(grids, ctx);
    const issues = located(read.issues);
    const reading = { file, sha256, issues, content: { kind: 'rules' as const, rules: read.rules } };
    return hasErrors(issues) ? { ...reading, refused: refusal(file, 'rules', read.rules.year, issues) } : reading;
  }
  const read = readInputWorkbook(grids, ctx);
  const issues = located(read.issues);
  if (!read.sheet) return { file, sha256, issues, refused: { file, verdict: 'unreadable', reason: msg('assess.load.not-assessment', { file: path.basename(file) }), issues } };
  if (!read.input || hasErrors(issues)) return { file, sha256, issues, refused: refusal(file, read.input?.kind, read.input?.year, issues) };
  return { file, sha256, issues, content: read.input };
}

function refusal(file: string, kind: string | undefined, year: number | undefined, issues: Issue[]): AssessmentFileLoad {
  const errors = issues.filter((i) => i.severity === 'error').length;
  return { file, verdict: 'rejected', ...(kind ? { kind } : {}), ...(year !== undefined ? { year } : {}), reason: msg('assess.load.rejected', { errors }), issues };
}

export async function loadAssessmentFile(store: Store, file: string, ctx: RulesContext): Promise<AssessmentFileLoad> {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return { file, verdict: 'unreadable', reason: msg('assess.load.no-file', { file }), issues: [] };
  }
  const reading = await readAssessmentBytes(bytes, file, ctx);
  if (reading.refused) return reading.refused;
  const content = reading.content!;
  const stored = await storeAssessmentFile(store, content, { fileName: path.basename(file), sha256: reading.sha256 });
  return { file, verdict: stored.status, kind: content.kind, year: stored.year, issues: reading.issues, stored };
}
