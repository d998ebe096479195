// The folder of received files and rebuilding the database from it (pipeline/archive/, docs/design.md,
// "The folder of received files"): what `minsheng rebuild` says, and what every command says when the
// database file is damaged (pipeline/db/store.ts).
export const RECEIVED = {
  'store.damaged':
    '資料庫檔案「{db}」已損壞，無法打開：{detail}。這個檔案沒有被修改，也沒有被刪除。資料庫的內容都來自計劃工作簿和收到的報送檔案，可以重建一個新的：\n  {command}\n{source}重建完成後，用 --db 指定新資料庫（或把新檔案改名為原來的名稱）。{lost}',
  'store.damaged.not-duckdb': '它不是有效的 DuckDB 資料庫檔案（可能被其他程式覆寫，或只寫了一半）',
  'store.damaged.truncated': '檔案比資料庫記錄的短，像是被截斷了（寫入時空間不足、複製未完成或被覆寫）',
  'store.damaged.wal': '它的預寫日誌「{wal}」已損壞，無法重放',
  'store.damaged.checksum': '檔案中的資料區塊校驗不符，內容已被改動',
  'store.damaged.from-archive': '收件資料夾「{dir}」中存有 {plans} 份計劃和 {files} 份報送檔案，按收到的先後重放。',
  'store.damaged.from-archive-no-plan': '收件資料夾「{dir}」中存有 {files} 份報送檔案，但沒有計劃工作簿：請把 --plan 換成附件1、附件2 的檔案路徑。',
  'store.damaged.no-archive': '沒有找到收件資料夾「{dir}」：請把 --plan 換成附件1、附件2 的檔案路徑，把 --from 換成保存報送檔案的資料夾（按檔案名稱順序載入）。',
  'store.damaged.command': 'minsheng rebuild --db {target}{plan} --from {from}',
  'store.damaged.plan-placeholder': ' --plan <附件1.xlsx> --plan <附件2.xlsx>',
  'store.damaged.from-placeholder': '<報送檔案資料夾>',
  'rebuild.lost':
    '重建無法恢復只存在於資料庫中的內容：掛牌督辦的案件和記錄、晾曬通報的記錄、點位清單、考核規則和考核輸入（請用原檔案重新執行 sites load、assess load），以及沒有存入收件資料夾的報送檔案（用 load --no-archive 載入的，或本版本之前載入的）。服務的令牌存在令牌檔案中，不受影響。',
  'rebuild.help': '從計劃工作簿和收件資料夾重建一個新的資料庫（資料庫損壞時使用）',
  'rebuild.db.help': '要建立的新資料庫檔案',
  'rebuild.plan.help': '計劃工作簿（附件1、附件2，可重複）；不給時用收件資料夾中存的計劃',
  'rebuild.from.help': '收件資料夾（預設是資料庫旁的 <資料庫>.received），或保存報送檔案的資料夾；可重複',
  'rebuild.force.help': '新資料庫檔案已存在時覆蓋它',
  'rebuild.no-db': '請用 --db 指定要建立的新資料庫檔案',
  'rebuild.no-from': '請用 --from 指定收件資料夾或保存報送檔案的資料夾',
  'rebuild.from-missing': '資料夾「{dir}」不存在',
  'rebuild.no-plan': '收件資料夾中沒有計劃工作簿，請用 --plan 指定附件1、附件2',
  'rebuild.plan-refused': '計劃工作簿有錯誤，未重建：{files}',
  'rebuild.plan-loaded': '已載入計劃（{files}）',
  'rebuild.progress': '重建中 {done}/{total}：{file}',
  'rebuild.file-refused': '「{file}」（{receivedAt} 收到）這次未載入：{reason}',
  'rebuild.file-changed': '「{file}」的內容與收檔時記錄的 SHA-256 不符，已略過',
  'rebuild.summary':
    '已重建資料庫「{db}」：載入計劃 {plans} 次，重放報送檔案 {files} 份（新載入 {loaded}，其中更正前一份 {superseded}；重複 {duplicate}；未載入 {refused}；內容不符 {changed}），進度資料 {rows} 行。收到的檔案已一併存入「{archive}」。',
  'received.help': '收件資料夾：每個被接受的檔案都存一份於此，供 minsheng rebuild 重建（預設 <資料庫>.received）',
  'received.no-archive.help': '不把檔案存入收件資料夾（此後重建將缺少這些檔案）',
  'received.failed': '無法把收到的檔案存入收件資料夾「{dir}」：{reason}。檔案未載入，請檢查磁碟空間和權限後重試。',
  'received.unverified': '「{file}」在載入後已被改動，未存入收件資料夾；重建時將缺少它，請保留原檔案。',
} as const;
