// Reading the template layout as clerks actually send it back: columns moved, the table shifted,
// simplified script, labels and values in separate cells, dates in every common form, no 指標編號.
import { dateInText, parseDateText, parseDateValue } from '../core/dates';
import { detectSubmission, readSubmissions } from '../core/submission';
import { gridFromRows } from '../core/grid';
import { GOOD_VALUES, goodRows, reportGrid, valuesOf, type ReportRow } from './helpers/submissionGrids';
import { smallPlan } from './helpers/submissionPlan';

const plan = smallPlan();

function readOne(grid: ReturnType<typeof reportGrid>) {
  const { submissions, issues } = readSubmissions(grid, plan);
  return { submission: submissions[0], submissions, issues, problems: issues.filter((i) => i.severity !== 'info') };
}

test('the good report: one submission, every value, no issue', () => {
  const grid = reportGrid();
  expect(detectSubmission(grid)).toBe(true);
  const { submissions, issues } = readOne(grid);
  expect(issues).toEqual([]);
  expect(submissions).toHaveLength(1);
  expect(submissions[0]).toMatchObject({ district: '上城區', asOf: '2024-09-30', layout: 'template' });
  expect(valuesOf(submissions[0].rows)).toEqual(GOOD_VALUES);
  expect(submissions[0].rows.find((r) => r.metricId === '8-2')).toEqual({ metricId: '8-2', completed: 20, note: '按季度統計', cell: 'G7' });
});

test('header in another column order, table starting at C4', () => {
  const columns = ['累計完成', '備註', '指標編號', '年度目標', '單位', '序號', '指標', '項目名稱', '完成率'];
  const grid = reportGrid({
    origin: { row: 2, col: 3 },
    meta: [['填報單位：上城區', null, '截至日期：2024-09-30'], []],
    columns,
  });
  const { submission, problems } = readOne(grid);
  expect(problems).toEqual([]);
  expect(valuesOf(submission.rows)).toEqual(GOOD_VALUES);
  // 累計完成 is the first column (C), the header is row 4: the first metric's value sits in C5.
  expect(submission.rows[0]).toMatchObject({ metricId: '1-1', cell: 'C5' });
  expect(submission.rows.find((r) => r.metricId === '8-2')?.note).toBe('按季度統計');
});

test('simplified-script labels with stray spaces and line breaks', () => {
  const grid = reportGrid({
    meta: [['2024年杭州市民生实事项目进度报送表'], ['填报单位： 上城区', null, null, null, '截至日期:2024/9/30'], []],
    labels: { 序號: '序 号', 指標編號: '指标\n编号', 項目名稱: '项目名称', 指標: '指 标', 年度目標: '年度\n目标', 單位: '单位', 累計完成: '累计\n完成', 完成率: '完成率', 備註: '备注' },
  });
  const { submission, problems } = readOne(grid);
  expect(problems).toEqual([]);
  expect(submission).toMatchObject({ district: '上城區', asOf: '2024-09-30' });
  expect(valuesOf(submission.rows)).toEqual(GOOD_VALUES);
});

test('labels and values in adjacent cells; the date a date cell (Excel serial with a date format)', () => {
  // 45565 is 2024-09-30 in Excel's 1900 date system.
  const grid = reportGrid({
    meta: [['2024年杭州市民生實事項目進度報送表'], ['填報單位', '上城', null, null, '截至日期：', 45565], []],
    metaFormats: [[], ['General', 'General', 'General', 'General', 'General', 'yyyy"年"m"月"d"日"'], []],
  });
  const { submission, problems } = readOne(grid);
  expect(problems).toEqual([]);
  expect(submission).toMatchObject({ district: '上城區', asOf: '2024-09-30' });
});

test.each([
  ['2024-09-30'],
  ['2024/9/30'],
  ['2024年9月30日'],
  ['2024.9.30'],
  ['２０２４年９月３０日'],
  ['2024 年 9 月 30 日'],
])('截至日期 written as %s', (written) => {
  const grid = reportGrid({ meta: [['標題'], ['填報單位：上城區', null, null, null, `截至日期：${written}`], []] });
  expect(readOne(grid).submission?.asOf).toBe('2024-09-30');
});

test('dates: the parsers accept the common forms and refuse impossible dates', () => {
  expect(parseDateText('2024年9月底')).toBe('2024-09-30');
  expect(parseDateText('2024-02')).toBeUndefined();
  expect(parseDateText('20240930')).toBe('2024-09-30');
  expect(parseDateText('9月30日', 2024)).toBe('2024-09-30');
  expect(parseDateText('2024-02-30')).toBeUndefined();
  expect(parseDateText('2024-13-01')).toBeUndefined();
  expect(parseDateValue(45351, 'yyyy-mm-dd')).toBe('2024-02-29');
  expect(parseDateValue(45565, 'General')).toBe('2024-09-30');
  expect(parseDateValue(3, 'General')).toBeUndefined();
  expect(dateInText('2024年民生實事項目進度（截至2024年9月30日）')).toBe('2024-09-30');
  expect(dateInText('進度表（截止9月底）', 2024)).toBe('2024-09-30');
  expect(dateInText('2024年杭州市民生實事項目進度報送表')).toBeUndefined();
});

test('the date can be in the title instead of a 截至日期 cell', () => {
  const grid = reportGrid({ meta: [['2024年民生實事項目進度報送表（截至2024年9月30日）'], ['填報單位：上城區'], []] });
  const { submission, problems } = readOne(grid);
  expect(problems).toEqual([]);
  expect(submission.asOf).toBe('2024-09-30');
});

describe('without 指標編號: 序號 + 年度目標 + 單位', () => {
  const columns = ['序號', '項目名稱', '指標', '年度目標', '單位', '累計完成', '完成率', '備註'];

  test('the good report with the 指標編號 column removed reads the same', () => {
    const { submission, problems } = readOne(reportGrid({ columns }));
    expect(problems).toEqual([]);
    expect(valuesOf(submission.rows)).toEqual(GOOD_VALUES);
  });

  const fuyang = (rows: Partial<ReportRow>[]): ReportRow[] =>
    rows.map((r) => ({ 序號: null, 指標編號: null, 項目名稱: null, 指標: null, 年度目標: null, 單位: null, 累計完成: null, 完成率: null, 備註: null, ...r }));
  const meta = [['進度報送表'], ['填報單位：富陽區', null, '截至日期：2024-09-30'], []];

  test('the target tells a project’s metrics apart (29: 2條, 5條, 2條), rows in any order', () => {
    const rows = fuyang([
      { 序號: 29, 指標: '地鐵接駁線', 年度目標: 5, 單位: '條', 累計完成: 4 },
      { 序號: 29, 指標: '城鄉公交', 年度目標: 2, 單位: '條', 累計完成: 1 },
      { 序號: 29, 指標: '社區微公交', 年度目標: 2, 單位: '條', 累計完成: 2 },
      { 序號: 26, 指標: '家門口青少年宮', 年度目標: '3(6)個', 單位: '個', 累計完成: 7 },
      { 序號: 9, 指標: '保障率', 年度目標: '83%', 單位: '%', 累計完成: '82%' },
      { 序號: 23, 指標: '水係整治', 年度目標: '13.5公裏', 單位: '公里', 累計完成: 12 },
    ]);
    const { submission, problems } = readOne(reportGrid({ meta, columns, rows }));
    expect(problems).toEqual([]);
    expect(valuesOf(submission.rows)).toEqual({ '29-2': 4, '29-1': 1, '29-3': 2, '26-1': 7, '9-1': 0.82, '23-1': 12 });
  });

  test('equal target and unit and no 指標 column: the plan’s row order decides', () => {
    const cols = ['序號', '年度目標', '單位', '累計完成'];
    const rows = fuyang([
      { 序號: 29, 年度目標: 2, 單位: '條', 累計完成: 1 },
      { 序號: 29, 年度目標: 5, 單位: '條', 累計完成: 3 },
      { 序號: 29, 年度目標: 2, 單位: '條', 累計完成: 0 },
    ]);
    const { submission, problems } = readOne(reportGrid({ meta, columns: cols, rows }));
    expect(problems).toEqual([]);
    expect(valuesOf(submission.rows)).toEqual({ '29-1': 1, '29-2': 3, '29-3': 0 });
  });

  test('a 序號 merged over a project’s rows applies to each of them', () => {
    const rows = fuyang([
      { 序號: 29, 指標: '城鄉公交', 年度目標: 2, 單位: '條', 累計完成: 1 },
      { 指標: '地鐵接駁線', 年度目標: 5, 單位: '條', 累計完成: 4 },
      { 指標: '社區微公交', 年度目標: 2, 單位: '條', 累計完成: 2 },
    ]);
    // 序號 is column A; the data starts in row 5.
    const grid = reportGrid({ meta, columns, rows, merges: [{ top: 5, left: 1, bottom: 7, right: 1 }] });
    const { submission, problems } = readOne(grid);
    expect(problems).toEqual([]);
    expect(valuesOf(submission.rows)).toEqual({ '29-1': 1, '29-2': 4, '29-3': 2 });
  });

  test('a target that matches none of the project’s metrics is an error at that row', () => {
    // 累計完成 is column F when 指標編號 is missing.
    const rows = fuyang([{ 序號: 29, 指標: '某線路', 年度目標: 7, 單位: '條', 累計完成: 3 }]);
    const { issues } = readOne(reportGrid({ meta, columns, rows }));
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unmatched-row', severity: 'error', cell: 'F5' }));
  });
});

test('累計完成 as text with the unit, numeric text, full-width digits, thousands separators', () => {
  const rows = goodRows();
  rows[0].累計完成 = '7個';
  rows[1].累計完成 = ' 1 ';
  rows[2].累計完成 = '２０人次';
  rows[3].累計完成 = '81%';
  rows[3].formats = { 年度目標: '0%' };
  rows[4].累計完成 = '6';
  const { submission, problems } = readOne(reportGrid({ rows }));
  expect(problems).toEqual([]);
  expect(valuesOf(submission.rows)).toEqual(GOOD_VALUES);
});

test('a rate typed as 0.81 in a General cell is the same as 81%', () => {
  const rows = goodRows();
  rows[3].formats = {};
  const { submission, problems } = readOne(reportGrid({ rows }));
  expect(problems).toEqual([]);
  expect(submission.rows.find((r) => r.metricId === '9-1')?.completed).toBe(0.81);
});

test('a compound 累計完成 written as "4(2)個" counts both parts', () => {
  const rows = goodRows();
  rows[4].累計完成 = '4(2)個';
  const { submission, problems } = readOne(reportGrid({ rows }));
  expect(problems).toEqual([]);
  expect(submission.rows.find((r) => r.metricId === '26-1')?.completed).toBe(6);
});

test('a footer (填報人, 聯繫電話) under the table is not a row', () => {
  const grid = reportGrid();
  const withFooter = gridFromRows(grid.sheet, [...grid.values, [], ['填報人：', null, '張三', '聯繫電話：', '0571-1234567', null, null, '審核人：', '李四']], {
    formats: grid.formats,
  });
  const { submission, issues } = readOne(withFooter);
  expect(issues).toEqual([]);
  expect(valuesOf(submission.rows)).toEqual(GOOD_VALUES);
});

test('a sheet that is not a submission says so', () => {
  const grid = gridFromRows('Sheet1', [['姓名', '電話'], ['張三', '123']]);
  expect(detectSubmission(grid)).toBe(false);
  const { submissions, issues } = readSubmissions(grid, plan);
  expect(submissions).toEqual([]);
  expect(issues).toEqual([expect.objectContaining({ code: 'not-a-submission', severity: 'error' })]);
});
