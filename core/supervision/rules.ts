// The supervision loop's rules that are not lag's (docs/design.md, "The supervision loop"):
// case statuses and events as stored, the defaults the 督查室 may override per command, and reading the
// pairs named on the command line. Judging a pair at a date is lag.sql's (queries/supervision.sql).
import { resolveDistrict } from '../districts';
import { msg, t, type Message } from '../messages';
import { matchKey, toHalfWidth } from '../text';

/** A case as cases_at() reports it. */
export const CASE_STATUSES = ['open', 'overdue', 'closed', 'reopened'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** What supervision_events records (schema.sql). */
export const CASE_EVENTS = ['opened', 'kept', 'overdue', 'closed', 'rechecked', 'reopened', 'noted'] as const;
export type CaseEvent = (typeof CASE_EVENTS)[number];

/**
 * Defaults, each overridable on the command line. They are the product's examples, not the city's rules:
 * the notice names no deadline and no number of districts to praise or name.
 */
export const SUPERVISION_DEFAULTS = {
  /** 整改期限: days from opening (or reopening) to the rectification deadline. */
  dueDays: 30,
  /** 晾曬通報: how many districts at the front of the ranking are praised (ties at the cut included). */
  praised: 3,
  /** … and how many at the back are named (ties included; only districts behind schedule). */
  named: 3,
} as const;

export interface CasePair {
  district: string;
  metricId: string;
}

/**
 * `--only 臨平區:1-1,上城:29-2`: pairs of district (any alias, either script) and metric id, separated by
 * commas (either width), 、 or spaces. Every part that cannot be read is reported, none is guessed.
 */
export function parseCasePairs(text: string): { pairs: CasePair[]; errors: Message[] } {
  const pairs: CasePair[] = [];
  const errors: Message[] = [];
  for (const part of toHalfWidth(text).split(/[,、;\s]+/).filter((p) => p !== '')) {
    const m = /^(.+?)[:：](\d+-\d+)$/.exec(part);
    if (!m) {
      errors.push(msg('supervise.only.unreadable', { part }));
      continue;
    }
    const match = resolveDistrict(m[1]);
    if (match.kind === 'exact' || match.kind === 'alias') pairs.push({ district: match.district.name, metricId: m[2] });
    else errors.push(msg('supervise.only.district', { part, district: m[1] }));
  }
  return { pairs, errors };
}

/** A status as typed (`--status overdue,已銷號`): the code, or its word in either script. */
export function caseStatusFromText(text: string): CaseStatus | undefined {
  const code = text.trim().toLowerCase();
  if ((CASE_STATUSES as readonly string[]).includes(code)) return code as CaseStatus;
  return CASE_STATUSES.find((s) => matchKey(t('zh-TW', `case.status.${s}`)) === matchKey(text));
}
