// Bench of the report's charts: for each chart, building the spec and rendering it to PNG at print
// resolution (scale 2), median of several renders, on rows the size of the 2024 sample (15 districts,
// 48 projects, 9 report dates). The first render of a process also loads the font (reported apart).
import { DISTRICTS } from '../../core/districts';
import {
  categoryCompletionChart,
  chartSvg,
  rasterise,
  districtTrendChart,
  lagHeatmap,
  projectProgressChart,
  rankingChart,
  renderChart,
} from '../../pipeline/charts';
import type { LagStatus } from '../../core/lagStatus';
import type { CategoryLagRow, MetricRow, MilestoneRow, ProgressPoint, RankingRow, TrendPoint } from '../../pipeline/db/rows';
import type { TopLevelSpec } from 'vega-lite';
import { median, middle, time, type BenchContext } from './context';

const AS_OF = '2024-09-30';
const REPORT_DATES = ['2024-03-31', '2024-04-30', '2024-05-31', '2024-06-30', '2024-07-31', '2024-08-31', '2024-09-30', '2024-10-31', '2024-11-30'];
const CATEGORIES = ['“幸福助老”在杭州', '“弱有眾扶”在杭州', '“春雨計劃”在杭州', '“美好家園”在杭州', '“快樂成長”在杭州', '“出行無憂”在杭州', '“暢享食安”在杭州', '“溫暖守護”在杭州', '“強文健體”', '“城鄉共富”在杭州'];

/** A deterministic pseudo-random sequence (the same rows on every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 48271) % 2147483647) / 2147483647;
}

function sampleSizedRows() {
  const next = random(20240204);
  const ranking: RankingRow[] = DISTRICTS.map((d, i) => ({
    rank: i + 1,
    district: d.name,
    schedule_attainment: 1 - i * 0.01 - next() * 0.01,
    completion: 0.85 - i * 0.01,
    tie_rank: i + 1,
    tied: false,
    missing_count: 0,
    seriously_behind_count: Math.floor(next() * 3),
  }));
  const statuses: LagStatus[] = ['on_track', 'on_track', 'on_track', 'behind', 'seriously_behind', 'stalled', 'overdue', 'missing'];
  const lag: CategoryLagRow[] = [];
  for (const d of DISTRICTS) {
    for (let project = 1; project <= 48; project++) {
      if (next() < 0.15) continue;
      const completion = next();
      lag.push({
        district: d.name,
        project_no: project,
        metric_id: `${project}-1`,
        label: `項目${project}指標`,
        completion,
        expected_ratio: 0.8,
        gap: 0.8 - completion,
        lag_status: statuses[Math.floor(next() * statuses.length)],
        as_of: AS_OF,
        category_no: Math.min(10, Math.ceil(project / 4.8)),
        category: CATEGORIES[Math.min(10, Math.ceil(project / 4.8)) - 1],
      });
    }
  }
  const project = { project_no: 29, name: '新辟優化城鄉公交、地鐵接駁線、社區微公交、敬老愛老公交線、定製公交線路100條' };
  const metrics: MetricRow[] = ['城鄉公交', '地鐵接駁線', '社區微公交', '敬老公交', '定製公交'].map((label, i) => ({
    metric_id: `29-${i + 1}`, project_no: 29, k: i + 1, label, unit: '條', kind: 'count', city_target: 20,
  }));
  const milestones: MilestoneRow[] = metrics.flatMap((m) => [
    { metric_id: m.metric_id, project_no: 29, due_date: '2024-03-31', expected_ratio: null, expected_rate: null, text: '3月底前完成100條公交線路方案' },
    { metric_id: m.metric_id, project_no: 29, due_date: '2024-06-30', expected_ratio: 0.6, expected_rate: null, text: '6月底前實施完成60%' },
    { metric_id: m.metric_id, project_no: 29, due_date: '2024-09-30', expected_ratio: 0.8, expected_rate: null, text: '9月底前力爭實施80%' },
    { metric_id: m.metric_id, project_no: 29, due_date: '2024-11-30', expected_ratio: 1, expected_rate: null, text: '11月底前確保全麵完成' },
  ]);
  const progress: ProgressPoint[] = DISTRICTS.flatMap((d) =>
    metrics.flatMap((m) => REPORT_DATES.map((as_of, i) => ({ district: d.name, metric_id: m.metric_id, as_of, completion: Math.min(1, (i + 1) / 9 + next() * 0.1) }))),
  );
  const trend: TrendPoint[] = REPORT_DATES.map((as_of, i) => ({ as_of, completion: (i + 1) / 10, schedule_attainment: 0.9 + next() * 0.1 }));
  return { ranking, lag, project, metrics, milestones, progress, trend };
}

/** ms per chart: the median of 5 renders (spec + SVG + PNG at scale 2) of each chart, after a first one, with its halves and CPU time. */
export async function benchCharts(bench: BenchContext): Promise<void> {
  bench.print('== charts: Vega-Lite spec → SVG → PNG at scale 2, median of 5 after a first render');
  const rows = sampleSizedRows();
  const charts: Record<string, () => TopLevelSpec> = {
    ranking: () => rankingChart(rows.ranking, AS_OF, 'zh-TW'),
    lagHeatmap: () => lagHeatmap(rows.lag, AS_OF, 'zh-TW'),
    projectProgress: () => projectProgressChart(rows.project, rows.metrics, rows.milestones, rows.progress, 'zh-TW'),
    categoryCompletion: () => categoryCompletionChart(rows.lag, 'zh-TW'),
    districtTrend: () => districtTrendChart('上城區', rows.trend, 'zh-TW'),
  };
  const first = await time(() => renderChart(charts.ranking()));
  bench.print(`first render of the process (loads Vega and the font) ${first.ms.toFixed(0)} ms`);
  bench.record({ bench: 'chart-first', ms: Math.round(first.ms) });
  for (const [name, make] of Object.entries(charts)) {
    const spec = await median(5, make);
    await renderChart(make());
    // Each render in its two halves (Vega's view to SVG, resvg's SVG to PNG), and the CPU time of the
    // whole: on a shared machine the wall time is mostly waiting for a core, the CPU time is the work.
    const runs: { svg: number; png: number; cpu: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const cpu = process.cpuUsage();
      const { ms: svgMs, result: svg } = await time(() => chartSvg(make()));
      const { ms: pngMs } = await time(() => rasterise(svg));
      const used = process.cpuUsage(cpu);
      runs.push({ svg: svgMs, png: pngMs, cpu: (used.user + used.system) / 1000 });
    }
    const total = middle(runs.map((r) => r.svg + r.png));
    const svgMs = middle(runs.map((r) => r.svg));
    const pngMs = middle(runs.map((r) => r.png));
    const cpuMs = middle(runs.map((r) => r.cpu));
    const { result: rendered } = await time(() => renderChart(make()));
    bench.print(
      `${name.padEnd(20)} ${total.toFixed(0).padStart(5)} ms  (spec ${spec.toFixed(1)} ms, SVG ${svgMs.toFixed(0)} ms, PNG ${pngMs.toFixed(0)} ms; CPU ${cpuMs.toFixed(0)} ms; PNG ${rendered.width}×${rendered.height})`,
    );
    bench.record({
      bench: 'chart',
      chart: name,
      median_ms: Math.round(total),
      spec_ms: Math.round(spec * 10) / 10,
      svg_ms: Math.round(svgMs),
      png_ms: Math.round(pngMs),
      cpu_ms: Math.round(cpuMs),
      width: rendered.width,
      height: rendered.height,
    });
  }
}
