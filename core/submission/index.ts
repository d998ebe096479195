// Progress submissions (進度報送表, docs/design.md): which sheets are one, and what they report, checked
// against the plan. The modules of this folder, one concept each:
//   schema     what a reading produces (the store's schema) and the plan seen from one district
//   layout     the template's header vocabulary; which layout a sheet holds
//   read       readSubmissions: the entry point, dispatching to
//   template   the generated template (one district, rows identified by 指標編號 or 序號)
//   wide       the 附件2-shaped sheet (every district as a column)
//   completed  the 累計完成 cell, in the metric's terms
//   labels     填報單位 and 截至日期 written above the header
//   sameReport one report per district and date in a workbook
export { districtMetrics, targetTotal, ProgressRow, Submission, type DistrictMetric, type SubmissionLayout, type SubmissionReading } from './schema';
export { detectSubmission, detectSubmissionLayout, findTemplateHeader, SUBMISSION_COLUMNS } from './layout';
export { readSubmissions } from './read';
export { oneReportPerDistrictAndDate, type SheetSubmission } from './sameReport';
export { parseMetricId } from './template';
