// Parameters the CLI and the service both take (pipeline/parameters.ts): where the database is, a
// report date, a list of lag statuses — their help and the refusal of a value that is none of these.
export const PARAMETERS = {
  'param.db.help': '資料庫檔案（預設 $MINSHENG_DB 或 ./minsheng.duckdb）',
  'param.db.validate.help': '進度報送表按此資料庫中的年度計劃校驗（預設 $MINSHENG_DB 或 ./minsheng.duckdb，存在時）',
  'param.date.not-iso': '日期「{value}」不對，應寫成 YYYY-MM-DD，如 2024-09-30',
  'param.date.invalid': '日期格式不對：「{value}」（應為如 2024-09-30 或 2024年9月30日 的日期）',
  'param.status.unknown':
    '未知的狀態「{value}」；可用：missing（{missing}）、overdue（{overdue}）、seriously_behind（{seriously_behind}）、stalled（{stalled}）、behind（{behind}）、on_track（{on_track}）',
  'param.as-of.no-reports': '資料庫裡還沒有報送資料；請先 minsheng load，或用 --as-of 指定日期',
  'param.as-of.none-yet': '還沒有任何區縣報送進度；請用參數 as_of 指定日期',
  'param.as-of.common': '未指定截至日期：採用各區縣都已報送到的日期 {asOf}（每個區縣最近一次報送的截至日期中最早的一個）。',
  'param.as-of.common-behind': '未指定截至日期：採用各區縣都已報送到的日期 {asOf}（每個區縣最近一次報送的截至日期中最早的一個）；最新的報送已到 {latest}，但{districts}最近只報送到 {asOf}。要看 {latest} 請指定 --as-of {latest}。',
} as const;
