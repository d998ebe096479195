// The charts of the leaders' report, in one import: each chart is a pure function from typed query rows
// (pipeline/db/rows.ts) to a Vega-Lite spec with its data inlined; render.ts turns a spec into SVG/PNG.
export { rankingChart, rankingChartHeight, rankLabel, RANKING_WIDTH } from './ranking';
export { lagHeatmap, lagHeatmapHeight, heatmapCells, LAG_HEATMAP_WIDTH } from './lagHeatmap';
export { projectProgressChart, projectSeries, expectationSteps, milestoneNotes, PROJECT_PROGRESS_WIDTH } from './projectProgress';
export { categoryCompletionChart, summariseCategories, CATEGORY_COMPLETION_WIDTH } from './categoryCompletion';
export { districtTrendChart, DISTRICT_TREND_WIDTH, DISTRICT_TREND_HEIGHT } from './districtTrend';
export { renderChart, writeChart, chartSvg, rasterise, chartSize, DEFAULT_SCALE, type RenderedChart, type WrittenChart, type RenderOptions } from './render';
export { CHART_FONT_FAMILY, chartFontFiles } from './fonts';
