// What the database layer (pipeline/db) refuses: a database that is missing, busy, or cannot be written,
// SQL that `minsheng sql` will not run, and rows that would break the database's integrity. Thrown as
// MessageError and rendered by whoever shows them, in the reader's language.
export const STORE = {
  'store.locked': '資料庫正被另一個程序寫入：{db}（已等待 {seconds} 秒仍未釋放）。請待該程序結束後再試。',
  'store.locked-by': '資料庫正被另一個程序寫入：{db}（已等待 {seconds} 秒仍未釋放，佔用程序 PID {pid}）。請待該程序結束後再試。',
  'store.disk-full':
    '磁碟空間不足，無法寫入資料庫{where}：正在寫入的這份資料已整體撤銷，之前已寫入的不受影響。請清理磁碟空間後重新執行同一命令（已載入的檔案會被跳過）。',
  'store.read-only-fs': '無法寫入資料庫{where}：所在的檔案系統是唯讀的。請把資料庫放在可寫入的位置（用 --db 或 $MINSHENG_DB 指定）。',
  'store.no-permission': '無法寫入資料庫{where}：沒有寫入權限。請檢查該檔案及其所在資料夾的權限，或用 --db 指定其他位置。',
  'store.no-folder': '無法建立資料庫{where}：所在的資料夾不存在。請先建立該資料夾，或用 --db 指定其他位置。',
  'store.missing': '資料庫檔案不存在：{db}（請先執行 minsheng plan load 建立，或用 --db 指定）',
  'store.no-plan': '資料庫裡還沒有計劃；請先執行 minsheng plan load',
  'store.no-schema': '找不到 queries/schema.sql（自 {dir} 向上查找）',
  'store.date-invalid': '不存在的日期：「{value}」，日期應為存在的一天，寫成 YYYY-MM-DD',
  'store.row.metric-id': '指標編號格式不正確：「{metric}」{where}',
  'store.row.repeated': '指標 {metric} 在同一份報送表中出現兩次{where}',
  'store.row.not-number': '指標 {metric} 的累計完成不是數字{where}',
  'store.row.negative': '指標 {metric} 的累計完成為負數：{value}{where}',
  'store.row.cell': '（{cell}）',
  'adhoc.rejected': 'minsheng sql 只執行查詢（{allowed}）：第 {n} 條語句是 {type}，未執行任何語句。',
  'adhoc.empty': '沒有可執行的 SQL 語句',
  'adhoc.statement-error': '第 {n} 條語句有誤：{reason}',
  'adhoc.files': 'minsheng sql 只查詢資料庫本身：第 {n} 條語句要讀寫檔案（COPY、EXPORT、ATTACH、read_csv 等），不予執行。需要時請用 DuckDB 客戶端打開資料庫的副本。',
  'adhoc.settings': 'minsheng sql 不能更改資料庫設定：第 {n} 條語句要改設定（只可用 SET VARIABLE 設定查詢用的變數），已停止執行。',
} as const;
