// How lag statuses show in workbooks: their words and fills (core/lagStatus.ts, the same as the CLI's
// tables and the charts) and the order of urgency the 滯後預警 list follows.
import { isSupervisionCandidate, lagStatusLabel, type LagStatus } from '../../core/lagStatus';
import type { Lang } from '../../core/messages';
import type { LagRow } from '../db/rows';

/**
 * Urgency for the 滯後預警 list, most urgent first (掛牌督辦 candidates come before all of these): a
 * reader's order, not lag_status's precedence — what is far behind schedule before what is late.
 */
export const SEVERITY: readonly LagStatus[] = ['seriously_behind', 'overdue', 'missing', 'stalled', 'behind', 'on_track'];

export function statusLabel(status: LagStatus, lang: Lang): string {
  return lagStatusLabel(status, lang);
}

export function isLagging(row: LagRow): boolean {
  return row.lag_status !== 'on_track';
}

interface Sortable extends LagRow {
  district_order: number | null;
  k: number;
}

/**
 * The order of the 滯後預警 list: 掛牌督辦 candidates (gap ≥ 15 points, even when overdue) first, then
 * by status urgency, the widest gap first, then district (附件2 order) and metric.
 */
export function bySeverity(a: Sortable, b: Sortable): number {
  const candidate = (r: Sortable) => (isSupervisionCandidate(r) ? 0 : 1);
  return (
    candidate(a) - candidate(b) ||
    SEVERITY.indexOf(a.lag_status) - SEVERITY.indexOf(b.lag_status) ||
    b.gap - a.gap ||
    (a.district_order ?? 99) - (b.district_order ?? 99) ||
    a.district.localeCompare(b.district) ||
    a.project_no - b.project_no ||
    a.k - b.k
  );
}
