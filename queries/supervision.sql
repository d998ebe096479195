-- The supervision loop (docs/design.md, "The supervision loop"): 掛牌督辦 cases followed to
-- closure and checked again (督查回頭看), and what the 晾曬通報 bulletins said. The tables are in
-- schema.sql (supervision_cases, supervision_events, bulletins, bulletin_mentions); `minsheng supervise`
-- and `minsheng bulletin` write them, these macros read them. Judging a pair at a date is lag.sql's:
-- these macros call lag(as_of_date) and never restate its thresholds.
--
--     SELECT * FROM cases_at(DATE '2024-10-31');                         -- every case as it stood then
--     SELECT district, count(*) FROM cases_at(DATE '2024-10-31') GROUP BY district;
--     SELECT * FROM supervision_candidates(DATE '2024-09-30');           -- what `supervise open` opens
--     SELECT * FROM supervision_review(DATE '2024-10-31', 30);           -- what `supervise review` records
--     SELECT * FROM case_events(DATE '2024-09-30', DATE '2024-10-31');   -- what happened in between
--     SELECT * FROM current_mentions();                                  -- who the bulletins praised and named


-- supervision_standing(as_of_date): each judged (district, metric) of lag(as_of_date), with the two
-- questions the supervision loop asks of it.
--   is_candidate   seriously behind (lag_flags holds 'seriously_behind'): a 掛牌督辦 candidate, whatever
--                  else also applies (overdue, missing), as ranking.sql counts them.
--   back_on_track  a case on this pair is closed (銷號): something was reported (not 'missing') and the
--                  pair is on schedule ('on_track': gap ≤ 0) or complete (completion ≥ 1).
CREATE OR REPLACE MACRO supervision_standing(as_of_date) AS TABLE
SELECT
    district,
    district_order,
    project_no,
    k,
    metric_id,
    label,
    completion,
    expected_ratio,
    gap,
    lag_status,
    lag_flags,
    list_contains(lag_flags, 'seriously_behind') AS is_candidate,
    NOT list_contains(lag_flags, 'missing')
        AND (list_contains(lag_flags, 'on_track') OR completion >= 1) AS back_on_track,
    as_of
FROM lag(as_of_date);


-- cases_at(as_of_date): every case opened on or before the date, as it stood then, from its events on or
-- before the date (later events are not seen, so the answer for a past date never changes).
--   status         open       opened, and no review has found it back on track yet
--                  overdue    a review after its due_on still found it behind
--                  closed     銷號: a review found it back on track (and 回頭看 has not reopened it)
--                  reopened   回頭看 found it behind again; it is followed as before, with a new due_on
--   due_on         the rectification deadline in force (a reopened case's new one)
--   closed_on      the date of the review that closed it, while it is closed; NULL otherwise
--   reopen_count   how many times 回頭看 reopened it
--   awaiting_recheck  closed, and the next review will look at it again (督查回頭看)
--   rechecked_on   the date 回頭看 confirmed the closure (then it is no longer looked at)
--   judged_on      the date of the latest opening or review
--   gap, lag_status  as the latest opening or review found them
--   reviews        every opening and review: [{event_on, event, gap}] in order
--   notes          整改措施 recorded with `supervise note`, oldest first
-- lead_unit, label and k come from the plan loaded now (NULL if the metric has left it).
CREATE OR REPLACE MACRO cases_at(as_of_date) AS TABLE
WITH
seen AS (
    SELECT *
    FROM supervision_events
    WHERE event_on <= CAST(as_of_date AS DATE)
),
per_case AS (
    SELECT
        case_id,
        arg_max(event, seq) FILTER (WHERE event <> 'noted') AS last_event,
        max(event_on) FILTER (WHERE event <> 'noted') AS judged_on,
        arg_max(due_on, seq) FILTER (WHERE due_on IS NOT NULL) AS due_on,
        max(event_on) FILTER (WHERE event = 'closed') AS last_closed_on,
        max(event_on) FILTER (WHERE event = 'rechecked') AS rechecked_on,
        count(*) FILTER (WHERE event = 'reopened') AS reopen_count,
        arg_max(gap, seq) FILTER (WHERE event <> 'noted') AS gap,
        arg_max(lag_status, seq) FILTER (WHERE event <> 'noted') AS lag_status,
        list({'event_on': event_on, 'event': event, 'gap': gap} ORDER BY seq) FILTER (WHERE event <> 'noted') AS reviews,
        list(note ORDER BY seq) FILTER (WHERE event = 'noted') AS notes
    FROM seen
    GROUP BY case_id
)
SELECT
    c.case_id,
    c.district,
    d.district_order,
    c.project_no,
    m.k,
    c.metric_id,
    m.label,
    p.lead_unit,
    c.opened_on,
    pc.due_on,
    CASE pc.last_event
        WHEN 'opened' THEN 'open'
        WHEN 'kept' THEN CASE WHEN pc.reopen_count > 0 THEN 'reopened' ELSE 'open' END
        WHEN 'overdue' THEN 'overdue'
        WHEN 'reopened' THEN 'reopened'
        ELSE 'closed'
    END AS status,
    CASE WHEN pc.last_event IN ('closed', 'rechecked') THEN pc.last_closed_on END AS closed_on,
    pc.reopen_count,
    pc.last_event = 'closed' AS awaiting_recheck,
    CASE WHEN pc.last_event = 'rechecked' THEN pc.rechecked_on END AS rechecked_on,
    pc.judged_on,
    c.opened_gap,
    pc.gap,
    pc.lag_status,
    pc.reviews,
    coalesce(pc.notes, []::VARCHAR[]) AS notes,
    CAST(as_of_date AS DATE) AS as_of
FROM supervision_cases AS c
JOIN per_case AS pc ON pc.case_id = c.case_id
LEFT JOIN districts AS d ON d.district = c.district
LEFT JOIN metrics AS m ON m.metric_id = c.metric_id
LEFT JOIN projects AS p ON p.project_no = c.project_no
WHERE pc.last_event IS NOT NULL;


-- supervision_candidates(as_of_date): the seriously behind pairs at the date (the 掛牌督辦 candidates),
-- each with the case that already follows it, if any: one that is open, overdue or reopened, or closed
-- and awaiting 回頭看 (the next review reopens that one, so no second case is opened beside it).
CREATE OR REPLACE MACRO supervision_candidates(as_of_date) AS TABLE
SELECT
    s.district,
    s.district_order,
    s.project_no,
    s.k,
    s.metric_id,
    s.label,
    s.completion,
    s.expected_ratio,
    s.gap,
    s.lag_status,
    a.case_id AS active_case_id,
    a.status AS active_case_status,
    a.awaiting_recheck,
    s.as_of
FROM supervision_standing(as_of_date) AS s
LEFT JOIN (
    SELECT case_id, district, metric_id, status, awaiting_recheck
    FROM cases_at(as_of_date)
    WHERE status IN ('open', 'overdue', 'reopened') OR awaiting_recheck
) AS a ON a.district = s.district AND a.metric_id = s.metric_id
WHERE s.is_candidate;


-- supervision_review(as_of_date, due_days): the event a review at the date records for each case it looks
-- at, judged by the lag at that date. A review looks at every case that is open, overdue or reopened,
-- and at every closed case awaiting 回頭看, whose latest opening or review is before the date (so a second
-- review at the same date records nothing).
--   open, overdue, reopened case:  back on track → closed; else past due_on → overdue; else kept
--   closed, awaiting 回頭看:        back on track → rechecked; else reopened, due as_of + due_days
-- Cases whose pair lag() no longer judges (the metric left the plan) are not looked at.
CREATE OR REPLACE MACRO supervision_review(as_of_date, due_days) AS TABLE
SELECT
    c.case_id,
    c.district,
    c.metric_id,
    c.status AS status_before,
    CASE
        WHEN c.awaiting_recheck AND s.back_on_track THEN 'rechecked'
        WHEN c.awaiting_recheck THEN 'reopened'
        WHEN s.back_on_track THEN 'closed'
        WHEN s.as_of > c.due_on THEN 'overdue'
        ELSE 'kept'
    END AS event,
    s.gap,
    s.completion,
    s.lag_status,
    CASE WHEN c.awaiting_recheck AND NOT s.back_on_track THEN s.as_of + CAST(due_days AS INTEGER) END AS due_on,
    s.as_of AS event_on
FROM cases_at(as_of_date) AS c
JOIN supervision_standing(as_of_date) AS s ON s.district = c.district AND s.metric_id = c.metric_id
WHERE (c.status IN ('open', 'overdue', 'reopened') OR c.awaiting_recheck)
  AND c.judged_on < s.as_of;


-- case_events(after_date, until_date): every event dated after after_date (NULL: from the start) and on or
-- before until_date, with its case's district and metric. The bulletin tells these "since the last one".
CREATE OR REPLACE MACRO case_events(after_date, until_date) AS TABLE
SELECT
    e.case_id,
    c.district,
    d.district_order,
    c.metric_id,
    m.label,
    e.seq,
    e.event_on,
    e.event,
    e.gap,
    e.completion,
    e.due_on,
    e.note
FROM supervision_events AS e
JOIN supervision_cases AS c ON c.case_id = e.case_id
LEFT JOIN districts AS d ON d.district = c.district
LEFT JOIN metrics AS m ON m.metric_id = c.metric_id
WHERE (after_date IS NULL OR e.event_on > CAST(after_date AS DATE))
  AND e.event_on <= CAST(until_date AS DATE);


-- current_mentions(): who each current bulletin praised and named (a rewritten bulletin for the same date
-- replaces the earlier one, which is kept but not counted), with the bulletin's date.
CREATE OR REPLACE MACRO current_mentions() AS TABLE
SELECT
    b.bulletin_id,
    b.as_of,
    bm.district,
    d.district_order,
    bm.mention,
    bm.rank,
    bm.schedule_attainment,
    bm.completion,
    bm.seriously_behind_count
FROM bulletin_mentions AS bm
JOIN bulletins AS b ON b.bulletin_id = bm.bulletin_id
LEFT JOIN districts AS d ON d.district = bm.district
WHERE b.superseded_by IS NULL;
