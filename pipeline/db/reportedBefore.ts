// A cumulative figure never falls: what a district reported before (and after) the date of a new report,
// per metric, from the store's current submissions, so a load can say when a new figure contradicts them
// (docs/design.md, "Progress submissions"). Rate metrics are left out: a rate reached can go down.
// A load keeps the current reports of the districts it has seen in memory (StoredReports), read once per
// district and kept current as batches are stored, so a batch is checked without querying its history.
import { LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { issue, type Issue } from '../../core/issues';
import { formatAmount } from '../../core/format';
import { msg } from '../../core/messages';
import type { Submission } from '../../core/submission';
import { queryObjects, type Store } from './store';

/** One report of a batch being stored, in the order they are stored. */
export interface BatchReport {
  submission: Submission;
  /** The sheet it was read from, and the file (as named in messages). */
  sheet: string;
  file: string;
  /** Set when the batch stores it as a current report: under which district, file name and id. */
  stored?: { district: string; fileName: string; submissionId: number };
}

interface Report {
  asOf: string;
  fileName: string;
  completed: number;
  submissionId: number;
}

/**
 * The current reports of count and compound metrics, by district (as stored) and metric, sorted by date:
 * read from the store the first time a district is asked about, then kept by `check`, which adds each
 * batch's reports and drops what it supersedes. `forget` after a batch that was not committed.
 */
export class StoredReports {
  private byDistrict = new Map<string, Map<string, Report[]>>();
  private checked?: Set<string>;

  forget(): void {
    this.byDistrict.clear();
    this.checked = undefined;
  }

  private async ensure(store: Store, districts: Iterable<string>): Promise<void> {
    const missing = [...new Set(districts)].filter((d) => !this.byDistrict.has(d));
    if (missing.length === 0 && this.checked) return;
    this.checked ??= new Set((await queryObjects(store, "SELECT metric_id FROM metrics WHERE kind IN ('count', 'compound')")).map((r) => String(r.metric_id)));
    if (missing.length === 0) return;
    for (const d of missing) this.byDistrict.set(d, new Map());
    const rows = await queryObjects(
      store,
      `SELECT s.district, p.metric_id, strftime(s.as_of, '%Y-%m-%d') AS as_of, s.file_name, p.completed, s.id
       FROM progress AS p
       JOIN submissions AS s ON s.id = p.submission_id AND s.superseded_by IS NULL
       WHERE list_contains($1::VARCHAR[], s.district) AND list_contains($2::VARCHAR[], p.metric_id)
       ORDER BY s.as_of, s.file_name`,
      [listValue(missing), listValue([...this.checked])],
      // Typed, so a plan with no cumulative metric binds an empty list.
      [LIST(VARCHAR), LIST(VARCHAR)],
    );
    for (const r of rows) {
      this.listOf(String(r.district), String(r.metric_id)).push({ asOf: String(r.as_of), fileName: String(r.file_name), completed: Number(r.completed), submissionId: Number(r.id) });
    }
  }

  private listOf(district: string, metricId: string): Report[] {
    let metrics = this.byDistrict.get(district);
    if (!metrics) this.byDistrict.set(district, (metrics = new Map()));
    let list = metrics.get(metricId);
    if (!list) metrics.set(metricId, (list = []));
    return list;
  }

  /** The nearest report on one side of `asOf` (not on it); of one date, the first file name. */
  private near(district: string, metricId: string, asOf: string, side: 'before' | 'after'): Report | undefined {
    const list = this.byDistrict.get(district)?.get(metricId);
    if (!list || list.length === 0) return undefined;
    // First index whose date is >= asOf (before) or > asOf (after).
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (side === 'before' ? list[mid].asOf < asOf : list[mid].asOf <= asOf) lo = mid + 1;
      else hi = mid;
    }
    const at = side === 'before' ? lo - 1 : lo;
    if (at < 0 || at >= list.length) return undefined;
    let best = list[at];
    for (let k = at; k >= 0 && k < list.length && list[k].asOf === best.asOf; k += side === 'before' ? -1 : 1) if (list[k].fileName < best.fileName) best = list[k];
    return best;
  }

  private add(district: string, metricId: string, report: Report): void {
    const list = this.listOf(district, metricId);
    let at = list.length;
    while (at > 0 && list[at - 1].asOf > report.asOf) at--;
    list.splice(at, 0, report);
  }

  private drop(districts: Iterable<string>, ids: ReadonlySet<number>): void {
    for (const d of districts) {
      for (const [metricId, list] of this.byDistrict.get(d) ?? []) this.byDistrict.get(d)!.set(metricId, list.filter((r) => !ids.has(r.submissionId)));
    }
  }

  /**
   * Warnings per report (same order) for its rows below the district's latest earlier report of the
   * metric, or above its earliest later one, among the current reports once the batch's superseded ones
   * (`superseded`, ids) are gone and the batch's stored reports before it; each names both reports.
   */
  async check(store: Store, reports: readonly BatchReport[], superseded: ReadonlySet<number>): Promise<Issue[][]> {
    await this.ensure(store, reports.flatMap((r) => (r.stored ? [r.submission.district, r.stored.district] : [r.submission.district])));
    if (superseded.size > 0) this.drop(this.byDistrict.keys(), superseded);
    const checked = this.checked!;
    return reports.map((report) => {
      const { submission, sheet, file } = report;
      const issues: Issue[] = [];
      for (const row of submission.rows) {
        if (!checked.has(row.metricId)) continue;
        const before = this.near(submission.district, row.metricId, submission.asOf, 'before');
        const after = this.near(submission.district, row.metricId, submission.asOf, 'after');
        const here = { cell: row.cell, metric: row.metricId, amount: formatAmount(row.completed), date: submission.asOf };
        if (before && row.completed < before.completed) {
          issues.push(issue('cumulative-fell', { sheet, cell: row.cell, file }, msg('issue.cumulative-fell', { ...here, otherDate: before.asOf, otherFile: before.fileName, other: formatAmount(before.completed) })));
        } else if (after && row.completed > after.completed) {
          issues.push(issue('cumulative-fell', { sheet, cell: row.cell, file }, msg('issue.cumulative-fell.later', { ...here, otherDate: after.asOf, otherFile: after.fileName, other: formatAmount(after.completed) })));
        }
      }
      const stored = report.stored;
      if (stored) {
        for (const row of submission.rows) {
          if (checked.has(row.metricId)) this.add(stored.district, row.metricId, { asOf: submission.asOf, fileName: stored.fileName, completed: row.completed, submissionId: stored.submissionId });
        }
      }
      return issues;
    });
  }
}
