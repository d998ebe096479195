// One district's course over the year: its schedule attainment (進度達成率) and mean completion
// (完成率) at each report date, as the ranking computes them, in the ranking chart's colours (blue
// attainment, near-black completion). For the annotated copy of the district's own submission.
import type { TopLevelSpec } from 'vega-lite';
import { t, type Lang } from '../../core/messages';
import type { TrendPoint } from '../db/rows';
import {
  ATTAINMENT_COLOUR,
  AXIS_PERCENT_FORMAT,
  COMPLETION_COLOUR,
  attainmentLabel,
  completionLabel,
  FIT,
  VEGA_LITE_SCHEMA,
  chartConfig,
  chineseDate,
  shortPercentText,
  yearTimeAxis,
} from './theme';

export const DISTRICT_TREND_WIDTH = 900;
export const DISTRICT_TREND_HEIGHT = 440;

export function districtTrendChart(district: string, points: readonly TrendPoint[], lang: Lang): TopLevelSpec {
  const attainmentText = attainmentLabel(lang);
  const completionText = completionLabel(lang);
  const sorted = [...points].sort((a, b) => (a.as_of < b.as_of ? -1 : a.as_of > b.as_of ? 1 : 0));
  const values = sorted.flatMap((p) => [
    ...(p.schedule_attainment === null
      ? []
      : [{ date: p.as_of, measure: attainmentText, value: p.schedule_attainment, text: shortPercentText(p.schedule_attainment) }]),
    { date: p.as_of, measure: completionText, value: Math.min(p.completion, 1), text: shortPercentText(Math.min(p.completion, 1)) },
  ]);
  const year = Number((sorted[0]?.as_of ?? '2024-01-01').slice(0, 4));
  const x = yearTimeAxis('date', year, lang);
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    scale: { domain: [0, 1], clamp: true },
    axis: { title: null, format: AXIS_PERCENT_FORMAT, tickCount: 5 },
  };
  const colour = {
    field: 'measure',
    type: 'nominal' as const,
    scale: { domain: [attainmentText, completionText], range: [ATTAINMENT_COLOUR, COMPLETION_COLOUR] },
    legend: { title: null, orient: 'top' as const, direction: 'horizontal' as const, symbolType: 'stroke', symbolStrokeWidth: 3, symbolSize: 500, symbolOpacity: 1 },
  };
  const first = sorted[0]?.as_of;
  const last = sorted[sorted.length - 1]?.as_of;

  return {
    $schema: VEGA_LITE_SCHEMA,
    width: DISTRICT_TREND_WIDTH,
    height: DISTRICT_TREND_HEIGHT,
    autosize: FIT,
    config: chartConfig(),
    title: {
      text: t(lang, 'chart.trend.title', { district }),
      subtitle: first && last ? t(lang, 'chart.trend.subtitle', { from: chineseDate(first, lang), to: chineseDate(last, lang) }) : t(lang, 'chart.trend.none'),
    },
    data: { values },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 3, point: { size: 60, filled: true } },
        encoding: {
          x,
          y,
          color: colour,
          // Completion dashed: the two lines stay apart in grey print (one legend shows colour and dash).
          strokeDash: { field: 'measure', type: 'nominal', scale: { domain: [attainmentText, completionText], range: [[1, 0], [7, 4]] } },
        },
      },
      // Each value above its point (attainment) or below it (completion), so the two rows of labels do not meet.
      ...([
        [attainmentText, -10, 'bottom'],
        [completionText, 10, 'top'],
      ] as const).map(([measure, dy, baseline]) => ({
        transform: [{ filter: { field: 'measure', equal: measure } }],
        mark: { type: 'text' as const, fontSize: 12, fontWeight: 'bold' as const, dy, baseline },
        encoding: { x, y, text: { field: 'text' }, color: colour },
      })),
    ],
  };
}
