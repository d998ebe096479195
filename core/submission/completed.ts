// The 累計完成 cell: the cumulative amount since the start of the year, in the metric's terms. Blank is no
// report, never zero; anything else that is not an amount in the metric's unit is an error at that cell.
import { formatAmount, formatPercent, roundTo } from '../format';
import { a1, isBlank, type CellValue } from '../grid';
import type { Metric, Quantity, Target } from '../model';
import { issue } from '../issues';
import { msg } from '../messages';
import { parseQuantity, sameUnit } from '../quantity';
import { squeeze, tidyText, toHalfWidth } from '../text';
import type { Context } from './context';
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
  const what = `指標${metric.id}「${metric.label}」`;
  const formula = ctx.view.formula(row, col);
  if (isBlank(value) && formula) {
    // A file written by a program that never calculated it: the value Excel would show is unknown, and blank would read as "not reported".
    ctx.add({ code: 'formula-without-value', severity: 'error', cell, message: `${cell}：${what}的累計完成是公式「${formula}」，但文件中沒有保存它的計算結果。請在Excel中打開此文件、保存後再提交，或直接填寫數字。` });
    return { kind: 'invalid' };
  }
  if (isBlank(value)) return { kind: 'blank' };
  const shown = typeof value === 'string' ? tidyText(value) : String(value);
  const negative = negativeNumber(value);
  if (negative !== undefined) {
    ctx.add({
      code: 'negative-value',
      severity: 'error',
      cell,
      message: `${cell}：${what}的累計完成「${shown}」是負數。累計完成是${asOf ? `截至${asOf}` : ''}自年初起的累計數，不能小於0。`,
    });
    return { kind: 'invalid' };
  }
  if (typeof value === 'boolean' || (typeof value === 'number' && !Number.isFinite(value))) return notANumber(ctx, cell, what, shown, '');
  const parsed = parseQuantity(value, format);
  if (!parsed.ok) return notANumber(ctx, cell, what, shown, parsed.message);
  const q = parsed.quantity;
  if (q.kind === 'none') return { kind: 'blank' };
  if (metric.kind === 'rate') return rateReached(ctx, cell, what, shown, q, metric);

  if (q.kind === 'rate') {
    const total = targetTotal(target);
    const amount = roundTo(q.value * total, 4);
    ctx.add({
      code: 'percent-for-amount',
      severity: 'error',
      cell,
      message: `${cell}：${what}按數量報送，累計完成應填${metric.unit || '數量'}數，不能填百分比「${shown}」。年度目標是${formatAmount(total)}${metric.unit}，請填寫實際完成的數量。`,
      fix: { value: amount, description: `按年度目標${formatAmount(total)}${metric.unit}的${formatPercent(q.value)}折算為${formatAmount(amount)}${metric.unit}` },
    });
    return { kind: 'invalid' };
  }
  const unit = q.unit;
  if (unit && metric.unit && !sameUnit(unit, metric.unit)) {
    ctx.add({
      code: 'unit-mismatch',
      severity: 'error',
      cell,
      message: `${cell}：${what}的累計完成「${shown}」單位是「${unit}」，但該指標以「${metric.unit}」計。請換算成${metric.unit}後只填數字。`,
    });
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
    ctx.add({
      code: 'far-above-target',
      severity: 'warning',
      cell,
      message: `${cell}：${what}的累計完成${formatAmount(amount)}${metric.unit}超過年度目標${formatAmount(total)}${metric.unit}的1.5倍，請核實是否多打了數位或單位有誤。`,
    });
  }
  return { kind: 'value', value: amount };
}

/** A rate metric's 累計完成: the rate reached, as a fraction. "83%" and 0.83 read the same; 83 reads as 83% with a warning. */
function rateReached(ctx: Context, cell: string, what: string, shown: string, q: Quantity, metric: Metric): Completed {
  let rate: number;
  if (q.kind === 'rate') rate = q.value;
  else if (q.kind === 'count' && (!q.unit || q.unit === '%')) {
    rate = q.value;
    if (rate > 1 && rate <= 100) {
      rate = roundTo(q.value / 100, 6);
      ctx.add({
        code: 'rate-as-percent-points',
        severity: 'warning',
        cell,
        message: `${cell}：${what}是比率指標，「${shown}」已按${shown}%理解。請直接填寫百分數（如${shown}%）或小數（如${formatAmount(rate)}）。`,
        fix: { value: rate, numberFormat: '0.0%', description: `改為${formatPercent(rate)}` },
      });
    }
  } else {
    ctx.add({
      code: 'unit-mismatch',
      severity: 'error',
      cell,
      message: `${cell}：${what}是比率指標（目標${formatPercent(metric.cityTarget)}），累計完成應填達到的比率（如82%），不能填「${shown}」。`,
    });
    return { kind: 'invalid' };
  }
  if (rate > 1) {
    ctx.add({ code: 'rate-above-100', severity: 'error', cell, message: `${cell}：${what}的比率「${shown}」超過100%，請核實。` });
    return { kind: 'invalid' };
  }
  return { kind: 'value', value: rate };
}

function notANumber(ctx: Context, cell: string, what: string, shown: string, reason: string): Completed {
  ctx.add({
    code: 'not-a-number',
    severity: 'error',
    cell,
    message: `${cell}：${what}的累計完成「${shown}」不是數字${reason ? `（${reason}）` : ''}。請只填數字；尚無數據請留空，並在備註中說明。`,
  });
  return { kind: 'invalid' };
}

function negativeNumber(value: CellValue): number | undefined {
  if (typeof value === 'number') return value < 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const t = squeeze(toHalfWidth(value)).replace(/[−–—]/g, '-');
  const m = /^-(\d+(?:\.\d+)?)/.exec(t);
  return m && Number(m[1]) > 0 ? -Number(m[1]) : undefined;
}
