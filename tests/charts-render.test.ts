// Rendering the charts as a leader receives them: PNG files of the size the chart modules state,
// drawn with the shipped CJK font (and visibly not without it), status colours as the legend says,
// the .vl.json beside each PNG openable in the Vega editor, the same bytes every time.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { categoryCompletionChart } from '../pipeline/charts/categoryCompletion';
import { districtTrendChart } from '../pipeline/charts/districtTrend';
import { chartFaces, chartFontFiles, measureText, useChartFontMetrics } from '../pipeline/charts/fonts';
import { lagHeatmap } from '../pipeline/charts/lagHeatmap';
import { projectProgressChart } from '../pipeline/charts/projectProgress';
import { rankingChart } from '../pipeline/charts/ranking';
import { chartPool } from '../pipeline/charts/pool';
import { chartSize, chartSvg, rasterise, renderChart, writeChart } from '../pipeline/charts/render';
import { LAG_STATUS_COLOURS, LAG_STATUSES_BEST_FIRST } from '../core/lagStatus';
import { chartStatusLabel } from '../pipeline/charts/theme';
import { AS_OF, lagRows, METRICS, MILESTONES, PROGRESS, PROJECT, rankingRows, TREND } from './helpers/chartRows';
import { darkPixels, decodePng, pixelsOfColour, pngSize } from './helpers/png';
import { withoutRuntimeWarnings } from './helpers/cli';

const charts: Record<string, () => TopLevelSpec> = {
  ranking: () => rankingChart(rankingRows(), AS_OF, 'zh-TW'),
  heatmap: () => lagHeatmap(lagRows(), AS_OF, 'zh-TW'),
  project: () => projectProgressChart(PROJECT, METRICS, MILESTONES, PROGRESS, 'zh-TW'),
  category: () => categoryCompletionChart(lagRows(), 'zh-TW'),
  trend: () => districtTrendChart('上城區', TREND, 'zh-TW'),
};

/**
 * The text drawn in an SVG: everything inside its text elements, tags (tspan) removed, entities
 * decoded. Written independently of render.ts's own extraction, which the font subset relies on.
 */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text\b[^>]*>([^]*?)<\/text>/g)].map((m) =>
    m[1]
      .replace(/<[^>]+>/g, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&'),
  );
}

describe.each(Object.entries(charts))('%s chart', (name, make) => {
  test('renders to a PNG of the size the chart states, at scale 2 and at scale 1', async () => {
    const spec = make();
    const { width, height } = chartSize(spec);
    const rendered = await renderChart(spec);
    expect(pngSize(rendered.png)).toEqual({ width: width * 2, height: height * 2 });
    expect({ width: rendered.width, height: rendered.height }).toEqual({ width: width * 2, height: height * 2 });
    const small = await renderChart(spec, { scale: 1 });
    expect(pngSize(small.png)).toEqual({ width, height });
  });

  test('every character of its text is in the shipped font (none silently dropped)', async () => {
    const svg = await chartSvg(make());
    const { regular, bold } = chartFaces();
    const text = svgTexts(svg).join('');
    expect(text.length).toBeGreaterThan(20);
    const missing = [...new Set(text)].filter((ch) => ch.trim() && !(regular.hasGlyph(ch.codePointAt(0)!) && bold.hasGlyph(ch.codePointAt(0)!)));
    expect(missing).toEqual([]);
    expect(svg).not.toMatch(/font-family="(?!Noto Sans SC")/);
    // Nothing cut short with an ellipsis (Vega truncates labels wider than their limit).
    expect(svgTexts(svg).filter((t) => t.includes('\u2026'))).toEqual([]);
  });

  test(`writeChart writes ${name}.png and ${name}.vl.json with its data inline, valid Vega-Lite`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-charts-'));
    const written = await writeChart(make(), dir, name);
    expect(written.png).toBe(path.join(dir, `${name}.png`));
    expect(pngSize(fs.readFileSync(written.png))).toEqual({ width: written.width, height: written.height });
    const spec = JSON.parse(fs.readFileSync(written.spec, 'utf8'));
    expect(spec.$schema).toBe('https://vega.github.io/schema/vega-lite/v5.json');
    const inline = [spec.data, ...(spec.layer ?? []).map((l: { data?: unknown }) => l.data)].filter(Boolean);
    expect(inline.length).toBeGreaterThan(0);
    for (const data of inline) expect(Array.isArray(data.values)).toBe(true);
    // What the Vega editor does with it: compile and run.
    const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
    await view.runAsync();
    view.finalize();
  });
});

describe('the shipped CJK font', () => {
  test('chart text is drawn with it: the title area is blank when resvg has no font files', async () => {
    const spec = rankingChart(rankingRows(), AS_OF, 'zh-TW');
    const svg = await chartSvg(spec);
    const titleBox = { x: 0, y: 0, width: 2 * chartSize(spec).width, height: 2 * 40 };
    const withFont = decodePng(rasterise(svg, 2).png);
    const withoutFont = decodePng(rasterise(svg, 2, []).png);
    const drawn = darkPixels(withFont, titleBox);
    expect(drawn).toBeGreaterThan(2000);
    expect(darkPixels(withoutFont, titleBox)).toBeLessThan(drawn / 50);
  });

  test('the bold face is used for titles: they come out darker than with Regular alone', async () => {
    const { regular } = chartFontFiles();
    const svg = await chartSvg(rankingChart(rankingRows(), AS_OF, 'zh-TW'));
    const titleBox = { x: 0, y: 0, width: 700, height: 60 };
    const both = darkPixels(decodePng(rasterise(svg, 2).png), titleBox);
    const regularOnly = darkPixels(decodePng(rasterise(svg, 2, [regular]).png), titleBox);
    expect(both).toBeGreaterThan(regularOnly * 1.15);
  });

  test('the per-chart font subset draws exactly what the full font files draw', async () => {
    const { regular, bold } = chartFontFiles();
    for (const spec of [projectProgressChart(PROJECT, METRICS, MILESTONES, PROGRESS, 'zh-TW'), lagHeatmap(lagRows(), AS_OF, 'zh-TW')]) {
      const svg = await chartSvg(spec);
      const subset = decodePng(rasterise(svg, 1).png);
      const full = decodePng(rasterise(svg, 1, [regular, bold]).png);
      expect(subset.pixels.equals(full.pixels)).toBe(true);
    }
  });

  test('Vega lays text out with the font’s own widths (CJK 1 em), not its 0.8 em guess', () => {
    useChartFontMetrics();
    const metrics = (vega as unknown as { textMetrics: { width: (item: object, text: string) => number } }).textMetrics;
    expect(metrics.width({ fontSize: 12 }, '杭州西湖風景名勝區')).toBeCloseTo(9 * 12, 6);
    expect(metrics.width({ fontSize: 12 }, '100%')).toBeCloseTo(measureText('100%', 12), 9);
    expect(measureText('100%', 12)).toBeLessThan(4 * 12);
  });
});

describe('status colours', () => {
  test('each heatmap cell is painted the colour its status has in the legend', async () => {
    const svg = await chartSvg(lagHeatmap(lagRows(), AS_OF, 'zh-TW'));
    const legend = new Map<string, string>();
    for (const m of svg.matchAll(/role-legend-symbol[^>]*><path[^>]*fill="(#[0-9a-f]{6})"[^]*?role-legend-label[^>]*><text[^>]*>([^<]+)<\/text>/g)) {
      legend.set(m[2], m[1]);
    }
    for (const status of LAG_STATUSES_BEST_FIRST) expect(legend.get(chartStatusLabel(status, 'zh-TW'))).toBe(LAG_STATUS_COLOURS[status]);
    const cells = [...svg.matchAll(/aria-label="[^"]*status_label: ([^"]+)"[^>]*aria-roledescription="rect mark"[^>]*fill="(#[0-9a-f]{6})"/g)];
    expect(cells.length).toBe(8); // 9 lag rows, project 3 of 上城區 folds two metrics into one cell
    for (const [, label, fill] of cells) expect(fill).toBe(legend.get(label));
  });

  test('and the PNG really carries those colours', async () => {
    const image = decodePng((await renderChart(lagHeatmap(lagRows(), AS_OF, 'zh-TW'))).png);
    for (const status of LAG_STATUSES_BEST_FIRST) expect(pixelsOfColour(image, LAG_STATUS_COLOURS[status])).toBeGreaterThan(400);
  });
});

describe('rendering', () => {
  test('in the worker pool, every chart comes out the same bytes as drawn here, several at a time', async () => {
    const pool = chartPool({ threads: 2 });
    try {
      const specs = Object.values(charts).map((make) => make());
      const pooled = await Promise.all(specs.map((spec) => pool.render(spec)));
      for (const [i, spec] of specs.entries()) {
        const here = await renderChart(spec);
        expect(pooled[i].svg).toBe(here.svg);
        expect(pooled[i].png.equals(here.png)).toBe(true);
        expect({ width: pooled[i].width, height: pooled[i].height }).toEqual({ width: here.width, height: here.height });
      }
    } finally {
      await pool.close();
    }
  });

  test('is deterministic: the same spec gives the same bytes', async () => {
    const spec = projectProgressChart(PROJECT, METRICS, MILESTONES, PROGRESS, 'zh-TW');
    const a = await renderChart(spec);
    const b = await renderChart(spec);
    expect(a.svg).toBe(b.svg);
    expect(a.png.equals(b.png)).toBe(true);
  });

  test('does not depend on the machine’s time zone', () => {
    // A fresh process per zone: Node reads TZ when it starts.
    const svgIn = (zone: string) => {
      const code =
        "const { chartSvg } = require('./pipeline/charts/render');" +
        "const { projectProgressChart } = require('./pipeline/charts/projectProgress');" +
        "const f = require('./tests/helpers/chartRows');" +
        'chartSvg(projectProgressChart(f.PROJECT, f.METRICS, f.MILESTONES, f.PROGRESS, "zh-TW"))' +
        '.then((svg) => process.stdout.write(JSON.stringify({ svg, hour: new Date(0).getHours() })));';
      const run = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', code], {
        cwd: path.resolve(__dirname, '..'),
        env: { ...process.env, TZ: zone },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      expect(withoutRuntimeWarnings(run.stderr)).toBe('');
      return JSON.parse(run.stdout) as { svg: string; hour: number };
    };
    const west = svgIn('America/Los_Angeles');
    const east = svgIn('Asia/Shanghai');
    expect([west.hour, east.hour]).toEqual([16, 8]); // the zones really differ
    expect(east.svg).toBe(west.svg);
    expect(svgTexts(east.svg)).toEqual(expect.arrayContaining(['3月底', '6月底', '9月底', '12月底']));
  });
});
