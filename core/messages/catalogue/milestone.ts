// Why a step of a 進度安排 (core/milestone.ts) does not count as a milestone: the reason the
// milestone-unreadable issue puts in.
export const MILESTONE = {
  'milestone.bad-month': '「{written}」不是有效的月份',
  'milestone.bad-day': '「{written}」不是存在的日期',
  'milestone.range-reversed': '「{written}」的起始月份晚於結束月份',
  'milestone.bad-quarter': '「{written}」不是有效的季度',
  'milestone.date-unreadable': '日期無法識別',
  'milestone.step-skipped': '{problem}，這一步未計入進度節點',
  'milestone.block-unassigned': '無法確定這段進度安排屬於哪個指標，已按項目的全部指標處理',
  'milestone.ratio-out-of-range': '折算為指標{metric}目標的{percent}%，超出合理範圍（0–150%），請核對數字和單位；這一步未計入進度比例',
} as const;
