// Writes a parsed Plan (core/model.ts) into the plan tables, replacing the previous plan as a whole in
// one transaction with the tables derived from it (submissions and progress are kept: they refer to
// metrics by id only), and reads it back.
import * as fs from 'node:fs';
import { leadUnitsOf } from '../../core/leadUnits';
import type { DistrictNames } from '../../core/districtNames';
import type { Plan } from '../../core/model';
import { appendRows, isoDay } from './appender';
import { inTransaction, withStore, type OpenOptions, type Store } from './store';
import { rebuildDerivedTables } from './submissions';
import { msg } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';

/** A workbook the plan was read from (附件1, 附件2). */
export interface PlanSource {
  fileName: string;
  /** SHA-256 of the file's bytes, hex. */
  sha256: string;
}

export interface PlanLoadCounts {
  categories: number;
  projects: number;
  metrics: number;
  targets: number;
  responsibilities: number;
  milestones: number;
  leadUnits: number;
}

const PLAN_TABLES = ['plan_districts', 'categories', 'projects', 'metrics', 'targets', 'responsibilities', 'milestones', 'lead_units', 'project_lead_units', 'plan_meta'];

export async function replacePlan(
  store: Store,
  plan: Plan,
  sources: readonly PlanSource[],
  loadedAt: Date = new Date(),
): Promise<PlanLoadCounts> {
  const c = store.connection;
  return inTransaction(store, async () => {
    for (const table of PLAN_TABLES) await c.run(`DELETE FROM ${table}`);
    const counts: PlanLoadCounts = {
      categories: await appendRows(c, 'categories', plan.categories.map((x) => [x.no, x.name])),
      projects: await appendRows(
        c,
        'projects',
        plan.projects.map((p) => [p.no, p.name, p.categoryNo ?? null, p.leadUnit ?? null, p.note ?? null]),
      ),
      metrics: await appendRows(
        c,
        'metrics',
        plan.metrics.map((m) => [m.id, m.projectNo, m.k, m.label, m.unit, m.kind, m.cityTarget, m.cityTargetExtra ?? null]),
      ),
      targets: await appendRows(
        c,
        'targets',
        plan.targets.map((t) => [t.metricId, t.district, t.target, t.targetExtra ?? null]),
      ),
      responsibilities: await appendRows(
        c,
        'responsibilities',
        plan.responsibilities.map((r) => [
          r.projectNo,
          r.categoryNo,
          r.projectName,
          r.leaders,
          r.leadUnit,
          r.leadUnitLeaders,
          r.coordinatingUnits,
          r.deadline ? isoDay(r.deadline) : null,
          r.deadlineText,
          r.planText,
        ]),
      ),
      milestones: await appendRows(
        c,
        'milestones',
        plan.milestones.map((m) => [
          m.metricId,
          m.projectNo,
          isoDay(m.dueDate),
          m.fromDate ? isoDay(m.fromDate) : null,
          m.expectedRatio ?? null,
          m.expectedRate ?? null,
          m.text,
        ]),
      ),
      leadUnits: 0,
    };
    await appendRows(c, 'plan_districts', Object.entries(plan.districtNames ?? {}));
    const leadUnits = leadUnitsOf(plan);
    counts.leadUnits = await appendRows(c, 'lead_units', leadUnits.units.map((u) => [u.name, u.order, u.aliases]));
    await appendRows(c, 'project_lead_units', [...leadUnits.byProject].flatMap(([projectNo, names]) => names.map((name) => [projectNo, name])));
    await appendRows(c, 'plan_meta', [
      [plan.year, loadedAt, sources.map((s) => s.fileName), sources.map((s) => s.sha256)],
    ]);
    // What lag() reads of the plan (schema.sql, derived tables), made in the same transaction.
    await rebuildDerivedTables(store);
    return counts;
  });
}

/** The plan in the database file at `dbPath`, opened read-only for as long as it takes to read it. */
export function readStoredPlan(dbPath: string, options: Omit<OpenOptions, 'readOnly'> = {}): Promise<Plan> {
  return withStore(dbPath, { ...options, readOnly: true }, readPlan);
}

/**
 * The plan as stored, back as a Plan (e.g. to write a district's template from the database). Rows
 * come back in the order they were written. Throws when no plan has been loaded.
 */
export async function readPlan(store: Store): Promise<Plan> {
  const rows = async (sql: string) => (await store.connection.runAndReadAll(sql)).getRowObjectsJS();
  const meta = await rows('SELECT plan_year FROM plan_meta');
  if (meta.length === 0) throw new MessageError(msg('store.no-plan'));
  const text = (v: unknown) => (v === null || v === undefined ? undefined : String(v));
  const num = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));
  const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : undefined);
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const defined = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  const districtNames = { ...(await readDistrictNames(store)) };
  return {
    year: Number(meta[0].plan_year),
    ...(Object.keys(districtNames).length > 0 ? { districtNames } : {}),
    categories: (await rows('SELECT * FROM categories ORDER BY rowid')).map((r) => ({
      no: Number(r.category_no),
      name: String(r.name),
    })),
    projects: (await rows('SELECT * FROM projects ORDER BY rowid')).map((r) =>
      defined({
        no: Number(r.project_no),
        name: String(r.name),
        categoryNo: num(r.category_no),
        leadUnit: text(r.lead_unit),
        note: text(r.note),
      }),
    ),
    metrics: (await rows('SELECT * FROM metrics ORDER BY rowid')).map((r) =>
      defined({
        id: String(r.metric_id),
        projectNo: Number(r.project_no),
        k: Number(r.k),
        label: String(r.label),
        unit: String(r.unit),
        kind: String(r.kind) as Plan['metrics'][number]['kind'],
        cityTarget: Number(r.city_target),
        cityTargetExtra: num(r.city_target_extra),
      }),
    ),
    targets: (await rows('SELECT * FROM targets ORDER BY rowid')).map((r) =>
      defined({
        metricId: String(r.metric_id),
        district: String(r.district),
        target: Number(r.target),
        targetExtra: num(r.target_extra),
      }),
    ),
    responsibilities: (await rows('SELECT * FROM responsibilities ORDER BY rowid')).map((r) =>
      defined({
        projectNo: Number(r.project_no),
        categoryNo: Number(r.category_no),
        projectName: String(r.project_name),
        leaders: list(r.leaders),
        leadUnit: String(r.lead_unit),
        leadUnitLeaders: list(r.lead_unit_leaders),
        coordinatingUnits: list(r.coordinating_units),
        deadline: day(r.deadline),
        deadlineText: String(r.deadline_text),
        planText: String(r.plan_text),
      }),
    ),
    milestones: (await rows('SELECT * FROM milestones ORDER BY rowid')).map((r) =>
      defined({
        metricId: String(r.metric_id),
        projectNo: Number(r.project_no),
        dueDate: day(r.due_date)!,
        fromDate: day(r.from_date),
        expectedRatio: num(r.expected_ratio),
        expectedRate: num(r.expected_rate),
        text: String(r.text),
      }),
    ),
  };
}

/** Some of the plan's own text (its first project names), for telling which script it is written in. */
/**
 * Each district as the loaded plan writes it (core/districtNames.ts), for outputs to show. Empty for a
 * database whose plan was loaded before the plan's spelling was kept: outputs then show canonical names.
 */
export async function readDistrictNames(store: Store): Promise<DistrictNames> {
  const table = await store.connection.runAndReadAll("SELECT 1 FROM duckdb_tables() WHERE table_name = 'plan_districts' AND schema_name = 'main'");
  if (table.currentRowCount === 0) return {};
  const rows = (await store.connection.runAndReadAll('SELECT district, written FROM plan_districts')).getRowsJS();
  return Object.fromEntries(rows.map((r) => [String(r[0]), String(r[1])]));
}

/**
 * The plan's spelling of districts in the database at `dbPath`, for a command that only may have one
 * (`token`): empty when there is no such file, no plan, or the database is busy for more than a moment.
 */
export async function storedDistrictNames(dbPath: string): Promise<DistrictNames> {
  if (dbPath === ':memory:' || !fs.existsSync(dbPath)) return {};
  try {
    return await withStore(dbPath, { readOnly: true, lockTimeoutMs: 2000 }, readDistrictNames);
  } catch {
    return {};
  }
}

export async function planSampleText(store: Store): Promise<string> {
  const rows = (await store.connection.runAndReadAll('SELECT name FROM projects ORDER BY project_no LIMIT 12')).getRowsJS();
  return rows.map((r) => String(r[0])).join('');
}
