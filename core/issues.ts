// Located validation issues (docs/design.md): what is wrong, where, and how to fix it if a machine can.
// An issue carries its sentence as a catalogue message (core/messages), rendered in the reader's
// language by whichever adapter shows it.
import { z } from 'zod';
import { ALL_ISSUE_CODES, render, t, type ISSUE_CODES, type Lang, type MessageRef, type SITE_ISSUE_CODES } from './messages';
import type { ASSESSMENT_ISSUE_CODES } from './messages/catalogue/assessmentIssues';

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

const ParamValue: z.ZodType<string | number | MessageRef> = z.lazy(() => z.union([z.string(), z.number(), MessageRefSchema]));
export const MessageRefSchema: z.ZodType<MessageRef> = z.object({ id: z.string(), params: z.record(z.string(), ParamValue).optional() });

// A sentence is a catalogue message; plain strings remain only until every raising site has moved to the
// catalogue, after which `Text` is `MessageRefSchema` alone.
const Text = z.union([z.string(), MessageRefSchema]);

export const CellFix = z.object({
  /** The value to write instead. */
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  numberFormat: z.string().optional(),
  /** What the fix does. */
  description: Text,
});
export type CellFix = z.infer<typeof CellFix>;

export const Issue = z.object({
  code: z.string(),
  severity: Severity,
  /** Set by the adapter that read the file; core knows only sheets. */
  file: z.string().optional(),
  sheet: z.string(),
  /** A1 address of the offending cell, when there is one. */
  cell: z.string().optional(),
  message: Text,
  fix: CellFix.optional(),
});
export type Issue = z.infer<typeof Issue>;

export type IssueCode = (keyof typeof ISSUE_CODES | keyof typeof ASSESSMENT_ISSUE_CODES | keyof typeof SITE_ISSUE_CODES) & string;

/** An issue of a catalogued code: its severity comes from the catalogue, so one code has one severity. */
export function issue(code: IssueCode, at: { sheet?: string; cell?: string; file?: string }, message: MessageRef, fix?: Omit<CellFix, 'description'> & { description: MessageRef }): Issue {
  return {
    code,
    severity: ALL_ISSUE_CODES[code].severity,
    sheet: at.sheet ?? '',
    ...(at.file !== undefined ? { file: at.file } : {}),
    ...(at.cell !== undefined ? { cell: at.cell } : {}),
    message,
    ...(fix ? { fix } : {}),
  };
}

/** The issue's sentence in the reader's language. */
export function issueText(issue: Pick<Issue, 'message'>, lang: Lang): string {
  return typeof issue.message === 'string' ? issue.message : render(lang, issue.message);
}

/** What the issue's fix does, in the reader's language. */
export function fixText(fix: CellFix, lang: Lang): string {
  return typeof fix.description === 'string' ? fix.description : render(lang, fix.description);
}

/** 錯誤, 警告, 提示 in the reader's language. */
export function severityLabel(severity: Severity, lang: Lang): string {
  return t(lang, `severity.${severity}`);
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then by sheet and position, so reports read top to bottom. */
export function sortIssues(issues: readonly Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.file ?? '').localeCompare(b.file ?? '') ||
      a.sheet.localeCompare(b.sheet) ||
      cellOrder(a.cell) - cellOrder(b.cell),
  );
}

function cellOrder(cell: string | undefined): number {
  const m = cell ? /^([A-Z]+)(\d+)/.exec(cell) : null;
  if (!m) return -1;
  let col = 0;
  for (const ch of m[1]) col = col * 26 + (ch.charCodeAt(0) - 64);
  return Number(m[2]) * 20000 + col;
}
