-- forecast(as_of_date): at the pace of its last two reports, when will each district finish each
-- metric, and is that after the project's deadline? (docs/design.md, "Forecast"). One row per
-- (district, metric), like lag(as_of_date), which it is built on; rows in no particular order.
--
--     SELECT * FROM forecast(DATE '2024-09-30') WHERE after_deadline;
--
--   pace_per_day     (completed − previous_completed) / target_total / days between the two reports:
--                    completion gained per day between the last two reports on or before T.
--   forecast_date    last_report_date + ceil((1 − completion) / pace_per_day) days (the quotient is
--                    rounded to 9 decimals first); NULL when there is no positive pace, or when it
--                    would be more than 36500 days away.
--   forecast_status  done             completion ≥ 1 already
--                    missing          nothing reported by T
--                    too_few_reports  a single report: no pace yet
--                    no_progress      the last two reports show no increase
--                    projected        forecast_date computed (or too far away to date)
--   after_deadline   projected: forecast_date > deadline (true when too far away to date);
--                    no_progress: true (it will not finish at this pace); done: false;
--                    NULL when the project has no deadline or there is no pace to judge.
CREATE OR REPLACE MACRO forecast(as_of_date) AS TABLE
WITH
paced AS (
    SELECT
        *,
        CASE
            WHEN previous_report_date IS NOT NULL
            THEN (completed - previous_completed) / target_total / (last_report_date - previous_report_date)
        END AS pace_per_day
    FROM lag(as_of_date)
),
projected AS (
    SELECT
        *,
        CASE
            WHEN completion IS NULL THEN 'missing'
            WHEN completion >= 1 THEN 'done'
            WHEN previous_report_date IS NULL THEN 'too_few_reports'
            WHEN pace_per_day <= 0 THEN 'no_progress'
            ELSE 'projected'
        END AS forecast_status,
        CASE
            WHEN completion < 1 AND pace_per_day > 0 THEN ceil(round((1 - completion) / pace_per_day, 9))
        END AS days_to_finish
    FROM paced
)
SELECT
    district,
    district_order,
    project_no,
    k,
    metric_id,
    label,
    previous_report_date,
    previous_completed,
    last_report_date,
    completed,
    completion,
    pace_per_day,
    CASE
        WHEN forecast_status = 'projected' AND days_to_finish <= 36500
        THEN last_report_date + CAST(days_to_finish AS INTEGER)
    END AS forecast_date,
    deadline,
    CASE
        WHEN deadline IS NULL THEN NULL
        WHEN forecast_status = 'done' THEN false
        WHEN forecast_status = 'no_progress' THEN true
        WHEN forecast_status = 'projected' AND days_to_finish > 36500 THEN true
        WHEN forecast_status = 'projected' THEN last_report_date + CAST(days_to_finish AS INTEGER) > deadline
    END AS after_deadline,
    forecast_status,
    as_of
FROM projected;
