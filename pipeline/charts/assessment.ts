// The 年度考核 chart: one horizontal bar per district (or lead department) in rank order, stacked from its
// components' points in the rules' order, the total written at the end and the tier beside it. A
// component that is missing (缺項) or not recorded draws nothing: the subtitle says so, and what the
// rules did with it, so a short bar is never read as a zero.
import type { TopLevelSpec } from 'vega-lite';
import { t, type Lang } from '../../core/messages';
import type { AssesseeScore } from '../assessment/queries';
import { FIT, VEGA_LITE_SCHEMA, chartConfig, chineseDate, wrapText } from './theme';

export const ASSESSMENT_CHART_WIDTH = 1000;
const ROW_HEIGHT = 30;
const FRAME_HEIGHT = 190;

/** Component colours, in the rules' order: distinct in colour and in grey. */
const COMPONENT_PALETTE = ['#2f5d8a', '#6b9bc3', '#c0392b', '#e59866', '#1e8449', '#82c99a', '#7d3c98', '#b7950b', '#5d6d7e', '#a04000'];

export function assessmentChartHeight(rows: number): number {
  return FRAME_HEIGHT + ROW_HEIGHT * Math.max(rows, 1);
}

export interface AssessmentChartInput {
  type: 'district' | 'lead_unit';
  year: number;
  asOf: string;
  lang: Lang;
  /** In rank order. */
  assessees: (AssesseeScore & { name: string })[];
}

export function assessmentChart(input: AssessmentChartInput): TopLevelSpec {
  const { lang } = input;
  const ordered = [...input.assessees].sort((a, b) => a.rank - b.rank);
  const names = ordered.map((a) => a.name);
  const components = ordered[0]?.components.map((c) => c.component) ?? [];
  const values = ordered.flatMap((a) =>
    a.components
      .filter((c) => c.status === 'scored' && c.points !== null)
      .map((c) => ({ name: a.name, component: c.component, points: c.points, order: components.indexOf(c.component) })),
  );
  const totals = ordered.map((a) => ({
    name: a.name,
    total: a.total,
    label: a.total === null ? t(lang, 'assess.status.missing') : `${Math.round(a.total * 100) / 100}${a.tier ? `\u3000${a.tier}` : ''}${a.award_candidate ? ' ★' : ''}`,
    end: Math.max(0, a.components.reduce((s, c) => s + Math.max(0, c.points ?? 0), 0)),
  }));
  const maxEnd = Math.max(1, ...totals.map((x) => x.end));
  const notes = missingNote(ordered, lang);
  const y = { field: 'name', type: 'nominal' as const, sort: names, scale: { domain: names, paddingInner: 0.25 }, axis: { title: null, labelFontSize: 13, labelLimit: 220 } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    width: ASSESSMENT_CHART_WIDTH,
    height: assessmentChartHeight(ordered.length),
    autosize: FIT,
    config: chartConfig(),
    title: {
      text: t(lang, input.type === 'district' ? 'assess.chart.title.district' : 'assess.chart.title.lead_unit', { year: input.year }),
      subtitle: [t(lang, 'assess.chart.subtitle', { asOf: chineseDate(input.asOf, lang) }), ...wrapText(notes, 66)].filter((line) => line.length > 0),
    },
    data: { values },
    layer: [
      {
        mark: { type: 'bar', stroke: '#ffffff', strokeWidth: 0.5 },
        encoding: {
          y,
          x: { field: 'points', type: 'quantitative', stack: 'zero', scale: { domain: [0, maxEnd * 1.18], nice: false }, axis: { title: t(lang, 'assess.chart.axis'), grid: true } },
          color: {
            field: 'component',
            type: 'nominal',
            scale: { domain: components, range: components.map((_, i) => COMPONENT_PALETTE[i % COMPONENT_PALETTE.length]) },
            legend: { title: null, orient: 'top', direction: 'horizontal', columns: Math.min(components.length, 6), symbolType: 'square' },
          },
          order: { field: 'order', type: 'quantitative' },
          tooltip: [{ field: 'name' }, { field: 'component' }, { field: 'points', format: '.2f' }],
        },
      },
      {
        data: { values: totals },
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 13, fontWeight: 'bold', color: '#222222' },
        encoding: { y, x: { field: 'end', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
}

/** What the missing components did to the totals, in one sentence. */
function missingNote(assessees: readonly AssesseeScore[], lang: Lang): string {
  const components = assessees[0]?.components ?? [];
  const parts: string[] = [];
  components.forEach((c, i) => {
    const missing = assessees.filter((a) => a.components[i].status !== 'scored').length;
    if (missing === 0) return;
    const treatment = t(lang, c.when_missing === 'rescale' ? 'assess.treatment.rescale' : 'assess.treatment.omit');
    parts.push(
      missing === assessees.length
        ? t(lang, 'assess.chart.not-recorded', { component: c.component, treatment })
        : t(lang, 'assess.chart.missing', { component: c.component, count: missing, treatment }),
    );
  });
  return parts.join('');
}
