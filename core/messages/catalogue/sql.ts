// `minsheng sql` (pipeline/db/adhoc.ts): why an analyst's statement was not run.
export const SQL = {
  'sql.settings-function':
    'minsheng sql 不能更改資料庫設定：語句中用到了 {names}（開關日誌或剖析、寫入文件、執行拼接出來的 SQL 的函數；寫在字串或註解裡也算），未執行任何語句。需要時請用 DuckDB 客戶端打開資料庫的副本。',
} as const;
