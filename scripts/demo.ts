// `npm run demo`: the whole product on the bundled 2024 sample, step by step, with timings.
// Runs the real `minsheng` commands in-process; everything it writes goes to ./out/.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../pipeline/cli/main';

const ROOT = path.resolve(__dirname, '..');
const SAMPLE = path.join(ROOT, 'samples/2024-hangzhou');
const OUT = path.join(ROOT, 'out');
const DB = path.join(OUT, 'minsheng.duckdb');
const BULLETIN = path.join(OUT, '通報-2024-10-31.docx');

/** The bulletin's first page as a picture (the README's), when LibreOffice Writer and poppler are installed. */
function bulletinFirstPage(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-demo-'));
  try {
    // soffice names its output after the input: an ASCII copy keeps the path simple for every tool.
    fs.copyFileSync(BULLETIN, path.join(work, 'bulletin.docx'));
    execFileSync('soffice', [`-env:UserInstallation=file://${path.join(work, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', work, path.join(work, 'bulletin.docx')], { stdio: 'ignore', timeout: 180_000 });
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', path.join(work, 'bulletin.pdf'), path.join(OUT, '通報-2024-10-31-第1頁')], { stdio: 'ignore' });
    console.log(`\n▶ 通報第1頁的圖片：${path.relative(ROOT, path.join(OUT, '通報-2024-10-31-第1頁.png'))}（LibreOffice 轉成 PDF 再用 pdftoppm 取第1頁）`);
  } catch {
    console.log('\n▶ 沒有 LibreOffice Writer 或 poppler-utils，略過通報第1頁的圖片。');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function step(title: string, args: string[], okCodes = [0]): Promise<void> {
  console.log(`\n▶ ${title}\n  $ minsheng ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : path.isAbsolute(a) ? path.relative(ROOT, a) || '.' : a)).join(' ')}`);
  const start = process.hrtime.bigint();
  const code = await main(['node', 'minsheng', ...args]);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const size = fs.existsSync(DB) ? `, 資料庫 ${(fs.statSync(DB).size / 1e6).toFixed(1)} MB` : '';
  console.log(`  (${(ms / 1000).toFixed(2)} s, exit ${code}${size})`);
  if (!okCodes.includes(code)) throw new Error(`step failed: ${title} (exit ${code})`);
}

async function run(): Promise<void> {
  const started = Date.now();
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });
  const combined = path.join(SAMPLE, '附件1+2.xlsx');
  await step('校驗計劃工作簿（附件1+附件2）', ['validate', combined]);
  await step('規範化副本', ['normalise', combined, '-o', path.join(OUT, '附件1+2-規範.xlsx')]);
  await step('載入計劃到 DuckDB', ['plan', 'load', combined, '--db', DB]);
  await step('載入各區縣進度報送表（3月–11月）', ['load', path.join(SAMPLE, 'submissions'), '--db', DB]);
  await step('區縣排名（最近一次報送日期）', ['rank', '--db', DB]);
  await step('嚴重滯後：掛牌督辦候選（最近一次報送日期）', ['lag', '--status', 'seriously_behind', '--db', DB]);
  await step('標註一份區縣報送表（臨平區，9月）', ['annotate', path.join(SAMPLE, 'submissions/2024-09/臨平區.xlsx'), '-o', path.join(OUT, '臨平區-2024-09-30-標註.xlsx'), '--db', DB]);
  await step('掛牌督辦：對9月底嚴重滯後的指標掛牌（整改期限30天）', ['supervise', 'open', '--as-of', '2024-09-30', '--db', DB]);
  await step('督辦複查（10月底）：回到進度的銷號，過了整改期限仍滯後的標為逾期', ['supervise', 'review', '--as-of', '2024-10-31', '--db', DB]);
  await step('晾曬通報（截至10月底）：Word文件，並記錄表揚和點名的區縣', ['bulletin', '--as-of', '2024-10-31', '-o', BULLETIN, '--db', DB]);
  await step('督辦複查（11月底）：上次銷號的督查回頭看', ['supervise', 'review', '--as-of', '2024-11-30', '--db', DB]);
  await step('督辦案件一覽（11月底）', ['supervise', 'list', '--db', DB]);
  await step('載入並核對臨平區的點位清單（與任務、與11月底的報送）', ['sites', 'load', path.join(SAMPLE, 'sites/臨平區-點位.xlsx'), '--db', DB]);
  await step('匯出點位（上傳省民生地圖）', ['sites', 'export', '--csv', path.join(OUT, '點位.csv'), '--db', DB]);
  // The year-end assessment, after the supervision loop so its cases and bulletin count: the example
  // rules (an example, not the city's), the demo inputs (samples/2024-hangzhou/assessment/README.md),
  // the scores, why the last district is last; then the leaders' report with its 年度考核 sheet.
  const rules = path.join(OUT, '考核細則-範例.xlsx');
  const inputs = ['滿意度測評.xlsx', '第三方評價.xlsx', '參與監督.xlsx'].map((f) => path.join(SAMPLE, 'assessment', f));
  await step('考核細則範例工作簿（督查室修改後載入）', ['assess', 'rules', '-o', rules, '--db', DB]);
  await step('載入考核細則和外部評價（滿意度測評、第三方評價、參與監督）', ['assess', 'load', rules, ...inputs, '--db', DB]);
  await step('年度績效考核得分', ['assess', '--year', '2024', '--csv', path.join(OUT, '年度考核.csv'), '--db', DB]);
  await step('為什麼排最後：逐項說明', ['assess', 'explain', '--district', '臨平區', '--db', DB]);
  await step('牽頭單位排名（按所牽頭項目在各區縣的進度）', ['rank', '--by', 'lead-unit', '--db', DB]);
  await step('牽頭單位自己的工作簿（市民政局）', ['report', '--lead-unit', '市民政局', '-o', path.join(OUT, '市民政局.xlsx'), '--db', DB]);
  await step('給領導的報告工作簿和圖表', ['report', '-o', path.join(OUT, 'report.xlsx'), '--charts', path.join(OUT, 'charts'), '--db', DB]);
  bulletinFirstPage();
  await step('分析師的自由查詢', ['sql', `SELECT district, count(*) AS reports FROM submissions WHERE superseded_by IS NULL GROUP BY district ORDER BY reports, district LIMIT 5`, '--db', DB]);
  await step('生成一份報送模板', ['template', '--district', '上城區', '--as-of', '2024-12-31', '-o', path.join(OUT, '上城區-2024-12-31-報送表.xlsx'), '--db', DB]);
  console.log(`\n完成，共 ${((Date.now() - started) / 1000).toFixed(1)} 秒。輸出在 ${path.relative(process.cwd(), OUT) || '.'}/：`);
  for (const f of fs.readdirSync(OUT).sort()) {
    const full = path.join(OUT, f);
    console.log(fs.statSync(full).isDirectory() ? `  ${f}/ (${fs.readdirSync(full).length} 個文件)` : `  ${f}`);
  }
}

run().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
