// 掛牌督辦 through the CLI, as the 督查室 runs it month by month on a small plan (one metric, 1-1: 50% due
// 6/30, 80% 9/30, 100% 11/30): every transition of a case, no second case for a followed pair, history
// that only moves forward, and `supervise list --json` as the assessment and scripts read it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Plan } from '../core/model';
import { runCli } from './helpers/cli';
import { storeWith } from './helpers/store';
import { removeTempDirs, tempDir } from './helpers/tempDir';
import { sha256Of, SMALL_PLAN } from './helpers/reference/fixtures';
import type { ReferenceLoad } from './helpers/reference/analysis';

const PLAN: Plan = {
  ...SMALL_PLAN,
  metrics: SMALL_PLAN.metrics.filter((m) => m.id === '1-1'),
  targets: SMALL_PLAN.targets.filter((t) => t.metricId === '1-1'),
  milestones: SMALL_PLAN.milestones.filter((m) => m.metricId === '1-1'),
};

// Targets: 上城區 30, 拱墅區 30, 西湖區 20, 濱江區 20.
const REPORTS: Record<string, number[]> = {
  //          6/30 7/31 8/31 9/30 10/31 11/30
  上城區: [15, 15, 15, 24, 24, 30],
  拱墅區: [3, 12, 12, 24, 24, 24],
  西湖區: [4, 10, 8, 10, 10, 20],
  濱江區: [10, 10, 10, 16, 16, 20],
};
const DATES = ['2024-06-30', '2024-07-31', '2024-08-31', '2024-09-30', '2024-10-31', '2024-11-30'];

function loads(): ReferenceLoad[] {
  const out: ReferenceLoad[] = [];
  DATES.forEach((asOf, i) => {
    for (const [district, amounts] of Object.entries(REPORTS)) {
      const rows = [{ metricId: '1-1', completed: amounts[i] }];
      out.push({ district, asOf, rows, sha256: sha256Of(`${district}${asOf}${amounts[i]}`) });
    }
  });
  return out;
}

afterAll(removeTempDirs);

let db: string;

beforeAll(async () => {
  db = path.join(tempDir('minsheng-supervise-'), 'm.duckdb');
  const { store } = await storeWith(PLAN, loads(), db);
  store.close();
});

const cli = (...args: string[]) => runCli(...args, '--db', db, '--lang', 'zh-TW');

interface ListedCase {
  case_id: number;
  district: string;
  metric_id: string;
  opened_on: string;
  due_on: string;
  status: string;
  closed_on: string | null;
  reopen_count: number;
  reviews: { event_on: string; event: string; gap: number | null }[];
  notes: string[];
}

async function list(asOf: string, ...more: string[]): Promise<ListedCase[]> {
  const run = await cli('supervise', 'list', '--as-of', asOf, '--json', ...more);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as ListedCase[];
}

const byDistrict = (cases: ListedCase[]) => Object.fromEntries(cases.map((c) => [c.district, c.status]));

test('open: a case for each seriously behind pair, due the given days later', async () => {
  const run = await cli('supervise', 'open', '--as-of', '2024-06-30', '--due', '45');
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('已掛牌：拱墅區指標1-1（新增老年助餐服務點），差距40.0%，整改期限2024-08-14');
  expect(run.stdout).toContain('已掛牌：西湖區指標1-1');
  expect(run.stdout).toContain('嚴重滯後2項，新掛牌2項，已在督辦0項');
  const cases = await list('2024-06-30');
  expect(cases.map((c) => [c.district, c.opened_on, c.due_on, c.status, c.closed_on])).toEqual([
    ['拱墅區', '2024-06-30', '2024-08-14', 'open', null],
    ['西湖區', '2024-06-30', '2024-08-14', 'open', null],
  ]);
  expect(cases[0].reviews).toEqual([{ event_on: '2024-06-30', event: 'opened', gap: expect.closeTo(0.4, 9) }]);
});

test('no second case for a pair whose case is still open', async () => {
  const again = await cli('supervise', 'open', '--as-of', '2024-06-30', '--json');
  expect(JSON.parse(again.stdout)).toMatchObject({ opened: [], skipped: [{ district: '拱墅區', status: 'open' }, { district: '西湖區', status: 'open' }] });
  expect(await list('2024-06-30')).toHaveLength(2);
});

test('--only opens only the named pairs; a pair that is not seriously behind is said so; an unknown one changes nothing', async () => {
  const onTrack = await cli('supervise', 'open', '--as-of', '2024-06-30', '--only', '濱江:1-1');
  expect(onTrack.code).toBe(0);
  expect(onTrack.stdout).toContain('濱江區指標1-1（新增老年助餐服務點）在2024-06-30不是嚴重滯後（正常，差距0.0%），未掛牌');
  const unknown = await cli('supervise', 'open', '--as-of', '2024-06-30', '--only', '拱墅區:1-1，西湖區:9-9');
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('「西湖區:9-9」：計劃中沒有指標9-9');
  const unreadable = await cli('supervise', 'open', '--as-of', '2024-06-30', '--only', '拱墅區1-1');
  expect(unreadable.stderr).toContain('「拱墅區1-1」看不懂');
  expect(await list('2024-06-30')).toHaveLength(2);
});

test('review: back on track closes (銷號), still behind keeps; a second review at the same date records nothing', async () => {
  const run = await cli('supervise', 'review', '--as-of', '2024-07-31');
  expect(run.stdout).toContain('繼續督辦：拱墅區指標1-1（督辦編號 1）仍滯後，差距10.0%，整改期限2024-08-14');
  expect(run.stdout).toContain('銷號：西湖區指標1-1（督辦編號 2）已回到進度，差距0.0%');
  const cases = await list('2024-07-31');
  expect(byDistrict(cases)).toEqual({ 拱墅區: 'open', 西湖區: 'closed' });
  expect(cases[1].closed_on).toBe('2024-07-31');
  const again = await cli('supervise', 'review', '--as-of', '2024-07-31');
  expect(again.stdout).toBe('截至2024-07-31沒有需要複查的督辦。');
});

test('review after the deadline marks a case still behind overdue; 回頭看 reopens a closed case that fell behind again', async () => {
  const run = await cli('supervise', 'review', '--as-of', '2024-08-31', '--due', '45', '--json');
  expect(JSON.parse(run.stdout).events).toEqual([
    { case_id: 1, district: '拱墅區', metric_id: '1-1', event: 'overdue', gap: expect.closeTo(0.1, 9), due_on: '2024-08-14' },
    { case_id: 2, district: '西湖區', metric_id: '1-1', event: 'reopened', gap: expect.closeTo(0.1, 9), due_on: '2024-10-15' },
  ]);
  const cases = await list('2024-08-31');
  expect(byDistrict(cases)).toEqual({ 拱墅區: 'overdue', 西湖區: 'reopened' });
  expect(cases[1]).toMatchObject({ due_on: '2024-10-15', closed_on: null, reopen_count: 1 });
});

test('a case opened while its pair awaits 回頭看 or is reopened is not opened twice', async () => {
  const run = await cli('supervise', 'open', '--as-of', '2024-09-30', '--json');
  // At 9/30 西湖區 is seriously behind again (50% against 80%): its reopened case follows it.
  expect(JSON.parse(run.stdout)).toMatchObject({ opened: [], skipped: [{ case_id: 2, district: '西湖區', status: 'reopened' }] });
});

test('the year runs on: closed, rechecked, overdue after reopening, closed again', async () => {
  await cli('supervise', 'review', '--as-of', '2024-09-30', '--due', '45');
  expect(byDistrict(await list('2024-09-30'))).toEqual({ 拱墅區: 'closed', 西湖區: 'reopened' });
  const october = await cli('supervise', 'review', '--as-of', '2024-10-31');
  expect(october.stdout).toContain('回頭看通過：拱墅區指標1-1（督辦編號 1）仍在進度內');
  expect(october.stdout).toContain('逾期：西湖區指標1-1（督辦編號 2）已過整改期限2024-10-15');
  expect(byDistrict(await list('2024-10-31'))).toEqual({ 拱墅區: 'closed', 西湖區: 'overdue' });
  const november = await cli('supervise', 'review', '--as-of', '2024-11-30', '--json');
  // A rechecked case is not looked at again, even though 拱墅區 is behind at 11/30.
  expect(JSON.parse(november.stdout).events.map((e: { case_id: number; event: string }) => [e.case_id, e.event])).toEqual([[2, 'closed']]);
  const cases = await list('2024-11-30');
  expect(cases.map((c) => [c.district, c.status, c.closed_on, c.reopen_count])).toEqual([
    ['拱墅區', 'closed', '2024-09-30', 0],
    ['西湖區', 'closed', '2024-11-30', 1],
  ]);
  expect(cases[1].reviews.map((r) => r.event)).toEqual(['opened', 'closed', 'reopened', 'kept', 'overdue', 'closed']);
  // Past dates answer as they did: nothing is rewritten.
  expect(byDistrict(await list('2024-08-31'))).toEqual({ 拱墅區: 'overdue', 西湖區: 'reopened' });
});

test('once a case is rechecked, the pair can be put under supervision again', async () => {
  const run = await cli('supervise', 'open', '--as-of', '2024-11-30', '--json');
  expect(JSON.parse(run.stdout)).toMatchObject({ opened: [{ case_id: 3, district: '拱墅區', due_on: '2024-12-30' }] });
});

test('history only moves forward: opening or reviewing at an earlier date is refused and changes nothing', async () => {
  const before = await list('2024-12-31');
  const review = await cli('supervise', 'review', '--as-of', '2024-10-31');
  expect(review.code).toBe(2);
  expect(review.stderr).toContain('督辦記錄已記到2024-11-30，不能再以更早的2024-10-31複查');
  const open = await cli('supervise', 'open', '--as-of', '2024-09-30');
  expect(open.stderr).toContain('不能再以更早的2024-09-30掛牌');
  expect(await list('2024-12-31')).toEqual(before);
});

test('notes record 整改措施 with their date and change no status', async () => {
  const run = await cli('supervise', 'note', '2', '已約談西湖區分管負責人，9月底前補齊10個助餐點', '--on', '2024-09-15');
  expect(run.stdout).toBe('已為督辦編號 2（西湖區指標1-1）記下2024-09-15的整改措施。');
  expect((await list('2024-09-14'))[1].notes).toEqual([]);
  const [, xihu] = await list('2024-09-30');
  expect(xihu).toMatchObject({ status: 'reopened', notes: ['已約談西湖區分管負責人，9月底前補齊10個助餐點'] });
  expect((await cli('supervise', 'note', '99', '無此案')).stderr).toContain('沒有督辦編號為「99」的案件');
  expect((await cli('supervise', 'note', '2', '太早', '--on', '2024-06-01')).stderr).toContain('早於這件督辦的掛牌日期2024-06-30');
});

test('list filters by status and district, prints a table in the reader\'s script, and writes CSV', async () => {
  expect((await list('2024-12-31', '--status', 'open')).map((c) => c.case_id)).toEqual([3]);
  expect((await list('2024-12-31', '--status', '已銷號', '--district', '西湖区')).map((c) => c.case_id)).toEqual([2]);
  const table = await runCli('supervise', 'list', '--db', db, '--lang', 'zh-CN');
  expect(table.stdout).toContain('截至2024-11-30的挂牌督办（3件）');
  expect(table.stdout).toMatch(/西湖區\s+1-1/);
  expect(table.stdout).toContain('已销号');
  const csv = await cli('supervise', 'list', '--csv', '-');
  expect(csv.stdout.split('\r\n')[0]).toBe('case_id,district,metric_id,label,lead_unit,opened_on,due_on,status,closed_on,reopen_count,gap,judged_on,reviews,notes');
  expect(csv.stdout).toContain('2024-06-30:opened:0.3');
});

test('export --parquet carries the cases and their events, by year', async () => {
  const out = path.join(path.dirname(db), 'parquet');
  const run = await cli('export', '--parquet', out);
  // 拱墅區's first case: opened, kept, overdue, closed, rechecked; 西湖區's: opened, closed, reopened, kept,
  // overdue, closed and a note; 拱墅區's second: opened.
  expect(run.stdout).toMatch(/^supervision_events\t13 行/m);
  expect(run.stdout).toMatch(/^supervision_cases\t3 行/m);
  expect(fs.existsSync(path.join(out, 'supervision_events', 'year=2024'))).toBe(true);
});
