// A project's progress against its work plan: one line per district (cumulative completion over the
// report dates), the plan's numeric milestones as a red step line, and every milestone numbered on
// the time axis with its text listed under the chart (qualitative steps have no number to draw).
// A project with several metrics is drawn as their equal-weight mean, as the ranking scores it.
import type { TopLevelSpec } from 'vega-lite';
import { t, type Lang } from '../../core/messages';
import type { MetricRow, MilestoneRow, ProgressPoint, ProjectRow } from '../db/rows';
import {
  AXIS_PERCENT_FORMAT,
  districtColour,
  orderedDistricts,
  EXPECTED_COLOUR,
  FIT,
  VEGA_LITE_SCHEMA,
  addDays,
  type ChartLayer,
  chartConfig,
  shortPercentText,
  yearTimeAxis,
  chineseDate,
  chineseMonthDay,
  wrapText,
} from './theme';

export const PROJECT_PROGRESS_WIDTH = 900;
const PLOT_HEIGHT = 300;
const FOOTNOTE_LINE = 18;
const TITLE_LINE = 26;
const SUBTITLE_LINE = 18;
/** Subtitle, axes, the gap before the footnotes, padding. */
const FRAME_HEIGHT = 150;
const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

export interface ProjectProgressSeriesPoint {
  district: string;
  as_of: string;
  /** Mean over the district's metrics of min(completion, 1); a metric not reported yet counts 0. */
  completion: number;
}

/** Per district and report date, the project's completion (equal-weight mean of capped metric completion). */
export function projectSeries(metricIds: readonly string[], progress: readonly ProgressPoint[]): ProjectProgressSeriesPoint[] {
  const wanted = new Set(metricIds);
  const points = progress.filter((p) => wanted.has(p.metric_id));
  const metricsOf = new Map<string, Set<string>>();
  const value = new Map<string, number>();
  const dates = new Map<string, Set<string>>();
  for (const p of points) {
    if (!metricsOf.has(p.district)) metricsOf.set(p.district, new Set());
    metricsOf.get(p.district)!.add(p.metric_id);
    if (!dates.has(p.district)) dates.set(p.district, new Set());
    dates.get(p.district)!.add(p.as_of);
    value.set(`${p.district}|${p.metric_id}|${p.as_of}`, Math.min(p.completion, 1));
  }
  const series: ProjectProgressSeriesPoint[] = [];
  for (const district of orderedDistricts(metricsOf.keys())) {
    const metrics = [...metricsOf.get(district)!];
    for (const as_of of [...dates.get(district)!].sort()) {
      const sum = metrics.reduce((s, m) => s + (value.get(`${district}|${m}|${as_of}`) ?? 0), 0);
      series.push({ district, as_of, completion: sum / metrics.length });
    }
  }
  return series;
}

/** A metric's expected ratio from a milestone: the ratio, or for rate metrics the rate over the target rate. */
function expectedRatio(m: MilestoneRow, metric: MetricRow | undefined): number | null {
  if (m.expected_ratio !== null) return Math.min(m.expected_ratio, 1);
  if (m.expected_rate !== null && metric && metric.kind === 'rate' && metric.city_target > 0) {
    return Math.min(m.expected_rate / metric.city_target, 1);
  }
  return null;
}

export interface ExpectationStep {
  date: string;
  /** Mean over the project's metrics of the latest numeric milestone due on or before `date` (0 before any). */
  expected: number;
}

/** The plan's expectation as a step function: one step per due date of a numeric milestone. */
export function expectationSteps(metrics: readonly MetricRow[], milestones: readonly MilestoneRow[]): ExpectationStep[] {
  const byMetric = new Map<string, { date: string; ratio: number }[]>();
  for (const metric of metrics) byMetric.set(metric.metric_id, []);
  for (const m of milestones) {
    const metric = metrics.find((x) => x.metric_id === m.metric_id);
    const ratio = expectedRatio(m, metric);
    if (ratio !== null && byMetric.has(m.metric_id)) byMetric.get(m.metric_id)!.push({ date: m.due_date, ratio });
  }
  const dates = [...new Set([...byMetric.values()].flatMap((list) => list.map((x) => x.date)))].sort();
  const ids = [...byMetric.keys()];
  if (ids.length === 0) return [];
  return dates.map((date) => {
    const sum = ids.reduce((s, id) => {
      // As lag.sql: the latest numeric milestone due on or before the date; on the same day the highest.
      const due = byMetric.get(id)!.filter((x) => x.date <= date);
      const latest = due.reduce<string | null>((d, x) => (d === null || x.date > d ? x.date : d), null);
      const onLatest = due.filter((x) => x.date === latest).map((x) => x.ratio);
      return s + (onLatest.length > 0 ? Math.max(...onLatest) : 0);
    }, 0);
    return { date, expected: sum / ids.length };
  });
}

export interface MilestoneNote {
  mark: string;
  date: string;
  /** Recurring steps ("5月-8月每月..."): when the period starts. */
  from?: string;
  text: string;
  numeric: boolean;
}

/** Every distinct milestone (date, text) of the project, in date order, numbered ①②③ ... */
export function milestoneNotes(metrics: readonly MetricRow[], milestones: readonly MilestoneRow[]): MilestoneNote[] {
  const seen = new Map<string, MilestoneNote>();
  const ids = new Set(metrics.map((m) => m.metric_id));
  const sorted = milestones
    .filter((m) => ids.has(m.metric_id))
    .sort((a, b) => (a.due_date < b.due_date ? -1 : a.due_date > b.due_date ? 1 : a.metric_id.localeCompare(b.metric_id, 'en', { numeric: true })));
  for (const m of sorted) {
    const key = `${m.due_date}|${m.text}`;
    const numeric = expectedRatio(m, metrics.find((x) => x.metric_id === m.metric_id)) !== null;
    const known = seen.get(key);
    if (known) known.numeric ||= numeric;
    else seen.set(key, { mark: '', date: m.due_date, ...(m.from_date ? { from: m.from_date } : {}), text: m.text, numeric });
  }
  return [...seen.values()].map((note, i) => ({ ...note, mark: CIRCLED[i] ?? `(${i + 1})` }));
}

/** Characters (CJK = 1) that fit one footnote line at 12 px across the chart. */
const FOOTNOTE_UNITS = 66;

/** "① 3月31日：text", wrapped; continuation lines are indented under the text. */
export function footnoteLines(notes: readonly MilestoneNote[], lang: Lang): string[] {
  return notes.flatMap((n) => {
    const head = n.from
      ? t(lang, 'chart.project.footnote-span', { mark: n.mark, from: chineseMonthDay(n.from, lang), to: chineseMonthDay(n.date, lang) })
      : t(lang, 'chart.project.footnote', { mark: n.mark, date: chineseMonthDay(n.date, lang) });
    const indent = '\u3000'.repeat(4);
    const [first, ...rest] = wrapText(`${head}${n.text}`, FOOTNOTE_UNITS);
    return [first, ...wrapText(rest.join(''), FOOTNOTE_UNITS - 4).map((l) => `${indent}${l}`)];
  });
}

interface EndLabel {
  district: string;
  as_of: string;
  completion: number;
  label_at: string;
  label_y: number;
}

/**
 * Names at the end of each line, pushed apart so none overlap (at least `gap` apart in y units)
 * and kept inside 0..1.
 */
export function endLabels(series: readonly ProjectProgressSeriesPoint[], gap: number, offsetDays: number): EndLabel[] {
  const last = new Map<string, ProjectProgressSeriesPoint>();
  for (const p of series) {
    const seen = last.get(p.district);
    if (!seen || p.as_of > seen.as_of) last.set(p.district, p);
  }
  const labels = [...last.values()]
    .map((p) => ({ ...p, label_at: addDays(p.as_of, offsetDays), label_y: p.completion }))
    .sort((a, b) => b.completion - a.completion || a.district.localeCompare(b.district));
  for (let i = 1; i < labels.length; i++) labels[i].label_y = Math.min(labels[i].label_y, labels[i - 1].label_y - gap);
  const overflow = labels.length > 0 ? Math.max(0, -labels[labels.length - 1].label_y) : 0;
  for (const l of labels) l.label_y += overflow;
  // Shifting up may push the top ones above 100%; the spacing wins over the exact height then.
  return labels;
}

export function projectProgressChart(
  project: ProjectRow,
  metrics: readonly MetricRow[],
  milestones: readonly MilestoneRow[],
  progress: readonly ProgressPoint[],
  lang: Lang,
): TopLevelSpec {
  const own = metrics.filter((m) => m.project_no === project.project_no).sort((a, b) => a.k - b.k);
  const ownMilestones = milestones.filter((m) => m.project_no === project.project_no);
  const series = projectSeries(own.map((m) => m.metric_id), progress);
  const steps = expectationSteps(own, ownMilestones);
  const notes = milestoneNotes(own, ownMilestones);
  const districts = orderedDistricts(series.map((p) => p.district));

  const year = (series[0]?.as_of ?? steps[0]?.date ?? notes[0]?.date ?? '2024-01-01').slice(0, 4);
  const yearStart = `${year}-01-01`;
  const lastReport = series.reduce<string | null>((d, p) => (d === null || p.as_of > d ? p.as_of : d), null);
  const titleLines = wrapText(t(lang, 'chart.project.title', { no: project.project_no, name: project.name }), 40);

  // From 1 January at 0 to the last step's riser; after that the last level simply holds.
  const stepValues = steps.length === 0 ? [] : [{ date: yearStart, expected: 0 }, ...steps];
  // 100% needs no label: the step reaching the top of the axis says it.
  const stepLabels = steps.filter((s) => s.expected < 1).map((s) => ({ ...s, text: shortPercentText(s.expected) }));
  const labelGap = 15 / PLOT_HEIGHT;
  const labels = endLabels(series, labelGap, 7);
  const metricNote = own.length > 1 ? t(lang, 'chart.project.metrics-averaged', { count: own.length }) : '';
  const subtitle = wrapText(
    [
      lastReport
        ? t(lang, 'chart.project.progress', { date: chineseDate(lastReport, lang), averaged: metricNote })
        : t(lang, 'chart.project.no-progress'),
      ...(steps.length > 0 ? [t(lang, 'chart.project.steps')] : []),
      ...(notes.length > 0 ? [t(lang, 'chart.project.notes')] : []),
    ].join('；'),
    62,
  );
  const height =
    FRAME_HEIGHT + PLOT_HEIGHT + TITLE_LINE * titleLines.length + SUBTITLE_LINE * subtitle.length + FOOTNOTE_LINE * footnoteLines(notes, lang).length;

  const x = yearTimeAxis('date', Number(year), lang);
  const y = {
    type: 'quantitative' as const,
    scale: { domain: [0, 1], clamp: true },
    axis: { title: t(lang, 'chart.project.axis'), format: AXIS_PERCENT_FORMAT, titleAngle: 0, titleAlign: 'left' as const, titleY: -30, titleX: -40, tickCount: 5 },
  };
  const colour = {
    field: 'district',
    type: 'nominal' as const,
    scale: { domain: districts, range: districts.map(districtColour) },
    legend: null,
  };
  // Milestone texts run long (up to a hundred characters): wrapped, continuation lines indented.
  const noteLines = footnoteLines(notes, lang).map((line, i) => ({ line, offset: i * FOOTNOTE_LINE }));

  const markerLabels = [...new Set(notes.map((n) => n.date))].map((date) => ({
    date,
    mark: notes.filter((n) => n.date === date).map((n) => n.mark).join(''),
  }));

  const layers: ChartLayer[] = [
    {
      data: { values: markerLabels },
      mark: { type: 'rule', strokeDash: [3, 3], color: '#9a9a9a', strokeWidth: 1 },
      encoding: { x: { ...x, field: 'date' } },
    },
    {
      data: { values: stepValues },
      mark: { type: 'line', interpolate: 'step-after', color: EXPECTED_COLOUR, strokeWidth: 3, strokeDash: [8, 4] },
      encoding: { x, y: { ...y, field: 'expected' } },
    },
    {
      data: { values: series.map((p) => ({ ...p, date: p.as_of })) },
      mark: { type: 'line', strokeWidth: 2, point: { size: 28, filled: true } },
      encoding: { x, y: { ...y, field: 'completion' }, color: colour, detail: { field: 'district' } },
    },
    // The required level at each step, left of its riser, on a white halo so crossing lines do not hide it.
    ...['#ffffff', EXPECTED_COLOUR].map((ink): ChartLayer => ({
      data: { values: stepLabels },
      mark: {
        type: 'text',
        align: 'right',
        baseline: 'bottom',
        dx: -5,
        dy: -2,
        fontSize: 12,
        fontWeight: 'bold',
        color: ink,
        ...(ink === '#ffffff' ? { stroke: '#ffffff', strokeWidth: 4, strokeJoin: 'round' } : {}),
      },
      encoding: { x, y: { ...y, field: 'expected' }, text: { field: 'text' } },
    })),
    {
      // Leader lines from each line's last point to its name (two points per district).
      data: {
        values: labels.flatMap((l) => [
          { district: l.district, date: l.as_of, y: l.completion },
          { district: l.district, date: l.label_at, y: l.label_y },
        ]),
      },
      mark: { type: 'line', strokeWidth: 0.8, opacity: 0.7 },
      encoding: { x, y: { ...y, field: 'y' }, color: colour, detail: { field: 'district' } },
    },
    {
      // A white halo first: when reports stop before the year's end the names sit inside the plot.
      data: { values: labels.map((l) => ({ ...l, date: l.label_at })) },
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: 12, color: '#ffffff', stroke: '#ffffff', strokeWidth: 4, strokeJoin: 'round' },
      encoding: { x, y: { ...y, field: 'label_y' }, text: { field: 'district' } },
    },
    {
      data: { values: labels.map((l) => ({ ...l, date: l.label_at })) },
      mark: { type: 'text', align: 'left', baseline: 'middle', dx: 3, fontSize: 12 },
      encoding: { x, y: { ...y, field: 'label_y' }, text: { field: 'district' }, color: colour },
    },
    {
      // The milestone numbers along the top of the plot, one label per date ("①②" when two fall together).
      data: { values: markerLabels },
      mark: { type: 'text', baseline: 'bottom', dy: -18, fontSize: 13, color: '#333333' },
      encoding: { x, y: { value: 0 }, text: { field: 'mark' } },
    },
    {
      // The milestone texts under the axis, one line each, cut to the chart's width.
      data: { values: noteLines },
      // y is in px below the plot's bottom edge (scale: null), whatever height the fit leaves the plot.
      mark: { type: 'text', align: 'left', baseline: 'top', fontSize: 12, color: '#333333', dy: { expr: 'height + 36' } },
      encoding: {
        x: { value: -40 },
        y: { field: 'offset', type: 'quantitative', scale: null },
        text: { field: 'line' },
      },
    },
  ];

  return {
    $schema: VEGA_LITE_SCHEMA,
    width: PROJECT_PROGRESS_WIDTH,
    height,
    autosize: FIT,
    config: chartConfig(),
    title: {
      text: titleLines,
      fontSize: 18,
      subtitle,
    },
    layer: layers,
  };
}
