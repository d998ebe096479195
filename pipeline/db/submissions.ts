// Stores progress submissions (進度報送表; docs/design.md, "The store"): any number of files in one transaction, each file
// whole (a department's all-districts file is one transaction, not one per district). The same file
// again is a no-op; a later file for the same district and date supersedes the earlier (both kept);
// the report columns of judged_pairs (schema.sql) are brought up to date in the same transaction
// (docs/design.md, "Loading many files").
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { resolveDistrict } from '../../core/districts';
import { appendRows, isoDay, type AppendValue } from './appender';
import { inTransaction, queryObjects, type Store } from './store';

/**
 * What the DB needs of a Submission (core/submission); any Submission is assignable to it.
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
 * district, nothing changed (submissionId is the existing one).
 */
export type LoadStatus = 'loaded' | 'duplicate' | 'superseded-earlier';

export interface LoadResult {
  status: LoadStatus;
  submissionId: number;
  /** Ids of the submissions this one superseded (empty unless status is superseded-earlier). */
  supersededIds: number[];
}

/** One file to store: what it reports, per district. */
export interface FileToStore {
  file: SubmissionFile;
  submissions: readonly SubmissionInput[];
}

/** Stores one district's submission of one file, in its own transaction. */
export async function loadSubmission(
  store: Store,
  submission: SubmissionInput,
  file: SubmissionFile,
  loadedAt: Date = new Date(),
): Promise<LoadResult> {
  const [[result]] = await storeFiles(store, [{ file, submissions: [submission] }], loadedAt);
  return result;
}

interface Pending {
  fileIndex: number;
  submissionIndex: number;
  district: string;
  asOf: string;
  sha256: string;
  fileName: string;
  rows: SubmissionInput['rows'];
  id?: number;
  supersededBy?: number;
}

/**
 * Stores the files in one transaction, in order (a later file for a district and date supersedes an
 * earlier one, in the batch or already stored), and answers per file and submission. When anything
 * fails, nothing of any of the files is stored and the error is thrown: the caller decides whether to
 * try the files one by one.
 */
export async function storeFiles(store: Store, files: readonly FileToStore[], loadedAt: Date = new Date()): Promise<LoadResult[][]> {
  // Everything that can be refused without the database is refused before the transaction starts.
  const pending: Pending[] = [];
  files.forEach((f, fileIndex) =>
    f.submissions.forEach((s, submissionIndex) => {
      checkRows(s.rows);
      const district = canonicalDistrict(s.district);
      isoDay(s.asOf);
      pending.push({ fileIndex, submissionIndex, district, asOf: s.asOf, sha256: f.file.sha256, fileName: f.file.fileName, rows: s.rows });
    }),
  );
  const results: LoadResult[][] = files.map((f) => f.submissions.map(() => ({ status: 'duplicate' as LoadStatus, submissionId: 0, supersededIds: [] })));
  if (pending.length === 0) return results;

  return inTransaction(store, async () => {
    // Files already stored for a district: the same bytes again are a no-op (also within the batch).
    const stored = await queryObjects(store, 'SELECT id, sha256, district FROM submissions WHERE list_contains($1, sha256)', [
      listOf([...new Set(pending.map((p) => p.sha256))]),
    ]);
    const known = new Map(stored.map((r) => [`${r.sha256}|${r.district}`, Number(r.id)]));
    const fresh: Pending[] = [];
    for (const p of pending) {
      const key = `${p.sha256}|${p.district}`;
      const existing = known.get(key);
      if (existing !== undefined) {
        results[p.fileIndex][p.submissionIndex] = { status: 'duplicate', submissionId: existing, supersededIds: [] };
        continue;
      }
      fresh.push(p);
      known.set(key, -1 - fresh.length);
    }
    if (fresh.length === 0) return results;

    const ids = (await queryObjects(store, "SELECT nextval('submission_id_seq') AS id FROM range($1)", [fresh.length])).map((r) => Number(r.id)).sort((a, b) => a - b);
    fresh.forEach((p, i) => (p.id = ids[i]));
    const firstId = ids[0];
    // Who supersedes whom: stored current submissions for the same district and date are superseded by
    // the batch's first; each batch submission by the next one for its district and date.
    const keys = [...new Set(fresh.map((p) => `${p.district}|${p.asOf}`))];
    const current = await queryObjects(
      store,
      `SELECT s.id, s.district, strftime(s.as_of, '%Y-%m-%d') AS as_of
       FROM submissions AS s
       JOIN (SELECT unnest($1::VARCHAR[]) AS district, unnest($2::DATE[]) AS as_of) AS k USING (district, as_of)
       WHERE s.superseded_by IS NULL`,
      [listOf(keys.map((k) => k.split('|')[0])), listOf(keys.map((k) => k.split('|')[1]))],
    );
    const supersededBy = new Map<number, number>();
    const lastOfKey = new Map<string, { id: number; inBatch?: Pending }>();
    for (const row of current) lastOfKey.set(`${row.district}|${row.as_of}`, { id: Number(row.id) });
    for (const p of fresh) {
      const key = `${p.district}|${p.asOf}`;
      const before = lastOfKey.get(key);
      if (before?.inBatch) before.inBatch.supersededBy = p.id;
      else if (before) supersededBy.set(before.id, p.id!);
      results[p.fileIndex][p.submissionIndex] = before
        ? { status: 'superseded-earlier', submissionId: p.id!, supersededIds: [before.id] }
        : { status: 'loaded', submissionId: p.id!, supersededIds: [] };
      lastOfKey.set(key, { id: p.id!, inBatch: p });
    }
    await appendRows(
      store.connection,
      'submissions',
      fresh.map((p): AppendValue[] => [p.id!, p.district, isoDay(p.asOf), p.fileName, p.sha256, loadedAt, p.supersededBy ?? null]),
    );
    if (supersededBy.size > 0) {
      await queryObjects(
        store,
        `UPDATE submissions AS s SET superseded_by = m.by
         FROM (SELECT unnest($1::INTEGER[]) AS id, unnest($2::INTEGER[]) AS by) AS m
         WHERE s.id = m.id`,
        [listOf([...supersededBy.keys()]), listOf([...supersededBy.values()])],
      );
    }
    await appendRows(
      store.connection,
      'progress',
      (function* () {
        for (const p of fresh) {
          const asOf = isoDay(p.asOf);
          for (const r of p.rows) yield [p.id!, r.metricId, p.district, asOf, r.completed, r.note ?? null];
        }
      })(),
    );
    await refreshJudgedPairs(store, firstId, supersededBy.size > 0 || fresh.some((p) => p.supersededBy !== undefined));
    return results;
  });
}

/** A JS list as a DuckDB list parameter. */
function listOf(values: (string | number)[]): DuckDBValue {
  return listValue(values);
}

/** The report columns of judged_pairs, in order. */
const REPORT_COLUMNS = ['last_as_of', 'last_completed', 'last_submission_id', 'previous_as_of', 'previous_completed', 'previous_submission_id'];
const SET_REPORT_COLUMNS = REPORT_COLUMNS.map((c) => `${c} = n.${c}`).join(', ');

/** The last two reports per (district, metric) among `candidates` (last_reports() in queries/lag.sql says the same over the history). */
const LAST_TWO_OF_CANDIDATES = `
  SELECT district, metric_id,
         dates[1] AS last_as_of, amounts[1] AS last_completed, ids[1] AS last_submission_id,
         dates[2] AS previous_as_of, amounts[2] AS previous_completed, ids[2] AS previous_submission_id
  FROM (
    SELECT district, metric_id, max(as_of, 2) AS dates, arg_max(completed, as_of, 2) AS amounts, arg_max(submission_id, as_of, 2) AS ids
    FROM candidates
    GROUP BY district, metric_id
  )`;

/**
 * Brings the report columns of judged_pairs up to date with the submissions stored from `firstId` on
 * (this transaction's). A pair's new last two are among its old last two and its new reports, unless
 * one of the old two was just superseded by a file that does not report the metric: those pairs are
 * recomputed from the history, and a pair left with no current report loses its reports.
 */
async function refreshJudgedPairs(store: Store, firstId: number, superseding: boolean): Promise<void> {
  const c = store.connection;
  await c.run(
    `UPDATE judged_pairs AS jp SET ${SET_REPORT_COLUMNS}
     FROM (
       WITH fresh AS (
         SELECT p.district, p.metric_id, p.as_of, p.completed, p.submission_id
         FROM progress AS p
         JOIN submissions AS s ON s.id = p.submission_id
         WHERE p.submission_id >= $1 AND s.id >= $1 AND s.superseded_by IS NULL
       ),
       touched AS (
         SELECT jp.* FROM judged_pairs AS jp SEMI JOIN fresh AS f ON f.district = jp.district AND f.metric_id = jp.metric_id
       ),
       kept AS (
         SELECT district, metric_id, last_as_of AS as_of, last_completed AS completed, last_submission_id AS submission_id
         FROM touched WHERE last_submission_id IS NOT NULL
         UNION ALL
         SELECT district, metric_id, previous_as_of, previous_completed, previous_submission_id
         FROM touched WHERE previous_submission_id IS NOT NULL
       ),
       candidates AS (
         SELECT * FROM fresh
         UNION ALL
         SELECT k.* FROM kept AS k JOIN submissions AS s ON s.id = k.submission_id WHERE s.superseded_by IS NULL
       )
       ${LAST_TWO_OF_CANDIDATES}
     ) AS n
     WHERE jp.district = n.district AND jp.metric_id = n.metric_id`,
    [firstId],
  );
  if (!superseding) return;
  // Pairs whose last two include a report superseded just now: recomputed from every current report.
  await c.run(
    `UPDATE judged_pairs AS jp SET ${SET_REPORT_COLUMNS}
     FROM (
       WITH stale AS (
         SELECT district, metric_id
         FROM judged_pairs
         WHERE last_submission_id IN (SELECT id FROM submissions WHERE superseded_by >= $1)
            OR previous_submission_id IN (SELECT id FROM submissions WHERE superseded_by >= $1)
       ),
       candidates AS (
         SELECT p.district, p.metric_id, p.as_of, p.completed, p.submission_id
         FROM progress AS p
         SEMI JOIN stale ON stale.district = p.district AND stale.metric_id = p.metric_id
         JOIN submissions AS s ON s.id = p.submission_id
         WHERE s.superseded_by IS NULL
       ),
       recomputed AS (${LAST_TWO_OF_CANDIDATES})
       SELECT stale.district, stale.metric_id, ${REPORT_COLUMNS.map((col) => `r.${col}`).join(', ')}
       FROM stale LEFT JOIN recomputed AS r ON r.district = stale.district AND r.metric_id = stale.metric_id
     ) AS n
     WHERE jp.district = n.district AND jp.metric_id = n.metric_id`,
    [firstId],
  );
}

/** Rebuilds numeric_milestones and judged_pairs from the plan and the history (with a new plan, or a database from before they existed). */
export async function rebuildDerivedTables(store: Store): Promise<void> {
  const c = store.connection;
  await c.run('DELETE FROM numeric_milestones');
  await c.run('INSERT INTO numeric_milestones SELECT * FROM numeric_milestones_rebuilt()');
  await c.run('DELETE FROM judged_pairs');
  await c.run('INSERT INTO judged_pairs SELECT * FROM judged_pairs_rebuilt()');
}

/**
 * The registry name for what a file or a user says (aliases and either script accepted); anything
 * else is refused with a message naming it as `noun` (填報單位, 區縣).
 */
export function canonicalDistrict(text: string, noun = '填報單位'): string {
  const match = resolveDistrict(text);
  if (match.kind === 'exact' || match.kind === 'alias') return match.district.name;
  if (match.kind === 'ambiguous') throw new Error(`${noun}「${text}」不明確：可能是 ${match.candidates.join('、')}`);
  if (match.kind === 'misspelled') throw new Error(`未知的${noun}「${text}」：是否為「${match.suggestion.name}」？`);
  throw new Error(`未知的${noun}「${text}」`);
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
