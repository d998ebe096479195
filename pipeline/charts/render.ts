// Headless chart rendering: Vega-Lite spec → Vega view (renderer 'none') → SVG → PNG with resvg, drawn
// with the shipped Noto Sans SC only (no system fonts), so the picture is the same on every machine.
//
// Resolution: charts are laid out in CSS px (a full-page chart is 1000 px wide) and rasterised at
// scale 2 by default: 2000 px across 27 cm of A4 landscape ≈ 190 dpi, sharp on paper and on screen.
// Rendering is deterministic: no randomness, no clock, dates handled as UTC by the specs, fonts fixed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { CHART_FONT_FAMILY, chartFontSubsetFiles, useChartFontMetrics } from './fonts';

export const DEFAULT_SCALE = 2;

export interface RenderOptions {
  /** PNG pixels per CSS px of the spec (default 2). */
  scale?: number;
}

export interface RenderedChart {
  svg: string;
  png: Buffer;
  /** PNG size in pixels (the spec's size × scale). */
  width: number;
  height: number;
}

/** Vega-Lite → SVG text, laid out with the shipped font's metrics. */
export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  useChartFontMetrics();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', logLevel: vega.Error });
  try {
    await view.runAsync();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The text an SVG draws (the content of its text and tspan elements), entities decoded. */
export function svgText(svg: string): string[] {
  return [...svg.matchAll(/<(?:text|tspan)\b[^>]*>([^<]*)(?=<)/g)].map((m) =>
    m[1]
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&apos;/g, "'")
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
      .replace(/&amp;/g, '&'),
  );
}

/**
 * SVG → PNG with no system fonts, only the shipped Noto Sans SC (Regular + Bold) cut down to the
 * characters this SVG draws (see fontSubset.ts for why). Tests pass `fontFiles` to draw with other
 * files, or none, to prove the text really comes from the shipped font.
 */
export function rasterise(svg: string, scale = DEFAULT_SCALE, fontFiles?: string[]): { png: Buffer; width: number; height: number } {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: {
      loadSystemFonts: false,
      fontFiles: fontFiles ?? chartFontSubsetFiles(svgText(svg).join('')),
      defaultFontFamily: CHART_FONT_FAMILY,
      sansSerifFamily: CHART_FONT_FAMILY,
    },
    shapeRendering: 2,
    textRendering: 1,
    logLevel: 'off',
  });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width, height: image.height };
}

export function chartSize(spec: TopLevelSpec): { width: number; height: number } {
  const { width, height } = spec as { width?: unknown; height?: unknown };
  if (typeof width !== 'number' || typeof height !== 'number') throw new Error('chart spec has no fixed width and height');
  return { width, height };
}

export async function renderChart(spec: TopLevelSpec, options: RenderOptions = {}): Promise<RenderedChart> {
  const scale = options.scale ?? DEFAULT_SCALE;
  if (!(scale > 0)) throw new Error(`scale must be positive, got ${scale}`);
  const svg = await chartSvg(spec);
  return { svg, ...rasterise(svg, scale) };
}

export interface WrittenChart {
  png: string;
  spec: string;
  width: number;
  height: number;
}

/**
 * Writes `<name>.png` and `<name>.vl.json` (the spec, data inlined, openable in the Vega editor)
 * into `dir`, creating it if needed. Returns the paths and the PNG's pixel size.
 */
export async function writeChart(spec: TopLevelSpec, dir: string, name: string, options: RenderOptions = {}): Promise<WrittenChart> {
  const rendered = await renderChart(spec, options);
  fs.mkdirSync(dir, { recursive: true });
  const png = path.join(dir, `${name}.png`);
  const specFile = path.join(dir, `${name}.vl.json`);
  fs.writeFileSync(png, rendered.png);
  fs.writeFileSync(specFile, `${JSON.stringify(spec, null, 2)}\n`, 'utf8');
  return { png, spec: specFile, width: rendered.width, height: rendered.height };
}
