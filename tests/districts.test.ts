// District names as clerks write them (core/districts.ts): the name or an alias in either script with any
// spacing, "西湖" never guessed, and a suggestion only for a name one character off exactly one district.
import { editDistanceAtMostOne, resolveDistrict, type DistrictMatch } from '../core/districts';

const shown = (m: DistrictMatch) =>
  m.kind === 'exact' || m.kind === 'alias' ? `${m.kind} ${m.district.name}` : m.kind === 'misspelled' ? `misspelled ${m.suggestion.name}` : m.kind === 'ambiguous' ? `ambiguous ${m.candidates.join('/')}` : 'unknown';

test.each([
  ['上城區', 'exact 上城區'],
  ['上城区', 'exact 上城區'],
  ['市本级', 'exact 市本級'],
  [' 上 城 ', 'alias 上城區'],
  ['高新區', 'alias 濱江區'],
  ['西湖風景區', 'alias 杭州西湖風景名勝區'],
  ['西湖', 'ambiguous 西湖區/杭州西湖風景名勝區'],
  ['上成區', 'misspelled 上城區'], // one character wrong
  ['蕭山區區', 'misspelled 蕭山區'], // one too many
  ['下成區', 'unknown'], // two wrong: not a guess any more
  ['臨江區', 'unknown'], // one off 臨安區, 臨平區 and 濱江區 alike: never a guess between them
  ['火星區', 'unknown'],
  ['', 'unknown'],
])('%j → %s', (text, expected) => {
  expect(shown(resolveDistrict(text))).toBe(expected);
});

test.each([
  ['上城區', '上城區', true],
  ['上成區', '上城區', true],
  ['上城', '上城區', true],
  ['上城區區', '上城區', true],
  ['下成區', '上城區', false],
  ['上', '上城區', false],
  ['城上區', '上城區', false],
])('editDistanceAtMostOne(%j, %j) is %s', (a, b, expected) => {
  expect(editDistanceAtMostOne(a, b)).toBe(expected);
  expect(editDistanceAtMostOne(b, a)).toBe(expected);
});
