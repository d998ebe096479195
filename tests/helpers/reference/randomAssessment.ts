// Generated assessment years from a fixed seed: a random plan and year of reports (randomPlan.ts) with
// lead units, random rules (every method, missing-input treatment, case deductions, weights, tiers),
// and random inputs (score files that supersede each other, participation, 掛牌督辦 cases, bulletins,
// each sometimes absent altogether). `load` puts them in a store the way the product does; `input` is
// what the reference (assessment.ts) reads.
import { SOURCE_ASSESSEES, SOURCE_METHODS, RATIO_SOURCES, SOURCES, type AssesseeType, type Band, type Component, type RankPoints, type RuleSet, type Tier } from '../../../core/assessment/rules';
import type { Plan } from '../../../core/model';
import { storeAssessmentFile } from '../../../pipeline/assessment/store';
import { queryObjects, type Store } from '../../../pipeline/db/store';
import type { RefAssessmentInput, RefBulletin, RefCase, RefParticipationFile, RefScoreFile } from './assessment';
import { sha256Of } from './fixtures';
import { generateYear, seededRandom } from './randomPlan';

const UNITS = ['市民政局', '市建委', '市體育局', '團市委', '市林水局'];

export interface GeneratedAssessment {
  input: RefAssessmentInput;
  checkDates: string[];
  load(store: Store): Promise<void>;
}

export function generateAssessment(seed: number): GeneratedAssessment {
  const { plan: base, loads } = generateYear(seed);
  const rnd = seededRandom(seed * 7919 + 13);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const chance = (p: number) => rnd() < p;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const cents = (x: number) => Math.round(x * 100) / 100;

  // Lead units: one per project, sometimes two.
  const leadUnits = new Map<number, string[]>();
  for (const p of base.projects) leadUnits.set(p.no, chance(0.15) ? [pick(UNITS), pick(UNITS)].filter((u, i, a) => a.indexOf(u) === i) : [pick(UNITS)]);
  const plan: Plan = {
    ...base,
    projects: base.projects.map((p) => ({ ...p, leadUnit: leadUnits.get(p.no)!.join('、') })),
    responsibilities: base.responsibilities.map((r) => ({ ...r, leadUnit: leadUnits.get(r.projectNo)!.join('、') })),
  };
  const leadUnitOrder = new Map<string, number>();
  for (const p of [...plan.projects].sort((a, b) => a.no - b.no)) for (const u of leadUnits.get(p.no)!) if (!leadUnitOrder.has(u)) leadUnitOrder.set(u, leadUnitOrder.size + 1);
  const districts = [...new Set(plan.targets.map((t) => t.district))];
  const units = [...leadUnitOrder.keys()];

  // Rules.
  const rules: RuleSet = { year: 2024, settings: [], assessees: [], components: [], bands: [], rankPoints: [], tiers: [], weights: [] };
  for (const type of ['district', 'lead_unit'] as const) {
    const sources = SOURCES.filter((s) => SOURCE_ASSESSEES[s].includes(type));
    const count = int(2, 5);
    const components: Component[] = [];
    for (let no = 1; no <= count; no++) {
      const source = no === 1 ? 'completion' : pick(sources);
      const method = pick(SOURCE_METHODS[source]);
      const points = int(5, 30);
      const ratio = RATIO_SOURCES.includes(source);
      const c: Component = { type, no, name: `項${no}`, points, source, method, whenMissing: chance(0.6) ? 'rescale' : 'omit' };
      if (method === 'linear') {
        const lower = ratio ? cents(rnd() * 0.6) : int(0, 2);
        c.lower = lower;
        c.upper = ratio ? cents(Math.min(1, lower + 0.1 + rnd() * 0.5)) : lower + int(1, 10);
      }
      if (method === 'per_event') {
        c.basePoints = int(0, points);
        c.plusPoints = chance(0.8) ? int(0, 3) : undefined;
        c.minusPoints = chance(0.6) || c.plusPoints === undefined ? int(1, 3) : undefined;
        c.minPoints = chance(0.2) ? -2 : 0;
        if (c.plusPoints === undefined) delete c.plusPoints;
        if (c.minusPoints === undefined) delete c.minusPoints;
      }
      if (method === 'bands') {
        const cuts = Array.from({ length: int(1, 3) }, () => (ratio ? cents(0.05 + rnd() * 0.9) : int(1, 12))).sort((a, b) => a - b).filter((x, i, a) => a.indexOf(x) === i);
        let p = int(0, Math.floor(points / 2));
        const bounds = [undefined, ...cuts, undefined];
        for (let i = 0; i + 1 < bounds.length; i++) {
          const band: Band = { type, component: c.name, points: p };
          if (bounds[i] !== undefined) band.lower = bounds[i];
          if (bounds[i + 1] !== undefined) band.upper = bounds[i + 1];
          rules.bands.push(band);
          p = Math.min(points, p + int(0, 8));
        }
      }
      if (method === 'rank') {
        let from = 1;
        let p = points;
        for (let i = 0, n = int(1, 3); i < n; i++) {
          const last = i === n - 1;
          const to = last ? undefined : from + int(0, 2);
          const entry: RankPoints = { type, component: c.name, from, points: p };
          if (to !== undefined) entry.to = to;
          rules.rankPoints.push(entry);
          if (to !== undefined) from = to + 1;
          p = Math.max(0, p - int(0, 6));
        }
      }
      if (chance(0.35)) c.caseDeduction = pick([0.5, 1, 2, 3]);
      components.push(c);
    }
    rules.components.push(...components);
    const full = components.reduce((s, c) => s + c.points, 0);
    rules.settings.push({ type, fullPoints: full, awardQuota: int(0, 4) });
    const tiers: Tier[] = [
      { type, order: 1, name: '優', minTotal: Math.round(full * 0.8), awardEligible: chance(0.8) },
      { type, order: 2, name: '良', minTotal: Math.round(full * 0.6), awardEligible: chance(0.3) },
      { type, order: 3, name: '差', awardEligible: false },
    ];
    rules.tiers.push(...tiers);
    const names = type === 'district' ? districts : units;
    for (const name of names) rules.assessees.push({ type, name, included: chance(0.88) });
  }
  for (const m of plan.metrics.filter((x) => x.kind !== 'city-only')) if (chance(0.6)) rules.weights.push({ metricId: m.id, weight: pick([0, 0.5, 1, 2, 3]) });

  // Inputs.
  const scoreFiles: RefScoreFile[] = [];
  for (const kind of ['satisfaction', 'third_party'] as const) {
    if (!chance(0.65)) continue;
    for (let f = 0, n = int(1, 2); f < n; f++) {
      const scale = pick([100, 10]);
      const rows: RefScoreFile['rows'] = [];
      for (const p of plan.projects) {
        if (!chance(0.6)) continue;
        if (chance(0.7)) rows.push({ projectNo: p.no, score: cents(scale * (0.4 + rnd() * 0.6)) });
        for (const d of districts) if (chance(0.2)) rows.push({ projectNo: p.no, district: d, score: cents(scale * rnd()) });
      }
      if (rows.length > 0) scoreFiles.push({ kind, scale, rows });
    }
  }
  const participationFiles: RefParticipationFile[] = [];
  if (chance(0.6)) {
    for (let f = 0, n = int(1, 2); f < n; f++) {
      const records: RefParticipationFile['records'] = [];
      const seen = new Set<string>();
      for (let i = 0, k = int(1, 12); i < k; i++) {
        const type: AssesseeType = chance(0.6) ? 'district' : 'lead_unit';
        const assessee = pick(type === 'district' ? districts : units);
        const date = `2024-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
        const key = `${type}|${assessee}|${date}`;
        if (seen.has(key)) continue;
        seen.add(key);
        records.push({ type, assessee, date, times: int(1, 3) });
      }
      participationFiles.push({ records });
    }
  }
  const cases: RefCase[] = [];
  if (chance(0.6)) {
    for (let i = 0, k = int(1, 10); i < k; i++) {
      const target = pick(plan.targets);
      const projectNo = plan.metrics.find((m) => m.id === target.metricId)!.projectNo;
      const year = chance(0.1) ? 2023 : 2024;
      cases.push({ district: target.district, metricId: target.metricId, projectNo, openedOn: `${year}-${String(int(3, 11)).padStart(2, '0')}-15` });
    }
  }
  const bulletins: RefBulletin[] = [];
  if (chance(0.6)) {
    for (const month of [3, 5, 7, 9, 11]) {
      if (!chance(0.7)) continue;
      const shuffled = [...districts].sort(() => rnd() - 0.5);
      const praised = shuffled.slice(0, int(0, 2));
      const named = shuffled.slice(praised.length, praised.length + int(0, 2));
      const asOf = `2024-${String(month).padStart(2, '0')}-28`;
      if (chance(0.25)) bulletins.push({ asOf, superseded: true, praised: named, named: praised });
      bulletins.push({ asOf, superseded: false, praised, named });
    }
  }

  const input: RefAssessmentInput = { plan, loads, leadUnits, leadUnitOrder, rules, scoreFiles, participationFiles, cases, bulletins };
  return {
    input,
    checkDates: ['2024-12-31', pick(['2024-06-30', '2024-08-15', '2024-09-30', '2024-10-31'])],
    async load(store: Store) {
      await storeAssessmentFile(store, { kind: 'rules', rules }, { fileName: 'rules.xlsx', sha256: sha256Of(`rules${seed}`) });
      for (const [i, file] of scoreFiles.entries()) {
        await storeAssessmentFile(
          store,
          { kind: file.kind, year: 2024, scale: file.scale, scores: file.rows.map((r) => ({ ...r, cell: 'A1' })) },
          { fileName: `${file.kind}-${i}.xlsx`, sha256: sha256Of(`${seed}score${i}`) },
        );
      }
      for (const [i, file] of participationFiles.entries()) {
        await storeAssessmentFile(
          store,
          { kind: 'participation', year: 2024, records: file.records.map((r) => ({ ...r, activity: '監督', cell: 'A1' })) },
          { fileName: `participation-${i}.xlsx`, sha256: sha256Of(`${seed}participation${i}`) },
        );
      }
      for (const c of cases) {
        const [row] = await queryObjects(
          store,
          `INSERT INTO supervision_cases (district, metric_id, project_no, opened_on, due_on, opened_gap, recorded_at)
           VALUES ($1, $2, $3, CAST($4 AS DATE), CAST($4 AS DATE) + 30, 0.2, now()) RETURNING case_id`,
          [c.district, c.metricId, c.projectNo, c.openedOn],
        );
        await store.connection.run(
          `INSERT INTO supervision_events (case_id, seq, event_on, event, gap, completion, lag_status, due_on, note, recorded_at)
           VALUES ($1, 1, CAST($2 AS DATE), 'opened', 0.2, NULL, 'seriously_behind', CAST($2 AS DATE) + 30, NULL, now())`,
          [Number(row.case_id), c.openedOn],
        );
      }
      let previous: number | undefined;
      for (const b of bulletins) {
        const [row] = await queryObjects(
          store,
          `INSERT INTO bulletins (as_of, since, file_name, sha256, lang, written_at, superseded_by)
           VALUES (CAST($1 AS DATE), NULL, 'b.docx', $2, 'zh-TW', now(), NULL) RETURNING bulletin_id`,
          [b.asOf, sha256Of(`${seed}${b.asOf}${b.superseded}`)],
        );
        const id = Number(row.bulletin_id);
        if (!b.superseded && previous !== undefined) await store.connection.run('UPDATE bulletins SET superseded_by = $1 WHERE bulletin_id = $2', [id, previous]);
        previous = b.superseded ? id : undefined;
        for (const [mention, list] of [['praised', b.praised], ['named', b.named]] as const) {
          for (const [i, district] of list.entries()) {
            await store.connection.run(
              `INSERT INTO bulletin_mentions (bulletin_id, district, mention, rank, schedule_attainment, completion, seriously_behind_count)
               VALUES ($1, $2, $3, $4, NULL, NULL, 0)`,
              [id, district, mention, i + 1],
            );
          }
        }
      }
    },
  };
}
