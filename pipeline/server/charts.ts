// The charts the add-in inserts (插入圖表): the ranking and the lag heatmap for a date, and the 年度考核
// charts of the date's year (districts, lead departments), as PNG.
// The rows are queried in the store's queue; drawing (≈0.1–1 s) happens outside it, so a chart never
// holds up a submission. Pictures are kept per (chart, date, language) until the next stored submission;
// their titles, axes and legends are in the caller's language.
import { msg, type Lang } from '../../core/messages';
import { assessmentRows, assessmentShown, nestAssessment, queryAssessment } from '../assessment/queries';
import { hasRules } from '../assessment/store';
import { assessmentChart } from '../charts/assessment';
import { lagHeatmap } from '../charts/lagHeatmap';
import { rankingChart } from '../charts/ranking';
import { renderChart } from '../charts/render';
import { LagRow, RankingRow, rowsFrom } from '../db/rows';
import { queryRanking, runQuery } from '../db/queries';
import type { Store } from '../db/store';
import { HttpError } from './http';
import type { SerialQueue } from './queue';
import { withDistrictsAsWritten } from '../output/resultTable';
import type { DistrictNames } from '../../core/districtNames';

export type ChartName = 'ranking' | 'lag-heatmap' | 'assessment-districts' | 'assessment-lead-units';

/** lag rows with each project's category joined in: the heatmap groups its columns by category. */
const LAG_WITH_CATEGORY = `
  SELECT l.*, p.category_no, c.name AS category
  FROM lag(CAST($1 AS DATE)) AS l
  LEFT JOIN projects AS p USING (project_no)
  LEFT JOIN categories AS c ON c.category_no = p.category_no
  ORDER BY l.district_order NULLS LAST, l.district, l.project_no, l.k`;

const CACHE_LIMIT = 32;

export class ChartMaker {
  private readonly cache = new Map<string, Buffer>();
  private dataVersion = 0;

  constructor(
    private readonly store: Store,
    private readonly queue: SerialQueue,
    /** The plan's spelling of districts, which the pictures show (core/districtNames.ts). */
    private readonly districtNames: DistrictNames = {},
  ) {}

  /** To be called after every stored submission: pictures drawn before show old data. */
  dataChanged(): void {
    this.dataVersion++;
    this.cache.clear();
  }

  async png(chart: ChartName, asOf: string, lang: Lang): Promise<Buffer> {
    const key = `${chart}|${asOf}|${lang}`;
    const version = this.dataVersion;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const png =
      chart === 'ranking'
        ? await this.rankingPng(asOf, lang)
        : chart === 'lag-heatmap'
          ? await this.lagHeatmapPng(asOf, lang)
          : await this.assessmentPng(chart === 'assessment-districts' ? 'district' : 'lead_unit', asOf, lang);
    // Only keep it if no submission was stored while it was being drawn.
    if (version === this.dataVersion) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(key, png);
    }
    return png;
  }

  private async rankingPng(asOf: string, lang: Lang): Promise<Buffer> {
    const table = withDistrictsAsWritten(await this.queue.run(() => queryRanking(this.store, asOf)), this.districtNames);
    return (await renderChart(rankingChart(rowsFrom(RankingRow, table), asOf, lang))).png;
  }

  /** The 年度考核 chart of the date's year, at the date (capped at the year's end); 404 without rules. */
  private async assessmentPng(type: 'district' | 'lead_unit', asOf: string, lang: Lang): Promise<Buffer> {
    const year = Number(asOf.slice(0, 4));
    const at = asOf > `${year}-12-31` ? `${year}-12-31` : asOf;
    const result = await this.queue.run(async () => {
      if (!(await hasRules(this.store, year))) throw new HttpError(404, msg('assess.cli.no-rules', { year }));
      return assessmentShown(nestAssessment(assessmentRows(await queryAssessment(this.store, year, at)), year, at), this.districtNames);
    });
    const assessees = type === 'district' ? result.districts.map((d) => ({ ...d, name: d.district })) : result.lead_units.map((u) => ({ ...u, name: u.lead_unit }));
    return (await renderChart(assessmentChart({ type, year, asOf: at, lang, assessees }))).png;
  }

  private async lagHeatmapPng(asOf: string, lang: Lang): Promise<Buffer> {
    const table = withDistrictsAsWritten(await this.queue.run(() => runQuery(this.store, LAG_WITH_CATEGORY, [asOf])), this.districtNames);
    return (await renderChart(lagHeatmap(rowsFrom(LagRow, table), asOf, lang))).png;
  }
}
