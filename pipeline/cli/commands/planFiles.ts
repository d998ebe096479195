// `minsheng validate` and `minsheng normalise`: the clerk-facing checks of plan workbooks.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { changeReasonText, normalisePlan } from '../../../core/normalise';
import { exitCodeFor, issueReportJson, renderIssueReport, summaryLine, withDistrictsShownIn } from '../../output/issueReport';
import { readStoredPlan } from '../../db/plan';
import { resolveDbPath } from '../../parameters';
import { readPlanFile, readPlanFiles, withSubmissionChecks } from '../../planFiles';
import { writeBytesCopy } from '../../xlsx/applyEditPlan';
import { editedCopy } from '../../xlsx/editedCopy';
import { checkOutputFile } from '../../output/outputGuard';
import type { CliContext } from '../context';
import { t, type Lang } from '../../../core/messages';
import { helpTranslator, readerLang } from '../lang';
import { dbOption } from '../options';

export function registerPlanFileCommands(program: Command, ctx: CliContext): void {
  const help = helpTranslator();
  const parseYear = (text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 2000 || n > 2100) throw new Error(t(readerLang(ctx), 'validate.year.invalid', { value: text }));
    return n;
  };
  program
    .command('validate')
    .description(help('validate.help'))
    .argument('<files...>', help('validate.files.help'))
    .option('--json', help('validate.json.help'))
    .option('--year <year>', help('validate.year.help'), parseYear)
    .addOption(dbOption(help('param.db.validate.help')))
    .action(async (files: string[], opts: { json?: boolean; year?: number; db?: string }) => {
      let read = await readPlanFiles(files, { year: opts.year, lang: readerLang(ctx) });
      const hasReports = read.some((f) => f.analysis?.sheets.some((s) => s.kind === 'submission'));
      const stored = hasReports ? await storedPlan(opts.db) : undefined;
      if (hasReports) read = withSubmissionChecks(read, stored);
      // The districts each file's issues name, as its own plan writes them (a progress report's: the stored plan's).
      const reports = read.map((f) => withDistrictsShownIn([f.report], f.analysis?.breakdown ? f.analysis.assembled.plan.districtNames : stored?.districtNames)[0]);
      const lang = readerLang(ctx, read.map((f) => f.analysis?.assembled.plan));
      ctx.out(opts.json ? JSON.stringify(issueReportJson(reports, lang), null, 2) : renderIssueReport(reports, lang));
      ctx.setExitCode(exitCodeFor(reports));
    });

  program
    .command('normalise')
    .alias('normalize')
    .description(help('normalise.help'))
    .argument('<file>', help('normalise.file.help'))
    .requiredOption('-o, --output <file>', help('normalise.output.help'))
    .option('--year <year>', help('validate.year.help'), parseYear)
    .option('--force', help('output.force.help'))
    .action(async (file: string, opts: { output: string; year?: number; force?: boolean }) => {
      checkOutputFile(opts.output, { inputs: [file], force: opts.force });
      if (!existsSync(file)) {
        ctx.err(t(readerLang(ctx), 'normalise.not-found', { file }));
        ctx.setExitCode(2);
        return;
      }
      const read = await readPlanFile(file, { year: opts.year, lang: readerLang(ctx) });
      if (!read.workbook || !read.analysis || read.report.unreadable) {
        ctx.err(t(readerLang(ctx), 'validate.unreadable', { reason: read.report.unreadable ?? file }));
        ctx.setExitCode(2);
        return;
      }
      const { analysis, workbook } = read;
      const lang = readerLang(ctx, [analysis.assembled.plan]);
      const plan = normalisePlan({ grids: workbook.sheets, breakdown: analysis.breakdown, responsibility: analysis.responsibility, plan: analysis.assembled.plan });
      // On the file's parts where it can (fast, keeps what the plan does not touch), else through ExcelJS.
      await writeBytesCopy((await editedCopy(workbook, plan)).bytes, opts.output, { inputs: [file], force: opts.force });
      for (const edit of plan.edits) {
        ctx.out(
          edit.backupAs
            ? t(lang, 'normalise.edited-backup', { sheet: edit.sheet, count: edit.changeCount, backup: edit.backupAs })
            : t(lang, 'normalise.edited', { sheet: edit.sheet, count: edit.changeCount }),
        );
        for (const change of edit.firstChanges.slice(0, 12)) ctx.out(`  ${change.cell.padEnd(6)} ${show(change.before, lang)} → ${show(change.after, lang)}（${changeReasonText(change.reason, lang)}）`);
        if (edit.changeCount > 12) ctx.out(t(lang, 'normalise.more', { count: edit.changeCount - 12 }));
      }
      for (const sheet of plan.newSheets) ctx.out(t(lang, 'normalise.new-sheet', { sheet: sheet.name, rows: sheet.rows.length }));
      if (plan.edits.length === 0 && plan.newSheets.length === 0) ctx.out(t(lang, 'normalise.nothing'));
      ctx.out(t(lang, 'normalise.written', { file: opts.output, summary: summaryLine(read.report.issues, lang) }));
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

function show(v: unknown, lang: Lang): string {
  if (v === null || v === '') return t(lang, 'normalise.empty-value');
  return JSON.stringify(v);
}
