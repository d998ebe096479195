-- lag(as_of_date): where every district stands on each of its metrics at a date, and how far behind
-- schedule it is (design §4 "Lag"). One row per (district, metric) the district has a target for.
--
-- Run it from any DuckDB client on the minsheng database (the macro is stored in the file):
--     SELECT * FROM lag(DATE '2024-09-30');
--     SELECT * FROM lag(DATE '2024-09-30') WHERE lag_status = 'seriously_behind';   -- 掛牌督辦 candidates
-- or with a session variable:
--     SET VARIABLE as_of = DATE '2024-09-30';
--     SELECT * FROM lag(getvariable('as_of'));
-- ranking.sql and forecast.sql are built on this macro, so the three always agree.
--
-- Definitions (T = as_of_date):
--   reports          rows of `progress` from submissions that are not superseded, dated on or before T.
--   completed        the latest cumulative amount the district reported for the metric (NULL: none yet).
--   target_total     target + target_extra (compound "5(4)個" is judged on 9; other kinds have no extra).
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
--   stalled           the last two reports show no increase and completion < 1
--   seriously_behind  gap ≥ 0.15
--   behind            0 < gap < 0.15
--   on_track          gap ≤ 0
-- The gap thresholds compare gap rounded to 9 decimals, so 0.40 − 0.25 counts as 0.15.
-- Metrics of kind 'city-only' and targets whose total is not positive are not judged.
CREATE OR REPLACE MACRO lag(as_of_date) AS TABLE
WITH
asked AS (
    SELECT CAST(as_of_date AS DATE) AS at_date
),
-- Every (district, metric) with something to achieve, with the project's deadline.
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
        t.target + coalesce(t.target_extra, 0) AS target_total,
        r.deadline,
        asked.at_date
    FROM targets AS t
    JOIN metrics AS m ON m.metric_id = t.metric_id
    LEFT JOIN districts AS d ON d.district = t.district
    LEFT JOIN responsibilities AS r ON r.project_no = m.project_no
    CROSS JOIN asked
    WHERE m.kind <> 'city-only'
      AND t.target + coalesce(t.target_extra, 0) > 0
),
-- The last two current reports per (district, metric), newest first; a hash aggregate, not a sort,
-- so it stays close to a plain scan on large progress tables.
last_reports AS (
    SELECT
        p.district,
        p.metric_id,
        count(*) AS report_count,
        arg_max({'as_of': p.as_of, 'completed': p.completed}, (p.as_of, p.submission_id), 2) AS last_two
    FROM progress AS p
    JOIN submissions AS s ON s.id = p.submission_id
    CROSS JOIN asked
    WHERE s.superseded_by IS NULL
      AND p.as_of <= asked.at_date
    GROUP BY p.district, p.metric_id
),
-- Milestones that carry a number, one per (metric, due date) so the ASOF JOIN below is deterministic.
numeric_milestones AS (
    SELECT ms.metric_id, ms.due_date, ms.expected_ratio, ms.expected_rate, ms.text
    FROM milestones AS ms
    JOIN metrics AS m ON m.metric_id = ms.metric_id
    WHERE ms.expected_ratio IS NOT NULL
       OR (m.kind = 'rate' AND ms.expected_rate IS NOT NULL)
    QUALIFY row_number() OVER (
        PARTITION BY ms.metric_id, ms.due_date
        ORDER BY ms.expected_ratio DESC NULLS LAST, ms.expected_rate DESC NULLS LAST, ms.text
    ) = 1
),
-- The latest numeric milestone due on or before T (ASOF JOIN: greatest due_date <= at_date).
expectations AS (
    SELECT
        jp.*,
        nm.due_date AS milestone_due_date,
        nm.text AS milestone_text,
        CASE
            WHEN nm.due_date IS NULL THEN 0.0
            ELSE least(coalesce(nm.expected_ratio, nm.expected_rate / jp.target_total), 1.0)
        END AS expected_ratio
    FROM judged_pairs AS jp
    ASOF LEFT JOIN numeric_milestones AS nm
        ON nm.metric_id = jp.metric_id
       AND jp.at_date >= nm.due_date
),
standing AS (
    SELECT
        e.*,
        coalesce(lr.report_count, 0) AS report_count,
        lr.last_two[1].as_of AS last_report_date,
        lr.last_two[1].completed AS completed,
        lr.last_two[2].as_of AS previous_report_date,
        lr.last_two[2].completed AS previous_completed,
        lr.last_two[1].completed / e.target_total AS completion,
        e.expected_ratio - least(coalesce(lr.last_two[1].completed / e.target_total, 0.0), 1.0) AS gap
    FROM expectations AS e
    LEFT JOIN last_reports AS lr ON lr.district = e.district AND lr.metric_id = e.metric_id
),
conditions AS (
    SELECT
        *,
        completion IS NULL AS is_missing,
        at_date > deadline AND coalesce(completion, 0.0) < 1 AS is_overdue,
        report_count >= 2 AND completed <= previous_completed AND completion < 1 AS is_stalled,
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
    report_count,
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
        WHEN is_stalled THEN 'stalled'
        ELSE schedule_status
    END AS lag_status,
    (CASE WHEN is_missing THEN ['missing'] ELSE []::VARCHAR[] END)
        || (CASE WHEN is_overdue THEN ['overdue'] ELSE []::VARCHAR[] END)
        || (CASE WHEN is_stalled THEN ['stalled'] ELSE []::VARCHAR[] END)
        || [schedule_status] AS lag_flags,
    at_date AS as_of
FROM conditions
ORDER BY district_order NULLS LAST, district, project_no, k;
