// The assessment for people on a terminal: one table per kind of assessee (rank, name, total, tier,
// candidate, then each component's points), and under it what a missing input did to the totals.
import { t, type Lang } from '../../core/messages';
import { renderTable, formatNumber } from '../output/table';
import type { ResultTable } from '../output/resultTable';
import type { AssesseeScore, AssessmentJson, ComponentScore } from './queries';

type Typed = 'district' | 'lead_unit';

/** A component's points as shown: the number, or 缺項 / 未記錄 (never a 0 for a missing input). */
export function pointsText(c: Pick<ComponentScore, 'points' | 'status'>, lang: Lang): string {
  if (c.status === 'scored' && c.points !== null) return formatNumber(c.points, 2);
  return t(lang, c.status === 'not_recorded' ? 'assess.status.not_recorded' : 'assess.status.missing');
}

export function renderAssessment(result: AssessmentJson, lang: Lang): string {
  const parts: string[] = [];
  for (const type of ['district', 'lead_unit'] as const) {
    const rows: (AssesseeScore & { name: string })[] =
      type === 'district' ? result.districts.map((d) => ({ ...d, name: d.district })) : result.lead_units.map((u) => ({ ...u, name: u.lead_unit }));
    if (rows.length === 0) continue;
    parts.push(renderType(type, rows, result, lang));
  }
  return parts.length > 0 ? parts.join('\n') : `${t(lang, 'assess.cli.nobody')}\n`;
}

function renderType(type: Typed, rows: (AssesseeScore & { name: string })[], result: AssessmentJson, lang: Lang): string {
  const components = rows[0].components.map((c) => c.component);
  const table: ResultTable = {
    columns: [
      { name: 'rank', kind: 'int32' },
      { name: 'name', kind: 'text' },
      { name: 'total', kind: 'text' },
      { name: 'tier', kind: 'text' },
      { name: 'award', kind: 'text' },
      ...components.map((c, i) => ({ name: `c${i}`, kind: 'text' as const })),
    ],
    rows: rows.map((r) => [
      r.rank,
      r.name,
      r.total === null ? t(lang, 'assess.status.missing') : formatNumber(r.total, 2) + (r.tied ? '*' : ''),
      r.tier ?? '',
      r.award_candidate ? t(lang, 'assess.yes') : '',
      ...r.components.map((c) => pointsText(c, lang)),
    ]),
  };
  const right = { align: 'right' as const };
  const text = renderTable(table, {
    title: t(lang, type === 'district' ? 'assess.cli.title.district' : 'assess.cli.title.lead_unit', { year: result.year, asOf: result.as_of }),
    columns: {
      rank: { header: t(lang, 'assess.col.rank') },
      name: { header: t(lang, type === 'district' ? 'assess.type.district' : 'assess.type.lead_unit') },
      total: { header: t(lang, 'assess.col.total'), ...right },
      tier: { header: t(lang, 'assess.col.tier') },
      award: { header: t(lang, 'assess.col.candidate') },
      ...Object.fromEntries(components.map((c, i) => [`c${i}`, { header: `${c}(${formatNumber(rows[0].components[i].full_points, 2)})`, ...right }])),
    },
  });
  return text + missingNotes(rows, lang).map((line) => `${line}\n`).join('');
}

/** What the totals did with missing inputs and unrecorded cases, one line per component. */
export function missingNotes(rows: readonly (AssesseeScore & { name: string })[], lang: Lang): string[] {
  const lines: string[] = [];
  if (rows.some((r) => r.tied)) lines.push(t(lang, 'assess.cli.note.tied'));
  const components = rows[0]?.components ?? [];
  components.forEach((component, i) => {
    const treatment = t(lang, component.when_missing === 'rescale' ? 'assess.treatment.rescale' : 'assess.treatment.omit');
    const own = rows.map((r) => ({ name: r.name, c: r.components[i] }));
    if (own.every((x) => x.c.status === 'not_recorded')) {
      lines.push(t(lang, 'assess.cli.note.not_recorded', { component: component.component, treatment }));
      return;
    }
    const missing = own.filter((x) => x.c.status !== 'scored').map((x) => x.name);
    if (missing.length > 0) lines.push(t(lang, 'assess.cli.note.missing', { component: component.component, names: missing.join('、'), treatment }));
    if (component.rule.case_deduction !== undefined && own.every((x) => x.c.case_count === null)) lines.push(t(lang, 'assess.cli.note.cases-not-recorded', { component: component.component }));
  });
  return lines;
}
