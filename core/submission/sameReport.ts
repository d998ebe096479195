// One workbook, one report per district and date: two sheets that report the same district and date are
// the same report twice (kept once) or two different reports (the file is refused, naming both sheets:
// which one is right is the clerk's call, never ours). Different dates are different reports.
import { issue, type Issue } from '../issues';
import { msg } from '../messages';
import type { Submission } from './schema';

/** A submission and the sheet it was read from. */
export interface SheetSubmission {
  sheet: string;
  submission: Submission;
}

/** The values a report gives, as compared: metric → cumulative amount (notes and cells aside). */
function reported(s: Submission): string {
  return JSON.stringify([...s.rows].map((r) => [r.metricId, r.completed]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The submissions to store, and what to say: of two sheets with the same district and date, a copy
 * with the same numbers is dropped with a warning; different numbers are an error naming both sheets.
 */
export function oneReportPerDistrictAndDate(read: readonly SheetSubmission[]): { submissions: Submission[]; issues: Issue[] } {
  const first = new Map<string, SheetSubmission>();
  const submissions: Submission[] = [];
  const issues: Issue[] = [];
  for (const r of read) {
    const key = `${r.submission.district}|${r.submission.asOf}`;
    const before = first.get(key);
    if (!before) {
      first.set(key, r);
      submissions.push(r.submission);
      continue;
    }
    const params = { district: r.submission.district, date: r.submission.asOf, first: before.sheet, second: r.sheet };
    if (reported(before.submission) === reported(r.submission)) {
      issues.push(issue('same-report-twice', { sheet: r.sheet }, msg('issue.same-report-twice', params)));
    } else {
      issues.push(issue('conflicting-reports', { sheet: r.sheet }, msg('issue.conflicting-reports', params)));
    }
  }
  return { submissions, issues };
}
