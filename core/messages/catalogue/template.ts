// Why a 進度報送表 cannot be made for the district and date asked for (core/templateLayout.ts): shown by
// `minsheng template` and by the task pane's 生成報送表.
export const TEMPLATE = {
  'template.date-unreadable': '截至日期「{written}」無法識別：請寫成「{year}-09-30」或「{year}年9月30日」。',
  'template.date-outside-year': '截至日期{date}不在計劃年度{year}年內。',
  'template.nothing-to-report': '{district}在{year}年計劃中沒有分解到的量化任務，無需報送進度。',
} as const;
