// Small hand-made rows for the chart tests, shaped as the macros return them (queries/*.sql), with
// the cases a leader's chart must show: a tie, a district with no milestone due yet, every lag status,
// a 掛牌督辦 candidate hidden behind another status, a project with two metrics and a rate metric.
import type { CategoryLagRow, LagRow, MetricRow, MilestoneRow, ProgressPoint, ProjectRow, RankingRow, TrendPoint } from '../../pipeline/db/rows';

export const AS_OF = '2024-09-30';

export function rankingRows(): RankingRow[] {
  const row = (rank: number, district: string, schedule_attainment: number | null, completion: number, tie_rank: number, tied: boolean, seriously_behind_count = 0): RankingRow => ({
    rank, district, schedule_attainment, completion, tie_rank, tied, missing_count: 0, seriously_behind_count,
  });
  return [
    row(1, '淳安縣', 0.982, 0.849, 1, false),
    row(2, '上城區', 0.95, 0.8, 2, true),
    row(3, '拱墅區', 0.95, 0.8, 2, true, 1),
    row(4, '臨平區', 0.867, 1.04, 4, false, 11),
    row(5, '杭州西湖風景名勝區', null, 0.1, 5, false),
  ];
}

type LagInput = Pick<LagRow, 'district' | 'project_no' | 'metric_id' | 'lag_status'> & Partial<LagRow>;

function lag(input: LagInput): CategoryLagRow {
  const category_no = input.project_no <= 2 ? 1 : 2;
  return {
    label: `指標${input.metric_id}`,
    completion: 0.5,
    expected_ratio: 0.6,
    gap: 0.1,
    milestone_text: '9月底前完成60%',
    as_of: AS_OF,
    category_no,
    category: category_no === 1 ? '“幸福助老”在杭州' : '“弱有眾扶”在杭州',
    ...input,
  } as CategoryLagRow;
}

/** 3 districts × projects 1..4; project 3 has two metrics; every status appears at least once. */
export function lagRows(): CategoryLagRow[] {
  return [
    lag({ district: '上城區', project_no: 1, metric_id: '1-1', lag_status: 'on_track', completion: 0.7, gap: -0.1 }),
    lag({ district: '上城區', project_no: 2, metric_id: '2-1', lag_status: 'behind', completion: 0.5, gap: 0.1 }),
    lag({ district: '上城區', project_no: 3, metric_id: '3-1', lag_status: 'on_track', completion: 0.8, gap: -0.2 }),
    lag({ district: '上城區', project_no: 3, metric_id: '3-2', lag_status: 'seriously_behind', completion: 0.2, gap: 0.4, lag_flags: ['seriously_behind'] }),
    lag({ district: '臨平區', project_no: 1, metric_id: '1-1', lag_status: 'missing', completion: null, gap: 0.6, lag_flags: ['missing', 'seriously_behind'] }),
    lag({ district: '臨平區', project_no: 2, metric_id: '2-1', lag_status: 'stalled', completion: 0.55, gap: 0.05, lag_flags: ['stalled', 'behind'] }),
    lag({ district: '臨平區', project_no: 4, metric_id: '4-1', lag_status: 'overdue', completion: 0.3, gap: 0.7, lag_flags: ['overdue', 'seriously_behind'] }),
    lag({ district: '市本級', project_no: 1, metric_id: '1-1', lag_status: 'on_track', completion: 1.3, gap: -0.4 }),
    lag({ district: '市本級', project_no: 4, metric_id: '4-1', lag_status: 'behind', completion: 0.7, gap: 0.1 }),
  ];
}

export const PROJECT: ProjectRow = { project_no: 8, name: '規範提升26家殘疾人托養機構,實施殘疾人社會化照護服務1000人次' };

export const METRICS: MetricRow[] = [
  { metric_id: '8-1', project_no: 8, k: 1, label: '規範提升26家殘疾人托養機構', unit: '家', kind: 'count', city_target: 26 },
  { metric_id: '8-2', project_no: 8, k: 2, label: '實施殘疾人社會化照護服務1000人次', unit: '人次', kind: 'count', city_target: 1000 },
  { metric_id: '9-1', project_no: 9, k: 1, label: '保障率達到83%', unit: '%', kind: 'rate', city_target: 0.8 },
];

export const MILESTONES: MilestoneRow[] = [
  { metric_id: '8-1', project_no: 8, due_date: '2024-03-31', expected_ratio: null, expected_rate: null, text: '3月底前開展星級初評' },
  { metric_id: '8-1', project_no: 8, due_date: '2024-08-31', from_date: '2024-04-30', expected_ratio: null, expected_rate: null, text: '4月-8月開展機構提升改造' },
  { metric_id: '8-1', project_no: 8, due_date: '2024-11-30', expected_ratio: 1, expected_rate: null, text: '11月底前確保完成目標任務' },
  { metric_id: '8-2', project_no: 8, due_date: '2024-06-30', expected_ratio: 0.2, expected_rate: null, text: '6月底前完成20%' },
  { metric_id: '8-2', project_no: 8, due_date: '2024-09-30', expected_ratio: 0.5, expected_rate: null, text: '9月底前完成任務過半' },
  { metric_id: '8-2', project_no: 8, due_date: '2024-11-30', expected_ratio: 1, expected_rate: null, text: '11月底前確保完成目標任務' },
  { metric_id: '9-1', project_no: 9, due_date: '2024-06-30', expected_ratio: null, expected_rate: 0.6, text: '6月底保障率達到60%' },
];

export const PROGRESS: ProgressPoint[] = [
  { district: '上城區', metric_id: '8-1', as_of: '2024-06-30', completion: 0.2 },
  { district: '上城區', metric_id: '8-2', as_of: '2024-06-30', completion: 0.4 },
  { district: '上城區', metric_id: '8-1', as_of: '2024-09-30', completion: 0.6 },
  { district: '上城區', metric_id: '8-2', as_of: '2024-09-30', completion: 1.2 },
  // 臨平區 has not reported 8-2 at 6-30: it counts 0 then.
  { district: '臨平區', metric_id: '8-1', as_of: '2024-06-30', completion: 0.3 },
  { district: '臨平區', metric_id: '8-1', as_of: '2024-09-30', completion: 0.4 },
  { district: '臨平區', metric_id: '8-2', as_of: '2024-09-30', completion: 0.2 },
  // Another project's point: not drawn.
  { district: '上城區', metric_id: '9-1', as_of: '2024-09-30', completion: 0.9 },
];

export const TREND: TrendPoint[] = [
  { as_of: '2024-06-30', completion: 0.4, schedule_attainment: 0.9 },
  { as_of: '2024-03-31', completion: 0.1, schedule_attainment: null },
  { as_of: '2024-09-30', completion: 0.7, schedule_attainment: 0.95 },
];
