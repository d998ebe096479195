// A small hand-made plan for the submission tests: every kind of metric (count, rate, compound,
// city-only), a project with several metrics of the same unit and equal district targets (29), units
// written in traditional script (公裏), and districts with and without targets.
import type { Metric, Milestone, Plan, Target } from '../../core/model';

const metrics: Metric[] = [
  { id: '1-1', projectNo: 1, k: 1, label: '新增老年助餐服務點227個', unit: '個', kind: 'count', cityTarget: 227 },
  { id: '8-1', projectNo: 8, k: 1, label: '規範提升26家殘疾人托養機構', unit: '家', kind: 'count', cityTarget: 26 },
  { id: '8-2', projectNo: 8, k: 2, label: '實施殘疾人社會化照護服務1000人次', unit: '人次', kind: 'count', cityTarget: 1000 },
  { id: '9-1', projectNo: 9, k: 1, label: '全市困難群眾醫療費用綜合保障率達到83%', unit: '%', kind: 'rate', cityTarget: 0.83 },
  { id: '12-1', projectNo: 12, k: 1, label: '城鎮新增就業25萬人', unit: '人', kind: 'city-only', cityTarget: 250000 },
  { id: '23-1', projectNo: 23, k: 1, label: '完成幸福河湖農村水係整治100公裏', unit: '公裏', kind: 'count', cityTarget: 100 },
  { id: '26-1', projectNo: 26, k: 1, label: '新增(提升)“家門口青少年宮”教學點100個', unit: '個', kind: 'compound', cityTarget: 100 },
  { id: '29-1', projectNo: 29, k: 1, label: '城鄉公交', unit: '條', kind: 'count', cityTarget: 20 },
  { id: '29-2', projectNo: 29, k: 2, label: '地鐵接駁線', unit: '條', kind: 'count', cityTarget: 40 },
  { id: '29-3', projectNo: 29, k: 3, label: '社區微公交', unit: '條', kind: 'count', cityTarget: 20 },
];

const t = (metricId: string, district: string, target: number, targetExtra?: number): Target =>
  targetExtra === undefined ? { metricId, district, target } : { metricId, district, target, targetExtra };

const targets: Target[] = [
  t('1-1', '上城區', 10),
  t('1-1', '富陽區', 10),
  t('1-1', '淳安縣', 8),
  t('1-1', '杭州西湖風景名勝區', 2),
  t('8-1', '上城區', 2),
  t('8-1', '淳安縣', 2),
  t('8-2', '上城區', 40),
  t('8-2', '淳安縣', 25),
  t('9-1', '上城區', 0.83),
  t('9-1', '富陽區', 0.83),
  t('9-1', '淳安縣', 0.83),
  t('23-1', '淳安縣', 47),
  t('23-1', '富陽區', 13.5),
  t('26-1', '上城區', 5, 4),
  t('26-1', '富陽區', 3, 6),
  t('29-1', '富陽區', 2),
  t('29-2', '富陽區', 5),
  t('29-3', '富陽區', 2),
  t('29-2', '市本級', 4),
];

const ms = (metricId: string, dueDate: string, expectedRatio?: number, expectedRate?: number): Milestone => ({
  metricId,
  projectNo: Number(metricId.split('-')[0]),
  dueDate,
  ...(expectedRatio === undefined ? {} : { expectedRatio }),
  ...(expectedRate === undefined ? {} : { expectedRate }),
  text: `${dueDate}`,
});

const milestones: Milestone[] = [
  ms('1-1', '2024-03-31'),
  ms('1-1', '2024-09-30', 0.44),
  ms('1-1', '2024-11-30', 1),
  ms('8-2', '2024-09-30', 0.5),
  ms('8-2', '2024-11-30', 1),
  ms('9-1', '2024-03-31', 0.96, 0.8),
  ms('9-1', '2024-06-30', 0.976, 0.81),
  ms('9-1', '2024-09-30', 0.988, 0.82),
  ms('9-1', '2024-12-31', 1, 0.83),
  ms('23-1', '2024-03-31', 0.2),
  ms('23-1', '2024-06-30', 0.5),
  ms('23-1', '2024-09-30', 0.9),
  ms('26-1', '2024-03-31', 0.2),
  ms('26-1', '2024-06-30', 0.6),
  ms('26-1', '2024-09-30', 0.9),
  ...['29-1', '29-2', '29-3'].flatMap((id) => [ms(id, '2024-06-30', 0.6), ms(id, '2024-09-30', 0.8), ms(id, '2024-11-30', 1)]),
];

const projectNames: Record<number, string> = {
  1: '新增老年助餐服務點227個',
  8: '規範提升26家殘疾人托養機構,實施殘疾人社會化照護服務1000人次',
  9: '全市困難群眾醫療費用綜合保障率達到83%',
  12: '城鎮新增就業25萬人',
  23: '完成幸福河湖農村水係整治100公裏,打造親水節點80個',
  26: '新增(提升)“家門口青少年宮”教學點100個',
  29: '新辟優化城鄉公交、地鐵接駁線、社區微公交、敬老愛老公交線、定製公交線路100條',
};

export function smallPlan(): Plan {
  return structuredClone({
    year: 2024,
    categories: [{ no: 1, name: '“幸福助老”在杭州' }],
    projects: Object.entries(projectNames).map(([no, name]) => ({ no: Number(no), name, categoryNo: 1 })),
    metrics,
    targets,
    responsibilities: Object.entries(projectNames).map(([no, name]) => ({
      projectNo: Number(no),
      categoryNo: 1,
      projectName: name,
      leaders: [],
      leadUnit: '市民政局',
      leadUnitLeaders: [],
      coordinatingUnits: [],
      deadline: '2024-11-30',
      deadlineText: '11月底',
      planText: '',
    })),
    milestones,
  });
}
