// The lag heatmap (滯後預警): districts (rows, 附件2 order) × projects (columns, 附件2 numbering),
// each cell coloured by the status that most needs attention among the district's metrics of that
// project, 掛牌督辦 candidates marked with a ringed dot. Sized for a full A4 landscape page.
import type { TopLevelSpec } from 'vega-lite';
import { LAG_STATUSES, SERIOUSLY_BEHIND_GAP, isSupervisionCandidate, type LagStatus } from '../../core/lagStatus';
import { t, type Lang } from '../../core/messages';
import type { LagRow } from '../db/rows';
import {
  orderedDistricts,
  FIT,
  PAGE_WIDTH,
  SUPERVISION_MARK_COLOUR,
  VEGA_LITE_SCHEMA,
  chartConfig,
  chartStatusLabel,
  chineseDate,
  shortCategoryName,
  statusLegendScale,
  supervisionLabel,
} from './theme';

export const LAG_HEATMAP_WIDTH = Math.round(PAGE_WIDTH * 1.1);
const ROW_HEIGHT = 26;
const FRAME_HEIGHT = 200;

export function lagHeatmapHeight(districtCount: number): number {
  return FRAME_HEIGHT + ROW_HEIGHT * Math.max(districtCount, 1);
}

export interface HeatmapCell {
  district: string;
  project_no: number;
  status: LagStatus;
  status_label: string;
  supervision: boolean;
  metric_count: number;
}

/**
 * One cell per (district, project) that has lag rows. A cell shows the status of highest precedence
 * among its metrics (LAG_STATUSES' order), so a project cell reads the way one metric's lag_status does.
 */
export function heatmapCells(rows: readonly LagRow[], lang: Lang): HeatmapCell[] {
  const cells = new Map<string, HeatmapCell>();
  for (const row of rows) {
    const key = `${row.district}\u0000${row.project_no}`;
    const cell = cells.get(key);
    if (!cell) {
      cells.set(key, {
        district: row.district,
        project_no: row.project_no,
        status: row.lag_status,
        status_label: chartStatusLabel(row.lag_status, lang),
        supervision: isSupervisionCandidate(row),
        metric_count: 1,
      });
      continue;
    }
    if (LAG_STATUSES.indexOf(row.lag_status) < LAG_STATUSES.indexOf(cell.status)) {
      cell.status = row.lag_status;
      cell.status_label = chartStatusLabel(row.lag_status, lang);
    }
    cell.supervision ||= isSupervisionCandidate(row);
    cell.metric_count += 1;
  }
  return [...cells.values()];
}


interface CategorySpan {
  category: string;
  first: number;
  last: number;
  /** The project whose band start (even count) or centre (odd count) is the span's middle. */
  anchor: number;
  odd: boolean;
}

function categorySpans(rows: readonly LagRow[], projects: readonly number[]): CategorySpan[] {
  const categoryOf = new Map<number, { no: number; name: string }>();
  for (const r of rows) {
    if (r.category_no != null && r.category) categoryOf.set(r.project_no, { no: r.category_no, name: r.category });
  }
  if (categoryOf.size === 0) return [];
  // Consecutive projects of one category form a span; a project without lag rows (no district
  // targets, so no category known here) joins the span it sits in.
  const groups: { name: string; projects: number[] }[] = [];
  let currentNo: number | undefined;
  for (const p of projects) {
    const c = categoryOf.get(p);
    if (groups.length > 0 && (!c || c.no === currentNo)) groups[groups.length - 1].projects.push(p);
    else if (c) {
      groups.push({ name: c.name, projects: [p] });
      currentNo = c.no;
    }
  }
  return groups.map(({ name, projects: members }) => ({
    category: shortCategoryName(name),
    first: members[0],
    last: members[members.length - 1],
    anchor: members[Math.floor(members.length / 2)],
    odd: members.length % 2 === 1,
  }));
}

export function lagHeatmap(rows: readonly LagRow[], asOf: string, lang: Lang): TopLevelSpec {
  const cells = heatmapCells(rows, lang);
  const supervision = supervisionLabel(lang);
  const districts = orderedDistricts(cells.map((c) => c.district));
  const numbers = cells.map((c) => c.project_no);
  const projects: number[] = [];
  // Every project number from the first to the last, so that numbering reads on even where a
  // project has no district tasks (a blank column says so).
  if (numbers.length > 0) for (let p = Math.min(...numbers); p <= Math.max(...numbers); p++) projects.push(p);
  const spans = categorySpans(rows, projects);
  const grid = districts.flatMap((district) => projects.map((project_no) => ({ district, project_no })));

  const x = {
    field: 'project_no',
    type: 'ordinal' as const,
    scale: { domain: projects, paddingInner: 0, paddingOuter: 0 },
    axis: { title: t(lang, 'chart.heatmap.axis'), labelAngle: 0, labelFontSize: 11, ticks: false, domain: false, labelPadding: 4 },
  };
  const y = {
    field: 'district',
    type: 'nominal' as const,
    sort: districts,
    scale: { domain: districts, paddingInner: 0, paddingOuter: 0 },
    axis: { title: null, ticks: false, domain: false, labelFontSize: 13, labelPadding: 6 },
  };
  const candidates = cells.filter((c) => c.supervision).length;

  return {
    $schema: VEGA_LITE_SCHEMA,
    width: LAG_HEATMAP_WIDTH,
    height: lagHeatmapHeight(districts.length),
    autosize: FIT,
    config: chartConfig(),
    title: {
      text: t(lang, 'chart.heatmap.title'),
      subtitle: [
        t(lang, 'chart.heatmap.subtitle', { date: chineseDate(asOf, lang) }),
        t(lang, 'chart.heatmap.supervision', { points: Math.round(SERIOUSLY_BEHIND_GAP * 100), count: candidates }),
      ],
    },
    data: { values: cells },
    layer: [
      {
        data: { values: grid },
        mark: { type: 'rect', fill: '#ffffff', stroke: '#e2e2e2', strokeWidth: 1 },
        encoding: { x, y },
      },
      {
        mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 1.5 },
        encoding: {
          x,
          y,
          color: {
            field: 'status_label',
            type: 'nominal',
            scale: statusLegendScale(lang),
            legend: { title: t(lang, 'chart.status-legend'), orient: 'bottom', direction: 'horizontal', symbolType: 'square', symbolOpacity: 1, symbolStrokeWidth: 0, columnPadding: 14 },
          },
        },
      },
      {
        transform: [{ filter: 'datum.supervision' }],
        mark: { type: 'point', strokeWidth: 2, size: 70, opacity: 1 },
        encoding: {
          x,
          y,
          // As encodings, not mark properties: only then does the legend symbol keep its black ring.
          fill: { value: '#ffffff' },
          stroke: { value: SUPERVISION_MARK_COLOUR },
          shape: {
            datum: supervision,
            type: 'nominal',
            scale: { domain: [supervision], range: ['circle'] },
            legend: { title: null, orient: 'bottom', symbolStrokeWidth: 2, symbolOpacity: 1, labelLimit: 400 },
          },
        },
      },
      ...(spans.length === 0
        ? []
        : [
            {
              data: { values: spans.slice(1) },
              mark: { type: 'rule' as const, color: '#555555', strokeWidth: 1.5 },
              encoding: { x: { ...x, field: 'first', bandPosition: 0 }, y: { value: -22 }, y2: { value: 'height' as const } },
            },
            ...[true, false].map((odd) => ({
              data: { values: spans.filter((s) => s.odd === odd) },
              mark: { type: 'text' as const, baseline: 'bottom' as const, fontSize: 12, fontWeight: 'bold' as const, color: '#333333' },
              encoding: {
                x: { ...x, field: 'anchor', bandPosition: odd ? 0.5 : 0 },
                y: { value: -6 },
                text: { field: 'category' },
              },
            })),
          ]),
    ],
  };
}
