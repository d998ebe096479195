// The analysis macros (queries/lag.sql, ranking.sql, forecast.sql) on a small hand-made plan: compared
// with the plain-TypeScript reference at many dates, and spot-checked where a clerk would look.
import type { Plan } from '../core/model';
import { queryForecast, queryLag, queryRanking } from '../pipeline/db/queries';
import type { Store } from '../pipeline/db/store';
import type { Cell } from '../pipeline/output/resultTable';
import { close, objects, storeWith } from './helpers/store';
import { referenceForecast, referenceLag, referenceRanking, type ReferenceLoad } from './helpers/reference/analysis';
import { CHECK_DATES, SMALL_LOADS, SMALL_PLAN, sha256Of } from './helpers/reference/fixtures';

let store: Store;

beforeAll(async () => {
  ({ store } = await storeWith(SMALL_PLAN, SMALL_LOADS));
});
afterAll(() => store.close());

const key = (row: { district?: Cell; metric_id?: Cell; metricId?: string }) => `${row.district}|${row.metric_id ?? row.metricId}`;

describe('lag(as_of) agrees with the reference', () => {
  test.each(CHECK_DATES)('at %s', async (asOf) => {
    const sql = new Map(objects(await queryLag(store, asOf)).map((r) => [key(r), r]));
    const expected = referenceLag(SMALL_PLAN, SMALL_LOADS, asOf);
    expect([...sql.keys()].sort()).toEqual(expected.map((r) => key(r)).sort());
    for (const ref of expected) {
      const row = sql.get(key(ref))!;
      const where = `${asOf} ${key(ref)}`;
      expect([where, row.lag_status, row.lag_flags]).toEqual([where, ref.lagStatus, ref.lagFlags]);
      expect([where, row.milestone_text, row.milestone_due_date]).toEqual([where, ref.milestoneText, ref.milestoneDueDate]);
      expect([where, row.last_report_date, row.previous_report_date]).toEqual([
        where,
        ref.lastReportDate,
        ref.previousReportDate,
      ]);
      expect([where, close(row.completion, ref.completion), close(row.expected_ratio, ref.expectedRatio), close(row.gap, ref.gap)]).toEqual([
        where,
        true,
        true,
        true,
      ]);
      expect([where, close(row.completed, ref.completed), close(row.previous_completed, ref.previousCompleted)]).toEqual([
        where,
        true,
        true,
      ]);
    }
  });

  test('every status occurs somewhere in the year', async () => {
    const seen = new Set<Cell>();
    for (const asOf of CHECK_DATES) for (const row of objects(await queryLag(store, asOf))) seen.add(row.lag_status);
    expect([...seen].sort()).toEqual(['behind', 'missing', 'on_track', 'overdue', 'seriously_behind', 'stalled']);
  });
});

describe('ranking(as_of) agrees with the reference', () => {
  test.each(CHECK_DATES)('at %s', async (asOf) => {
    const sql = objects(await queryRanking(store, asOf));
    const expected = referenceRanking(SMALL_PLAN, SMALL_LOADS, asOf);
    expect(sql.map((r) => [r.rank, r.district, r.tie_rank, r.tied])).toEqual(
      expected.map((r) => [r.rank, r.district, r.tieRank, r.tied]),
    );
    sql.forEach((row, i) => {
      expect(close(row.completion, expected[i].completion)).toBe(true);
      expect(close(row.schedule_attainment, expected[i].scheduleAttainment)).toBe(true);
      expect([row.metric_count, row.expected_metric_count, row.missing_count, row.seriously_behind_count]).toEqual([
        expected[i].metricCount,
        expected[i].expectedMetricCount,
        expected[i].missingCount,
        expected[i].seriouslyBehindCount,
      ]);
    });
  });
});

describe('forecast(as_of) agrees with the reference', () => {
  test.each(CHECK_DATES)('at %s', async (asOf) => {
    const sql = new Map(objects(await queryForecast(store, asOf)).map((r) => [key(r), r]));
    for (const ref of referenceForecast(SMALL_PLAN, SMALL_LOADS, asOf)) {
      const row = sql.get(key(ref))!;
      const where = `${asOf} ${key(ref)}`;
      expect([where, row.forecast_status, row.forecast_date, row.after_deadline, row.deadline]).toEqual([
        where,
        ref.forecastStatus,
        ref.forecastDate,
        ref.afterDeadline,
        ref.deadline,
      ]);
      expect([where, close(row.pace_per_day, ref.pacePerDay)]).toEqual([where, true]);
    }
  });
});

describe('what the supervision office would check by hand', () => {
  const lagRow = async (asOf: string, district: string, metricId: string) =>
    objects(await queryLag(store, asOf)).find((r) => r.district === district && r.metric_id === metricId)!;

  test('30 Sep: 西湖區 is 40 points short of the 80% milestone on 助餐服務點 (8 of 20 built)', async () => {
    const row = await lagRow('2024-09-30', '西湖區', '1-1');
    expect(row.completed).toBe(8);
    expect(row.completion).toBeCloseTo(0.4, 12);
    expect(row.expected_ratio).toBeCloseTo(0.8, 12);
    expect(row.gap).toBeCloseTo(0.4, 12);
    expect(row.milestone_text).toBe('9月底前完成80%');
    expect(row.lag_status).toBe('seriously_behind');
  });

  test('30 Sep: 濱江區 at 65% against an 80% milestone is exactly 15 points short: seriously behind', async () => {
    const row = await lagRow('2024-09-30', '濱江區', '1-1');
    expect(row.completion).toBeCloseTo(0.65, 12);
    expect(row.lag_status).toBe('seriously_behind');
  });

  test('30 Sep: 拱墅區 reported 15 points twice in a row: seriously behind (a 掛牌督辦 candidate), and stalled too', async () => {
    const row = await lagRow('2024-09-30', '拱墅區', '1-1');
    expect([row.previous_completed, row.completed]).toEqual([15, 15]);
    expect(row.lag_status).toBe('seriously_behind');
    expect(row.lag_flags).toEqual(['seriously_behind', 'stalled']);
  });

  test('the compound park project (5(4)個 style) is judged on both parts and is overdue after June', async () => {
    const upper = await lagRow('2024-07-31', '上城區', '3-1');
    expect(upper.target_total).toBe(3);
    expect(upper.completion).toBe(1);
    expect(upper.lag_status).toBe('on_track');
    const west = await lagRow('2024-07-31', '西湖區', '3-1');
    expect(west.target_total).toBe(6);
    expect(west.lag_status).toBe('overdue');
    const onDeadline = await lagRow('2024-06-30', '西湖區', '3-1');
    expect(onDeadline.lag_flags).not.toContain('overdue');
  });

  test('a rate metric is judged as reached rate over target rate, its milestone rate likewise', async () => {
    const row = await lagRow('2024-06-30', '上城區', '2-1');
    expect(row.completion).toBeCloseTo(0.94 / 0.95, 12);
    expect(row.expected_ratio).toBeCloseTo(0.9 / 0.95, 12);
    expect(row.milestone_text).toBe('6月底合格率達到90%');
  });

  test('of two milestones due the same day the higher expectation counts; text-only steps never do', async () => {
    expect((await lagRow('2024-09-30', '上城區', '5-1')).milestone_text).toBe('9月底前累計完成7戶');
    const may = await lagRow('2024-05-31', '上城區', '1-1');
    expect(may.milestone_text).toBe('3月底前完成20%');
  });

  test('31 Mar: 西湖區 has sent nothing, so each of its metrics is missing', async () => {
    const rows = objects(await queryLag(store, '2024-03-31')).filter((r) => r.district === '西湖區');
    expect(rows.map((r) => r.lag_status)).toEqual(['missing', 'missing', 'missing']);
    expect(rows.every((r) => r.completion === null)).toBe(true);
  });

  test('30 Jun: 拱墅區 and 濱江區 are level; the tie is shown and broken by district order', async () => {
    const rows = objects(await queryRanking(store, '2024-06-30'));
    const level = rows.filter((r) => r.tied);
    expect(level.map((r) => [r.district, r.rank, r.tie_rank])).toEqual([
      ['拱墅區', 2, 2],
      ['濱江區', 3, 2],
    ]);
    expect(level[0].schedule_attainment).toBe(level[1].schedule_attainment);
    expect(level[0].completion).toBe(level[1].completion);
  });

  test('the city-only metric is never ranked or judged (市本級 has only that one)', async () => {
    expect(objects(await queryRanking(store, '2024-09-30')).map((r) => r.district)).not.toContain('市本級');
    expect(objects(await queryLag(store, '2024-09-30')).map((r) => r.metric_id)).not.toContain('4-1');
  });

  test("上城區's corrected June file counts, not the first one", async () => {
    const row = await lagRow('2024-06-30', '上城區', '1-1');
    expect(row.completed).toBe(16);
  });

  test('lag --status filter returns only the asked statuses', async () => {
    const rows = objects(await queryLag(store, '2024-09-30', ['stalled', 'overdue']));
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.lag_status))).toEqual(new Set(['stalled', 'overdue']));
  });
});

test('a metric left blank in the latest file keeps its earlier report, and the pace uses the two real reports', async () => {
  const sep = objects(await queryLag(store, '2024-10-31')).find((r) => r.district === '濱江區' && r.metric_id === '5-1')!;
  expect([sep.last_report_date, sep.completed]).toEqual(['2024-06-30', 5]);
  const nov = objects(await queryLag(store, '2024-11-30')).find((r) => r.district === '濱江區' && r.metric_id === '5-1')!;
  expect([nov.previous_report_date, nov.previous_completed, nov.last_report_date, nov.completed]).toEqual([
    '2024-06-30',
    5,
    '2024-11-30',
    10,
  ]);
});

describe('a gap of 0.15 is seriously behind however binary floating point writes it', () => {
  // 0.35 − 0.20 is 0.14999999999999997 and 0.70 − 0.55 is 0.1499999999999999 in doubles; lag.sql rounds
  // the gap before comparing it with 0.15, so each counts as the 15 points it is (README, "lag").
  const plan: Plan = {
    ...SMALL_PLAN,
    metrics: [SMALL_PLAN.metrics[0]],
    targets: ['上城區', '拱墅區', '西湖區', '濱江區'].map((district) => ({ metricId: '1-1', district, target: 20 })),
    milestones: [
      { metricId: '1-1', projectNo: 1, dueDate: '2024-06-30', expectedRatio: 0.35, text: '6月底前完成35%' },
      { metricId: '1-1', projectNo: 1, dueDate: '2024-09-30', expectedRatio: 0.7, text: '9月底前完成70%' },
    ],
  };
  const report = (district: string, asOf: string, completed: number): ReferenceLoad => ({
    district,
    asOf,
    rows: [{ metricId: '1-1', completed }],
    sha256: sha256Of(`${district} ${asOf} ${completed}`),
  });
  const loads = [
    report('上城區', '2024-06-30', 4), // 0.20: 15 points short
    report('拱墅區', '2024-06-30', 5), // 0.25: 10 points short
    report('西湖區', '2024-06-30', 7), // 0.35: on schedule
    report('濱江區', '2024-06-30', 3), // 0.15: 20 points short
    report('上城區', '2024-09-30', 11), // 0.55 against 0.70: 15 points short
    report('拱墅區', '2024-09-30', 12), // 0.60: 10 points short
  ];
  let edge: Store;
  beforeAll(async () => {
    ({ store: edge } = await storeWith(plan, loads));
  });
  afterAll(() => edge.close());

  test.each([
    ['2024-06-30', { 上城區: 'seriously_behind', 拱墅區: 'behind', 西湖區: 'on_track', 濱江區: 'seriously_behind' }],
    ['2024-09-30', { 上城區: 'seriously_behind', 拱墅區: 'behind', 西湖區: 'seriously_behind', 濱江區: 'seriously_behind' }],
  ])('at %s', async (asOf, statuses) => {
    const rows = objects(await queryLag(edge, asOf));
    expect(Object.fromEntries(rows.map((r) => [r.district, r.lag_status]))).toEqual(statuses);
    const reference = referenceLag(plan, loads, asOf);
    expect(Object.fromEntries(reference.map((r) => [r.district, r.lagStatus]))).toEqual(statuses);
  });
});

test('a milestone rate above the district’s own target rate expects the whole target, no more', async () => {
  // 食品抽檢合格率: the city expects 90% by June; this district's target is 85%, and it reached 85%.
  const plan: Plan = {
    ...SMALL_PLAN,
    metrics: [SMALL_PLAN.metrics[1]],
    targets: [{ metricId: '2-1', district: '上城區', target: 0.85 }],
    milestones: SMALL_PLAN.milestones.filter((m) => m.metricId === '2-1'),
  };
  const loads: ReferenceLoad[] = [{ district: '上城區', asOf: '2024-06-30', rows: [{ metricId: '2-1', completed: 0.85 }], sha256: sha256Of('rate') }];
  const { store: rates } = await storeWith(plan, loads);
  try {
    const [row] = objects(await queryLag(rates, '2024-06-30'));
    expect([row.expected_ratio, row.completion, row.gap, row.lag_status]).toEqual([1, 1, 0, 'on_track']);
    expect(referenceLag(plan, loads, '2024-06-30').map((r) => [r.expectedRatio, r.lagStatus])).toEqual([[1, 'on_track']]);
  } finally {
    rates.close();
  }
});

test('a district whose target is 0 is never judged or ranked for that metric', async () => {
  const plan: Plan = {
    ...SMALL_PLAN,
    targets: [...SMALL_PLAN.targets, { metricId: '5-1', district: '西湖區', target: 0 }],
  };
  const { store: zero } = await storeWith(plan, SMALL_LOADS);
  try {
    const rows = objects(await queryLag(zero, '2024-09-30'));
    expect(rows.filter((r) => r.district === '西湖區').map((r) => r.metric_id).sort()).toEqual(['1-1', '2-1', '3-1']);
    const west = objects(await queryRanking(zero, '2024-09-30')).find((r) => r.district === '西湖區')!;
    expect(west.metric_count).toBe(3);
  } finally {
    zero.close();
  }
});

test('a projection that finishes on the deadline day is not after the deadline; one day later is', async () => {
  // 10 to build by 30 Nov; 4 by 1 Oct and 7 by 31 Oct: 0.1 a day, the last 3 take 30 days, to 30 Nov.
  const plan: Plan = {
    ...SMALL_PLAN,
    metrics: [SMALL_PLAN.metrics[0]],
    targets: [
      { metricId: '1-1', district: '上城區', target: 10 },
      { metricId: '1-1', district: '拱墅區', target: 10 },
    ],
  };
  const report = (district: string, asOf: string, completed: number): ReferenceLoad => ({ district, asOf, rows: [{ metricId: '1-1', completed }], sha256: sha256Of(`${district}${asOf}`) });
  const loads = [report('上城區', '2024-10-01', 4), report('上城區', '2024-10-31', 7), report('拱墅區', '2024-09-30', 4), report('拱墅區', '2024-10-31', 7)];
  const { store: paced } = await storeWith(plan, loads);
  try {
    const rows = objects(await queryForecast(paced, '2024-10-31'));
    const by = (district: string) => rows.find((r) => r.district === district)!;
    expect([by('上城區').forecast_date, by('上城區').deadline, by('上城區').after_deadline]).toEqual(['2024-11-30', '2024-11-30', false]);
    expect([by('拱墅區').forecast_date, by('拱墅區').after_deadline]).toEqual(['2024-12-01', true]);
    expect(referenceForecast(plan, loads, '2024-10-31').map((r) => [r.district, r.forecastDate, r.afterDeadline])).toEqual([
      ['上城區', '2024-11-30', false],
      ['拱墅區', '2024-12-01', true],
    ]);
  } finally {
    paced.close();
  }
});
