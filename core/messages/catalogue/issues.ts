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
  'compound-for-count': { severity: 'error', title: '非複合指標填了「新建(提升)」', explain: '「10(2)」這種兩部分的寫法只屬於複合指標（如「5(4)個」）；其他指標的累計完成只填一個數。' },
  'far-beyond-target': { severity: 'error', title: '累計完成大得不合理', explain: '累計完成超過年度目標的100倍：多半多打了數位或單位有誤，不予載入。' },
  'cumulative-fell': { severity: 'warning', title: '累計完成比先前的報送少', explain: '累計完成自年初起只增不減：本次報送的數低於本區縣較早日期的報送（或高於較晚日期的報送），兩份報送都列出，請核實哪份有誤。' },
  'same-report-twice': { severity: 'warning', title: '同一份報送出現兩次', explain: '兩張工作表報送同一區縣、同一截至日期，數字完全相同；只載入一次。' },
};

export const ISSUE_MESSAGES = {
  // Why a cell is not a quantity (core/quantity.ts), put into the issue of whichever reader met it.
  'quantity.thousands-separator': '「{shown}」用「{separator}」分隔數位：千位只能用逗號分隔（如「1,234」），否則無法確定是{plain}還是小數；請寫成「{plain}」。如果確是小數，請在儲存格中直接輸入數字（不要設為文字格式）',
  'quantity.too-large': '「{shown}」數值大得不合理，不可能是一年的數量：請核實是否多打了數位或誤填了其他內容',
  'issue.conflicting-reports': '工作表「{first}」和「{second}」都是{district}截至{date}的進度報送，但數字不同：不知以哪張為準，整份檔案未載入。請刪除其中錯誤的一張，或改正其截至日期後重新提交。',
  'issue.compound-for-count': '{cell}：指標{metric}「{label}」不是新建(提升)分開計的指標，累計完成「{shown}」不能寫成兩部分。請只填一個{unit}數（如果兩部分都算，填它們的和）。',
  'issue.far-beyond-target': '{cell}：指標{metric}「{label}」的累計完成{amount}{unit}是年度目標{target}{unit}的{times}倍以上，不可能是實際完成量：請核實是否多打了數位或單位有誤。',
  'issue.cumulative-fell': '{cell}：指標{metric}截至{date}的累計完成{amount}，低於本區縣截至{otherDate}的報送（「{otherFile}」）中的{other}。累計數自年初起只增不減：請核實本表，或更正先前的報送。',
  'issue.cumulative-fell.later': '{cell}：指標{metric}截至{date}的累計完成{amount}，高於本區縣較晚截至{otherDate}的報送（「{otherFile}」）中的{other}。累計數自年初起只增不減：請核實本表，或更正較晚的報送。',
  'issue.same-report-twice': '工作表「{second}」與「{first}」是同一份報送（{district}，截至{date}，數字相同），只載入一次。',
} as const;
