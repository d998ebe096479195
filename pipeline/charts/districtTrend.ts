// One district's course over the year: its schedule attainment (進度達成率) and mean completion
// (完成率) at each report date, as the ranking computes them, in the ranking chart's colours (blue
// attainment, near-black completion). For the annotated copy of the district's own submission.
import type { TopLevelSpec } from 'vega-lite';
import type { TrendPoint } from '../db/rows';
import {
  ATTAINMENT_COLOUR,
  ATTAINMENT_LABEL,
  AXIS_PERCENT_FORMAT,
  COMPLETION_COLOUR,
  COMPLETION_LABEL,
  FIT,
  VEGA_LITE_SCHEMA,
  chartConfig,
  chineseDate,
  shortPercentText,
  yearTimeAxis,
} from './theme';

export const DISTRICT_TREND_WIDTH = 900;
export const DISTRICT_TREND_HEIGHT = 440;

export function districtTrendChart(district: string, points: readonly TrendPoint[]): TopLevelSpec {
  const sorted = [...points].sort((a, b) => (a.as_of < b.as_of ? -1 : a.as_of > b.as_of ? 1 : 0));
  const values = sorted.flatMap((p) => [
    ...(p.schedule_attainment === null
      ? []
      : [{ date: p.as_of, measure: ATTAINMENT_LABEL, value: p.schedule_attainment, text: shortPercentText(p.schedule_attainment) }]),
    { date: p.as_of, measure: COMPLETION_LABEL, value: Math.min(p.completion, 1), text: shortPercentText(Math.min(p.completion, 1)) },
  ]);
  const year = Number((sorted[0]?.as_of ?? '2024-01-01').slice(0, 4));
  const x = yearTimeAxis('date', year);
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    scale: { domain: [0, 1], clamp: true },
    axis: { title: null, format: AXIS_PERCENT_FORMAT, tickCount: 5 },
  };
  const colour = {
    field: 'measure',
    type: 'nominal' as const,
    scale: { domain: [ATTAINMENT_LABEL, COMPLETION_LABEL], range: [ATTAINMENT_COLOUR, COMPLETION_COLOUR] },
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
      text: `${district}民生實事進度走勢`,
      subtitle:
        first && last
          ? `${chineseDate(first)}至${chineseDate(last)}各次報送；進度達成率＝完成率相對計劃節點要求的比例（封頂100%）`
          : '尚無報送',
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
          strokeDash: { field: 'measure', type: 'nominal', scale: { domain: [ATTAINMENT_LABEL, COMPLETION_LABEL], range: [[1, 0], [7, 4]] } },
        },
      },
      // Each value above its point (attainment) or below it (completion), so the two rows of labels do not meet.
      ...([
        [ATTAINMENT_LABEL, -10, 'bottom'],
        [COMPLETION_LABEL, 10, 'top'],
      ] as const).map(([measure, dy, baseline]) => ({
        transform: [{ filter: { field: 'measure', equal: measure } }],
        mark: { type: 'text' as const, fontSize: 12, fontWeight: 'bold' as const, dy, baseline },
        encoding: { x, y, text: { field: 'text' }, color: colour },
      })),
    ],
  };
}
