// Generated plans and years of submissions from a fixed seed, for comparing the SQL with the reference
// implementation on cases nobody thought of: omitted metrics, stalls, corrections downwards,
// resubmissions, duplicate files, zero targets, several milestones on one day, ratios above 1.
import { seededRandom } from '../../../samples/seededRandom';
import { DISTRICTS } from '../../../core/districts';
import type { Metric, Milestone, Plan, Target } from '../../../core/model';
import type { ReferenceLoad } from './analysis';
import { sha256Of } from './fixtures';

export { seededRandom };


const MONTH_ENDS = [
  '2024-01-31',
  '2024-02-29',
  '2024-03-31',
  '2024-04-30',
  '2024-05-31',
  '2024-06-30',
  '2024-07-31',
  '2024-08-31',
  '2024-09-30',
  '2024-10-31',
  '2024-11-30',
  '2024-12-31',
];

export interface GeneratedYear {
  plan: Plan;
  loads: ReferenceLoad[];
  checkDates: string[];
}

export function generateYear(seed: number): GeneratedYear {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number) => rnd() < p;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const cents = (x: number) => Math.round(x * 100) / 100;

  const districtPool = DISTRICTS.map((d) => d.name);
  const districts = districtPool.filter(() => chance(0.45));
  if (districts.length < 2) districts.push(districtPool[1], districtPool[2]);

  const plan: Plan = { year: 2024, categories: [{ no: 1, name: '類別' }], projects: [], metrics: [], targets: [], responsibilities: [], milestones: [] };
  const projectCount = int(3, 7);
  for (let projectNo = 1; projectNo <= projectCount; projectNo++) {
    plan.projects.push({ no: projectNo, name: `項目${projectNo}`, categoryNo: 1 });
    const deadline = chance(0.8) ? pick(MONTH_ENDS.slice(4, 11)) : undefined;
    plan.responsibilities.push({
      projectNo,
      categoryNo: 1,
      projectName: `項目${projectNo}`,
      leaders: [],
      leadUnit: '市某局',
      leadUnitLeaders: [],
      coordinatingUnits: [],
      deadline,
      deadlineText: deadline ?? '',
      planText: '',
    });
    const metricCount = int(1, 3);
    for (let k = 1; k <= metricCount; k++) {
      const kind = pick(['count', 'count', 'count', 'rate', 'compound', 'city-only'] as const);
      const id = `${projectNo}-${k}`;
      const metric: Metric = {
        id,
        projectNo,
        k,
        label: `指標${id}`,
        unit: kind === 'rate' ? '%' : '個',
        kind,
        cityTarget: kind === 'rate' ? 0.9 : 100,
        ...(kind === 'compound' ? { cityTargetExtra: 20 } : {}),
      };
      plan.metrics.push(metric);
      plan.targets.push(...targetsFor(metric));
      plan.milestones.push(...milestonesFor(metric));
    }
  }

  function targetsFor(metric: Metric): Target[] {
    if (metric.kind === 'city-only') return chance(0.5) ? [{ metricId: metric.id, district: '市本級', target: 1000 }] : [];
    return districts
      .filter(() => chance(0.75))
      .map((district) => {
        if (metric.kind === 'rate') return { metricId: metric.id, district, target: cents(0.8 + rnd() * 0.2) };
        if (metric.kind === 'compound') return { metricId: metric.id, district, target: int(0, 5), targetExtra: int(0, 4) };
        return { metricId: metric.id, district, target: chance(0.05) ? 0 : int(1, 50) };
      });
  }

  function milestonesFor(metric: Metric): Milestone[] {
    const dates = MONTH_ENDS.slice(1, 11).filter(() => chance(0.3)).sort();
    let ratio = 0;
    const steps: Milestone[] = [];
    for (const dueDate of dates) {
      ratio = Math.min(cents(ratio + 0.1 + rnd() * 0.4), 1.2);
      const base = { metricId: metric.id, projectNo: metric.projectNo, dueDate };
      const form = rnd();
      if (form < 0.15) steps.push({ ...base, text: `${dueDate} 完成招標` });
      else if (metric.kind !== 'rate' && form < 0.2) {
        // A rate given for an amount metric: not a number the metric can be judged by.
        steps.push({ ...base, expectedRate: 0.9, text: `${dueDate} 覆蓋率達到90%` });
      } else if (metric.kind === 'rate' && form < 0.5) {
        steps.push({ ...base, expectedRate: cents(0.7 + rnd() * 0.3), text: `${dueDate} 達到某比率` });
      } else steps.push({ ...base, expectedRatio: ratio, text: `${dueDate} 完成${Math.round(ratio * 100)}%` });
      if (chance(0.15)) {
        steps.push({ ...base, expectedRatio: cents(ratio * rnd()), text: `${dueDate} 同日另一步` });
      }
    }
    return steps;
  }

  // Submissions: each district reports at some month ends and a few mid-month days.
  const reportDays = [...MONTH_ENDS.slice(1), '2024-05-15', '2024-08-20'].sort();
  const loads: ReferenceLoad[] = [];
  for (const district of districts) {
    const metrics = plan.targets.filter((t) => t.district === district);
    const amounts = new Map<string, number>();
    for (const asOf of reportDays) {
      if (!chance(0.7)) continue;
      const rows: ReferenceLoad['rows'] = [];
      for (const t of metrics) {
        if (!chance(0.85)) continue;
        const metric = plan.metrics.find((m) => m.id === t.metricId)!;
        const before = amounts.get(t.metricId) ?? 0;
        let value: number;
        if (metric.kind === 'rate') value = chance(0.2) ? before : cents(0.5 + rnd() * 0.55);
        else {
          const total = t.target + (t.targetExtra ?? 0);
          const step = pick([0, 0, 1, 2, 3, 5]) * Math.max(1, Math.round(total / 10));
          value = Math.max(0, before + (chance(0.05) ? -1 : step));
        }
        amounts.set(t.metricId, value);
        rows.push({ metricId: t.metricId, completed: value });
      }
      const load = { district, asOf, rows, sha256: sha256Of(JSON.stringify({ district, asOf, rows })) };
      loads.push(load);
      if (chance(0.1)) loads.push(load); // the same file twice
      if (chance(0.12)) {
        // A corrected file for the same day; sometimes it leaves a metric out.
        const corrected = rows
          .filter(() => chance(0.9))
          .map((r) => ({ metricId: r.metricId, completed: cents(r.completed * (0.9 + rnd() * 0.2)) }));
        for (const r of corrected) amounts.set(r.metricId, r.completed);
        loads.push({ district, asOf, rows: corrected, sha256: sha256Of(JSON.stringify({ district, asOf, corrected })) });
      }
    }
  }

  const checkDates = [...MONTH_ENDS, '2024-05-15', '2024-05-16', '2024-08-20', '2025-01-15'];
  for (let i = 0; i < 6; i++) checkDates.push(`2024-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`);
  return { plan, loads, checkDates: [...new Set(checkDates)].sort() };
}
