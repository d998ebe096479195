// The words of a 點位 list as clerks write them: column labels (the catalogue's, in either script, and
// the other names offices use) and status words. readSites matches them; siteLayout writes the labels.
import type { ColumnSpec } from '../columns';
import { t } from '../messages';
import { matchKey } from '../text';

export const SITE_STATUSES = ['not_started', 'in_progress', 'finished'] as const;
export type SiteStatus = (typeof SITE_STATUSES)[number];

/** Other words for each status (the catalogue's own word, 未開工 / 在建 / 完成, is always accepted). */
const STATUS_SYNONYMS: Record<SiteStatus, string[]> = {
  not_started: ['未開始', '尚未開工', '未動工', '待開工', '未建'],
  in_progress: ['在建中', '建設中', '施工中', '已開工', '正在建設', '推進中'],
  finished: ['已完成', '完工', '已完工', '建成', '已建成', '竣工', '已竣工'],
};

/** The status a cell says, in either script, or undefined. */
export function siteStatusFromText(text: string): SiteStatus | undefined {
  const key = matchKey(text);
  if (!key) return undefined;
  return SITE_STATUSES.find((s) => matchKey(t('zh-TW', `sites.status.${s}`)) === key || STATUS_SYNONYMS[s].some((w) => matchKey(w) === key) || s === text.trim().toLowerCase());
}

export type SiteColumnKey = 'metric_id' | 'project' | 'label' | 'name' | 'address' | 'planned_start' | 'planned_finish' | 'status' | 'finished_on' | 'longitude' | 'latitude' | 'note';

const SYNONYMS: Record<SiteColumnKey, string[]> = {
  metric_id: ['指標代碼', '指標ID'],
  project: ['項目', '民生實事項目', '所屬項目'],
  label: ['指標名稱', '量化指標'],
  name: ['點位', '點位名', '站點名稱', '名稱'],
  address: ['詳細地址', '點位地址', '具體地址', '位置'],
  planned_start: ['計劃開工日期', '計劃開工時間', '開工日期', '計劃開始'],
  planned_finish: ['計劃完工日期', '計劃完工時間', '計劃完成日期', '計劃完成時間', '計劃完成'],
  status: ['建設狀態', '點位狀態', '進展狀態', '進度'],
  finished_on: ['完工時間', '實際完工日期', '完成日期', '完成時間'],
  longitude: ['東經'],
  latitude: ['北緯'],
  note: ['說明'],
};

/** The column vocabulary of the 點位 sheet, labels from the catalogue. */
export function siteColumnSpecs(): ColumnSpec<SiteColumnKey>[] {
  return (Object.keys(SYNONYMS) as SiteColumnKey[]).map((key) => ({ key, label: t('zh-TW', `sites.col.${key}`), synonyms: SYNONYMS[key] }));
}
