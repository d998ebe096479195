// How amounts, rates and targets read in messages and templates: "10個", "5(4)個", "83%".
import type { Metric, Target } from './model';

export function roundTo(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function formatAmount(n: number): string {
  return Number.isInteger(n) ? String(n) : String(roundTo(n, 6));
}

export function formatPercent(r: number): string {
  return `${formatAmount(roundTo(r * 100, 4))}%`;
}

/** A district's target as a clerk reads it: "10個", "5(4)個", "83%". */
export function showTarget(metric: Metric, target: Target): string {
  if (metric.kind === 'rate') return formatPercent(target.target);
  if (target.targetExtra !== undefined) return `${formatAmount(target.target)}(${formatAmount(target.targetExtra)})${metric.unit}`;
  return `${formatAmount(target.target)}${metric.unit}`;
}
