// Located validation issues (design §5): what is wrong, where, in Chinese, and how to fix it if a machine can.
import { z } from 'zod';

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

export const CellFix = z.object({
  /** The value to write instead. */
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  numberFormat: z.string().optional(),
  /** What the fix does, in Chinese. */
  description: z.string(),
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
  message: z.string(),
  fix: CellFix.optional(),
});
export type Issue = z.infer<typeof Issue>;

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
