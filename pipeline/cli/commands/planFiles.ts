// `minsheng validate` and `minsheng normalise`: the clerk-facing checks of plan workbooks.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { normalisePlan } from '../../../core/normalise';
import { exitCodeFor, issueReportJson, renderIssueReport, summaryLine } from '../../output/issueReport';
import { readStoredPlan } from '../../db/plan';
import { resolveDbPath } from '../../parameters';
import { readPlanFile, readPlanFiles, withSubmissionChecks } from '../../planFiles';
import { writeBytesCopy } from '../../xlsx/applyEditPlan';
import { editedCopy } from '../../xlsx/editedCopy';
import { checkOutputFile } from '../../output/outputGuard';
import type { CliContext } from '../context';
import { helpTranslator, readerLang } from '../lang';
import { dbOption } from '../options';

export function registerPlanFileCommands(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('校驗附件1、附件2或進度報送表，逐格報告問題')
    .argument('<files...>', '要校驗的 .xlsx 文件')
    .option('--json', '輸出 JSON（供程序使用）')
    .option('--year <year>', '計劃年度（表題中沒有年份時使用）', parseYear)
    .addOption(dbOption(helpTranslator()('param.db.validate.help')))
    .action(async (files: string[], opts: { json?: boolean; year?: number; db?: string }) => {
      let read = await readPlanFiles(files, { year: opts.year });
      if (read.some((f) => f.analysis?.sheets.some((s) => s.kind === 'submission'))) read = withSubmissionChecks(read, await storedPlan(opts.db));
      const reports = read.map((f) => f.report);
      const lang = readerLang(ctx, read.map((f) => f.analysis?.assembled.plan));
      ctx.out(opts.json ? JSON.stringify(issueReportJson(reports, lang), null, 2) : renderIssueReport(reports, lang));
      ctx.setExitCode(exitCodeFor(reports));
    });

  program
    .command('normalise')
    .alias('normalize')
    .description('規範化附件1、附件2：寫出規範化的副本（原文件不變），附規範數據表')
    .argument('<file>', '輸入 .xlsx 文件')
    .requiredOption('-o, --output <file>', '輸出 .xlsx 文件（不能與輸入相同）')
    .option('--year <year>', '計劃年度（表題中沒有年份時使用）', parseYear)
    .action(async (file: string, opts: { output: string; year?: number }) => {
      checkOutputFile(opts.output, { inputs: [file], force: true });
      if (!existsSync(file)) {
        ctx.err(`找不到文件「${file}」。`);
        ctx.setExitCode(2);
        return;
      }
      const read = await readPlanFile(file, { year: opts.year });
      if (!read.workbook || !read.analysis || read.report.unreadable) {
        ctx.err(`無法讀取：${read.report.unreadable ?? file}`);
        ctx.setExitCode(2);
        return;
      }
      const { analysis, workbook } = read;
      const plan = normalisePlan({ grids: workbook.sheets, breakdown: analysis.breakdown, responsibility: analysis.responsibility, plan: analysis.assembled.plan });
      // On the file's parts where it can (fast, keeps what the plan does not touch), else through ExcelJS.
      await writeBytesCopy((await editedCopy(workbook, plan)).bytes, opts.output, { inputs: [file], force: true });
      for (const edit of plan.edits) {
        ctx.out(`工作表「${edit.sheet}」：改動 ${edit.changeCount} 個單元格${edit.backupAs ? `，原表已備份為「${edit.backupAs}」` : ''}`);
        for (const change of edit.firstChanges.slice(0, 12)) ctx.out(`  ${change.cell.padEnd(6)} ${show(change.before)} → ${show(change.after)}（${change.reason}）`);
        if (edit.changeCount > 12) ctx.out(`  ……另有 ${edit.changeCount - 12} 處`);
      }
      for (const sheet of plan.newSheets) ctx.out(`工作表「${sheet.name}」：寫入 ${sheet.rows.length} 行規範數據`);
      if (plan.edits.length === 0 && plan.newSheets.length === 0) ctx.out('已經是規範格式，無需改動。');
      ctx.out(`已寫出「${opts.output}」。校驗結果：${summaryLine(read.report.issues)}`);
      ctx.setExitCode(exitCodeFor([read.report]));
    });
}

/** The plan loaded in the database, when there is one to read (validate never creates or waits long for a database). */
async function storedPlan(dbOption: string | undefined) {
  const dbPath = resolveDbPath(dbOption);
  if (dbPath === ':memory:' || !existsSync(dbPath)) return undefined;
  try {
    return await readStoredPlan(dbPath, { lockTimeoutMs: 2000 });
  } catch {
    return undefined;
  }
}

function show(v: unknown): string {
  if (v === null || v === '') return '（空）';
  return JSON.stringify(v);
}

function parseYear(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 2000 || n > 2100) throw new Error(`年度「${text}」不正確`);
  return n;
}
