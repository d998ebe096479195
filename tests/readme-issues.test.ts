// The README's list of what `validate` can say is generated from the catalogue of issue codes: it must
// not drift from it, and it names every code with its severity, title and explanation.
import * as fs from 'node:fs';
import { ALL_ISSUE_CODES } from '../core/messages';
import { issueMarkdown, ISSUES_BEGIN, ISSUES_END } from '../scripts/issue-doc';
import { README_PATH } from '../scripts/readmeSection';

test('README lists every issue code with its severity, title and explanation, as the catalogue says', () => {
  const readme = fs.readFileSync(README_PATH, 'utf8');
  const section = readme.slice(readme.indexOf(ISSUES_BEGIN) + ISSUES_BEGIN.length, readme.indexOf(ISSUES_END)).trim();
  expect(section).toBe(issueMarkdown());
  for (const [code, info] of Object.entries(ALL_ISSUE_CODES)) {
    expect(section).toContain(`| \`${code}\` | ${info.severity} | ${info.title} | ${info.explain} |`);
  }
  expect(section.split('\n')).toHaveLength(Object.keys(ALL_ISSUE_CODES).length + 2);
});
