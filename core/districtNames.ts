// The districts as the plan writes them (docs/design.md, "Districts as the plan writes them"). Data keeps
// the plan's names: a simplified plan's outputs say 临平区, a traditional one's 臨平區, while the canonical
// name of the registry (core/districts.ts) stays the key in the store and in every lookup.
import type { BreakdownSheet } from './breakdown';
import { DISTRICTS, resolveDistrict } from './districts';
import type { MessageRef, ParamValue } from './messages/template';
import { intoScriptOf } from './messages/lang';
import { QUOTES, squeeze, tidyText } from './text';

/** Longer than any name or alias of the registry (杭州西湖風景名勝區 has 9 characters) with room for a note. */
const MAX_WRITTEN_LENGTH = 20;

/** Canonical name → the name outputs show. A district it does not hold is shown by its canonical name. */
export type DistrictNames = Readonly<Record<string, string>>;

/**
 * Each district's name in the plan's spelling: the 附件2 column header as written (spaces between the
 * characters dropped: "臨 平 區" → 臨平區); for a district without a column (附件1 alone), the canonical
 * name in the script of the plan's own text.
 */
export function districtNamesOf(breakdown: BreakdownSheet | undefined, planText: string): Record<string, string> {
  const own = intoScriptOf(planText);
  const names: Record<string, string> = Object.fromEntries(DISTRICTS.map((d) => [d.name, own(d.name)]));
  for (const column of breakdown?.districtColumns ?? []) {
    // Quotes and spaces do not change which district a header names (matchKey drops them): they are
    // not kept. A header padded out to some length is not echoed into every output.
    const written = column.district ? squeeze(tidyText(column.headerText)).replace(QUOTES, '') : '';
    if (column.district && written.length > 0 && written.length <= MAX_WRITTEN_LENGTH) names[column.district] = written;
  }
  return names;
}

/** The name to show for a canonical district name (itself when the plan names it no other way). */
export function shownDistrict(names: DistrictNames | undefined, district: string): string {
  return names && Object.hasOwn(names, district) ? names[district] : district;
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

/** A row (a JSON object, a record) with its `district` field as the plan writes it; other fields as they are. */
export function withDistrictShown<T extends object>(row: T, names: DistrictNames | undefined): T {
  return 'district' in row && typeof row.district === 'string' ? { ...row, district: shownDistrict(names, row.district) } : row;
}

/**
 * A message whose district names (in any parameter, nested messages and lists too) are shown as the plan
 * writes them: a parameter that is exactly a canonical name is a district the code resolved, kept canonical
 * in the issue and spelled the plan's way when shown. Anything else (a header as the user wrote it) is left as it is.
 */
export function messageWithDistrictShown<M extends MessageRef>(message: M, names: DistrictNames | undefined): M {
  if (!message.params || !names) return message;
  const params = Object.fromEntries(
    Object.entries(message.params).map(([key, value]): [string, ParamValue] => [
      key,
      typeof value === 'object' ? messageWithDistrictShown(value, names) : typeof value === 'string' && Object.hasOwn(names, value) ? shownDistrict(names, value) : value,
    ]),
  );
  return { ...message, params };
}

/** An issue (or anything carrying a message) with the districts its message and its fix's description name as the plan writes them. */
export function issueWithDistrictShown<T extends { message: MessageRef; fix?: { description: MessageRef } }>(issue: T, names: DistrictNames | undefined): T {
  if (!names) return issue;
  const shown = { ...issue, message: messageWithDistrictShown(issue.message, names) };
  return issue.fix ? { ...shown, fix: { ...issue.fix, description: messageWithDistrictShown(issue.fix.description, names) } } : shown;
}
