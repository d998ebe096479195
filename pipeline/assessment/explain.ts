// `minsheng assess explain`: why an assessee has the score and rank it has, component by component — the
// rule, the inputs, the points — then how far it is from the one above it and from the first, and the
// metrics that cost it the most. Everything comes from queries/assessment.sql (assessment() and
// assessment_pairs()), so the explanation can never disagree with the scores.
import { resolveDistrict } from '../../core/districts';
import { shownDistrict, withDistrictShown } from '../../core/districtNames';
import { resolveLeadUnit } from '../../core/leadUnits';
import { t, type Lang } from '../../core/messages';
import type { RulesContext } from '../../core/assessment/rulesWorkbook';
import { RATIO_SOURCES, type Source } from '../../core/assessment/rules';
import { SOURCE_ID, METHOD_ID } from '../../core/assessment/vocabulary';
import { runQuery } from '../db/queries';
import type { Store } from '../db/store';
import { rowObjects } from '../output/resultTable';
import { formatNumber } from '../output/table';
import { assessmentRows, nestAssessment, queryAssessment, type AssesseeScore, type ComponentScore } from './queries';

export interface ExplainRequest {
  year: number;
  asOf?: string;
  district?: string;
  leadUnit?: string;
  lang: Lang;
  /** How many costly metrics to list (default 5). */
  top?: number;
}

export interface CostlyMetric {
  district: string;
  metric_id: string;
  project_no: number;
  label: string;
  completion: number | null;
  weight: number;
  /** Points of the completion measure (0..1) this pair keeps it from: its weight share × (1 − capped completion). */
  shortfall: number;
  /** The completion component's points this shortfall costs, when that component is linear (after rescaling). */
  points_lost: number | null;
}

export interface Explanation {
  text: string;
  json: {
    assessee_type: 'district' | 'lead_unit';
    assessee: string;
    year: number;
    as_of: string;
    of: number;
    score: AssesseeScore;
    above?: { assessee: string; rank: number; total: number | null; differences: { component: string; difference: number | null }[] };
    first?: { assessee: string; total: number | null };
    costly_metrics: CostlyMetric[];
  };
}

const pct = (x: number) => `${formatNumber(x * 100, 1)}%`;
const pts = (x: number) => formatNumber(x, 2);

/** A measure as read: a percentage for ratio sources, a count otherwise. */
function measureText(source: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return RATIO_SOURCES.includes(source as Source) ? pct(value) : formatNumber(value, 2);
}

function whoIs(ctx: RulesContext, request: ExplainRequest): { type: 'district' | 'lead_unit'; name: string } {
  const { lang } = request;
  if (request.district !== undefined) {
    const match = resolveDistrict(request.district);
    if (match.kind === 'exact' || match.kind === 'alias') return { type: 'district', name: match.district.name };
    if (match.kind === 'misspelled') throw new Error(t(lang, 'assess.explain.unknown-suggest', { value: request.district, suggestion: match.suggestion.name }));
    throw new Error(t(lang, 'assess.explain.unknown', { value: request.district }));
  }
  const match = resolveLeadUnit(request.leadUnit ?? '', ctx.leadUnits);
  if (match.kind === 'found') return { type: 'lead_unit', name: match.unit.name };
  if (match.kind === 'ambiguous') throw new Error(t(lang, 'assess.explain.ambiguous', { value: request.leadUnit ?? '', candidates: match.candidates.join('、') }));
  if (match.suggestion) throw new Error(t(lang, 'assess.explain.unknown-suggest', { value: request.leadUnit ?? '', suggestion: match.suggestion.name }));
  throw new Error(t(lang, 'assess.explain.unknown', { value: request.leadUnit ?? '' }));
}

export async function explainAssessee(store: Store, ctx: RulesContext, request: ExplainRequest): Promise<Explanation> {
  const { lang, year } = request;
  const who = whoIs(ctx, request);
  const result = nestAssessment(assessmentRows(await queryAssessment(store, year, request.asOf)), year, request.asOf ?? `${year}-12-31`);
  // Districts are shown as the plan writes them (core/districtNames.ts); the canonical name finds them.
  const names = ctx.plan.districtNames;
  const shown = (name: string) => (who.type === 'district' ? shownDistrict(names, name) : name);
  const list: (AssesseeScore & { name: string })[] =
    who.type === 'district' ? result.districts.map((d) => ({ ...withDistrictShown(d, names), name: shown(d.district) })) : result.lead_units.map((u) => ({ ...u, name: u.lead_unit }));
  const me = list.find((x) => x.name === shown(who.name));
  if (!me) throw new Error(t(lang, 'assess.explain.not-assessed', { name: shown(who.name), year }));
  const above = list.find((x) => x.rank === me.rank - 1);
  const first = list[0];
  const costly = (await costlyMetrics(store, who, me, request)).map((m) => withDistrictShown(m, names));

  const lines: string[] = [];
  const typeWord = t(lang, who.type === 'district' ? 'assess.type.district' : 'assess.type.lead_unit');
  lines.push(
    t(lang, 'assess.explain.headline', {
      name: me.name,
      year,
      asOf: result.as_of,
      total: me.total === null ? t(lang, 'assess.status.missing') : pts(me.total),
      rank: me.tied ? t(lang, 'assess.explain.rank-tied', { rank: me.tie_rank }) : t(lang, 'assess.explain.rank', { rank: me.rank }),
      of: list.length,
      type: typeWord,
      tier: me.tier ?? '—',
      award: t(lang, me.award_candidate ? 'assess.explain.candidate' : 'assess.explain.not-candidate'),
    }),
  );
  if (me.rescale_factor !== null && Math.abs(me.rescale_factor - 1) > 1e-9) lines.push(t(lang, 'assess.explain.rescaled', { factor: formatNumber(me.rescale_factor, 4) }));
  lines.push('');
  me.components.forEach((c, i) => lines.push(...componentLines(c, i + 1, me.rescale_factor, lang)));
  if (above) {
    lines.push('', t(lang, 'assess.explain.above', { name: above.name, rank: above.rank, gap: pts((above.total ?? 0) - (me.total ?? 0)) }));
    for (const [i, c] of me.components.entries()) {
      const other = above.components[i];
      if (c.points === null && other.points === null) continue;
      const diff = (c.points ?? 0) - (other.points ?? 0);
      if (Math.abs(diff) < 0.005) continue;
      lines.push(`  ${c.component}：${diff > 0 ? '+' : ''}${pts(diff)}`);
    }
  }
  if (first && first !== me) lines.push(t(lang, 'assess.explain.first', { name: first.name, gap: pts((first.total ?? 0) - (me.total ?? 0)) }));
  if (costly.length > 0) {
    lines.push('', t(lang, who.type === 'district' ? 'assess.explain.costly.district' : 'assess.explain.costly.lead_unit'));
    for (const m of costly) {
      lines.push(
        '  ' +
          t(lang, 'assess.explain.costly-line', {
            district: who.type === 'district' ? '' : `${m.district} `,
            metric: m.metric_id,
            label: m.label,
            completion: m.completion === null ? t(lang, 'assess.explain.unreported') : pct(Math.min(m.completion, 1)),
            shortfall: formatNumber(m.shortfall * 100, 2),
            points: m.points_lost === null ? '' : t(lang, 'assess.explain.points-lost', { points: pts(m.points_lost) }),
          }),
      );
    }
  }
  return {
    text: lines.join('\n'),
    json: {
      assessee_type: who.type,
      assessee: me.name,
      year,
      as_of: result.as_of,
      of: list.length,
      score: me,
      ...(above
        ? {
            above: {
              assessee: above.name,
              rank: above.rank,
              total: above.total,
              differences: me.components.map((c, i) => ({
                component: c.component,
                difference: c.points === null && above.components[i].points === null ? null : (c.points ?? 0) - (above.components[i].points ?? 0),
              })),
            },
          }
        : {}),
      ...(first && first !== me ? { first: { assessee: first.name, total: first.total } } : {}),
      costly_metrics: costly,
    },
  };
}

function componentLines(c: ComponentScore, no: number, factor: number | null, lang: Lang): string[] {
  const source = t(lang, SOURCE_ID[c.source as Source]);
  const lines: string[] = [];
  const head = `${no}. ${c.component}（${source}，${t(lang, METHOD_ID[c.method as keyof typeof METHOD_ID])}）`;
  if (c.status !== 'scored') {
    const treatment = t(lang, c.when_missing === 'rescale' ? 'assess.treatment.rescale' : 'assess.treatment.omit');
    lines.push(`${head}：${t(lang, c.status === 'not_recorded' ? 'assess.status.not_recorded' : 'assess.status.missing')} / ${pts(c.full_points)}`);
    lines.push(`   ${t(lang, c.status === 'not_recorded' ? 'assess.explain.not-recorded' : 'assess.explain.missing', { source, treatment })}`);
    return lines;
  }
  lines.push(`${head}：${pts(c.points ?? 0)} / ${pts(c.full_points)}`);
  lines.push(`   ${t(lang, 'assess.explain.rule')}${ruleText(c, lang)}`);
  lines.push(`   ${t(lang, 'assess.explain.inputs')}${inputsText(c, lang)}`);
  const steps = [`${t(lang, 'assess.explain.method-points')} ${pts(c.method_points ?? 0)}`];
  if (c.rule.case_deduction !== undefined) {
    steps.push(
      c.case_count === null
        ? t(lang, 'assess.explain.cases-not-recorded')
        : t(lang, 'assess.explain.cases', { count: c.case_count, each: pts(c.rule.case_deduction), points: pts(c.case_points ?? 0) }),
    );
  }
  if (factor !== null && Math.abs(factor - 1) > 1e-9) steps.push(`× ${formatNumber(factor, 4)}`);
  steps.push(`= ${pts(c.points ?? 0)}`);
  lines.push(`   ${steps.join('，')}`);
  return lines;
}

function ruleText(c: ComponentScore, lang: Lang): string {
  const r = c.rule;
  switch (c.method) {
    case 'linear':
      return t(lang, 'assess.explain.rule.linear', { lower: measureText(c.source, r.lower_bound), upper: measureText(c.source, r.upper_bound), points: pts(c.full_points) });
    case 'per_event':
      return t(lang, 'assess.explain.rule.per_event', {
        base: pts(r.base_points ?? 0),
        plus: pts(r.plus_points ?? 0),
        minus: pts(r.minus_points ?? 0),
        min: pts(r.min_points ?? 0),
        points: pts(c.full_points),
      });
    case 'rank':
      return t(lang, 'assess.explain.rule.rank', { rank: c.measure_rank ?? '—' });
    default:
      return t(lang, 'assess.explain.rule.bands');
  }
}

function inputsText(c: ComponentScore, lang: Lang): string {
  const i = c.inputs as Record<string, number>;
  const measure = measureText(c.source, c.measure);
  switch (c.source) {
    case 'completion':
      return t(lang, 'assess.explain.in.completion', { pairs: i.pairs ?? i.items ?? 0, value: measure, unreported: i.unreported ? t(lang, 'assess.explain.in.unreported', { count: i.unreported }) : '' });
    case 'schedule':
      return t(lang, 'assess.explain.in.schedule', { months: i.items ?? 0, value: measure });
    case 'satisfaction':
    case 'third_party':
      return t(lang, 'assess.explain.in.scores', { scored: (i.items ?? 0) - (i.items_missing ?? 0), items: i.items ?? 0, value: measure });
    case 'participation':
      return t(lang, 'assess.explain.in.participation', { records: i.items ?? 0, times: i.plus_events ?? 0 });
    case 'workload':
      return t(lang, 'assess.explain.in.workload', { projects: i.projects ?? 0, metrics: i.metrics ?? 0, districts: i.districts ?? 0, tasks: i.tasks ?? 0, rank: c.measure_rank ?? '—' });
    case 'bulletins':
      return t(lang, 'assess.explain.in.bulletins', { bulletins: i.items ?? 0, praised: i.plus_events ?? 0, named: i.minus_events ?? 0 });
    default:
      return measure;
  }
}

/** The pairs that keep the completion measure furthest from 100%, largest first. */
async function costlyMetrics(store: Store, who: { type: string; name: string }, me: AssesseeScore, request: ExplainRequest): Promise<CostlyMetric[]> {
  const table = await runQuery(
    store,
    `SELECT district, metric_id, project_no, label, completion, weight,
            weight / sum(weight) OVER () * (1 - least(coalesce(completion, 0), 1)) AS shortfall
     FROM assessment_pairs(CAST($1 AS INTEGER), as_of_date := CAST($2 AS DATE))
     WHERE assessee_type = $3 AND assessee = $4
     QUALIFY shortfall > 0
     ORDER BY shortfall DESC, district, project_no, metric_id
     LIMIT CAST($5 AS INTEGER)`,
    [request.year, request.asOf ?? null, who.type, who.name, Math.max(1, Math.min(request.top ?? 5, 50))],
  );
  const completion = me.components.find((c) => c.source === 'completion' && c.status === 'scored');
  const perMeasure =
    completion && completion.method === 'linear' && completion.rule.upper_bound !== undefined && completion.rule.lower_bound !== undefined
      ? (completion.full_points / (completion.rule.upper_bound - completion.rule.lower_bound)) * (me.rescale_factor ?? 1)
      : null;
  return rowObjects(table).map((row) => ({
    district: String(row.district),
    metric_id: String(row.metric_id),
    project_no: Number(row.project_no),
    label: String(row.label),
    completion: row.completion === null ? null : Number(row.completion),
    weight: Number(row.weight),
    shortfall: Number(row.shortfall),
    points_lost: perMeasure === null ? null : Number(row.shortfall) * perMeasure,
  }));
}
