-- ranking(as_of_date): the districts in order of how well they keep to schedule at a date
-- (docs/design.md, "Ranking"; the 晾曬通報 table). One row per district that has at least one target.
--
--     SELECT * FROM ranking(DATE '2024-09-30');
--     SET VARIABLE as_of = DATE '2024-09-30';  SELECT * FROM ranking(getvariable('as_of'));
--
-- Built on lag(as_of_date) (lag.sql), which defines completion and expected_ratio per metric.
--   completion           mean over the district's metrics (equal weight) of min(completion, 1);
--                        a metric with nothing reported counts 0.
--   schedule_attainment  mean of min(completion / expected_ratio, 1) over the metrics with
--                        expected_ratio > 0; NULL when no numeric milestone is due yet for any of them.
--   Both are rounded to 9 decimals, so that equal scores compare equal whatever the summation order.
-- Order: schedule_attainment descending (NULL last), then completion descending, then district_order
-- (the column order of 附件2, 市本級 first). `rank` is that total order, 1..n, never repeated.
-- Ties are explicit: `tied` is true when another district has the same schedule_attainment and
-- completion (they were separated by district_order only), and `tie_rank` is the competition rank
-- (1, 2, 2, 4) of the score alone.
CREATE OR REPLACE MACRO ranking(as_of_date) AS TABLE
WITH
per_district AS (
    SELECT
        district,
        district_order,
        count(*) AS metric_count,
        count(*) FILTER (WHERE expected_ratio > 0) AS expected_metric_count,
        count(*) FILTER (WHERE lag_status = 'missing') AS missing_count,
        -- lag_flags holds 'seriously_behind' exactly when this is so; asking the gap spares building the lists.
        count(*) FILTER (WHERE lag_schedule_status(gap) = 'seriously_behind') AS seriously_behind_count,
        round(avg(least(coalesce(completion, 0.0), 1.0)), 9) AS completion,
        round(
            avg(least(coalesce(completion, 0.0) / expected_ratio, 1.0)) FILTER (WHERE expected_ratio > 0),
            9
        ) AS schedule_attainment
    FROM lag(as_of_date)
    GROUP BY district, district_order
)
SELECT
    row_number() OVER (
        ORDER BY schedule_attainment DESC NULLS LAST, completion DESC, district_order NULLS LAST, district
    ) AS rank,
    district,
    schedule_attainment,
    completion,
    rank() OVER (ORDER BY schedule_attainment DESC NULLS LAST, completion DESC) AS tie_rank,
    count(*) OVER (PARTITION BY schedule_attainment, completion) > 1 AS tied,
    metric_count,
    expected_metric_count,
    missing_count,
    seriously_behind_count,
    district_order,
    CAST(as_of_date AS DATE) AS as_of
FROM per_district
ORDER BY rank;
