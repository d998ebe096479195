// Stores one district's progress submission (進度報送表; docs/design.md, "The store") in one transaction. The
// same file again is a no-op; a later file for the same district and date supersedes the earlier (both
// kept).
import { canonicalDistrict } from '../../core/districtMatch';
import { appendRows, isoDay } from './appender';
import { inTransaction, queryObjects, type Store } from './store';

/**
 * What the DB needs of a Submission (core/submission.ts); any Submission is assignable to it.
 * `completed` is the cumulative amount in the metric's unit (rate metrics: the rate as a fraction).
 */
export interface SubmissionInput {
  district: string;
  asOf: string;
  rows: readonly { metricId: string; completed: number; note?: string; cell?: string }[];
}

export interface SubmissionFile {
  /** The file's name as the user gave it (no directory needed). */
  fileName: string;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
}

/**
 * loaded: stored, nothing it replaces; superseded-earlier: stored, and the earlier current file(s)
 * for the same district and date now point to it; duplicate: this file was already loaded for this
 * district and date, nothing changed (submissionId is the existing one).
 */
export type LoadStatus = 'loaded' | 'duplicate' | 'superseded-earlier';

export interface LoadResult {
  status: LoadStatus;
  submissionId: number;
  /** Ids of the submissions this one superseded (empty unless status is superseded-earlier). */
  supersededIds: number[];
}

export async function loadSubmission(
  store: Store,
  submission: SubmissionInput,
  file: SubmissionFile,
  loadedAt: Date = new Date(),
): Promise<LoadResult> {
  const district = canonicalDistrict(submission.district, 'label');
  const asOf = isoDay(submission.asOf);
  checkRows(submission.rows);
  const c = store.connection;
  return inTransaction(store, async () => {
    // The same file again for the same report; one file may hold one district's reports of several dates.
    const existing = await queryObjects(store, 'SELECT id FROM submissions WHERE sha256 = $1 AND district = $2 AND as_of = CAST($3 AS DATE)', [
      file.sha256,
      district,
      submission.asOf,
    ]);
    if (existing.length > 0) return { status: 'duplicate', submissionId: Number(existing[0].id), supersededIds: [] };

    const inserted = await queryObjects(
      store,
      `INSERT INTO submissions (district, as_of, file_name, sha256, loaded_at)
       VALUES ($1, CAST($2 AS DATE), $3, $4, CAST($5 AS TIMESTAMP)) RETURNING id`,
      [district, submission.asOf, file.fileName, file.sha256, loadedAt.toISOString().replace('T', ' ').replace('Z', '')],
    );
    const submissionId = Number(inserted[0].id);
    const superseded = await queryObjects(
      store,
      `UPDATE submissions SET superseded_by = $1
       WHERE district = $2 AND as_of = CAST($3 AS DATE) AND superseded_by IS NULL AND id <> $1
       RETURNING id`,
      [submissionId, district, submission.asOf],
    );
    await appendRows(
      c,
      'progress',
      submission.rows.map((r) => [submissionId, r.metricId, district, asOf, r.completed, r.note ?? null]),
    );
    const supersededIds = superseded.map((row) => Number(row.id)).sort((a, b) => a - b);
    return { status: supersededIds.length > 0 ? 'superseded-earlier' : 'loaded', submissionId, supersededIds };
  });
}

/** The database keeps what the readers validated; these checks only guard its integrity. */
function checkRows(rows: SubmissionInput['rows']): void {
  const seen = new Set<string>();
  for (const row of rows) {
    const where = row.cell ? `（${row.cell}）` : '';
    if (!/^\d+-\d+$/.test(row.metricId)) throw new Error(`指標編號格式不對：「${row.metricId}」${where}`);
    if (seen.has(row.metricId)) throw new Error(`指標 ${row.metricId} 在同一份報送表中出現兩次${where}`);
    seen.add(row.metricId);
    if (typeof row.completed !== 'number' || !Number.isFinite(row.completed)) {
      throw new Error(`指標 ${row.metricId} 的累計完成不是數字${where}`);
    }
    if (row.completed < 0) throw new Error(`指標 ${row.metricId} 的累計完成為負數：${row.completed}${where}`);
  }
}
