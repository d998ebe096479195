// Charts drawn in worker threads (piscina). Vega's layout and resvg's rasteriser each use one core, and
// a report draws dozens of charts, so every core draws its own. A worker runs the very renderChart of
// render.ts, so a chart's SVG and PNG are the same bytes as drawn in the calling thread. Workers start
// (and load Vega and the font) when the pool is made: make it before the data is read, and the warm-up
// costs nothing.
import * as os from 'node:os';
import * as path from 'node:path';
import Piscina from 'piscina';
import type { TopLevelSpec } from 'vega-lite';
import type { RenderedChart, RenderOptions } from './render';
import type { RenderTask, RenderedInWorker } from './renderWorker';

export interface ChartPool {
  render(spec: TopLevelSpec, options?: RenderOptions): Promise<RenderedChart>;
  /** Threads drawing. */
  readonly threads: number;
  close(): Promise<void>;
}

export interface ChartPoolOptions {
  /** Worker threads; default one per core. */
  threads?: number;
}

export function chartPool(options: ChartPoolOptions = {}): ChartPool {
  const threads = Math.max(1, Math.floor(options.threads ?? os.availableParallelism()));
  // From source (tests, tsx) the worker is TypeScript: it is loaded through tsx, a development
  // dependency; the built CLI runs the compiled JavaScript next to this file.
  const fromSource = path.extname(__filename) === '.ts';
  const piscina = new Piscina<RenderTask, RenderedInWorker>({
    filename: path.join(__dirname, fromSource ? 'renderWorker.ts' : 'renderWorker.js'),
    name: 'render',
    minThreads: threads,
    maxThreads: threads,
    // A pool lives as long as its owner; idle workers are not torn down between charts.
    idleTimeout: 60_000,
    ...(fromSource ? { execArgv: ['--require', require.resolve('tsx/cjs')] } : {}),
  });
  return {
    threads,
    async render(spec, renderOptions = {}) {
      const out = await piscina.run({ spec, options: renderOptions });
      return { svg: out.svg, png: Buffer.from(out.png.buffer, out.png.byteOffset, out.png.byteLength), width: out.width, height: out.height };
    },
    close: () => piscina.destroy(),
  };
}
