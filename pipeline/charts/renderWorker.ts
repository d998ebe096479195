// The worker side of the chart pool (pool.ts): one chart per task, drawn by renderChart. Loading Vega
// and the chart font happens when the worker starts, before its first task arrives.
import { chartFaces, useChartFontMetrics } from './fonts';
import { renderChart, type RenderOptions } from './render';
import type { TopLevelSpec } from 'vega-lite';

export interface RenderTask {
  spec: TopLevelSpec;
  options: RenderOptions;
}

/** What comes back across the thread boundary (a Buffer arrives as a plain Uint8Array). */
export interface RenderedInWorker {
  svg: string;
  png: Uint8Array;
  width: number;
  height: number;
}

useChartFontMetrics();
chartFaces();

export async function render(task: RenderTask): Promise<RenderedInWorker> {
  return renderChart(task.spec, task.options);
}
