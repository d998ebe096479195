// How amounts, rates and targets read in messages and templates: "10個", "5(4)個", "83%".
import type { Metric, Target } from './model';

/** n rounded to `digits` decimals. */
export function roundTo(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** An amount as a clerk writes it: 10, 2.5, no binary noise (0.1 + 0.2 → 0.3). */
export function formatAmount(n: number): string {
  return Number.isInteger(n) ? String(n) : String(roundTo(n, 6));
}

/** A fraction as a percent: 0.83 → "83%", to `decimals` places of the percent. */
export function formatPercent(r: number, decimals = 4): string {
  return `${formatAmount(roundTo(r * 100, decimals))}%`;
}

/** A district's target as a clerk reads it: "10個", "5(4)個", "83%". */
export function showTarget(metric: Metric, target: Target): string {
  if (metric.kind === 'rate') return formatPercent(target.target);
  if (target.targetExtra !== undefined) return `${formatAmount(target.target)}(${formatAmount(target.targetExtra)})${metric.unit}`;
  return `${formatAmount(target.target)}${metric.unit}`;
}
