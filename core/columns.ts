// Column vocabularies of the sheets we read: canonical labels and what clerks write instead.
import type { CellValue } from './grid';
import { matchKey, squeeze, toHalfWidth } from './text';

export interface ColumnSpec<K extends string = string> {
  key: K;
  /** The label normalisation writes. */
  label: string;
  synonyms: string[];
}

export const BREAKDOWN_COLUMNS = [
  { key: 'serial', label: '序號', synonyms: ['序', '編號', '項目序號'] },
  { key: 'name', label: '項目名稱', synonyms: ['項目', '民生實事項目', '實事項目名稱', '項目內容'] },
  { key: 'target', label: '量化目標', synonyms: ['目標', '年度目標', '量化指標', '目標任務', '任務量'] },
  { key: 'leadUnit', label: '牽頭單位', synonyms: ['牽頭部門', '責任單位', '市級牽頭單位'] },
] as const satisfies readonly ColumnSpec[];

export const RESPONSIBILITY_COLUMNS = [
  { key: 'serial', label: '序號', synonyms: ['序', '編號'] },
  { key: 'category', label: '類別', synonyms: ['類型', '項目類別', '方面'] },
  { key: 'name', label: '項目名稱', synonyms: ['項目', '民生實事項目', '項目內容'] },
  { key: 'leaders', label: '分管市領導', synonyms: ['分管領導', '市領導', '責任市領導'] },
  { key: 'leadUnit', label: '牽頭單位', synonyms: ['牽頭部門', '責任單位'] },
  { key: 'leadUnitLeaders', label: '牽頭單位分管領導', synonyms: ['牽頭單位領導', '牽頭部門分管領導', '單位分管領導'] },
  { key: 'coordinatingUnits', label: '配合單位', synonyms: ['配合部門', '協同單位', '協作單位'] },
  { key: 'deadline', label: '預計完成時間', synonyms: ['完成時間', '完成時限', '計劃完成時間'] },
  { key: 'planText', label: '工作計劃和進度安排', synonyms: ['工作計劃及進度安排', '進度安排', '工作計劃', '計劃和進度安排'] },
] as const satisfies readonly ColumnSpec[];

export const REQUIRED_BREAKDOWN: readonly BreakdownKey[] = ['serial', 'name', 'target'];
export const REQUIRED_RESPONSIBILITY: readonly ResponsibilityKey[] = ['name', 'leadUnit', 'deadline', 'planText'];

export type BreakdownKey = (typeof BREAKDOWN_COLUMNS)[number]['key'];
export type ResponsibilityKey = (typeof RESPONSIBILITY_COLUMNS)[number]['key'];

/** The column a header cell names, by exact folded match against the label and its synonyms. */
export function matchColumn<K extends string>(specs: readonly ColumnSpec<K>[], text: string): ColumnSpec<K> | undefined {
  const key = matchKey(text);
  if (!key) return undefined;
  return specs.find((s) => matchKey(s.label) === key || s.synonyms.some((syn) => matchKey(syn) === key));
}

// Every spelling of those words holds one of these characters (計, 註 and 說 in either script, and the
// variant and compatibility forms script conversion folds to them): a text without one is neither,
// which spares the conversion on every project name of a long sheet.
const TOTAL_CHAR = /[計计]/;
const NOTE_CHAR = /[註注說说説\uF96F\uF9A1]/;

/** Words that mark a row as a total or a note rather than a project. */
export function isTotalLabel(text: string): boolean {
  if (!TOTAL_CHAR.test(text)) return false;
  return /^(合計|總計|小計|合计|总计|小计)$/.test(matchKey(text));
}

export function isNoteLabel(text: string): boolean {
  if (!NOTE_CHAR.test(text)) return false;
  return /^(備註|备注|註|注|說明|说明|填表說明|填表说明)[:：]?/.test(matchKey(text));
}

/**
 * 序號 as a project number, in 附件2, 附件1 and the 進度報送表: 3, "3", "３", " 3 ", "3.", "3、", "3.0". Not a
 * number of a project: "一" or "（一）" (they head a category), "1-1" (a metric id), 0, fractions, text.
 */
export function parseSerial(v: CellValue): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v > 0 && v < 1_000_000 ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{1,6})(?:\.0+)?[.、]?$/.exec(squeeze(toHalfWidth(v)));
  return m && Number(m[1]) > 0 ? Number(m[1]) : undefined;
}
