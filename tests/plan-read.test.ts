// The sample workbooks read back into exactly the seed's plan.
// Expected values come from the transcribed seed data through a reader written here, not from core/.
import { analysePlanSheets } from '../core/workbook';
import type { Plan } from '../core/model';
import { loadBreakdownTable, loadResponsibilityList } from '../samples/2024-hangzhou/data';
import { BREAKDOWN_FILE, COMBINED_FILE, RESPONSIBILITY_FILE, sampleGrids } from './helpers/samples';

const breakdown = loadBreakdownTable();
const responsibility = loadResponsibilityList();

/** Independent reading of a seed quantity text: "85.8萬人次" → {value: 858000, unit: 人次}. */
function seedQuantity(text: string): { value: number; extra?: number; unit: string } | undefined {
  const t = text.replace(/\s+/g, '');
  if (t === '' || t === '--') return undefined;
  const compound = /^(\d+)\((\d+)\)(.+)$/.exec(t);
  if (compound) return { value: Number(compound[1]), extra: Number(compound[2]), unit: compound[3] };
  const m = /^(\d+(?:\.\d+)?)(萬)?(.*?)(\(.{2,}\))?$/.exec(t);
  if (!m) throw new Error(`seed text not understood: ${text}`);
  if (m[3] === '%') return { value: Number(m[1]) / 100, unit: '%' };
  return { value: Math.round(Number(m[1]) * (m[2] ? 10000 : 1) * 1e6) / 1e6, unit: m[3] };
}

function expectedTargets() {
  const out: { metricId: string; district: string; target: number; targetExtra?: number }[] = [];
  for (const project of breakdown.projects) {
    let k = 0;
    for (const row of project.rows) {
      if (row.target.trim() === '--') continue;
      k += 1;
      if (row.note) continue;
      row.values.forEach((text, i) => {
        const q = seedQuantity(text);
        if (!q) return;
        out.push({ metricId: `${project.no}-${k}`, district: breakdown.districts[i], target: q.value, ...(q.extra !== undefined ? { targetExtra: q.extra } : {}) });
      });
    }
  }
  return out;
}

const byKey = (a: { metricId: string; district: string }, b: { metricId: string; district: string }) =>
  a.metricId.localeCompare(b.metricId, 'en', { numeric: true }) || a.district.localeCompare(b.district);

async function samplePlan(file = COMBINED_FILE) {
  return analysePlanSheets(await sampleGrids(file));
}

describe('the 2024 sample workbooks read back into the seed plan', () => {
  let result: Awaited<ReturnType<typeof samplePlan>>;
  let plan: Plan;
  beforeAll(async () => {
    result = await samplePlan();
    plan = result.assembled.plan;
  });

  test('both sheets are recognised and the seed validates with no errors', () => {
    expect(result.sheets).toEqual([
      { sheet: '附件1', kind: 'responsibility' },
      { sheet: '附件2', kind: 'breakdown' },
    ]);
    const errors = result.issues.filter((i) => i.severity === 'error');
    expect(errors).toEqual([]);
  });

  test('plan year from the titles', () => {
    expect(plan.year).toBe(2024);
  });

  test('10 categories, 48 projects in order, with their names', () => {
    expect(plan.categories.map((c) => [c.no, c.name])).toEqual(responsibility.categories.map((c) => [c.no, c.name]));
    expect(plan.projects.map((p) => [p.no, p.name])).toEqual(breakdown.projects.map((p) => [p.no, p.name]));
    const categoryOfProject = new Map(responsibility.categories.flatMap((c) => c.projects.map((p) => [p.no, c.no] as const)));
    expect(plan.projects.map((p) => p.categoryNo)).toEqual(plan.projects.map((p) => categoryOfProject.get(p.no)));
  });

  test('every metric row, numbered <project>-<k>, with its city target', () => {
    const expected = breakdown.projects.flatMap((p) =>
      p.rows.filter((r) => r.target.trim() !== '--').map((r, i) => ({ id: `${p.no}-${i + 1}`, target: seedQuantity(r.target)!.value })),
    );
    expect(plan.metrics.map((m) => ({ id: m.id, target: m.cityTarget }))).toEqual(expected);
    const metric = (id: string) => plan.metrics.find((m) => m.id === id)!;
    expect(metric('29-2')).toMatchObject({ label: '地鐵接駁線', unit: '條', cityTarget: 40, kind: 'count' });
    expect(metric('24-3')).toMatchObject({ label: '新建“醫防護”兒童健康管理中心60家', unit: '家', cityTarget: 60 });
    expect(metric('12-1')).toMatchObject({ kind: 'city-only', cityTarget: 250000, unit: '人' });
    expect(metric('26-1')).toMatchObject({ kind: 'compound', cityTarget: 100, unit: '個' });
    expect(metric('9-1')).toMatchObject({ kind: 'rate', cityTarget: 0.83 });
    expect(metric('5-1')).toMatchObject({ cityTarget: 8590000, unit: '人' });
    expect(metric('3-1')).toMatchObject({ cityTarget: 858000, unit: '人次' });
    expect(metric('25-2')).toMatchObject({ label: '新增學位6萬個', cityTarget: 60000, unit: '個' });
    expect(metric('8-1').label).toBe('規範提升26家殘疾人托養機構');
    expect(metric('8-2').label).toBe('實施殘疾人社會化照護服務1000人次');
    expect(plan.metrics.some((m) => m.projectNo === 11)).toBe(false);
    expect(plan.projects.find((p) => p.no === 11)?.note).toContain('擴麵目標');
  });

  test('all 643 non-empty target cells with exact numbers', () => {
    const expected = expectedTargets().sort(byKey);
    expect(expected).toHaveLength(643);
    expect([...plan.targets].sort(byKey)).toEqual(expected);
  });

  test('deadlines are month ends of 2024', () => {
    const texts = responsibility.categories.flatMap((c) => c.projects.map((p) => p.expectedCompletion));
    const expected = texts.map((t) => {
      const month = Number(/(\d+)月/.exec(t)![1]);
      return new Date(Date.UTC(2024, month, 0)).toISOString().slice(0, 10);
    });
    expect(plan.responsibilities.map((r) => r.deadline)).toEqual(expected);
    expect(plan.responsibilities.map((r) => r.projectNo)).toEqual(plan.projects.map((p) => p.no));
  });

  test('responsibilities: leaders, lead units and coordinating units tidied into lists', () => {
    const r = (no: number) => plan.responsibilities.find((x) => x.projectNo === no)!;
    expect(r(1)).toMatchObject({ leaders: ['方毅'], leadUnit: '市民政局', leadUnitLeaders: ['吳金富'] });
    expect(r(1).coordinatingUnits).toEqual(['市財政局', '市商務局', '市市場監管局', '各區、縣(市)政府']);
    expect(r(3).leadUnit).toBe('市衛生健康委員會');
    expect(r(42).leadUnitLeaders).toEqual(['漆憲忠', '鄧偉民']);
  });

  test('numeric milestones, e.g. project 13: 3月 1000/7500, 6月 4000/7500, 9月 0.8, 11月 1.0', () => {
    const numeric = plan.milestones.filter((m) => m.metricId === '13-1' && m.expectedRatio !== undefined);
    expect(numeric.map((m) => [m.dueDate, m.expectedRatio])).toEqual([
      ['2024-03-31', 1000 / 7500],
      ['2024-06-30', 4000 / 7500],
      ['2024-09-30', 6000 / 7500],
      ['2024-11-30', 1],
    ]);
    const p15 = plan.milestones.filter((m) => m.metricId === '15-2' && m.expectedRatio !== undefined);
    expect(p15.map((m) => m.expectedRatio)).toEqual([0.25, 0.5, 0.75, 1]);
  });

  test('the two attachments as separate files give the same plan, cross-checked', async () => {
    const grids = [...(await sampleGrids(RESPONSIBILITY_FILE)), ...(await sampleGrids(BREAKDOWN_FILE))];
    const separate = analysePlanSheets(grids);
    expect(separate.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(separate.assembled.plan).toEqual(plan);
  });
});
