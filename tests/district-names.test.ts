// Districts as the plan writes them (core/districtNames.ts; issue 10, item 3): outputs show 附件2's own
// spelling of each district, in its script and with its spaces dropped, while the canonical name stays
// the key; axes order and colour a district the same however it is spelled.
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { readBreakdown } from '../core/breakdown';
import { districtMatchIssue } from '../core/districtMatch';
import { canonicalOf, districtNamesOf, districtOrderOf, issueWithDistrictShown, messageWithDistrictShown, shownDistrict } from '../core/districtNames';
import { renderIssue } from '../core/issues';
import { msg, render } from '../core/messages';
import { resolveDistrict } from '../core/districts';
import { validatePlan } from '../core/validate';
import { DISTRICTS } from '../core/districts';
import { gridFromRows, type CellValue } from '../core/grid';
import { assemblePlan } from '../core/plan';
import { districtColour, orderedDistricts } from '../pipeline/charts/theme';
import { withDistrictsAsWritten } from '../pipeline/output/resultTable';
import { runCli } from './helpers/cli';
import { traditionalOnly } from './helpers/script';
import { removeTempDirs, tempDir } from './helpers/tempDir';

afterAll(removeTempDirs);

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
  test('minsheng validate names the districts of a simplified plan as it writes them, whatever the reader’s language', async () => {
    const dir = tempDir();
    const file = path.join(dir, '附件2.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('附件2');
    const headers = ['上城区', '西湖区', '滨江区', '萧山区', '余杭区', '临平区', '钱塘区', '富阳区', '临安区', '桐庐县', '淳安县', '建德市', '杭州西湖风景名胜区'];
    ws.addRow(['2024年市政府民生实事项目区、县(市)任务分解表']);
    ws.addRow(['序号', '项目名称', '量化目标', '牵头单位', '市本级', ...headers]);
    ws.addRow([1, '新增老年助餐服务点13个', '13个', '市民政局', '--', ...headers.map(() => '1个')]);
    await wb.xlsx.writeFile(file);
    for (const lang of ['zh-CN', 'zh-TW']) {
      const result = await runCli('validate', file, '--lang', lang);
      expect([lang, result.stdout]).toEqual([lang, expect.stringContaining('拱墅区')]);
      expect([lang, result.stdout.includes('拱墅區')]).toEqual([lang, false]);
    }
    const json = JSON.parse((await runCli('validate', file, '--json', '--lang', 'zh-CN')).stdout);
    expect(traditionalOnly(JSON.stringify(json))).toEqual([]);
  });

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

  test('quotes and padding do not travel: a header is kept as the name it says, or not at all when it runs long', () => {
    const sheet = breakdownWith(['“临平区”', `${'《'.repeat(5000)}上城区`, '萧 山\n区']);
    const names = districtNamesOf(sheet, '新增老年助餐服务点');
    expect(names['臨平區']).toBe('临平区');
    expect(names['上城區']).toBe('上城区');
    expect(names['蕭山區']).toBe('萧山区');
  });

  test('shown and canonical names map both ways; an unknown name passes through', () => {
    const names = { 臨平區: '临平区', 上城區: '上城区' };
    expect(shownDistrict(names, '臨平區')).toBe('临平区');
    expect(shownDistrict(names, '建德市')).toBe('建德市');
    expect(shownDistrict(undefined, '臨平區')).toBe('臨平區');
    expect(canonicalOf(names, '临平区')).toBe('臨平區');
    expect(canonicalOf(names, '某某區')).toBe('某某區');
    // Names of the object's own prototype are no districts.
    expect(shownDistrict(names, 'constructor')).toBe('constructor');
    expect(render('zh-CN', messageWithDistrictShown(msg('lang.invalid', { value: 'toString' }), names))).toContain('toString');
  });

  test('an issue names every district it lists as the plan writes it, nested lists and fixes included', () => {
    const sheet = breakdownWith(['上城区', '西湖区', '滨江区', '萧山区', '余杭区', '临平区', '钱塘区', '富阳区', '临安区', '桐庐县', '淳安县', '建德市', '杭州西湖风景名胜区']);
    const names = districtNamesOf(sheet, '新增老年助餐服务点');
    const missing = validatePlan({ breakdown: sheet, assembled: assemblePlan({ breakdown: sheet }) }).find((i) => i.code === 'missing-district');
    expect(missing).toBeDefined();
    // Rendered for a traditional reader: the sentence is traditional, the district the plan's (拱墅区).
    const text = renderIssue(issueWithDistrictShown(missing!, names), 'zh-TW').message;
    expect(text).toContain('拱墅区');
    expect(text).not.toContain('拱墅區');
    // A misspelling written in simplified is answered, and fixed, in simplified.
    const typo = districtMatchIssue(resolveDistrict('上成区'), '上成区', { sheet: '附件2', cell: 'E2' }, 'column');
    expect(typo?.fix?.value).toBe('上城区');
    expect(renderIssue(typo!, 'zh-CN').message).toContain('「上城区」');
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
