// queries/supervision.sql read back from events written by hand: cases_at(date) reconstructs each case
// as it stood at a date from its events up to that date, and later events never change an earlier answer.
import { runQuery } from '../pipeline/db/queries';
import type { Store } from '../pipeline/db/store';
import { objects, storeWith } from './helpers/store';
import { SMALL_LOADS, SMALL_PLAN } from './helpers/reference/fixtures';

let store: Store;

type Event = [on: string, event: string, gap: number | null, dueOn?: string, note?: string];

async function record(caseId: number, district: string, metricId: string, projectNo: number, events: Event[]): Promise<void> {
  const [openedOn, , openedGap, dueOn] = events[0];
  await store.connection.run(
    `INSERT INTO supervision_cases (case_id, district, metric_id, project_no, opened_on, due_on, opened_gap, recorded_at)
     VALUES ($1, $2, $3, $4, CAST($5 AS DATE), CAST($6 AS DATE), $7, TIMESTAMP '2024-12-01 00:00:00')`,
    [caseId, district, metricId, projectNo, openedOn, dueOn!, openedGap!],
  );
  for (const [i, [on, event, gap, due, note]] of events.entries()) {
    await store.connection.run(
      `INSERT INTO supervision_events (case_id, seq, event_on, event, gap, due_on, note, recorded_at)
       VALUES ($1, $2, CAST($3 AS DATE), $4, $5, CAST($6 AS DATE), $7, TIMESTAMP '2024-12-01 00:00:00')`,
      [caseId, i + 1, on, event, gap, due ?? null, note ?? null],
    );
  }
}

async function casesAt(asOf: string) {
  return objects(await runQuery(store, 'SELECT * FROM cases_at(CAST($1 AS DATE)) ORDER BY case_id', [asOf]));
}

beforeAll(async () => {
  ({ store } = await storeWith(SMALL_PLAN, SMALL_LOADS));
  // Case 1 goes the whole way: open, kept, overdue, closed, reopened by 回頭看, closed again, rechecked.
  await record(1, '西湖區', '1-1', 1, [
    ['2024-04-30', 'opened', 0.3, '2024-05-31'],
    ['2024-05-31', 'kept', 0.3],
    ['2024-06-15', 'noted', null, undefined, '已約談分管負責人'],
    ['2024-06-30', 'overdue', 0.3],
    ['2024-07-31', 'closed', 0],
    ['2024-08-31', 'reopened', 0.2, '2024-09-30'],
    ['2024-09-30', 'kept', 0.18],
    ['2024-10-31', 'closed', -0.05],
    ['2024-11-30', 'rechecked', -0.1],
  ]);
  // Case 2 is opened later and stays open.
  await record(2, '西湖區', '3-1', 3, [['2024-06-30', 'opened', 0.6, '2024-07-31']]);
});
afterAll(() => store.close());

test.each([
  ['2024-04-29', [], undefined],
  ['2024-04-30', ['open'], { due_on: '2024-05-31', closed_on: null, reopen_count: 0 }],
  ['2024-05-31', ['open'], { judged_on: '2024-05-31' }],
  ['2024-06-30', ['overdue', 'open'], { due_on: '2024-05-31' }],
  ['2024-07-31', ['closed', 'open'], { closed_on: '2024-07-31', awaiting_recheck: true }],
  ['2024-08-31', ['reopened', 'open'], { due_on: '2024-09-30', closed_on: null, reopen_count: 1, awaiting_recheck: false }],
  ['2024-09-30', ['reopened', 'open'], { gap: 0.18 }],
  ['2024-10-31', ['closed', 'open'], { closed_on: '2024-10-31', reopen_count: 1, awaiting_recheck: true }],
  ['2024-12-31', ['closed', 'open'], { closed_on: '2024-10-31', awaiting_recheck: false, rechecked_on: '2024-11-30' }],
])('at %s the cases stand as their events say', async (asOf, statuses, first) => {
  const rows = await casesAt(asOf);
  expect(rows.map((r) => r.status)).toEqual(statuses);
  if (first) expect(rows[0]).toMatchObject({ case_id: 1, district: '西湖區', metric_id: '1-1', opened_on: '2024-04-30', lead_unit: '市民政局', ...first });
});

test('notes are kept in order and change nothing', async () => {
  const [before] = await casesAt('2024-06-14');
  const [after] = await casesAt('2024-06-15');
  expect(before.notes).toEqual([]);
  expect(after.notes).toEqual(['已約談分管負責人']);
  expect({ ...after, notes: [], as_of: null }).toEqual({ ...before, notes: [], as_of: null });
});

test('case_events tells what happened between two dates', async () => {
  const rows = objects(await runQuery(store, "SELECT case_id, event, event_on FROM case_events(DATE '2024-06-30', DATE '2024-08-31') ORDER BY event_on, case_id"));
  expect(rows).toEqual([
    { case_id: 1, event: 'closed', event_on: '2024-07-31' },
    { case_id: 1, event: 'reopened', event_on: '2024-08-31' },
  ]);
  const all = objects(await runQuery(store, "SELECT count(*) AS n FROM case_events(NULL, DATE '2024-12-31')"));
  expect(all[0].n).toBe(10);
});

test('standing: a pair seriously behind is a candidate whatever status is shown first; a pair with nothing reported is never back on track', async () => {
  // 西湖區 has reported nothing by 3/31: 1-1 is already 20 points short of its first milestone (missing is
  // the status shown), 2-1 has no milestone due yet (so its gap is 0, yet nothing says it is on track).
  const rows = objects(await runQuery(store, "SELECT metric_id, lag_status, is_candidate, back_on_track FROM supervision_standing(DATE '2024-03-31') WHERE district = '西湖區' AND metric_id IN ('1-1', '2-1') ORDER BY metric_id"));
  expect(rows).toEqual([
    { metric_id: '1-1', lag_status: 'missing', is_candidate: true, back_on_track: false },
    { metric_id: '2-1', lag_status: 'missing', is_candidate: false, back_on_track: false },
  ]);
});

test('a review on the due date itself keeps a case still behind; the day after, the case is overdue', async () => {
  const review = async (asOf: string) => objects(await runQuery(store, 'SELECT case_id, event FROM supervision_review(CAST($1 AS DATE), 30) ORDER BY case_id', [asOf]));
  // Case 2 (西湖區 3-1, due 7/31) is still seriously behind at both dates.
  expect(await review('2024-07-31')).toEqual([{ case_id: 2, event: 'kept' }]);
  expect(await review('2024-08-01')).toContainEqual({ case_id: 2, event: 'overdue' });
});
