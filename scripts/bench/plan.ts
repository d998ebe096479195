// Bench of issue 2: read + validate + normalise each sample sheet, and a synthetic 10,000-row 附件2,
// both as pure grid work and through ExcelJS from a real file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { DISTRICTS } from '../../core/districts';
import type { CellValue, Grid } from '../../core/grid';
import { normalisePlan } from '../../core/normalise';
import { analysePlanSheets } from '../../core/workbook';
import { applyEditPlan } from '../../pipeline/xlsx/applyEditPlan';
import { readWorkbook } from '../../pipeline/xlsx/readWorkbook';

const SAMPLE_DIR = path.resolve(__dirname, '../../samples/2024-hangzhou');

export async function time<T>(work: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await work();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

/** Median of n runs, in ms. */
export async function median(n: number, work: () => Promise<unknown> | unknown): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < n; i++) runs.push((await time(work)).ms);
  return runs.sort((a, b) => a - b)[Math.floor(n / 2)];
}

function gridWork(grids: Grid[]) {
  const analysis = analysePlanSheets(grids);
  const plan = normalisePlan({ grids, breakdown: analysis.breakdown, responsibility: analysis.responsibility, plan: analysis.assembled.plan });
  return { analysis, plan };
}

/**
 * A 附件2-shaped sheet of `rows` metric rows, two to a project (序號 on the first: it has at most four
 * digits), whose district values add up, units in the text as clerks type them.
 */
export function syntheticBreakdown(rows: number): CellValue[][] {
  const header: CellValue[] = ['序號', '項目名稱', '量化目標', '牽頭單位', ...DISTRICTS.map((d) => d.name)];
  const out: CellValue[][] = [['2024年市政府民生實事項目區、縣(市)任務分解表'], header];
  let seed = 1;
  const next = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  for (let i = 1; i <= rows; i++) {
    const values = DISTRICTS.map(() => (next() < 0.2 ? null : Math.floor(next() * 200) + 1));
    const sum = values.reduce<number>((s, v) => s + (v ?? 0), 0);
    out.push([i % 2 === 1 ? (i + 1) / 2 : null, `合成項目${i}`, `${sum}個`, '市民政局', ...values.map((v) => (v === null ? '--' : `${v} 個`))]);
  }
  return out;
}

export async function benchPlan(print: (line: string) => void): Promise<void> {
  print('== plan workbooks (issue 2): read + validate + normalise');
  for (const name of ['附件1-責任清單.xlsx', '附件2-任務分解表.xlsx', '附件1+2.xlsx']) {
    const file = path.join(SAMPLE_DIR, name);
    const read = await median(5, () => readWorkbook(file));
    const wb = await readWorkbook(file);
    const pure = await median(5, () => gridWork(wb.sheets));
    print(`${name.padEnd(24)} read ${read.toFixed(1)} ms, validate+normalise ${pure.toFixed(1)} ms, total ${(read + pure).toFixed(1)} ms`);
  }
  const rows = syntheticBreakdown(10_000);
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('附件2').addRows(rows);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-bench-'));
  const file = path.join(dir, 'synthetic-10000.xlsx');
  await wb.xlsx.writeFile(file);
  const { ms: readMs, result: read } = await time(() => readWorkbook(file));
  const { ms: pureMs, result } = await time(() => gridWork(read.sheets));
  const { ms: applyMs } = await time(() => applyEditPlan(read.workbook, result.plan));
  const writes = result.plan.edits.reduce((n, e) => n + e.changeCount, 0);
  print(
    `synthetic 附件2, 10,000 rows × 15 districts (${(fs.statSync(file).size / 1e6).toFixed(1)} MB): ` +
      `read ${readMs.toFixed(0)} ms, validate+normalise ${pureMs.toFixed(0)} ms (${result.analysis.assembled.plan.targets.length} targets, ${writes} cell writes, ` +
      `${result.analysis.issues.filter((i) => i.severity === 'error').length} errors), apply edit plan ${applyMs.toFixed(0)} ms`,
  );
  fs.rmSync(dir, { recursive: true, force: true });
}
