// Each validation rule fires, at the right cell, on a workbook that has the fault, and not on the seed
// (the seed). The faulty variants are built here from the sample's grids.
import * as OpenCC from 'opencc-js/t2cn';
import { a1, type Grid } from '../core/grid';
import { issueText, type Issue } from '../core/issues';
import type { Metric } from '../core/model';
import { matchKey } from '../core/text';
import { analysePlanSheets } from '../core/workbook';
import { appendRow, findCell, insertBlankRow, mapText, sampleGrids, setCell, sheetOf, shiftGrid, swapColumns } from './helpers/samples';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

async function variant(change: (sheets: { a1: Grid; a2: Grid }) => void) {
  const grids = await sampleGrids();
  change({ a1: sheetOf(grids, '附件1'), a2: sheetOf(grids, '附件2') });
  return analysePlanSheets(grids);
}

const withCode = (issues: Issue[], code: string) => issues.filter((i) => i.code === code);
const at = (p: { row: number; col: number }) => a1(p.row, p.col);

/** Address of a district's value cell on the row of a project's k-th target row. */
function valueCell(a2: Grid, projectName: string, district: string, rowOffset = 0) {
  const nameAt = findCell(a2, projectName);
  const header = findCell(a2, district.split('').join('\n'));
  return { row: nameAt.row + rowOffset, col: header.col };
}

describe('validation rules on faulty variants of the sample', () => {
  test('the seed itself: no errors, and only the warnings the seed deserves', async () => {
    const result = await variant(() => undefined);
    expect(withCode(result.issues, 'sum-mismatch')).toEqual([]);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    // Project 9's last step is due in December, after its November deadline: the seed says so.
    expect(withCode(result.issues, 'milestone-after-deadline').map((i) => issueText(i, 'zh-TW')).join()).toContain('12月底');
  });

  test('misspelled district column: error at the header cell, with the canonical name as fix', async () => {
    let cell = { row: 0, col: 0 };
    const result = await variant(({ a2 }) => {
      cell = findCell(a2, '上\n城\n區');
      setCell(a2, cell, '上成區');
    });
    const [issue] = withCode(result.issues, 'misspelled-district');
    expect(issue).toMatchObject({ severity: 'error', sheet: '附件2', cell: at(cell), fix: { value: '上城區' } });
    expect(issueText(issue, 'zh-TW')).toContain('上成區');
  });

  test('unknown and duplicated district columns', async () => {
    const result = await variant(({ a2 }) => {
      setCell(a2, findCell(a2, '拱\n墅\n區'), '上城區');
      setCell(a2, findCell(a2, '濱\n江\n區'), '火星區');
    });
    expect(withCode(result.issues, 'duplicate-district')).toHaveLength(1);
    expect(issueText(withCode(result.issues, 'unknown-district')[0], 'zh-TW')).toContain('火星區');
  });

  test('ambiguous "西湖" is not guessed', async () => {
    const result = await variant(({ a2 }) => setCell(a2, findCell(a2, '西\n湖\n區'), '西湖'));
    expect(withCode(result.issues, 'ambiguous-district')).toHaveLength(1);
  });

  test('missing required column', async () => {
    const result = await variant(({ a2 }) => setCell(a2, findCell(a2, '量化\n目標'), '備用'));
    expect(issueText(withCode(result.issues, 'missing-column')[0], 'zh-TW')).toContain('量化目標');
  });

  test('duplicated project row', async () => {
    const result = await variant(({ a2 }) => {
      const serial5 = findCell(a2, '全市長期護理保險投保人數達到859萬人');
      setCell(a2, { row: serial5.row, col: serial5.col - 1 }, 3);
    });
    expect(issueText(withCode(result.issues, 'duplicate-project')[0], 'zh-TW')).toContain('序號3重複');
  });

  test('unparseable quantity: error at that cell, never a zero, and the rest still checked', async () => {
    let cell = { row: 0, col: 0 };
    const result = await variant(({ a2 }) => {
      cell = valueCell(a2, '新增老年助餐服務點227個', '上城區');
      setCell(a2, cell, '待定');
    });
    const bad = withCode(result.issues, 'bad-quantity');
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ cell: at(cell), severity: 'error' });
    expect(issueText(bad[0], 'zh-TW')).toContain('待定');
    // The unreadable cell is left out of the targets, not counted as 0; the sum check reports the gap.
    expect(result.assembled.plan.targets.find((t) => t.metricId === '1-1' && t.district === '上城區')).toBeUndefined();
    expect(issueText(withCode(result.issues, 'sum-mismatch')[0], 'zh-TW')).toContain('少10');
    const reference = await variant(() => undefined);
    expect(result.assembled.plan.metrics).toEqual(reference.assembled.plan.metrics);
  });

  test('negative value, unit mismatch, sum mismatch', async () => {
    const result = await variant(({ a2 }) => {
      setCell(a2, valueCell(a2, '新增老年助餐服務點227個', '拱墅區'), '-15個');
      setCell(a2, valueCell(a2, '新增認知障礙照護專區床位1000張', '上城區'), '110個');
      setCell(a2, valueCell(a2, '推出保障性租賃住房8000套', '上城區'), '1001套');
    });
    expect(withCode(result.issues, 'negative-value')).toHaveLength(1);
    expect(issueText(withCode(result.issues, 'unit-mismatch')[0], 'zh-TW')).toMatch(/個.*張/);
    const sums = withCode(result.issues, 'sum-mismatch').map((i) => issueText(i, 'zh-TW'));
    expect(sums.some((m) => m.includes('指標16-1') && m.includes('多1'))).toBe(true);
  });

  test('a compound "5(4)個" metric is summed over both parts against its target', async () => {
    // Project 26: the districts' new and (upgraded) points add up to 100; one more upgraded point in 上城區 is one too many.
    let cell = { row: 0, col: 0 };
    const result = await variant(({ a2 }) => {
      cell = valueCell(a2, '新增(提升)“家門口青少年宮”教學點100個', '上城區');
      expect(a2.values[cell.row - a2.origin.row][cell.col - a2.origin.col]).toBe('5(4)個');
      setCell(a2, cell, '5(5)個');
    });
    const sums = withCode(result.issues, 'sum-mismatch').map((i) => issueText(i, 'zh-TW'));
    expect(sums).toHaveLength(1);
    expect(sums[0]).toMatch(/指標26-1.*合計101個.*多1/);
  });

  test('a district rate below the city’s is warned about at its cell; one equal to it is not', async () => {
    expect(withCode((await variant(() => undefined)).issues, 'rate-below-target')).toEqual([]); // every district writes 83%, as the city
    let cell = { row: 0, col: 0 };
    const result = await variant(({ a2 }) => {
      cell = valueCell(a2, '全市困難群眾醫療費用綜合保障率達到83%', '拱墅區');
      setCell(a2, cell, '80%');
    });
    const below = withCode(result.issues, 'rate-below-target');
    expect(below.map((i) => [i.severity, i.cell])).toEqual([['warning', at(cell)]]);
    expect(issueText(below[0], 'zh-TW')).toMatch(/80%.*83%/);
  });

  test('a district that writes 套 where the plan counts 套(間) uses the same unit', async () => {
    const result = await variant(({ a2 }) => setCell(a2, valueCell(a2, '推出“青荷驛站”房源500套(間)', '上城區'), '80套'));
    expect(withCode(result.issues, 'unit-mismatch')).toEqual([]);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  test('deadline that is not a month of the plan year', async () => {
    let cell = { row: 0, col: 0 };
    const result = await variant(({ a1: sheet }) => {
      cell = findCell(sheet, '9月底');
      setCell(sheet, cell, '待定');
    });
    expect(withCode(result.issues, 'bad-deadline')[0]).toMatchObject({ cell: at(cell), severity: 'error' });
  });

  test.each([
    ['an Excel date cell', 45565, 'yyyy/m/d', false],
    ['an Excel date cell in a 1904 workbook', 45565 - 1462, 'yyyy"年"m"月"d"日"', true],
    ['a date typed as text', '2024/9/30', 'General', false],
    ['an ISO date typed as text', '2024-09-30', 'General', false],
  ] as const)('a deadline written as %s is that day, with no issue', async (_, value, format, date1904) => {
    let cell = { row: 0, col: 0 };
    const result = await variant(({ a1: sheet }) => {
      cell = findCell(sheet, '9月底');
      setCell(sheet, cell, value);
      sheet.formats[cell.row - sheet.origin.row][cell.col - sheet.origin.col] = format;
      if (date1904) sheet.date1904 = true;
    });
    expect(withCode(result.issues, 'bad-deadline')).toEqual([]);
    // plan.responsibilities keeps 附件1's row order.
    const index = result.responsibility!.rows.findIndex((r) => r.row === cell.row);
    expect(result.assembled.plan.responsibilities[index].deadline).toBe('2024-09-30');
  });

  test('a whole date outside the plan year is a bad deadline at its cell', async () => {
    let cell = { row: 0, col: 0 };
    const result = await variant(({ a1: sheet }) => {
      cell = findCell(sheet, '9月底');
      setCell(sheet, cell, '2025-09-30');
    });
    expect(withCode(result.issues, 'bad-deadline').map((i) => i.cell)).toEqual([at(cell)]);
  });

  test('milestones out of date order, with falling ratios, and due after the deadline', async () => {
    const result = await variant(({ a1: sheet }) => {
      const plan = findCell(sheet, '3月底前完成20%; 6月底前完成40%; 9月底前完成80%; 11月底前完成100%。');
      setCell(sheet, plan, '6月底前完成40%; 3月底前完成20%; 9月底前完成30%; 12月底前完成100%。');
    });
    expect(withCode(result.issues, 'milestone-order')).toHaveLength(1);
    expect(issueText(withCode(result.issues, 'milestone-falling')[0], 'zh-TW')).toContain('指標14-1');
    expect(withCode(result.issues, 'milestone-after-deadline').some((i) => issueText(i, 'zh-TW').includes('2024-12-31'))).toBe(true);
  });

  test('projects in one attachment and not the other; lead units that differ', async () => {
    const result = await variant(({ a1: sheet, a2 }) => {
      setCell(sheet, findCell(sheet, '市農業農村局', 1), '市林水局');
      const p48 = findCell(sheet, '設立城區農貿市場“嵌入式”公益性共富菜市(攤位)100個');
      setCell(sheet, p48, '新建社區食堂50個');
      void a2;
    });
    expect(issueText(withCode(result.issues, 'lead-unit-differs')[0], 'zh-TW')).toContain('市林水局');
    expect(withCode(result.issues, 'project-not-in-breakdown')).toHaveLength(1);
    expect(issueText(withCode(result.issues, 'project-not-in-responsibility')[0], 'zh-TW')).toContain('項目48');
  });
});

describe('layouts clerks actually send read to the same plan', () => {
  let reference: Awaited<ReturnType<typeof variant>>;
  beforeAll(async () => {
    reference = await variant(() => undefined);
  });
  const samePlan = (result: Awaited<ReturnType<typeof variant>>) => {
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    // Labels and units stay in the script the clerk wrote; ids, kinds and numbers must not change.
    const essentials = (m: Metric) => ({ id: m.id, kind: m.kind, cityTarget: m.cityTarget, unit: matchKey(m.unit) });
    expect(result.assembled.plan.metrics.map(essentials)).toEqual(reference.assembled.plan.metrics.map(essentials));
    expect(result.assembled.plan.targets).toEqual(expect.arrayContaining(reference.assembled.plan.targets));
    expect(result.assembled.plan.targets).toHaveLength(reference.assembled.plan.targets.length);
  };

  test('simplified script throughout', async () => {
    const result = await variant(({ a1: s1, a2 }) => {
      mapText(s1, toSimplified);
      mapText(a2, toSimplified);
    });
    samePlan(result);
    expect(result.assembled.plan.milestones.filter((m) => m.expectedRatio !== undefined)).toHaveLength(
      reference.assembled.plan.milestones.filter((m) => m.expectedRatio !== undefined).length,
    );
  });

  test('full-width digits and stray spaces', async () => {
    const full = (s: string) => s.replace(/[0-9%()]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    samePlan(await variant(({ a2 }) => mapText(a2, (s) => ` ${full(s)} `)));
  });

  test('table starting elsewhere, blank rows, total and note rows', async () => {
    const result = await variant(({ a1: s1, a2 }) => {
      shiftGrid(a2, 3, 2);
      shiftGrid(s1, 1, 1);
      insertBlankRow(a2, findCell(a2, '推出保障性租賃住房8000套').row);
      appendRow(a2, ['合計']);
      appendRow(a2, ['備註：本表由市政府督查室彙總。']);
    });
    samePlan(result);
  });

  test('district columns in another order', async () => {
    samePlan(
      await variant(({ a2 }) => {
        const upper = findCell(a2, '上\n城\n區');
        swapColumns(a2, upper.col, findCell(a2, '淳\n安\n縣').col, upper.row);
      }),
    );
  });

  test('aliases and spaced names in the header', async () => {
    const result = await variant(({ a2 }) => {
      setCell(a2, findCell(a2, '上\n城\n區'), '上 城');
      setCell(a2, findCell(a2, '杭州\n西湖\n風景\n名勝\n區'), '西湖景区');
    });
    samePlan(result);
  });
});

describe('a 附件2 metric row repeated', () => {
  /** Pastes a copy of project `no`'s (single) row right below it; `edit` may change the copy. Returns the copy's row. */
  function repeatRow(a2: Grid, no: number, edit: (row: (string | number | boolean | null)[]) => void = () => undefined): number {
    const index = a2.values.findIndex((r) => r[0] === no);
    const row = a2.origin.row + index;
    insertBlankRow(a2, row + 1);
    a2.values[index + 1] = [...a2.values[index]];
    a2.formats[index + 1] = [...a2.formats[index]];
    edit(a2.values[index + 1]);
    return row + 1;
  }

  test('an exact repeat (same 序號, text and numbers, one after the other) is an error at the repeated row, not a metric 20-2', async () => {
    let copy = 0;
    const result = await variant(({ a2 }) => (copy = repeatRow(a2, 20)));
    const found = withCode(result.issues, 'repeated-metric-row');
    expect(found.map((i) => [i.severity, i.sheet, i.cell])).toEqual([['error', '附件2', `B${copy}`]]);
    expect(issueText(found[0], 'zh-TW')).toContain(`第${copy - 1}行`);
    expect(withCode(result.issues, 'duplicate-metric-label')).toEqual([]);
  });

  test('the same row with one number changed: a warning that the two metrics cannot be told apart', async () => {
    let copy = 0;
    const result = await variant(({ a2 }) => (copy = repeatRow(a2, 20, (row) => {
      const i = row.findIndex((v, j) => j > 4 && (typeof v === 'number' || /\d/.test(String(v ?? ''))));
      row[i] = typeof row[i] === 'number' ? (row[i] as number) + 1 : String(row[i]).replace(/\d+/, (n) => String(Number(n) + 1));
    })));
    expect(withCode(result.issues, 'repeated-metric-row')).toEqual([]);
    const found = withCode(result.issues, 'duplicate-metric-label');
    expect(found.map((i) => [i.severity, i.cell])).toEqual([['warning', `B${copy}`]]);
    expect(issueText(found[0], 'zh-TW')).toContain('20-2');
  });
});

describe('labelled sub-plans in a work plan, each its own sequence', () => {
  const plans: [string, string][] = [
    ['[…]', '[老舊小區改造] 3月底前完成20%；6月底前完成60%；11月底前全面完成。[加裝電梯] 4月底前完成30%；8月底前完成40%；10月底前完成30%。'],
    ['【…】', '【老舊小區改造】3月底前完成20%；6月底前完成60%；11月底前全面完成。\n【加裝電梯】4月底前完成30%；8月底前完成40%；10月底前完成30%。'],
    ['（一）…', '（一）老舊小區改造：3月底前完成20%；6月底前完成60%；11月底前全面完成。\n（二）加裝電梯：4月底前完成30%；8月底前完成40%；10月底前完成30%。'],
    ['1.…', '1.老舊小區改造：3月底前完成20%，6月底前完成60%，11月底前全面完成\n2.加裝電梯：4月底前完成30%，8月底前完成40%，10月底前完成30%'],
  ];
  test.each(plans)('%s: no false 時間順序顛倒 between sub-plans; 40%% then 30%% inside one is caught', async (_label, text) => {
    const result = await variant(({ a1: sheet }) => setCell(sheet, findCell(sheet, '3月底前完成20%; 6月底前完成40%; 9月底前完成80%; 11月底前完成100%。'), text));
    expect(withCode(result.issues, 'milestone-order')).toEqual([]);
    const falling = withCode(result.issues, 'milestone-falling');
    expect(falling).toHaveLength(1);
    expect(issueText(falling[0], 'zh-TW')).toContain('40');
    expect(issueText(falling[0], 'zh-TW')).toContain('30');
  });

  test('a numbered list of single steps is still one sequence: its disorder is reported', async () => {
    const result = await variant(({ a1: sheet }) => setCell(sheet, findCell(sheet, '3月底前完成20%; 6月底前完成40%; 9月底前完成80%; 11月底前完成100%。'), '1、6月底前完成40%\n2、3月底前完成20%\n3、11月底前全面完成'));
    expect(withCode(result.issues, 'milestone-order')).toHaveLength(1);
  });
});

describe('district values in the 萬 of the 量化目標', () => {
  /** Project 1's row: 量化目標 rewritten in 萬 and each district value as the bare number of 萬. */
  function inWan(a2: Grid, divide: (v: number) => number): number {
    const index = a2.values.findIndex((r) => r[0] === 1);
    const row = a2.values[index];
    let total = 0;
    for (let j = 4; j < row.length; j++) {
      const m = /^(\d+)/.exec(String(row[j] ?? ''));
      if (!m) continue;
      row[j] = divide(Number(m[1]));
      total += Number(m[1]);
    }
    row[2] = `${total}萬個`;
    return a2.origin.row + index;
  }

  test('plain numbers that add up to the target in 萬 are read in 萬, with an info issue and its fix per cell', async () => {
    let row = 0;
    const result = await variant(({ a2 }) => (row = inWan(a2, (v) => v)));
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const found = withCode(result.issues, 'district-values-in-target-scale');
    expect(found.length).toBeGreaterThan(3);
    expect(found.every((i) => i.severity === 'info' && i.cell!.endsWith(String(row)))).toBe(true);
    expect(typeof found[0].fix?.value).toBe('number');
    expect((found[0].fix!.value as number) % 10000).toBe(0);
    const targets = result.assembled.plan.targets.filter((t) => t.metricId === '1-1');
    const metric = result.assembled.plan.metrics.find((m) => m.id === '1-1')!;
    expect(targets.reduce((n, t) => n + t.target, 0)).toBe(metric.cityTarget);
    expect(issueText(found[0], 'zh-TW')).toContain('萬');
  });

  test('only then: numbers that do not add up in 萬 are still a sum mismatch, not rescaled', async () => {
    const result = await variant(({ a2 }) => inWan(a2, (v) => v + 1));
    expect(withCode(result.issues, 'district-values-in-target-scale')).toEqual([]);
    expect(withCode(result.issues, 'sum-mismatch')).toHaveLength(1);
  });
});
