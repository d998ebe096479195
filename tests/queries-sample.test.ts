// The 2024 Hangzhou sample end to end: the plan read from 附件1/附件2, every demo submission read from its
// workbook and loaded (all 135, none refused), then rankings and lag statuses checked against the
// reference implementation computed from the same inputs, and the cases the sample's README announces
// checked against what lag reports.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { detectSubmission, readSubmissions } from '../core/submission';
import type { Plan } from '../core/model';
import { queryLag, queryRanking } from '../pipeline/db/queries';
import { replacePlan } from '../pipeline/db/plan';
import { openStore, type Store } from '../pipeline/db/store';
import { loadSubmission, type LoadStatus } from '../pipeline/db/submissions';
import { combinedPlan, readPlanFiles } from '../pipeline/planFiles';
import type { Cell } from '../pipeline/output/resultTable';
import { readWorkbook } from '../pipeline/xlsx/readWorkbook';
import { BREAKDOWN_FILE, RESPONSIBILITY_FILE, SUBMISSIONS_DIR } from './helpers/samples';
import { close, objects } from './helpers/store';
import { referenceLag, referenceRanking, type ReferenceLoad } from './helpers/reference/analysis';

const MONTH_ENDS = ['2024-03-31', '2024-04-30', '2024-05-31', '2024-06-30', '2024-07-31', '2024-08-31', '2024-09-30', '2024-10-31', '2024-11-30', '2024-12-31'];
/** The sample's own account of what is special in it (written by its generator). */
const README = fs.readFileSync(path.join(SUBMISSIONS_DIR, 'README.md'), 'utf8');

let store: Store;
let plan: Plan;
const loads: ReferenceLoad[] = [];
const statuses: LoadStatus[] = [];
const files: string[] = [];
/** Files the reader found errors in, with the first error: a sample file must never be one. */
const refused: string[] = [];

beforeAll(async () => {
  const read = await readPlanFiles([RESPONSIBILITY_FILE, BREAKDOWN_FILE]);
  plan = combinedPlan(read).plan;
  store = await openStore(':memory:');
  await replacePlan(store, plan, []);
  const months = fs.readdirSync(SUBMISSIONS_DIR).filter((m) => /^\d{4}-\d{2}$/.test(m)).sort();
  for (const month of months) {
    for (const name of fs.readdirSync(path.join(SUBMISSIONS_DIR, month)).sort()) {
      const file = path.join(SUBMISSIONS_DIR, month, name);
      files.push(`${month}/${name}`);
      const sha256 = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      for (const grid of (await readWorkbook(file)).sheets.filter(detectSubmission)) {
        const reading = readSubmissions(grid, plan);
        const errors = reading.issues.filter((i) => i.severity === 'error');
        if (errors.length > 0) {
          refused.push(`${month}/${name}: ${errors[0].code} ${errors[0].cell ?? ''}`);
          continue;
        }
        for (const submission of reading.submissions) {
          statuses.push((await loadSubmission(store, submission, { fileName: name, sha256 })).status);
          loads.push({ district: submission.district, asOf: submission.asOf, sha256, rows: submission.rows });
        }
      }
    }
  }
}, 120_000);

afterAll(() => store?.close());

test('all 135 demo submissions load, none refused; the correction supersedes the file it corrects', () => {
  expect(README).toContain('共135份報送表');
  expect(refused).toEqual([]);
  expect(files).toHaveLength(135);
  expect(statuses).toHaveLength(135);
  expect(statuses.filter((s) => s === 'superseded-earlier')).toHaveLength(1);
  expect(statuses.filter((s) => s !== 'loaded' && s !== 'superseded-earlier')).toEqual([]);
});

test.each(MONTH_ENDS)('ranking and lag at %s agree with the reference', async (asOf) => {
  const ranking = objects(await queryRanking(store, asOf));
  const refRanking = referenceRanking(plan, loads, asOf);
  expect(ranking.map((r) => [r.district, r.tie_rank, r.tied])).toEqual(refRanking.map((r) => [r.district, r.tieRank, r.tied]));
  ranking.forEach((row, i) => expect(close(row.schedule_attainment, refRanking[i].scheduleAttainment)).toBe(true));

  const lag = new Map(objects(await queryLag(store, asOf)).map((r) => [`${r.district}|${r.metric_id}`, r]));
  const refLag = referenceLag(plan, loads, asOf);
  expect(lag.size).toBe(refLag.length);
  for (const ref of refLag) {
    const row = lag.get(`${ref.district}|${ref.metricId}`);
    expect([asOf, ref.district, ref.metricId, row?.lag_status, close(row!.gap, ref.gap)]).toEqual([
      asOf,
      ref.district,
      ref.metricId,
      ref.lagStatus,
      true,
    ]);
  }
});

describe('the cases the sample README announces are what lag reports', () => {
  const lagAt = async (asOf: string) => objects(await queryLag(store, asOf));
  const attainment = (r: Record<string, Cell>) => Math.min(Number(r.completion), 1) / Number(r.expected_ratio);

  test('進度明顯落後: on the last report date the pairs at half of schedule or less are exactly the named district\'s named metrics, each seriously behind', async () => {
    const m = /進度明顯落後：(\S+?)，指標 (.+?) 只完成計劃進度的三到五成/.exec(README);
    expect(m).not.toBeNull();
    const [, district, list] = m!;
    const named = [...list.matchAll(/(\d+-\d+)「/g)].map((x) => x[1]).sort();
    expect(named).toHaveLength(6);
    const rows = await lagAt('2024-11-30');
    const farBehind = rows.filter((r) => Number(r.expected_ratio) > 0 && attainment(r) <= 0.5 + 1e-9);
    expect(farBehind.map((r) => `${r.district} ${r.metric_id}`).sort()).toEqual(named.map((id) => `${district} ${id}`).sort());
    for (const r of farBehind) {
      expect([r.metric_id, (r.lag_flags as string[]).includes('seriously_behind'), attainment(r) >= 0.3]).toEqual([r.metric_id, true, true]);
    }
  });

  test('停滯: the named metric reports the same amount on the two named dates and lag calls it stalled', async () => {
    const m = /停滯：(\S+?) 的指標 (\d+-\d+)「[^」]*」 在 (\S+) 和 (\S+) 兩次報送的累計完成相同（(\d+(?:\.\d+)?)）/.exec(README);
    expect(m).not.toBeNull();
    const [, district, metricId, before, at, value] = m!;
    const row = (await lagAt(at)).find((r) => r.district === district && r.metric_id === metricId)!;
    expect([row.previous_report_date, row.last_report_date, row.previous_completed, row.completed]).toEqual([before, at, Number(value), Number(value)]);
    expect(row.lag_flags).toContain('stalled');
    // The month before, the same metric was still moving.
    const earlier = (await lagAt(before)).find((r) => r.district === district && r.metric_id === metricId)!;
    expect(earlier.lag_flags).not.toContain('stalled');
  });

  test('缺報: at the named date only the named district has no report of that date, and the month after it reports again', async () => {
    const m = /缺報：(\S+?) 未報送截至 (\S+) 的進度/.exec(README);
    expect(m).not.toBeNull();
    const [, district, asOf] = m!;
    const latest = (rows: Record<string, Cell>[]) => {
      const byDistrict = new Map<string, string>();
      for (const r of rows) if (r.last_report_date && String(r.last_report_date) > (byDistrict.get(String(r.district)) ?? '')) byDistrict.set(String(r.district), String(r.last_report_date));
      return byDistrict;
    };
    const atDate = latest(await lagAt(asOf));
    expect([...atDate].filter(([, date]) => date !== asOf).map(([d]) => d)).toEqual([district]);
    expect(atDate.get(district)! < asOf).toBe(true);
    const next = MONTH_ENDS[MONTH_ENDS.indexOf(asOf) + 1];
    expect([...latest(await lagAt(next))].filter(([, date]) => date !== next)).toEqual([]);
  });
});
