// Writes a parsed Plan (core/model.ts) into the plan tables, replacing the previous plan as a whole in
// one transaction. Submissions and progress are kept: they refer to metrics by id only.
import type { Plan } from '../../core/model';
import { appendRows, isoDay } from './appender';
import { inTransaction, type Store } from './store';

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
}

const PLAN_TABLES = ['categories', 'projects', 'metrics', 'targets', 'responsibilities', 'milestones', 'plan_meta'];

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
    };
    await appendRows(c, 'plan_meta', [
      [plan.year, loadedAt, sources.map((s) => s.fileName), sources.map((s) => s.sha256)],
    ]);
    return counts;
  });
}
