// What a workbook holds, sheet by sheet, and the plan read from it: the one entry point that the CLI,
// the service and the add-in call, so they can never disagree about what is valid.
import { readBreakdown, type BreakdownSheet } from './breakdown';
import type { Grid } from './grid';
import { issue, type Issue } from './issues';
import { msg } from './messages';
import { isBackupSheet } from './normalise';
import { assemblePlan, type AssembledPlan } from './plan';
import { readResponsibility, type ResponsibilitySheet } from './responsibility';
import { detectSubmissionLayout } from './submission';
import { isTidySheet } from './tidy';
import { validatePlan } from './validate';

/** responsibility = 附件1, breakdown = 附件2, submission = 進度報送表, tidy = 規範數據, backup = our copy of an original. */
export type SheetKind = 'responsibility' | 'breakdown' | 'submission' | 'tidy' | 'backup' | 'unknown';

export interface SheetSummary {
  sheet: string;
  kind: SheetKind;
}

export interface PlanWorkbook {
  sheets: SheetSummary[];
  breakdown?: BreakdownSheet;
  responsibility?: ResponsibilitySheet;
  assembled: AssembledPlan;
  issues: Issue[];
}

export function detectSheet(grid: Grid): { kind: SheetKind; breakdown?: BreakdownSheet; responsibility?: ResponsibilitySheet } {
  if (isBackupSheet(grid.sheet)) return { kind: 'backup' };
  if (isTidySheet(grid)) return { kind: 'tidy' };
  // A progress report can look like 附件2 (the wide layout) or share its column labels (the template):
  // it is told apart first, by its 填報單位/截至日期 and its 累計完成 column.
  let read: { sheet: BreakdownSheet | undefined } | undefined;
  const readOnce = () => (read ??= { sheet: readBreakdown(grid) }).sheet;
  if (detectSubmissionLayout(grid, readOnce)) return { kind: 'submission' };
  const responsibility = readResponsibility(grid);
  if (responsibility && responsibility.rows.length > 0) return { kind: 'responsibility', responsibility };
  const breakdown = readOnce();
  if (breakdown) return { kind: 'breakdown', breakdown };
  return { kind: 'unknown' };
}

/**
 * Reads every sheet given (of one workbook or of several), assembles the plan from the 附件1 and 附件2
 * sheets found and validates it.
 */
export function analysePlanSheets(grids: Grid[], options: { year?: number } = {}): PlanWorkbook {
  const sheets: SheetSummary[] = [];
  const issues: Issue[] = [];
  let breakdown: BreakdownSheet | undefined;
  let responsibility: ResponsibilitySheet | undefined;
  for (const grid of grids) {
    const found = detectSheet(grid);
    sheets.push({ sheet: grid.sheet, kind: found.kind });
    if (found.breakdown) {
      if (breakdown) issues.push(secondSheet(grid.sheet, breakdown.sheet, 'breakdown'));
      else breakdown = found.breakdown;
    }
    if (found.responsibility) {
      if (responsibility) issues.push(secondSheet(grid.sheet, responsibility.sheet, 'responsibility'));
      else responsibility = found.responsibility;
    }
  }
  const assembled = assemblePlan({ breakdown, responsibility, year: options.year });
  issues.push(...validatePlan({ breakdown, responsibility, assembled }));
  return { sheets, breakdown, responsibility, assembled, issues };
}

function secondSheet(sheet: string, first: string, kind: 'breakdown' | 'responsibility'): Issue {
  return issue('second-plan-sheet', { sheet }, msg('issue.second-plan-sheet', { what: msg(`issue-part.${kind}`), first }));
}
