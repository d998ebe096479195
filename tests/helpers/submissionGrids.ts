// Hand-built 進度報送表 grids for the reader tests: a correct 上城區 report against tests/helpers/submissionPlan.ts,
// and small tools to rearrange it the ways clerks do.
import { gridFromRows, type CellRange, type CellValue, type Grid } from '../../core/grid';

export const HEADER = ['序號', '指標編號', '項目名稱', '指標', '年度目標', '單位', '累計完成', '完成率', '備註'];

/** What the good report says, by metric id. */
export const GOOD_VALUES: Record<string, number> = { '1-1': 7, '8-1': 1, '8-2': 20, '9-1': 0.81, '26-1': 6 };

export interface ReportRow {
  序號: CellValue;
  指標編號: CellValue;
  項目名稱: CellValue;
  指標: CellValue;
  年度目標: CellValue;
  單位: CellValue;
  累計完成: CellValue;
  完成率: CellValue;
  備註: CellValue;
  /** Number formats by column label. */
  formats?: Partial<Record<string, string>>;
}

export function goodRows(): ReportRow[] {
  const row = (r: Omit<ReportRow, '完成率' | '備註'> & Partial<ReportRow>): ReportRow => ({ 完成率: null, 備註: null, ...r });
  return [
    row({ 序號: 1, 指標編號: '1-1', 項目名稱: '新增老年助餐服務點227個', 指標: '新增老年助餐服務點227個', 年度目標: 10, 單位: '個', 累計完成: 7 }),
    row({ 序號: 8, 指標編號: '8-1', 項目名稱: '規範提升26家殘疾人托養機構', 指標: '規範提升26家殘疾人托養機構', 年度目標: 2, 單位: '家', 累計完成: 1 }),
    row({ 序號: 8, 指標編號: '8-2', 項目名稱: '實施殘疾人社會化照護服務', 指標: '實施殘疾人社會化照護服務1000人次', 年度目標: 40, 單位: '人次', 累計完成: 20, 備註: '按季度統計' }),
    row({
      序號: 9,
      指標編號: '9-1',
      項目名稱: '全市困難群眾醫療費用綜合保障率',
      指標: '全市困難群眾醫療費用綜合保障率達到83%',
      年度目標: 0.83,
      單位: '%',
      累計完成: 0.81,
      formats: { 年度目標: '0%', 累計完成: '0.0%' },
    }),
    row({ 序號: 26, 指標編號: '26-1', 項目名稱: '家門口青少年宮', 指標: '新增(提升)“家門口青少年宮”教學點100個', 年度目標: '5(4)個', 單位: '個', 累計完成: 6 }),
  ];
}

export interface ReportOptions {
  /** Rows above the header, each an array of cells. */
  meta?: CellValue[][];
  metaFormats?: string[][];
  /** Header labels in the order to lay them out (a subset of HEADER, or other spellings via `labels`). */
  columns?: string[];
  /** Label written for a column (e.g. simplified script). */
  labels?: Partial<Record<string, string>>;
  rows?: ReportRow[];
  origin?: { row: number; col: number };
  merges?: CellRange[];
  sheet?: string;
}

export const GOOD_META: CellValue[][] = [['2024年杭州市民生實事項目進度報送表'], ['填報單位：上城區', null, null, null, '截至日期：2024-09-30']];

/** A template-layout grid; with no options, the good 上城區 report of 2024-09-30, header at row 4 (A4). */
export function reportGrid(options: ReportOptions = {}): Grid {
  const meta = options.meta ?? [...GOOD_META, []];
  const columns = options.columns ?? HEADER;
  const rows = options.rows ?? goodRows();
  const values: CellValue[][] = [...meta, columns.map((c) => options.labels?.[c] ?? c)];
  const formats: string[][] = [...(options.metaFormats ?? meta.map(() => [])), []];
  for (const r of rows) {
    values.push(columns.map((c) => (r as unknown as Record<string, CellValue>)[c] ?? null));
    formats.push(columns.map((c) => r.formats?.[c] ?? 'General'));
  }
  return gridFromRows(options.sheet ?? '進度報送表', values, { origin: options.origin, formats, merges: options.merges });
}

export function valuesOf(rows: { metricId: string; completed: number }[]): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.metricId, r.completed]));
}
