// Why normalisation changed a cell (core/normalise.ts): shown per change by `minsheng normalise` and
// counted per reason in the task pane's 規範化 summary.
export const NORMALISE = {
  'normalise.reason.header': '表頭改為標準名稱',
  'normalise.reason.district': '區縣改為標準名稱',
  'normalise.reason.serial': '序號改為數字',
  'normalise.reason.text': '全角轉半角、去除多餘空格和換行',
  'normalise.reason.none': '「--」表示無任務，改為空白',
  'normalise.reason.number': '數量改為數值，單位保留在數字格式中',
  'normalise.reason.quantity': '數量寫法規範化',
} as const;
