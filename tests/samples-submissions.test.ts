// The demo submissions generator: real template files that read back as what was typed, for every
// district with targets at every month end, with exactly the special cases its summary announces.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Plan } from '../core/model';
import { analysePlanSheets } from '../core/workbook';
import { readSubmissions, targetTotal, type Submission } from '../core/submission';
import { readWorkbook } from '../pipeline/xlsx/readWorkbook';
import { generateDemoSubmissions, monthEnds, planDemoProgress, type DemoSummary } from '../samples/2024-hangzhou/submissions/generate';
import { COMBINED_FILE, SUBMISSIONS_DIR } from './helpers/samples';
import { smallPlan } from './helpers/submissionPlan';
import { removeTempDirs, tempDir } from './helpers/tempDir';

afterAll(removeTempDirs);

/** The small plan with two more districts, so that every special case has a district of its own. */
function demoPlan(): Plan {
  const plan = smallPlan();
  for (const district of ['西湖區', '臨安區']) {
    plan.targets.push({ metricId: '1-1', district, target: 30 }, { metricId: '8-2', district, target: 100 }, { metricId: '23-1', district, target: 20 });
  }
  return plan;
}

/** docs/design.md, "Completion and expectation": the ratio of the latest numeric milestone due at or before T. */
function expectedAt(plan: Plan, metricId: string, asOf: string): number {
  const due = plan.milestones.filter((m) => m.metricId === metricId && m.expectedRatio !== undefined && m.dueDate <= asOf);
  due.sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  return due.length ? (due[due.length - 1].expectedRatio as number) : 0;
}

const plan = demoPlan();
const outDir = tempDir('minsheng-demo-');
let summary: DemoSummary;
/** What the files say, read back through the submission reader: file (relative) → submission. */
const read = new Map<string, Submission>();

beforeAll(async () => {
  summary = await generateDemoSubmissions(plan, outDir);
  for (const month of fs.readdirSync(outDir).filter((d) => /^\d{4}-\d{2}$/.test(d))) {
    for (const file of fs.readdirSync(path.join(outDir, month))) {
      const grids = (await readWorkbook(path.join(outDir, month, file))).sheets;
      const { submissions, issues } = readSubmissions(grids[0], plan);
      expect(issues.filter((i) => i.severity !== 'info')).toEqual([]);
      read.set(`${month}/${file}`, submissions[0]);
    }
  }
}, 120_000);

const valueIn = (file: string, metricId: string) => read.get(file)?.rows.find((r) => r.metricId === metricId)?.completed;

test('one file per district with targets per month end March–November, less the missing one, plus the correction', () => {
  const districts = [...new Set(plan.targets.map((t) => t.district))];
  expect(summary.dates).toEqual(monthEnds(2024, 3, 11));
  expect(summary.dates[0]).toBe('2024-03-31');
  expect(summary.dates[8]).toBe('2024-11-30');
  expect(read.size).toBe(districts.length * 9 - 1 + 1);
  expect(new Set(summary.districts)).toEqual(new Set(districts));
  for (const [file, s] of read) {
    expect(file.startsWith(s.asOf.slice(0, 7))).toBe(true);
    expect(path.basename(file).startsWith(s.district)).toBe(true);
  }
});

test('the files read back as exactly the numbers the generator typed', () => {
  for (const report of summary.reports) {
    const s = read.get(report.file)!;
    expect({ district: s.district, asOf: s.asOf }).toEqual({ district: report.district, asOf: report.asOf });
    expect(Object.fromEntries(s.rows.map((r) => [r.metricId, r.completed]))).toEqual(report.completed);
  }
});

test('every district reports every metric it has a target for, and never less than before', () => {
  for (const district of summary.districts) {
    const targets = plan.targets.filter((t) => t.district === district);
    for (const t of targets) {
      let previous = -Infinity;
      for (const asOf of summary.dates) {
        const month = asOf.slice(0, 7);
        const file = read.has(`${month}/${district}（更正）.xlsx`) ? `${month}/${district}（更正）.xlsx` : `${month}/${district}.xlsx`;
        const value = valueIn(file, t.metricId);
        if (!read.has(file)) continue;
        expect(value).toBeDefined();
        expect(value!).toBeGreaterThanOrEqual(previous);
        expect(value!).toBeLessThanOrEqual(targetTotal(t) * (1 + 1e-9));
        previous = value!;
      }
    }
  }
});

test('one district is clearly behind on several projects at the end of September; the others are near schedule', () => {
  const behind = summary.specials.behind!;
  expect(behind.metricIds.length).toBeGreaterThanOrEqual(3);
  expect(new Set(behind.metricIds.map((id) => id.split('-')[0])).size).toBe(behind.metricIds.length);
  const gap = (district: string, metricId: string) => {
    const target = plan.targets.find((t) => t.district === district && t.metricId === metricId)!;
    return expectedAt(plan, metricId, '2024-09-30') - valueIn(`2024-09/${district}.xlsx`, metricId)! / targetTotal(target);
  };
  for (const id of behind.metricIds) expect(gap(behind.district, id)).toBeGreaterThanOrEqual(0.15);
  // Everyone else: the typical metric is within 0.15 of its milestone.
  const others = plan.targets.filter((t) => t.district !== behind.district && expectedAt(plan, t.metricId, '2024-09-30') > 0);
  const near = others.filter((t) => gap(t.district, t.metricId) < 0.15);
  expect(near.length / others.length).toBeGreaterThan(0.8);
});

test('one metric stalls: the same value in two consecutive reports, short of the target', () => {
  const { district, metricId, asOf, value } = summary.specials.stalled!;
  expect(district).not.toBe(summary.specials.behind!.district);
  const [first, second] = asOf;
  expect(summary.dates.indexOf(second) - summary.dates.indexOf(first)).toBe(1);
  expect(valueIn(`${first.slice(0, 7)}/${district}.xlsx`, metricId)).toBe(value);
  expect(valueIn(`${second.slice(0, 7)}/${district}.xlsx`, metricId)).toBe(value);
  const target = plan.targets.find((t) => t.district === district && t.metricId === metricId)!;
  expect(value).toBeLessThan(targetTotal(target));
});

test('one report is missing: the district skips one month and reports the others', () => {
  const { district, asOf } = summary.specials.missing!;
  expect(read.has(`${asOf.slice(0, 7)}/${district}.xlsx`)).toBe(false);
  const reported = [...read.values()].filter((s) => s.district === district).map((s) => s.asOf);
  expect(new Set(reported)).toEqual(new Set(summary.dates.filter((d) => d !== asOf)));
});

test('one resubmission: a second file for the same district and date corrects one value', () => {
  const r = summary.specials.resubmitted!;
  const original = read.get(r.file)!;
  const corrected = read.get(r.correctedFile)!;
  expect([original.district, original.asOf]).toEqual([corrected.district, corrected.asOf]);
  const differing = corrected.rows.filter((row) => valueIn(r.file, row.metricId) !== row.completed);
  expect(differing.map((row) => [row.metricId, valueIn(r.file, row.metricId), row.completed])).toEqual([[r.metricId, r.original, r.corrected]]);
  expect(corrected.rows.find((row) => row.metricId === r.metricId)?.note).toContain('更正');
  // Loading files in name order puts the correction after the original.
  expect([path.basename(r.correctedFile), path.basename(r.file)].sort()[0]).toBe(path.basename(r.file));
  // The four special cases fall on four different districts.
  const s = summary.specials;
  expect(new Set([s.behind!.district, s.stalled!.district, s.missing!.district, r.district]).size).toBe(4);
});

test('README.md states what is special', () => {
  const readme = fs.readFileSync(path.join(outDir, 'README.md'), 'utf8');
  const s = summary.specials;
  for (const fact of [s.behind!.district, s.stalled!.metricId, s.missing!.district, s.missing!.asOf, s.resubmitted!.correctedFile]) expect(readme).toContain(fact);
});

test('deterministic for a seed, different for another; any list of dates', () => {
  expect(planDemoProgress(plan)).toEqual(planDemoProgress(plan));
  expect(planDemoProgress(plan, { seed: 7 }).reports).not.toEqual(planDemoProgress(plan).reports);
  const weekly = planDemoProgress(plan, { asOfDates: ['2024-09-06', '2024-09-13', '2024-09-20', '2024-09-27'] });
  expect(weekly.reports[0].file.startsWith('2024-09-06/')).toBe(true);
});

test('the committed demo submissions are exactly what the generator makes from the sample plan (regenerate after changing it)', async () => {
  const sample = analysePlanSheets((await readWorkbook(COMBINED_FILE)).sheets);
  expect(sample.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const regenerated = tempDir('minsheng-demo-sample-');
  await generateDemoSubmissions(sample.assembled.plan, regenerated);
  // What the generator writes: the month folders and README.md (generate.ts itself lives there too).
  const files = (dir: string) =>
    fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => !f.endsWith('.ts') && fs.statSync(path.join(dir, f)).isFile()).sort();
  expect(files(regenerated)).toEqual(files(SUBMISSIONS_DIR));
  const differing = files(SUBMISSIONS_DIR).filter((f) => !fs.readFileSync(path.join(regenerated, f)).equals(fs.readFileSync(path.join(SUBMISSIONS_DIR, f))));
  expect(differing).toEqual([]);
}, 300_000);
