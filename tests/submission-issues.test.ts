// Every check on a 進度報送表 fires on a report that has the fault, names the cell in Chinese, and stays
// silent on the good report.
import type { Issue } from '../core/issues';
import { hasErrors, issueText } from '../core/issues';
import { readSubmissions } from '../core/submission';
import type { CellValue } from '../core/grid';
import { GOOD_META, goodRows, reportGrid, valuesOf, type ReportRow } from './helpers/submissionGrids';
import { smallPlan } from './helpers/submissionPlan';

const plan = smallPlan();

function read(options: Parameters<typeof reportGrid>[0] = {}) {
  const { submissions, issues } = readSubmissions(reportGrid(options), plan);
  return { submission: submissions[0], issues };
}

/** The good report with 累計完成 (or another column) of one metric's row changed. */
function withCell(metricId: string, column: keyof ReportRow, value: CellValue, format?: string) {
  const rows = goodRows();
  const row = rows.find((r) => r.指標編號 === metricId)!;
  (row as unknown as Record<string, CellValue>)[column] = value;
  if (format) row.formats = { ...row.formats, [column]: format };
  return read({ rows });
}

function withMeta(district: string | null, date: string | null) {
  return read({ meta: [['2024年杭州市民生實事項目進度報送表'], [district, null, null, null, date], []] });
}

const only = (issues: Issue[], code: string) => issues.filter((i) => i.code === code);

test('the good report has no issue at all', () => {
  const { issues, submission } = read();
  expect(issues).toEqual([]);
  expect(submission.rows).toHaveLength(5);
});

describe('填報單位', () => {
  test('an unknown district is an error that lists the accepted names; no submission', () => {
    const { issues, submission } = withMeta('填報單位：海淀區', '截至日期：2024-09-30');
    const [issue] = only(issues, 'unknown-district');
    expect(issue).toMatchObject({ severity: 'error', cell: 'A2' });
    expect(issueText(issue, 'zh-TW')).toContain('海淀區');
    expect(issueText(issue, 'zh-TW')).toContain('上城區');
    expect(issueText(issue, 'zh-TW')).toContain('杭州西湖風景名勝區');
    expect(submission).toBeUndefined();
  });

  test('a misspelled district gets a suggested fix that keeps the label', () => {
    const [issue] = only(withMeta('填報單位：上成區', '截至日期：2024-09-30').issues, 'misspelled-district');
    expect(issue).toMatchObject({ severity: 'error', cell: 'A2', fix: { value: '填報單位：上城區' } });
  });

  test('"西湖" alone is ambiguous', () => {
    const [issue] = only(withMeta('填報單位：西湖', '截至日期：2024-09-30').issues, 'ambiguous-district');
    expect(issueText(issue, 'zh-TW')).toMatch(/西湖區.*杭州西湖風景名勝區/);
  });

  test('a label with nothing after it, or no label at all', () => {
    expect(only(withMeta('填報單位：', '截至日期：2024-09-30').issues, 'district-missing')).toEqual([expect.objectContaining({ severity: 'error', cell: 'A2' })]);
    expect(only(withMeta(null, '截至日期：2024-09-30').issues, 'district-missing')).toHaveLength(1);
  });

  test('aliases and either script are accepted silently', () => {
    for (const written of ['填報單位：上城', '填报单位：上城区', '填報單位： 上 城 區 ']) {
      const { issues, submission } = withMeta(written, '截至日期：2024-09-30');
      expect(issues).toEqual([]);
      expect(submission.district).toBe('上城區');
    }
  });
});

describe('截至日期', () => {
  test('missing: error, no submission', () => {
    const { issues, submission } = withMeta('填報單位：上城區', null);
    expect(only(issues, 'date-missing')).toEqual([expect.objectContaining({ severity: 'error' })]);
    expect(submission).toBeUndefined();
  });

  test('unreadable: error at the cell', () => {
    const [issue] = only(withMeta('填報單位：上城區', '截至日期：九月底左右').issues, 'date-unreadable');
    expect(issue).toMatchObject({ severity: 'error', cell: 'E2' });
    expect(issueText(issue, 'zh-TW')).toContain('E2');
  });

  test('outside the plan year: error', () => {
    const { issues, submission } = withMeta('填報單位：上城區', '截至日期：2023-09-30');
    expect(only(issues, 'date-outside-year')).toEqual([expect.objectContaining({ severity: 'error', cell: 'E2' })]);
    expect(submission).toBeUndefined();
  });
});

describe('累計完成', () => {
  test('negative: error naming the cell, the value is not kept', () => {
    for (const value of [-3, '－3', '-3個']) {
      const { issues, submission } = withCell('1-1', '累計完成', value);
      const [issue] = only(issues, 'negative-value');
      expect(issue).toMatchObject({ severity: 'error', cell: 'G5' });
      expect(issueText(issue, 'zh-TW')).toMatch(/^G5：/);
      expect(submission.rows.find((r) => r.metricId === '1-1')).toBeUndefined();
    }
  });

  test('not a number: error, never a zero', () => {
    for (const value of ['待統計', '約10個', true]) {
      const { issues, submission } = withCell('1-1', '累計完成', value);
      expect(only(issues, 'not-a-number')).toEqual([expect.objectContaining({ severity: 'error', cell: 'G5' })]);
      expect(submission.rows.find((r) => r.metricId === '1-1')).toBeUndefined();
    }
  });

  test('blank (or "--") is not an error and not a zero: no report for that metric', () => {
    for (const value of [null, '', '  ', '--']) {
      const { issues, submission } = withCell('1-1', '累計完成', value);
      expect(issues).toEqual([]);
      expect(submission.rows.map((r) => r.metricId)).toEqual(['8-1', '8-2', '9-1', '26-1']);
    }
  });

  test('far above the target (more than 1.5×): a warning, the value is kept', () => {
    const above = withCell('1-1', '累計完成', 16);
    expect(only(above.issues, 'far-above-target')).toEqual([expect.objectContaining({ severity: 'warning', cell: 'G5' })]);
    expect(valuesOf(above.submission.rows)['1-1']).toBe(16);
    expect(withCell('1-1', '累計完成', 15).issues).toEqual([]);
    // a compound target's total is 9: 14 is more than 1.5 × 9
    expect(only(withCell('26-1', '累計完成', 14).issues, 'far-above-target')).toHaveLength(1);
    expect(withCell('26-1', '累計完成', 13).issues).toEqual([]);
  });

  test('a unit other than the metric’s: error; the same unit in the other script is fine', () => {
    const [issue] = only(withCell('8-2', '累計完成', '20人').issues, 'unit-mismatch');
    expect(issue).toMatchObject({ severity: 'error', cell: 'G7' });
    expect(issueText(issue, 'zh-TW')).toContain('人次');
    expect(withCell('1-1', '累計完成', '7个').issues).toEqual([]);
  });

  test('a percentage for a counted metric: error with the amount it would mean as the fix', () => {
    const [issue] = only(withCell('1-1', '累計完成', '50%').issues, 'percent-for-amount');
    expect(issue).toMatchObject({ severity: 'error', cell: 'G5', fix: { value: 5 } });
  });

  test('a rate metric: 81 reads as 81% with a warning; above 100% is an error', () => {
    const points = withCell('9-1', '累計完成', 81, 'General');
    expect(only(points.issues, 'rate-as-percent-points')).toEqual([expect.objectContaining({ severity: 'warning', cell: 'G8', fix: expect.objectContaining({ value: 0.81 }) })]);
    expect(valuesOf(points.submission.rows)['9-1']).toBe(0.81);
    expect(only(withCell('9-1', '累計完成', '120%').issues, 'rate-above-100')).toEqual([expect.objectContaining({ severity: 'error', cell: 'G8' })]);
    expect(only(withCell('9-1', '累計完成', '81人').issues, 'unit-mismatch')).toHaveLength(1);
  });
});

describe('rows and metrics', () => {
  test('a metric id that is not in the plan: error', () => {
    const [issue] = only(withCell('1-1', '指標編號', '99-1').issues, 'unknown-metric');
    expect(issue).toMatchObject({ severity: 'error', cell: 'G5' });
    expect(issueText(issue, 'zh-TW')).toContain('99-1');
  });

  test('a metric id that is not an id at all: error at the id cell', () => {
    expect(only(withCell('1-1', '指標編號', '第一項').issues, 'unknown-metric')).toEqual([expect.objectContaining({ severity: 'error', cell: 'B5' })]);
  });

  test('a metric the district has no target for: error when filled in, only a note when left blank', () => {
    const extra = (completed: CellValue): ReportRow => ({
      序號: 29, 指標編號: '29-1', 項目名稱: '公交', 指標: '城鄉公交', 年度目標: null, 單位: '條', 累計完成: completed, 完成率: null, 備註: null,
    });
    const filled = read({ rows: [...goodRows(), extra(1)] });
    expect(only(filled.issues, 'metric-not-targeted')).toEqual([expect.objectContaining({ severity: 'error', cell: 'G10' })]);
    expect(filled.submission.rows.map((r) => r.metricId)).not.toContain('29-1');
    const blank = read({ rows: [...goodRows(), extra(null)] });
    expect(hasErrors(blank.issues)).toBe(false);
    expect(only(blank.issues, 'metric-not-targeted')).toEqual([]);
    expect(only(blank.issues, 'metric-not-targeted-unfilled')).toEqual([expect.objectContaining({ severity: 'info' })]);
  });

  test('a duplicated metric row: error at the second one', () => {
    const rows = goodRows();
    rows.push({ ...rows[0], 累計完成: 8 });
    const { issues, submission } = read({ rows });
    const [issue] = only(issues, 'duplicate-metric');
    expect(issue).toMatchObject({ severity: 'error', cell: 'G10' });
    expect(issueText(issue, 'zh-TW')).toContain('第5行');
    expect(valuesOf(submission.rows)['1-1']).toBe(7);
  });

  test('a metric row deleted from the template: noted, not an error', () => {
    const rows = goodRows().filter((r) => r.指標編號 !== '8-2');
    const { issues } = read({ rows });
    expect(hasErrors(issues)).toBe(false);
    expect(only(issues, 'metric-row-missing')).toEqual([expect.objectContaining({ severity: 'info' })]);
    expect(issueText(only(issues, 'metric-row-missing')[0], 'zh-TW')).toContain('8-2');
  });

  test('a 年度目標 that differs from the plan (an old template): warning', () => {
    expect(only(withCell('1-1', '年度目標', 12).issues, 'target-differs')).toEqual([expect.objectContaining({ severity: 'warning', cell: 'E5' })]);
  });

  test('a 指標編號 Excel turned into a date still reads, with a warning', () => {
    // "8-2" typed into a General cell becomes 2 August; 45506 is 2024-08-02.
    const { issues, submission } = withCell('8-2', '指標編號', 45506, 'm"月"d"日"');
    expect(only(issues, 'metric-id-as-date')).toEqual([expect.objectContaining({ severity: 'warning', cell: 'B7' })]);
    expect(valuesOf(submission.rows)['8-2']).toBe(20);
  });
});

test('one faulty report gathers all its issues, each naming its cell', () => {
  const rows = goodRows();
  rows[0].累計完成 = -1;
  rows[1].累計完成 = '未知';
  rows[2].累計完成 = 100;
  const { issues } = read({ rows, meta: [...GOOD_META, []] });
  expect(issues.map((i) => [i.code, i.cell])).toEqual([
    ['negative-value', 'G5'],
    ['not-a-number', 'G6'],
    ['far-above-target', 'G7'],
  ]);
  for (const issue of issues) expect(issueText(issue, 'zh-TW').startsWith(`${issue.cell}：`)).toBe(true);
});
