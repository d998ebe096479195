// 掛牌督辦 in the store (docs/design.md, "The supervision loop"): opening cases from the candidates at a
// date, reviewing every case against the lag at a later date, notes, and reading cases back. What a
// review decides is queries/supervision.sql's (supervision_review); this module only writes what it
// says, one transaction per command, adding rows and never changing one.
import { z } from 'zod';
import { ISODate } from '../../core/model';
import { msg } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';
import type { CaseEvent, CasePair, CaseStatus } from '../../core/supervision/rules';
import { isoDay } from './appender';
import { runQuery } from './queries';
import { rowsFrom } from './rows';
import { inTransaction, queryObjects, type Store } from './store';

const Ratio = z.number().finite();

const Standing = z.object({
  district: z.string(),
  district_order: z.number().int().nullable(),
  project_no: z.number().int(),
  k: z.number().int(),
  metric_id: z.string(),
  label: z.string(),
  completion: Ratio.nullable(),
  gap: Ratio,
  lag_status: z.string(),
});

const Candidate = Standing.extend({
  active_case_id: z.number().int().nullable(),
  active_case_status: z.string().nullable(),
  awaiting_recheck: z.boolean().nullable(),
});
export type Candidate = z.infer<typeof Candidate>;

export interface OpenedCase {
  caseId: number;
  candidate: Candidate;
  dueOn: string;
}

export interface OpenResult {
  asOf: string;
  /** Seriously behind pairs at the date (all of them, or those named with --only). */
  candidates: Candidate[];
  opened: OpenedCase[];
  /** Candidates a case already follows (open, overdue, reopened, or closed awaiting 回頭看). */
  skipped: Candidate[];
  /** Pairs named with --only that are judged but not seriously behind: nothing opened. */
  notCandidates: z.infer<typeof Standing>[];
}

export interface OpenOptions {
  asOf: string;
  dueDays: number;
  /** Only these pairs (each must be a judged pair of the plan). */
  only?: readonly CasePair[];
  recordedAt?: Date;
}

const ReviewRow = z.object({
  case_id: z.number().int(),
  district: z.string(),
  metric_id: z.string(),
  status_before: z.string(),
  event: z.enum(['kept', 'overdue', 'closed', 'rechecked', 'reopened']),
  gap: Ratio,
  completion: Ratio.nullable(),
  lag_status: z.string(),
  due_on: ISODate.nullable(),
  event_on: ISODate,
});
export type ReviewRow = z.infer<typeof ReviewRow> & {
  /** The deadline in force after the review (a reopened case's new one). */
  dueAfter: string;
};

export interface ReviewResult {
  asOf: string;
  events: ReviewRow[];
}

const CaseRow = z.object({
  case_id: z.number().int(),
  district: z.string(),
  district_order: z.number().int().nullable(),
  project_no: z.number().int(),
  k: z.number().int().nullable(),
  metric_id: z.string(),
  label: z.string().nullable(),
  lead_unit: z.string().nullable(),
  opened_on: ISODate,
  due_on: ISODate,
  status: z.enum(['open', 'overdue', 'closed', 'reopened']),
  closed_on: ISODate.nullable(),
  reopen_count: z.number().int(),
  awaiting_recheck: z.boolean(),
  rechecked_on: ISODate.nullable(),
  judged_on: ISODate,
  opened_gap: Ratio,
  gap: Ratio.nullable(),
  lag_status: z.string().nullable(),
  notes: z.array(z.string()),
  as_of: ISODate,
});

/** One opening or review of a case, for `supervise list --json` (the gap at each review). */
export interface CaseReview {
  event_on: string;
  event: CaseEvent;
  gap: number | null;
}

export type CaseRecord = z.infer<typeof CaseRow> & { reviews: CaseReview[] };

const EventRow = z.object({
  case_id: z.number().int(),
  event_on: ISODate,
  event: z.enum(['opened', 'kept', 'overdue', 'closed', 'rechecked', 'reopened', 'noted']),
  gap: Ratio.nullable(),
});

function timestamp(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

function addDays(iso: string, days: number): string {
  return new Date(isoDay(iso).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The latest date any case was opened or reviewed (notes do not count); undefined with no cases. */
export async function latestCaseDate(store: Store): Promise<string | undefined> {
  const rows = await queryObjects(store, "SELECT CAST(max(event_on) AS VARCHAR) AS d FROM supervision_events WHERE event <> 'noted'");
  const d = rows[0]?.d;
  return typeof d === 'string' ? d : undefined;
}

/** Opening and reviewing go forward in time: nothing is judged at a date before the last judgement. */
async function refuseEarlierThanRecorded(store: Store, asOf: string, action: 'open' | 'review'): Promise<void> {
  const latest = await latestCaseDate(store);
  if (latest !== undefined && latest > asOf) {
    throw new MessageError(msg('supervise.history.later', { latest, date: asOf, action: msg(action === 'open' ? 'supervise.action.open' : 'supervise.action.review') }));
  }
}

async function requirePlan(store: Store): Promise<void> {
  const rows = await queryObjects(store, 'SELECT count(*) AS n FROM plan_meta');
  if (Number(rows[0].n) === 0) throw new MessageError(msg('supervise.no-plan'));
}

async function nextSeq(store: Store, caseId: number): Promise<number> {
  const rows = await queryObjects(store, 'SELECT coalesce(max(seq), 0) + 1 AS seq FROM supervision_events WHERE case_id = $1', [caseId]);
  return Number(rows[0].seq);
}

const BY_PAIR = 'ORDER BY district_order NULLS LAST, district, project_no, k';

/**
 * Opens a case for each seriously behind pair at `asOf` (or each of `only`), due `dueDays` later, except
 * pairs a case already follows. Pairs named in `only` that the plan does not judge are refused before
 * anything is written.
 */
export async function openCases(store: Store, options: OpenOptions): Promise<OpenResult> {
  const { asOf, dueDays } = options;
  isoDay(asOf);
  await requirePlan(store);
  return inTransaction(store, async () => {
    await refuseEarlierThanRecorded(store, asOf, 'open');
    let candidates = rowsFrom(Candidate, await runQuery(store, `SELECT * FROM supervision_candidates(CAST($1 AS DATE)) ${BY_PAIR}`, [asOf]));
    const notCandidates: z.infer<typeof Standing>[] = [];
    if (options.only) {
      const standing = rowsFrom(Standing, await runQuery(store, `SELECT * FROM supervision_standing(CAST($1 AS DATE)) ${BY_PAIR}`, [asOf]));
      const key = (p: { district: string; metric_id?: string; metricId?: string }) => `${p.district}\u0000${p.metric_id ?? p.metricId}`;
      const judged = new Map(standing.map((s) => [key(s), s]));
      const unknown = options.only.filter((p) => !judged.has(key(p)));
      if (unknown.length > 0) throw new MessageError(msg('supervise.only.metric', { district: unknown[0].district, metric: unknown[0].metricId }));
      const named = new Set(options.only.map(key));
      candidates = candidates.filter((c) => named.has(key(c)));
      const candidateKeys = new Set(candidates.map(key));
      for (const pair of options.only) if (!candidateKeys.has(key(pair))) notCandidates.push(judged.get(key(pair))!);
    }
    const recordedAt = timestamp(options.recordedAt ?? new Date());
    const dueOn = addDays(asOf, dueDays);
    const opened: OpenedCase[] = [];
    const skipped: Candidate[] = [];
    for (const candidate of candidates) {
      if (candidate.active_case_id !== null) {
        skipped.push(candidate);
        continue;
      }
      const inserted = await queryObjects(
        store,
        `INSERT INTO supervision_cases (district, metric_id, project_no, opened_on, due_on, opened_gap, recorded_at)
         VALUES ($1, $2, $3, CAST($4 AS DATE), CAST($5 AS DATE), $6, CAST($7 AS TIMESTAMP)) RETURNING case_id`,
        [candidate.district, candidate.metric_id, candidate.project_no, asOf, dueOn, candidate.gap, recordedAt],
      );
      const caseId = Number(inserted[0].case_id);
      await store.connection.run(
        `INSERT INTO supervision_events (case_id, seq, event_on, event, gap, completion, lag_status, due_on, note, recorded_at)
         VALUES ($1, 1, CAST($2 AS DATE), 'opened', $3, $4, $5, CAST($6 AS DATE), NULL, CAST($7 AS TIMESTAMP))`,
        [caseId, asOf, candidate.gap, candidate.completion, candidate.lag_status, dueOn, recordedAt],
      );
      opened.push({ caseId, candidate, dueOn });
    }
    return { asOf, candidates, opened, skipped, notCandidates };
  });
}

/** Reviews every case the review at `asOf` looks at (supervision_review) and records one event for each. */
export async function reviewCases(store: Store, options: { asOf: string; dueDays: number; recordedAt?: Date }): Promise<ReviewResult> {
  const { asOf, dueDays } = options;
  isoDay(asOf);
  await requirePlan(store);
  return inTransaction(store, async () => {
    await refuseEarlierThanRecorded(store, asOf, 'review');
    const decided = rowsFrom(ReviewRow, await runQuery(store, 'SELECT * FROM supervision_review(CAST($1 AS DATE), $2) ORDER BY case_id', [asOf, dueDays]));
    const current = new Map(
      rowsFrom(z.object({ case_id: z.number().int(), due_on: ISODate }), await runQuery(store, 'SELECT case_id, due_on FROM cases_at(CAST($1 AS DATE))', [asOf])).map((r) => [
        r.case_id,
        r.due_on,
      ]),
    );
    const recordedAt = timestamp(options.recordedAt ?? new Date());
    const events: ReviewRow[] = [];
    for (const row of decided) {
      await store.connection.run(
        `INSERT INTO supervision_events (case_id, seq, event_on, event, gap, completion, lag_status, due_on, note, recorded_at)
         VALUES ($1, $2, CAST($3 AS DATE), $4, $5, $6, $7, CAST($8 AS DATE), NULL, CAST($9 AS TIMESTAMP))`,
        [row.case_id, await nextSeq(store, row.case_id), row.event_on, row.event, row.gap, row.completion, row.lag_status, row.due_on, recordedAt],
      );
      events.push({ ...row, dueAfter: row.due_on ?? current.get(row.case_id)! });
    }
    return { asOf, events };
  });
}

/** Records 整改措施 for a case, dated `on` (not before the case was opened). */
export async function noteCase(store: Store, caseId: number, text: string, on: string, recordedAt: Date = new Date()): Promise<{ caseId: number; district: string; metricId: string; on: string }> {
  isoDay(on);
  const note = text.trim();
  if (note === '') throw new MessageError(msg('supervise.note.empty'));
  return inTransaction(store, async () => {
    const found = await queryObjects(store, 'SELECT district, metric_id, CAST(opened_on AS VARCHAR) AS opened_on FROM supervision_cases WHERE case_id = $1', [caseId]);
    if (found.length === 0) throw new MessageError(msg('supervise.note.unknown', { case: String(caseId) }));
    const { district, metric_id, opened_on } = found[0] as { district: string; metric_id: string; opened_on: string };
    if (on < opened_on) throw new MessageError(msg('supervise.note.before-open', { date: on, opened: opened_on }));
    await store.connection.run(
      `INSERT INTO supervision_events (case_id, seq, event_on, event, gap, completion, lag_status, due_on, note, recorded_at)
       VALUES ($1, $2, CAST($3 AS DATE), 'noted', NULL, NULL, NULL, NULL, $4, CAST($5 AS TIMESTAMP))`,
      [caseId, await nextSeq(store, caseId), on, note, timestamp(recordedAt)],
    );
    return { caseId, district, metricId: metric_id, on };
  });
}

export interface CaseFilter {
  statuses?: readonly CaseStatus[];
  district?: string;
}

/** cases_at(asOf), in district and metric order, each with its openings and reviews up to asOf. */
export async function listCases(store: Store, asOf: string, filter: CaseFilter = {}): Promise<CaseRecord[]> {
  isoDay(asOf);
  const statuses = filter.statuses && filter.statuses.length > 0 ? filter.statuses.join(',') : null;
  const cases = rowsFrom(
    CaseRow,
    await runQuery(
      store,
      `SELECT * EXCLUDE (reviews) FROM cases_at(CAST($1 AS DATE))
       WHERE ($2 IS NULL OR list_contains(string_split($2, ','), status)) AND ($3 IS NULL OR district = $3)
       ORDER BY district_order NULLS LAST, district, project_no, k NULLS LAST, metric_id, case_id`,
      [asOf, statuses, filter.district ?? null],
    ),
  );
  const events = rowsFrom(
    EventRow,
    await runQuery(store, "SELECT case_id, event_on, event, gap FROM supervision_events WHERE event <> 'noted' AND event_on <= CAST($1 AS DATE) ORDER BY case_id, seq", [asOf]),
  );
  const byCase = new Map<number, CaseReview[]>();
  for (const e of events) {
    const list = byCase.get(e.case_id) ?? [];
    list.push({ event_on: e.event_on, event: e.event, gap: e.gap });
    byCase.set(e.case_id, list);
  }
  return cases.map((c) => ({ ...c, reviews: byCase.get(c.case_id) ?? [] }));
}
