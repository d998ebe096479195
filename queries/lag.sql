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
-- What a numeric milestone expects of a pair, as a fraction of its target, capped at 1: its ratio, or
-- (rate metrics) its rate over the district's target rate. lag() and the assessment's month ends
-- (assessment.sql) judge with it.
CREATE OR REPLACE MACRO milestone_expectation(expected_ratio, expected_rate, target_total) AS
    least(coalesce(expected_ratio, expected_rate / target_total), 1.0);

CREATE OR REPLACE MACRO lag(as_of_date) AS TABLE
WITH
-- Every (district, metric) with something to achieve (the view judged_targets, schema.sql), with the
-- project's deadline.
judged_pairs AS (
    SELECT
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
        CAST(as_of_date AS DATE) AS at_date
    FROM judged_targets AS t
    JOIN metrics AS m ON m.metric_id = t.metric_id
    LEFT JOIN districts AS d ON d.district = t.district
    LEFT JOIN responsibilities AS r ON r.project_no = m.project_no
),
-- Reports: only current submissions (not superseded) dated on or before T count. A district has at
-- most one current submission per date, so its submissions can be ordered newest first (recency 1,
-- 2, ...). The last two reports of a metric usually sit in the district's two newest submissions:
-- read those first, and go back further only for the (district, metric) pairs that have fewer than
-- two reports there (metrics left blank lately, or never reported). That keeps the query close to
-- the cost of reading two reports per district, not the whole history, on large progress tables.
current_submissions AS (
    SELECT
        id,
        district,
        row_number() OVER (PARTITION BY district ORDER BY as_of DESC, id DESC) AS recency
    FROM submissions
    WHERE superseded_by IS NULL
      AND as_of <= CAST(as_of_date AS DATE)
),
recent_reports AS (
    SELECT p.district, p.metric_id, p.as_of, p.completed
    FROM progress AS p
    JOIN current_submissions AS cs ON cs.id = p.submission_id
    WHERE cs.recency <= 2
),
unresolved_pairs AS (
    SELECT jp.district, jp.metric_id
    FROM judged_pairs AS jp
    LEFT JOIN (
        SELECT district, metric_id, count(*) AS found
        FROM recent_reports
        GROUP BY district, metric_id
    ) AS rr ON rr.district = jp.district AND rr.metric_id = jp.metric_id
    WHERE coalesce(rr.found, 0) < 2
),
older_submissions AS (
    SELECT cs.id
    FROM current_submissions AS cs
    WHERE cs.recency > 2
      AND cs.district IN (SELECT district FROM unresolved_pairs)
),
older_reports AS (
    SELECT p.district, p.metric_id, p.as_of, p.completed
    FROM progress AS p
    JOIN older_submissions AS os ON os.id = p.submission_id
    SEMI JOIN unresolved_pairs AS up ON up.district = p.district AND up.metric_id = p.metric_id
),
-- The last two reports per (district, metric), newest first, as two parallel lists.
last_reports AS (
    SELECT
        district,
        metric_id,
        max(as_of, 2) AS last_dates,
        arg_max(completed, as_of, 2) AS last_amounts
    FROM (SELECT * FROM recent_reports UNION ALL SELECT * FROM older_reports)
    GROUP BY district, metric_id
),
-- Per metric, the latest numeric milestone (the view numeric_milestones, schema.sql) due on or before
-- T (ASOF JOIN: the greatest due_date <= T). Done per metric, not per (district, metric): the
-- milestone is the same for every district.
metric_milestones AS (
    SELECT m.metric_id, nm.due_date, nm.expected_ratio, nm.expected_rate, nm.text
    FROM (SELECT metric_id, CAST(as_of_date AS DATE) AS at_date FROM metrics) AS m
    ASOF JOIN numeric_milestones AS nm
        ON nm.metric_id = m.metric_id
       AND m.at_date >= nm.due_date
),
expectations AS (
    SELECT
        jp.*,
        mm.due_date AS milestone_due_date,
        mm.text AS milestone_text,
        CASE
            WHEN mm.due_date IS NULL THEN 0.0
            ELSE milestone_expectation(mm.expected_ratio, mm.expected_rate, jp.target_total)
        END AS expected_ratio
    FROM judged_pairs AS jp
    LEFT JOIN metric_milestones AS mm ON mm.metric_id = jp.metric_id
),
standing AS (
    SELECT
        e.*,
        lr.last_dates[1] AS last_report_date,
        lr.last_amounts[1] AS completed,
        lr.last_dates[2] AS previous_report_date,
        lr.last_amounts[2] AS previous_completed,
        lr.last_amounts[1] / e.target_total AS completion,
        e.expected_ratio - least(coalesce(lr.last_amounts[1] / e.target_total, 0.0), 1.0) AS gap
    FROM expectations AS e
    LEFT JOIN last_reports AS lr ON lr.district = e.district AND lr.metric_id = e.metric_id
),
conditions AS (
    SELECT
        *,
        completion IS NULL AS is_missing,
        at_date > deadline AND coalesce(completion, 0.0) < 1 AS is_overdue,
        previous_completed IS NOT NULL AND completed <= previous_completed AND completion < 1 AS is_stalled,
        CASE
            WHEN round(gap, 9) >= 0.15 THEN 'seriously_behind'
            WHEN round(gap, 9) > 0 THEN 'behind'
            ELSE 'on_track'
        END AS schedule_status
    FROM standing
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
    last_report_date,
    completed,
    previous_report_date,
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
