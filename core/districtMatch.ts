// What is said when something written names no district (docs/design.md, "Messages and languages"):
// one sentence per kind of mismatch (misspelled, ambiguous, unknown), for 附件2's columns, a
// submission's 填報單位 and wide columns, the template writer, the store and every command that takes a
// district. The registry itself is core/districts.ts.
import { DISTRICTS, resolveDistrict, type DistrictMatch } from './districts';
import { issue, type Issue, type IssueAt } from './issues';
import { listOf, msg, quoted, type Message } from './messages';
import { langOfText } from './messages/lang';
import { MessageError } from './messages/messageError';
import { simplify } from './text';

/** What the text was written as: a 填報單位 label, a column header, or a 區縣 someone typed. */
export type DistrictSubject = 'label' | 'column' | 'name';

/**
 * A registry name in the script of what was written: simplified when that is simplified alone (不存在区,
 * not 海淀區), so the names suggested, listed and written by a fix match the clerk's own; either is accepted.
 */
function inScriptOf(written: string): (name: string) => string {
  return simplify(written) === written && langOfText(written) === 'zh-CN' ? simplify : (name) => name;
}

/** Why `written` names no district, or undefined when it names one. */
export function districtMatchMessage(match: DistrictMatch, written: string, subject: DistrictSubject): Message | undefined {
  const what = msg(`issue-part.district.${subject}`);
  const own = inScriptOf(written);
  switch (match.kind) {
    case 'misspelled':
      return msg('issue.misspelled-district', { subject: what, written, name: own(match.suggestion.name) });
    case 'ambiguous':
      return msg('issue.ambiguous-district', { subject: what, written, candidates: listOf(match.candidates.map((c) => quoted(own(c))), 'or') });
    case 'unknown':
      return msg('issue.unknown-district', { subject: what, written, districts: listOf(DISTRICTS.map((d) => own(d.name))) });
    default:
      return undefined;
  }
}

/**
 * The issue for a district that does not resolve, or undefined when it does. A misspelling carries the
 * fix; `fixValue` says what the cell should then hold (the label kept: "填報單位：上城區").
 */
export function districtMatchIssue(match: DistrictMatch, written: string, at: IssueAt, subject: DistrictSubject, fixValue: (name: string) => string = (name) => name): Issue | undefined {
  const message = districtMatchMessage(match, written, subject);
  if (!message) return undefined;
  if (match.kind === 'misspelled') {
    const name = inScriptOf(written)(match.suggestion.name);
    return issue('misspelled-district', at, message, { value: fixValue(name), description: msg('fix.misspelled-district', { name }) });
  }
  return issue(match.kind === 'ambiguous' ? 'ambiguous-district' : 'unknown-district', at, message);
}

/** The registry name for what someone wrote (aliases and either script accepted); otherwise a MessageError saying why. */
export function canonicalDistrict(text: string, subject: DistrictSubject = 'name'): string {
  const match = resolveDistrict(text);
  if (match.kind === 'exact' || match.kind === 'alias') return match.district.name;
  throw new MessageError(districtMatchMessage(match, text, subject) as Message);
}
