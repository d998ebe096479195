// The demo 點位 list (docs/design.md, "The supervision loop"): 臨平區's sites for every metric counted in
// places, written with the sheet `minsheng sites template` makes and filled in, consistent with the demo reports of
// 2024-11-30 except for two discrepancies on purpose (README.md next to this file says which), so that
// `minsheng sites load` in the demo has something to find. Deterministic (seeded PRNG).
//
//   npx tsx samples/2024-hangzhou/sites/generate.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../../core/model';
import type { SiteFill } from '../../../core/sites/siteLayout';
import { isCountedInSites, sitesNeeded } from '../../../core/sites/siteMetrics';
import { districtMetrics } from '../../../core/submission';
import { writeSiteTemplate } from '../../../pipeline/sites/siteTemplate';
import { seededRandom } from '../../seededRandom';
import { loadSamplePlan, planDemoProgress } from '../submissions/generate';

export const SITE_DISTRICT = '臨平區';
export const SITE_FILE = join(__dirname, `${SITE_DISTRICT}-點位.xlsx`);
const SEED = 20240229;

/** 臨平區's streets and towns, and roads in them: where the demo sites are. */
const STREETS = ['臨平街道', '南苑街道', '東湖街道', '星橋街道', '運河街道', '喬司街道', '崇賢街道', '塘棲鎮'];
const ROADS = ['迎賓路', '人民大道', '世紀大道', '藕花洲大街', '星橋北路', '東湖北路', '臨東路', '新洲路', '望梅路', '超峰東路'];
/** Leading verbs and trailing amounts of a metric's label, so "新增老年助餐服務點227個" names a 老年助餐服務點. */
const VERBS = /^(新\(改\)建|新（改）建|新增\(提升\)|新增（提升）|新增認定|新增|新建成|新建|建成|完成改造|打造|規範提升|升級改造|實施|設立|實現|改造提升)/;

function siteNoun(label: string): string {
  return label.replace(VERBS, '').replace(/[\d.,，萬]+[^\d]*$/, '').replace(/[“”"]/g, '').trim() || label;
}

export interface DemoSites {
  fill: SiteFill[];
  /** The discrepancies put in on purpose, in words for the README. */
  notes: string[];
}

export function planDemoSites(plan: Plan): DemoSites {
  const rng = seededRandom(SEED);
  const progress = planDemoProgress(plan);
  const last = progress.dates[progress.dates.length - 1];
  const reported = progress.reports.filter((r) => r.district === SITE_DISTRICT && r.asOf === last).reduce<Record<string, number>>((acc, r) => ({ ...acc, ...r.completed }), {});
  const fill: SiteFill[] = [];
  const notes: string[] = [];
  const day = (month: number, max = 28) => `2024-${String(month).padStart(2, '0')}-${String(1 + Math.floor(rng() * max)).padStart(2, '0')}`;
  for (const dm of districtMetrics(plan, SITE_DISTRICT).filter((d) => isCountedInSites(d.metric))) {
    const needed = sitesNeeded(dm.metric, dm.target)!;
    let listed = needed;
    let finished = Math.min(Math.round(reported[dm.metric.id] ?? 0), needed);
    if (dm.metric.id === '20-1') {
      listed = needed - 1;
      notes.push(`指標 20-1「${dm.metric.label}」：年度目標${needed}個，清單只列了${listed}個點位（還有一個公園未列入）。`);
    }
    if (dm.metric.id === '1-1') {
      notes.push(`指標 1-1「${dm.metric.label}」：${last}報送累計完成${finished}個，清單中只有${finished - 2}個點位已完成。`);
      finished -= 2;
    }
    const noun = siteNoun(dm.metric.label);
    for (let n = 1; n <= listed; n++) {
      const street = STREETS[Math.floor(rng() * STREETS.length)];
      const road = ROADS[Math.floor(rng() * ROADS.length)];
      const start = day(2 + Math.floor(rng() * 4));
      const done = n <= finished;
      const status = done ? 'finished' : rng() < 0.8 ? 'in_progress' : 'not_started';
      fill.push({
        metricId: dm.metric.id,
        name: `${street}${noun}（${n}）`,
        address: `杭州市臨平區${street}${road}${10 + Math.floor(rng() * 900)}號`,
        plannedStart: start,
        plannedFinish: day(9 + Math.floor(rng() * 3)),
        status,
        ...(done ? { finishedOn: day(6 + Math.floor(rng() * 5)) } : {}),
        ...(rng() < 0.7 ? { longitude: Math.round((120.25 + rng() * 0.15) * 1e6) / 1e6, latitude: Math.round((30.36 + rng() * 0.12) * 1e6) / 1e6 } : {}),
      });
    }
  }
  return { fill, notes };
}

async function main(): Promise<void> {
  const plan = await loadSamplePlan();
  const { fill, notes } = planDemoSites(plan);
  const layout = await writeSiteTemplate(plan, SITE_DISTRICT, 'zh-TW', SITE_FILE, { fill });
  const readme = [
    '# 演示點位清單（2024年杭州，臨平區）',
    '',
    `由 \`generate.ts\` 用 \`minsheng sites template\` 的點位表寫出並填好：${SITE_DISTRICT}按個、家、處、座、所計數的${layout.siteMetrics}項指標，共${fill.length}個點位（應列${layout.sitesNeeded}個）。`,
    '點位名稱、地址和經緯度是虛構的；已完成的點位數與演示進度報送表（`../submissions/`）最後一期的累計完成一致，只有下面兩處故意不一致，`npm run demo` 的點位核對會把它們找出來：',
    '',
    ...notes.map((n) => `- ${n}`),
    '',
    '重新生成：`npx tsx samples/2024-hangzhou/sites/generate.ts`。',
    '',
  ].join('\n');
  writeFileSync(join(__dirname, 'README.md'), readme);
  console.log(`已寫出 ${SITE_FILE}：${fill.length} 個點位`);
  for (const n of notes) console.log(n);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}
