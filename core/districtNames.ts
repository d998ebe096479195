// The districts as the plan writes them (docs/design.md, "Districts as the plan writes them"). Data keeps
// the plan's names: a simplified plan's outputs say 临平区, a traditional one's 臨平區, while the canonical
// name of the registry (core/districts.ts) stays the key in the store and in every lookup.
import type { BreakdownSheet } from './breakdown';
import { DISTRICTS, resolveDistrict } from './districts';
import { langOfText } from './messages/lang';
import { simplify, tidyText } from './text';

/** Canonical name → the name outputs show. A district it does not hold is shown by its canonical name. */
export type DistrictNames = Readonly<Record<string, string>>;

/**
 * Each district's name in the plan's spelling: the 附件2 column header as written (spaces between the
 * characters dropped: "臨 平 區" → 臨平區); for a district without a column (附件1 alone), the canonical
 * name in the script of the plan's own text.
 */
export function districtNamesOf(breakdown: BreakdownSheet | undefined, planText: string): Record<string, string> {
  const simplified = langOfText(planText) === 'zh-CN';
  const names: Record<string, string> = Object.fromEntries(DISTRICTS.map((d) => [d.name, simplified ? simplify(d.name) : d.name]));
  for (const column of breakdown?.districtColumns ?? []) {
    if (column.district) names[column.district] = tidyText(column.headerText);
  }
  return names;
}

/** The name to show for a canonical district name (itself when the plan names it no other way). */
export function shownDistrict(names: DistrictNames | undefined, district: string): string {
  return names?.[district] ?? district;
}

/**
 * The registry's position of a district however it is written (canonical, the plan's spelling, either
 * script, an alias), for ordering axes and picking colours; districts it does not know sort last.
 */
export function districtOrderOf(name: string): number {
  const match = resolveDistrict(name);
  return match.kind === 'exact' || match.kind === 'alias' ? match.district.order : DISTRICTS.length;
}

/** The canonical name behind a shown one (the inverse of shownDistrict), for writing a shown row back as a key. */
export function canonicalOf(names: DistrictNames, shown: string): string {
  return Object.keys(names).find((district) => names[district] === shown) ?? shown;
}
