// Chinese names for the columns and codes of the analysis tables, for tables people read (terminal,
// workbooks). Machine outputs (JSON, CSV, Arrow) keep the snake_case column names and the codes.
import { LagStatus, lagStatusLabel } from '../../core/lagStatus';
import { LITERAL_TEXT_LANG } from '../../core/messages/lang';
import { formatPercent, type ColumnFormat } from './table';
import type { Cell } from './resultTable';

export const COLUMN_LABELS: Record<string, string> = {
  rank: '名次',
  tie_rank: '並列名次',
  tied: '並列',
  district: '區縣',
  district_order: '區縣序號',
  schedule_attainment: '進度達成率',
  completion: '完成率',
  metric_count: '指標數',
  expected_metric_count: '已到節點指標數',
  missing_count: lagStatusLabel('missing', LITERAL_TEXT_LANG),
  seriously_behind_count: lagStatusLabel('seriously_behind', LITERAL_TEXT_LANG),
  as_of: '截至日期',
  project_no: '項目序號',
  k: '指標序',
  metric_id: '指標編號',
  label: '指標',
  unit: '單位',
  kind: '類型',
  target: '目標',
  target_extra: '目標(附)',
  target_total: '年度目標',
  last_report_date: '最近報送',
  completed: '累計完成',
  previous_report_date: '上次報送',
  previous_completed: '上次累計',
  expected_ratio: '應完成比例',
  gap: '差距',
  milestone_due_date: '節點日期',
  milestone_text: '進度節點',
  deadline: '完成期限',
  lag_status: '狀態',
  lag_flags: '全部狀態',
  pace_per_day: '日均進度',
  forecast_date: '預計完成日',
  after_deadline: '逾期',
  forecast_status: '預測',
  submission_id: '報送編號',
  file_name: '檔案',
  sha256: 'SHA-256',
  loaded_at: '載入時間',
  superseded_by: '被取代於',
  is_current: '有效',
  row_count: '行數',
};

export const FORECAST_STATUS_LABELS: Record<string, string> = {
  done: '已完成',
  missing: lagStatusLabel('missing', LITERAL_TEXT_LANG),
  too_few_reports: '報送不足',
  no_progress: '無進展',
  projected: '按進度推算',
};

/** Columns holding fractions, shown as percentages. */
const PERCENT_COLUMNS = ['schedule_attainment', 'completion', 'expected_ratio', 'gap'];

const labelled = (label: (code: string) => string | undefined) => (cell: Cell) =>
  Array.isArray(cell) ? cell.map((c) => label(String(c)) ?? String(c)).join('、') : cell === null ? '' : (label(String(cell)) ?? String(cell));

/** A lag status's word (core/lagStatus.ts); undefined for a value that is no status. */
function statusWord(code: string): string | undefined {
  const status = LagStatus.safeParse(code);
  return status.success ? lagStatusLabel(status.data, LITERAL_TEXT_LANG) : undefined;
}

/** The presentation of every known analysis column: Chinese header, percentages, status words. */
export function analysisColumnFormats(): Record<string, ColumnFormat> {
  const formats: Record<string, ColumnFormat> = {};
  for (const [name, header] of Object.entries(COLUMN_LABELS)) formats[name] = { header };
  for (const name of PERCENT_COLUMNS) formats[name] = { ...formats[name], format: formatPercent, align: 'right' };
  formats.lag_status = { ...formats.lag_status, format: labelled(statusWord) };
  formats.lag_flags = { ...formats.lag_flags, format: labelled(statusWord) };
  formats.forecast_status = { ...formats.forecast_status, format: labelled((code) => FORECAST_STATUS_LABELS[code]) };
  formats.pace_per_day = {
    ...formats.pace_per_day,
    header: '每月進度',
    format: (cell) => (typeof cell === 'number' ? `${(cell * 30 * 100).toFixed(1)}%` : ''),
    align: 'right',
  };
  return formats;
}
