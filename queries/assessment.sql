-- assessment(assessment_year, as_of_date := NULL): the year-end assessment (績效考核; docs/design.md,
-- "The year-end assessment"), one row per assessee and component, scored by the year's rules.
--
--     SELECT * FROM assessment(2024);                                       -- at 2024-12-31
--     SELECT * FROM assessment(2024, as_of_date := DATE '2024-11-30');
--     SELECT DISTINCT assessee_type, rank, assessee, total, tier, award_candidate
--     FROM assessment(2024) ORDER BY assessee_type, rank;                   -- one row per assessee
--
-- The rules are the latest rules file loaded for the year (assessment_files, kind 'rules'); the inputs
-- are the current rows of the input files (assessment_scores, participation_records: a later file
-- supersedes an earlier one's rows for the same project or unit), the progress reports (lag.sql), and,
-- when the supervision tables are present, the 掛牌督辦 cases and the bulletins.
--
-- Measures (T = as_of_date, default 31 December of the year; a pair = a (district, metric) with a target):
--   completion     Σ weight × min(completion, 1) / Σ weight over the assessee's pairs at T (lag.sql);
--                  a pair with nothing reported counts 0 (as ranking.sql), and is counted in items_missing.
--   schedule       the mean, over the month ends of the year up to T at which some numeric milestone of the
--                  assessee's pairs is due, of Σ weight × min(completion / expected, 1) / Σ weight over
--                  the pairs with expected > 0 (ranking.sql's schedule attainment, weighted), each pair
--                  judged at the month end as lag() judges it.
--   satisfaction,  per project of the assessee (a district: the projects it has a target in; a lead unit:
--   third_party    the projects it leads) the score ÷ the file's scale — a district's own row, else the
--                  project's; a lead unit's project row, else the mean of its district rows — then the
--                  mean over the projects that have one.
--   participation  the 次數 recorded for the assessee in the year up to T.
--   workload       the pairs a lead unit's projects hold (its tasks split across districts).
--   bulletins      times praised and times named by the year's current bulletins up to T.
-- The weight of a metric is its row in assessment_weights; 1 when not listed.
--
-- A measure is 'scored', 'missing' (inputs exist for the year but none for this assessee) or
-- 'not_recorded' (nothing of that kind is recorded for the year at all). A missing measure is never a
-- zero: its points are NULL and the component's when_missing says what the total does: 'rescale' (the
-- assessee's scored components are multiplied by rescale_factor = (their full points + the full points of
-- the missing 'rescale' components) / their full points) or 'omit' (it adds nothing). Participation and
-- bulletins have counts: an assessee with nothing recorded, in a year that has records, counts 0.
--
-- Methods (points of a scored component before rescaling: raw_points):
--   linear     points × clamp((measure − lower_bound) / (upper_bound − lower_bound), 0, 1)
--   bands      the points of the band with lower_bound ≤ measure < upper_bound (measures rounded to 9 decimals)
--   rank       the points of measure_rank, the competition rank (1, 2, 2, 4) of the measure among the
--              assessees of the type with a scored measure, higher first
--   per_event  clamp(base_points + plus_points × plus_events − minus_points × minus_events, min_points, points)
--   then case_deduction × case_count is taken off (not below the floor: min_points, or 0), when the
--   supervision tables hold a case for the year; otherwise case_count is NULL and nothing is taken off.
-- points = round(raw_points × rescale_factor, 4); total = the sum of the assessee's points (so a total
-- always equals the sum of its components' points); NULL when every component is missing.
-- rank: total order by total (NULL last), then the assessee's order (附件2 column order; a lead unit's
-- first project), then name; tie_rank the competition rank of the total; tied when another assessee of
-- the type has the same total. tier: the best tier whose min_total ≤ total. award_candidate: the tier is
-- award-eligible and tie_rank ≤ the type's award_quota.

-- The id of the year's rules: the latest rules file loaded for it.
CREATE OR REPLACE MACRO assessment_rules_file(assessment_year) AS (
    SELECT max(id) FROM assessment_files WHERE kind = 'rules' AND year = CAST(assessment_year AS INTEGER)
);

-- The current score rows of a kind ('satisfaction' or 'third_party') for a year: for each project, the rows
-- of the latest file that lists it.
CREATE OR REPLACE MACRO assessment_current_scores(assessment_year, score_kind) AS TABLE
SELECT s.*, f.kind
FROM assessment_scores AS s
JOIN assessment_files AS f ON f.id = s.file_id
WHERE f.kind = score_kind AND f.year = CAST(assessment_year AS INTEGER)
QUALIFY s.file_id = max(s.file_id) OVER (PARTITION BY s.project_no);

-- The current participation records of a year: for each unit, the rows of the latest file that lists it.
CREATE OR REPLACE MACRO assessment_current_participation(assessment_year) AS TABLE
SELECT r.*
FROM participation_records AS r
JOIN assessment_files AS f ON f.id = r.file_id
WHERE f.kind = 'participation' AND f.year = CAST(assessment_year AS INTEGER)
QUALIFY r.file_id = max(r.file_id) OVER (PARTITION BY r.assessee_type, r.assessee);

-- assessment_pairs(assessment_year, as_of_date): every (district, metric) pair of lag(T) with its weight
-- under the year's rules, once for the district and once for each lead unit of its project. The
-- completion and workload measures, and `minsheng assess explain`, read it.
CREATE OR REPLACE MACRO assessment_pairs(assessment_year, as_of_date := NULL) AS TABLE
WITH
pairs AS (
    SELECT l.*, coalesce(w.weight, 1.0) AS weight
    FROM lag(coalesce(CAST(as_of_date AS DATE), make_date(CAST(assessment_year AS INTEGER), 12, 31))) AS l
    LEFT JOIN assessment_weights AS w
        ON w.file_id = assessment_rules_file(assessment_year) AND w.metric_id = l.metric_id
)
SELECT 'district' AS assessee_type, district AS assessee, * FROM pairs
UNION ALL
SELECT 'lead_unit' AS assessee_type, plu.lead_unit AS assessee, pairs.*
FROM pairs JOIN project_lead_units AS plu ON plu.project_no = pairs.project_no;

CREATE OR REPLACE MACRO assessment(assessment_year, as_of_date := NULL) AS TABLE
WITH
params AS (
    SELECT
        CAST(assessment_year AS INTEGER) AS year,
        coalesce(CAST(as_of_date AS DATE), make_date(CAST(assessment_year AS INTEGER), 12, 31)) AS at_date,
        assessment_rules_file(assessment_year) AS rules_file
),
settings AS (
    SELECT s.* FROM assessment_settings AS s, params WHERE s.file_id = params.rules_file
),
assessees AS (
    SELECT
        a.assessee_type,
        a.assessee,
        coalesce(d.district_order, lu.lead_unit_order) AS assessee_order
    FROM assessment_assessees AS a
    JOIN params ON a.file_id = params.rules_file
    JOIN settings AS s ON s.assessee_type = a.assessee_type
    LEFT JOIN districts AS d ON a.assessee_type = 'district' AND d.district = a.assessee
    LEFT JOIN lead_units AS lu ON a.assessee_type = 'lead_unit' AND lu.lead_unit = a.assessee
    WHERE a.included
),
components AS (
    SELECT c.* EXCLUDE (file_id) FROM assessment_components AS c, params WHERE c.file_id = params.rules_file
),
pairs AS MATERIALIZED (
    SELECT * FROM assessment_pairs(assessment_year, as_of_date := as_of_date)
),
-- completion and workload: the pairs at T.
pair_measures AS (
    SELECT
        assessee_type,
        assessee,
        sum(weight * least(coalesce(completion, 0.0), 1.0)) / nullif(sum(weight), 0) AS completion,
        count(*) AS pair_count,
        count(*) FILTER (WHERE completion IS NULL) AS unreported_count,
        count(DISTINCT project_no) AS project_count,
        count(DISTINCT metric_id) AS metric_count,
        count(DISTINCT district) AS district_count
    FROM pairs
    GROUP BY assessee_type, assessee
),
-- schedule: the weighted schedule attainment at each month end of the year up to T, then their mean.
-- A pair at a month end is judged as lag() judges it at that date — its latest current report then
-- (current_progress) against the latest numeric milestone then (numeric_milestones,
-- milestone_expectation) — in one pass over the year rather than twelve calls of lag().
month_ends AS (
    SELECT last_day(make_date(params.year, m, 1)) AS month_end
    FROM params, range(1, 13) AS r(m)
    WHERE last_day(make_date(params.year, m, 1)) <= params.at_date
),
month_expectations AS (
    SELECT x.metric_id, x.month_end, nm.due_date, nm.expected_ratio, nm.expected_rate
    FROM (SELECT m.metric_id, me.month_end FROM metrics AS m, month_ends AS me) AS x
    ASOF LEFT JOIN numeric_milestones AS nm
        ON nm.metric_id = x.metric_id
       AND x.month_end >= nm.due_date
),
month_completions AS (
    SELECT x.district, x.metric_id, x.target_total, x.month_end, cp.completion
    FROM (SELECT jt.district, jt.metric_id, jt.target_total, me.month_end FROM judged_targets AS jt, month_ends AS me) AS x
    ASOF LEFT JOIN current_progress AS cp
        ON cp.district = x.district
       AND cp.metric_id = x.metric_id
       AND x.month_end >= cp.as_of
),
month_district_pairs AS (
    SELECT
        mc.district,
        m.project_no,
        mc.metric_id,
        month(mc.month_end) AS month,
        mc.completion,
        CASE
            WHEN me.due_date IS NULL THEN 0.0
            ELSE milestone_expectation(me.expected_ratio, me.expected_rate, mc.target_total)
        END AS expected_ratio,
        coalesce(w.weight, 1.0) AS weight
    FROM month_completions AS mc
    JOIN month_expectations AS me ON me.metric_id = mc.metric_id AND me.month_end = mc.month_end
    JOIN metrics AS m ON m.metric_id = mc.metric_id
    LEFT JOIN assessment_weights AS w ON w.file_id = (SELECT rules_file FROM params) AND w.metric_id = mc.metric_id
),
month_pairs AS (
    SELECT 'district' AS assessee_type, district AS assessee, * FROM month_district_pairs
    UNION ALL
    SELECT 'lead_unit' AS assessee_type, plu.lead_unit AS assessee, mdp.*
    FROM month_district_pairs AS mdp JOIN project_lead_units AS plu ON plu.project_no = mdp.project_no
),
month_attainment AS (
    SELECT
        assessee_type,
        assessee,
        month,
        sum(weight * least(coalesce(completion, 0.0) / expected_ratio, 1.0)) FILTER (WHERE expected_ratio > 0)
            / nullif(sum(weight) FILTER (WHERE expected_ratio > 0), 0) AS attainment
    FROM month_pairs
    GROUP BY assessee_type, assessee, month
),
schedule_measures AS (
    SELECT assessee_type, assessee, avg(attainment) AS schedule, count(attainment) AS month_count
    FROM month_attainment
    GROUP BY assessee_type, assessee
),
-- satisfaction and third_party: per project of the assessee, its score ÷ scale.
score_rows AS MATERIALIZED (
    SELECT kind, project_no, district, score / scale AS ratio FROM assessment_current_scores(assessment_year, 'satisfaction')
    UNION ALL
    SELECT kind, project_no, district, score / scale AS ratio FROM assessment_current_scores(assessment_year, 'third_party')
),
project_scores AS (
    SELECT
        kind,
        project_no,
        avg(ratio) FILTER (WHERE district IS NULL) AS whole,
        avg(ratio) FILTER (WHERE district IS NOT NULL) AS district_mean
    FROM score_rows
    GROUP BY kind, project_no
),
score_kinds AS (
    SELECT DISTINCT kind FROM score_rows
),
district_project_scores AS (
    SELECT k.kind, dp.assessee, dp.project_no, coalesce(own.ratio, ps.whole) AS ratio
    FROM (SELECT DISTINCT assessee, project_no FROM pairs WHERE assessee_type = 'district') AS dp
    CROSS JOIN score_kinds AS k
    LEFT JOIN score_rows AS own ON own.kind = k.kind AND own.project_no = dp.project_no AND own.district = dp.assessee
    LEFT JOIN project_scores AS ps ON ps.kind = k.kind AND ps.project_no = dp.project_no
),
lead_unit_project_scores AS (
    SELECT k.kind, plu.lead_unit AS assessee, plu.project_no, coalesce(ps.whole, ps.district_mean) AS ratio
    FROM project_lead_units AS plu
    CROSS JOIN score_kinds AS k
    LEFT JOIN project_scores AS ps ON ps.kind = k.kind AND ps.project_no = plu.project_no
),
score_measures AS (
    SELECT 'district' AS assessee_type, assessee, kind AS source, avg(ratio) AS measure, count(*) AS items, count(*) - count(ratio) AS items_missing
    FROM district_project_scores
    GROUP BY kind, assessee
    UNION ALL
    SELECT 'lead_unit' AS assessee_type, assessee, kind AS source, avg(ratio) AS measure, count(*) AS items, count(*) - count(ratio) AS items_missing
    FROM lead_unit_project_scores
    GROUP BY kind, assessee
),
-- participation: the times recorded in the year up to T.
participation AS (
    SELECT r.*
    FROM assessment_current_participation(assessment_year) AS r, params
    WHERE r.on_date <= params.at_date
),
participation_measures AS (
    SELECT assessee_type, assessee, sum(times) AS times, count(*) AS records
    FROM participation
    GROUP BY assessee_type, assessee
),
-- bulletins: the year's current bulletins up to T (queries/supervision.sql), who they praised and named.
year_bulletins AS (
    SELECT b.bulletin_id
    FROM bulletins AS b, params
    WHERE b.superseded_by IS NULL AND year(b.as_of) = params.year AND b.as_of <= params.at_date
),
bulletin_measures AS (
    SELECT
        district AS assessee,
        count(*) FILTER (WHERE mention = 'praised') AS praised,
        count(*) FILTER (WHERE mention = 'named') AS named
    FROM current_mentions()
    WHERE bulletin_id IN (SELECT bulletin_id FROM year_bulletins)
    GROUP BY district
),
-- 掛牌督辦: the cases opened in the year up to T (cases_at, queries/supervision.sql), each counted once,
-- for the district and for the lead units of its project.
year_cases AS (
    SELECT c.case_id, c.district, c.project_no
    FROM cases_at((SELECT at_date FROM params)) AS c, params
    WHERE year(c.opened_on) = params.year
),
case_counts AS (
    SELECT 'district' AS assessee_type, district AS assessee, count(*) AS cases FROM year_cases GROUP BY district
    UNION ALL
    SELECT 'lead_unit' AS assessee_type, plu.lead_unit AS assessee, count(*) AS cases
    FROM year_cases AS yc JOIN project_lead_units AS plu ON plu.project_no = yc.project_no
    GROUP BY plu.lead_unit
),
recorded AS (
    SELECT
        (SELECT count(*) > 0 FROM score_rows WHERE kind = 'satisfaction') AS satisfaction,
        (SELECT count(*) > 0 FROM score_rows WHERE kind = 'third_party') AS third_party,
        (SELECT count(*) > 0 FROM participation) AS participation,
        (SELECT count(*) > 0 FROM year_bulletins) AS bulletins,
        (SELECT count(*) FROM year_bulletins) AS bulletin_count,
        (SELECT count(*) > 0 FROM year_cases) AS cases
),
-- One row per assessee and component, with what its source measured.
sourced AS (
    SELECT
        a.assessee_type,
        a.assessee,
        a.assessee_order,
        c.* EXCLUDE (assessee_type),
        CASE c.source
            WHEN 'completion' THEN TRUE
            WHEN 'schedule' THEN TRUE
            WHEN 'workload' THEN TRUE
            WHEN 'satisfaction' THEN rec.satisfaction
            WHEN 'third_party' THEN rec.third_party
            WHEN 'participation' THEN rec.participation
            WHEN 'bulletins' THEN rec.bulletins
        END AS source_recorded,
        CASE c.source
            WHEN 'completion' THEN pm.completion
            WHEN 'schedule' THEN sm.schedule
            WHEN 'satisfaction' THEN scm.measure
            WHEN 'third_party' THEN scm.measure
            WHEN 'participation' THEN coalesce(pam.times, 0)
            WHEN 'workload' THEN pm.pair_count
            WHEN 'bulletins' THEN coalesce(bm.praised, 0) - coalesce(bm.named, 0)
        END AS raw_measure,
        CASE c.source
            WHEN 'completion' THEN pm.pair_count
            WHEN 'workload' THEN pm.project_count
            WHEN 'schedule' THEN sm.month_count
            WHEN 'satisfaction' THEN scm.items
            WHEN 'third_party' THEN scm.items
            WHEN 'participation' THEN coalesce(pam.records, 0)
            WHEN 'bulletins' THEN rec.bulletin_count
        END AS items,
        CASE c.source
            WHEN 'completion' THEN pm.unreported_count
            WHEN 'satisfaction' THEN scm.items_missing
            WHEN 'third_party' THEN scm.items_missing
        END AS items_missing,
        CASE c.source
            WHEN 'participation' THEN coalesce(pam.times, 0)
            WHEN 'bulletins' THEN coalesce(bm.praised, 0)
        END AS plus_events,
        CASE c.source WHEN 'bulletins' THEN coalesce(bm.named, 0) END AS minus_events,
        CASE c.source
            WHEN 'workload' THEN to_json({'projects': pm.project_count, 'metrics': pm.metric_count, 'districts': pm.district_count, 'tasks': pm.pair_count})
            WHEN 'completion' THEN to_json({'pairs': pm.pair_count, 'unreported': pm.unreported_count})
        END AS detail,
        CASE WHEN rec.cases THEN coalesce(cc.cases, 0) END AS case_count
    FROM assessees AS a
    JOIN components AS c ON c.assessee_type = a.assessee_type
    CROSS JOIN recorded AS rec
    LEFT JOIN pair_measures AS pm ON pm.assessee_type = a.assessee_type AND pm.assessee = a.assessee
    LEFT JOIN schedule_measures AS sm ON sm.assessee_type = a.assessee_type AND sm.assessee = a.assessee
    LEFT JOIN score_measures AS scm ON scm.assessee_type = a.assessee_type AND scm.assessee = a.assessee AND scm.source = c.source
    LEFT JOIN participation_measures AS pam ON pam.assessee_type = a.assessee_type AND pam.assessee = a.assessee
    LEFT JOIN bulletin_measures AS bm ON a.assessee_type = 'district' AND bm.assessee = a.assessee
    LEFT JOIN case_counts AS cc ON cc.assessee_type = a.assessee_type AND cc.assessee = a.assessee
),
measured AS (
    SELECT
        * EXCLUDE (raw_measure, source_recorded),
        CASE WHEN source_recorded THEN round(raw_measure, 9) END AS measure,
        CASE
            WHEN NOT source_recorded THEN 'not_recorded'
            WHEN raw_measure IS NULL THEN 'missing'
            ELSE 'scored'
        END AS measure_status
    FROM sourced
),
ranked AS (
    SELECT
        *,
        CASE WHEN method = 'rank' AND measure_status = 'scored' THEN
            rank() OVER (PARTITION BY assessee_type, component, measure_status ORDER BY measure DESC)
        END AS measure_rank
    FROM measured
),
method_scored AS (
    SELECT
        r.*,
        CASE
            WHEN r.measure_status <> 'scored' THEN NULL
            WHEN r.method = 'linear' THEN r.points * greatest(0.0, least(1.0, (r.measure - r.lower_bound) / (r.upper_bound - r.lower_bound)))
            WHEN r.method = 'bands' THEN b.points
            WHEN r.method = 'rank' THEN rp.points
            WHEN r.method = 'per_event' THEN greatest(
                coalesce(r.min_points, 0.0),
                least(r.points, r.base_points + coalesce(r.plus_points, 0.0) * r.plus_events - coalesce(r.minus_points, 0.0) * coalesce(r.minus_events, 0)))
        END AS method_points
    FROM ranked AS r
    CROSS JOIN params
    LEFT JOIN assessment_bands AS b
        ON r.method = 'bands' AND b.file_id = params.rules_file AND b.assessee_type = r.assessee_type AND b.component = r.component
       AND (b.lower_bound IS NULL OR r.measure >= b.lower_bound)
       AND (b.upper_bound IS NULL OR r.measure < b.upper_bound)
    LEFT JOIN assessment_rank_points AS rp
        ON r.method = 'rank' AND rp.file_id = params.rules_file AND rp.assessee_type = r.assessee_type AND rp.component = r.component
       AND r.measure_rank >= rp.rank_from AND (rp.rank_to IS NULL OR r.measure_rank <= rp.rank_to)
),
deducted AS (
    SELECT
        *,
        CASE WHEN method_points IS NOT NULL AND case_deduction > 0 AND case_count IS NOT NULL
            -- Points off per case, never below the component's floor (its 最低得分, else 0).
            THEN least(case_deduction * case_count, method_points - least(method_points, coalesce(min_points, 0.0)))
        END AS case_points
    FROM method_scored
),
factors AS (
    SELECT
        assessee_type,
        assessee,
        (sum(points) FILTER (WHERE measure_status = 'scored')
            + coalesce(sum(points) FILTER (WHERE measure_status <> 'scored' AND when_missing = 'rescale'), 0))
            / nullif(sum(points) FILTER (WHERE measure_status = 'scored'), 0) AS rescale_factor
    FROM deducted
    GROUP BY assessee_type, assessee
),
component_points AS (
    SELECT
        d.*,
        d.method_points - coalesce(d.case_points, 0.0) AS raw_points,
        f.rescale_factor,
        round((d.method_points - coalesce(d.case_points, 0.0)) * f.rescale_factor, 4) AS scored_points
    FROM deducted AS d
    JOIN factors AS f ON f.assessee_type = d.assessee_type AND f.assessee = d.assessee
),
totals AS (
    SELECT assessee_type, assessee, any_value(assessee_order) AS assessee_order, round(sum(scored_points), 4) AS total
    FROM component_points
    GROUP BY assessee_type, assessee
),
ranked_totals AS (
    SELECT
        *,
        row_number() OVER (PARTITION BY assessee_type ORDER BY total DESC NULLS LAST, assessee_order NULLS LAST, assessee) AS rank,
        rank() OVER (PARTITION BY assessee_type ORDER BY total DESC NULLS LAST) AS tie_rank,
        total IS NOT NULL AND count(*) OVER (PARTITION BY assessee_type, total) > 1 AS tied
    FROM totals
),
tiered AS (
    SELECT rt.*, ti.tier, coalesce(ti.award_eligible, false) AND rt.tie_rank <= s.award_quota AS award_candidate
    FROM ranked_totals AS rt
    CROSS JOIN params
    JOIN settings AS s ON s.assessee_type = rt.assessee_type
    LEFT JOIN assessment_tiers AS ti
        ON ti.file_id = params.rules_file AND ti.assessee_type = rt.assessee_type
       AND rt.total IS NOT NULL AND (ti.min_total IS NULL OR rt.total >= ti.min_total)
    QUALIFY row_number() OVER (PARTITION BY rt.assessee_type, rt.assessee ORDER BY ti.tier_order NULLS LAST) = 1
)
SELECT
    p.year,
    p.at_date AS as_of,
    cp.assessee_type,
    cp.assessee,
    cp.assessee_order,
    t.rank,
    t.tie_rank,
    t.tied,
    t.total,
    t.tier,
    t.award_candidate,
    cp.component_no,
    cp.component,
    cp.source,
    cp.method,
    cp.points AS full_points,
    cp.lower_bound,
    cp.upper_bound,
    cp.base_points,
    cp.plus_points,
    cp.minus_points,
    cp.min_points,
    cp.case_deduction,
    cp.measure,
    cp.measure_status,
    cp.measure_rank,
    cp.items,
    cp.items_missing,
    cp.plus_events,
    cp.minus_events,
    cp.case_count,
    cp.case_points,
    cp.method_points,
    cp.raw_points,
    cp.when_missing,
    cp.rescale_factor,
    cp.scored_points AS points,
    cp.detail,
    p.rules_file
FROM component_points AS cp
JOIN tiered AS t ON t.assessee_type = cp.assessee_type AND t.assessee = cp.assessee
CROSS JOIN params AS p;
