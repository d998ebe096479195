// The catalogue of issue codes (core/messages/catalogue/issues.ts): a closed list, each code with one
// severity, a title and an explanation in both scripts, and its sentences and fix descriptions in the
// message catalogue under its own name.
import { Issue, issue, issueText, renderIssue } from '../core/issues';
import { ALL_ISSUE_CODES, CATALOGUE, ISSUE_CODE_AREAS, msg } from '../core/messages';
import { ISSUE_MESSAGES } from '../core/messages/catalogue/issues';
import { NOT_IN_TRADITIONAL, inScript } from '../core/messages/script';
import { simplify } from '../core/text';

const codes = Object.keys(ALL_ISSUE_CODES);
const ids = Object.keys(CATALOGUE);

test('every code is defined in one area, with a severity, a title and a one-line explanation', () => {
  const seen = new Set<string>();
  for (const area of Object.values(ISSUE_CODE_AREAS)) {
    for (const code of Object.keys(area)) {
      expect([code, seen.has(code)]).toEqual([code, false]);
      seen.add(code);
    }
  }
  expect(seen.size).toBe(codes.length);
  for (const [code, info] of Object.entries(ALL_ISSUE_CODES)) {
    expect(code).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    expect(['error', 'warning', 'info']).toContain(info.severity);
    expect([code, info.title.length > 0 && !/[\n。]$/.test(info.title)]).toEqual([code, true]);
    expect([code, info.explain.length > 0 && !info.explain.includes('\n')]).toEqual([code, true]);
    for (const text of [info.title, info.explain]) {
      expect([code, NOT_IN_TRADITIONAL.filter((w) => text.includes(w))]).toEqual([code, []]);
      expect([code, [...inScript(text, 'zh-CN')].filter((ch) => simplify(ch) !== ch)]).toEqual([code, []]);
    }
  }
});

test('every issue sentence belongs to a code (as do the fixes of this catalogue), and every code has a sentence', () => {
  const owner = (id: string) => codes.filter((c) => id === `issue.${c}` || id.startsWith(`issue.${c}.`) || id === `fix.${c}`);
  // Other areas may share one fix description between codes ("改為{value}").
  const fixes = Object.keys(ISSUE_MESSAGES).filter((i) => i.startsWith('fix.'));
  for (const id of [...ids.filter((i) => i.startsWith('issue.')), ...fixes]) {
    expect([id, owner(id).length > 0]).toEqual([id, true]);
  }
  for (const code of codes) {
    // A row nobody filled in says what the filled one says, under its own code and severity.
    const base = code.replace(/-unfilled$/, '');
    expect([code, ids.some((id) => id === `issue.${base}` || id.startsWith(`issue.${base}.`))]).toEqual([code, true]);
  }
});

test('Issue.code is the closed list and Issue.message is a catalogue message, never plain text', () => {
  const made = issue('macros', { sheet: '附件2' }, msg('issue.macros'));
  expect(made.severity).toBe('warning');
  expect(Issue.safeParse(made).success).toBe(true);
  expect(Issue.safeParse({ ...made, code: 'no-such-code' }).success).toBe(false);
  expect(Issue.safeParse({ ...made, message: '工作簿含有宏' }).success).toBe(false);
  expect(issueText(made, 'zh-CN')).toBe('工作簿含有宏（VBA）：本工具不会执行宏，写出的副本也不含宏。');
  const rendered = renderIssue(issue('misspelled-district', { sheet: 's', cell: 'A1' }, msg('issue.misspelled-district', { subject: msg('issue-part.district.label'), written: '上成區', name: '上城區' }), { value: '上城區', description: msg('fix.misspelled-district', { name: '上城區' }) }), 'zh-CN');
  expect(rendered).toEqual({ code: 'misspelled-district', severity: 'error', sheet: 's', cell: 'A1', message: '填报单位「上成區」无法识别，是否为「上城區」？', fix: { value: '上城區', description: '改为「上城區」' } });
});
