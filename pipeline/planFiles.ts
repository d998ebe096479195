// Reads plan workbooks (附件1 / 附件2, in one file or several) into grids, the assembled plan and
// located issues per file. Shared by `validate`, `normalise` and `plan load`.
import { issue, type Issue } from '../core/issues';
import { msg, render, t } from '../core/messages';
import { DEFAULT_LANG, type Lang } from '../core/messages/lang';
import type { Plan } from '../core/model';
import { assemblePlan } from '../core/plan';
import { readSubmissions } from '../core/submission';
import { crossCheck } from '../core/validate';
import { analysePlanSheets, type PlanWorkbook, type SheetSummary } from '../core/workbook';
import { readWorkbookFile, UnreadableWorkbookError, type WorkbookFile } from './xlsx/readWorkbook';

export interface FileReport {
  file: string;
  /** One-line reason, in the reader's language (options.lang), when the file could not be read at all. */
  unreadable?: string;
  sheets: SheetSummary[];
  issues: Issue[];
}

export interface ReadFile {
  report: FileReport;
  workbook?: WorkbookFile;
  analysis?: PlanWorkbook;
}

export interface ReadOptions {
  year?: number;
  /** The reader's language, for the reason a file cannot be read (default: DEFAULT_LANG). */
  lang?: Lang;
}

export async function readPlanFile(path: string, options: ReadOptions = {}): Promise<ReadFile> {
  let workbook: WorkbookFile;
  try {
    // From the sheet XML (ExcelJS only for what that reader leaves to it): ExcelJS's model is loaded
    // later only if an edit needs it.
    workbook = await readWorkbookFile(path);
  } catch (err) {
    if (err instanceof UnreadableWorkbookError) return { report: { file: path, unreadable: render(options.lang ?? DEFAULT_LANG, err.reasonMessage), sheets: [], issues: [] } };
    throw err;
  }
  const analysis = analysePlanSheets(workbook.sheets, options);
  const issues: Issue[] = analysis.issues.map((i) => ({ ...i, file: path }));
  if (workbook.hasMacros) {
    issues.push(issue('macros', { file: path, sheet: analysis.sheets[0]?.sheet ?? '' }, msg('issue.macros')));
  }
  const report: FileReport = { file: path, sheets: analysis.sheets, issues };
  if (analysis.sheets.every((s) => s.kind === 'unknown')) {
    report.unreadable = t(options.lang ?? DEFAULT_LANG, 'plan-files.no-tables', { file: path });
  }
  return { report, workbook, analysis };
}

/**
 * Reads several files; when 附件1 and 附件2 come in different files, also checks them against each
 * other (projects in one and not the other, lead units that differ).
 */
export async function readPlanFiles(paths: string[], options: ReadOptions = {}): Promise<ReadFile[]> {
  const files: ReadFile[] = [];
  for (const path of paths) files.push(await readPlanFile(path, options));
  const withBreakdown = files.find((f) => f.analysis?.breakdown);
  const withResponsibility = files.find((f) => f.analysis?.responsibility);
  if (withBreakdown && withResponsibility && withBreakdown !== withResponsibility) {
    const breakdown = withBreakdown.analysis!.breakdown!;
    const responsibility = withResponsibility.analysis!.responsibility!;
    const assembled = assemblePlan({ breakdown, responsibility, year: options.year });
    for (const issue of crossCheck(breakdown, responsibility, assembled)) {
      const owner = issue.code === 'project-not-in-responsibility' ? withBreakdown : withResponsibility;
      owner.report.issues.push({ ...issue, file: owner.report.file });
    }
  }
  return files;
}

/**
 * The files with their 進度報送表 sheets checked against `plan` (cell by cell, as `load` would), or,
 * without a plan, with a note that the values were not checked. Files without such a sheet are returned as they are.
 */
export function withSubmissionChecks(files: ReadFile[], plan: Plan | undefined): ReadFile[] {
  return files.map((f) => {
    const sheets = f.analysis?.sheets.filter((s) => s.kind === 'submission') ?? [];
    if (!f.workbook || sheets.length === 0) return f;
    const issues: Issue[] = [];
    for (const { sheet } of sheets) {
      const grid = f.workbook.sheets.find((g) => g.sheet === sheet)!;
      if (plan) issues.push(...readSubmissions(grid, plan).issues.map((i) => ({ ...i, file: f.report.file })));
      else issues.push(issue('submission-not-checked', { file: f.report.file, sheet }, msg('issue.submission-not-checked')));
    }
    return { ...f, report: { ...f.report, issues: [...f.report.issues, ...issues] } };
  });
}

/** The plan from the files' 附件1 and 附件2, wherever each one is. */
export function combinedPlan(files: ReadFile[], options: { year?: number } = {}) {
  const breakdown = files.find((f) => f.analysis?.breakdown)?.analysis?.breakdown;
  const responsibility = files.find((f) => f.analysis?.responsibility)?.analysis?.responsibility;
  return assemblePlan({ breakdown, responsibility, year: options.year });
}
