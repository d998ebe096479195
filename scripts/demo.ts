// `npm run demo`: the whole product on the bundled 2024 sample, step by step, with timings.
// Runs the real `minsheng` commands in-process; everything it writes goes to ./out/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../pipeline/cli/main';

const ROOT = path.resolve(__dirname, '..');
const SAMPLE = path.join(ROOT, 'samples/2024-hangzhou');
const OUT = path.join(ROOT, 'out');
const DB = path.join(OUT, 'minsheng.duckdb');

async function step(title: string, args: string[], okCodes = [0]): Promise<void> {
  console.log(`\n▶ ${title}\n  $ minsheng ${args.map((a) => (/\s/.test(a) ? JSON.stringify(a) : path.isAbsolute(a) ? path.relative(ROOT, a) || '.' : a)).join(' ')}`);
  const start = process.hrtime.bigint();
  const code = await main(['node', 'minsheng', ...args]);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`  (${(ms / 1000).toFixed(2)} s, exit ${code})`);
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
  await step('給領導的報告工作簿和圖表', ['report', '-o', path.join(OUT, 'report.xlsx'), '--charts', path.join(OUT, 'charts'), '--db', DB]);
  await step('標註一份區縣報送表（臨平區，9月）', ['annotate', path.join(SAMPLE, 'submissions/2024-09/臨平區.xlsx'), '-o', path.join(OUT, '臨平區-2024-09-30-標註.xlsx'), '--db', DB]);
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
