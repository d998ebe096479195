// The rule changes `npm run mutate` makes (scripts/mutate.ts), one line each, and the suites that must
// notice every one of them. When you add or change a rule in core/ or queries/, add its mutants here:
// a threshold moved, a comparison loosened, a multiplier changed, a branch skipped. `find` must occur
// exactly once in core/ and queries/ (or in `in`); if a rule moves, the run says so and the entry follows it.
//
// Changes found to be equivalent (no input can tell them apart, so no test can notice them) are left out:
// the edit-distance guards of core/districts.ts (each of the three checks covers the others), a
// negative extra in validate.ts's negative-value check (no cell or number format parses to one), and the
// value of 萬 in quantity.ts's CN_BIG_UNITS (only its keys are read; scaleArabic holds the multiplier), and
// dropping `OR completion >= 1` from supervision.sql's back_on_track (a complete pair's gap is the expectation,
// capped at 1, minus 1, never above 0, so lag_flags always holds on_track for it).

export interface Mutant {
  /** Short and unique: the filter words of `npm run mutate -- <word>` match it. */
  id: string;
  /** The rule, as a person would state it. */
  rule: string;
  find: string;
  replace: string;
  /** Test files (tests/<name>.test.ts) that cover the rule. */
  tests: string[];
  /** A file to look in when `find` is not unique across core/ and queries/. */
  in?: string;
  /** Only the tests whose names match (jest -t), to keep a slow suite short. */
  only?: string;
}

const LAG = ['queries-analysis'];

export const MUTANTS: Mutant[] = [
  // queries/lag.sql and the views it judges (queries/schema.sql)
  {
    id: 'lag.gap-rounded',
    rule: 'the gap is rounded before the 0.15 threshold, so 0.35 − 0.20 is 15 points',
    find: "WHEN round(gap, 9) >= 0.15 THEN 'seriously_behind'",
    replace: "WHEN gap >= 0.15 THEN 'seriously_behind'",
    tests: LAG,
  },
  {
    id: 'lag.serious-threshold',
    rule: 'seriously behind from a gap of 0.15',
    find: "WHEN round(gap, 9) >= 0.15 THEN 'seriously_behind'",
    replace: "WHEN round(gap, 9) >= 0.16 THEN 'seriously_behind'",
    tests: LAG,
  },
  {
    id: 'lag.serious-inclusive',
    rule: 'a gap of exactly 0.15 is seriously behind',
    find: "WHEN round(gap, 9) >= 0.15 THEN 'seriously_behind'",
    replace: "WHEN round(gap, 9) > 0.15 THEN 'seriously_behind'",
    tests: LAG,
  },
  {
    id: 'lag.behind-above-zero',
    rule: 'behind only with a positive gap; on schedule at 0',
    find: "WHEN round(gap, 9) > 0 THEN 'behind'",
    replace: "WHEN round(gap, 9) >= 0 THEN 'behind'",
    tests: LAG,
  },
  {
    id: 'lag.stalled-equal',
    rule: 'the same amount twice in a row is stalled',
    find: 'previous_completed IS NOT NULL AND last_completed <= previous_completed AND completion < 1 AS is_stalled',
    replace: 'previous_completed IS NOT NULL AND last_completed < previous_completed AND completion < 1 AS is_stalled',
    tests: LAG,
  },
  {
    id: 'lag.stalled-unfinished',
    rule: 'a finished metric is never stalled',
    find: 'previous_completed IS NOT NULL AND last_completed <= previous_completed AND completion < 1 AS is_stalled',
    replace: 'previous_completed IS NOT NULL AND last_completed <= previous_completed AS is_stalled',
    tests: LAG,
  },
  {
    id: 'lag.overdue-after',
    rule: 'overdue only after the deadline day, not on it',
    find: 'at_date > deadline AND coalesce(completion, 0.0) < 1 AS is_overdue',
    replace: 'at_date >= deadline AND coalesce(completion, 0.0) < 1 AS is_overdue',
    tests: LAG,
  },
  {
    id: 'lag.overdue-unfinished',
    rule: 'a finished metric is never overdue',
    find: 'at_date > deadline AND coalesce(completion, 0.0) < 1 AS is_overdue',
    replace: 'at_date > deadline AS is_overdue',
    tests: LAG,
  },
  {
    id: 'lag.completion-capped',
    rule: 'doing more than the target does not make up for another metric: completion is capped at 1 in the gap',
    find: 'SELECT *, expected_ratio - least(coalesce(completion, 0.0), 1.0) AS gap',
    replace: 'SELECT *, expected_ratio - coalesce(completion, 0.0) AS gap',
    tests: LAG,
  },
  {
    id: 'lag.nothing-is-zero',
    rule: 'nothing reported counts as nothing done in the gap',
    find: 'SELECT *, expected_ratio - least(coalesce(completion, 0.0), 1.0) AS gap',
    replace: 'SELECT *, expected_ratio - least(completion, 1.0) AS gap',
    tests: LAG,
  },
  {
    id: 'lag.expectation-capped',
    rule: 'an expected rate above the district’s target rate expects the whole target, no more',
    find: '    least(coalesce(expected_ratio, expected_rate / target_total), 1.0);',
    replace: '    coalesce(expected_ratio, expected_rate / target_total);',
    tests: LAG,
  },
  {
    id: 'lag.milestone-due-today',
    rule: 'a milestone due on the date counts on that date',
    find: 'WHERE due_date <= CAST(as_of_date AS DATE)',
    replace: 'WHERE due_date < CAST(as_of_date AS DATE)',
    in: 'queries/lag.sql',
    tests: LAG,
  },
  {
    id: 'lag.same-day-highest',
    rule: 'of two numeric milestones due the same day the higher expectation counts',
    find: 'ORDER BY ms.expected_ratio DESC NULLS LAST, ms.expected_rate DESC NULLS LAST, ms.text',
    replace: 'ORDER BY ms.expected_ratio ASC NULLS LAST, ms.expected_rate DESC NULLS LAST, ms.text',
    tests: LAG,
  },
  {
    id: 'lag.reports-until-date',
    rule: 'reports dated after the date do not count',
    find: 'WHERE as_of <= CAST(as_of_date AS DATE) AND next_as_of > CAST(as_of_date AS DATE)',
    replace: 'WHERE as_of <= CAST(as_of_date AS DATE) + 31 AND next_as_of > CAST(as_of_date AS DATE) + 31',
    in: 'queries/lag.sql',
    tests: LAG,
  },
  {
    id: 'lag.superseded-ignored',
    rule: 'a superseded submission does not count',
    find: 'JOIN submissions AS s ON s.id = p.submission_id AND s.superseded_by IS NULL',
    replace: 'JOIN submissions AS s ON s.id = p.submission_id',
    in: 'queries/schema.sql',
    tests: ['queries-random'],
    only: 'derived tables',
  },
  {
    id: 'views.compound-total',
    rule: 'a compound "5(4)個" target is judged on both parts',
    find: 'CAST(t.target + coalesce(t.target_extra, 0) AS DOUBLE) AS target_total',
    replace: 'CAST(t.target AS DOUBLE) AS target_total',
    tests: LAG,
  },
  {
    id: 'views.city-only',
    rule: 'city-only metrics are never judged',
    find: "WHERE m.kind <> 'city-only'\n  AND t.target",
    replace: 'WHERE true\n  AND t.target',
    in: 'queries/schema.sql',
    tests: LAG,
  },
  {
    id: 'views.positive-target',
    rule: 'a target whose total is not positive is not judged',
    find: '  AND t.target + coalesce(t.target_extra, 0) > 0;',
    replace: '  AND t.target + coalesce(t.target_extra, 0) >= 0;',
    tests: LAG,
  },

  // queries/ranking.sql
  {
    id: 'ranking.expected-only',
    rule: 'schedule attainment counts only metrics with an expectation due',
    find: 'count(*) FILTER (WHERE expected_ratio > 0) AS expected_metric_count',
    replace: 'count(*) AS expected_metric_count',
    tests: LAG,
  },
  {
    id: 'ranking.attainment-capped',
    rule: 'a metric ahead of schedule counts as on schedule, not more',
    find: 'avg(least(coalesce(completion, 0.0) / expected_ratio, 1.0)) FILTER (WHERE expected_ratio > 0),',
    replace: 'avg(coalesce(completion, 0.0) / expected_ratio) FILTER (WHERE expected_ratio > 0),',
    in: 'queries/ranking.sql',
    tests: LAG,
  },
  {
    id: 'ranking.completion-capped',
    rule: 'completion in the ranking is capped at 1 per metric',
    find: 'round(avg(least(coalesce(completion, 0.0), 1.0)), 9) AS completion',
    replace: 'round(avg(coalesce(completion, 0.0)), 9) AS completion',
    in: 'queries/ranking.sql',
    tests: LAG,
  },
  {
    id: 'ranking.completion-breaks-ties',
    rule: 'equal attainment: the higher completion ranks first',
    find: 'ORDER BY schedule_attainment DESC NULLS LAST, completion DESC, district_order NULLS LAST, district',
    replace: 'ORDER BY schedule_attainment DESC NULLS LAST, completion ASC, district_order NULLS LAST, district',
    tests: LAG,
  },
  {
    id: 'ranking.tied',
    rule: 'two districts with the same figures are tied',
    find: 'count(*) OVER (PARTITION BY schedule_attainment, completion) > 1 AS tied',
    replace: 'count(*) OVER (PARTITION BY schedule_attainment, completion) > 2 AS tied',
    in: 'queries/ranking.sql',
    tests: LAG,
  },

  // queries/forecast.sql
  {
    id: 'forecast.done',
    rule: 'a metric at 100% is done',
    find: "WHEN completion >= 1 THEN 'done'",
    replace: "WHEN completion > 1 THEN 'done'",
    tests: LAG,
  },
  {
    id: 'forecast.no-progress',
    rule: 'no increase between the last two reports is no progress',
    find: "WHEN pace_per_day <= 0 THEN 'no_progress'",
    replace: "WHEN pace_per_day < 0 THEN 'no_progress'",
    tests: LAG,
  },
  {
    id: 'forecast.days-rounded-up',
    rule: 'a projection finishes on the day the work is done, rounding up',
    find: 'ceil(round((1 - completion) / pace_per_day, 9))',
    replace: 'floor(round((1 - completion) / pace_per_day, 9))',
    tests: LAG,
  },
  {
    id: 'forecast.after-deadline',
    rule: 'finishing on the deadline is not after it',
    find: 'THEN last_report_date + CAST(days_to_finish AS INTEGER) > deadline',
    replace: 'THEN last_report_date + CAST(days_to_finish AS INTEGER) >= deadline',
    tests: LAG,
  },

  // core/milestone.ts: reading 工作計劃和進度安排
  {
    id: 'milestone.basic-not-full',
    rule: '"基本完成" is 0.9 even when "完成…年度任務" follows it',
    find: "const withoutBasic = folded.replace(/基本完成/g, '@@@@');",
    replace: 'const withoutBasic = folded;',
    tests: ['milestone'],
  },
  {
    id: 'milestone.basic-0.9',
    rule: '"基本完成" is 0.9',
    find: 'note(0.9, m.index ?? 0, m[0].length)',
    replace: 'note(0.95, m.index ?? 0, m[0].length)',
    tests: ['milestone'],
  },
  {
    id: 'milestone.half',
    rule: '"任務過半" is 0.5',
    find: 'for (const m of folded.matchAll(/任务过半/g)) note(0.5,',
    replace: 'for (const m of folded.matchAll(/任务过半/g)) note(0.6,',
    tests: ['milestone'],
  },
  {
    id: 'milestone.percent',
    rule: '"完成20%" is 0.2',
    find: 'add(start, end + approx.length + 1, value / 100, true);',
    replace: 'add(start, end + approx.length + 1, value / 10, true);',
    tests: ['milestone'],
  },
  {
    id: 'milestone.wan',
    rule: '"萬" in an amount is ten thousand',
    find: "for (const c of multipliers) exp += c === '亿' ? 8 : 4;",
    replace: "for (const c of multipliers) exp += c === '亿' ? 8 : 3;",
    tests: ['milestone'],
  },
  {
    id: 'milestone.amount-over-target',
    rule: 'an amount is read as its share of the target',
    find: 'ratio: total > 0 ? amount.value / total : undefined',
    replace: 'ratio: total > 0 ? amount.value / (2 * total) : undefined',
    tests: ['milestone'],
  },
  {
    id: 'milestone.ratio-range',
    rule: 'a step that reads as more than 150% of the target is a problem, not an expectation',
    find: 'ratio > 1.5 || ratio < 0',
    replace: 'ratio > 3 || ratio < 0',
    tests: ['milestone'],
  },

  // core/quantity.ts: quantity cells
  {
    id: 'quantity.wan',
    rule: '"85.8萬" is 858,000',
    find: 'for (const c of multipliers) exp += CN_BIG_UNITS[c] === 1e8 ? 8 : 4;',
    replace: 'for (const c of multipliers) exp += CN_BIG_UNITS[c] === 1e8 ? 8 : 3;',
    tests: ['quantity'],
  },
  {
    id: 'quantity.percent-text',
    rule: '"83%" is the rate 0.83',
    find: "if (rest === '%') return ok({ kind: 'rate', value: clean(value / 100) });",
    replace: "if (rest === '%') return ok({ kind: 'rate', value: clean(value / 10) });",
    tests: ['quantity'],
  },
  {
    id: 'quantity.percent-format',
    rule: 'a number shown with a % format is a rate',
    find: "if (format.literal === '%') return ok({ kind: 'rate', value: clean(value / 100) });",
    replace: "if (format.literal === '%') return ok({ kind: 'rate', value: clean(value) });",
    tests: ['quantity'],
  },

  // core/validate.ts: the plan's checks
  {
    id: 'validate.compound-sum',
    rule: 'the district sum is checked for compound metrics too',
    find: "if (metric.kind === 'count' || metric.kind === 'compound') {",
    replace: "if (metric.kind === 'count') {",
    tests: ['validate-rules'],
  },
  {
    id: 'validate.sum-exact',
    rule: 'a district sum one off the target is a mismatch',
    find: 'if (Math.abs(sum - target) > 1e-6 * Math.max(1, Math.abs(target))) {',
    replace: 'if (Math.abs(sum - target) > 1 * Math.max(1, Math.abs(target))) {',
    tests: ['validate-rules'],
  },
  {
    id: 'validate.rate-below',
    rule: 'a district rate equal to the city’s is not below it',
    find: "if (metric.kind === 'rate' && q.value < metric.cityTarget) {",
    replace: "if (metric.kind === 'rate' && q.value <= metric.cityTarget) {",
    tests: ['validate-rules'],
  },
  {
    id: 'deadline.whole-date-in-year',
    rule: 'a whole date as 預計完成時間 counts only in the plan year',
    find: 'return day?.startsWith(`${year}-`) ? day : undefined;',
    replace: 'return day;',
    tests: ['validate-rules'],
  },
  {
    id: 'validate.after-deadline',
    rule: 'a step due after the project’s deadline is reported',
    find: 'if (step.dueDate > deadline) {',
    replace: 'if (step.dueDate > deadline && false) {',
    tests: ['validate-rules'],
  },
  {
    id: 'validate.ratios-rise',
    rule: 'milestone ratios that fall are reported',
    find: 'if (sorted[i].ratio < sorted[i - 1].ratio - 1e-9) {',
    replace: 'if (sorted[i].ratio < sorted[i - 1].ratio - 0.5) {',
    tests: ['validate-rules'],
  },

  // core/submission/: the checks on a 進度報送表
  {
    id: 'submission.far-above',
    rule: 'more than 150% of the target is flagged',
    find: 'if (total > 0 && amount > 1.5 * total) {',
    replace: 'if (total > 0 && amount > 2 * total) {',
    tests: ['submission-issues', 'submission-reader'],
  },
  {
    id: 'submission.compound-amount',
    rule: 'a compound report "3(2)個" counts both parts',
    find: "const amount = q.kind === 'compound' ? q.value + q.extra : q.value;",
    replace: 'const amount = q.value;',
    tests: ['submission-issues', 'submission-reader', 'submission-wide'],
  },
  {
    id: 'submission.rate-above-100',
    rule: 'a rate above 100% is refused',
    find: '  if (rate > 1) {',
    replace: '  if (rate > 1.5) {',
    in: 'core/submission/completed.ts',
    tests: ['submission-issues', 'submission-reader'],
  },
  {
    id: 'submission.percent-points',
    rule: '"95" typed for a rate is 95%, said so',
    find: 'if (rate > 1 && rate <= 100) {',
    replace: 'if (rate > 1 && rate <= 10) {',
    tests: ['submission-issues', 'submission-reader'],
  },
  {
    id: 'submission.negative-number',
    rule: 'a negative amount is refused',
    find: "if (typeof value === 'number') return value < 0 ? value : undefined;",
    replace: "if (typeof value === 'number') return value < -1 ? value : undefined;",
    tests: ['submission-issues', 'submission-reader'],
  },

  // core/districts.ts: district names as written
  {
    id: 'districts.one-suggestion',
    rule: 'a name one character off two districts is not guessed',
    find: 'return hits.size === 1 ? [...hits][0] : undefined;',
    replace: 'return hits.size >= 1 ? [...hits][0] : undefined;',
    tests: ['districts'],
  },
  {
    id: 'districts.west-lake',
    rule: '"西湖" alone is never taken for one of the two districts it could be',
    find: 'if (ambiguous) return { kind: \'ambiguous\', candidates: ambiguous };',
    replace: 'if (ambiguous && false) return { kind: \'ambiguous\', candidates: ambiguous };',
    tests: ['districts'],
  },

  // core/supervision/bulletin.ts: who the 晾曬通報 praises and names
  {
    id: 'bulletin.praised-ties',
    rule: 'districts tied at the praise cut are all praised',
    find: 'judged.filter((r) => r.tie_rank <= counts.praised)',
    replace: 'judged.filter((r) => r.tie_rank < counts.praised)',
    tests: ['supervision-bulletin'],
    only: 'who is praised and who is named',
  },
  {
    id: 'bulletin.named-behind',
    rule: 'only districts behind schedule are named',
    find: '(r.schedule_attainment ?? 1) < 1',
    replace: '(r.schedule_attainment ?? 1) <= 1',
    tests: ['supervision-bulletin'],
    only: 'who is praised and who is named',
  },

  // queries/supervision.sql: 掛牌督辦 cases
  {
    id: 'supervision.candidate-hidden',
    rule: 'a pair seriously behind is a candidate even when missing or overdue is the status shown',
    find: "list_contains(lag_flags, 'seriously_behind') AS is_candidate",
    replace: "lag_status = 'seriously_behind' AS is_candidate",
    tests: ['supervision-sql', 'supervision-cases'],
  },
  {
    id: 'supervision.back-on-track-reported',
    rule: 'a pair with no report is never back on track',
    find: "    NOT list_contains(lag_flags, 'missing')\n        AND (list_contains(lag_flags, 'on_track') OR completion >= 1) AS back_on_track",
    replace: "    (list_contains(lag_flags, 'on_track') OR completion >= 1) AS back_on_track",
    tests: ['supervision-sql', 'supervision-cases'],
  },
  {
    id: 'supervision.overdue-after-due',
    rule: 'a case is overdue only after its due date',
    find: "WHEN s.as_of > c.due_on THEN 'overdue'",
    replace: "WHEN s.as_of >= c.due_on THEN 'overdue'",
    tests: ['supervision-sql', 'supervision-cases'],
  },
  {
    id: 'supervision.recheck',
    rule: 'a closed case back on track at the next review is rechecked',
    find: "WHEN c.awaiting_recheck AND s.back_on_track THEN 'rechecked'",
    replace: "WHEN c.awaiting_recheck AND s.back_on_track AND false THEN 'rechecked'",
    tests: ['supervision-sql', 'supervision-cases'],
  },
  {
    id: 'supervision.reopen-due',
    rule: 'a reopened case gets the full rectification period again',
    find: 'CASE WHEN c.awaiting_recheck AND NOT s.back_on_track THEN s.as_of + CAST(due_days AS INTEGER) END AS due_on',
    replace: 'CASE WHEN c.awaiting_recheck AND NOT s.back_on_track THEN s.as_of + CAST(due_days AS INTEGER) - 1 END AS due_on',
    tests: ['supervision-sql', 'supervision-cases'],
  },
  {
    id: 'supervision.judged-once',
    rule: 'a case is reviewed once per date',
    find: '  AND c.judged_on < s.as_of;',
    replace: '  AND c.judged_on <= s.as_of;',
    tests: ['supervision-sql', 'supervision-cases'],
  },

  // queries/lead_units.sql: departments
  {
    id: 'leadunits.expected-only',
    rule: 'a department’s schedule counts only pairs with an expectation due',
    find: 'count(*) FILTER (WHERE expected_ratio > 0) AS expected_pair_count',
    replace: 'count(*) AS expected_pair_count',
    tests: ['leadunit-views'],
  },

  {
    id: 'leadunits.attainment-capped',
    rule: 'a department’s pair ahead of schedule counts as on schedule, not more (the same rule as the districts’ ranking)',
    find: 'avg(least(coalesce(completion, 0.0) / expected_ratio, 1.0)) FILTER (WHERE expected_ratio > 0),',
    replace: 'avg(coalesce(completion, 0.0) / expected_ratio) FILTER (WHERE expected_ratio > 0),',
    in: 'queries/lead_units.sql',
    tests: ['leadunit-views'],
  },
  {
    id: 'leadunits.tied',
    rule: 'two departments with the same figures are tied',
    find: 'count(*) OVER (PARTITION BY schedule_attainment, completion) > 1 AS tied',
    replace: 'count(*) OVER (PARTITION BY schedule_attainment, completion) > 2 AS tied',
    in: 'queries/lead_units.sql',
    tests: ['leadunit-views'],
  },

  // queries/sites.sql and core/sites/: 點位 lists
  {
    id: 'sites.finished-by-date',
    rule: 'a site finished on the date counts as finished on it',
    find: "count(*) FILTER (WHERE s.status = 'finished' AND s.finished_on <= CAST(as_of_date AS DATE)) AS finished_count",
    replace: "count(*) FILTER (WHERE s.status = 'finished' AND s.finished_on < CAST(as_of_date AS DATE)) AS finished_count",
    tests: ['sites'],
  },
  {
    id: 'sites.count-mismatch',
    rule: 'more sites than the target is a mismatch too',
    find: "CASE WHEN site_count <> target_total THEN ['count_mismatch']",
    replace: "CASE WHEN site_count < target_total THEN ['count_mismatch']",
    tests: ['sites'],
  },
  {
    id: 'sites.above-finished',
    rule: 'reporting exactly the finished sites is consistent',
    find: "CASE WHEN completed > finished_count THEN ['reported_above_finished']",
    replace: "CASE WHEN completed >= finished_count THEN ['reported_above_finished']",
    tests: ['sites'],
  },
  {
    id: 'sites.dates-order',
    rule: 'a site planned to finish before it starts is reported',
    find: 'if (start && finish && start > finish) add(',
    replace: 'if (start && finish && start > finish && false) add(',
    tests: ['sites'],
  },
  {
    id: 'sites.inside-city',
    rule: 'a site outside the city’s bounds is reported',
    find: 'const inside = (x: number, y: number) => x >= b.minLongitude && x <= b.maxLongitude && y >= b.minLatitude && y <= b.maxLatitude;',
    replace: 'const inside = (x: number, y: number) => x >= b.minLongitude && y >= b.minLatitude && y <= b.maxLatitude;',
    tests: ['sites'],
  },

  // queries/assessment.sql and core/assessment/: year-end scores
  {
    id: 'assessment.linear-capped',
    rule: 'a linear score never exceeds its points',
    find: 'r.points * greatest(0.0, least(1.0, (r.measure - r.lower_bound) / (r.upper_bound - r.lower_bound)))',
    replace: 'r.points * greatest(0.0, (r.measure - r.lower_bound) / (r.upper_bound - r.lower_bound))',
    tests: ['assessment-methods', 'assessment-scores'],
  },
  {
    id: 'assessment.band-lower',
    rule: 'a measure on a band’s lower bound is in that band',
    find: 'AND (b.lower_bound IS NULL OR r.measure >= b.lower_bound)',
    replace: 'AND (b.lower_bound IS NULL OR r.measure > b.lower_bound)',
    tests: ['assessment-methods', 'assessment-scores'],
  },
  {
    id: 'assessment.band-upper',
    rule: 'a measure on a band’s upper bound is in the next band',
    find: 'AND (b.upper_bound IS NULL OR r.measure < b.upper_bound)',
    replace: 'AND (b.upper_bound IS NULL OR r.measure <= b.upper_bound)',
    tests: ['assessment-methods', 'assessment-scores'],
  },
  {
    id: 'assessment.rank-order',
    rule: 'the highest measure ranks first',
    find: 'rank() OVER (PARTITION BY assessee_type, component, measure_status ORDER BY measure DESC)',
    replace: 'rank() OVER (PARTITION BY assessee_type, component, measure_status ORDER BY measure ASC)',
    tests: ['assessment-methods', 'assessment-scores'],
  },
  {
    id: 'assessment.per-event-cap',
    rule: 'points per event stop at the component’s points',
    find: 'least(r.points, r.base_points + coalesce(r.plus_points, 0.0) * r.plus_events',
    replace: 'greatest(r.points, r.base_points + coalesce(r.plus_points, 0.0) * r.plus_events',
    tests: ['assessment-methods', 'assessment-scores'],
  },
  {
    id: 'assessment.case-deduction',
    rule: 'each 掛牌督辦 case deducts its points once',
    find: 'THEN least(case_deduction * case_count, method_points',
    replace: 'THEN least(case_deduction * (case_count + 1), method_points',
    tests: ['assessment-methods', 'assessment-scores'],
  },
  {
    id: 'assessment.score-range',
    rule: 'a score above its scale is refused',
    find: 'if (score.value < 0 || score.value > scale) {',
    replace: 'if (score.value < 0) {',
    tests: ['assessment-inputs'],
  },

  // core/dates.ts
  {
    id: 'dates.month-range',
    rule: 'a month is 1 to 12',
    find: 'm < 1 || m > 12 || d < 1',
    replace: 'm < 1 || m > 13 || d < 1',
    tests: ['dates'],
  },
];
