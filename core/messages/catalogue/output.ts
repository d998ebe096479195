// Files the CLI writes (pipeline/output/outputGuard.ts): the one rule for where an output may go — never
// onto the database, its write-ahead log or a file being read, and onto an existing file only with --force.
export const OUTPUT = {
  'output.is-input': '輸出檔案「{file}」就是輸入檔案「{input}」，不會覆蓋它；請指定另一個輸出路徑。',
  'output.is-database': '輸出檔案「{file}」是資料庫檔案「{db}」，寫出會毀掉資料庫；請指定另一個輸出路徑。',
  'output.is-wal': '輸出檔案「{file}」是資料庫「{db}」的預寫日誌（.wal），寫出會毀掉資料庫；請指定另一個輸出路徑。',
  'output.exists': '檔案「{file}」已存在，未覆蓋；如要覆蓋請加 --force。',
  'output.is-directory': '輸出路徑「{file}」是一個資料夾，不是檔案；請指定檔案名稱。',
  'output.force.help': '輸出檔案已存在時覆蓋它（資料庫和輸入檔案仍不會被覆蓋）',
} as const;
