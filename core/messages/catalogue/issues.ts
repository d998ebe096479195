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
  'conflicting-reports': { severity: 'error', title: '同一區縣同一日期有兩份不同的報送', explain: '一個工作簿的兩張工作表報送同一區縣、同一截至日期，數字卻不同；不知以哪張為準，整份檔案不載入。' },
  'same-report-twice': { severity: 'warning', title: '同一份報送出現兩次', explain: '兩張工作表報送同一區縣、同一截至日期，數字完全相同；只載入一次。' },
};

export const ISSUE_MESSAGES = {
  'issue.conflicting-reports': '工作表「{first}」和「{second}」都是{district}截至{date}的進度報送，但數字不同：不知以哪張為準，整份檔案未載入。請刪除其中錯誤的一張，或改正其截至日期後重新提交。',
  'issue.same-report-twice': '工作表「{second}」與「{first}」是同一份報送（{district}，截至{date}，數字相同），只載入一次。',
} as const;
