// The closed list of issue codes that validation, loading and the service can raise: each with its
// severity, a title and a one-line explanation (the README's list of checks is generated from here).
// The located sentence of each issue is a message `issue.<code>` (or `issue.<code>.<variant>`) in
// ISSUE_MESSAGES; the fix's description is `fix.<code>`.
export interface IssueCodeInfo {
  severity: 'error' | 'warning' | 'info';
  title: string;
  explain: string;
}

export const ISSUE_CODES: Record<string, IssueCodeInfo> = {
  // Filled by the move of every raising site to the catalogue; then `as const satisfies`.
};

export const ISSUE_MESSAGES = {
} as const;
