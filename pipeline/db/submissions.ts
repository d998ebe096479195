// Stores progress submissions (進度報送表; docs/design.md, "The store"): any number of files in one transaction, each file
// whole (a department's all-districts file is one transaction, not one per district). The same file
// again is a no-op; a later file for the same district and date supersedes the earlier (both kept);
// the report columns of judged_pairs and earlier_reports (schema.sql) are brought up to date in the same transaction
// (docs/design.md, "Loading many files").
import { INTEGER, LIST, listValue, VARCHAR, type DuckDBValue } from '@duckdb/node-api';
import { canonicalDistrict } from '../../core/districtMatch';
import { appendRows, isoDay, type AppendValue } from './appender';
import { inTransaction, queryObjects, type Store } from './store';
import { phase } from '../phaseTimes';
import { msg } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';

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
 * district and date, nothing changed (submissionId is the existing one).
 */
export type LoadStatus = 'loaded' | 'duplicate' | 'superseded-earlier';

export interface LoadResult {
  status: LoadStatus;
  submissionId: number;
  /** Ids of the submissions this one superseded (empty unless status is superseded-earlier). */
  supersededIds: number[];
}

/**
 * Called once inside the transaction, before anything of the batch is stored (and after the stored
 * submissions it supersedes, `superseded`, are marked), with every report of the batch in order,
 * duplicates too: `stored` says under which district, file name and id the batch stores a report as
 * current (loadFiles says there when a cumulative figure contradicts the stored ones or an earlier
 * report of the batch).
 */
export type ReportCheck = (
  reports: readonly { fileIndex: number; submissionIndex: number; stored?: { district: string; fileName: string; submissionId: number } }[],
  superseded: ReadonlySet<number>,
) => Promise<void>;

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
export async function storeFiles(store: Store, files: readonly FileToStore[], loadedAt: Date = new Date(), check?: ReportCheck): Promise<LoadResult[][]> {
  // Everything that can be refused without the database is refused before the transaction starts.
  const pending: Pending[] = [];
  files.forEach((f, fileIndex) =>
    f.submissions.forEach((s, submissionIndex) => {
      checkRows(s.rows);
      const district = canonicalDistrict(s.district, 'label');
      isoDay(s.asOf);
      pending.push({ fileIndex, submissionIndex, district, asOf: s.asOf, sha256: f.file.sha256, fileName: f.file.fileName, rows: s.rows });
    }),
  );
  const results: LoadResult[][] = files.map((f) => f.submissions.map(() => ({ status: 'duplicate' as LoadStatus, submissionId: 0, supersededIds: [] })));
  if (pending.length === 0) return results;

  return inTransaction(store, async () => {
    // One look at submissions: this batch's files already stored (the same bytes again are a no-op,
    // also within the batch), and the current submissions its districts have for its dates.
    const seen = await phase('store.lookup', () => queryObjects(
      store,
      `SELECT id, sha256, district, strftime(as_of, '%Y-%m-%d') AS as_of, superseded_by IS NULL AS current
       FROM submissions
       WHERE list_contains($1, sha256)
          OR (superseded_by IS NULL AND list_contains($2, district) AND list_contains(CAST($3 AS DATE[]), as_of))`,
      [listOf([...new Set(pending.map((p) => p.sha256))]), listOf([...new Set(pending.map((p) => p.district))]), listOf([...new Set(pending.map((p) => p.asOf))])],
    ));
    // The same file again for the same report (one file may hold one district's reports of several dates).
    const known = new Map(seen.map((r) => [`${r.sha256}|${r.district}|${r.as_of}`, Number(r.id)]));
    const fresh: Pending[] = [];
    for (const p of pending) {
      const key = `${p.sha256}|${p.district}|${p.asOf}`;
      const existing = known.get(key);
      if (existing !== undefined) {
        results[p.fileIndex][p.submissionIndex] = { status: 'duplicate', submissionId: existing, supersededIds: [] };
        continue;
      }
      fresh.push(p);
      known.set(key, -1 - fresh.length);
    }
    if (fresh.length === 0) {
      if (check) await phase('store.check', () => check(pending.map((p) => ({ fileIndex: p.fileIndex, submissionIndex: p.submissionIndex })), new Set()));
      return results;
    }

    const ids = (await queryObjects(store, "SELECT nextval('submission_id_seq') AS id FROM range($1)", [fresh.length])).map((r) => Number(r.id)).sort((a, b) => a - b);
    fresh.forEach((p, i) => (p.id = ids[i]));
    // Who supersedes whom: a stored current submission for the same district and date is superseded by
    // the batch's first; each batch submission by the next one for its district and date.
    const supersededBy = new Map<number, number>();
    const lastOfKey = new Map<string, { id: number; inBatch?: Pending }>();
    for (const row of seen) if (row.current) lastOfKey.set(`${row.district}|${row.as_of}`, { id: Number(row.id) });
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
    if (supersededBy.size > 0) {
      await queryObjects(
        store,
        `UPDATE submissions AS s SET superseded_by = m.by
         FROM (SELECT unnest($1::INTEGER[]) AS id, unnest($2::INTEGER[]) AS by) AS m
         WHERE s.id = m.id`,
        [listOf([...supersededBy.keys()]), listOf([...supersededBy.values()])],
      );
    }
    const submissionRow = (p: Pending): AppendValue[] => [p.id!, p.district, isoDay(p.asOf), p.fileName, p.sha256, loadedAt, p.supersededBy ?? null];
    const progressRows = function* (group: readonly Pending[]) {
      for (const p of group) {
        const asOf = isoDay(p.asOf);
        for (const r of p.rows) yield [p.id!, r.metricId, p.district, asOf, r.completed, r.note ?? null];
      }
    };
    if (check) {
      const isFresh = new Set(fresh);
      const reports = pending.map((p) => ({
        fileIndex: p.fileIndex,
        submissionIndex: p.submissionIndex,
        stored: isFresh.has(p) && p.supersededBy === undefined ? { district: p.district, fileName: p.fileName, submissionId: p.id! } : undefined,
      }));
      await phase('store.check', () => check(reports, new Set(supersededBy.keys())));
    }
    await phase('store.append', async () => {
      await appendRows(store.connection, 'submissions', fresh.map(submissionRow));
      await appendRows(store.connection, 'progress', progressRows(fresh));
    });
    const gone = new Set([...supersededBy.keys(), ...fresh.filter((p) => p.supersededBy !== undefined).map((p) => p.id!)]);
    // Per district, the earliest date of a stored report this batch replaced: the pair spans from there on may have changed.
    const replacedFrom = new Map<string, string>();
    for (const row of seen) {
      if (!supersededBy.has(Number(row.id))) continue;
      const [district, asOf] = [String(row.district), String(row.as_of)];
      const before = replacedFrom.get(district);
      if (before === undefined || asOf < before) replacedFrom.set(district, asOf);
    }
    await phase('store.judged_pairs', () => refreshDerivedTables(store, fresh.filter((p) => p.supersededBy === undefined), gone, replacedFrom));
    return results;
  });
}

interface Report {
  asOf: string;
  completed: number;
  submissionId: number;
}

/**
 * Brings the report columns of judged_pairs, and earlier_reports, up to date after `current` (this
 * batch's submissions that are still current) were stored and the submissions in `gone` were
 * superseded (`replacedFrom`: per district, the earliest date of a stored one). A pair's new last two
 * are among its old last two and its new reports, unless one of the old two is gone: such a pair is
 * recomputed from the history (a file that replaces another without reporting the metric). When a
 * pair's new reports all come after its last one (reports arrive in date order), its spans that ended
 * are appended to earlier_reports; otherwise (an earlier date, a replaced report) its spans are
 * recomputed from the history.
 */
async function refreshDerivedTables(
  store: Store,
  current: readonly Pending[],
  gone: ReadonlySet<number>,
  replacedFrom: ReadonlyMap<string, string>,
): Promise<void> {
  const fresh = new Map<string, Report[]>();
  for (const p of current) {
    for (const r of p.rows) {
      const key = `${p.district}|${r.metricId}`;
      const report = { asOf: p.asOf, completed: r.completed, submissionId: p.id! };
      const list = fresh.get(key);
      if (list) list.push(report);
      else fresh.set(key, [report]);
    }
  }
  const districts = [...new Set(current.map((p) => p.district))];
  const old = await queryObjects(
    store,
    `SELECT pair_no, district, metric_id,
            strftime(last_as_of, '%Y-%m-%d') AS last_as_of, last_completed, last_submission_id,
            strftime(previous_as_of, '%Y-%m-%d') AS previous_as_of, previous_completed, previous_submission_id
     FROM judged_pairs
     WHERE list_contains($1, district) OR list_contains($2, last_submission_id) OR list_contains($2, previous_submission_id)`,
    [listOf(districts), listOf([...gone])],
    // Typed, because `gone` is often empty and DuckDB cannot bind an empty list of no type.
    [LIST(VARCHAR), LIST(INTEGER)],
  );
  const updates: { district: string; metricId: string; last?: Report; previous?: Report }[] = [];
  const stale: { district: string; metricId: string }[] = [];
  const respan: number[] = [];
  const endedSpans: AppendValue[][] = [];
  for (const row of old) {
    const district = String(row.district);
    const metricId = String(row.metric_id);
    const reports = fresh.get(`${district}|${metricId}`) ?? [];
    const kept: Report[] = [];
    let lost = false;
    for (const [asOf, completed, id] of [
      [row.last_as_of, row.last_completed, row.last_submission_id],
      [row.previous_as_of, row.previous_completed, row.previous_submission_id],
    ]) {
      if (id === null || id === undefined) continue;
      if (gone.has(Number(id))) lost = true;
      else kept.push({ asOf: String(asOf), completed: Number(completed), submissionId: Number(id) });
    }
    if (lost) stale.push({ district, metricId });
    else if (reports.length > 0) {
      const [last, previous] = [...reports, ...kept].sort((a, b) => (a.asOf < b.asOf ? 1 : a.asOf > b.asOf ? -1 : 0));
      updates.push({ district, metricId, last, previous });
    }
    const [oldLast, oldPrevious] = kept;
    const replaced = replacedFrom.get(district);
    const inOrder =
      !lost &&
      (replaced === undefined || kept.length === 0 || kept[0].asOf < replaced) &&
      reports.every((r) => oldLast === undefined || r.asOf > oldLast.asOf);
    const pairNo = Number(row.pair_no);
    if (!inOrder) respan.push(pairNo);
    else if (reports.length > 0) {
      // The pair's reports in date order: the old last one (with the one before it), then the new ones; each but the newest now has a successor.
      const chain = [...(oldLast ? [oldLast] : []), ...[...reports].sort((a, b) => (a.asOf < b.asOf ? -1 : a.asOf > b.asOf ? 1 : 0))];
      let before: Report | undefined = oldLast ? oldPrevious : undefined;
      for (let i = 0; i + 1 < chain.length; i++) {
        const r = chain[i];
        endedSpans.push([pairNo, isoDay(r.asOf), r.completed, before ? isoDay(before.asOf) : null, before?.completed ?? null, isoDay(chain[i + 1].asOf)]);
        before = r;
      }
    }
  }
  if (endedSpans.length > 0) await appendRows(store.connection, 'earlier_reports', endedSpans);
  if (respan.length > 0) await respanPairs(store, respan);
  if (updates.length > 0) {
    // The new report columns go through a temporary table filled by the appender (far cheaper than list parameters).
    await store.connection.run(
      `CREATE TEMP TABLE IF NOT EXISTS pair_updates (
         district VARCHAR, metric_id VARCHAR, last_as_of DATE, last_completed DOUBLE, last_submission_id INTEGER,
         previous_as_of DATE, previous_completed DOUBLE, previous_submission_id INTEGER)`,
    );
    await store.connection.run('DELETE FROM pair_updates');
    await appendRows(
      store.connection,
      'pair_updates',
      updates.map((u) => [
        u.district,
        u.metricId,
        isoDay(u.last!.asOf),
        u.last!.completed,
        u.last!.submissionId,
        u.previous ? isoDay(u.previous.asOf) : null,
        u.previous?.completed ?? null,
        u.previous?.submissionId ?? null,
      ]),
      'temp',
    );
    await store.connection.run(
      `UPDATE judged_pairs AS jp
       SET last_as_of = u.last_as_of, last_completed = u.last_completed, last_submission_id = u.last_submission_id,
           previous_as_of = u.previous_as_of, previous_completed = u.previous_completed, previous_submission_id = u.previous_submission_id
       FROM pair_updates AS u
       WHERE jp.district = u.district AND jp.metric_id = u.metric_id`,
    );
  }
  if (stale.length > 0) {
    // Recomputed from every current report of these pairs, as last_reports() in queries/lag.sql says.
    await store.connection.run(
      `UPDATE judged_pairs AS jp
       SET last_as_of = n.last_as_of, last_completed = n.last_completed, last_submission_id = n.last_submission_id,
           previous_as_of = n.previous_as_of, previous_completed = n.previous_completed, previous_submission_id = n.previous_submission_id
       FROM (
         SELECT k.district, k.metric_id, r.* EXCLUDE (district, metric_id)
         FROM (SELECT unnest($1::VARCHAR[]) AS district, unnest($2::VARCHAR[]) AS metric_id) AS k
         LEFT JOIN (
           SELECT district, metric_id,
                  dates[1] AS last_as_of, amounts[1] AS last_completed, ids[1] AS last_submission_id,
                  dates[2] AS previous_as_of, amounts[2] AS previous_completed, ids[2] AS previous_submission_id
           FROM (
             SELECT p.district, p.metric_id, max(p.as_of, 2) AS dates, arg_max(p.completed, p.as_of, 2) AS amounts, arg_max(p.submission_id, p.as_of, 2) AS ids
             FROM progress AS p
             SEMI JOIN (SELECT unnest($1::VARCHAR[]) AS district, unnest($2::VARCHAR[]) AS metric_id) AS sp
               ON sp.district = p.district AND sp.metric_id = p.metric_id
             JOIN submissions AS s ON s.id = p.submission_id
             WHERE s.superseded_by IS NULL
             GROUP BY p.district, p.metric_id
           )
         ) AS r ON r.district = k.district AND r.metric_id = k.metric_id
       ) AS n
       WHERE jp.district = n.district AND jp.metric_id = n.metric_id`,
      [listOf(stale.map((x) => x.district)), listOf(stale.map((x) => x.metricId))],
    );
  }
}

/** A JS list as a DuckDB list parameter. */
function listOf(values: (string | number | null)[]): DuckDBValue {
  return listValue(values);
}

/** Recomputes the earlier_reports of these pairs (judged_pairs.pair_no) from the history, as earlier_reports_rebuilt() in queries/lag.sql says. */
async function respanPairs(store: Store, pairs: readonly number[]): Promise<void> {
  const c = store.connection;
  await c.run('CREATE TEMP TABLE IF NOT EXISTS respan_pairs (pair_no INTEGER)');
  await c.run('DELETE FROM respan_pairs');
  await appendRows(c, 'respan_pairs', pairs.map((p) => [p]), 'temp');
  await c.run('DELETE FROM earlier_reports WHERE pair_no IN (SELECT pair_no FROM respan_pairs)');
  await c.run('INSERT INTO earlier_reports SELECT * FROM earlier_reports_rebuilt() WHERE pair_no IN (SELECT pair_no FROM respan_pairs)');
}

/** Rebuilds judged_pairs, earlier_reports and milestone_spans from the plan and the history (with a new plan, or a database from before they existed). */
export async function rebuildDerivedTables(store: Store): Promise<void> {
  const c = store.connection;
  await c.run('DELETE FROM milestone_spans');
  await c.run('INSERT INTO milestone_spans SELECT * FROM milestone_spans_rebuilt()');
  await c.run('DELETE FROM judged_pairs');
  await c.run('INSERT INTO judged_pairs SELECT * FROM judged_pairs_rebuilt()');
  await c.run('DELETE FROM earlier_reports');
  await c.run('INSERT INTO earlier_reports SELECT * FROM earlier_reports_rebuilt()');
}

/** The database keeps what the readers validated; these checks only guard its integrity. */
function checkRows(rows: SubmissionInput['rows']): void {
  const seen = new Set<string>();
  for (const row of rows) {
    const where = row.cell ? msg('store.row.cell', { cell: row.cell }) : '';
    const metric = row.metricId;
    if (!/^\d+-\d+$/.test(metric)) throw new MessageError(msg('store.row.metric-id', { metric, where }));
    if (seen.has(metric)) throw new MessageError(msg('store.row.repeated', { metric, where }));
    seen.add(metric);
    if (typeof row.completed !== 'number' || !Number.isFinite(row.completed)) throw new MessageError(msg('store.row.not-number', { metric, where }));
    if (row.completed < 0) throw new MessageError(msg('store.row.negative', { metric, value: row.completed, where }));
  }
}
