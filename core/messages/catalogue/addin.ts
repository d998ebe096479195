// What the Excel task pane (addin/) says to the clerk. The whole pane's text moves here during the
// language work; these are the sentences added with the hardening against real Excel hosts.
export const ADDIN = {
  'addin.marks.fillsOnly': '有{count}個單元格的說明（附註或批註）未能寫入，這些單元格只塗了顏色；每個問題的說明見下方列表。',
  'addin.marks.sheetFailed': '工作表「{sheet}」未能標記問題，請看下方列表。',
  'addin.chart.tooLarge': '圖表「{title}」的圖片有{size} MB，超過Excel一次能接收的{limit} MB，沒有插入任何圖片，工作表未改動。請把這句話發給督查室。',
  'addin.chart.refused': 'Excel沒有接收圖表「{title}」的圖片（{size} MB，超過它一次能接收的大小）；在它之前已插入{done}張。請再試一次；如一直出錯，請把這句話發給督查室。',
  'addin.submit.noFile': '這個Excel（例如iPad版）不能把整個工作簿交給加載項，所以無法在這裡提交。請在Windows、Mac或網頁版的Excel中打開這個工作簿再提交。',
  'addin.oldWebview': '民生實事加載項無法在這個版本的Office中運行：它用的是舊的瀏覽器核心（Internet Explorer或舊版Edge）。請改用Microsoft 365或Office 2021及以上版本（Windows上需要Microsoft Edge WebView2），或在網頁版Excel中打開這個工作簿。',
} as const;
