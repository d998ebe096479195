// The views of queries/schema.sql (judged_targets, current_progress, numeric_milestones): documented as
// DuckDB types them, and agreeing with lag(as_of) — the pairs it judges, the completion it reports and
// the milestone it judges by — at every date.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { queryLag, runQuery } from '../pipeline/db/queries';
import type { Store } from '../pipeline/db/store';
import { schemaRelations } from '../scripts/schema-doc';
import { close, objects, storeWith } from './helpers/store';
import { CHECK_DATES, SMALL_LOADS, SMALL_PLAN } from './helpers/reference/fixtures';

let store: Store;

beforeAll(async () => {
  ({ store } = await storeWith(SMALL_PLAN, SMALL_LOADS));
});
afterAll(() => store.close());

const pair = (r: Record<string, unknown>) => `${r.district}|${r.metric_id}`;

test('every column of every view is documented with the type DuckDB gives it', async () => {
  const sql = fs.readFileSync(path.resolve(__dirname, '../queries/schema.sql'), 'utf8');
  const views = schemaRelations(sql).filter((r) => r.kind === 'view');
  expect(views.map((v) => v.name)).toEqual(['judged_targets', 'current_progress', 'numeric_milestones']);
  for (const view of views) {
    const described = objects(await runQuery(store, `DESCRIBE ${view.name}`)).map((c) => [c.column_name, c.column_type]);
    expect([view.name, view.columns.map((c) => [c.name, c.type])]).toEqual([view.name, described]);
    for (const c of view.columns) expect([view.name, c.name, c.meaning.length > 0]).toEqual([view.name, c.name, true]);
  }
});

test('judged_targets holds exactly the pairs lag judges: no city-only metric, no empty target', async () => {
  const judged = objects(await runQuery(store, 'SELECT * FROM judged_targets')).map(pair).sort();
  const lagged = objects(await queryLag(store, CHECK_DATES[CHECK_DATES.length - 1])).map(pair).sort();
  expect(judged).toEqual(lagged);
  expect(judged.some((p) => p.endsWith('|4-1'))).toBe(false);
});

describe('current_progress: the latest row on or before a date is what lag reports then', () => {
  test.each(CHECK_DATES)('at %s', async (asOf) => {
    const latest = new Map(
      objects(
        await runQuery(
          store,
          `SELECT * FROM current_progress WHERE as_of <= CAST($1 AS DATE)
           QUALIFY row_number() OVER (PARTITION BY district, metric_id ORDER BY as_of DESC) = 1`,
          [asOf],
        ),
      ).map((r) => [pair(r), r]),
    );
    const reported = objects(await queryLag(store, asOf)).filter((r) => r.completion !== null);
    expect([...latest.keys()].sort()).toEqual(reported.map(pair).sort());
    for (const row of reported) {
      const view = latest.get(pair(row))!;
      expect([pair(row), view.as_of, close(view.completed, row.completed as number), close(view.completion, row.completion as number)]).toEqual([
        pair(row),
        row.last_report_date,
        true,
        true,
      ]);
    }
  });

  test('a superseded submission is not current', async () => {
    const superseded = objects(await runQuery(store, 'SELECT id FROM submissions WHERE superseded_by IS NOT NULL')).map((r) => r.id);
    expect(superseded.length).toBeGreaterThan(0);
    const shown = objects(await runQuery(store, 'SELECT DISTINCT submission_id FROM current_progress')).map((r) => r.submission_id);
    expect(shown.filter((id) => superseded.includes(id))).toEqual([]);
  });
});

describe('numeric_milestones: the latest one due on or before a date is the milestone lag judges by', () => {
  test.each(CHECK_DATES)('at %s', async (asOf) => {
    const latest = new Map(
      objects(
        await runQuery(
          store,
          `SELECT * FROM numeric_milestones WHERE due_date <= CAST($1 AS DATE)
           QUALIFY row_number() OVER (PARTITION BY metric_id ORDER BY due_date DESC) = 1`,
          [asOf],
        ),
      ).map((r) => [String(r.metric_id), r]),
    );
    for (const row of objects(await queryLag(store, asOf))) {
      const milestone = latest.get(String(row.metric_id));
      expect([pair(row), row.milestone_due_date, row.milestone_text]).toEqual([pair(row), milestone?.due_date ?? null, milestone?.text ?? null]);
    }
    // Two numeric steps of 5-1 fall on 2024-09-30: one row, the higher expectation.
    const same = objects(await runQuery(store, "SELECT * FROM numeric_milestones WHERE metric_id = '5-1' AND due_date = DATE '2024-09-30'"));
    expect(same.map((r) => r.expected_ratio)).toEqual([0.7]);
  });
});
