// The 晾曬通報 chart: districts in rank order, a bar for schedule attainment (進度達成率), a dark tick for
// completion (完成率), the rank written next to each district ("第1名", "並列第2名" when tied), and the
// figures in columns on the right so the printed page can be read without the bars.
import type { TopLevelSpec } from 'vega-lite';
import { t, type Lang } from '../../core/messages';
import type { RankingRow } from '../db/rows';
import {
  ATTAINMENT_COLOUR,
  AXIS_PERCENT_FORMAT,
  COMPLETION_COLOUR,
  attainmentLabel,
  completionLabel,
  EXPECTED_COLOUR,
  FIT,
  VEGA_LITE_SCHEMA,
  chartConfig,
  chartStatusLabel,
  chineseDate,
  percentText,
} from './theme';

export const RANKING_WIDTH = 900;
const ROW_HEIGHT = 30;
/** Title, subtitle, legend, axis and column headers. */
const FRAME_HEIGHT = 150;

export function rankingChartHeight(districtCount: number): number {
  return FRAME_HEIGHT + ROW_HEIGHT * Math.max(districtCount, 1);
}

/** "第1名", or "並列第2名" when another district has the same score (tie_rank is shared). */
export function rankLabel(row: RankingRow, lang: Lang): string {
  return t(lang, row.tied ? 'chart.rank-tied' : 'chart.rank', { rank: row.tie_rank });
}

/** Where the figure columns sit, in units of the x scale (the bars use 0..1). */
const COLUMNS = { attainment: 1.05, completion: 1.19, seriouslyBehind: 1.33 } as const;
const X_MAX = 1.44;

export function rankingChart(rows: readonly RankingRow[], asOf: string, lang: Lang): TopLevelSpec {
  const attainmentText = attainmentLabel(lang);
  const completionText = completionLabel(lang);
  const ordered = [...rows].sort((a, b) => a.rank - b.rank);
  const districts = ordered.map((r) => r.district);
  const values = ordered.map((r) => ({
    rank: r.rank,
    district: r.district,
    rank_label: rankLabel(r, lang),
    tied: r.tied,
    schedule_attainment: r.schedule_attainment,
    completion: Math.min(r.completion, 1),
    attainment_text: r.schedule_attainment === null ? '—' : percentText(r.schedule_attainment),
    completion_text: percentText(Math.min(r.completion, 1)),
    seriously_behind_count: r.seriously_behind_count,
    seriously_behind_text: r.seriously_behind_count > 0 ? t(lang, 'chart.ranking.count', { count: r.seriously_behind_count }) : '0',
  }));
  const widestRankLabel = Math.max(0, ...values.map((v) => v.rank_label.length));
  const rankColumn = 13 * widestRankLabel + 10;

  const y = {
    field: 'district',
    type: 'nominal' as const,
    sort: districts,
    scale: { domain: districts, paddingInner: 0.28, paddingOuter: 0.15 },
    axis: { title: null, labelPadding: rankColumn + 6, ticks: false, labelFontSize: 14 },
  };
  const x = {
    type: 'quantitative' as const,
    scale: { domain: [0, X_MAX], nice: false, clamp: true },
    axis: {
      title: null,
      values: [0, 0.2, 0.4, 0.6, 0.8, 1],
      format: AXIS_PERCENT_FORMAT,
      grid: true,
      domain: false,
    },
  };
  const colour = {
    type: 'nominal' as const,
    scale: { domain: [attainmentText, completionText], range: [ATTAINMENT_COLOUR, COMPLETION_COLOUR] },
    legend: {
      title: null,
      orient: 'top' as const,
      direction: 'horizontal' as const,
      symbolType: 'square',
      symbolOpacity: 1,
      labelExpr: `datum.label === '${attainmentText}' ? '${t(lang, 'chart.ranking.attainment-legend', { label: attainmentText })}' : '${t(lang, 'chart.ranking.completion-legend', { label: completionText })}'`,
      offset: 8,
    },
  };
  const column = (key: keyof typeof COLUMNS, field: string, extra: Record<string, unknown> = {}) => ({
    mark: { type: 'text' as const, align: 'left' as const, baseline: 'middle' as const, fontSize: 14, ...extra },
    encoding: { y, x: { ...x, datum: COLUMNS[key] }, text: { field } },
  });
  const headers = [
    { at: COLUMNS.attainment, text: t(lang, 'chart.ranking.attainment-header') },
    { at: COLUMNS.completion, text: completionText },
    { at: COLUMNS.seriouslyBehind, text: chartStatusLabel('seriously_behind', lang) },
  ];

  return {
    $schema: VEGA_LITE_SCHEMA,
    width: RANKING_WIDTH,
    height: rankingChartHeight(ordered.length),
    autosize: FIT,
    config: chartConfig(),
    title: {
      text: t(lang, 'chart.ranking.title'),
      subtitle: t(lang, 'chart.ranking.subtitle', { date: chineseDate(asOf, lang) }),
    },
    data: { values },
    layer: [
      {
        mark: { type: 'bar', color: ATTAINMENT_COLOUR },
        encoding: { y, x: { ...x, field: 'schedule_attainment' }, color: { ...colour, datum: attainmentText } },
      },
      {
        mark: { type: 'tick', orient: 'vertical', thickness: 3, bandSize: ROW_HEIGHT * 0.9, opacity: 1 },
        encoding: { y, x: { ...x, field: 'completion' }, color: { ...colour, datum: completionText } },
      },
      {
        // The rank sits between the district name and its bar.
        mark: { type: 'text', align: 'right', baseline: 'middle', dx: -8, fontSize: 13 },
        encoding: {
          y,
          x: { value: 0 },
          text: { field: 'rank_label' },
          color: { condition: { test: 'datum.tied', value: EXPECTED_COLOUR }, value: '#444444' },
        },
      },
      column('attainment', 'attainment_text', { fontWeight: 'bold', color: ATTAINMENT_COLOUR }),
      column('completion', 'completion_text', { color: COMPLETION_COLOUR }),
      {
        ...column('seriouslyBehind', 'seriously_behind_text'),
        encoding: {
          ...column('seriouslyBehind', 'seriously_behind_text').encoding,
          color: { condition: { test: 'datum.seriously_behind_count > 0', value: EXPECTED_COLOUR }, value: '#777777' },
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
