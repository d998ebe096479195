// What every chart shares: the font, text sizes, district order and colours, the status words and
// colours (core/lagStatus.ts), and how percentages and dates are written. Charts are printed on A4
// landscape, often in grey: the status colours are chosen for that.
import { columnLabel } from '../output/columnLabels';
import type { Config, TopLevelSpec } from 'vega-lite';
import { DISTRICTS } from '../../core/districts';
import { districtOrderOf } from '../../core/districtNames';
import { LAG_STATUS_COLOURS, LAG_STATUSES_BEST_FIRST, SERIOUSLY_BEHIND_GAP, lagStatusLabel, type LagStatus } from '../../core/lagStatus';
import { t, type Lang } from '../../core/messages';
import { CHART_FONT_FAMILY } from './fonts';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** One layer of a layered chart, as Vega-Lite types it. */
export type ChartLayer = NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']>[number];

/** A status's word on a chart: the same as in every table and the CLI. */
export function chartStatusLabel(status: LagStatus, lang: Lang): string {
  return lagStatusLabel(status, lang);
}

/** A status legend, best first: its labels (the colour scale's domain) and their colours (its range). */
export function statusLegendScale(lang: Lang): { domain: string[]; range: string[] } {
  return { domain: LAG_STATUSES_BEST_FIRST.map((s) => chartStatusLabel(s, lang)), range: LAG_STATUSES_BEST_FIRST.map((s) => LAG_STATUS_COLOURS[s]) };
}

/** The 掛牌督辦 marker: a white dot ringed in black, visible on every status colour and in grey. */
export const SUPERVISION_MARK_COLOUR = '#000000';
export function supervisionLabel(lang: Lang): string {
  return t(lang, 'status.supervision.legend', { points: Math.round(SERIOUSLY_BEHIND_GAP * 100) });
}

/** Ranking and trend colours: attainment is the blue bar/line, completion the near-black tick/line. */
export const ATTAINMENT_COLOUR = '#3b6ea5';
export const COMPLETION_COLOUR = '#222222';
export const EXPECTED_COLOUR = '#c0302b';
export const attainmentLabel = (lang: Lang): string => columnLabel(lang, 'schedule_attainment');
export const completionLabel = (lang: Lang): string => t(lang, 'chart.completion');


/**
 * One colour per district, the same in every chart (districts keep their colour from project to
 * project). Grey printing cannot tell 15 lines apart, so line charts also label each line by name.
 */
const DISTRICT_PALETTE = [
  '#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf',
  '#bcbd22', '#393b79', '#7f7f7f', '#637939', '#ad494a', '#006d6f', '#b5651d',
];
/** A district's colour, however the plan spells it (grey for a name the registry does not know). */
export function districtColour(name: string): string {
  const order = districtOrderOf(name);
  return order < DISTRICTS.length ? DISTRICT_PALETTE[order % DISTRICT_PALETTE.length] : '#555555';
}

/**
 * Districts present, in the column order of 附件2 (市本級 first), however the plan spells them: the
 * order of every district axis. Names the registry does not know come last, alphabetically: they still show.
 */
export function orderedDistricts(names: Iterable<string>): string[] {
  return [...new Set(names)].sort((a, b) => districtOrderOf(a) - districtOrderOf(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Percent with one decimal (d3-format), for labels: 0.925 → "92.5%". */
export const PERCENT_FORMAT = '.1%';
/** Whole percent, for axes: 0.9 → "90%". */
export const AXIS_PERCENT_FORMAT = '.0%';

/** "2024-09-30" → "2024年9月30日" (titles; plain string work, no time zone involved). */
export function chineseDate(isoDate: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return isoDate;
  return t(lang, 'date.long', { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) });
}

/** The same as JS, for labels computed in TypeScript: 0.925 → "92.5%". */
export function percentText(ratio: number): string {
  return `${(Math.round(ratio * 1000) / 10).toFixed(1)}%`;
}

/** Width in CSS px of a chart meant to fill the width of an A4 landscape page (27 cm printable). */
export const PAGE_WIDTH = 1000;

/**
 * The Vega-Lite config every chart uses: the shipped font everywhere text is drawn, text sizes that
 * stay readable when a 1000 px chart is printed 27 cm wide (12 px ≈ 8.5 pt), light grid lines.
 */
/** Axis and legend text: the shipped font, one size and colour. */
const LABEL_TEXT = {
  labelFont: CHART_FONT_FAMILY,
  titleFont: CHART_FONT_FAMILY,
  labelFontSize: 13,
  titleFontSize: 13,
  titleFontWeight: 'bold',
  labelColor: '#222222',
  titleColor: '#222222',
} as const;

export function chartConfig(): Config {
  return {
    font: CHART_FONT_FAMILY,
    background: '#ffffff',
    padding: 12,
    view: { stroke: null },
    title: { font: CHART_FONT_FAMILY, fontSize: 20, fontWeight: 'bold', anchor: 'start', color: '#111111', subtitleFont: CHART_FONT_FAMILY, subtitleFontSize: 13, subtitleColor: '#444444', offset: 14 },
    axis: {
      ...LABEL_TEXT,
      gridColor: '#e3e3e3',
      domainColor: '#888888',
      tickColor: '#888888',
    },
    legend: {
      ...LABEL_TEXT,
      symbolSize: 160,
    },
    header: { labelFont: CHART_FONT_FAMILY, titleFont: CHART_FONT_FAMILY, labelFontSize: 13, titleFontSize: 14 },
    text: { font: CHART_FONT_FAMILY, fontSize: 12 },
    mark: { font: CHART_FONT_FAMILY },
  };
}

/** Every chart is a fixed size in CSS px: the whole picture, title and legend included, fits it exactly. */
export const FIT = { type: 'fit', contains: 'padding' } as const;

/** '“幸福助老”在杭州' → '幸福助老': the quoted part of a category name, for narrow labels. */
export function shortCategoryName(name: string): string {
  const quoted = /[“"「『]([^”"」』]+)[”"」』]/.exec(name);
  return (quoted ? quoted[1] : name).trim();
}

/** ISO day arithmetic in UTC, so dates never shift with the machine's time zone. */
export function addDays(isoDate: string, days: number): string {
  const t = Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10)));
  return new Date(t + days * 86_400_000).toISOString().slice(0, 10);
}

/** "2024-09-30" → "9月30日". */
export function chineseMonthDay(isoDate: string, lang: Lang): string {
  return t(lang, 'date.month-day', { month: Number(isoDate.slice(5, 7)), day: Number(isoDate.slice(8, 10)) });
}

/**
 * Splits a long title into lines of at most `maxUnits` (a CJK character counts 1, others 0.55),
 * preferring to break after punctuation, so project names never run off the picture.
 */
export function wrapText(text: string, maxUnits: number): string[] {
  const chars = [...text];
  const units = (c: string) => (c.charCodeAt(0) > 0x2e7f ? 1 : 0.55);
  const lines: string[] = [];
  let start = 0;
  while (start < chars.length) {
    let used = 0;
    let end = start;
    let lastBreak = -1;
    while (end < chars.length && used + units(chars[end]) <= maxUnits) {
      used += units(chars[end]);
      if (/[，,、；;。：:）)]/.test(chars[end])) lastBreak = end + 1;
      end++;
    }
    if (end < chars.length && lastBreak > start + (end - start) / 2) end = lastBreak;
    lines.push(chars.slice(start, end).join(''));
    start = end;
  }
  return lines;
}

/** 0.4405 → "44.1%", 1 → "100%": one decimal only where it says something. */
export function shortPercentText(ratio: number): string {
  return percentText(ratio).replace(/\.0%$/, '%');
}

/** ISO date → UTC milliseconds, the unit of the temporal scales. */
export function utcTime(isoDate: string): number {
  return Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10)));
}

/**
 * An x encoding for a plan year, 1 January to 31 December, on a UTC scale (data dates are
 * 'YYYY-MM-DD', which Vega reads as UTC midnight), so the picture never depends on the machine's
 * time zone. Reports and milestones fall on month ends, so the ticks do too ("3月底").
 */
export function yearTimeAxis(field: string, year: number, lang: Lang) {
  const monthEnds = Array.from({ length: 12 }, (_, m) =>
    m === 11 ? utcTime(`${year}-12-31`) : utcTime(addDays(`${year}-${String(m + 2).padStart(2, '0')}-01`, -1)),
  );
  return {
    field,
    type: 'temporal' as const,
    scale: { type: 'utc' as const, domain: [utcTime(`${year}-01-01`), utcTime(`${year}-12-31`)] },
    axis: { title: null, values: monthEnds, format: t(lang, 'date.month-end-format'), grid: true, labelFontSize: 12 },
  };
}
