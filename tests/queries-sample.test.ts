// The 2024 Hangzhou sample end to end: the plan read from 附件1/附件2, every demo submission read from its
// workbook and loaded, then rankings and lag statuses checked against the reference implementation
// computed from the same inputs.
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
import { readWorkbook } from '../pipeline/xlsx/readWorkbook';
import { close, objects } from './helpers/store';
import { referenceLag, referenceRanking, type ReferenceLoad } from './helpers/reference/analysis';

const SAMPLE = path.resolve(__dirname, '../samples/2024-hangzhou');
const MONTH_ENDS = ['2024-03-31', '2024-04-30', '2024-05-31', '2024-06-30', '2024-07-31', '2024-08-31', '2024-09-30', '2024-10-31', '2024-11-30', '2024-12-31'];

let store: Store;
let plan: Plan;
const loads: ReferenceLoad[] = [];
const statuses: LoadStatus[] = [];

beforeAll(async () => {
  const files = await readPlanFiles([path.join(SAMPLE, '附件1-責任清單.xlsx'), path.join(SAMPLE, '附件2-任務分解表.xlsx')]);
  plan = combinedPlan(files).plan;
  store = await openStore(':memory:');
  await replacePlan(store, plan, []);
  const months = fs.readdirSync(path.join(SAMPLE, 'submissions')).filter((m) => /^\d{4}-\d{2}$/.test(m)).sort();
  for (const month of months) {
    for (const name of fs.readdirSync(path.join(SAMPLE, 'submissions', month)).sort()) {
      const file = path.join(SAMPLE, 'submissions', month, name);
      const sha256 = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      for (const grid of (await readWorkbook(file)).sheets.filter(detectSubmission)) {
        const reading = readSubmissions(grid, plan);
        if (reading.issues.some((i) => i.severity === 'error')) continue; // a loader rejects such files
        for (const submission of reading.submissions) {
          statuses.push((await loadSubmission(store, submission, { fileName: name, sha256 })).status);
          loads.push({ district: submission.district, asOf: submission.asOf, sha256, rows: submission.rows });
        }
      }
    }
  }
}, 120_000);

afterAll(() => store?.close());

test('the demo submissions load, one of them superseding an earlier file', () => {
  expect(statuses.length).toBeGreaterThanOrEqual(100);
  expect(statuses.filter((s) => s === 'superseded-earlier').length).toBeGreaterThanOrEqual(1);
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
