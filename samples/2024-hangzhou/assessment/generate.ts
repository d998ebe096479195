// Demo inputs of the year-end assessment (issue 14): a 滿意度測評 result, a 第三方評價 result and a
// 參與監督 record for the 2024 sample, written as the templates `minsheng assess template` makes, filled
// in. Deterministic (seeded PRNG) and shaped to tell a story the README describes: 臨平區, the district
// behind on its projects, is also rated lower by residents on those projects; the third-party evaluator
// did not evaluate the scenic area's projects (so its 第三方評價 is 缺項, never a 0); participation is
// uneven. These are example numbers, not anyone's real scores.
//
//   npx tsx samples/2024-hangzhou/assessment/generate.ts [--out DIR] [--seed N]
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inputTemplateLayout } from '../../../core/assessment/inputs';
import type { LayoutCellValue, LayoutWorkbook } from '../../../core/assessment/layout';
import type { InputKind } from '../../../core/assessment/rules';
import { DISTRICTS } from '../../../core/districts';
import { leadUnitsOf } from '../../../core/leadUnits';
import type { Plan } from '../../../core/model';
import { analysePlanSheets } from '../../../core/workbook';
import { writeLayoutWorkbook } from '../../../pipeline/assessment/writeWorkbook';
import { readWorkbook } from '../../../pipeline/xlsx/readWorkbook';
import { seededRandom } from '../../seededRandom';

export const DEFAULT_SEED = 20241231;
/** The district behind on its projects in the demo submissions (samples/2024-hangzhou/submissions). */
const LAGGING_DISTRICT = '臨平區';
const LAGGING_PROJECTS = [1, 4, 16, 22, 27, 30];
/** The third-party evaluator did not look at this district's projects. */
const UNEVALUATED_DISTRICT = '杭州西湖風景名勝區';

export const FILES: Record<InputKind, string> = {
  satisfaction: '滿意度測評.xlsx',
  third_party: '第三方評價.xlsx',
  participation: '參與監督.xlsx',
};

const SOURCES: Record<InputKind, string> = {
  satisfaction: '市人大常委會（示例）',
  third_party: '第三方評估機構（示例）',
  participation: '市政府督查室（示例）',
};

export interface DemoInputs {
  layouts: Record<InputKind, LayoutWorkbook>;
  /** What the README says about them. */
  facts: { satisfactionProjects: number; districtRows: number; thirdPartyProjects: number; participationRecords: number };
}

/** The three filled layouts for a plan. */
export function demoInputs(plan: Plan, seed = DEFAULT_SEED): DemoInputs {
  const rnd = seededRandom(seed);
  const ctx = { plan, leadUnits: leadUnitsOf(plan).units };
  const score = (lo: number, hi: number) => Math.round((lo + rnd() * (hi - lo)) * 10) / 10;
  const projectsOf = (district: string) => new Set(plan.targets.filter((t) => t.district === district).map((t) => plan.metrics.find((m) => m.id === t.metricId)!.projectNo));
  const fill = (kind: InputKind, rows: LayoutCellValue[][]): LayoutWorkbook => {
    const layout = inputTemplateLayout(kind, ctx, 'zh-TW');
    const [sheet] = layout.sheets;
    sheet.fields = sheet.fields?.map((f, i) => (i === 2 ? { ...f, value: SOURCES[kind] } : f));
    sheet.rows = rows;
    return layout;
  };

  // 滿意度測評: every project as a whole; the lagging district's own, lower, score on its lagging projects.
  const satisfaction: LayoutCellValue[][] = plan.projects.map((p) => [p.no, p.name, null, score(84, 97), null]);
  const lagging = projectsOf(LAGGING_DISTRICT);
  const districtRows = LAGGING_PROJECTS.filter((no) => lagging.has(no)).map((no) => [no, plan.projects.find((p) => p.no === no)!.name, LAGGING_DISTRICT, score(62, 72), '群眾反映進度慢']);
  satisfaction.push(...districtRows);

  // 第三方評價: every project but those of the scenic area, as a whole.
  const unevaluated = projectsOf(UNEVALUATED_DISTRICT);
  const thirdParty: LayoutCellValue[][] = plan.projects.filter((p) => !unevaluated.has(p.no)).map((p) => [p.no, p.name, null, score(72, 95), null]);

  // 參與監督: a few records per district and department over the year, some with none.
  const activities = ['代表監督周', '政協委員監督', '督查回頭看', '審計監督'];
  const participation: LayoutCellValue[][] = [];
  const units: { type: string; name: string }[] = [
    ...DISTRICTS.filter((d) => projectsOf(d.name).size > 0 && d.name !== '市本級').map((d) => ({ type: '區縣', name: d.name })),
    ...ctx.leadUnits.map((u) => ({ type: '牽頭單位', name: u.name })),
  ];
  for (const unit of units) {
    const count = unit.name === LAGGING_DISTRICT ? 0 : Math.floor(rnd() * 4);
    const months = new Set<number>();
    for (let i = 0; i < count; i++) months.add(3 + Math.floor(rnd() * 9));
    for (const month of [...months].sort((a, b) => a - b)) {
      const day = 1 + Math.floor(rnd() * 27);
      participation.push([unit.type, unit.name, `${plan.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, activities[Math.floor(rnd() * activities.length)], 1 + Math.floor(rnd() * 2), null]);
    }
  }
  return {
    layouts: { satisfaction: fill('satisfaction', satisfaction), third_party: fill('third_party', thirdParty), participation: fill('participation', participation) },
    facts: { satisfactionProjects: plan.projects.length, districtRows: districtRows.length, thirdPartyProjects: thirdParty.length, participationRecords: participation.length },
  };
}

/** Writes the three files into `outDir` with stable bytes; returns their paths. */
export async function writeDemoInputs(plan: Plan, outDir: string, seed = DEFAULT_SEED): Promise<{ files: string[]; facts: DemoInputs['facts'] }> {
  mkdirSync(outDir, { recursive: true });
  const { layouts, facts } = demoInputs(plan, seed);
  const files: string[] = [];
  for (const kind of ['satisfaction', 'third_party', 'participation'] as const) {
    const file = join(outDir, FILES[kind]);
    await writeLayoutWorkbook(layouts[kind], file, { db: join(outDir, '.none'), force: true }, new Date(`${plan.year}-12-31T00:00:00Z`));
    files.push(file);
  }
  return { files, facts };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const sample = resolve(__dirname, '..');
  const outDir = resolve(value('--out') ?? __dirname);
  const seed = Number(value('--seed') ?? DEFAULT_SEED);
  const { assembled } = analysePlanSheets((await readWorkbook(join(sample, '附件1+2.xlsx'))).sheets);
  const { files, facts } = await writeDemoInputs(assembled.plan, outDir, seed);
  for (const f of files) console.log(f);
  console.log(JSON.stringify(facts));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
