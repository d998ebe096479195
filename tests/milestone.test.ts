// 工作計劃和進度安排 texts of the 48 projects in the seed notice read into dated steps and milestones
// (docs/design.md, "Milestones"). Metrics are built by hand from 附件2 (label, target text) through
// parseQuantity.
import * as fs from 'fs';
import * as path from 'path';
import * as OpenCC from 'opencc-js/t2cn';
import { monthEnd } from '../core/dates';
import { render } from '../core/messages';
import { parseDeadline, parseMilestones, type ParsedPlan } from '../core/milestone';
import type { Metric, Milestone } from '../core/model';
import { parseQuantity } from '../core/quantity';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });
const SEED = path.resolve(__dirname, '../samples/2024-hangzhou/seed/hangzhou-2024-minsheng-notice.txt');

/** 附件1's rows in order (project 1..48): the cell after 預計完成時間 is the plan text. */
function seedPlanTexts(): string[] {
  const seed = fs.readFileSync(SEED, 'utf8');
  const table = seed.slice(seed.indexOf('附件1\n'), seed.indexOf('附件2\n'));
  const records: string[] = [];
  let record = '';
  for (const line of table.split('\n').slice(3)) {
    record = record ? `${record}\n${line}` : line;
    if (/\|\s*$/.test(line)) {
      records.push(record);
      record = '';
    }
  }
  return records.map((r) => {
    const fields = r.split(' | ');
    const deadlineAt = fields.findIndex((f) => /^\d{1,2}月底$/.test(f.trim()));
    return fields[deadlineAt + 1].replace(/\s*\|[\s|]*$/, '').trim();
  });
}

// Metric rows of 附件2: project, label (as plan assembly would name it), 量化目標 cell, kind when not plain.
const METRIC_ROWS: [number, string, string, Metric['kind']?][] = [
  [1, '新增老年助餐服務點227個', '227個'],
  [2, '新增認知障礙照護專區床位1000張', '1000張'],
  [3, '為全市60歲以上老年人免費接種流感疫苗85.8萬人次,實現“願接盡接”', '858000人次'],
  [4, '為全市50-74周歲戶籍居民提供免費結直腸癌篩查,篩查人數26.9萬人次', '269000人次'],
  [5, '全市長期護理保險投保人數達到859萬人', '859萬'],
  [6, '實施孤獨症兒童康複救助680人', '680人'],
  [7, '新增殘疾人就業1000人', '1000人'],
  [8, '規範提升26家殘疾人托養機構', '26家'],
  [8, '實施殘疾人社會化照護服務1000人次', '1000 人次'],
  [9, '全市困難群眾醫療費用綜合保障率達到83%', '83%'],
  [10, '推出“青荷驛站”房源500套(間)', '500 套(間)'],
  [12, '城鎮新增就業25萬人', '25萬人', 'city-only'],
  [13, '培養持證數字高技能人才7500人', '7500人'],
  [14, '為離校2年內未就業高校畢業生提供見習崗位1.1萬個', '11000個'],
  [15, '新開工保障房100萬平方米', '100萬平方米'],
  [15, '分配公租房實物配租房源6000套', '6000套'],
  [16, '推出保障性租賃住房8000套', '8000套'],
  [17, '完成改造城鎮老舊小區200個', '200個'],
  [18, '完成回遷安置3.5萬戶', '35000戶'],
  [19, '推進老舊小區住宅加裝電梯1000台', '1000台'],
  [20, '新(改)建城市公園65個', '65個'],
  [21, '建成“寧靜小區”50個', '50個'],
  [22, '新(改)建農村生活汙水處理設施130個', '130個'],
  [23, '完成幸福河湖農村水係整治100公裏', '100公裏'],
  [23, '打造親水節點80個', '80個'],
  [24, '開展養育照護師資培訓2000人次', '2000 人次'],
  [24, '養育照護活動2000場', '2000場'],
  [24, '新建“醫防護”兒童健康管理中心60家', '60家'],
  [25, '新建成中小學、幼兒園70所', '70所'],
  [25, '新增學位6萬個', '60000個'],
  [26, '新增(提升)“家門口青少年宮”教學點100個', '100個', 'compound'],
  [27, '舉辦青少年防溺水公益培訓1000堂', '1000堂'],
  [28, '新(改)建新能源汽車公共充電樁3000個', '3000個'],
  [29, '', '20條(城鄉公交)'],
  [29, '', '40條(地鐵接駁線)'],
  [29, '', '20條(社區微公交)'],
  [29, '', '10條(敬老公交)'],
  [29, '', '10條(定製公交)'],
  [30, '新(改)建農村公路115公裏', '115公裏'],
  [30, '完成養護677公裏', '677公裏'],
  [31, '新拓展地鐵出入口非機動車停放泊位2000個', '2000個'],
  [32, '實施居民住宅小區二次供水設施改造200個', '200個'],
  [33, '改造提升單村水站242座', '242座'],
  [33, '農村管網更新改造748公裏', '748 公裏'],
  [34, '建成中小學校“示範食堂”160家', '160家'],
  [35, '新增陽光食品作坊117家', '117家'],
  [36, '升級改造區級社會心理服務中心14家', '14家'],
  [37, '為適齡女生免費接種雙價HPV疫苗1萬人以上', '10000人'],
  [38, '建成基層生育谘詢門診50個', '50個'],
  [39, '省內異地結算定點醫院開通率達100%', '100%'],
  [40, '新增文化驛站13家', '13家'],
  [41, '新增認定鄉村(社區)博物館20家', '20家'],
  [42, '新建群眾身邊體育健身設施300處', '300處'],
  [42, '“環浙步道”450公裏', '450 公裏'],
  [43, '舉辦全民健身活動和科學健身指導10000場', '10000場'],
  [44, '實現公共體育場館惠民開放60家', '60家'],
  [45, '建成市級未來鄉村60個', '60個'],
  [46, '建成數字鄉村100個', '100個'],
  [47, '建成穩糧增效新型綜合種養麵積8萬畝', '80000畝'],
  [48, '設立城區農貿市場“嵌入式”公益性共富菜市(攤位)100個', '100個'],
];

function metricsOf(projectNo: number, fold: (s: string) => string = (s) => s): Metric[] {
  return METRIC_ROWS.filter((r) => r[0] === projectNo).map(([no, label, target, kind], i) => {
    const parsed = parseQuantity(fold(target));
    if (!parsed.ok || (parsed.quantity.kind !== 'count' && parsed.quantity.kind !== 'rate')) throw new Error(`bad fixture ${target}`);
    const q = parsed.quantity;
    return {
      id: `${no}-${i + 1}`,
      projectNo: no,
      k: i + 1,
      label: q.kind === 'count' && q.label ? q.label : fold(label),
      unit: q.kind === 'count' ? q.unit : '%',
      kind: kind ?? (q.kind === 'rate' ? 'rate' : 'count'),
      cityTarget: q.value,
    };
  });
}

const PLAN_TEXTS = seedPlanTexts();
const planText = (projectNo: number) => PLAN_TEXTS[projectNo - 1];

function parse(projectNo: number, text = planText(projectNo), metrics = metricsOf(projectNo)): ParsedPlan {
  return parseMilestones(text, { year: 2024, projectNo, metrics });
}

/** The milestones of one metric, in text order. */
function of(plan: ParsedPlan, metricId: string): Milestone[] {
  return plan.milestones.filter((m) => m.metricId === metricId);
}

function due(plan: ParsedPlan, metricId: string, dueDate: string): Milestone[] {
  return of(plan, metricId).filter((m) => m.dueDate === dueDate);
}

/** The one ratio a metric is expected to reach by a date (undefined for a qualitative step). */
function ratioAt(plan: ParsedPlan, metricId: string, dueDate: string): number | undefined {
  const found = due(plan, metricId, dueDate).filter((m) => m.fromDate === undefined);
  expect(found).toHaveLength(1);
  return found[0].expectedRatio;
}

/** What a leader compares: per metric, each milestone's dates and expectation (text left out). */
function expectations(plan: ParsedPlan) {
  return {
    steps: plan.steps.map((s) => [s.fromDate, s.dueDate, s.kind, s.metricIds.join(',')]),
    milestones: plan.milestones.map((m) => [m.metricId, m.fromDate, m.dueDate, m.expectedRatio?.toFixed(6), m.expectedRate?.toFixed(6)]),
    undated: plan.undated.length,
    problems: plan.problems.length,
  };
}

describe('the seed notice', () => {
  test('has 48 plan texts in project order', () => {
    expect(PLAN_TEXTS).toHaveLength(48);
    expect(planText(1)).toMatch(/^3月底前確定項目點位/);
    expect(planText(15)).toContain('[分配公租房實物配租房源6000套]');
    expect(planText(48)).toContain('菜市(攤位)100個建設任務');
  });

  test.each(PLAN_TEXTS.map((_, i) => i + 1))('project %d: read without problems, every metric has dated milestones', (no) => {
    const plan = parse(no);
    expect(plan.problems).toEqual([]);
    expect(plan.steps.length).toBeGreaterThan(0);
    for (const step of plan.steps) {
      expect(step.dueDate).toMatch(/^2024-(0[1-9]|1[0-2])-\d\d$/);
      expect(step.text.length).toBeGreaterThan(0);
    }
    for (const metric of metricsOf(no)) {
      const ms = of(plan, metric.id);
      expect(ms.length).toBeGreaterThan(0);
      for (const m of ms) {
        expect(m.projectNo).toBe(no);
        if (m.expectedRatio !== undefined) {
          expect(m.expectedRatio).toBeGreaterThan(0);
          expect(m.expectedRatio).toBeLessThanOrEqual(1);
        }
      }
    }
  });
});

describe('amounts are divided by the city target', () => {
  test('project 13 (7500人)', () => {
    const plan = parse(13);
    expect(ratioAt(plan, '13-1', '2024-03-31')).toBeCloseTo(1000 / 7500, 10);
    expect(ratioAt(plan, '13-1', '2024-06-30')).toBeCloseTo(4000 / 7500, 10);
    expect(ratioAt(plan, '13-1', '2024-09-30')).toBeCloseTo(0.8, 10);
    expect(ratioAt(plan, '13-1', '2024-11-30')).toBeCloseTo(1, 10);
    expect(plan.steps.map((s) => s.kind)).toEqual(['amount', 'amount', 'amount', 'amount']);
  });

  test('project 1 (227個): planning steps are qualitative, 9月 100/227, 11月 done', () => {
    const plan = parse(1);
    expect(ratioAt(plan, '1-1', '2024-03-31')).toBeUndefined();
    expect(ratioAt(plan, '1-1', '2024-06-30')).toBeUndefined();
    expect(ratioAt(plan, '1-1', '2024-09-30')).toBeCloseTo(100 / 227, 10);
    expect(ratioAt(plan, '1-1', '2024-11-30')).toBe(1);
    // Qualitative steps are milestones too, with the text a leader reads.
    expect(due(plan, '1-1', '2024-03-31')[0].text).toBe('3月底前確定項目點位以及實施名單');
    expect(plan.steps.map((s) => s.kind)).toEqual(['qualitative', 'qualitative', 'amount', 'completion']);
  });

  test('project 12 (25萬人): 萬 amounts', () => {
    const plan = parse(12);
    expect(of(plan, '12-1').map((m) => m.expectedRatio)).toEqual([60000 / 250000, 130000 / 250000, 200000 / 250000, 1]);
  });

  test('project 19: "750 台" with a stray space', () => {
    expect(ratioAt(parse(19), '19-1', '2024-09-30')).toBeCloseTo(0.75, 10);
  });

  test('project 10: unit with a parenthesised character "套(間)"', () => {
    expect(of(parse(10), '10-1').map((m) => m.expectedRatio)).toEqual([undefined, 0.5, 0.8, 1]);
  });

  test('project 5: the target cell "859萬" has no unit; the label "…859萬人" supplies it', () => {
    expect(ratioAt(parse(5), '5-1', '2024-11-30')).toBe(1);
  });

  test('project 22: amount before its object ("確保130個…設施竣工"), and 任務過半', () => {
    const plan = parse(22);
    expect(ratioAt(plan, '22-1', '2024-06-30')).toBe(0.5);
    expect(ratioAt(plan, '22-1', '2024-11-30')).toBe(1);
  });

  test('project 46: "完成創建50個村"', () => {
    expect(ratioAt(parse(46), '46-1', '2024-06-30')).toBe(0.5);
  });
});

describe('percentages and completion words', () => {
  test('project 4: 6月 0.3, 9月 0.6, 11月 0.9 (基本完成); the trailing note is undated', () => {
    const plan = parse(4);
    expect(ratioAt(plan, '4-1', '2024-03-31')).toBeUndefined(); // "3月正式啟動" is qualitative
    expect(ratioAt(plan, '4-1', '2024-06-30')).toBe(0.3);
    expect(ratioAt(plan, '4-1', '2024-09-30')).toBe(0.6);
    expect(ratioAt(plan, '4-1', '2024-11-30')).toBe(0.9);
    expect(plan.undated).toEqual(['實際推進時間安排以正式下發的省級實施方案為準']);
  });

  test('project 22 (時間過半,任務過半)', () => {
    const plan = parse(22);
    const june = plan.steps.find((s) => s.dueDate === '2024-06-30')!;
    expect(june.kind).toBe('completion');
    expect(june.text).toBe('6月底前實現“時間過半,任務過半”');
  });

  test('project 47: preamble undated, 占比進度 30/50/70/80/85/90%, 11月 1.0', () => {
    const plan = parse(47);
    expect(plan.undated).toHaveLength(1);
    expect(plan.undated[0]).toMatch(/^該項目涵蓋水稻生產周期.*推進計劃為$/);
    expect(of(plan, '47-1').map((m) => [m.dueDate, m.expectedRatio])).toEqual([
      ['2024-03-31', 0.3],
      ['2024-06-30', 0.5],
      ['2024-07-31', 0.7], // "啟動實施、占比進度70%": the start verb is another part of the step
      ['2024-08-31', 0.8],
      ['2024-09-30', 0.85], // "確定驗收方案…、占比進度85%": the plan is not what the 85% measures
      ['2024-10-31', 0.9],
      ['2024-11-30', 1],
    ]);
  });

  test('project 23: "明確項目清單,完成形象進度20%" is 0.2 for both metrics; 9月 基本完成', () => {
    const plan = parse(23);
    for (const id of ['23-1', '23-2']) {
      expect(of(plan, id).map((m) => m.expectedRatio)).toEqual([0.2, 0.5, 0.9, undefined]);
    }
  });

  test('project 26: 完成率 preferred over a start-verb percentage (啟動30%)', () => {
    const plan = parse(26);
    expect(of(plan, '26-1').map((m) => m.expectedRatio)).toEqual([0.2, 0.6, 0.9, 0.9]);
  });

  test('project 29: a number whose object is a plan (方案) is qualitative; percentages apply to all five lines', () => {
    const plan = parse(29);
    expect(plan.steps[0]).toMatchObject({ dueDate: '2024-03-31', kind: 'qualitative', text: '3月底前完成100條公交線路方案' });
    expect(plan.steps[0].metricIds).toEqual(['29-1', '29-2', '29-3', '29-4', '29-5']);
    for (let k = 1; k <= 5; k++) {
      expect(of(plan, `29-${k}`).map((m) => m.expectedRatio)).toEqual([undefined, 0.6, 0.8, 1]);
    }
  });

  test('project 43: a per-month cadence ("平均每月完成1000餘場") is not a milestone ratio', () => {
    const plan = parse(43);
    expect(of(plan, '43-1').map((m) => m.expectedRatio)).toEqual([undefined, 0.5, 0.75, 1]);
  });

  test.each<[number, (number | undefined)[]]>([
    [6, [0.2, 0.7, 1]],
    [14, [0.2, 0.4, 0.8, 1]],
    [18, [0.3, 0.5, 0.7, 1]],
    [28, [undefined, 0.5, 0.75, 1]],
    [33, [undefined, 0.3, 0.6, 1]],
    [38, [undefined, undefined, 0.85, 1]],
    [45, [undefined, 0.9, 1, undefined]],
    [7, [undefined, undefined, undefined, 1]],
    [37, [undefined, undefined, undefined, 1]], // "第二劑次" is not a number
    [21, [undefined, undefined, undefined, undefined]],
  ])('project %d', (no, ratios) => {
    expect(of(parse(no), `${no}-1`).map((m) => m.expectedRatio)).toEqual(ratios);
  });
});

describe('completion words', () => {
  // "基本完成" (basically done) is 0.9 even where the words after it also say "完成…年度任務"; only the
  // full-completion words make a step 1.
  test.each<[string, number]>([
    ['9月底前基本完成年度任務', 0.9],
    ['9月底前基本完成目標任務', 0.9],
    ['9月底前基本完成全部建設', 0.9],
    ['9月底前完成年度任務', 1],
    ['9月底前全面完成', 1],
    ['9月底前任務過半', 0.5],
  ])('%s → %d', (text, ratio) => {
    const plan = parse(1, text);
    expect(ratioAt(plan, '1-1', '2024-09-30')).toBe(ratio);
  });
});

describe('rate metrics', () => {
  test('project 9 (83%): expected rate and the ratio to the target rate, 12月 due 2024-12-31', () => {
    const plan = parse(9);
    const ms = of(plan, '9-1');
    expect(ms.map((m) => m.dueDate)).toEqual(['2024-03-31', '2024-06-30', '2024-09-30', '2024-12-31']);
    expect(ms.map((m) => m.expectedRate)).toEqual([0.8, 0.81, 0.82, 0.83]);
    expect(ms[0].expectedRatio).toBeCloseTo(0.8 / 0.83, 10);
    expect(ms[3].expectedRatio).toBeCloseTo(1, 10);
    expect(plan.steps.every((s) => s.kind === 'rate')).toBe(true);
  });

  test('project 39 (100%): 開通率', () => {
    const ms = of(parse(39), '39-1');
    expect(ms.map((m) => m.expectedRate)).toEqual([0.9, 0.95, 0.98, 1]);
    expect(ms.map((m) => m.expectedRatio)).toEqual([0.9, 0.95, 0.98, 1]);
  });
});

describe('bracketed sub-plans belong to the metric they name', () => {
  test('project 8: two plans; 任務過半 only for 8-2; recurring 4月-8月; 9月份; "1-5星" is not a number', () => {
    const plan = parse(8);
    expect(of(plan, '8-1').map((m) => [m.fromDate, m.dueDate, m.expectedRatio])).toEqual([
      [undefined, '2024-03-31', undefined],
      ['2024-04-30', '2024-08-31', undefined],
      [undefined, '2024-09-30', undefined],
      [undefined, '2024-11-30', 1],
    ]);
    expect(of(plan, '8-1')[1].text).toBe('4月-8月開展機構提升改造');
    expect(of(plan, '8-1')[2].text).toMatch(/^9月份委托第三方.*分為1-5星五個等級,當年實現星級躍升的視為完成規範提升任務$/);
    expect(of(plan, '8-2').map((m) => [m.dueDate, m.expectedRatio])).toEqual([
      ['2024-03-31', undefined],
      ['2024-06-30', undefined],
      ['2024-09-30', 0.5],
      ['2024-11-30', 1],
    ]);
    const recurring = plan.steps.find((s) => s.fromDate)!;
    expect(recurring).toMatchObject({ fromDate: '2024-04-30', dueDate: '2024-08-31', kind: 'qualitative', metricIds: ['8-1'] });
  });

  test('project 15: 20萬/100萬 → 0.2 … and 1500/6000 → 0.25 …; 開工 counts because the metric is 新開工', () => {
    const plan = parse(15);
    expect(of(plan, '15-1').map((m) => m.expectedRatio)).toEqual([0.2, 0.5, 0.75, 1]);
    expect(of(plan, '15-2').map((m) => m.expectedRatio)).toEqual([0.25, 0.5, 0.75, 1]);
    expect(plan.steps.map((s) => s.metricIds)).toEqual([['15-1'], ['15-1'], ['15-1'], ['15-1'], ['15-2'], ['15-2'], ['15-2'], ['15-2']]);
  });

  test('full-width brackets 【】 and ［］ work too', () => {
    const text = planText(15).replace('[新開工保障房100萬平方米]', '【新開工保障房100萬平方米】').replace('[分配公租房實物配租房源6000套]', '［分配公租房實物配租房源6000套］');
    expect(expectations(parse(15, text))).toEqual(expectations(parse(15)));
  });

  test('a heading that names no metric is a problem, and its steps apply to all metrics', () => {
    const plan = parse(15, '[其他工作] 6月底前完成50%');
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0].text).toBe('[其他工作]');
    expect(plan.milestones.map((m) => [m.metricId, m.expectedRatio])).toEqual([
      ['15-1', 0.5],
      ['15-2', 0.5],
    ]);
  });
});

describe('which metric an amount measures', () => {
  test('project 25: "20所以上" applies only to the 所 metric, not to the 學位 metric', () => {
    const plan = parse(25);
    expect(ratioAt(plan, '25-1', '2024-06-30')).toBeCloseTo(20 / 70, 10);
    expect(ratioAt(plan, '25-2', '2024-06-30')).toBeUndefined();
    expect(ratioAt(plan, '25-1', '2024-09-30')).toBeCloseTo(50 / 70, 10);
    expect(ratioAt(plan, '25-2', '2024-09-30')).toBeUndefined();
    expect(ratioAt(plan, '25-1', '2024-11-30')).toBe(1);
    // "力爭超額完成指標任務" completes every metric.
    expect(ratioAt(plan, '25-2', '2024-11-30')).toBe(1);
  });

  test('project 30: two amounts in one step, one per metric with the same unit', () => {
    const plan = parse(30);
    expect(ratioAt(plan, '30-1', '2024-11-30')).toBe(1);
    expect(ratioAt(plan, '30-2', '2024-11-30')).toBe(1);
    const mid = parse(30, '6月底前完成農村公路養護300公裏; 9月底前完成農村公路新改建60公裏');
    expect(ratioAt(mid, '30-2', '2024-06-30')).toBeCloseTo(300 / 677, 10);
    expect(ratioAt(mid, '30-1', '2024-06-30')).toBeUndefined();
    expect(ratioAt(mid, '30-1', '2024-09-30')).toBeCloseTo(60 / 115, 10);
    expect(ratioAt(mid, '30-2', '2024-09-30')).toBeUndefined();
  });

  test('project 29: a label picks one line; an amount no label decides is shared by all, against the sum of targets', () => {
    const plan = parse(29, '6月底前完成城鄉公交10條; 9月底前完成公交線路80條');
    expect(ratioAt(plan, '29-1', '2024-06-30')).toBe(0.5);
    expect(ratioAt(plan, '29-2', '2024-06-30')).toBeUndefined();
    for (let k = 1; k <= 5; k++) expect(ratioAt(plan, `29-${k}`, '2024-09-30')).toBe(0.8);
  });

  test('project 32: the amount after a completion verb wins (180 進場 vs 100 完工); 進場 alone is no ratio', () => {
    const plan = parse(32);
    expect(of(plan, '32-1').map((m) => m.expectedRatio)).toEqual([undefined, 100 / 200, 140 / 200, 1]);
    expect(plan.steps[0]).toMatchObject({ text: '3月底前累計進場施工60個', kind: 'qualitative' });
  });

  test('an amount in a unit no metric has gives no ratio', () => {
    const plan = parse(1, '6月底前完成50人培訓');
    expect(ratioAt(plan, '1-1', '2024-06-30')).toBeUndefined();
  });
});

describe('recurring steps, nested steps, odd dates', () => {
  test('project 27: 1月-3月 and 5月-8月 recurring; the per-month 250堂 is qualitative; 6月 0.5, 9月 1.0', () => {
    const plan = parse(27);
    expect(plan.steps.map((s) => [s.fromDate, s.dueDate, s.kind])).toEqual([
      ['2024-01-31', '2024-03-31', 'qualitative'],
      [undefined, '2024-03-31', 'qualitative'],
      [undefined, '2024-04-30', 'qualitative'],
      ['2024-05-31', '2024-08-31', 'qualitative'],
      [undefined, '2024-06-30', 'ratio'],
      [undefined, '2024-09-30', 'completion'],
    ]);
    expect(plan.steps[3].text).toMatch(/^5月-8月每月完成青少年防溺水公益培訓250堂,.*進行現場督查$/);
    expect(plan.steps[4].text).toBe('6月底前完成率達50%以上');
    expect(ratioAt(plan, '27-1', '2024-06-30')).toBe(0.5);
    expect(ratioAt(plan, '27-1', '2024-09-30')).toBe(1);
  });

  test('project 42: "10月-11月,…,確保11月底前所有項目完工" holds a completion step at 11-30', () => {
    const plan = parse(42);
    const last = plan.steps.slice(-2);
    expect(last[0]).toMatchObject({ fromDate: '2024-10-31', dueDate: '2024-11-30', kind: 'qualitative', text: '10月-11月,難點項目工作專班督查,第三方機構評估驗收' });
    expect(last[1]).toMatchObject({ dueDate: '2024-11-30', kind: 'completion', text: '確保11月底前所有項目完工' });
    for (const id of ['42-1', '42-2']) expect(of(plan, id).map((m) => m.expectedRatio)).toEqual([undefined, undefined, 0.5, 0.75, undefined, 1]);
  });

  test('project 41: "5月18日" is that day; the trailing dateless sentence is undated', () => {
    const plan = parse(41);
    expect(plan.steps.map((s) => s.dueDate)).toEqual(['2024-04-30', '2024-05-18']);
    expect(plan.undated).toEqual(['完成認定任務後,組織鄉村(社區)博物館參與全市博物館宣傳、推廣等活動,促進提升鄉村博物館辦館質量和業務服務水平']);
  });

  test('project 36: "3月前" and "9月前" are month ends', () => {
    expect(parse(36).steps.map((s) => s.dueDate)).toEqual(['2024-03-31', '2024-06-30', '2024-09-30', '2024-11-30']);
  });

  test('project 44: 2月底 in a leap year', () => {
    expect(parse(44).steps[0].dueDate).toBe('2024-02-29');
    expect(parseMilestones('2月底前完成方案', { year: 2023, projectNo: 44, metrics: [] }).steps[0].dueDate).toBe('2023-02-28');
  });

  test('dates that cannot exist are problems, not steps', () => {
    const plan = parse(14, '13月底前完成20%; 2月30日前完成40%; 11月底前完成100%');
    expect(plan.steps.map((s) => s.dueDate)).toEqual(['2024-11-30']);
    expect(plan.problems.map((p) => p.text)).toEqual(['13月底前完成20%', '2月30日前完成40%']);
  });

  test('a ratio above 150% is a problem and gives no ratio', () => {
    const plan = parse(1, '9月底前完成新增助餐服務點500個; 11月底全麵完成');
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0].text).toBe('9月底前完成新增助餐服務點500個');
    expect(render('zh-TW', plan.problems[0].message)).toContain('220%');
    expect(ratioAt(plan, '1-1', '2024-09-30')).toBeUndefined();
  });

  test('other date forms: N月份, Chinese months, 年底, explicit year, line breaks, text before the first date', () => {
    const plan = parse(14, '前期工作,3月份完成20%\n十一月底前完成80%\n年底前全麵完成\n2025年1月底前完成驗收');
    expect(plan.undated).toEqual(['前期工作']);
    expect(plan.steps.map((s) => [s.dueDate, s.kind])).toEqual([
      ['2024-03-31', 'ratio'],
      ['2024-11-30', 'ratio'],
      ['2024-12-31', 'completion'],
      ['2025-01-31', 'qualitative'],
    ]);
  });

  test('a project without metrics still lists its steps, and has no milestones', () => {
    const plan = parse(11, planText(11), []);
    expect(plan.steps).toHaveLength(1);
    expect(plan.steps[0].metricIds).toEqual([]);
    expect(plan.milestones).toEqual([]);
  });
});

describe('both scripts, full width, stray spaces', () => {
  const all = PLAN_TEXTS.map((_, i) => i + 1);

  test('simplified texts give the same milestones (traditional metrics)', () => {
    for (const no of all) {
      expect([no, expectations(parse(no, toSimplified(planText(no))))]).toEqual([no, expectations(parse(no))]);
    }
  });

  test('simplified texts with simplified metrics give the same milestones', () => {
    for (const no of all) {
      const plan = parse(no, toSimplified(planText(no)), metricsOf(no, toSimplified));
      expect([no, expectations(plan)]).toEqual([no, expectations(parse(no))]);
    }
  });

  test('a simplified step keeps its own script in the text', () => {
    const plan = parse(1, toSimplified(planText(1)));
    expect(plan.steps[2].text).toBe('9月底前完成新增助餐服务点不少于100个');
  });

  test('full-width digits and punctuation (；，：％［］) give the same milestones', () => {
    const fullWidth = (s: string) => s.replace(/[0-9;,:%[\]()-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    for (const no of all) {
      expect([no, expectations(parse(no, fullWidth(planText(no))))]).toEqual([no, expectations(parse(no))]);
    }
  });

  test('stray spaces inside dates and amounts', () => {
    const plan = parse(13, '3 月底前培養持證數字高技能人才 1000 人；6月 底前 完成 50 ％');
    expect(of(plan, '13-1').map((m) => [m.dueDate, m.expectedRatio])).toEqual([
      ['2024-03-31', 1000 / 7500],
      ['2024-06-30', 0.5],
    ]);
  });
});

describe('parseDeadline and monthEnd', () => {
  test.each<[string, string | undefined]>([
    ['11月底', '2024-11-30'],
    ['9月底', '2024-09-30'],
    ['5月底', '2024-05-31'],
    ['12月', '2024-12-31'],
    ['２月底', '2024-02-29'],
    ['十月底', '2024-10-31'],
    ['5月18日', '2024-05-18'],
    ['年底', '2024-12-31'],
    ['全年', undefined],
    ['待定', undefined],
    ['', undefined],
    ['13月底', undefined],
  ])('%j → %j', (text, expected) => {
    expect(parseDeadline(text, 2024)).toBe(expected);
  });

  test('monthEnd', () => {
    expect(monthEnd(2024, 2)).toBe('2024-02-29');
    expect(monthEnd(2023, 2)).toBe('2023-02-28');
    expect(monthEnd(2024, 11)).toBe('2024-11-30');
    expect(monthEnd(2024, 12)).toBe('2024-12-31');
    expect(() => monthEnd(2024, 13)).toThrow(RangeError);
  });
});

describe('never throws', () => {
  function* randomTexts(count: number): Generator<string> {
    const words = ['3月底前', '月', '底', '前', '-', '至', '日', '完成', '20%', '不少於', '100個', '萬', '平方米', '[', ']', '【', '】', ',', ';', '。', ':', '\n', ' ', '每月', '方案', '進場', '基本完成', '全麵完成', '任務過半', '率達到', '13月', '2月30日', '十二月', '第', '1-5', '\uD800', '😀', '0', '.', '%'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < count; i++) {
      const length = Math.floor(next() * 16);
      yield Array.from({ length }, () => words[Math.floor(next() * words.length)]).join('');
    }
  }
  test('on any text, with or without metrics', () => {
    const metricSets = [[], metricsOf(15), metricsOf(9), metricsOf(29), metricsOf(5)];
    let i = 0;
    for (const text of randomTexts(1500)) {
      const metrics = metricSets[i++ % metricSets.length];
      expect(() => parseMilestones(text, { year: 2024, projectNo: 1, metrics })).not.toThrow();
      expect(() => parseDeadline(text, 2024)).not.toThrow();
    }
    expect(() => parseMilestones(undefined as unknown as string, { year: 2024, projectNo: 1, metrics: [] })).not.toThrow();
    expect(() => parseMilestones('3月底前完成20%', { year: Number.NaN, projectNo: 1, metrics: undefined as unknown as Metric[] })).not.toThrow();
    const zeroTarget: Metric = { id: '1-1', projectNo: 1, k: 1, label: '', unit: '個', kind: 'count', cityTarget: 0 };
    expect(() => parseMilestones('3月底前完成10個', { year: 2024, projectNo: 1, metrics: [zeroTarget] })).not.toThrow();
  });
});
