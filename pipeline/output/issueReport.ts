// Renders validation results for people (grouped by file and sheet, cell addresses, Chinese) and for
// machines (the JSON shape documented in the README).
import { issueWithDistrictShown, type DistrictNames } from '../../core/districtNames';
import { fixText, issueText, renderIssue, severityLabel, sortIssues, type Issue, type Severity } from '../../core/issues';
import { t, type Lang } from '../../core/messages';
import type { FileReport } from '../planFiles';

export function renderIssueReport(reports: FileReport[], lang: Lang): string {
  const lines: string[] = [];
  for (const report of reports) {
    lines.push(report.file);
    if (report.unreadable && report.sheets.length === 0) {
      lines.push(`  ${t(lang, 'validate.unreadable', { reason: report.unreadable })}`, '');
      continue;
    }
    if (report.unreadable) lines.push(`  ${report.unreadable}`);
    const issues = sortIssues(report.issues);
    const sheetNames = [...new Set([...report.sheets.map((s) => s.sheet), ...issues.map((i) => i.sheet)])];
    for (const sheet of sheetNames) {
      const kind = report.sheets.find((s) => s.sheet === sheet)?.kind;
      lines.push(`  ${kind ? t(lang, 'validate.sheet-kind', { sheet, kind: t(lang, `sheet-kind.${kind}`) }) : t(lang, 'validate.sheet', { sheet })}`);
      const own = issues.filter((i) => i.sheet === sheet);
      if (own.length === 0 && kind !== 'unknown' && kind !== 'backup') lines.push(`    ${t(lang, 'validate.no-problems')}`);
      for (const issue of own) {
        const fix = issue.fix ? t(lang, 'validate.fix', { fix: fixText(issue.fix, lang) }) : '';
        lines.push(`    ${severityLabel(issue.severity, lang)} ${(issue.cell ?? '').padEnd(6)} ${issueText(issue, lang)}${fix}`);
      }
    }
    lines.push(`  ${summaryLine(report.issues, lang)}`, '');
  }
  return lines.join('\n');
}

export function summaryLine(issues: readonly Issue[], lang: Lang): string {
  const count = (s: Severity) => issues.filter((i) => i.severity === s).length;
  return t(lang, 'validate.summary', { errors: count('error'), warnings: count('warning'), infos: count('info') });
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

/** The reports with the districts their issues name as the plan writes them (core/districtNames.ts). */
export function withDistrictsShownIn(reports: FileReport[], names: DistrictNames | undefined): FileReport[] {
  return reports.map((r) => ({ ...r, issues: r.issues.map((i) => issueWithDistrictShown(i, names)) }));
}

/** 0: no errors; 1: a file has errors; 2: a file could not be read at all. */
export function exitCodeFor(reports: FileReport[]): number {
  if (reports.some((r) => r.unreadable)) return 2;
  return reports.some((r) => r.issues.some((i) => i.severity === 'error')) ? 1 : 0;
}
