// The wide layout: a department reports every district at once on a sheet shaped like 附件2 (two-row
// header, district names written vertically, merged cells, note rows), the date in the title.
import { analysePlanSheets } from '../core/workbook';
import { gridFromRows, type CellValue, type Grid } from '../core/grid';
import { detectSubmission, detectSubmissionLayout, readSubmissions, targetTotal, type Submission } from '../core/submission';
import { BREAKDOWN_FILE, sampleGrids } from './helpers/samples';
import { valuesOf } from './helpers/submissionGrids';
import { smallPlan } from './helpers/submissionPlan';

const NOTE_12 = '杭州市作為一個整體統籌區完成該項目，不分解區、縣(市)目標任務。';

/** A hand-built wide report against the small plan; `change` edits the rows before the grid is made. */
function wideGrid(change: (rows: CellValue[][]) => void = () => undefined, title = '2024年民生實事項目區、縣(市)進度表（截至2024年9月30日）'): Grid {
  const rows: CellValue[][] = [
    ['附件2'],
    [title],
    ['序\n號', '項目名稱', '量化\n目標', '牽頭\n單位', '市\n本\n級', '各區、縣(市)任務分解'],
    [null, null, null, null, null, '上\n城\n區', '富\n陽\n區', '淳\n安\n縣', '拱\n墅\n區', '杭州\n西湖\n風景\n名勝\n區'],
    [1, '新增老年助餐服務點227個', '227個', '市民政局', '--', 7, 5, 3, '--', 1],
    [8, '規範提升26家殘疾人托養機構,實施殘疾人社會化照護服務1000人次', '26家', '市殘聯', '--', 1, '--', 2, '--', '--'],
    [null, null, '1000 人次', null, '--', '20人次', '--', 10, '--', '--'],
    [9, '全市困難群眾醫療費用綜合保障率達到83%', '83%', '市醫療保障局', '--', '81%', 0.8, '82%', '--', '--'],
    [12, '城鎮新增就業25萬人', '25萬人', NOTE_12],
    [29, '新辟優化城鄉公交、地鐵接駁線、社區微公交', '20條(城鄉公交)', '市交通運輸局', '--', '--', 1, '--', '--', '--'],
    [null, null, '40條(地鐵接駁線)', null, 2, '--', 4, '--', '--', '--'],
    [null, null, '20條(社區微公交)', null, '--', '--', 2, '--', '--', '--'],
    [26, '新增(提升)“家門口青少年宮”教學點100個', '100個', '團市委', '--', 6, '5(2)個', '--', '--', '--'],
  ];
  change(rows);
  const formats = rows.map((r, i) => r.map((_, j) => (i === 7 && j === 6 ? '0%' : 'General')));
  return gridFromRows('附件2', rows, {
    formats,
    merges: [
      { top: 2, left: 1, bottom: 2, right: 10 },
      ...[1, 2, 3, 4, 5].map((c) => ({ top: 3, left: c, bottom: 4, right: c })),
      { top: 3, left: 6, bottom: 3, right: 10 },
      { top: 6, left: 1, bottom: 7, right: 1 },
      { top: 6, left: 2, bottom: 7, right: 2 },
      { top: 6, left: 4, bottom: 7, right: 4 },
      { top: 9, left: 4, bottom: 9, right: 10 },
      { top: 10, left: 1, bottom: 12, right: 1 },
      { top: 10, left: 2, bottom: 12, right: 2 },
      { top: 10, left: 4, bottom: 12, right: 4 },
    ],
  });
}

const byDistrict = (submissions: Submission[]) => Object.fromEntries(submissions.map((s) => [s.district, valuesOf(s.rows)]));

describe('a hand-built wide report', () => {
  const plan = smallPlan();

  test('is detected as the wide layout', () => {
    expect(detectSubmissionLayout(wideGrid())).toBe('wide');
  });

  test('one submission per district column with values, metrics by project and row order', () => {
    const { submissions, issues } = readSubmissions(wideGrid(), plan);
    expect(issues).toEqual([]);
    expect(submissions.every((s) => s.asOf === '2024-09-30' && s.layout === 'wide')).toBe(true);
    expect(byDistrict(submissions)).toEqual({
      市本級: { '29-2': 2 },
      上城區: { '1-1': 7, '8-1': 1, '8-2': 20, '9-1': 0.81, '26-1': 6 },
      富陽區: { '1-1': 5, '9-1': 0.8, '29-1': 1, '29-2': 4, '29-3': 2, '26-1': 7 },
      淳安縣: { '1-1': 3, '8-1': 2, '8-2': 10, '9-1': 0.82 },
      杭州西湖風景名勝區: { '1-1': 1 },
    });
    // 拱墅區 reported nothing (all "--"): no submission for it rather than zeros.
    expect(submissions.map((s) => s.district)).not.toContain('拱墅區');
    expect(submissions.find((s) => s.district === '淳安縣')!.rows[0].cell).toBe('H5');
  });

  test('a value for a district without that target, a negative value: errors at their cells', () => {
    const { issues } = readSubmissions(
      wideGrid((rows) => {
        rows[4][8] = 3; // 拱墅區 has no 1-1 target
        rows[4][5] = -7;
      }),
      plan,
    );
    expect(issues.map((i) => [i.code, i.severity, i.cell])).toEqual([
      ['negative-value', 'error', 'F5'],
      ['metric-not-targeted', 'error', 'I5'],
    ]);
  });

  test('no date in the title: error, no submission', () => {
    const { submissions, issues } = readSubmissions(wideGrid(undefined, '2024年民生實事項目區、縣(市)進度表'), plan);
    expect(submissions).toEqual([]);
    expect(issues).toContainEqual(expect.objectContaining({ code: 'date-missing', severity: 'error' }));
  });

  test('an unknown district column holding values: error at its header', () => {
    const { issues } = readSubmissions(
      wideGrid((rows) => {
        rows[3][8] = '海\n淀\n區';
        rows[4][8] = 3;
      }),
      plan,
    );
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unknown-district', severity: 'error', cell: 'I4' }));
  });
});

describe('the sample 附件2 filled with cumulative amounts', () => {
  test('reads back every district’s numbers for every metric of the real plan', async () => {
    const grids = await sampleGrids(BREAKDOWN_FILE);
    const planned = analysePlanSheets(grids);
    const plan = planned.assembled.plan;
    const sheet = grids[0];
    expect(detectSubmission(sheet)).toBe(false); // the plan itself is not a progress report

    // Write half of each district's target (rates: 1 point below) where the target was.
    const columnOf = new Map(planned.breakdown!.districtColumns.map((d) => [d.district, d.col]));
    const expected: Record<string, Record<string, number>> = {};
    const at = (row: number, col: number) => [row - sheet.origin.row, col - sheet.origin.col] as const;
    for (const target of plan.targets) {
      const metric = plan.metrics.find((m) => m.id === target.metricId)!;
      const row = planned.assembled.metricRows.get(target.metricId)!.row;
      const [r, c] = at(row, columnOf.get(target.district)!);
      const value = metric.kind === 'rate' ? Math.round((target.target - 0.01) * 100) / 100 : Math.floor(targetTotal(target) / 2);
      sheet.values[r][c] = value;
      sheet.formats[r][c] = metric.kind === 'rate' ? '0%' : 'General';
      (expected[target.district] ??= {})[target.metricId] = value;
    }
    const [tr, tc] = at(2, 1);
    sheet.values[tr][tc] = `${sheet.values[tr][tc]}（截至2024年9月30日累計完成情況）`;

    expect(detectSubmissionLayout(sheet)).toBe('wide');
    const { submissions, issues } = readSubmissions(sheet, plan);
    expect(issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(byDistrict(submissions)).toEqual(expected);
    expect(submissions).toHaveLength(15);
  });
});
