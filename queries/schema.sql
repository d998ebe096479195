-- Minsheng analysis store: the tables every query, loader and export uses (docs/design.md, "The store").
--
-- Applied when a database is opened for writing and this file or a macro file (queries/*.sql) changed
-- since it was last applied (schema_version); all statements are idempotent (IF NOT EXISTS). Groups:
--   plan tables   districts, plan_districts, categories, projects, metrics, targets, responsibilities,
--                 milestones, lead_units, project_lead_units, plan_meta — rebuilt as a whole by `minsheng plan
--                 load` in one transaction;
--   progress      submissions, progress — appended one file per transaction by `minsheng load`;
--                 never rewritten, only marked superseded.
--   supervision   supervision_cases, supervision_events (掛牌督辦), bulletins, bulletin_mentions
--                 (晾曬通報), site_lists, sites (點位) — the 督查室's own records (docs/design.md, "The
--                 supervision loop"); rows are only added (an earlier site list or bulletin is marked
--                 superseded), never deleted, and they stay when the plan is reloaded.
--                 queries/supervision.sql and sites.sql read them.
--   assessment    assessment_files and the rules (assessment_settings, _assessees, _components, _bands,
--                 _rank_points, _tiers, _weights) and inputs (assessment_scores, participation_records)
--                 they hold — appended one file per transaction by `minsheng assess load`; a later file
--                 supersedes, nothing is deleted. queries/assessment.sql reads them.
--   views         judged_targets, current_progress — at the end of this file, recreated with it.
-- There are no foreign keys on purpose: DuckDB cannot delete rows that other tables reference, and
-- the plan tables are rebuilt while progress stays. The loaders check references instead, and every
-- query joins through the plan, so progress for a metric that left the plan is simply not counted.
--
-- Units: amounts are in the metric's unit of measure (個, 人次, 平方米 ...); rates are fractions
-- (83% is stored as 0.83) in targets and in progress alike.

-- Which schema and query macros the database was last set up with: opening for writing applies them again only when they changed, so an open that changes nothing writes nothing. One row.
CREATE TABLE IF NOT EXISTS schema_version (
    fingerprint  VARCHAR NOT NULL,   -- SHA-256 (hex) of schema.sql and the macro files, in the order applied
    applied_at   TIMESTAMP NOT NULL  -- when they were applied (UTC)
);

-- The 15 reporting districts (市本級 + 14 districts/counties), from the registry in core/districts.ts.
CREATE TABLE IF NOT EXISTS districts (
    district        VARCHAR PRIMARY KEY,      -- canonical name as in 附件2, traditional script: 上城區
    district_order  INTEGER NOT NULL UNIQUE   -- column order in 附件2 (市本級 = 0); last ranking tie-break
);

-- Each district as the plan writes it (附件2's column headers; core/districtNames.ts): every output shows
-- this name, while `district` stays the key everywhere. Rebuilt with the plan; none for a plan loaded
-- before it existed (outputs then show the canonical name).
CREATE TABLE IF NOT EXISTS plan_districts (
    district  VARCHAR PRIMARY KEY,  -- districts.district
    written   VARCHAR NOT NULL      -- as the plan writes it: 临平区 in a simplified plan
);

-- The 10 project categories of 附件1 (類別).
CREATE TABLE IF NOT EXISTS categories (
    category_no  INTEGER PRIMARY KEY,  -- 1..10 in the order of 附件1
    name         VARCHAR NOT NULL      -- 類別 as written: “幸福助老”在杭州
);

-- The livelihood projects, numbered in the order of 附件2.
CREATE TABLE IF NOT EXISTS projects (
    project_no   INTEGER PRIMARY KEY,  -- 序號 of 附件2 (1..48 in 2024)
    name         VARCHAR NOT NULL,     -- 項目名稱 as 附件2 writes it (附件1's spelling: responsibilities)
    category_no  INTEGER,              -- categories.category_no; NULL when the plan could not tell
    lead_unit    VARCHAR,              -- 牽頭單位 as 附件2 writes it
    note         VARCHAR               -- text standing in for targets (projects without quantified ones)
);

-- One quantified target of a project: one row of 附件2.
CREATE TABLE IF NOT EXISTS metrics (
    metric_id          VARCHAR PRIMARY KEY,  -- '<project_no>-<k>', e.g. '29-2'
    project_no         INTEGER NOT NULL,     -- projects.project_no
    k                  INTEGER NOT NULL,     -- 1-based row order within the project in 附件2
    label              VARCHAR NOT NULL,     -- what is measured, in words: 地鐵接駁線
    unit               VARCHAR NOT NULL,     -- unit of measure: 個, 人次, 平方米 (rate metrics: as the plan has it)
    kind               VARCHAR NOT NULL      -- count: amounts add up across districts;
        CHECK (kind IN ('count', 'rate', 'compound', 'city-only')),
                                             -- rate: a fraction each district must reach;
                                             -- compound: "5(4)個" = 5 new + 4 upgraded;
                                             -- city-only: city-wide target, not split (no district targets)
    city_target        DOUBLE NOT NULL,      -- city-wide target in `unit`; for rate metrics the fraction
    city_target_extra  DOUBLE,               -- second part of a compound target (the 4 of "5(4)個")
    UNIQUE (project_no, k)
);

-- A district's share of a metric: one filled cell of 附件2. No row means no target ("--", blank).
CREATE TABLE IF NOT EXISTS targets (
    metric_id     VARCHAR NOT NULL,  -- metrics.metric_id
    district      VARCHAR NOT NULL,  -- districts.district
    target        DOUBLE NOT NULL,   -- amount in the metric's unit; rate metrics: the fraction to reach;
                                     -- compound metrics: the first part
    target_extra  DOUBLE,            -- compound metrics: the second part; analysis uses target + target_extra
    PRIMARY KEY (metric_id, district)
);

-- 附件1, one row per project: who answers for it and the plan text the milestones come from.
CREATE TABLE IF NOT EXISTS responsibilities (
    project_no          INTEGER PRIMARY KEY,  -- projects.project_no
    category_no         INTEGER NOT NULL,     -- categories.category_no
    project_name        VARCHAR NOT NULL,     -- 項目名稱 as 附件1 writes it
    leaders             VARCHAR[] NOT NULL,   -- 分管市領導, one name per element
    lead_unit           VARCHAR NOT NULL,     -- 牽頭單位 as 附件1 writes it
    lead_unit_leaders   VARCHAR[] NOT NULL,   -- 牽頭單位分管領導
    coordinating_units  VARCHAR[] NOT NULL,   -- 配合單位
    deadline            DATE,                 -- last day of the month of 預計完成時間; overdue after it
    deadline_text       VARCHAR NOT NULL,     -- 預計完成時間 as written
    plan_text           VARCHAR NOT NULL      -- 工作計劃和進度安排 as written
);

-- Milestones parsed from 工作計劃和進度安排. A project-wide step is repeated for each of its metrics.
CREATE TABLE IF NOT EXISTS milestones (
    metric_id       VARCHAR NOT NULL,  -- metrics.metric_id the step measures
    project_no      INTEGER NOT NULL,  -- projects.project_no (denormalised for convenience)
    due_date        DATE NOT NULL,     -- "6月底前" → 2024-06-30; for recurring steps the last month's end
    from_date       DATE,              -- recurring steps ("4月-8月每月..."): the first month's end
    expected_ratio  DOUBLE,            -- expected completion as a fraction of the target ("完成40%" → 0.4)
    expected_rate   DOUBLE,            -- rate metrics: the rate to have reached ("保障率達到81%" → 0.81)
    text            VARCHAR NOT NULL   -- the step as written; steps without a number only have this
);

-- Which plan is loaded: one row, replaced with the plan.
CREATE TABLE IF NOT EXISTS plan_meta (
    plan_year      INTEGER NOT NULL,    -- the plan's year (2024); dates in submissions must fall in it
    loaded_at      TIMESTAMP NOT NULL,  -- when `minsheng plan load` ran (UTC)
    source_files   VARCHAR[] NOT NULL,  -- file names of the workbooks the plan was read from
    source_sha256  VARCHAR[] NOT NULL   -- SHA-256 (hex) of each file, same order as source_files
);

-- Identifies submissions; kept across plan reloads.
CREATE SEQUENCE IF NOT EXISTS submission_id_seq START 1;

-- One row per loaded progress file (進度報送表) and district.
CREATE TABLE IF NOT EXISTS submissions (
    id             INTEGER PRIMARY KEY DEFAULT nextval('submission_id_seq'),
    district       VARCHAR NOT NULL,    -- districts.district (填報單位, resolved to the canonical name)
    as_of          DATE NOT NULL,       -- 截至日期: the amounts are cumulative up to this day
    file_name      VARCHAR NOT NULL,    -- the file's name as loaded (no directory)
    sha256         VARCHAR NOT NULL,    -- SHA-256 (hex) of the file's bytes; same file again = no-op
    loaded_at      TIMESTAMP NOT NULL,  -- when it was loaded (UTC)
    superseded_by  INTEGER,             -- submissions.id of a later file for the same district and as_of;
                                        -- NULL = current. Superseded rows stay for history.
    UNIQUE (sha256, district, as_of)    -- a file loads once per report in it: a wide file (all districts
                                        -- at once) once per district, one district's sheets once per date
);

-- The amounts reported: one row per submission and metric.
CREATE TABLE IF NOT EXISTS progress (
    submission_id  INTEGER NOT NULL,   -- submissions.id
    metric_id      VARCHAR NOT NULL,   -- metrics.metric_id (指標編號)
    district       VARCHAR NOT NULL,   -- = submissions.district, repeated so queries need no join
    as_of          DATE NOT NULL,      -- = submissions.as_of, repeated likewise
    completed      DOUBLE NOT NULL     -- 累計完成: cumulative amount in the metric's unit;
        CHECK (completed >= 0),        --   rate metrics: the rate reached, as a fraction
    note           VARCHAR,            -- 備註 as written
    PRIMARY KEY (submission_id, metric_id)
);

-- Derived: one row per (district, metric) that lag() judges (a positive target for a metric that is not city-only), with the plan facts lag() needs and the district's last two current reports of the metric. Rebuilt with the plan and kept up to date by the loader in the same transaction as the rows it stores, so lag(), ranking() and forecast() at a date on or after a pair's last report read one row per pair instead of the history (before it: earlier_reports). Not exported: it is made from the other tables (judged_pairs_rebuilt() in queries/lag.sql).
CREATE TABLE IF NOT EXISTS judged_pairs (
    pair_no                 INTEGER NOT NULL,  -- 1, 2, … in 附件2's order (district, project, k), numbered anew with the plan: earlier_reports' key
    district                VARCHAR NOT NULL,  -- targets.district
    district_order          INTEGER,           -- districts.district_order (NULL for a name not in the registry)
    project_no              INTEGER NOT NULL,  -- metrics.project_no
    k                       INTEGER NOT NULL,  -- metrics.k
    metric_id               VARCHAR NOT NULL,  -- metrics.metric_id
    label                   VARCHAR NOT NULL,  -- metrics.label
    unit                    VARCHAR NOT NULL,  -- metrics.unit
    kind                    VARCHAR NOT NULL,  -- metrics.kind
    target                  DOUBLE NOT NULL,   -- targets.target
    target_extra            DOUBLE,            -- targets.target_extra
    target_total            DOUBLE NOT NULL,   -- target + target_extra, positive
    deadline                DATE,              -- responsibilities.deadline of the metric's project
    last_as_of              DATE,              -- the latest as_of among current submissions reporting the metric; NULL: none yet
    last_completed          DOUBLE,            -- progress.completed of that report
    last_submission_id      INTEGER,           -- submissions.id of that report
    previous_as_of          DATE,              -- the report before it; NULL when there is at most one
    previous_completed      DOUBLE,            -- progress.completed of the report before it
    previous_submission_id  INTEGER,           -- submissions.id of the report before it
    PRIMARY KEY (district, metric_id)
);

-- Derived: every current report of a judged pair that a later current report of the pair follows, with the report before it and the date of the one after it: the pair's history as spans, one row per span that has ended. At a date T before a pair's last report (judged_pairs.last_as_of), its last two reports on or before T are in the one row with as_of <= T < next_as_of (none: nothing reported by T), so lag() at a past date reads about one row per pair instead of the history. Kept current with judged_pairs, in the same transaction as the loads; stored in date order so that a date's rows sit together. Not exported (earlier_reports_rebuilt() in queries/lag.sql).
CREATE TABLE IF NOT EXISTS earlier_reports (
    pair_no             INTEGER NOT NULL,  -- judged_pairs.pair_no (a number joins far faster than district and metric)
    as_of               DATE NOT NULL,     -- the report's as_of
    completed           DOUBLE NOT NULL,   -- progress.completed of the report
    previous_as_of      DATE,              -- the pair's current report before it; NULL when it is the first
    previous_completed  DOUBLE,            -- progress.completed of that report
    next_as_of          DATE NOT NULL      -- the pair's next current report's as_of (> as_of)
);

-- Derived: each numeric milestone (the view numeric_milestones) with the due date of the metric's next one: the milestone sets the expectation from its due date until the next one's, so lag() at a date finds each metric's in one row. Rebuilt with the plan (milestones change only with it). Not exported (milestone_spans_rebuilt() in queries/lag.sql).
CREATE TABLE IF NOT EXISTS milestone_spans (
    metric_id       VARCHAR NOT NULL,  -- numeric_milestones.metric_id
    due_date        DATE NOT NULL,     -- numeric_milestones.due_date
    next_due_date   DATE,              -- the metric's next numeric milestone's due date; NULL for its last
    expected_ratio  DOUBLE,            -- numeric_milestones.expected_ratio
    expected_rate   DOUBLE,            -- numeric_milestones.expected_rate
    text            VARCHAR NOT NULL   -- numeric_milestones.text
);

-- Identifies 掛牌督辦 cases; kept across plan reloads.
CREATE SEQUENCE IF NOT EXISTS supervision_case_id_seq START 1;

-- 掛牌督辦: one row per supervised case, a (district, metric) found seriously behind and followed until it is back on track (`minsheng supervise open`). Written once; what becomes of it is in supervision_events, its state at a date in cases_at().
CREATE TABLE IF NOT EXISTS supervision_cases (
    case_id      INTEGER PRIMARY KEY DEFAULT nextval('supervision_case_id_seq'),  -- the case's number (督辦編號)
    district     VARCHAR NOT NULL,    -- districts.district
    metric_id    VARCHAR NOT NULL,    -- metrics.metric_id
    project_no   INTEGER NOT NULL,    -- projects.project_no when the case was opened (kept if the plan changes)
    opened_on    DATE NOT NULL,       -- the date whose lag opened it (`--as-of`); also its first event
    due_on       DATE NOT NULL,       -- rectification deadline (整改期限) set at opening; a reopened case
                                      -- gets a new one (supervision_events.due_on)
    opened_gap   DOUBLE NOT NULL,     -- lag gap (expected − completion) at opened_on
    recorded_at  TIMESTAMP NOT NULL   -- when the command ran (UTC)
);

-- Every step of every case, dated by the as-of date it judges; rows are only ever added, never changed.
CREATE TABLE IF NOT EXISTS supervision_events (
    case_id      INTEGER NOT NULL,    -- supervision_cases.case_id
    seq          INTEGER NOT NULL,    -- 1, 2, ... per case, in the order the events were recorded
    event_on     DATE NOT NULL,       -- the review's as-of date (opened: opened_on; noted: the date given)
    event        VARCHAR NOT NULL     -- opened; kept (reviewed, still behind, deadline not passed);
        CHECK (event IN ('opened', 'kept', 'overdue', 'closed', 'rechecked', 'reopened', 'noted')),
                                      -- overdue (reviewed, still behind, deadline passed); closed (銷號:
                                      -- back on track or complete); rechecked (督查回頭看 at the next
                                      -- review: still on track, the closure stands); reopened (回頭看:
                                      -- fallen behind again); noted (整改措施 recorded, no change of state)
    gap          DOUBLE,              -- lag gap at event_on; NULL for notes
    completion   DOUBLE,              -- lag completion at event_on (NULL: nothing reported, or a note)
    lag_status   VARCHAR,             -- lag_status at event_on (lag.sql); NULL for notes
    due_on       DATE,                -- opened, reopened: the rectification deadline from then on
    note         VARCHAR,             -- noted: the 整改措施 as written
    recorded_at  TIMESTAMP NOT NULL,  -- when the command ran (UTC)
    PRIMARY KEY (case_id, seq)
);

-- Identifies bulletins.
CREATE SEQUENCE IF NOT EXISTS bulletin_id_seq START 1;

-- 晾曬通報: one row per bulletin written (`minsheng bulletin`), recorded as the document is written.
CREATE TABLE IF NOT EXISTS bulletins (
    bulletin_id    INTEGER PRIMARY KEY DEFAULT nextval('bulletin_id_seq'),  -- the bulletin's number
    as_of          DATE NOT NULL,       -- the date whose ranking and lag it publishes
    since          DATE,                -- as_of of the bulletin before it: cases opened, closed and overdue
                                        -- are told after this date; NULL for the first of the year
    file_name      VARCHAR NOT NULL,    -- the .docx written (no directory)
    sha256         VARCHAR NOT NULL,    -- SHA-256 (hex) of the document's bytes
    lang           VARCHAR NOT NULL,    -- zh-CN or zh-TW: the script its sentences are in
    written_at     TIMESTAMP NOT NULL,  -- when it was written (UTC)
    superseded_by  INTEGER              -- bulletins.bulletin_id of a later one for the same as_of (a
                                        -- rewrite); NULL = current. Count only current bulletins.
);

-- Who a bulletin praised (表揚, the front of the ranking) and who it named (點名, the laggards), with the figures it printed.
CREATE TABLE IF NOT EXISTS bulletin_mentions (
    bulletin_id             INTEGER NOT NULL,  -- bulletins.bulletin_id
    district                VARCHAR NOT NULL,  -- districts.district
    mention                 VARCHAR NOT NULL   -- praised or named
        CHECK (mention IN ('praised', 'named')),
    rank                    INTEGER NOT NULL,  -- the district's rank in ranking(as_of)
    schedule_attainment     DOUBLE,            -- ranking.schedule_attainment at as_of
    completion              DOUBLE,            -- ranking.completion at as_of
    seriously_behind_count  INTEGER NOT NULL,  -- its seriously behind metrics at as_of
    PRIMARY KEY (bulletin_id, district)
);

-- Identifies site lists; kept across plan reloads.
CREATE SEQUENCE IF NOT EXISTS site_list_id_seq START 1;

-- 點位 lists: one row per loaded site-list file (`minsheng sites load`). A later file for the same district supersedes the earlier one (both kept).
CREATE TABLE IF NOT EXISTS site_lists (
    id             INTEGER PRIMARY KEY DEFAULT nextval('site_list_id_seq'),  -- the list's number
    district       VARCHAR NOT NULL,    -- districts.district (填報單位)
    file_name      VARCHAR NOT NULL,    -- the file's name as loaded (no directory)
    sha256         VARCHAR NOT NULL,    -- SHA-256 (hex) of the file's bytes; same file again = no-op
    loaded_at      TIMESTAMP NOT NULL,  -- when it was loaded (UTC)
    superseded_by  INTEGER,             -- site_lists.id of the later list for the district; NULL = current
    UNIQUE (sha256, district)
);

-- One 點位 (a concrete site of a project: a 助餐服務點, a park, a water station) per row of a site list.
CREATE TABLE IF NOT EXISTS sites (
    site_list_id    INTEGER NOT NULL,  -- site_lists.id
    row_no          INTEGER NOT NULL,  -- the row in the sheet it was read from
    district        VARCHAR NOT NULL,  -- = site_lists.district, repeated so queries need no join
    metric_id       VARCHAR NOT NULL,  -- metrics.metric_id the site counts towards
    name            VARCHAR NOT NULL,  -- 點位名稱 as written
    address         VARCHAR NOT NULL,  -- 地址 as written
    planned_start   DATE NOT NULL,     -- 計劃開工
    planned_finish  DATE NOT NULL,     -- 計劃完工
    status          VARCHAR NOT NULL   -- not_started (未開工), in_progress (在建), finished (完成)
        CHECK (status IN ('not_started', 'in_progress', 'finished')),
    finished_on     DATE,              -- 完工日期; set when status = finished
    longitude       DOUBLE,            -- 經度 (WGS-84 degrees), when given; inside Hangzhou
    latitude        DOUBLE,            -- 緯度, given together with longitude
    note            VARCHAR,           -- 備註 as written
    PRIMARY KEY (site_list_id, row_no)
);

-- The city's lead departments (牽頭單位) named by the plan in 附件1 and 附件2, names tidied and told apart
-- in either script (core/leadUnits.ts); rebuilt with the plan.
CREATE TABLE IF NOT EXISTS lead_units (
    lead_unit        VARCHAR PRIMARY KEY,  -- the name as 附件1 writes it, tidied: 市衛生健康委員會
    lead_unit_order  INTEGER NOT NULL,     -- order of the first project (附件2 order) naming it; last tie-break
    aliases          VARCHAR[] NOT NULL    -- other spellings the attachments use for it
);

-- Which lead unit answers for which project: one row per (project, lead unit); rebuilt with the plan.
CREATE TABLE IF NOT EXISTS project_lead_units (
    project_no  INTEGER NOT NULL,  -- projects.project_no
    lead_unit   VARCHAR NOT NULL,  -- lead_units.lead_unit
    PRIMARY KEY (project_no, lead_unit)
);

-- Identifies assessment files.
CREATE SEQUENCE IF NOT EXISTS assessment_file_id_seq START 1;

-- One row per file loaded by `minsheng assess load` (docs/design.md, "The year-end assessment"): a rules
-- workbook (考核細則) or an external input. Each file is stored whole in one transaction; nothing is deleted.
-- The latest rules file of a year is the year's rules; an input file's rows supersede an earlier file's
-- for the same project (scores) or unit (participation).
CREATE TABLE IF NOT EXISTS assessment_files (
    id         INTEGER PRIMARY KEY DEFAULT nextval('assessment_file_id_seq'),
    kind       VARCHAR NOT NULL      -- rules (考核細則), satisfaction (滿意度測評), third_party (第三方評價),
        CHECK (kind IN ('rules', 'satisfaction', 'third_party', 'participation')),
                                     -- participation (參與監督記錄)
    year       INTEGER NOT NULL,     -- the assessment year the file is for (its 考核年度)
    file_name  VARCHAR NOT NULL,     -- the file's name as loaded (no directory)
    sha256     VARCHAR NOT NULL,     -- SHA-256 (hex) of the file's bytes; the same file again is a no-op
    loaded_at  TIMESTAMP NOT NULL,   -- when it was loaded (UTC)
    source     VARCHAR,              -- inputs: 測評單位 / 評價機構 as written
    UNIQUE (sha256)
);

-- 總則 of a rules file: per kind of assessee, the full points and the 行政獎勵 quota.
CREATE TABLE IF NOT EXISTS assessment_settings (
    file_id        INTEGER NOT NULL,  -- assessment_files.id (kind rules)
    assessee_type  VARCHAR NOT NULL   -- district or lead_unit
        CHECK (assessee_type IN ('district', 'lead_unit')),
    full_points    DOUBLE NOT NULL,   -- 滿分: the components' points add up to it
    award_quota    INTEGER NOT NULL,  -- 行政獎勵名額: candidates are of an award-eligible tier and tie_rank ≤ this
    PRIMARY KEY (file_id, assessee_type)
);

-- 考核對象 of a rules file: who is assessed.
CREATE TABLE IF NOT EXISTS assessment_assessees (
    file_id        INTEGER NOT NULL,  -- assessment_files.id (kind rules)
    assessee_type  VARCHAR NOT NULL,  -- district or lead_unit
    assessee       VARCHAR NOT NULL,  -- districts.district or lead_units.lead_unit
    included       BOOLEAN NOT NULL,  -- 參加考核
    PRIMARY KEY (file_id, assessee_type, assessee)
);

-- 考核項目 of a rules file: the components, their points and how each is scored.
CREATE TABLE IF NOT EXISTS assessment_components (
    file_id         INTEGER NOT NULL,  -- assessment_files.id (kind rules)
    assessee_type   VARCHAR NOT NULL,  -- district or lead_unit
    component_no    INTEGER NOT NULL,  -- order within the type, as listed
    component       VARCHAR NOT NULL,  -- 考核項目 as written: 完成情況
    points          DOUBLE NOT NULL,   -- 分值: full points
    source          VARCHAR NOT NULL   -- completion, schedule, satisfaction, third_party (ratios 0..1);
        CHECK (source IN ('completion', 'schedule', 'satisfaction', 'third_party', 'bulletins', 'participation', 'workload')),
                                       -- workload, participation (counts); bulletins (praised/named events)
    method          VARCHAR NOT NULL   -- linear, bands (assessment_bands), rank (assessment_rank_points), per_event
        CHECK (method IN ('linear', 'bands', 'rank', 'per_event')),
    lower_bound     DOUBLE,            -- linear: the measure scoring 0 (下限)
    upper_bound     DOUBLE,            -- linear: the measure scoring full points (上限)
    base_points     DOUBLE,            -- per_event: 基礎分
    plus_points     DOUBLE,            -- per_event: 每次加分 (per praise or participation)
    minus_points    DOUBLE,            -- per_event: 每次扣分 (per naming in a bulletin)
    min_points      DOUBLE,            -- per_event: 最低得分 (the floor; 0 unless stated)
    case_deduction  DOUBLE,            -- 每件督辦扣分: points off per 掛牌督辦 case, when cases are recorded
    when_missing    VARCHAR NOT NULL   -- rescale: the others are scaled up to the full points; omit: counts nothing
        CHECK (when_missing IN ('rescale', 'omit')),
    note            VARCHAR,           -- 說明 as written
    PRIMARY KEY (file_id, assessee_type, component)
);

-- 分檔 of a rules file: a bands component scores `points` for measures in [lower_bound, upper_bound).
CREATE TABLE IF NOT EXISTS assessment_bands (
    file_id        INTEGER NOT NULL,  -- assessment_files.id (kind rules)
    assessee_type  VARCHAR NOT NULL,  -- district or lead_unit
    component      VARCHAR NOT NULL,  -- assessment_components.component
    lower_bound    DOUBLE,            -- inclusive; NULL: no lower end
    upper_bound    DOUBLE,            -- exclusive; NULL: no upper end
    points         DOUBLE NOT NULL    -- 得分
);

-- 名次分 of a rules file: a rank component scores `points` for ranks rank_from..rank_to.
CREATE TABLE IF NOT EXISTS assessment_rank_points (
    file_id        INTEGER NOT NULL,  -- assessment_files.id (kind rules)
    assessee_type  VARCHAR NOT NULL,  -- district or lead_unit
    component      VARCHAR NOT NULL,  -- assessment_components.component
    rank_from      INTEGER NOT NULL,  -- 名次自
    rank_to        INTEGER,           -- 名次至; NULL: and every rank below
    points         DOUBLE NOT NULL    -- 得分
);

-- 等次 of a rules file: the best tier whose min_total the total reaches.
CREATE TABLE IF NOT EXISTS assessment_tiers (
    file_id         INTEGER NOT NULL,  -- assessment_files.id (kind rules)
    assessee_type   VARCHAR NOT NULL,  -- district or lead_unit
    tier_order      INTEGER NOT NULL,  -- 1 = the best tier
    tier            VARCHAR NOT NULL,  -- 等次 as written: 優秀
    min_total       DOUBLE,            -- 最低總分; NULL for the lowest tier
    award_eligible  BOOLEAN NOT NULL,  -- 可獲行政獎勵
    PRIMARY KEY (file_id, assessee_type, tier_order)
);

-- 指標權重 of a rules file (評價細則): a metric's weight in completion and schedule; a metric not listed weighs 1.
CREATE TABLE IF NOT EXISTS assessment_weights (
    file_id    INTEGER NOT NULL,  -- assessment_files.id (kind rules)
    metric_id  VARCHAR NOT NULL,  -- metrics.metric_id
    weight     DOUBLE NOT NULL,   -- ≥ 0
    PRIMARY KEY (file_id, metric_id)
);

-- Scores of a 滿意度測評 or 第三方評價 file: per project, or per project and district.
CREATE TABLE IF NOT EXISTS assessment_scores (
    file_id     INTEGER NOT NULL,  -- assessment_files.id (kind satisfaction or third_party)
    project_no  INTEGER NOT NULL,  -- projects.project_no
    district    VARCHAR,           -- districts.district; NULL: the project as a whole
    score       DOUBLE NOT NULL,   -- 得分, 0..scale
    scale       DOUBLE NOT NULL,   -- 滿分 the file states (100); the measure is score / scale
    note        VARCHAR            -- 備註 as written
);

-- Records of a 參與監督 file: participation in supervision (代表監督周, 督查, 回頭看 …) per district or lead unit.
CREATE TABLE IF NOT EXISTS participation_records (
    file_id        INTEGER NOT NULL,  -- assessment_files.id (kind participation)
    assessee_type  VARCHAR NOT NULL,  -- district or lead_unit
    assessee       VARCHAR NOT NULL,  -- districts.district or lead_units.lead_unit
    on_date        DATE NOT NULL,     -- 日期
    activity       VARCHAR NOT NULL,  -- 事項 as written
    times          INTEGER NOT NULL,  -- 次數 (≥ 1)
    note           VARCHAR            -- 備註 as written
);

-- Views, recreated with the schema: the facts every question starts from, defined once. lag.sql
-- judges the pairs of judged_targets against numeric_milestones; the report draws progress over time
-- from current_progress; the assessment's month ends (assessment.sql) read all three.

-- The (district, metric) pairs that analysis judges: a district's target of a metric that is not
-- city-only, with a positive total. Other targets are never ranked or called behind.
CREATE OR REPLACE VIEW judged_targets AS
SELECT
    t.metric_id,     -- metrics.metric_id
    t.district,      -- districts.district
    t.target,        -- targets.target
    t.target_extra,  -- targets.target_extra
    CAST(t.target + coalesce(t.target_extra, 0) AS DOUBLE) AS target_total
                     -- what completion is measured against: target + target_extra
FROM targets AS t
JOIN metrics AS m ON m.metric_id = t.metric_id
WHERE m.kind <> 'city-only'
  AND t.target + coalesce(t.target_extra, 0) > 0;

-- Current progress against target: every report of a judged pair from a submission that is not
-- superseded, with its completion. Progress at a date T is the latest row with as_of <= T.
CREATE OR REPLACE VIEW current_progress AS
SELECT
    p.district,       -- districts.district
    p.metric_id,      -- metrics.metric_id
    p.as_of,          -- 截至日期 of the report
    p.submission_id,  -- submissions.id of the current submission that holds it
    p.completed,      -- 累計完成 as reported
    j.target_total,   -- judged_targets.target_total
    CAST(p.completed / j.target_total AS DOUBLE) AS completion,
                      -- completed / target_total, uncapped (rate metrics: rate reached / target rate)
    p.note            -- 備註 as written
FROM progress AS p
JOIN submissions AS s ON s.id = p.submission_id AND s.superseded_by IS NULL
JOIN judged_targets AS j ON j.metric_id = p.metric_id AND j.district = p.district;

-- The milestones that set an expectation: those with a number (a ratio, or for rate metrics a rate), one
-- per (metric, due date) so that an ASOF JOIN on the due date is deterministic — of several numeric
-- steps due the same day, the one with the highest expected_ratio (then expected_rate, then text).
CREATE OR REPLACE VIEW numeric_milestones AS
SELECT
    ms.metric_id,       -- metrics.metric_id
    ms.due_date,        -- milestones.due_date
    ms.expected_ratio,  -- milestones.expected_ratio
    ms.expected_rate,   -- milestones.expected_rate (rate metrics)
    ms.text             -- milestones.text
FROM milestones AS ms
JOIN metrics AS m ON m.metric_id = ms.metric_id
WHERE ms.expected_ratio IS NOT NULL
   OR (m.kind = 'rate' AND ms.expected_rate IS NOT NULL)
QUALIFY row_number() OVER (
    PARTITION BY ms.metric_id, ms.due_date
    ORDER BY ms.expected_ratio DESC NULLS LAST, ms.expected_rate DESC NULLS LAST, ms.text
) = 1;
