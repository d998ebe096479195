// Demo progress submissions: real 進度報送表 workbooks, written by writeTemplate and filled
// in, for every district with targets at each month end March–November of the plan year. Deterministic
// (seeded PRNG) and realistic on purpose: most districts follow their metrics' milestones with noise and
// never go backwards; one district lags clearly on several projects; one metric stalls (the same value
// in two consecutive reports); one district skips a month; one report is resubmitted with a correction.
//
//   npx tsx samples/2024-hangzhou/submissions/generate.ts [--plan plan.json] [--out DIR] [--seed N]
//
// Without --plan the plan is read from the sample workbook 附件1+2.xlsx next to this folder.
import { seededRandom } from '../../seededRandom';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { monthEnd } from '../../../core/dates';
import { CITY_LEVEL, districtByName } from '../../../core/districts';
import { DEFAULT_LANG, langOfText, planText } from '../../../core/messages/lang';
import { Plan as PlanSchema, type Metric, type Plan } from '../../../core/model';
import { districtMetrics, type DistrictMetric } from '../../../core/submission';
import { analysePlanSheets } from '../../../core/workbook';
import { writeTemplate } from '../../../pipeline/template';
import { readWorkbook } from '../../../pipeline/xlsx/readWorkbook';

export const DEFAULT_SEED = 20240204;

export interface DemoOptions {
  seed?: number;
  /** Report dates (ISO); default: month ends March–November of the plan year. */
  asOfDates?: string[];
  /** Files written at once (ExcelJS is mostly synchronous; a few in flight overlap the disk writes). */
  concurrency?: number;
  /** Write README.md with the summary into outDir (default true). */
  readme?: boolean;
}

/** One report as it will be written: which file, what is typed into 累計完成 and 備註. */
export interface DemoReport {
  district: string;
  asOf: string;
  /** Path relative to outDir, e.g. "2024-09/上城區.xlsx". */
  file: string;
  completed: Record<string, number>;
  notes: Record<string, string>;
}

export interface DemoSpecials {
  behind?: { district: string; metricIds: string[] };
  stalled?: { district: string; metricId: string; asOf: [string, string]; value: number };
  missing?: { district: string; asOf: string };
  resubmitted?: { district: string; asOf: string; metricId: string; original: number; corrected: number; file: string; correctedFile: string };
}

export interface DemoProgress {
  dates: string[];
  districts: string[];
  /** In the order a loader should read them: by date, then district; a correction right after its original. */
  reports: DemoReport[];
  specials: DemoSpecials;
}

export interface DemoSummary extends DemoProgress {
  outDir: string;
  /** Absolute paths of the files written, in report order. */
  files: string[];
  /** The summary in Chinese, one line per fact (also in README.md). */
  lines: string[];
}

// ---------------------------------------------------------------------------------------------
// Dates

function dayNumber(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** Last day of each month from `from` to `to` (1-based) of a year. */
export function monthEnds(year: number, from = 3, to = 11): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m++) out.push(monthEnd(year, m));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Seeded randomness: one stream per purpose, so adding a district or a metric does not reshuffle the rest

function hash(text: string, seed: number): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}


function stream(seed: number, purpose: string): () => number {
  return seededRandom(hash(purpose, seed));
}

/** Roughly normal (sum of uniforms), mean 0, sd 1. */
function gauss(rng: () => number): number {
  let s = 0;
  for (let i = 0; i < 6; i++) s += rng();
  return (s - 3) * Math.SQRT2;
}

function pick<T>(rng: () => number, items: readonly T[]): T | undefined {
  return items.length ? items[Math.floor(rng() * items.length)] : undefined;
}

function shuffled<T>(rng: () => number, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

// ---------------------------------------------------------------------------------------------
// Expected progress of a metric: its numeric milestones joined by straight lines

interface Curve {
  deadline: string;
  /** Expected share of the target reached on a date (rate metrics: share of the target rate). */
  at(iso: string): number;
}

function curveOf(plan: Plan, metric: Metric): Curve {
  const deadline = plan.responsibilities.find((r) => r.projectNo === metric.projectNo)?.deadline ?? `${plan.year}-11-30`;
  const milestones = plan.milestones
    .filter((m) => m.metricId === metric.id && m.expectedRatio !== undefined)
    .map((m) => ({ day: dayNumber(m.dueDate), ratio: m.expectedRatio as number }));
  // A rate starts the year near its target (保障率 80% on the way to 83%); an amount starts at nothing.
  const start = metric.kind === 'rate' ? Math.max(0, Math.min(...milestones.map((m) => m.ratio), 1) - 0.02) : 0;
  const points = [{ day: dayNumber(`${plan.year}-01-01`), ratio: start }, ...milestones, { day: dayNumber(deadline), ratio: 1 }].sort((a, b) => a.day - b.day);
  // Milestones never take progress back; the deadline means done.
  let max = 0;
  const rising = points.map((p) => ({ day: p.day, ratio: (max = Math.max(max, p.ratio)) }));
  return {
    deadline,
    at(iso: string) {
      const day = dayNumber(iso);
      if (day <= rising[0].day) return rising[0].ratio;
      for (let i = 1; i < rising.length; i++) {
        const a = rising[i - 1];
        const b = rising[i];
        if (day <= b.day) return b.day === a.day ? b.ratio : a.ratio + ((b.ratio - a.ratio) * (day - a.day)) / (b.day - a.day);
      }
      return rising[rising.length - 1].ratio;
    },
  };
}

/** A cumulative amount as a clerk reports it: whole units, tenths for kilometres and fractional targets. */
function amountOf(ratio: number, dm: DistrictMetric): number {
  const { metric, total, target } = dm;
  if (metric.kind === 'rate') return Math.round(target.target * ratio * 1000) / 1000;
  const tenths = !Number.isInteger(total) || /公[里裏]/.test(metric.unit);
  const scale = tenths ? 10 : 1;
  return Math.round(ratio * total * scale) / scale;
}

// ---------------------------------------------------------------------------------------------
// The plan of what every district reports

const LAG_NOTES = ['受用地審批影響，進度滯後', '施工招標延後，正在加快推進', '資金撥付未到位，已協調', '點位調整，重新選址中'];

/** What every district reports at every date, with the special cases chosen; pure, no files. */
export function planDemoProgress(plan: Plan, options: DemoOptions = {}): DemoProgress {
  const seed = options.seed ?? DEFAULT_SEED;
  const dates = [...(options.asOfDates ?? monthEnds(plan.year))].sort();
  const byMonth = new Set(dates.map((d) => d.slice(0, 7))).size === dates.length;
  const folderOf = (iso: string) => (byMonth ? iso.slice(0, 7) : iso);
  const districts = [...new Set(plan.targets.map((t) => t.district))]
    .filter((d) => districtMetrics(plan, d).length > 0)
    .sort((a, b) => (districtByName(a)?.order ?? 99) - (districtByName(b)?.order ?? 99) || a.localeCompare(b));
  const metricsOf = new Map(districts.map((d) => [d, districtMetrics(plan, d)]));
  const curves = new Map(plan.metrics.map((m) => [m.id, curveOf(plan, m)]));
  const specialRng = stream(seed, 'specials');
  // The stall is reported at the September report (or two thirds into the year) and the one before it.
  const september = dates.findIndex((d) => d.slice(5, 7) === '09');
  const midIndex = september >= 1 ? september : Math.max(1, Math.floor((dates.length * 2) / 3));

  // One district clearly behind on several projects.
  const local = districts.filter((d) => d !== CITY_LEVEL);
  const busy = local.filter((d) => (metricsOf.get(d) ?? []).length >= 6);
  const behindDistrict = pick(specialRng, busy.length ? busy : local);
  const behindMetrics = new Set<string>();
  if (behindDistrict) {
    const projects = new Set<number>();
    const check = dates[midIndex] ?? dates[dates.length - 1];
    for (const dm of shuffled(specialRng, metricsOf.get(behindDistrict) ?? [])) {
      if (behindMetrics.size >= 6) break;
      if (dm.metric.kind === 'rate' || projects.has(dm.metric.projectNo)) continue;
      if ((curves.get(dm.metric.id)?.at(check) ?? 0) < 0.3) continue;
      projects.add(dm.metric.projectNo);
      behindMetrics.add(dm.metric.id);
    }
  }

  // Cumulative amounts, metric by metric.
  const values = new Map<string, number[]>(); // `${district}|${metricId}` → value per date
  for (const district of districts) {
    for (const dm of metricsOf.get(district) ?? []) {
      const rng = stream(seed, `${district}|${dm.metric.id}`);
      const curve = curves.get(dm.metric.id) as Curve;
      // The district that lags is slow everywhere and far behind on its lagging metrics.
      const lagging = district === behindDistrict && behindMetrics.has(dm.metric.id);
      const usual = district === behindDistrict ? 0.92 : 1;
      const pace = lagging ? 0.35 + 0.15 * rng() : clamp(usual + 0.07 * gauss(rng), 0.8, 1.12);
      const finishes = !lagging && rng() < 0.9;
      const spread = dm.metric.kind === 'rate' ? 0.004 : 0.04;
      let previous = 0;
      const series = dates.map((asOf) => {
        const expected = curve.at(asOf);
        let ratio = dm.metric.kind === 'rate' ? expected - (1 - pace) * 0.06 : expected * pace;
        ratio += (rng() - 0.5) * spread;
        if (finishes && asOf >= curve.deadline) ratio = Math.max(ratio, 1);
        ratio = Math.max(previous, clamp(ratio, 0, 1));
        previous = ratio;
        return amountOf(ratio, dm);
      });
      values.set(`${district}|${dm.metric.id}`, series);
    }
  }

  const specials: DemoSpecials = {};
  if (behindDistrict && behindMetrics.size) specials.behind = { district: behindDistrict, metricIds: [...behindMetrics] };
  const others = () => local.filter((d) => d !== behindDistrict && d !== specials.stalled?.district && d !== specials.missing?.district);

  // One metric stalled: the report at the check date repeats the one before it.
  for (const district of shuffled(specialRng, others())) {
    const candidates = (metricsOf.get(district) ?? []).filter((dm) => {
      const v = values.get(`${district}|${dm.metric.id}`) as number[];
      return dm.metric.kind !== 'rate' && dm.total >= 10 && v[midIndex - 1] > 0 && v[midIndex - 1] < v[midIndex] && v[midIndex] < dm.total;
    });
    const dm = pick(specialRng, candidates);
    if (!dm || midIndex >= dates.length) continue;
    const series = values.get(`${district}|${dm.metric.id}`) as number[];
    series[midIndex] = series[midIndex - 1];
    specials.stalled = { district, metricId: dm.metric.id, asOf: [dates[midIndex - 1], dates[midIndex]], value: series[midIndex] };
    break;
  }

  // One report missing: a district skips a month (June when there is one).
  const missingIndex = Math.max(0, dates.findIndex((d) => d.slice(5, 7) === '06'));
  const missingDistrict = pick(specialRng, others());
  if (missingDistrict && dates.length > 2) specials.missing = { district: missingDistrict, asOf: dates[missingIndex] };

  // One resubmission: the first file has a digit dropped from one value, the second corrects it.
  const july = dates.findIndex((d) => d.slice(5, 7) === '07');
  const resubmitIndex = july >= 0 ? july : Math.floor(dates.length / 2);
  for (const district of shuffled(specialRng, others())) {
    const dm = pick(
      specialRng,
      (metricsOf.get(district) ?? []).filter((x) => x.metric.kind !== 'rate' && (values.get(`${district}|${x.metric.id}`) as number[])[resubmitIndex] >= 20),
    );
    if (!dm) continue;
    const corrected = (values.get(`${district}|${dm.metric.id}`) as number[])[resubmitIndex];
    const original = Math.floor(corrected / 10);
    const folder = folderOf(dates[resubmitIndex]);
    specials.resubmitted = {
      district,
      asOf: dates[resubmitIndex],
      metricId: dm.metric.id,
      original,
      corrected,
      file: `${folder}/${district}.xlsx`,
      correctedFile: `${folder}/${district}（更正）.xlsx`,
    };
    break;
  }

  const reports: DemoReport[] = [];
  dates.forEach((asOf, i) => {
    for (const district of districts) {
      if (specials.missing?.district === district && specials.missing.asOf === asOf) continue;
      const completed: Record<string, number> = {};
      const notes: Record<string, string> = {};
      for (const dm of metricsOf.get(district) ?? []) {
        const id = dm.metric.id;
        completed[id] = (values.get(`${district}|${id}`) as number[])[i];
        if (specials.behind?.district === district && behindMetrics.has(id) && i >= 1) {
          notes[id] = LAG_NOTES[hash(id, seed) % LAG_NOTES.length];
        }
        if (specials.stalled?.district === district && specials.stalled.metricId === id && asOf === specials.stalled.asOf[1]) {
          notes[id] = '施工單位停工整改，本月無新增';
        }
      }
      const file = `${folderOf(asOf)}/${district}.xlsx`;
      const r = specials.resubmitted;
      if (r && r.district === district && r.asOf === asOf) {
        reports.push({ district, asOf, file, completed: { ...completed, [r.metricId]: r.original }, notes });
        reports.push({
          district,
          asOf,
          file: r.correctedFile,
          completed,
          notes: { ...notes, [r.metricId]: `更正：原報${r.original}，應為${r.corrected}` },
        });
      } else {
        reports.push({ district, asOf, file, completed, notes });
      }
    }
  });
  return { dates, districts, reports, specials };
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Writes the demo submissions under outDir (<month>/<district>.xlsx), replacing earlier generated month
 * folders, and README.md with the summary. Returns what was written and what is special about it.
 */
export async function generateDemoSubmissions(plan: Plan, outDir: string, options: DemoOptions = {}): Promise<DemoSummary> {
  const progress = planDemoProgress(plan, options);
  const root = resolve(outDir);
  mkdirSync(root, { recursive: true });
  // Only folders this generator names (2024-09, 2024-09-30) are replaced; anything else in outDir stays.
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory() && /^\d{4}-\d{2}(-\d{2})?$/.test(entry.name)) rmSync(join(root, entry.name), { recursive: true, force: true });
  }
  const files = progress.reports.map((r) => join(root, r.file));
  for (const dir of new Set(files.map((f) => resolve(f, '..')))) mkdirSync(dir, { recursive: true });

  const concurrency = Math.max(1, options.concurrency ?? 4);
  // The districts get templates in the plan's own script (the sample plan is traditional).
  const lang = langOfText(planText(plan)) ?? DEFAULT_LANG;
  let next = 0;
  const worker = async () => {
    while (next < progress.reports.length) {
      const i = next++;
      const r = progress.reports[i];
      await writeTemplate(plan, r.district, r.asOf, files[i], { lang, fill: { completed: r.completed, notes: r.notes } });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  const lines = summaryLines(plan, progress, options.seed ?? DEFAULT_SEED);
  if (options.readme !== false) writeFileSync(join(root, 'README.md'), readme(lines), 'utf8');
  return { ...progress, outDir: root, files, lines };
}

function summaryLines(plan: Plan, progress: DemoProgress, seed: number): string[] {
  const label = (id: string) => `${id}「${plan.metrics.find((m) => m.id === id)?.label ?? ''}」`;
  const { specials: s } = progress;
  const lines = [
    `共${progress.reports.length}份報送表：${progress.districts.length}個有任務的區縣（含市本級）× ${progress.dates.length}個截至日期（${progress.dates[0]} 至 ${progress.dates[progress.dates.length - 1]}），種子 ${seed}。`,
  ];
  if (s.behind) lines.push(`進度明顯落後：${s.behind.district}，指標 ${s.behind.metricIds.map(label).join('、')} 只完成計劃進度的三到五成（備註中寫了原因），其他指標也略慢於計劃。`);
  if (s.stalled) lines.push(`停滯：${s.stalled.district} 的指標 ${label(s.stalled.metricId)} 在 ${s.stalled.asOf[0]} 和 ${s.stalled.asOf[1]} 兩次報送的累計完成相同（${s.stalled.value}）。`);
  if (s.missing) lines.push(`缺報：${s.missing.district} 未報送截至 ${s.missing.asOf} 的進度（該月文件夾中沒有它的文件）。`);
  if (s.resubmitted) {
    const r = s.resubmitted;
    lines.push(
      `更正重報：${r.district} 截至 ${r.asOf} 先報送「${r.file}」，其中指標 ${label(r.metricId)} 誤填為 ${r.original}；隨後報送「${r.correctedFile}」更正為 ${r.corrected}。後載入的更正表替代原表（兩份都保留），請按文件名順序載入（原表在前）。`,
    );
  }
  lines.push('其餘區縣按各指標工作計劃的節點推進，有小幅波動，累計數從不減少；多數在截止日期前完成。');
  return lines;
}

function readme(lines: string[]): string {
  return [
    '# 演示進度報送表（2024年杭州）',
    '',
    '由 `generate.ts` 用 `pipeline/template.ts` 寫出並填好的真實進度報送表，每個有任務的區縣在每個截至日期一份：`<月份>/<區縣>.xlsx`。',
    '生成是確定性的（固定種子的偽隨機數），重新生成得到相同的數字。',
    '',
    '重新生成：`npx tsx samples/2024-hangzhou/submissions/generate.ts`（默認從 `samples/2024-hangzhou/附件1+2.xlsx` 讀取計劃）。',
    '',
    '## 說明',
    '',
    ...lines.map((l) => `- ${l}`),
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Command line

export async function loadSamplePlan(): Promise<Plan> {
  const file = resolve(__dirname, '..', '附件1+2.xlsx');
  const analysis = analysePlanSheets((await readWorkbook(file)).sheets);
  const errors = analysis.issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new Error(`計劃「${file}」有${errors.length}個錯誤，例如：${errors[0].message}`);
  return analysis.assembled.plan;
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const planFile = arg('--plan');
  const plan = planFile ? PlanSchema.parse(JSON.parse(readFileSync(planFile, 'utf8'))) : await loadSamplePlan();
  const outDir = arg('--out') ?? __dirname;
  const seed = arg('--seed') !== undefined ? Number(arg('--seed')) : undefined;
  if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
  const summary = await generateDemoSubmissions(plan, outDir, { seed });
  for (const line of summary.lines) console.log(line);
  console.log(`已寫出 ${summary.files.length} 個文件到 ${summary.outDir}`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  });
}
