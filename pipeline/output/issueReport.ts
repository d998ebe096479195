// Renders validation results for people (grouped by file and sheet, cell addresses, Chinese) and for
// machines (the JSON shape documented in the README).
import { fixText, issueText, renderIssue, severityLabel, sortIssues, type Issue, type Severity } from '../../core/issues';
import type { Lang } from '../../core/messages';
import { SHEET_KIND_LABEL } from '../../core/workbook';
import type { FileReport } from '../planFiles';

export function renderIssueReport(reports: FileReport[], lang: Lang): string {
  const lines: string[] = [];
  for (const report of reports) {
    lines.push(report.file);
    if (report.unreadable && report.sheets.length === 0) {
      lines.push(`  無法讀取：${report.unreadable}`, '');
      continue;
    }
    if (report.unreadable) lines.push(`  ${report.unreadable}`);
    const issues = sortIssues(report.issues);
    const sheetNames = [...new Set([...report.sheets.map((s) => s.sheet), ...issues.map((i) => i.sheet)])];
    for (const sheet of sheetNames) {
      const kind = report.sheets.find((s) => s.sheet === sheet)?.kind;
      lines.push(`  工作表「${sheet}」${kind ? `：${SHEET_KIND_LABEL[kind]}` : ''}`);
      const own = issues.filter((i) => i.sheet === sheet);
      if (own.length === 0 && kind !== 'unknown' && kind !== 'backup') lines.push('    沒有發現問題');
      for (const issue of own) lines.push(`    ${severityLabel(issue.severity, lang)} ${(issue.cell ?? '').padEnd(6)} ${issueText(issue, lang)}${issue.fix ? `（建議：${fixText(issue.fix, lang)}）` : ''}`);
    }
    lines.push(`  ${summaryLine(report.issues)}`, '');
  }
  return lines.join('\n');
}

export function summaryLine(issues: readonly Issue[]): string {
  const count = (s: Severity) => issues.filter((i) => i.severity === s).length;
  return `共 ${count('error')} 個錯誤，${count('warning')} 個警告，${count('info')} 個提示`;
}

/** The JSON shape: each issue's message and fix rendered in `lang`, next to its ASCII code. */
export function issueReportJson(reports: FileReport[], lang: Lang) {
  return {
    files: reports.map((r) => ({
      file: r.file,
      ...(r.unreadable ? { error: r.unreadable } : {}),
      sheets: r.sheets,
      issues: sortIssues(r.issues).map((i) => renderIssue(i, lang)),
    })),
  };
}

/** 0: no errors; 1: a file has errors; 2: a file could not be read at all. */
export function exitCodeFor(reports: FileReport[]): number {
  if (reports.some((r) => r.unreadable)) return 2;
  return reports.some((r) => r.issues.some((i) => i.severity === 'error')) ? 1 : 0;
}
