// The words of the lag statuses (core/lagStatus.ts): one label per status, the same in the terminal,
// the workbooks and the charts, and the words for a 掛牌督辦 candidate.
export const STATUS = {
  'status.missing': '未報送',
  'status.overdue': '逾期未完成',
  'status.seriously_behind': '嚴重滯後',
  'status.stalled': '停滯',
  'status.behind': '滯後',
  'status.on_track': '正常',
  'status.supervision': '掛牌督辦',
  'status.supervision.candidate': '候選',
  'status.supervision.legend': '掛牌督辦候選（落後計劃≥{points}個百分點）',
} as const;
