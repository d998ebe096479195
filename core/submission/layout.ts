// Which sheets are 進度報送表, and in which layout: the generated template (one district; header 序號 |
// 指標編號 | … | 累計完成 | 完成率 | 備註) found by its header vocabulary, or the wide 附件2-shaped sheet (a
// department reporting every district at once, date in the title).
import { readBreakdown, type BreakdownSheet } from '../breakdown';
import type { ColumnSpec } from '../columns';
import { GridView, type Grid } from '../grid';
import { matchKey } from '../text';
import { textsAbove } from './labels';
import type { SubmissionLayout } from './schema';

// ---------------------------------------------------------------------------------------------
// Template header vocabulary

export type TemplateKey = 'serial' | 'metricId' | 'projectName' | 'metricLabel' | 'target' | 'unit' | 'completed' | 'completionRate' | 'note';

/** The template's columns in the order the writer lays them out; labels are what the writer writes. */
export const SUBMISSION_COLUMNS = [
  { key: 'serial', label: '序號', synonyms: ['序', '項目序號', '項目編號'] },
  { key: 'metricId', label: '指標編號', synonyms: ['指標代碼', '指標ID', '指標序號'] },
  { key: 'projectName', label: '項目名稱', synonyms: ['項目', '民生實事項目', '實事項目名稱'] },
  { key: 'metricLabel', label: '指標', synonyms: ['指標名稱', '量化指標', '指標內容', '任務指標'] },
  { key: 'target', label: '年度目標', synonyms: ['目標', '全年目標', '目標任務', '年度目標任務', '量化目標', '年度任務'] },
  { key: 'unit', label: '單位', synonyms: ['計量單位'] },
  { key: 'completed', label: '累計完成', synonyms: ['累計完成數', '累計完成量', '累計完成值', '累計完成數量', '累計完成情況', '累計完成數值'] },
  { key: 'completionRate', label: '完成率', synonyms: ['完成比例', '完成進度', '完成百分比'] },
  { key: 'note', label: '備註', synonyms: ['說明', '情況說明'] },
] as const satisfies readonly ColumnSpec<TemplateKey>[];

const COLUMN_BY_KEY = new Map<string, TemplateKey>();
for (const spec of SUBMISSION_COLUMNS) {
  for (const label of [spec.label, ...spec.synonyms]) COLUMN_BY_KEY.set(matchKey(label), spec.key);
}

/** A header cell's key: folded, with a trailing bracketed remark dropped ("累計完成（個）" → 累计完成). */
function headerKey(text: string): TemplateKey | undefined {
  const key = matchKey(text);
  return COLUMN_BY_KEY.get(key) ?? COLUMN_BY_KEY.get(key.replace(/\([^()]*\)$/, ''));
}

export interface TemplateHeader {
  row: number;
  cols: Partial<Record<TemplateKey, number>>;
}

/** The row that names 累計完成 plus a way to identify the metric (指標編號 or 序號), and at least three labels. */
export function findTemplateHeader(view: GridView): TemplateHeader | undefined {
  const lastScan = Math.min(view.lastRow, view.firstRow + 40);
  for (let row = view.firstRow; row <= lastScan; row++) {
    const cols: Partial<Record<TemplateKey, number>> = {};
    for (let col = view.firstCol; col <= view.lastCol; col++) {
      if (view.isMergedCopy(row, col)) continue;
      const text = view.raw(row, col);
      if (typeof text !== 'string' || text.length > 30) continue;
      const key = headerKey(text);
      if (key && cols[key] === undefined) cols[key] = col;
    }
    const found = Object.keys(cols).length;
    if (cols.completed !== undefined && (cols.metricId !== undefined || cols.serial !== undefined) && found >= 3) return { row, cols };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Detection

/** The wide layout: 附件2's header with at least three district columns, and a date or progress words above it. */
export function findWideSheet(grid: Grid, view: GridView, read: () => BreakdownSheet | undefined = () => readBreakdown(grid)): BreakdownSheet | undefined {
  const sheet = read();
  if (!sheet || sheet.districtColumns.filter((d) => d.district).length < 3) return undefined;
  const above = textsAbove(view, sheet.header.row).map((t) => matchKey(t.text));
  return above.some((k) => /截至|截止|进度|完成情况|累计完成/.test(k)) ? sheet : undefined;
}

/**
 * Which submission layout a sheet holds, if any. `read` gives the sheet read as 附件2, for a caller that
 * reads it anyway (a 10,000-row sheet is then read once, not twice).
 */
export function detectSubmissionLayout(grid: Grid, read?: () => BreakdownSheet | undefined): SubmissionLayout | undefined {
  const view = new GridView(grid);
  if (grid.values.length === 0) return undefined;
  if (findTemplateHeader(view)) return 'template';
  return findWideSheet(grid, view, read) ? 'wide' : undefined;
}

/** Is this sheet a 進度報送表, in either layout? */
export function detectSubmission(grid: Grid): boolean {
  return detectSubmissionLayout(grid) !== undefined;
}
