// How lag statuses look in workbooks: light fills for whole rows (the charts' colours are too dark
// to read text on), the order of severity the 滯後預警 list follows, and the Chinese words — the
// words are pipeline/output/columnLabels.ts's, so a status reads the same in the terminal and in Excel.
import { isSupervisionCandidate } from '../charts/lagHeatmap';
import type { LagRow, LagStatus } from '../charts/rows';
import { LAG_STATUS_LABELS } from '../output/columnLabels';

/** Row fills (ARGB), lighter tints of the chart colours, in the same order of darkness. */
export const STATUS_FILLS: Record<LagStatus, string> = {
  on_track: 'FFE2F0D9',
  behind: 'FFFFE7B0',
  seriously_behind: 'FFF6B8B8',
  overdue: 'FFE39AA2',
  stalled: 'FFE1D5F2',
  missing: 'FFE2E2E2',
};

/** Severity for the 滯後預警 list, most urgent first (掛牌督辦 candidates come before all of these). */
export const SEVERITY: readonly LagStatus[] = ['seriously_behind', 'overdue', 'missing', 'stalled', 'behind', 'on_track'];

/** The statuses the headline figures count, in the order the overview shows them. */
export const HEADLINE_STATUSES: readonly LagStatus[] = ['on_track', 'behind', 'seriously_behind', 'overdue', 'stalled', 'missing'];

export function statusLabel(status: LagStatus): string {
  return LAG_STATUS_LABELS[status] ?? status;
}

export const SUPERVISION_WORD = '掛牌督辦';
export const SUPERVISION_CANDIDATE = '候選';

export { isSupervisionCandidate };

export function isLagging(row: LagRow): boolean {
  return row.lag_status !== 'on_track';
}

interface Sortable extends LagRow {
  district_order: number | null;
  k: number;
}

/**
 * The order of the 滯後預警 list: 掛牌督辦 candidates (gap ≥ 15 points, even when overdue) first, then
 * by status severity, the widest gap first, then district (附件2 order) and metric.
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
