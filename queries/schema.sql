-- Minsheng analysis store: the tables every query, loader and export uses (design §2–§4).
--
-- Applied on every open for writing (all statements are idempotent: IF NOT EXISTS). Two groups:
--   plan tables   districts, categories, projects, metrics, targets, responsibilities, milestones,
--                 plan_meta — rebuilt as a whole by `minsheng plan load` in one transaction;
--   progress      submissions, progress — appended one file per transaction by `minsheng load`;
--                 never rewritten, only marked superseded.
-- There are no foreign keys on purpose: DuckDB cannot delete rows that other tables reference, and
-- the plan tables are rebuilt while progress stays. The loaders check references instead, and every
-- query joins through the plan, so progress for a metric that left the plan is simply not counted.
--
-- Units: amounts are in the metric's unit of measure (個, 人次, 平方米 ...); rates are fractions
-- (83% is stored as 0.83) in targets and in progress alike.

-- The 15 reporting districts (市本級 + 14 districts/counties), from the registry in core/districts.ts.
CREATE TABLE IF NOT EXISTS districts (
    district        VARCHAR PRIMARY KEY,      -- canonical name as in 附件2, traditional script: 上城區
    district_order  INTEGER NOT NULL UNIQUE   -- column order in 附件2 (市本級 = 0); last ranking tie-break
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
    UNIQUE (sha256, district)           -- a wide file (all districts at once) loads once per district
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
