// The pictures of the leaders' workbook: the chart modules' specs (pipeline/charts) filled with the
// report's rows and rendered once each. A picture keeps its spec, so the same chart can also be written
// as PNG + .vl.json next to the workbook.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { categoryCompletionChart } from '../charts/categoryCompletion';
import { districtTrendChart } from '../charts/districtTrend';
import { lagHeatmap } from '../charts/lagHeatmap';
import { projectProgressChart } from '../charts/projectProgress';
import { rankingChart } from '../charts/ranking';
import { chartSize, renderChart, type RenderedChart } from '../charts/render';
import type { Lang } from '../../core/messages';
import type { CategoryLagRow, TrendPoint } from '../db/rows';
import type { ReportData } from './reportData';
import type { Picture } from './sheetKit';

export interface ChartPicture extends Picture {
  /** File name stem: ranking, lag-heatmap, project-07 ... */
  name: string;
  spec: TopLevelSpec;
  /** The PNG's own size in pixels (the sheet size × the render scale). */
  pngWidth: number;
  pngHeight: number;
}

export type ChartRenderer = (spec: TopLevelSpec) => Promise<RenderedChart>;

export async function picture(name: string, spec: TopLevelSpec, render: ChartRenderer = (s) => renderChart(s)): Promise<ChartPicture> {
  const rendered = await render(spec);
  // Shown at the size the chart was laid out for (CSS px = sheet px at 96 dpi); the PNG's extra pixels
  // are for print resolution.
  const size = chartSize(spec);
  return { name, spec, png: rendered.png, width: size.width, height: size.height, pngWidth: rendered.width, pngHeight: rendered.height };
}

export interface ReportCharts {
  ranking: ChartPicture;
  heatmap: ChartPicture;
  categories: ChartPicture;
  /** By project number, for every project of the plan. */
  projects: Map<number, ChartPicture>;
}

export function projectChartName(projectNo: number): string {
  return `project-${String(projectNo).padStart(2, '0')}`;
}

/** Draws every chart of the report at once: with a pool (pool.ts) they are spread over the cores. */
export async function renderReportCharts(data: ReportData, lang: Lang, render?: ChartRenderer): Promise<ReportCharts> {
  const categorised = data.lag.filter((r): r is CategoryLagRow & (typeof data.lag)[number] => r.category_no != null && r.category != null);
  const projectSpecs = data.projects.map((project) => ({
    no: project.project_no,
    spec: projectProgressChart({ project_no: project.project_no, name: project.name }, data.metrics, data.milestones, data.progress, lang),
  }));
  const [ranking, heatmap, categories, ...projectPictures] = await Promise.all([
    picture('ranking', rankingChart(data.ranking, data.asOf, lang), render),
    picture('lag-heatmap', lagHeatmap(data.lag, data.asOf, lang), render),
    picture('category-completion', categoryCompletionChart(categorised, lang), render),
    ...projectSpecs.map(({ no, spec }) => picture(projectChartName(no), spec, render)),
  ]);
  const projects = new Map(projectSpecs.map(({ no }, i) => [no, projectPictures[i]] as const));
  return { ranking, heatmap, categories, projects };
}

/**
 * The ranking chart with one district's row marked (a pale band behind its bar and name), for the
 * copy of that district's submission. Works on the spec as plain data: one layer is put underneath.
 */
export function highlightDistrict(spec: TopLevelSpec, district: string): TopLevelSpec {
  const layered = spec as TopLevelSpec & { layer?: { encoding?: { y?: Record<string, unknown> } }[] };
  const y = layered.layer?.find((l) => l.encoding?.y?.field === 'district')?.encoding?.y;
  if (!layered.layer || !y) return spec;
  const band = {
    data: { values: [{ district }] },
    mark: { type: 'rect', color: '#ffe066', opacity: 0.55 },
    encoding: { y, x: { value: -190 }, x2: { value: 'width' } },
  };
  return { ...layered, layer: [band, ...layered.layer] } as TopLevelSpec;
}

export async function trendPicture(district: string, points: readonly TrendPoint[], lang: Lang, render?: ChartRenderer): Promise<ChartPicture> {
  return picture('district-trend', districtTrendChart(district, points, lang), render);
}

/** Writes each picture as `<name>.png` and `<name>.vl.json` (data inlined, openable in the Vega editor). */
export function writePictures(pictures: readonly ChartPicture[], dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const p of pictures) {
    const png = path.join(dir, `${p.name}.png`);
    fs.writeFileSync(png, p.png);
    fs.writeFileSync(path.join(dir, `${p.name}.vl.json`), `${JSON.stringify(p.spec, null, 2)}\n`, 'utf8');
    written.push(png);
  }
  return written;
}

export function allPictures(charts: ReportCharts): ChartPicture[] {
  return [charts.ranking, charts.categories, charts.heatmap, ...charts.projects.values()];
}
