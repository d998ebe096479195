// The lead departments as stored with the plan (lead_units, project_lead_units) and their questions
// (queries/lead_units.sql): which unit a person means, its ranking and its lag rows.
import { resolveLeadUnit, type LeadUnit } from '../../core/leadUnits';
import type { LagStatus } from '../../core/lagStatus';
import { t, type Lang } from '../../core/messages';
import type { ResultTable } from '../output/resultTable';
import { isoDay } from './appender';
import { runQuery } from './queries';
import { queryObjects, type Store } from './store';

export async function readLeadUnits(store: Store): Promise<LeadUnit[]> {
  const rows = await queryObjects(store, 'SELECT lead_unit, lead_unit_order, aliases FROM lead_units ORDER BY lead_unit_order');
  return rows.map((r) => ({
    name: String(r.lead_unit),
    order: Number(r.lead_unit_order),
    aliases: Array.isArray((r.aliases as { items?: unknown[] })?.items) ? ((r.aliases as { items: unknown[] }).items.map(String)) : [],
  }));
}

/** The stored unit a person means (either script, with or without 市/杭州市); a Chinese error otherwise. */
export async function leadUnitNamed(store: Store, text: string, lang: Lang): Promise<string> {
  const units = await readLeadUnits(store);
  if (units.length === 0) throw new Error(t(lang, 'leadunit.none-stored'));
  const match = resolveLeadUnit(text, units);
  if (match.kind === 'found') return match.unit.name;
  if (match.kind === 'ambiguous') throw new Error(t(lang, 'leadunit.ambiguous', { value: text, candidates: match.candidates.join('、') }));
  if (match.suggestion) throw new Error(t(lang, 'leadunit.unknown-suggest', { value: text, suggestion: match.suggestion.name }));
  throw new Error(t(lang, 'leadunit.unknown', { value: text, units: units.map((u) => u.name).join('、') }));
}

/** lead_units.sql: one row per lead unit, in rank order. */
export function queryLeadUnitRanking(store: Store, asOf: string): Promise<ResultTable> {
  isoDay(asOf);
  return runQuery(store, 'SELECT * FROM lead_unit_ranking(CAST($1 AS DATE))', [asOf]);
}

/** lead_units.sql: the lag rows of one unit's projects, district by district; optionally only some statuses. */
export function queryLeadUnitLag(store: Store, asOf: string, leadUnit: string, statuses?: readonly LagStatus[]): Promise<ResultTable> {
  isoDay(asOf);
  // An empty status list means every status; the list goes in as one parameter, never as SQL text.
  const wanted = statuses && statuses.length > 0 ? statuses.join(',') : null;
  return runQuery(
    store,
    `SELECT * EXCLUDE (lead_unit_order) FROM lead_unit_lag(CAST($1 AS DATE)) WHERE lead_unit = $2
       AND ($3 IS NULL OR list_contains(string_split($3, ','), lag_status))
     ORDER BY project_no, k, district_order NULLS LAST, district`,
    [asOf, leadUnit, wanted],
  );
}
