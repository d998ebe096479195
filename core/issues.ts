// Located validation issues (docs/design.md): what is wrong, where, and how to fix it if a machine can.
// An issue carries its sentence as a catalogue message (core/messages), rendered in the reader's
// language by whichever adapter shows it.
import { z } from 'zod';
import { ALL_ISSUE_CODES, render, t, type Lang, type MessageRef } from './messages';

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** Every code an issue can have: the closed union of the issue-code areas (core/messages, ISSUE_CODE_AREAS). */
export type IssueCode = keyof typeof ALL_ISSUE_CODES;
export const IssueCode = z.enum(Object.keys(ALL_ISSUE_CODES) as [IssueCode, ...IssueCode[]]);

const ParamValue: z.ZodType<string | number | MessageRef> = z.lazy(() => z.union([z.string(), z.number(), MessageRefSchema]));
export const MessageRefSchema: z.ZodType<MessageRef> = z.object({ id: z.string(), params: z.record(z.string(), ParamValue).optional() });

export const CellFix = z.object({
  /** The value to write instead. */
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  numberFormat: z.string().optional(),
  /** What the fix does: a catalogue message (`fix.<code>`). */
  description: MessageRefSchema,
});
export type CellFix = z.infer<typeof CellFix>;

export const Issue = z.object({
  code: IssueCode,
  severity: Severity,
  /** Set by the adapter that read the file; core knows only sheets. */
  file: z.string().optional(),
  sheet: z.string(),
  /** A1 address of the offending cell, when there is one. */
  cell: z.string().optional(),
  /** The located sentence: a catalogue message (`issue.<code>[.<variant>]`), rendered by whoever shows it. */
  message: MessageRefSchema,
  fix: CellFix.optional(),
});
export type Issue = z.infer<typeof Issue>;

/** Where an issue is. */
export interface IssueAt {
  sheet?: string;
  cell?: string;
  file?: string;
}

/** An issue of a catalogued code: its severity comes from the catalogue, so one code has one severity. */
export function issue(code: IssueCode, at: IssueAt, message: MessageRef, fix?: { value: CellFix['value']; numberFormat?: string; description: MessageRef }): Issue {
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
  return render(lang, issue.message);
}

/** What the issue's fix does, in the reader's language. */
export function fixText(fix: Pick<CellFix, 'description'>, lang: Lang): string {
  return render(lang, fix.description);
}

/**
 * An issue as a reader gets it in JSON (the CLI's --json, the service's answers, what the add-in shows):
 * the ASCII code next to the sentence and the fix's description rendered in the reader's language. The
 * code is any string here, so an add-in keeps showing what a newer service says.
 */
export const RenderedIssue = Issue.extend({
  code: z.string(),
  message: z.string(),
  fix: CellFix.extend({ description: z.string() }).optional(),
});
export type RenderedIssue = z.infer<typeof RenderedIssue>;

export function renderIssue(issue: Issue, lang: Lang): RenderedIssue {
  const { fix, message, ...rest } = issue;
  return { ...rest, message: render(lang, message), ...(fix ? { fix: { ...fix, description: render(lang, fix.description) } } : {}) };
}

/** 錯誤, 警告, 提示 in the reader's language. */
export function severityLabel(severity: Severity, lang: Lang): string {
  return t(lang, `severity.${severity}`);
}

/** What ordering and counting need of an issue, rendered or not. */
type Placed = Pick<Issue, 'severity' | 'file' | 'sheet' | 'cell'>;

export function hasErrors(issues: readonly Pick<Issue, 'severity'>[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Errors first, then by sheet and position, so reports read top to bottom. */
export function sortIssues<T extends Placed>(issues: readonly T[]): T[] {
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
