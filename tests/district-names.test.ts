// Districts as the plan writes them (core/districtNames.ts; issue 10, item 3): outputs show 附件2's own
// spelling of each district, in its script and with its spaces dropped, while the canonical name stays
// the key; axes order and colour a district the same however it is spelled.
import { readBreakdown } from '../core/breakdown';
import { canonicalOf, districtNamesOf, districtOrderOf, shownDistrict } from '../core/districtNames';
import { DISTRICTS } from '../core/districts';
import { gridFromRows, type CellValue } from '../core/grid';
import { assemblePlan } from '../core/plan';
import { districtColour, orderedDistricts } from '../pipeline/charts/theme';
import { withDistrictsAsWritten } from '../pipeline/output/resultTable';

/** A two-project 附件2 whose district headers are written as `headers` (after 市本級). */
function breakdownWith(headers: string[], cityLevel = '市本级', projectName = '新增老年助餐服务点227个') {
  const rows: CellValue[][] = [
    ['2024年市政府民生实事项目区、县(市)任务分解表'],
    ['序号', '项目名称', '量化目标', '牵头单位', cityLevel, ...headers],
    [1, projectName, '227个', '市民政局', null, ...headers.map(() => '10个')],
  ];
  const sheet = readBreakdown(gridFromRows('附件2', rows));
  if (!sheet) throw new Error('not read as 附件2');
  return sheet;
}

describe('the plan’s spelling of its districts', () => {
  test('a simplified 附件2 names its districts in simplified script, spaces between characters dropped', () => {
    const sheet = breakdownWith(['上 城 区', '临平区', '杭州\n西湖 风景\n名胜区']);
    const names = districtNamesOf(sheet, sheet.rows.map((r) => r.projectName).join(''));
    expect(names['上城區']).toBe('上城区');
    expect(names['臨平區']).toBe('临平区');
    expect(names['杭州西湖風景名勝區']).toBe('杭州西湖风景名胜区');
    expect(names['市本級']).toBe('市本级');
    // A district without a column keeps the registry's name, put into the plan's script.
    expect(names['桐廬縣']).toBe('桐庐县');
    expect(Object.keys(names)).toHaveLength(DISTRICTS.length);
  });

  test('an alias in the header is shown as written; a traditional plan keeps the canonical names', () => {
    const sheet = breakdownWith(['高新區(濱江)', '蕭山區'], '市本級', '新增老年助餐服務點227個');
    const names = assemblePlan({ breakdown: sheet }).plan.districtNames ?? {};
    expect(names['濱江區']).toBe('高新區(濱江)');
    expect(names['蕭山區']).toBe('蕭山區');
    expect(names['臨平區']).toBe('臨平區');
  });

  test('shown and canonical names map both ways; an unknown name passes through', () => {
    const names = { 臨平區: '临平区', 上城區: '上城区' };
    expect(shownDistrict(names, '臨平區')).toBe('临平区');
    expect(shownDistrict(names, '建德市')).toBe('建德市');
    expect(shownDistrict(undefined, '臨平區')).toBe('臨平區');
    expect(canonicalOf(names, '临平区')).toBe('臨平區');
    expect(canonicalOf(names, '某某區')).toBe('某某區');
  });

  test('a result table shows its district column as written and leaves other columns alone', () => {
    const table = {
      columns: [
        { name: 'district', kind: 'text' as const },
        { name: 'label', kind: 'text' as const },
      ],
      rows: [
        ['臨平區', '臨平區的助餐點'],
        [null, '—'],
      ],
    };
    expect(withDistrictsAsWritten(table, { 臨平區: '临平区' }).rows).toEqual([
      ['临平区', '臨平區的助餐點'],
      [null, '—'],
    ]);
  });

  test('district axes keep 附件2’s order and each district its colour in either script', () => {
    expect(orderedDistricts(['建德市', '临平区', '市本级', '某新區', '上城區'])).toEqual(['市本级', '上城區', '临平区', '建德市', '某新區']);
    expect(districtOrderOf('临平区')).toBe(districtOrderOf('臨平區'));
    expect(districtColour('临平区')).toBe(districtColour('臨平區'));
    expect(districtColour('上城區')).not.toBe(districtColour('臨平區'));
    expect(districtColour('某新區')).toBe('#555555');
  });
});
