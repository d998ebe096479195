// The assessment's scores (queries/assessment.sql): the SQL macro against the plain TypeScript reference on
// seeded random years, totals equal to the sums of their components, and raising one metric's
// completion never lowering a district's total.
import { assessmentRows, queryAssessment, type AssessmentRow } from '../pipeline/assessment/queries';
import type { Store } from '../pipeline/db/store';
import { referenceAssessment, type RefComponentRow } from './helpers/reference/assessment';
import { generateAssessment } from './helpers/reference/randomAssessment';
import { storeWith } from './helpers/store';

const SEEDS = [1, 2, 3, 5, 8];

async function sqlRows(store: Store, asOf: string): Promise<AssessmentRow[]> {
  return assessmentRows(await queryAssessment(store, 2024, asOf));
}

const near = (a: number | null, b: number | null, tolerance = 1e-6) => (a === null || b === null ? a === b : Math.abs(a - b) <= tolerance);

test.each(SEEDS)('seed %i: the SQL macro equals the reference, and every total is the sum of its components', async (seed) => {
  const generated = generateAssessment(seed);
  const { store } = await storeWith(generated.input.plan, generated.input.loads);
  try {
    await generated.load(store);
    for (const asOf of generated.checkDates) {
      const sql = await sqlRows(store, asOf);
      const ref = referenceAssessment(generated.input, 2024, asOf);
      const key = (r: { type?: string; assessee_type?: string; assessee: string; component: string }) => `${r.type ?? r.assessee_type}|${r.assessee}|${r.component}`;
      const bySql = new Map(sql.map((r) => [key(r), r]));
      expect([asOf, sql.length]).toEqual([asOf, ref.length]);
      for (const r of ref) {
        const s = bySql.get(key(r))!;
        const where = `${asOf} ${key(r)}`;
        expect([where, s.measure_status, s.rank, s.tie_rank, s.tied, s.tier, s.award_candidate, s.case_count]).toEqual([where, r.status, r.rank, r.tieRank, r.tied, r.tier, r.awardCandidate, r.caseCount]);
        expect([where, near(s.measure, r.measure), near(s.points, r.points), near(s.total, r.total)]).toEqual([where, true, true, true]);
      }
      // Totals are the sums of the components' points; a missing component adds nothing and is never 0.
      const groups = new Map<string, AssessmentRow[]>();
      for (const r of sql) groups.set(`${r.assessee_type}|${r.assessee}`, [...(groups.get(`${r.assessee_type}|${r.assessee}`) ?? []), r]);
      for (const [who, own] of groups) {
        const sum = own.reduce((s, r) => s + (r.points ?? 0), 0);
        expect([who, own[0].total === null ? null : Math.abs(own[0].total - sum) < 1e-9]).toEqual([who, own.every((r) => r.points === null) ? null : true]);
        for (const r of own) if (r.measure_status !== 'scored') expect([who, r.component, r.points]).toEqual([who, r.component, null]);
      }
    }
  } finally {
    store.close();
  }
});

test('the generated years reach every status, method and missing treatment between them', () => {
  const seen = new Set<string>();
  for (const seed of SEEDS) {
    const g = generateAssessment(seed);
    for (const r of referenceAssessment(g.input, 2024)) seen.add(`status:${r.status}`);
    for (const c of g.input.rules.components) seen.add(`method:${c.method}`).add(`missing:${c.whenMissing}`).add(`source:${c.source}`);
    if (g.input.cases.length > 0) seen.add('cases');
    if (g.input.bulletins.length > 0) seen.add('bulletins');
  }
  for (const s of ['status:scored', 'status:missing', 'status:not_recorded', 'method:linear', 'method:bands', 'method:rank', 'method:per_event', 'missing:rescale', 'missing:omit', 'cases', 'bulletins', 'source:satisfaction', 'source:workload', 'source:participation']) {
    expect([s, seen.has(s)]).toEqual([s, true]);
  }
});

test.each([11, 12, 13])('seed %i: raising one metric\'s completion never lowers that district\'s total', async (seed) => {
  const generated = generateAssessment(seed);
  const loads = [...generated.input.loads];
  const { store } = await storeWith(generated.input.plan, loads);
  try {
    await generated.load(store);
    const totals = async () => new Map((await sqlRows(store, '2024-12-31')).filter((r) => r.assessee_type === 'district').map((r) => [r.assessee, r.total]));
    let before = await totals();
    // Raise a reported amount in the latest report of a few districts, one at a time, by filing a
    // corrected report for the same date (it supersedes the earlier file).
    const raised = new Set<string>();
    for (const load of [...loads].reverse()) {
      if (raised.has(load.district) || load.rows.length === 0 || !before.has(load.district) || raised.size >= 3) continue;
      raised.add(load.district);
      const rows = load.rows.map((r, i) => (i === 0 ? { ...r, completed: r.completed * 1.5 + 1 } : r));
      const corrected = { ...load, rows, sha256: `${load.sha256}-raised` };
      const { loadSubmission } = await import('../pipeline/db/submissions');
      await loadSubmission(store, corrected, { fileName: 'raised.xlsx', sha256: corrected.sha256 });
      const after = await totals();
      expect([load.district, (after.get(load.district) ?? -Infinity) >= (before.get(load.district) ?? -Infinity) - 1e-9]).toEqual([load.district, true]);
      before = after;
    }
    expect(raised.size).toBeGreaterThan(0);
  } finally {
    store.close();
  }
});

export type { RefComponentRow };
