// Test data for the store and the analysis queries: a small hand-made plan (four districts; a count,
// a rate, a compound and a city-only metric; milestones and deadlines) with a year of submissions
// chosen so that every lag status, a tie, a resubmission and a duplicate file all occur.
import { createHash } from 'crypto';
import type { Plan, Responsibility } from '../../../core/model';
import type { ReferenceLoad } from './analysis';

export function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function responsibility(projectNo: number, categoryNo: number, name: string, deadline?: string): Responsibility {
  return {
    projectNo,
    categoryNo,
    projectName: name,
    leaders: ['王五'],
    leadUnit: '市民政局',
    leadUnitLeaders: ['李四'],
    coordinatingUnits: ['市財政局', '各區、縣(市)政府'],
    deadline,
    deadlineText: deadline ? `${Number(deadline.slice(5, 7))}月底` : '全年',
    planText: '3月底前完成20%；6月底前完成50%；9月底前完成80%；11月底前全面完成',
  };
}

export const SMALL_PLAN: Plan = {
  year: 2024,
  categories: [
    { no: 1, name: '養老服務' },
    { no: 2, name: '食品安全' },
  ],
  projects: [
    { no: 1, name: '老年助餐服務', categoryNo: 1, leadUnit: '市民政局' },
    { no: 2, name: '食品抽檢', categoryNo: 2, leadUnit: '市市場監管局' },
    { no: 3, name: '口袋公園', categoryNo: 1, leadUnit: '市園文局' },
    { no: 4, name: '技能培訓', categoryNo: 1, leadUnit: '市人力社保局', note: '全市培訓25萬人，不分解到區' },
    { no: 5, name: '無障礙改造', categoryNo: 2, leadUnit: '市殘聯' },
  ],
  metrics: [
    { id: '1-1', projectNo: 1, k: 1, label: '新增老年助餐服務點', unit: '個', kind: 'count', cityTarget: 100 },
    { id: '2-1', projectNo: 2, k: 1, label: '食品抽檢合格率', unit: '%', kind: 'rate', cityTarget: 0.95 },
    { id: '3-1', projectNo: 3, k: 1, label: '口袋公園', unit: '個', kind: 'compound', cityTarget: 5, cityTargetExtra: 4 },
    { id: '4-1', projectNo: 4, k: 1, label: '技能培訓', unit: '人', kind: 'city-only', cityTarget: 250000 },
    { id: '5-1', projectNo: 5, k: 1, label: '無障礙改造', unit: '戶', kind: 'count', cityTarget: 30 },
  ],
  targets: [
    { metricId: '1-1', district: '上城區', target: 30 },
    { metricId: '1-1', district: '拱墅區', target: 30 },
    { metricId: '1-1', district: '西湖區', target: 20 },
    { metricId: '1-1', district: '濱江區', target: 20 },
    { metricId: '2-1', district: '上城區', target: 0.95 },
    { metricId: '2-1', district: '拱墅區', target: 0.9 },
    { metricId: '2-1', district: '西湖區', target: 0.95 },
    { metricId: '2-1', district: '濱江區', target: 0.9 },
    { metricId: '3-1', district: '上城區', target: 2, targetExtra: 1 },
    { metricId: '3-1', district: '西湖區', target: 3, targetExtra: 3 },
    // A city-only metric must never be judged, even if a row slipped into the targets.
    { metricId: '4-1', district: '市本級', target: 250000 },
    { metricId: '5-1', district: '上城區', target: 10 },
    { metricId: '5-1', district: '拱墅區', target: 10 },
    { metricId: '5-1', district: '濱江區', target: 10 },
  ],
  responsibilities: [
    responsibility(1, 1, '老年助餐服務', '2024-11-30'),
    responsibility(2, 2, '食品抽檢', '2024-11-30'),
    responsibility(3, 1, '口袋公園', '2024-06-30'),
    responsibility(4, 1, '技能培訓', '2024-12-31'),
    responsibility(5, 2, '無障礙改造'),
  ],
  milestones: [
    { metricId: '1-1', projectNo: 1, dueDate: '2024-03-31', expectedRatio: 0.2, text: '3月底前完成20%' },
    { metricId: '1-1', projectNo: 1, dueDate: '2024-05-31', text: '5月底前完成選址' },
    { metricId: '1-1', projectNo: 1, dueDate: '2024-06-30', expectedRatio: 0.5, text: '6月底前完成50%' },
    { metricId: '1-1', projectNo: 1, dueDate: '2024-09-30', expectedRatio: 0.8, text: '9月底前完成80%' },
    { metricId: '1-1', projectNo: 1, dueDate: '2024-11-30', expectedRatio: 1, text: '11月底前全面完成' },
    { metricId: '2-1', projectNo: 2, dueDate: '2024-06-30', expectedRate: 0.9, text: '6月底合格率達到90%' },
    { metricId: '2-1', projectNo: 2, dueDate: '2024-11-30', expectedRatio: 1, text: '11月底前全面完成' },
    { metricId: '3-1', projectNo: 3, dueDate: '2024-04-30', expectedRatio: 0.5, text: '4月底前任務過半' },
    { metricId: '3-1', projectNo: 3, dueDate: '2024-06-30', expectedRatio: 1, text: '6月底前全部完成' },
    { metricId: '4-1', projectNo: 4, dueDate: '2024-06-30', expectedRatio: 0.5, text: '6月底前培訓13萬人' },
    {
      metricId: '5-1',
      projectNo: 5,
      dueDate: '2024-04-30',
      fromDate: '2024-02-29',
      expectedRatio: 0.3,
      text: '2月-4月每月完成10%',
    },
    // Two numeric steps due the same day: the higher expectation counts.
    { metricId: '5-1', projectNo: 5, dueDate: '2024-09-30', expectedRatio: 0.6, text: '9月底前完成60%' },
    { metricId: '5-1', projectNo: 5, dueDate: '2024-09-30', expectedRatio: 0.7, text: '9月底前累計完成7戶' },
  ],
};

type Amounts = Record<string, number>;

function load(district: string, asOf: string, amounts: Amounts, variant = ''): ReferenceLoad {
  const rows = Object.entries(amounts).map(([metricId, completed]) => ({ metricId, completed }));
  return { district, asOf, rows, sha256: sha256Of(JSON.stringify({ district, asOf, rows, variant })) };
}

/**
 * The files of the year in load order. 上城區 keeps to schedule and resubmits its June report (the first
 * had a typo); 拱墅區 and 濱江區 report the same fractions in March and June (a tie), then 拱墅區 stalls;
 * 西湖區 misses March, falls seriously behind and lets the compound project run past its deadline;
 * 濱江區 leaves one metric blank in September; 上城區's March file is loaded twice.
 */
export const SMALL_LOADS: ReferenceLoad[] = [
  load('上城區', '2024-03-31', { '1-1': 7, '2-1': 0.93, '3-1': 2, '5-1': 3 }),
  load('拱墅區', '2024-03-31', { '1-1': 6, '2-1': 0.8, '5-1': 2 }),
  load('濱江區', '2024-03-31', { '1-1': 4, '2-1': 0.8, '5-1': 2 }),
  load('上城區', '2024-03-31', { '1-1': 7, '2-1': 0.93, '3-1': 2, '5-1': 3 }), // the same file again
  load('上城區', '2024-06-30', { '1-1': 12, '2-1': 0.94, '3-1': 3, '5-1': 6 }),
  load('拱墅區', '2024-06-30', { '1-1': 15, '2-1': 0.85, '5-1': 5 }),
  load('濱江區', '2024-06-30', { '1-1': 10, '2-1': 0.85, '5-1': 5 }),
  load('西湖區', '2024-06-30', { '1-1': 4, '2-1': 0.5, '3-1': 2 }),
  load('上城區', '2024-06-30', { '1-1': 16, '2-1': 0.94, '3-1': 3, '5-1': 6 }, 'corrected'),
  load('上城區', '2024-09-30', { '1-1': 25, '2-1': 0.95, '3-1': 3, '5-1': 8 }),
  load('拱墅區', '2024-09-30', { '1-1': 15, '2-1': 0.85, '5-1': 7 }), // 2-1 stalls too, close to schedule
  load('濱江區', '2024-09-30', { '1-1': 13, '2-1': 0.9 }), // 5-1 left blank this time
  load('西湖區', '2024-09-30', { '1-1': 8, '2-1': 0.7, '3-1': 2 }),
  load('上城區', '2024-11-30', { '1-1': 30, '2-1': 0.96, '3-1': 3, '5-1': 10 }),
  load('拱墅區', '2024-11-30', { '1-1': 24, '2-1': 0.9, '5-1': 9 }),
  load('濱江區', '2024-11-30', { '1-1': 20, '2-1': 0.9, '5-1': 10 }),
];

/** Month ends and a few days between, from before the first report to after the deadlines. */
export const CHECK_DATES = [
  '2024-01-15',
  '2024-03-30',
  '2024-03-31',
  '2024-04-15',
  '2024-04-30',
  '2024-05-31',
  '2024-06-30',
  '2024-07-01',
  '2024-07-31',
  '2024-08-31',
  '2024-09-30',
  '2024-10-31',
  '2024-11-30',
  '2024-12-01',
  '2024-12-31',
];
