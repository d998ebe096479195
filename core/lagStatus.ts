// The lag statuses of a (district, metric) at a date (docs/design.md, "Lag statuses"): the codes in
// precedence order, their labels (catalogue ids), their colours, and the 掛牌督辦 candidate test. The
// conditions themselves are computed in SQL (queries/lag.sql); everything else that knows about a
// status is here, so the terminal, the workbooks, the charts and the service say the same thing.
import { z } from 'zod';
import { t, type Lang } from './messages';
import { matchKey } from './text';

/** In precedence order: a (district, metric) shows the first that applies (lag_status); lag_flags lists all. */
export const LAG_STATUSES = ['missing', 'overdue', 'seriously_behind', 'stalled', 'behind', 'on_track'] as const;
export const LagStatus = z.enum(LAG_STATUSES);
export type LagStatus = z.infer<typeof LagStatus>;

/** From this gap (expected ratio − capped completion) a metric is seriously behind; queries/lag.sql uses the same 0.15. */
export const SERIOUSLY_BEHIND_GAP = 0.15;

/** Best first: the order in which legends and headline counts list the statuses. */
export const LAG_STATUSES_BEST_FIRST: readonly LagStatus[] = ['on_track', 'behind', 'seriously_behind', 'overdue', 'stalled', 'missing'];

/** The catalogue id of a status's label (core/messages/catalogue/status.ts). */
export function lagStatusLabelId(status: LagStatus): `status.${LagStatus}` {
  return `status.${status}`;
}

export function lagStatusLabel(status: LagStatus, lang: Lang): string {
  return t(lang, lagStatusLabelId(status));
}

/**
 * The status a person named: the code itself ("stalled") or its label in either script (停滯, 停滞),
 * full-width forms and stray spaces allowed; undefined for anything else.
 */
export function lagStatusFromText(text: string): LagStatus | undefined {
  const code = LagStatus.safeParse(text.trim().toLowerCase());
  if (code.success) return code.data;
  const key = matchKey(text);
  return LAG_STATUSES.find((status) => matchKey(lagStatusLabel(status, 'zh-TW')) === key);
}

/**
 * Chart colours. Charts are printed, often in grey, so lightness falls with severity (CIE L* ≈ 85, 74,
 * 64, 51, 40, 13) and the statuses stay apart without colour.
 */
export const LAG_STATUS_COLOURS: Readonly<Record<LagStatus, string>> = {
  on_track: '#b4dfa8', // light green, L* 85
  behind: '#f0a830', // amber, L* 74
  seriously_behind: '#b3272d', // red, L* 40
  overdue: '#4a0610', // dark red, L* 13
  stalled: '#8c67c0', // purple, L* 51
  missing: '#9a9a9a', // grey, L* 64
};

/** Workbook row fills (ARGB): lighter tints of the chart colours, in the same order of darkness, so text stays readable on them. */
export const LAG_STATUS_FILLS: Readonly<Record<LagStatus, string>> = {
  on_track: 'FFE2F0D9',
  behind: 'FFFFE7B0',
  seriously_behind: 'FFF6B8B8',
  overdue: 'FFE39AA2',
  stalled: 'FFE1D5F2',
  missing: 'FFE2E2E2',
};

/** What the candidate test reads of a lag row. */
export interface LagStatusOf {
  lag_status: LagStatus;
  lag_flags?: readonly LagStatus[] | null;
}

/**
 * A 掛牌督辦 candidate: seriously behind (gap ≥ SERIOUSLY_BEHIND_GAP), even when a status of higher
 * precedence (missing, overdue) is the one shown.
 */
export function isSupervisionCandidate(row: LagStatusOf): boolean {
  return row.lag_status === 'seriously_behind' || (row.lag_flags ?? []).includes('seriously_behind');
}
