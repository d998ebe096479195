// Why a workbook cannot be read at all: what the guards in pipeline/xlsx say before any cell is allocated.
export const WORKBOOK = {
  'workbook.sheet-too-large': '「{file}」的工作表「{sheet}」範圍過大：{range}共{cells}個單元格，超過上限{max}；請刪除多餘的行列後重新保存',
  'workbook.range-too-large': '「{file}」的工作表「{sheet}」中的{kind}範圍過大：{range}共{cells}個單元格，超過上限{max}；請在Excel中縮小或刪除後重新保存',
  'workbook.too-many-records': '「{file}」的工作表「{sheet}」記錄了超過{max}個{what}；請刪除多餘的行列後重新保存',
  'workbook.record.cell': '單元格',
  'workbook.record.row': '行',
  'workbook.record.merge': '合併單元格',
  'workbook.range.merge': '合併單元格',
  'workbook.range.data-validation': '資料驗證',
  'workbook.range.conditional-format': '條件格式',
  'workbook.range.columns': '欄寬或欄格式',
  'workbook.ranges': '{range}等{count}處',
} as const;
