// The words for the columns and codes of the analysis tables, for tables people read (terminal,
// workbooks, charts), in the reader's language (the catalogue's TABLES area). Machine outputs (JSON,
// CSV, Arrow) keep the snake_case column names and the codes.
import { LagStatus, lagStatusLabel } from '../../core/lagStatus';
import { t, type Lang, type PlainMessageId } from '../../core/messages';
import { formatPercent, type ColumnFormat } from './table';
import type { Cell } from './resultTable';

/** Each column a person may read → the message that names it. */
const COLUMN_MESSAGES = {
  rank: 'col.rank',
  tie_rank: 'col.tie_rank',
  tied: 'col.tied',
  district: 'col.district',
  district_order: 'col.district_order',
  schedule_attainment: 'col.schedule_attainment',
  completion: 'col.completion',
  metric_count: 'col.metric_count',
  expected_metric_count: 'col.expected_metric_count',
  missing_count: 'status.missing',
  seriously_behind_count: 'status.seriously_behind',
  as_of: 'col.as_of',
  project_no: 'col.project_no',
  k: 'col.k',
  metric_id: 'col.metric_id',
  label: 'col.label',
  unit: 'col.unit',
  kind: 'col.kind',
  target: 'col.target',
  target_extra: 'col.target_extra',
  target_total: 'col.target_total',
  last_report_date: 'col.last_report_date',
  completed: 'col.completed',
  previous_report_date: 'col.previous_report_date',
  previous_completed: 'col.previous_completed',
  expected_ratio: 'col.expected_ratio',
  gap: 'col.gap',
  milestone_due_date: 'col.milestone_due_date',
  milestone_text: 'col.milestone_text',
  deadline: 'col.deadline',
  lag_status: 'col.lag_status',
  lag_flags: 'col.lag_flags',
  pace_per_day: 'col.pace_per_day',
  forecast_date: 'col.forecast_date',
  after_deadline: 'col.after_deadline',
  forecast_status: 'col.forecast_status',
  submission_id: 'col.submission_id',
  file_name: 'col.file_name',
  loaded_at: 'col.loaded_at',
  superseded_by: 'col.superseded_by',
  is_current: 'col.is_current',
  row_count: 'col.row_count',
} as const satisfies Record<string, PlainMessageId>;

export type ColumnName = keyof typeof COLUMN_MESSAGES;

/** The forecast codes (queries/forecast.sql) → their words; "missing" is the lag status's word. */
const FORECAST_MESSAGES = {
  done: 'forecast.done',
  missing: 'status.missing',
  too_few_reports: 'forecast.too_few_reports',
  no_progress: 'forecast.no_progress',
  projected: 'forecast.projected',
} as const satisfies Record<string, PlainMessageId>;

export function isColumnName(name: string): name is ColumnName {
  return Object.prototype.hasOwnProperty.call(COLUMN_MESSAGES, name);
}

/** A column's header in `lang`. */
export function columnLabel(lang: Lang, name: ColumnName): string {
  return t(lang, COLUMN_MESSAGES[name]);
}

/** Every column's header in `lang`, by column name. */
export function columnLabels(lang: Lang): Record<ColumnName, string> {
  const labels = {} as Record<ColumnName, string>;
  for (const name of Object.keys(COLUMN_MESSAGES) as ColumnName[]) labels[name] = columnLabel(lang, name);
  return labels;
}

/** A forecast code's word in `lang`; undefined for a value that is no code. */
export function forecastStatusLabel(lang: Lang, code: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(FORECAST_MESSAGES, code) ? t(lang, FORECAST_MESSAGES[code as keyof typeof FORECAST_MESSAGES]) : undefined;
}

/** Columns holding fractions, shown as percentages. */
const PERCENT_COLUMNS = ['schedule_attainment', 'completion', 'expected_ratio', 'gap'];

const labelled = (label: (code: string) => string | undefined) => (cell: Cell) =>
  Array.isArray(cell) ? cell.map((c) => label(String(c)) ?? String(c)).join('、') : cell === null ? '' : (label(String(cell)) ?? String(cell));

/** The presentation of every known analysis column in `lang`: headers, percentages, status words. */
export function analysisColumnFormats(lang: Lang): Record<string, ColumnFormat> {
  const formats: Record<string, ColumnFormat> = {};
  for (const [name, header] of Object.entries(columnLabels(lang))) formats[name] = { header };
  for (const name of PERCENT_COLUMNS) formats[name] = { ...formats[name], format: formatPercent, align: 'right' };
  const statusWord = (code: string): string | undefined => {
    const status = LagStatus.safeParse(code);
    return status.success ? lagStatusLabel(status.data, lang) : undefined;
  };
  formats.lag_status = { ...formats.lag_status, format: labelled(statusWord) };
  formats.lag_flags = { ...formats.lag_flags, format: labelled(statusWord) };
  formats.forecast_status = { ...formats.forecast_status, format: labelled((code) => forecastStatusLabel(lang, code)) };
  formats.pace_per_day = {
    ...formats.pace_per_day,
    header: t(lang, 'col.pace_per_month'),
    format: (cell) => (typeof cell === 'number' ? `${(cell * 30 * 100).toFixed(1)}%` : ''),
    align: 'right',
  };
  return formats;
}
