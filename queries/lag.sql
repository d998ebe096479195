-- lag(as_of_date): where every district stands on each of its metrics at a date, and how far behind
-- schedule it is (docs/design.md, "Lag statuses"). One row per (district, metric) the district has a
-- target for.
--
-- Run it from any DuckDB client on the minsheng database (the macro is stored in the file):
--     SELECT * FROM lag(DATE '2024-09-30');
--     SELECT * FROM lag(DATE '2024-09-30') WHERE lag_status = 'seriously_behind';   -- 掛牌督辦 candidates
-- or with a session variable:
--     SET VARIABLE as_of = DATE '2024-09-30';
--     SELECT * FROM lag(getvariable('as_of'));
-- ranking.sql and forecast.sql are built on this macro, so the three always agree. Rows come in no
-- particular order (on a large database sorting would cost more than the query itself); add
--     ORDER BY district_order, project_no, k
-- to read them district by district.
--
-- Definitions (T = as_of_date):
--   reports          rows of `progress` from submissions that are not superseded, dated on or before T.
--   completed        the latest cumulative amount the district reported for the metric (NULL: none yet);
--                    last_report_date is its date, previous_* the report before it.
--   target_total     target + target_extra (compound "5(4)個" is judged on 9; other kinds have no extra),
--                    as the view judged_targets (schema.sql) defines it.
--   completion       completed / target_total, uncapped (rate metrics: rate reached / target rate).
--                    NULL when nothing was reported.
--   expected_ratio   the expectation of the latest *numeric* milestone of the metric due on or before T,
--                    capped at 1; 0 when none is due yet. Numeric = has expected_ratio, or (rate metrics)
--                    expected_rate, which is divided by the district's target rate. When several numeric
--                    milestones fall on the same day, the one with the highest expected_ratio (then
--                    expected_rate, then text) counts. Steps without a number never set an expectation.
--   gap              expected_ratio − min(completion, 1); nothing reported counts as nothing done.
-- Statuses (lag_flags lists every one that applies, in precedence order; lag_status is the first):
--   missing           no report for the metric by T
--   overdue           T is after the project's deadline and completion < 1
--   seriously_behind  gap ≥ 0.15 (the 掛牌督辦 candidates: ranked above stalled, so none hides behind it)
--   stalled           the last two reports show no increase and completion < 1
--   behind            0 < gap < 0.15
--   on_track          gap ≤ 0
-- The gap thresholds compare gap rounded to 9 decimals, so 0.40 − 0.25 counts as 0.15.
-- Metrics of kind 'city-only' and targets whose total is not positive are not judged (judged_targets).
--
-- How it is computed: the pairs, their plan facts and their last two reports come from the table
-- judged_pairs (schema.sql), kept current as plans and reports are loaded (judged_pairs_rebuilt() below
-- is its definition), and the milestones from milestone_spans, rebuilt with the plan from the view
-- numeric_milestones (milestone_spans_rebuilt()).
-- At a date on or after a pair's last report that is one row per pair; a pair that reported after T
-- (asking about a past date) takes its last two reports on or before T from the one row of the table
-- earlier_reports (schema.sql) whose span holds T, so any date reads about one row per pair
-- (earlier_reports_rebuilt() below is that table's definition).

-- What a numeric milestone expects of a pair, as a fraction of its target, capped at 1: its ratio, or
-- (rate metrics) its rate over the district's target rate. lag() and the assessment's month ends
-- (assessment.sql) judge with it.
CREATE OR REPLACE MACRO milestone_expectation(expected_ratio, expected_rate, target_total) AS
    least(coalesce(expected_ratio, expected_rate / target_total), 1.0);

-- last_reports(as_of_date): per judged (district, metric), the last two reports on or before the date
-- from current (not superseded) submissions (the view current_progress), newest first. A district has
-- one current submission per date.
CREATE OR REPLACE MACRO last_reports(as_of_date) AS TABLE
SELECT
    district,
    metric_id,
    dates[1] AS last_as_of,
    amounts[1] AS last_completed,
    ids[1] AS last_submission_id,
    dates[2] AS previous_as_of,
    amounts[2] AS previous_completed,
    ids[2] AS previous_submission_id
FROM (
    SELECT
        district,
        metric_id,
        max(as_of, 2) AS dates,
        arg_max(completed, as_of, 2) AS amounts,
        arg_max(submission_id, as_of, 2) AS ids
    FROM current_progress
    WHERE as_of <= CAST(as_of_date AS DATE)
    GROUP BY district, metric_id
);

-- judged_pairs_rebuilt(): what judged_pairs holds, from the plan and the history. Every (district,
-- metric) with something to achieve (the view judged_targets), with the project's deadline and the
-- last two reports.
CREATE OR REPLACE MACRO judged_pairs_rebuilt() AS TABLE
SELECT
    CAST(row_number() OVER (ORDER BY d.district_order NULLS LAST, t.district, m.project_no, m.k) AS INTEGER) AS pair_no,
    t.district,
    d.district_order,
    m.project_no,
    m.k,
    m.metric_id,
    m.label,
    m.unit,
    m.kind,
    t.target,
    t.target_extra,
    t.target_total,
    r.deadline,
    lr.last_as_of,
    lr.last_completed,
    lr.last_submission_id,
    lr.previous_as_of,
    lr.previous_completed,
    lr.previous_submission_id
FROM judged_targets AS t
JOIN metrics AS m ON m.metric_id = t.metric_id
LEFT JOIN districts AS d ON d.district = t.district
LEFT JOIN responsibilities AS r ON r.project_no = m.project_no
LEFT JOIN last_reports(DATE '9999-12-31') AS lr ON lr.district = t.district AND lr.metric_id = t.metric_id;

-- earlier_reports_rebuilt(): what earlier_reports holds, from the history: every current report of a
-- judged pair (current_progress, numbered as in judged_pairs) that a later one follows, with the report
-- before it and the next one's date, in date order.
CREATE OR REPLACE MACRO earlier_reports_rebuilt() AS TABLE
SELECT pair_no, as_of, completed, previous_as_of, previous_completed, next_as_of
FROM (
    SELECT
        jp.pair_no,
        cp.as_of,
        cp.completed,
        lag(cp.as_of) OVER pair_history AS previous_as_of,
        lag(cp.completed) OVER pair_history AS previous_completed,
        lead(cp.as_of) OVER pair_history AS next_as_of
    FROM current_progress AS cp
    JOIN judged_pairs AS jp ON jp.district = cp.district AND jp.metric_id = cp.metric_id
    WINDOW pair_history AS (PARTITION BY jp.pair_no ORDER BY cp.as_of)
)
WHERE next_as_of IS NOT NULL
ORDER BY as_of;

-- milestone_spans_rebuilt(): what milestone_spans holds: each numeric milestone with the due date of
-- the metric's next one.
CREATE OR REPLACE MACRO milestone_spans_rebuilt() AS TABLE
SELECT
    metric_id,
    due_date,
    lead(due_date) OVER (PARTITION BY metric_id ORDER BY due_date) AS next_due_date,
    expected_ratio,
    expected_rate,
    text
FROM numeric_milestones;

-- lag_schedule_status(gap): how far behind schedule a gap is, the one home of the two thresholds.
CREATE OR REPLACE MACRO lag_schedule_status(gap) AS
    CASE
        WHEN round(gap, 9) >= 0.15 THEN 'seriously_behind'
        WHEN round(gap, 9) > 0 THEN 'behind'
        ELSE 'on_track'
    END;

CREATE OR REPLACE MACRO lag(as_of_date) AS TABLE
WITH
-- Every judged pair with its last two reports on or before T: judged_pairs' own when its last report
-- is on or before T; else those of the span of earlier_reports that holds T (none: nothing reported
-- by T). Asked about the latest date, no span qualifies and the planner skips earlier_reports.
pairs AS (
    SELECT
        district, district_order, project_no, k, metric_id, label, unit, kind, target, target_extra,
        target_total, deadline, last_as_of, last_completed, previous_as_of, previous_completed
    FROM judged_pairs
    WHERE last_as_of IS NULL OR last_as_of <= CAST(as_of_date AS DATE)
    UNION ALL
    SELECT
        jp.district, jp.district_order, jp.project_no, jp.k, jp.metric_id, jp.label, jp.unit, jp.kind,
        jp.target, jp.target_extra, jp.target_total, jp.deadline,
        er.as_of, er.completed, er.previous_as_of, er.previous_completed
    FROM judged_pairs AS jp
    LEFT JOIN (
        SELECT pair_no, as_of, completed, previous_as_of, previous_completed
        FROM earlier_reports
        WHERE as_of <= CAST(as_of_date AS DATE) AND next_as_of > CAST(as_of_date AS DATE)
    ) AS er ON er.pair_no = jp.pair_no
    WHERE jp.last_as_of > CAST(as_of_date AS DATE)
),
-- Per metric, the milestone that sets the expectation at T: the latest numeric one due on or before
-- T, the one whose span (milestone_spans) holds T. The same for every district of the metric.
metric_milestones AS (
    SELECT metric_id, due_date, expected_ratio, expected_rate, text
    FROM milestone_spans
    WHERE due_date <= CAST(as_of_date AS DATE)
      AND (next_due_date IS NULL OR next_due_date > CAST(as_of_date AS DATE))
),
standing AS (
    SELECT
        p.*,
        CAST(as_of_date AS DATE) AS at_date,
        mm.due_date AS milestone_due_date,
        mm.text AS milestone_text,
        CASE
            WHEN mm.due_date IS NULL THEN 0.0
            ELSE milestone_expectation(mm.expected_ratio, mm.expected_rate, p.target_total)
        END AS expected_ratio,
        p.last_completed / p.target_total AS completion
    FROM pairs AS p
    LEFT JOIN metric_milestones AS mm ON mm.metric_id = p.metric_id
),
measured AS (
    SELECT *, expected_ratio - least(coalesce(completion, 0.0), 1.0) AS gap
    FROM standing
),
conditions AS (
    SELECT
        *,
        completion IS NULL AS is_missing,
        at_date > deadline AND coalesce(completion, 0.0) < 1 AS is_overdue,
        previous_completed IS NOT NULL AND last_completed <= previous_completed AND completion < 1 AS is_stalled,
        lag_schedule_status(gap) AS schedule_status
    FROM measured
)
SELECT
    district,
    district_order,
    project_no,
    k,
    metric_id,
    label,
    unit,
    kind,
    target,
    target_extra,
    target_total,
    last_as_of AS last_report_date,
    last_completed AS completed,
    previous_as_of AS previous_report_date,
    previous_completed,
    completion,
    expected_ratio,
    gap,
    milestone_due_date,
    milestone_text,
    deadline,
    CASE
        WHEN is_missing THEN 'missing'
        WHEN is_overdue THEN 'overdue'
        WHEN schedule_status = 'seriously_behind' THEN 'seriously_behind'
        WHEN is_stalled THEN 'stalled'
        ELSE schedule_status
    END AS lag_status,
    (CASE WHEN is_missing THEN ['missing'] ELSE []::VARCHAR[] END)
        || (CASE WHEN is_overdue THEN ['overdue'] ELSE []::VARCHAR[] END)
        || (CASE WHEN schedule_status = 'seriously_behind' THEN ['seriously_behind'] ELSE []::VARCHAR[] END)
        || (CASE WHEN is_stalled THEN ['stalled'] ELSE []::VARCHAR[] END)
        || (CASE WHEN schedule_status <> 'seriously_behind' THEN [schedule_status] ELSE []::VARCHAR[] END) AS lag_flags,
    at_date AS as_of
FROM conditions;
