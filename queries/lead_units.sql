-- The city's lead departments (牽頭單位) all year (docs/design.md, "Ranking"; the notice asks them to
-- guide the districts on the tasks they split): their progress over the (district, metric) pairs of the
-- projects they lead, read from lag(as_of_date) (lag.sql) and project_lead_units, so a department's view
-- can never disagree with the districts'.
--
--     SELECT * FROM lead_unit_ranking(DATE '2024-09-30');
--     SELECT * FROM lead_unit_lag(DATE '2024-09-30') WHERE lead_unit = '市民政局' AND lag_status <> 'on_track';

-- lead_unit_lag(as_of_date): lag(as_of_date) with the lead unit of each pair's project: one row per
-- (lead unit, district, metric); a project led by two units appears under both.
CREATE OR REPLACE MACRO lead_unit_lag(as_of_date) AS TABLE
SELECT plu.lead_unit, lu.lead_unit_order, l.*
FROM lag(as_of_date) AS l
JOIN project_lead_units AS plu ON plu.project_no = l.project_no
JOIN lead_units AS lu ON lu.lead_unit = plu.lead_unit;

-- lead_unit_ranking(as_of_date): the lead units in order of how well their projects keep to schedule,
-- as ranking.sql ranks districts: schedule_attainment = mean of min(completion / expected_ratio, 1) over
-- the pairs with expected_ratio > 0 (NULL when none is due), completion = mean capped completion (a pair
-- with nothing reported counts 0), both rounded to 9 decimals; rank is the total order (then
-- lead_unit_order, the order of its first project in 附件2); tie_rank and tied say where only that order
-- separated units. project_count, district_count, metric_count and pair_count say what each carries.
CREATE OR REPLACE MACRO lead_unit_ranking(as_of_date) AS TABLE
WITH
per_unit AS (
    SELECT
        lead_unit,
        lead_unit_order,
        count(DISTINCT project_no) AS project_count,
        count(DISTINCT metric_id) AS metric_count,
        count(DISTINCT district) AS district_count,
        count(*) AS pair_count,
        count(*) FILTER (WHERE expected_ratio > 0) AS expected_pair_count,
        count(*) FILTER (WHERE lag_status = 'missing') AS missing_count,
        count(*) FILTER (WHERE list_contains(lag_flags, 'seriously_behind')) AS seriously_behind_count,
        round(avg(least(coalesce(completion, 0.0), 1.0)), 9) AS completion,
        round(
            avg(least(coalesce(completion, 0.0) / expected_ratio, 1.0)) FILTER (WHERE expected_ratio > 0),
            9
        ) AS schedule_attainment
    FROM lead_unit_lag(as_of_date)
    GROUP BY lead_unit, lead_unit_order
)
SELECT
    row_number() OVER (
        ORDER BY schedule_attainment DESC NULLS LAST, completion DESC, lead_unit_order, lead_unit
    ) AS rank,
    lead_unit,
    schedule_attainment,
    completion,
    rank() OVER (ORDER BY schedule_attainment DESC NULLS LAST, completion DESC) AS tie_rank,
    count(*) OVER (PARTITION BY schedule_attainment, completion) > 1 AS tied,
    project_count,
    district_count,
    metric_count,
    pair_count,
    expected_pair_count,
    missing_count,
    seriously_behind_count,
    lead_unit_order,
    CAST(as_of_date AS DATE) AS as_of
FROM per_unit
ORDER BY rank;
