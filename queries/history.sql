-- history(): every progress file loaded, per district and date, including the ones a later file for the
-- same district and date superseded (both are kept: docs/design.md, "The store"). One row per submission.
--
--     SELECT * FROM history();
--     SELECT * FROM history() WHERE district = '上城區' AND NOT is_current;
--
--   is_current     false when a later file for the same district and as_of replaced this one;
--                  superseded_by then names it (submissions.id).
--   row_count      how many metric rows the file reported.
CREATE OR REPLACE MACRO history() AS TABLE
SELECT
    s.district,
    d.district_order,
    s.as_of,
    s.id AS submission_id,
    s.file_name,
    s.sha256,
    s.loaded_at,
    s.superseded_by,
    s.superseded_by IS NULL AS is_current,
    count(p.metric_id) AS row_count
FROM submissions AS s
LEFT JOIN districts AS d ON d.district = s.district
LEFT JOIN progress AS p ON p.submission_id = s.id
GROUP BY ALL
ORDER BY d.district_order NULLS LAST, s.district, s.as_of, s.id;
