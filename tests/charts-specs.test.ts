// The chart specs as data: what each chart says (order, labels, percentages, statuses, milestone steps)
// checked on hand-made rows, without rendering. Rendering is in charts-render.test.ts.
import { DISTRICTS } from '../core/districts';
import { categoryCompletionChart, summariseCategories } from '../pipeline/charts/categoryCompletion';
import { districtTrendChart } from '../pipeline/charts/districtTrend';
import { heatmapCells, lagHeatmap, lagHeatmapHeight, LAG_HEATMAP_WIDTH } from '../pipeline/charts/lagHeatmap';
import { endLabels, expectationSteps, footnoteLines, milestoneNotes, projectProgressChart, projectSeries } from '../pipeline/charts/projectProgress';
import { rankingChart, rankingChartHeight, RANKING_WIDTH } from '../pipeline/charts/ranking';
import { chartSize } from '../pipeline/charts/render';
import { LagRow, RankingRow, rowsFrom } from '../pipeline/db/rows';
import { LAG_STATUS_COLOURS, LAG_STATUSES_BEST_FIRST } from '../core/lagStatus';
import { chartStatusLabel, wrapText } from '../pipeline/charts/theme';
import type { ResultTable } from '../pipeline/output/resultTable';
import { AS_OF, lagRows, METRICS, MILESTONES, PROGRESS, PROJECT, rankingRows, TREND } from './helpers/chartRows';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a spec is walked by path in the assertions; its Vega-Lite union types would need a cast at every step.
type Json = any;
const json = (spec: unknown): Json => JSON.parse(JSON.stringify(spec));

/** Every inline dataset of a spec: the top-level one and each layer's. */
function datasets(spec: Json): Json[][] {
  return [spec.data?.values, ...(spec.layer ?? []).map((l: Json) => l.data?.values)].filter(Boolean);
}

function colourScales(spec: Json): Json[] {
  return (spec.layer ?? []).map((l: Json) => l.encoding?.color?.scale).filter((s: Json) => s?.range);
}

describe('ranking chart', () => {
  const spec = json(rankingChart([...rankingRows()].reverse(), AS_OF, 'zh-TW'));
  const rows: Json[] = spec.data.values;

  test('districts are listed in rank order, whatever order the rows come in', () => {
    expect(rows.map((r) => r.district)).toEqual(['淳安縣', '上城區', '拱墅區', '臨平區', '杭州西湖風景名勝區']);
    expect(spec.layer[0].encoding.y.scale.domain).toEqual(rows.map((r) => r.district));
  });

  test('ranks are written in Chinese and ties say so for both districts', () => {
    expect(rows.map((r) => r.rank_label)).toEqual(['第1名', '並列第2名', '並列第2名', '第4名', '第5名']);
  });

  test('figures are percentages with one decimal; no milestone due yet shows a dash, not 0%', () => {
    expect(rows[0].attainment_text).toBe('98.2%');
    expect(rows[0].completion_text).toBe('84.9%');
    expect(rows[4].attainment_text).toBe('—');
    expect(rows[4].schedule_attainment).toBeNull();
    // Completion over 100% is shown capped, as it is scored.
    expect(rows[3].completion_text).toBe('100.0%');
    expect(rows[3].seriously_behind_text).toBe('11項');
  });

  test('title, date and size', () => {
    expect(spec.title.text).toContain('排名');
    expect(spec.title.subtitle).toContain('2024年9月30日');
    expect(chartSize(spec)).toEqual({ width: RANKING_WIDTH, height: rankingChartHeight(5) });
  });
});

describe('lag heatmap', () => {
  const rows = lagRows();
  const spec = json(lagHeatmap([...rows].reverse(), AS_OF, 'zh-TW'));

  test('a project cell shows the first status in lag.sql precedence among its metrics', () => {
    const cells = heatmapCells(rows, 'zh-TW');
    const cell = (district: string, project: number) => cells.find((c) => c.district === district && c.project_no === project);
    expect(cell('上城區', 3)).toMatchObject({ status: 'seriously_behind', status_label: '嚴重滯後', metric_count: 2 });
    expect(cell('臨平區', 1)?.status).toBe('missing');
    expect(cell('上城區', 1)?.status_label).toBe('正常');
  });

  test('掛牌督辦 candidates are marked even behind another status (overdue, missing)', () => {
    const marked = heatmapCells(rows, 'zh-TW').filter((c) => c.supervision).map((c) => `${c.district}${c.project_no}`).sort();
    expect(marked).toEqual(['上城區3', '臨平區1', '臨平區4'].sort());
    const markerLayer = spec.layer.find((l: Json) => l.mark?.type === 'point');
    expect(markerLayer.transform).toEqual([{ filter: 'datum.supervision' }]);
    expect(spec.title.subtitle.join('')).toContain('共3格');
  });

  test('districts run in 附件2 order and every project number between the first and last has a column', () => {
    const order = DISTRICTS.map((d) => d.name);
    const y = spec.layer[1].encoding.y.scale.domain;
    expect(y).toEqual(['市本級', '上城區', '臨平區']);
    expect([...y].sort((a: string, b: string) => order.indexOf(a) - order.indexOf(b))).toEqual(y);
    expect(spec.layer[1].encoding.x.scale.domain).toEqual([1, 2, 3, 4]);
  });

  test('the colour legend maps the Chinese status names to the status colours', () => {
    const [scale] = colourScales(spec);
    expect(scale.domain).toEqual(['正常', '滯後', '嚴重滯後', '逾期未完成', '停滯', '未報送']);
    expect(scale.range).toEqual(LAG_STATUSES_BEST_FIRST.map((s) => LAG_STATUS_COLOURS[s]));
    expect(LAG_STATUS_COLOURS).toMatchObject({ on_track: expect.any(String), overdue: expect.any(String) });
  });

  test('category names head their projects', () => {
    const labels = spec.layer.filter((l: Json) => l.mark?.type === 'text').flatMap((l: Json) => l.data.values.map((v: Json) => v.category));
    expect(labels.sort()).toEqual(['幸福助老', '弱有眾扶']);
  });

  test('size fits 15 districts on A4 landscape', () => {
    expect(chartSize(spec)).toEqual({ width: LAG_HEATMAP_WIDTH, height: lagHeatmapHeight(3) });
    expect(LAG_HEATMAP_WIDTH / lagHeatmapHeight(15)).toBeGreaterThan(1.35);
  });
});

describe('status colours', () => {
  /** CIE L* of an sRGB colour: what a grey printer keeps of it. */
  function lightness(hex: string): number {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    return y > 0.008856 ? 116 * Math.cbrt(y) - 16 : 903.3 * y;
  }

  test('every status stays distinguishable printed in grey (lightness at least 8 L* apart)', () => {
    const levels = LAG_STATUSES_BEST_FIRST.map((s) => lightness(LAG_STATUS_COLOURS[s])).sort((a, b) => a - b);
    for (let i = 1; i < levels.length; i++) expect(levels[i] - levels[i - 1]).toBeGreaterThanOrEqual(8);
  });

  test('each status has a Chinese name and the same colour in every chart that shows statuses', () => {
    expect(LAG_STATUSES_BEST_FIRST.map((s) => chartStatusLabel(s, 'zh-TW'))).toEqual(['正常', '滯後', '嚴重滯後', '逾期未完成', '停滯', '未報送']);
    const heat = colourScales(json(lagHeatmap(lagRows(), AS_OF, 'zh-TW')));
    const category = colourScales(json(categoryCompletionChart(lagRows(), 'zh-TW')));
    expect(category).toEqual(heat);
  });
});

describe('project progress chart', () => {
  test('a district line is the mean of its metrics, capped at 100%, an unreported metric counting 0', () => {
    const series = projectSeries(['8-1', '8-2'], PROGRESS);
    const at = (d: string, date: string) => series.find((p) => p.district === d && p.as_of === date)?.completion;
    expect(at('上城區', '2024-06-30')).toBeCloseTo((0.2 + 0.4) / 2, 9);
    expect(at('上城區', '2024-09-30')).toBeCloseTo((0.6 + 1) / 2, 9);
    expect(at('臨平區', '2024-06-30')).toBeCloseTo(0.3 / 2, 9);
    expect(series.every((p) => p.district !== '上城區' || p.completion <= 1)).toBe(true);
  });

  test('the plan step is the mean of each metric’s latest numeric milestone, as lag.sql takes it', () => {
    const steps = expectationSteps(METRICS.filter((m) => m.project_no === 8), MILESTONES);
    expect(steps.map((s) => s.date)).toEqual(['2024-06-30', '2024-09-30', '2024-11-30']);
    expect(steps.map((s) => s.expected)).toEqual([0.1, 0.25, 1]);
  });

  test('a rate milestone without a ratio is read as the rate over the target rate', () => {
    const steps = expectationSteps(METRICS.filter((m) => m.project_no === 9), MILESTONES);
    expect(steps).toEqual([{ date: '2024-06-30', expected: 0.6 / 0.8 }]);
  });

  test('every milestone is listed once, in date order, numbered; qualitative ones too', () => {
    const notes = milestoneNotes(METRICS.filter((m) => m.project_no === 8), MILESTONES);
    expect(notes.map((n) => `${n.mark}${n.date}`)).toEqual(['①2024-03-31', '②2024-06-30', '③2024-08-31', '④2024-09-30', '⑤2024-11-30']);
    expect(notes.filter((n) => !n.numeric).map((n) => n.text)).toEqual(['3月底前開展星級初評', '4月-8月開展機構提升改造']);
    expect(footnoteLines(notes, 'zh-TW')[2]).toBe('③ 4月30日至8月31日：4月-8月開展機構提升改造');
  });

  test('long milestone texts wrap instead of running off the page', () => {
    const long = '9月份委托第三方,從服務場所、服務功能、配套設施、運營管理、製度建設等方麵對殘疾人托養機構開展星級評估,從低到高分為1-5星五個等級,當年實現星級躍升的視為完成規範提升任務';
    const lines = footnoteLines([{ mark: '①', date: '2024-09-30', text: long, numeric: false }], 'zh-TW');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('').replace(/\u3000/g, '')).toBe(`① 9月30日：${long}`);
    for (const line of wrapText(long, 30)) expect([...line].length).toBeLessThanOrEqual(30 / 0.55);
  });

  test('district names at the line ends never overlap', () => {
    const crowded = ['上城區', '拱墅區', '西湖區', '濱江區'].map((district) => ({ district, as_of: '2024-11-30', completion: 0.99 }));
    const labels = endLabels(crowded, 0.05, 7);
    const ys = labels.map((l) => l.label_y).sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(0.05 - 1e-12);
    expect(labels.every((l) => l.label_at === '2024-12-07')).toBe(true);
  });

  test('the title is the project, the lines are its districts only, in their fixed colours', () => {
    const spec = json(projectProgressChart(PROJECT, METRICS, MILESTONES, PROGRESS, 'zh-TW'));
    expect(spec.title.text.join('')).toContain(PROJECT.name);
    const lines = spec.layer.find((l: Json) => l.mark?.type === 'line' && l.encoding.color);
    expect(lines.encoding.color.scale.domain).toEqual(['上城區', '臨平區']);
    expect(new Set(lines.data.values.map((v: Json) => v.district))).toEqual(new Set(['上城區', '臨平區']));
    expect(spec.title.subtitle.join('')).toContain('2項指標等權平均');
  });
});

describe('category completion chart', () => {
  test('per category: mean capped completion (nothing reported = 0), mean expectation, status counts', () => {
    const [first, second] = summariseCategories(lagRows());
    // Category 1 = projects 1 and 2: 0.7, 0.5, missing → 0, 0.55, 1.3 → 1.
    expect(first.completion).toBeCloseTo((0.7 + 0.5 + 0 + 0.55 + 1) / 5, 9);
    expect(first.statusCounts).toMatchObject({ on_track: 2, behind: 1, missing: 1, stalled: 1 });
    expect(first.supervision).toBe(1);
    expect(second.pairs).toBe(4);
    expect(second.label).toBe('2. 弱有眾扶');
  });

  test('labels are percentages and the title carries the date', () => {
    const spec = json(categoryCompletionChart(lagRows(), 'zh-TW'));
    // (0.7 + 0.5 + 0 + 0.55 + 1) / 5 and (0.8 + 0.2 + 0.3 + 0.7) / 4
    expect(spec.layer[2].data.values.map((v: Json) => v.completion_text)).toEqual(['55.0%', '50.0%']);
    expect(spec.title.subtitle).toContain('2024年9月30日');
  });
});

describe('district trend chart', () => {
  test('two series over the report dates in date order; no attainment point where no milestone was due', () => {
    const spec = json(districtTrendChart('上城區', TREND, 'zh-TW'));
    const values: Json[] = spec.data.values;
    expect(values.filter((v) => v.measure === '完成率').map((v) => v.date)).toEqual(['2024-03-31', '2024-06-30', '2024-09-30']);
    expect(values.filter((v) => v.measure === '進度達成率').map((v) => v.value)).toEqual([0.9, 0.95]);
    expect(spec.title.text).toBe('上城區民生實事進度走勢');
  });
});

describe('every chart', () => {
  const specs = {
    ranking: rankingChart(rankingRows(), AS_OF, 'zh-TW'),
    heatmap: lagHeatmap(lagRows(), AS_OF, 'zh-TW'),
    project: projectProgressChart(PROJECT, METRICS, MILESTONES, PROGRESS, 'zh-TW'),
    category: categoryCompletionChart(lagRows(), 'zh-TW'),
    trend: districtTrendChart('上城區', TREND, 'zh-TW'),
  };

  test.each(Object.entries(specs))('%s: plain data with its schema, data inline, the shipped font named', (_, spec) => {
    const j = json(spec);
    expect(j).toEqual(spec); // nothing that JSON would lose (functions, undefined, dates)
    expect(j.$schema).toMatch(/vega-lite\/v5/);
    expect(JSON.stringify(j)).not.toMatch(/"url"/);
    expect(datasets(j).length).toBeGreaterThan(0);
    expect(j.config.font).toBe('Noto Sans SC');
    for (const part of ['title', 'axis', 'legend']) expect(j.config[part]).toMatchObject({ [part === 'title' ? 'font' : 'labelFont']: 'Noto Sans SC' });
    expect(j.config.text.font).toBe('Noto Sans SC');
  });
});

describe('rowsFrom', () => {
  test('turns a query result into typed rows and drops columns charts do not use', () => {
    const table: ResultTable = {
      columns: ['rank', 'district', 'schedule_attainment', 'completion', 'tie_rank', 'tied', 'metric_count', 'missing_count', 'seriously_behind_count'].map((name) => ({ name, kind: 'float' as const })),
      rows: [[1, '上城區', null, 0.5, 1, false, 4, 0, 2]],
    };
    expect(rowsFrom(RankingRow, table)).toEqual([
      { rank: 1, district: '上城區', schedule_attainment: null, completion: 0.5, tie_rank: 1, tied: false, missing_count: 0, seriously_behind_count: 2 },
    ]);
  });

  test('a row that does not match (a renamed column, an unknown status) is refused with its position', () => {
    const good = lagRows()[0];
    expect(() => rowsFrom(LagRow, [good, { ...good, lag_status: 'late' }])).toThrow(/row 2/);
  });
});
