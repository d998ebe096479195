// The city's lead departments (牽頭單位) of a plan: the names both attachments give, tidied and told apart
// by their match key (either script, stray spaces and line breaks: "市衛生健康 委員會" = "市卫生健康委员会"),
// in order of first appearance. The year-end assessment and the department views assess and filter by
// these names (docs/design.md, "The year-end assessment").
import { editDistanceAtMostOne } from './districts';
import type { Plan } from './model';
import { matchKey, splitList, tidyText, toHalfWidth } from './text';

export interface LeadUnit {
  /** The name as 附件1 writes it (附件2's when 附件1 does not name it), tidied. */
  name: string;
  /** 1-based, in order of the first project (附件2 order) that names it. */
  order: number;
  /** Every other spelling the attachments use for it, tidied. */
  aliases: string[];
}

export interface LeadUnits {
  units: LeadUnit[];
  /** Project number → the names of its lead units (usually one). */
  byProject: Map<number, string[]>;
}

/** The names a lead-unit cell holds: "市建委、市住保房管局" is two; a name broken over two lines is one. */
function namesIn(cell: string | undefined): string[] {
  if (!cell) return [];
  const names = splitList(toHalfWidth(cell)).filter((n) => !/^[-－—–−_/\\]+$/.test(n));
  const seen = new Set<string>();
  return names.filter((n) => !seen.has(matchKey(n)) && seen.add(matchKey(n)));
}

/**
 * The lead units of a plan across both attachments. A project's units are those 附件1 names and those
 * 附件2 names (validation warns when the two differ; both are held responsible here, as both were named).
 */
export function leadUnitsOf(plan: Pick<Plan, 'projects' | 'responsibilities'>): LeadUnits {
  const byKey = new Map<string, LeadUnit>();
  const byProject = new Map<number, string[]>();
  const projectNos = [...new Set([...plan.projects.map((p) => p.no), ...plan.responsibilities.map((r) => r.projectNo)])].sort((a, b) => a - b);
  for (const no of projectNos) {
    const first = namesIn(plan.responsibilities.find((r) => r.projectNo === no)?.leadUnit);
    const second = namesIn(plan.projects.find((p) => p.no === no)?.leadUnit);
    const units: string[] = [];
    for (const written of [...first, ...second]) {
      const key = matchKey(written);
      let unit = byKey.get(key);
      if (!unit) {
        unit = { name: tidyText(written), order: byKey.size + 1, aliases: [] };
        byKey.set(key, unit);
      } else if (tidyText(written) !== unit.name && !unit.aliases.includes(tidyText(written))) unit.aliases.push(tidyText(written));
      if (!units.includes(unit.name)) units.push(unit.name);
    }
    if (units.length > 0) byProject.set(no, units);
  }
  return { units: [...byKey.values()], byProject };
}

export type LeadUnitMatch = { kind: 'found'; unit: LeadUnit } | { kind: 'ambiguous'; candidates: string[] } | { kind: 'unknown'; suggestion?: LeadUnit };

/**
 * The lead unit a person means: the name in either script, with any spacing; or, when exactly one unit
 * fits, the name without its 市/杭州市 prefix ("民政局") or with it ("杭州市民政局").
 */
export function resolveLeadUnit(text: string, units: readonly LeadUnit[]): LeadUnitMatch {
  const key = matchKey(text);
  if (!key) return { kind: 'unknown' };
  const exact = units.filter((u) => [u.name, ...u.aliases].some((n) => matchKey(n) === key));
  if (exact.length === 1) return { kind: 'found', unit: exact[0] };
  const bare = (k: string) => k.replace(/^杭州市|^杭州|^市/, '');
  const loose = units.filter((u) => [u.name, ...u.aliases].some((n) => bare(matchKey(n)) === bare(key)));
  if (loose.length === 1) return { kind: 'found', unit: loose[0] };
  if (loose.length > 1) return { kind: 'ambiguous', candidates: loose.map((u) => u.name) };
  const near = units.filter((u) => bare(key).length >= 2 && editDistanceAtMostOne(bare(matchKey(u.name)), bare(key)));
  return near.length === 1 ? { kind: 'unknown', suggestion: near[0] } : { kind: 'unknown' };
}

/** What `rank --by` ranks, as people write it: the codes, or the words in either script. */
export function rankingSubjectOf(text: string): 'district' | 'lead_unit' | undefined {
  const key = matchKey(text).replace(/[-_\s]/g, '');
  if (['district', matchKey('區縣')].includes(key)) return 'district';
  if (['leadunit', 'unit', 'department', matchKey('牽頭單位'), matchKey('牽頭部門')].includes(key)) return 'lead_unit';
  return undefined;
}
