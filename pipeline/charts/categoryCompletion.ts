// Completion by category (the notice's 十方面民生實事): per category, the mean completion over every
// (district, metric) it holds, with the plan's requirement at the same date as a red tick, and next to
// it how those (district, metric) pairs split by lag status, in the status colours of every chart.
import type { TopLevelSpec } from 'vega-lite';
import { LAG_STATUSES, LAG_STATUSES_BEST_FIRST, isSupervisionCandidate, type LagStatus } from '../../core/lagStatus';
import { t, type Lang } from '../../core/messages';
import type { CategoryLagRow } from '../db/rows';
import {
  AXIS_PERCENT_FORMAT,
  EXPECTED_COLOUR,
  FIT,
  VEGA_LITE_SCHEMA,
  chartConfig,
  chartStatusLabel,
  chineseDate,
  percentText,
  shortCategoryName,
  statusLegendScale,
} from './theme';

export const CATEGORY_COMPLETION_WIDTH = 1000;
const ROW_HEIGHT = 36;
const FRAME_HEIGHT = 170;

export function categoryCompletionHeight(categoryCount: number): number {
  return FRAME_HEIGHT + ROW_HEIGHT * Math.max(categoryCount, 1);
}

const BAR_COLOUR = '#5a6f86';

export interface CategorySummary {
  category_no: number;
  category: string;
  label: string;
  /** Mean of min(completion, 1) over the category's (district, metric) pairs; nothing reported counts 0. */
  completion: number;
  /** Mean expected_ratio over the same pairs. */
  expected: number;
  pairs: number;
  supervision: number;
  statusCounts: Record<LagStatus, number>;
}

export function summariseCategories(rows: readonly CategoryLagRow[]): CategorySummary[] {
  const byNo = new Map<number, CategoryLagRow[]>();
  for (const r of rows) {
    if (!byNo.has(r.category_no)) byNo.set(r.category_no, []);
    byNo.get(r.category_no)!.push(r);
  }
  return [...byNo.entries()]
    .sort(([a], [b]) => a - b)
    .map(([no, list]) => {
      const statusCounts = Object.fromEntries(LAG_STATUSES.map((s) => [s, 0])) as Record<LagStatus, number>;
      for (const r of list) statusCounts[r.lag_status] += 1;
      const mean = (f: (r: CategoryLagRow) => number) => list.reduce((s, r) => s + f(r), 0) / list.length;
      return {
        category_no: no,
        category: list[0].category,
        label: `${no}. ${shortCategoryName(list[0].category)}`,
        completion: mean((r) => Math.min(r.completion ?? 0, 1)),
        expected: mean((r) => r.expected_ratio),
        pairs: list.length,
        supervision: list.filter(isSupervisionCandidate).length,
        statusCounts,
      };
    });
}

/** Where the status split sits on the x scale (completion bars use 0..1). */
const SPLIT_START = 1.45;
const SPLIT_WIDTH = 0.9;
const X_MAX = SPLIT_START + SPLIT_WIDTH + 0.02;

export function categoryCompletionChart(rows: readonly CategoryLagRow[], lang: Lang): TopLevelSpec {
  const summaries = summariseCategories(rows);
  const asOf = rows[0]?.as_of;
  const labels = summaries.map((s) => s.label);
  const bars = summaries.map((s) => ({
    label: s.label,
    completion: s.completion,
    expected: s.expected,
    completion_text: percentText(s.completion),
    note: s.supervision > 0 ? t(lang, 'chart.category.supervision-note', { count: s.supervision }) : '',
  }));
  const segments = summaries.flatMap((s) => {
    let start = SPLIT_START;
    return LAG_STATUSES_BEST_FIRST.filter((status) => s.statusCounts[status] > 0).map((status) => {
      const width = (SPLIT_WIDTH * s.statusCounts[status]) / s.pairs;
      const segment = {
        label: s.label,
        status_label: chartStatusLabel(status, lang),
        count: s.statusCounts[status],
        x0: start,
        x1: start + width,
        mid: start + width / 2,
        // Counts are written inside segments wide enough to hold them.
        count_text: width >= 0.06 ? String(s.statusCounts[status]) : '',
        dark: status === 'seriously_behind' || status === 'overdue' || status === 'stalled',
      };
      start += width;
      return segment;
    });
  });

  const y = {
    field: 'label',
    type: 'nominal' as const,
    sort: labels,
    scale: { domain: labels, paddingInner: 0.3, paddingOuter: 0.15 },
    axis: { title: null, ticks: false, domain: false, labelFontSize: 14, labelPadding: 8 },
  };
  const x = {
    type: 'quantitative' as const,
    scale: { domain: [0, X_MAX], nice: false, clamp: true },
    axis: { title: null, values: [0, 0.2, 0.4, 0.6, 0.8, 1], format: AXIS_PERCENT_FORMAT, grid: true, domain: false },
  };
  const headers = [
    { at: 0, text: t(lang, 'chart.category.completion-header') },
    { at: SPLIT_START, text: t(lang, 'chart.category.status-header') },
  ];

  return {
    $schema: VEGA_LITE_SCHEMA,
    width: CATEGORY_COMPLETION_WIDTH,
    height: categoryCompletionHeight(summaries.length),
    autosize: FIT,
    config: chartConfig(),
    title: {
      text: t(lang, 'chart.category.title'),
      subtitle: `${asOf ? t(lang, 'chart.as-of-prefix', { date: chineseDate(asOf, lang) }) : ''}${t(lang, 'chart.category.subtitle')}`,
    },
    layer: [
      {
        data: { values: bars },
        mark: { type: 'bar', color: BAR_COLOUR },
        encoding: { y, x: { ...x, field: 'completion' } },
      },
      {
        data: { values: bars },
        mark: { type: 'tick', orient: 'vertical', color: EXPECTED_COLOUR, thickness: 3, bandSize: ROW_HEIGHT, opacity: 1 },
        encoding: { y, x: { ...x, field: 'expected' } },
      },
      {
        data: { values: bars },
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 13, fontWeight: 'bold', color: '#222222' },
        encoding: { y, x: { ...x, datum: 1 }, text: { field: 'completion_text' } },
      },
      {
        data: { values: bars },
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 58, fontSize: 12, color: EXPECTED_COLOUR },
        encoding: { y, x: { ...x, datum: 1 }, text: { field: 'note' } },
      },
      {
        data: { values: segments },
        mark: { type: 'bar', stroke: '#ffffff', strokeWidth: 1 },
        encoding: {
          y,
          x: { ...x, field: 'x0' },
          x2: { field: 'x1' },
          color: {
            field: 'status_label',
            type: 'nominal',
            scale: statusLegendScale(lang),
            legend: { title: t(lang, 'chart.status-legend'), orient: 'bottom', direction: 'horizontal', symbolType: 'square', symbolOpacity: 1, symbolStrokeWidth: 0 },
          },
        },
      },
      {
        data: { values: segments },
        mark: { type: 'text', baseline: 'middle', fontSize: 11 },
        encoding: {
          y,
          x: { ...x, field: 'mid' },
          text: { field: 'count_text' },
          color: { condition: { test: 'datum.dark', value: '#ffffff' }, value: '#222222' },
        },
      },
      {
        data: { values: headers },
        mark: { type: 'text', align: 'left', baseline: 'bottom', fontSize: 12, fontWeight: 'bold', color: '#555555' },
        encoding: { x: { ...x, field: 'at' }, y: { value: -6 }, text: { field: 'text' } },
      },
    ],
  };
}
