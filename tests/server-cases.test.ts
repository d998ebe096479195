// GET /api/cases: the 掛牌督辦 cases the task pane shows — a district's token sees its own district's
// cases still followed, an admin token every district's, and nothing without a token.
import { expandInputs, loadFile } from '../pipeline/loadFiles';
import { openCases } from '../pipeline/db/supervision';
import { request, startTestService, SUBMISSIONS_2024_09, type TestService } from './helpers/server';
import { removeTempDirs } from './helpers/tempDir';

let t: TestService;

beforeAll(async () => {
  t = await startTestService();
  await t.service.queue.run(async () => {
    for (const file of expandInputs([SUBMISSIONS_2024_09])) await loadFile(t.store, t.plan, file);
    await openCases(t.store, { asOf: '2024-09-30', dueDays: 30 });
  });
});
afterAll(async () => {
  await t?.stop();
  removeTempDirs();
});

const get = (token: string | undefined, query = '') => request(t.service.url, `/api/cases${query}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});

test("a district's token sees its own open cases, as supervise list gives them", async () => {
  const opened = await t.query("SELECT district, count(*)::INTEGER AS n FROM supervision_cases GROUP BY district ORDER BY district");
  const linping = opened.find((r) => r.district === '臨平區');
  expect(linping?.n).toBeGreaterThan(0);
  const reply = await get(t.tokens['臨平區']);
  expect(reply.status).toBe(200);
  const body = reply.json();
  expect(body).toMatchObject({ asOf: '2024-09-30', district: '臨平區' });
  expect(body.cases).toHaveLength(linping!.n as number);
  for (const c of body.cases) expect(c).toMatchObject({ district: '臨平區', status: 'open', opened_on: '2024-09-30', due_on: '2024-10-30', notes: [] });
  expect(body.cases[0]).toEqual(expect.objectContaining({ case_id: expect.any(Number), metric_id: expect.stringMatching(/^\d+-\d+$/), gap: expect.any(Number), reviews: [expect.objectContaining({ event: 'opened' })] }));
});

test('another district sees none of them; the admin sees every district; before the first case there is none', async () => {
  const other = (await get(t.tokens['上城區'])).json();
  expect(other.cases.filter((c: { district: string }) => c.district !== '上城區')).toEqual([]);
  const all = (await get(t.adminToken)).json();
  const total = await t.query('SELECT count(*)::INTEGER AS n FROM supervision_cases');
  expect(all).toMatchObject({ district: null });
  expect(all.cases).toHaveLength(total[0].n as number);
  expect((await get(t.tokens['臨平區'], '?as_of=2024-08-31')).json()).toEqual({ asOf: '2024-08-31', district: '臨平區', cases: [] });
});

test('no token, no cases; a bad date is said so', async () => {
  expect((await get(undefined)).status).toBe(401);
  const bad = await get(t.tokens['臨平區'], '?as_of=2024-13-01');
  expect(bad.status).toBe(400);
  expect(bad.json().error).toMatch(/as_of/);
});
