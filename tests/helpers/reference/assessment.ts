// Reference implementation of the year-end assessment (queries/assessment.sql, docs/design.md "The
// year-end assessment") in plain TypeScript, from the Plan, the loaded files, the rules and the inputs.
// Tests compare the SQL macro against it; it shares no code with it (completion and expectations come
// from the reference lag, analysis.ts).
import { DISTRICTS } from '../../../core/districts';
import type { RuleSet } from '../../../core/assessment/rules';
import type { Plan } from '../../../core/model';
import { referenceLag, round9, type ReferenceLoad } from './analysis';

export interface RefScoreFile {
  kind: 'satisfaction' | 'third_party';
  scale: number;
  rows: { projectNo: number; district?: string; score: number }[];
}

export interface RefParticipationFile {
  records: { type: 'district' | 'lead_unit'; assessee: string; date: string; times: number }[];
}

export interface RefCase {
  district: string;
  metricId: string;
  projectNo: number;
  openedOn: string;
}

export interface RefBulletin {
  asOf: string;
  superseded: boolean;
  praised: string[];
  named: string[];
}

export interface RefAssessmentInput {
  plan: Plan;
  loads: readonly ReferenceLoad[];
  /** Lead units per project (as the plan names them). */
  leadUnits: Map<number, string[]>;
  /** Lead unit → its order (first project naming it). */
  leadUnitOrder: Map<string, number>;
  rules: RuleSet;
  scoreFiles: RefScoreFile[];
  participationFiles: RefParticipationFile[];
  cases: RefCase[];
  bulletins: RefBulletin[];
}

export interface RefComponentRow {
  type: 'district' | 'lead_unit';
  assessee: string;
  component: string;
  status: 'scored' | 'missing' | 'not_recorded';
  measure: number | null;
  points: number | null;
  total: number | null;
  rank: number;
  tieRank: number;
  tied: boolean;
  tier: string | null;
  awardCandidate: boolean;
  caseCount: number | null;
}

const round4 = (x: number) => (Math.sign(x) * Math.round(Math.abs(x) * 1e4)) / 1e4;
const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length);
const monthEnd = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
const districtOrder = (name: string) => DISTRICTS.find((d) => d.name === name)?.order ?? Number.POSITIVE_INFINITY;

interface Pair {
  district: string;
  metricId: string;
  projectNo: number;
  completion: number | null;
  expected: number;
  weight: number;
}

/** The judged pairs at a date with their weight, and the assessees each belongs to. */
function pairsAt(input: RefAssessmentInput, date: string): { pair: Pair; owners: [string, string][] }[] {
  const weights = new Map(input.rules.weights.map((w) => [w.metricId, w.weight]));
  const projectOf = new Map(input.plan.metrics.map((m) => [m.id, m.projectNo]));
  return referenceLag(input.plan, input.loads, date).map((row) => {
    const projectNo = projectOf.get(row.metricId)!;
    const pair = { district: row.district, metricId: row.metricId, projectNo, completion: row.completion, expected: row.expectedRatio, weight: weights.get(row.metricId) ?? 1 };
    const owners: [string, string][] = [['district', row.district], ...(input.leadUnits.get(projectNo) ?? []).map((u): [string, string] => ['lead_unit', u])];
    return { pair, owners };
  });
}

function byOwner(pairs: ReturnType<typeof pairsAt>): Map<string, Pair[]> {
  const map = new Map<string, Pair[]>();
  for (const { pair, owners } of pairs) for (const [type, name] of owners) map.set(`${type}|${name}`, [...(map.get(`${type}|${name}`) ?? []), pair]);
  return map;
}

export function referenceAssessment(input: RefAssessmentInput, year: number, asOf?: string): RefComponentRow[] {
  const at = asOf ?? `${year}-12-31`;
  const rules = input.rules;
  const now = byOwner(pairsAt(input, at));
  const months = Array.from({ length: 12 }, (_, i) => monthEnd(year, i + 1))
    .filter((d) => d <= at)
    .map((d) => byOwner(pairsAt(input, d)));

  // Scores: per kind and project, the rows of the latest file listing the project.
  const scoreRows = new Map<string, { district?: string; ratio: number }[]>();
  for (const file of input.scoreFiles) {
    const projects = new Set(file.rows.map((r) => r.projectNo));
    for (const p of projects) scoreRows.set(`${file.kind}|${p}`, file.rows.filter((r) => r.projectNo === p).map((r) => ({ district: r.district, ratio: r.score / file.scale })));
  }
  const recordedScores = (kind: string) => [...scoreRows.keys()].some((k) => k.startsWith(`${kind}|`));
  // Participation: per unit, the records of the latest file listing it, up to the date.
  const participation = new Map<string, { times: number; records: number }>();
  const latestFor = new Map<string, RefParticipationFile['records']>();
  for (const file of input.participationFiles) {
    const units = new Set(file.records.map((r) => `${r.type}|${r.assessee}`));
    for (const u of units) latestFor.set(u, file.records.filter((r) => `${r.type}|${r.assessee}` === u));
  }
  for (const [unit, records] of latestFor) {
    const counted = records.filter((r) => r.date <= at);
    if (counted.length > 0) participation.set(unit, { times: counted.reduce((s, r) => s + r.times, 0), records: counted.length });
  }
  const participationRecorded = participation.size > 0;
  const bulletins = input.bulletins.filter((b) => !b.superseded && b.asOf.startsWith(`${year}-`) && b.asOf <= at);
  const cases = input.cases.filter((c) => c.openedOn.startsWith(`${year}-`) && c.openedOn <= at);
  const casesRecorded = cases.length > 0;
  const caseCount = (type: string, name: string) =>
    cases.filter((c) => (type === 'district' ? c.district === name : (input.leadUnits.get(c.projectNo) ?? []).includes(name))).length;

  const rows: (RefComponentRow & { order: number; rawPoints: number | null; full: number; whenMissing: string })[] = [];
  for (const setting of rules.settings) {
    const assessees = rules.assessees.filter((a) => a.type === setting.type && a.included);
    const components = rules.components.filter((c) => c.type === setting.type);
    // Measures first: the rank method needs every assessee's.
    const measured = assessees.map((a) => {
      const key = `${a.type}|${a.name}`;
      const pairs = now.get(key) ?? [];
      return {
        assessee: a,
        measures: components.map((c) => {
          let recorded = true;
          let measure: number | null = null;
          switch (c.source) {
            case 'completion': {
              const w = pairs.reduce((s, p) => s + p.weight, 0);
              measure = pairs.length === 0 || w === 0 ? null : pairs.reduce((s, p) => s + p.weight * Math.min(p.completion ?? 0, 1), 0) / w;
              break;
            }
            case 'workload':
              measure = pairs.length === 0 ? null : pairs.length;
              break;
            case 'schedule': {
              const attainments = months
                .map((m) => (m.get(key) ?? []).filter((p) => p.expected > 0))
                .map((ps) => {
                  const w = ps.reduce((s, p) => s + p.weight, 0);
                  return ps.length === 0 || w === 0 ? null : ps.reduce((s, p) => s + p.weight * Math.min((p.completion ?? 0) / p.expected, 1), 0) / w;
                })
                .filter((x): x is number => x !== null);
              measure = mean(attainments);
              break;
            }
            case 'satisfaction':
            case 'third_party': {
              recorded = recordedScores(c.source);
              const projects =
                a.type === 'district'
                  ? [...new Set(pairs.map((p) => p.projectNo))]
                  : [...input.leadUnits.entries()].filter(([, us]) => us.includes(a.name)).map(([p]) => p);
              const ratios = projects
                .map((p) => {
                  const rowsOf = scoreRows.get(`${c.source}|${p}`) ?? [];
                  if (a.type === 'district') return (rowsOf.find((r) => r.district === a.name) ?? rowsOf.find((r) => r.district === undefined))?.ratio ?? null;
                  const whole = rowsOf.filter((r) => r.district === undefined).map((r) => r.ratio);
                  return mean(whole) ?? mean(rowsOf.filter((r) => r.district !== undefined).map((r) => r.ratio));
                })
                .filter((x): x is number => x !== null);
              measure = mean(ratios);
              break;
            }
            case 'participation':
              recorded = participationRecorded;
              measure = participation.get(key)?.times ?? 0;
              break;
            case 'bulletins': {
              recorded = bulletins.length > 0;
              const praised = bulletins.reduce((s, b) => s + b.praised.filter((d) => d === a.name).length, 0);
              const named = bulletins.reduce((s, b) => s + b.named.filter((d) => d === a.name).length, 0);
              measure = praised - named;
              return { recorded, measure: round9(measure), plus: praised, minus: named };
            }
          }
          const plus = c.source === 'participation' ? (participation.get(key)?.times ?? 0) : 0;
          return { recorded, measure: measure === null ? null : round9(measure), plus, minus: 0 };
        }),
      };
    });
    const typeRows: typeof rows = [];
    for (const { assessee, measures } of measured) {
      components.forEach((c, i) => {
        const m = measures[i];
        const status: RefComponentRow['status'] = !m.recorded ? 'not_recorded' : m.measure === null ? 'missing' : 'scored';
        let points: number | null = null;
        if (status === 'scored') {
          const x = m.measure!;
          if (c.method === 'linear') points = c.points * Math.max(0, Math.min(1, (x - c.lower!) / (c.upper! - c.lower!)));
          if (c.method === 'bands') {
            points = rules.bands.find((b) => b.type === c.type && b.component === c.name && (b.lower === undefined || x >= b.lower) && (b.upper === undefined || x < b.upper))?.points ?? null;
          }
          if (c.method === 'rank') {
            const others = measured.map((o) => o.measures[i]).filter((o) => o.recorded && o.measure !== null);
            const rank = 1 + others.filter((o) => o.measure! > x).length;
            points = rules.rankPoints.find((r) => r.type === c.type && r.component === c.name && rank >= r.from && (r.to === undefined || rank <= r.to))?.points ?? null;
          }
          if (c.method === 'per_event') {
            points = Math.max(c.minPoints ?? 0, Math.min(c.points, c.basePoints! + (c.plusPoints ?? 0) * m.plus - (c.minusPoints ?? 0) * m.minus));
          }
          if (points !== null && c.caseDeduction && casesRecorded) {
            const floor = Math.min(points, c.minPoints ?? 0);
            points -= Math.min(c.caseDeduction * caseCount(assessee.type, assessee.name), points - floor);
          }
        }
        typeRows.push({
          type: assessee.type,
          assessee: assessee.name,
          component: c.name,
          status,
          measure: m.recorded ? m.measure : null,
          points: null,
          rawPoints: points,
          full: c.points,
          whenMissing: c.whenMissing,
          total: null,
          rank: 0,
          tieRank: 0,
          tied: false,
          tier: null,
          awardCandidate: false,
          caseCount: casesRecorded ? caseCount(assessee.type, assessee.name) : null,
          order: assessee.type === 'district' ? districtOrder(assessee.name) : (input.leadUnitOrder.get(assessee.name) ?? Infinity),
        });
      });
    }
    // Rescale, totals, ranks, tiers.
    const totals = new Map<string, number | null>();
    for (const a of assessees) {
      const own = typeRows.filter((r) => r.assessee === a.name);
      const scored = own.filter((r) => r.status === 'scored');
      const present = scored.reduce((s, r) => s + r.full, 0);
      const rescaled = own.filter((r) => r.status !== 'scored' && r.whenMissing === 'rescale').reduce((s, r) => s + r.full, 0);
      const factor = present > 0 ? (present + rescaled) / present : null;
      for (const r of own) r.points = r.rawPoints === null || factor === null ? null : round4(r.rawPoints * factor);
      totals.set(a.name, scored.length === 0 || factor === null ? null : round4(own.reduce((s, r) => s + (r.points ?? 0), 0)));
    }
    const ordered = [...assessees].sort((x, y) => {
      const tx = totals.get(x.name) ?? null;
      const ty = totals.get(y.name) ?? null;
      if (tx !== ty) {
        if (tx === null) return 1;
        if (ty === null) return -1;
        if (tx !== ty) return ty - tx;
      }
      const ox = typeRows.find((r) => r.assessee === x.name)!.order;
      const oy = typeRows.find((r) => r.assessee === y.name)!.order;
      return ox - oy || (x.name < y.name ? -1 : 1);
    });
    const tiers = rules.tiers.filter((t) => t.type === setting.type).sort((x, y) => x.order - y.order);
    ordered.forEach((a, i) => {
      const total = totals.get(a.name) ?? null;
      const tieRank = 1 + ordered.filter((o) => {
        const t = totals.get(o.name) ?? null;
        return total === null ? t !== null : t !== null && t > total;
      }).length;
      const tied = total !== null && ordered.some((o) => o !== a && totals.get(o.name) === total);
      const tier = total === null ? undefined : tiers.find((t) => t.minTotal === undefined || total >= t.minTotal);
      for (const r of typeRows.filter((x) => x.assessee === a.name)) {
        Object.assign(r, { total, rank: i + 1, tieRank, tied, tier: tier?.name ?? null, awardCandidate: Boolean(tier?.awardEligible) && tieRank <= setting.awardQuota });
      }
    });
    rows.push(...typeRows);
  }
  return rows.map(({ order: _o, rawPoints: _r, full: _f, whenMissing: _w, ...row }) => row);
}
