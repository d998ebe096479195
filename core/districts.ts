// The registry of reporting districts (docs/design.md, "Districts"): 市本級 plus the 14 districts/counties
// of Hangzhou, in the order of 附件2, with the aliases clerks actually type.
import { matchKey } from './text';

export interface District {
  /** Canonical name as in 附件2 (traditional script, full suffix). */
  name: string;
  /** Column order in 附件2; 市本級 is 0. Also the final tie-break of rankings. */
  order: number;
  aliases: string[];
}

export const DISTRICTS: readonly District[] = [
  { name: '市本級', order: 0, aliases: ['市本级', '市級', '市级', '本級', '市直'] },
  { name: '上城區', order: 1, aliases: ['上城'] },
  { name: '拱墅區', order: 2, aliases: ['拱墅'] },
  { name: '西湖區', order: 3, aliases: [] },
  { name: '濱江區', order: 4, aliases: ['濱江', '高新區', '高新區(濱江)'] },
  { name: '蕭山區', order: 5, aliases: ['蕭山'] },
  { name: '餘杭區', order: 6, aliases: ['餘杭', '余杭'] },
  { name: '臨平區', order: 7, aliases: ['臨平'] },
  { name: '錢塘區', order: 8, aliases: ['錢塘'] },
  { name: '富陽區', order: 9, aliases: ['富陽'] },
  { name: '臨安區', order: 10, aliases: ['臨安'] },
  { name: '桐廬縣', order: 11, aliases: ['桐廬'] },
  { name: '淳安縣', order: 12, aliases: ['淳安'] },
  { name: '建德市', order: 13, aliases: ['建德'] },
  { name: '杭州西湖風景名勝區', order: 14, aliases: ['西湖風景名勝區', '西湖景區', '西湖風景區', '風景名勝區', '景區'] },
];

export const CITY_LEVEL = '市本級';

/** The city whose districts these are, as documents name it (the bulletin's default issuer, addresses). */
export const CITY = '杭州市';

/** All the districts at once: a department's report that covers every district is kept under this folder name (docs/design.md, "The folder of received files"). */
export const ALL_DISTRICTS = '各區縣';

/** "西湖" alone could be 西湖區 or the scenic area: never guess between them. */
const AMBIGUOUS: Record<string, string[]> = { [matchKey('西湖')]: ['西湖區', '杭州西湖風景名勝區'] };

const byKey = new Map<string, District>();
for (const d of DISTRICTS) {
  for (const alias of [d.name, ...d.aliases]) byKey.set(matchKey(alias), d);
}

export type DistrictMatch =
  | { kind: 'exact'; district: District }
  | { kind: 'alias'; district: District }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'misspelled'; suggestion: District }
  | { kind: 'unknown' };

/** Resolves what a clerk wrote for a district, in either script, with any spacing. */
export function resolveDistrict(text: string): DistrictMatch {
  const key = matchKey(text);
  if (!key) return { kind: 'unknown' };
  const found = byKey.get(key);
  if (found) return { kind: matchKey(found.name) === key ? 'exact' : 'alias', district: found };
  const ambiguous = AMBIGUOUS[key];
  if (ambiguous) return { kind: 'ambiguous', candidates: ambiguous };
  const suggestion = closestDistrict(key);
  return suggestion ? { kind: 'misspelled', suggestion } : { kind: 'unknown' };
}

/** The district whose name or alias is one edit away (a wrong or missing character), if exactly one is. */
function closestDistrict(key: string): District | undefined {
  const hits = new Set<District>();
  for (const [aliasKey, d] of byKey) {
    if (aliasKey.length >= 2 && editDistanceAtMostOne(key, aliasKey)) hits.add(d);
  }
  return hits.size === 1 ? [...hits][0] : undefined;
}

/** At most one character inserted, deleted or replaced between two texts (compared as code points). */
export function editDistanceAtMostOne(a: string, b: string): boolean {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (x.length > y.length) i++;
    else if (y.length > x.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (x.length - i) + (y.length - j) <= 1;
}

export function districtByName(name: string): District | undefined {
  return DISTRICTS.find((d) => d.name === name);
}
