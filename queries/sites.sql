-- site_check(as_of_date, site_metric_ids): the 點位 lists reconciled with 附件2 and with the progress reports
-- (docs/design.md, "The supervision loop"). One row per (district, metric) that is counted in sites, for
-- every district with a site list loaded (`minsheng sites load`; only each district's current list
-- counts).
--
--     SET VARIABLE site_metrics = (SELECT list(metric_id) FROM metrics
--         WHERE kind IN ('count', 'compound') AND unit IN ('個', '个', '家', '處', '处', '座', '所'));
--     SELECT * FROM site_check(DATE '2024-09-30', getvariable('site_metrics')) WHERE len(check_flags) > 0;
--
-- Counted in sites: the metrics in `site_metric_ids`, which `minsheng sites` takes from
-- core/sites/siteMetrics.ts (count and compound metrics whose unit counts places: 個, 家, 處, 座, 所).
-- Other metrics may have sites listed; they are not reconciled.
--   target_total     the district's target (compound "5(4)個": 9), from lag(as_of_date)
--   site_count       sites listed for the pair
--   finished_count   sites with status finished and finished_on on or before as_of_date
--   completed        the 累計完成 the district reported at as_of_date (lag.sql; NULL: nothing reported)
-- check_flags, every one that applies:
--   unlisted                 no site listed for the pair at all
--   count_mismatch           site_count <> target_total (as many sites as the target, no more, no less)
--   reported_above_finished  completed > finished_count: more reported done than sites finished
--   reported_below_finished  completed < finished_count: sites finished that the report does not count
CREATE OR REPLACE MACRO site_check(as_of_date, site_metric_ids) AS TABLE
WITH
current_lists AS (
    SELECT id, district, file_name
    FROM site_lists
    WHERE superseded_by IS NULL
),
listed AS (
    SELECT
        s.district,
        s.metric_id,
        count(*) AS site_count,
        count(*) FILTER (WHERE s.status = 'finished' AND s.finished_on <= CAST(as_of_date AS DATE)) AS finished_count,
        count(*) FILTER (WHERE s.status = 'in_progress') AS in_progress_count,
        count(*) FILTER (WHERE s.status = 'not_started') AS not_started_count
    FROM sites AS s
    JOIN current_lists AS cl ON cl.id = s.site_list_id
    GROUP BY s.district, s.metric_id
),
pairs AS (
    SELECT
        l.district,
        l.district_order,
        l.project_no,
        l.k,
        l.metric_id,
        l.label,
        l.unit,
        l.target_total,
        l.completed,
        l.last_report_date,
        cl.file_name AS site_list_file,
        coalesce(x.site_count, 0) AS site_count,
        coalesce(x.finished_count, 0) AS finished_count,
        coalesce(x.in_progress_count, 0) AS in_progress_count,
        coalesce(x.not_started_count, 0) AS not_started_count,
        l.as_of
    FROM lag(as_of_date) AS l
    JOIN current_lists AS cl ON cl.district = l.district
    LEFT JOIN listed AS x ON x.district = l.district AND x.metric_id = l.metric_id
    WHERE list_contains(site_metric_ids, l.metric_id)
)
SELECT
    *,
    (CASE WHEN site_count = 0 THEN ['unlisted'] ELSE []::VARCHAR[] END)
        || (CASE WHEN site_count <> target_total THEN ['count_mismatch'] ELSE []::VARCHAR[] END)
        || (CASE WHEN completed > finished_count THEN ['reported_above_finished'] ELSE []::VARCHAR[] END)
        || (CASE WHEN completed < finished_count THEN ['reported_below_finished'] ELSE []::VARCHAR[] END) AS check_flags
FROM pairs;
