// The 累計完成 cell: the cumulative amount since the start of the year, in the metric's terms. Blank is no
// report, never zero; anything else that is not an amount in the metric's unit is an error at that cell.
import { formatAmount, formatPercent, roundTo } from '../format';
import { a1, isBlank, type CellValue } from '../grid';
import type { Metric, Quantity, Target } from '../model';
import { issue } from '../issues';
import { parseQuantity, sameUnit } from '../quantity';
import { squeeze, tidyText, toHalfWidth } from '../text';
import { msg, type Message } from '../messages';
import { metricName, type Context } from './context';
import { targetTotal } from './schema';

type Completed = { kind: 'blank' } | { kind: 'value'; value: number } | { kind: 'invalid' };

/** Above 1.5 times the target a figure is questioned; this many times is no overshoot but a typo (digits, unit). */
const ABSURD_TIMES_TARGET = 100;

/**
 * The cumulative amount in a cell, in the metric's terms. Blank (or "--") is no report, never zero;
 * anything that is not a non-negative amount in the metric's unit is an error at that cell.
 */
export function readCompleted(ctx: Context, row: number, col: number, metric: Metric, target: Target, asOf: string | undefined): Completed {
  const value = ctx.view.raw(row, col);
  const format = ctx.view.format(row, col);
  const cell = a1(row, col);
  const what = metricName(metric);
  const formula = ctx.view.formula(row, col);
  if (isBlank(value) && formula) {
    // A file written by a program that never calculated it: the value Excel would show is unknown, and blank would read as "not reported".
    ctx.add('formula-without-value', cell, msg('issue.formula-without-value', { cell, metric: what, formula }));
    return { kind: 'invalid' };
  }
  if (isBlank(value)) return { kind: 'blank' };
  const shown = typeof value === 'string' ? tidyText(value) : String(value);
  const negative = negativeNumber(value);
  if (negative !== undefined) {
    const since = asOf ? msg('issue-part.as-of', { date: asOf }) : '';
    ctx.add('negative-value', cell, msg('issue.negative-value.completed', { cell, metric: what, shown, since }));
    return { kind: 'invalid' };
  }
  if (typeof value === 'boolean' || (typeof value === 'number' && !Number.isFinite(value))) return notANumber(ctx, cell, what, shown);
  const parsed = parseQuantity(value, format);
  if (!parsed.ok) return notANumber(ctx, cell, what, shown, parsed.message);
  const q = parsed.quantity;
  if (q.kind === 'none') return { kind: 'blank' };
  if (metric.kind === 'rate') return rateReached(ctx, cell, what, shown, q, metric);

  if (q.kind === 'rate') {
    const total = targetTotal(target);
    const amount = roundTo(q.value * total, 4);
    const unitName = metric.unit || msg('issue-part.amount');
    ctx.add('percent-for-amount', cell, msg('issue.percent-for-amount', { cell, metric: what, unitName, shown, total: formatAmount(total), unit: metric.unit }), {
      value: amount,
      description: msg('fix.percent-for-amount', { total: formatAmount(total), unit: metric.unit, percent: formatPercent(q.value), amount: formatAmount(amount) }),
    });
    return { kind: 'invalid' };
  }
  const unit = q.unit;
  if (unit && metric.unit && !sameUnit(unit, metric.unit)) {
    ctx.add('unit-mismatch', cell, msg('issue.unit-mismatch.completed', { cell, metric: what, shown, unit, expected: metric.unit }));
    return { kind: 'invalid' };
  }
  if (q.kind === 'compound' && metric.kind !== 'compound') {
    // "10(2)" is new(upgraded), a form only compound metrics have: adding the parts would invent a total.
    ctx.issues.push(issue('compound-for-count', { sheet: ctx.sheet, cell }, msg('issue.compound-for-count', { cell, metric: metric.id, label: metric.label, shown, unit: metric.unit })));
    return { kind: 'invalid' };
  }
  const amount = q.kind === 'compound' ? q.value + q.extra : q.value;
  const total = targetTotal(target);
  if (total > 0 && amount > ABSURD_TIMES_TARGET * total) {
    ctx.issues.push(issue('far-beyond-target', { sheet: ctx.sheet, cell }, msg('issue.far-beyond-target', { cell, metric: metric.id, label: metric.label, amount: formatAmount(amount), target: formatAmount(total), unit: metric.unit, times: ABSURD_TIMES_TARGET })));
    return { kind: 'invalid' };
  }
  if (total > 0 && amount > 1.5 * total) {
    ctx.add('far-above-target', cell, msg('issue.far-above-target', { cell, metric: what, amount: formatAmount(amount), unit: metric.unit, total: formatAmount(total) }));
  }
  return { kind: 'value', value: amount };
}

/** A rate metric's 累計完成: the rate reached, as a fraction. "83%" and 0.83 read the same; 83 reads as 83% with a warning. */
function rateReached(ctx: Context, cell: string, what: Message, shown: string, q: Quantity, metric: Metric): Completed {
  let rate: number;
  if (q.kind === 'rate') rate = q.value;
  else if (q.kind === 'count' && (!q.unit || q.unit === '%')) {
    rate = q.value;
    if (rate > 1 && rate <= 100) {
      rate = roundTo(q.value / 100, 6);
      ctx.add('rate-as-percent-points', cell, msg('issue.rate-as-percent-points', { cell, metric: what, shown, fraction: formatAmount(rate) }), {
        value: rate,
        numberFormat: '0.0%',
        description: msg('fix.rate-as-percent-points', { rate: formatPercent(rate) }),
      });
    }
  } else {
    ctx.add('unit-mismatch', cell, msg('issue.unit-mismatch.rate', { cell, metric: what, rate: formatPercent(metric.cityTarget), shown }));
    return { kind: 'invalid' };
  }
  if (rate > 1) {
    ctx.add('rate-above-100', cell, msg('issue.rate-above-100', { cell, metric: what, shown }));
    return { kind: 'invalid' };
  }
  return { kind: 'value', value: rate };
}

function notANumber(ctx: Context, cell: string, what: Message, shown: string, reason?: Message): Completed {
  const message = reason ? msg('issue.not-a-number.because', { cell, metric: what, shown, reason }) : msg('issue.not-a-number', { cell, metric: what, shown });
  ctx.add('not-a-number', cell, message);
  return { kind: 'invalid' };
}

function negativeNumber(value: CellValue): number | undefined {
  if (typeof value === 'number') return value < 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const t = squeeze(toHalfWidth(value)).replace(/[−–—]/g, '-');
  const m = /^-(\d+(?:\.\d+)?)/.exec(t);
  return m && Number(m[1]) > 0 ? -Number(m[1]) : undefined;
}
