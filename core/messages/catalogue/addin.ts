// What the Excel task pane (addin/) says to the clerk. The whole pane's text moves here during the
// language work; these are the sentences added with the hardening against real Excel hosts (issue 11).
export const ADDIN = {
  'addin.marks.fillsOnly': '有{count}個單元格的說明（附註或批註）未能寫入，這些單元格只塗了顏色；每個問題的說明見下方列表。',
  'addin.marks.sheetFailed': '工作表「{sheet}」未能標記問題，請看下方列表。',
} as const;
