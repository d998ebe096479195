// The 進度報送表 a district fills in (core/templateLayout.ts), as the clerk reads it: sheet names, title,
// labels, the hint row, the column labels, the prompts and errors of its data validation, the signature
// line, the page footer and the 填報說明 sheet; and why a template cannot be made for the district and
// date asked for, shown by `minsheng template` and by the task pane's 生成報送表. Taiwan's Excel words
// (儲存格, 資料, 欄, 列印, 校閱 → 取消保護工作表); simplified text becomes 单元格, 数据, 列, 打印, 审阅 →
// 撤销工作表保护 (core/messages/script.ts). The labels 填報單位 and 截至日期 and the column labels must stay
// words the submission reader knows (core/submission/labels.ts, core/submission/layout.ts).
export const TEMPLATE = {
  'template.date-unreadable': '截至日期「{written}」無法識別：請寫成「{year}-09-30」或「{year}年9月30日」。',
  'template.date-outside-year': '截至日期{date}不在計劃年度{year}年內。',
  'template.nothing-to-report': '{district}在{year}年計劃中沒有分解到的量化任務，無需報送進度。',

  'template.sheet': '進度報送表',
  'template.sheet.instructions': '填報說明',
  'template.title': '{year}年{city}民生實事項目進度報送表',
  'template.label.district': '填報單位：{district}',
  'template.label.as-of': '截至日期：{date}',
  'template.hint':
    '請只在黃色儲存格填寫：「累計完成」填截至上述日期自年初起的累計數（只填數字，單位見「單位」欄；比率類指標填達到的比率，如82%），「備註」填需要說明的情況。尚無資料的請留空（留空表示未報送，不按0計算）。',
  'template.column.serial': '序號',
  'template.column.metricId': '指標編號',
  'template.column.projectName': '項目名稱',
  'template.column.metricLabel': '指標',
  'template.column.target': '年度目標',
  'template.column.unit': '單位',
  'template.column.completed': '累計完成',
  'template.column.completionRate': '完成率',
  'template.column.note': '備註',

  'template.rule.title': '累計完成',
  'template.rule.error-title': '累計完成填寫有誤',
  'template.rule.rate.prompt': '填寫截至{date}達到的比率，如82%（輸入82%或0.82）。尚無資料請留空。',
  'template.rule.rate.error': '比率應在0%到100%之間，只填數字或百分數，不要帶文字。',
  'template.rule.count.prompt': '填寫截至{date}自年初起的累計完成數{unit}{compound}，只填數字。尚無資料請留空，不要填0。',
  'template.rule.count.unit': '（單位：{unit}）',
  'template.rule.count.compound': '，新增與提升的合計',
  'template.rule.count.error': '累計完成只能填不小於0的數字，不要帶單位或文字{unit}。',
  'template.rule.count.error-unit': '（單位已是「{unit}」）',

  'template.sign.filled-by': '填報人：',
  'template.sign.phone': '聯繫電話：',
  'template.sign.reviewer': '審核人：',
  /** &P and &N are Excel's page codes. */
  'template.footer': '第 &P 頁，共 &N 頁',

  'template.instructions.title': '填報說明',
  'template.instructions.1': '1. 本表是{district}截至{date}的民生實事項目進度報送表，由督查系統按年度計劃生成，只列出{district}有年度任務的指標。',
  'template.instructions.2':
    '2. 只需填寫「{sheet}」中的黃色儲存格：「累計完成」和「備註」。其他儲存格已鎖定，請勿增刪行欄、調整順序或修改指標編號。',
  'template.instructions.3': '3. 「累計完成」填截至日期自年初起的累計數（不是當月新增數），只填數字，不要帶單位；單位見「單位」欄。確實為0的填0。',
  'template.instructions.4': '4. 年度目標為百分比的是比率類指標，「累計完成」填達到的比率，如82%（可輸入82%或0.82）。',
  'template.instructions.5': '5. 年度目標寫作「5(4)個」的，表示新增5個、提升4個，「累計完成」填兩者合計完成數。',
  'template.instructions.6': '6. 尚未統計或無法提供的請留空，並在「備註」中說明原因。留空表示該指標本次未報送，不會按0計算。',
  'template.instructions.7': '7. 「完成率」由公式自動計算（累計完成 ÷ 年度目標），無需填寫。',
  'template.instructions.8': '8. 如需更正已報送的資料：按原截至日期重新填寫整張表再次報送，後報送的表替代先前報送的表。',
  'template.instructions.9':
    '9. 工作表保護未設密碼（校閱 → 取消保護工作表）。如確需調整欄寬或列印設定可取消保護，但請勿改動表格結構和已填的表頭。',
} as const;
