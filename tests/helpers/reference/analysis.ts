// Reference implementation of the analysis semantics (docs/design.md, "Completion and expectation" to
// "Forecast", with the decisions written down in queries/lag.sql, ranking.sql and forecast.sql) in plain
// TypeScript, straight from the Plan and the sequence of loaded files. Tests compare the SQL macros
// against it; it shares no code with them.
import { DISTRICTS } from '../../../core/districts';
import type { Plan } from '../../../core/model';

/** One file as it was handed to loadSubmission, in load order. */
export interface ReferenceLoad {
  district: string;
  asOf: string;
  sha256: string;
  rows: { metricId: string; completed: number }[];
}

export type RefLagStatus = 'missing' | 'overdue' | 'stalled' | 'seriously_behind' | 'behind' | 'on_track';

export interface RefLagRow {
  district: string;
  metricId: string;
  targetTotal: number;
  reportCount: number;
  lastReportDate: string | null;
  completed: number | null;
  previousReportDate: string | null;
  previousCompleted: number | null;
  completion: number | null;
  expectedRatio: number;
  gap: number;
  milestoneDueDate: string | null;
  milestoneText: string | null;
  deadline: string | null;
  lagStatus: RefLagStatus;
  lagFlags: RefLagStatus[];
}

export interface RefRankingRow {
  rank: number;
  district: string;
  scheduleAttainment: number | null;
  completion: number;
  tieRank: number;
  tied: boolean;
  metricCount: number;
  expectedMetricCount: number;
  missingCount: number;
  seriouslyBehindCount: number;
}

export type RefForecastStatus = 'done' | 'missing' | 'too_few_reports' | 'no_progress' | 'projected';

export interface RefForecastRow {
  district: string;
  metricId: string;
  paceReported: boolean;
  pacePerDay: number | null;
  forecastDate: string | null;
  deadline: string | null;
  afterDeadline: boolean | null;
  forecastStatus: RefForecastStatus;
}

const DAY_MS = 86_400_000;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoFromDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Rounds half away from zero to 9 decimals. */
export function round9(x: number): number {
  return (Math.sign(x) * Math.round(Math.abs(x) * 1e9)) / 1e9;
}

const districtOrder = (name: string) => DISTRICTS.find((d) => d.name === name)?.order ?? Number.POSITIVE_INFINITY;

/**
 * The files that count: a file whose bytes were already loaded for the district is ignored; a later
 * file for the same district and date replaces the earlier one.
 */
export function currentLoads(loads: readonly ReferenceLoad[]): ReferenceLoad[] {
  const seen = new Set<string>();
  const current = new Map<string, ReferenceLoad>();
  for (const load of loads) {
    const fileKey = `${load.sha256}\u0000${load.district}`;
    if (seen.has(fileKey)) continue;
    seen.add(fileKey);
    current.set(`${load.district}\u0000${load.asOf}`, load);
  }
  return [...current.values()];
}

export function referenceLag(plan: Plan, loads: readonly ReferenceLoad[], asOf: string): RefLagRow[] {
  const today = dayNumber(asOf);
  const current = currentLoads(loads);
  const rows: RefLagRow[] = [];
  for (const target of plan.targets) {
    const metric = plan.metrics.find((m) => m.id === target.metricId);
    if (!metric || metric.kind === 'city-only') continue;
    const targetTotal = target.target + (target.targetExtra ?? 0);
    if (!(targetTotal > 0)) continue;

    // Reports on or before the day, newest first.
    const reports = current
      .filter((load) => load.district === target.district && dayNumber(load.asOf) <= today)
      .flatMap((load) =>
        load.rows.filter((r) => r.metricId === metric.id).map((r) => ({ asOf: load.asOf, completed: r.completed })),
      )
      .sort((a, b) => dayNumber(b.asOf) - dayNumber(a.asOf));
    const last = reports[0];
    const previous = reports[1];
    const completion = last ? last.completed / targetTotal : null;

    // The latest numeric milestone due by the day.
    const numeric = plan.milestones.filter(
      (m) =>
        m.metricId === metric.id &&
        dayNumber(m.dueDate) <= today &&
        (m.expectedRatio !== undefined || (metric.kind === 'rate' && m.expectedRate !== undefined)),
    );
    let milestone: (typeof numeric)[number] | undefined;
    for (const m of numeric) {
      if (!milestone || preferMilestone(m, milestone)) milestone = m;
    }
    const expectedRatio = milestone
      ? Math.min(milestone.expectedRatio ?? milestone.expectedRate! / targetTotal, 1)
      : 0;
    const gap = expectedRatio - Math.min(completion ?? 0, 1);

    const deadline = plan.responsibilities.find((r) => r.projectNo === metric.projectNo)?.deadline ?? null;
    const flags: RefLagStatus[] = [];
    if (completion === null) flags.push('missing');
    if (deadline !== null && today > dayNumber(deadline) && (completion ?? 0) < 1) flags.push('overdue');
    // A metric far behind schedule is a 掛牌督辦 candidate first, whether or not it also stalled.
    const roundedGap = round9(gap);
    if (roundedGap >= 0.15) flags.push('seriously_behind');
    if (last && previous && last.completed <= previous.completed && completion! < 1) flags.push('stalled');
    if (roundedGap < 0.15) flags.push(roundedGap > 0 ? 'behind' : 'on_track');

    rows.push({
      district: target.district,
      metricId: metric.id,
      targetTotal,
      reportCount: reports.length,
      lastReportDate: last?.asOf ?? null,
      completed: last?.completed ?? null,
      previousReportDate: previous?.asOf ?? null,
      previousCompleted: previous?.completed ?? null,
      completion,
      expectedRatio,
      gap,
      milestoneDueDate: milestone?.dueDate ?? null,
      milestoneText: milestone?.text ?? null,
      deadline,
      lagStatus: flags[0],
      lagFlags: flags,
    });
  }
  return rows;
}

/** Later due date wins; on the same date the higher ratio, then the higher rate, then the text. */
function preferMilestone(
  a: { dueDate: string; expectedRatio?: number; expectedRate?: number; text: string },
  b: { dueDate: string; expectedRatio?: number; expectedRate?: number; text: string },
): boolean {
  if (a.dueDate !== b.dueDate) return a.dueDate > b.dueDate;
  const byRatio = compareDescNullsLast(a.expectedRatio, b.expectedRatio);
  if (byRatio !== 0) return byRatio < 0;
  const byRate = compareDescNullsLast(a.expectedRate, b.expectedRate);
  if (byRate !== 0) return byRate < 0;
  return a.text < b.text;
}

function compareDescNullsLast(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return b - a;
}

export function referenceRanking(plan: Plan, loads: readonly ReferenceLoad[], asOf: string): RefRankingRow[] {
  const byDistrict = new Map<string, RefLagRow[]>();
  for (const row of referenceLag(plan, loads, asOf)) {
    byDistrict.set(row.district, [...(byDistrict.get(row.district) ?? []), row]);
  }
  const scored = [...byDistrict.entries()].map(([district, rows]) => {
    const capped = rows.map((r) => Math.min(r.completion ?? 0, 1));
    const withExpectation = rows.filter((r) => r.expectedRatio > 0);
    const attainments = withExpectation.map((r) => Math.min((r.completion ?? 0) / r.expectedRatio, 1));
    return {
      district,
      completion: round9(mean(capped)),
      scheduleAttainment: attainments.length > 0 ? round9(mean(attainments)) : null,
      metricCount: rows.length,
      expectedMetricCount: withExpectation.length,
      missingCount: rows.filter((r) => r.lagStatus === 'missing').length,
      seriouslyBehindCount: rows.filter((r) => r.lagFlags.includes('seriously_behind')).length,
    };
  });
  const better = (a: (typeof scored)[number], b: (typeof scored)[number]) => {
    const sa = a.scheduleAttainment ?? Number.NEGATIVE_INFINITY;
    const sb = b.scheduleAttainment ?? Number.NEGATIVE_INFINITY;
    if (sa !== sb) return sb - sa;
    return b.completion - a.completion;
  };
  const ordered = [...scored].sort(
    (a, b) => better(a, b) || districtOrder(a.district) - districtOrder(b.district) || (a.district < b.district ? -1 : 1),
  );
  return ordered.map((row, i) => ({
    rank: i + 1,
    ...row,
    tieRank: 1 + scored.filter((other) => better(other, row) < 0).length,
    tied: scored.some((other) => other !== row && better(other, row) === 0),
  }));
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function referenceForecast(plan: Plan, loads: readonly ReferenceLoad[], asOf: string): RefForecastRow[] {
  return referenceLag(plan, loads, asOf).map((row) => {
    const pace =
      row.reportCount >= 2
        ? (row.completed! - row.previousCompleted!) /
          row.targetTotal /
          (dayNumber(row.lastReportDate!) - dayNumber(row.previousReportDate!))
        : null;
    let status: RefForecastStatus;
    if (row.completion === null) status = 'missing';
    else if (row.completion >= 1) status = 'done';
    else if (row.reportCount < 2) status = 'too_few_reports';
    else if (pace! <= 0) status = 'no_progress';
    else status = 'projected';

    let forecastDate: string | null = null;
    let afterDeadline: boolean | null = null;
    if (status === 'projected') {
      const days = Math.ceil(round9((1 - row.completion!) / pace!));
      if (days <= 36500) forecastDate = isoFromDay(dayNumber(row.lastReportDate!) + days);
      if (row.deadline !== null) afterDeadline = forecastDate === null ? true : forecastDate > row.deadline;
    } else if (row.deadline !== null) {
      if (status === 'done') afterDeadline = false;
      if (status === 'no_progress') afterDeadline = true;
    }
    return {
      district: row.district,
      metricId: row.metricId,
      paceReported: pace !== null,
      pacePerDay: pace,
      forecastDate,
      deadline: row.deadline,
      afterDeadline,
      forecastStatus: status,
    };
  });
}
