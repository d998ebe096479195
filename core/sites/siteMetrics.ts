// Which metrics are counted in 點位 (docs/design.md, "The supervision loop") and where a site may lie. A
// count (or compound) metric whose unit counts places — 個, 家, 處, 座, 所 — must have as many sites in a
// district as its target there; other metrics may list sites without the count being checked. The one
// home of this rule: queries/sites.sql receives the metric ids from here.
import type { Metric, Plan, Target } from '../model';
import { sameUnit } from '../quantity';
import { matchKey } from '../text';

/** Units that count places. */
export const SITE_UNITS = ['個', '家', '處', '座', '所'] as const;

/** Things counted in 個 that are not places: many of them sit at one site (見習崗位, 新增學位, 停放泊位, 充電樁). */
export const NOT_PLACES = ['崗位', '學位', '泊位', '床位', '樁'] as const;

/** Longitude and latitude (WGS-84 degrees) a site in the city may have: Hangzhou with a small margin (淳安 in the west to 蕭山 in the east). */
export const CITY_BOUNDS = { minLongitude: 118.3, maxLongitude: 120.8, minLatitude: 29.1, maxLatitude: 30.6 } as const;

export function isCountedInSites(metric: Metric): boolean {
  if (metric.kind !== 'count' && metric.kind !== 'compound') return false;
  const label = matchKey(metric.label);
  return SITE_UNITS.some((u) => sameUnit(metric.unit, u)) && !NOT_PLACES.some((w) => label.includes(matchKey(w)));
}

/** The ids of the plan's metrics counted in sites, for site_check() in queries/sites.sql. */
export function siteMetricIds(plan: Plan): string[] {
  return plan.metrics.filter(isCountedInSites).map((m) => m.id);
}

/** How many sites a district lists for a metric counted in sites: its whole target (compound: both parts). */
export function sitesNeeded(metric: Metric, target: Target): number | undefined {
  return isCountedInSites(metric) ? target.target + (target.targetExtra ?? 0) : undefined;
}
