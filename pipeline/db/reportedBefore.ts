// A cumulative figure never falls: what a district reported before (and after) the date of a new report,
// per metric, from the store's current submissions, so a load can say when a new figure contradicts them
// (docs/design.md, "Progress submissions"). Rate metrics are left out: a rate reached can go down.
import { issue, type Issue } from '../../core/issues';
import { formatAmount } from '../../core/format';
import { msg } from '../../core/messages';
import type { Submission } from '../../core/submission';
import { queryObjects, type Store } from './store';

interface Neighbour {
  metric_id: string;
  side: 'before' | 'after';
  as_of: string;
  file_name: string;
  completed: number;
}

/**
 * Warnings for the rows of `submission` below the district's latest earlier report of the metric, or
 * above its earliest later one; each names both reports. `sheet` is where the submission was read.
 */
export async function contradictsStoredReports(store: Store, submission: Submission, sheet: string, file: string): Promise<Issue[]> {
  if (submission.rows.length === 0) return [];
  const neighbours = (await queryObjects(
    store,
    `WITH reported AS (
       SELECT p.metric_id, s.as_of, s.file_name, p.completed,
              CASE WHEN s.as_of < CAST($2 AS DATE) THEN 'before' ELSE 'after' END AS side
       FROM progress AS p
       JOIN submissions AS s ON s.id = p.submission_id AND s.superseded_by IS NULL
       JOIN metrics AS m ON m.metric_id = p.metric_id AND m.kind IN ('count', 'compound')
       WHERE s.district = $1 AND s.as_of <> CAST($2 AS DATE)
     )
     SELECT metric_id, side, strftime(as_of, '%Y-%m-%d') AS as_of, file_name, completed
     FROM reported
     QUALIFY row_number() OVER (PARTITION BY metric_id, side ORDER BY CASE WHEN side = 'before' THEN -epoch(as_of) ELSE epoch(as_of) END, file_name) = 1`,
    [submission.district, submission.asOf],
  )) as unknown as Neighbour[];
  const near = new Map(neighbours.map((n) => [`${n.metric_id}|${n.side}`, n]));
  const issues: Issue[] = [];
  for (const row of submission.rows) {
    const before = near.get(`${row.metricId}|before`);
    const after = near.get(`${row.metricId}|after`);
    const here = { cell: row.cell, metric: row.metricId, amount: formatAmount(row.completed), date: submission.asOf };
    if (before && row.completed < before.completed) {
      issues.push(issue('cumulative-fell', { sheet, cell: row.cell, file }, msg('issue.cumulative-fell', { ...here, otherDate: before.as_of, otherFile: before.file_name, other: formatAmount(before.completed) })));
    } else if (after && row.completed > after.completed) {
      issues.push(issue('cumulative-fell', { sheet, cell: row.cell, file }, msg('issue.cumulative-fell.later', { ...here, otherDate: after.as_of, otherFile: after.file_name, other: formatAmount(after.completed) })));
    }
  }
  return issues;
}
