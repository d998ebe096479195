// `minsheng serve` over real HTTP on 127.0.0.1 (docs/service.md; docs/design.md, "The service"): who may
// submit what, what happens to oversize, garbage and invalid files, concurrent submissions, the JSON and
// PNG reads, CORS, a client that disconnects mid-upload, paths that try to reach files, and the request
// log.
import * as fs from 'node:fs';
import * as http from 'node:http';
import ExcelJS from 'exceljs';
import { ServiceClient } from '../addin/service';
import { Plan } from '../core/model';
import { districtMetrics } from '../core/submission';
import { writeTemplate } from '../pipeline/template';
import { ADDIN_ORIGIN, filledTemplate, request, sampleSubmission, startTestService, uploadHeaders, XLSX_TYPE, type TestService } from './helpers/server';
import { removeTempDirs, tempDir } from './helpers/tempDir';
import { COMBINED_FILE } from './helpers/samples';

let t: TestService;
let url: string;

beforeAll(async () => {
  t = await startTestService();
  url = t.service.url;
});

afterAll(async () => {
  await t?.stop();
  removeTempDirs();
});

afterEach(() => {
  expect(t.internalErrors).toEqual([]);
});

/** One workbook with a filled 進度報送表 sheet per (district, date), values copied from generated templates. */
async function twoReportWorkbook(reports: [string, string][]): Promise<Buffer> {
  const out = new ExcelJS.Workbook();
  const dir = tempDir();
  for (const [district, asOf] of reports) {
    const source = new ExcelJS.Workbook();
    await source.xlsx.load((await filledTemplate(t.plan, district, asOf, dir)) as unknown as ExcelJS.Buffer);
    const from = source.getWorksheet('進度報送表')!;
    const to = out.addWorksheet(district);
    from.eachRow((row, r) => row.eachCell((cell, c) => (to.getCell(r, c).value = cell.value)));
  }
  return Buffer.from(await out.xlsx.writeBuffer());
}

const submissionCount = async () => Number((await t.query('SELECT count(*) AS n FROM submissions'))[0].n);
const progressCount = async () => Number((await t.query('SELECT count(*) AS n FROM progress'))[0].n);
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const post = (token: string, fileName: string, body: Buffer | string, type = XLSX_TYPE) =>
  request(url, '/api/submissions', { method: 'POST', headers: uploadHeaders(token, fileName, type), body });

describe('health and plan', () => {
  test('health needs no token and names the plan year', async () => {
    const reply = await request(url, '/api/health');
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.json()).toMatchObject({ ok: true, planYear: 2024 });
  });

  test('the plan needs a token and comes back as a Plan the add-in can build templates from', async () => {
    expect((await request(url, '/api/plan')).status).toBe(401);
    const reply = await request(url, '/api/plan', { headers: auth(t.tokens['上城區']) });
    expect(reply.status).toBe(200);
    const plan = Plan.parse(reply.json());
    expect(plan.year).toBe(2024);
    expect(plan.projects).toHaveLength(48);
    expect(plan.metrics.map((m) => m.id)).toEqual(t.plan.metrics.map((m) => m.id));
    expect(plan.targets.filter((x) => x.district === '上城區').length).toBeGreaterThan(10);
  });
});

describe('who may submit', () => {
  test('no token, a wrong token and a malformed header are 401 with a Chinese message; nothing is stored', async () => {
    const before = await submissionCount();
    const bytes = sampleSubmission('上城區');
    const noToken = await request(url, '/api/submissions', { method: 'POST', headers: { 'Content-Type': XLSX_TYPE }, body: bytes });
    const wrong = await post('msk_not-a-real-token', '上城區.xlsx', bytes);
    const almost = await post(t.tokens['上城區'].slice(0, -1), '上城區.xlsx', bytes);
    const basic = await request(url, '/api/submissions', { method: 'POST', headers: { Authorization: `Basic ${t.tokens['上城區']}`, 'Content-Type': XLSX_TYPE }, body: bytes });
    for (const reply of [noToken, wrong, almost, basic]) {
      expect(reply.status).toBe(401);
      expect(reply.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(reply.json().error).toMatch(/令牌/);
    }
    expect(await submissionCount()).toBe(before);
  });

  test("a district's token cannot submit another district's file: 403, nothing stored", async () => {
    const before = await submissionCount();
    const reply = await post(t.tokens['上城區'], '西湖區.xlsx', sampleSubmission('西湖區'));
    expect(reply.status).toBe(403);
    expect(reply.json().error).toContain('西湖區');
    expect(reply.json().error).toContain('上城區');
    expect(await submissionCount()).toBe(before);
    expect((await t.query("SELECT count(*) AS n FROM submissions WHERE district = '西湖區'"))[0].n).toBe(0n);
  });

  test("a workbook holding the caller's own report and another district's is refused whole: 403, nothing stored", async () => {
    const before = await submissionCount();
    const bytes = await twoReportWorkbook([
      ['上城區', '2024-04-30'],
      ['拱墅區', '2024-04-30'],
    ]);
    const reply = await post(t.tokens['上城區'], '兩區合報.xlsx', bytes);
    expect(reply.status).toBe(403);
    expect(reply.json().error).toContain('拱墅區');
    expect(await submissionCount()).toBe(before);
    // The same workbook from the supervision office is two submissions.
    const admin = await post(t.adminToken, '兩區合報.xlsx', bytes);
    expect(admin.status).toBe(200);
    expect(admin.json().submissions.map((s: { district: string }) => s.district).sort()).toEqual(['上城區', '拱墅區'].sort());
    expect(await submissionCount()).toBe(before + 2);
  });

  test("a district submits its own file: loaded, with what was stored; the same file again is a duplicate", async () => {
    const before = await progressCount();
    const reply = await post(t.tokens['上城區'], '上城區 9月.xlsx', sampleSubmission('上城區'));
    expect(reply.status).toBe(200);
    const body = reply.json();
    expect(body.verdict).toBe('loaded');
    expect(body.submissions).toEqual([{ district: '上城區', asOf: '2024-09-30', rows: expect.any(Number), status: 'loaded' }]);
    expect(await progressCount()).toBe(before + body.submissions[0].rows);
    const stored = await t.query("SELECT file_name FROM submissions WHERE district = '上城區' AND as_of = DATE '2024-09-30'");
    expect(stored).toEqual([{ file_name: '上城區 9月.xlsx' }]);

    const again = await post(t.tokens['上城區'], '上城區 9月.xlsx', sampleSubmission('上城區'));
    expect(again.status).toBe(200);
    expect(again.json().verdict).toBe('duplicate');
    expect(await progressCount()).toBe(before + body.submissions[0].rows);
  });

  test('a corrected file for the same district and date supersedes the earlier one', async () => {
    const dir = tempDir();
    const first = await post(t.tokens['濱江區'], '濱江區.xlsx', await filledTemplate(t.plan, '濱江區', '2024-05-31', dir, 0.3));
    const second = await post(t.tokens['濱江區'], '濱江區（更正）.xlsx', await filledTemplate(t.plan, '濱江區', '2024-05-31', dir, 0.35));
    expect(first.json().verdict).toBe('loaded');
    expect(second.status).toBe(200);
    expect(second.json().verdict).toBe('superseded-earlier');
    const current = await t.query("SELECT file_name FROM submissions WHERE district = '濱江區' AND as_of = DATE '2024-05-31' AND superseded_by IS NULL");
    expect(current).toEqual([{ file_name: '濱江區（更正）.xlsx' }]);
  });

  test("the supervision office's admin token may submit for any district", async () => {
    const reply = await post(t.adminToken, '西湖區.xlsx', sampleSubmission('西湖區'));
    expect(reply.status).toBe(200);
    expect(reply.json().submissions[0].district).toBe('西湖區');
  });
});

describe('what is sent', () => {
  test('a body over the limit is 413, whether its length is declared or it streams in; nothing stored', async () => {
    const before = await submissionCount();
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x50);
    const declared = await post(t.tokens['上城區'], 'big.xlsx', big);
    expect(declared.status).toBe(413);
    expect(declared.json().error).toContain('10 MB');

    // Chunked: no length up front, so the service must count and stop reading at the limit.
    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const target = new URL(url);
      const req = http.request({ host: target.hostname, port: target.port, method: 'POST', path: '/api/submissions', headers: uploadHeaders(t.tokens['上城區'], 'big.xlsx'), agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      let answered = false;
      req.on('response', () => (answered = true));
      req.on('error', (error) => {
        if (!answered) reject(error);
      });
      const chunk = Buffer.alloc(1024 * 1024, 0x50);
      let sent = 0;
      const pump = () => {
        // Keeps offering data well past the limit; the service answers and cuts the connection first.
        while (sent < 40 && !req.destroyed) {
          sent++;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error).toMatch(/檔案太大/);
    // An entry is written when the connection is done with, just after the client has its answer.
    const logged = await t.logged((e) => e.status === 413, 2);
    // Reading stopped at the limit: at most one socket read past it, nowhere near the 40 MB offered.
    for (const e of logged) expect(e.bytes).toBeLessThan(11 * 1024 * 1024);
    expect(await submissionCount()).toBe(before);
  });

  test('garbage, a truncated workbook and a workbook that is not a progress report are 422 with a reason', async () => {
    const before = await submissionCount();
    const garbage = await post(t.tokens['上城區'], '進度.xlsx', Buffer.from('這不是一個Excel文件\n1,2,3\n'));
    const sample = sampleSubmission('上城區');
    const truncated = await post(t.tokens['上城區'], '截斷.xlsx', sample.subarray(0, Math.floor(sample.length / 2)));
    const random = await post(t.tokens['上城區'], 'random.xlsx', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
    const planFile = await post(t.tokens['上城區'], '附件1+2.xlsx', fs.readFileSync(COMBINED_FILE));
    for (const reply of [garbage, truncated, random, planFile]) {
      expect(reply.status).toBe(422);
      const body = reply.json();
      expect(body.verdict).toBe('unreadable');
      expect(body.reason).toMatch(/[\u4e00-\u9fff]/);
      expect(body.error).toBe(body.reason);
      expect(Array.isArray(body.issues)).toBe(true);
    }
    expect(garbage.json().reason).toContain('進度.xlsx');
    expect(planFile.json().reason).toContain('沒有進度報送表');
    expect(await submissionCount()).toBe(before);
  });

  test('an empty body is 422', async () => {
    const reply = await post(t.tokens['上城區'], 'empty.xlsx', Buffer.alloc(0));
    expect(reply.status).toBe(422);
    expect(reply.json().verdict).toBe('unreadable');
  });

  test('a report with an invalid value is rejected whole with the issue and its cell', async () => {
    const before = await submissionCount();
    const dir = tempDir();
    const metric = districtMetrics(t.plan, '臨平區').find((dm) => dm.metric.kind === 'count')!.metric;
    const file = `${dir}/臨平區.xlsx`;
    const layout = await writeTemplate(t.plan, '臨平區', '2024-06-30', file, { lang: 'zh-TW', fill: { completed: { [metric.id]: '待定' } } });
    const cell = layout.rows.find((r) => r.metricId === metric.id)!.completedCell;
    const reply = await post(t.tokens['臨平區'], '臨平區.xlsx', fs.readFileSync(file));
    expect(reply.status).toBe(422);
    const body = reply.json();
    expect(body.verdict).toBe('rejected');
    expect(body.reason).toMatch(/錯誤/);
    expect(body.issues).toEqual(expect.arrayContaining([expect.objectContaining({ severity: 'error', cell, file: '臨平區.xlsx' })]));
    expect(await submissionCount()).toBe(before);
  });

  test("a rejected report's issues are in the reader's script: Accept-Language first, else the plan's", async () => {
    const dir = tempDir();
    const metric = districtMetrics(t.plan, '臨平區').find((dm) => dm.metric.kind === 'count')!.metric;
    const file = `${dir}/臨平區-lang.xlsx`;
    await writeTemplate(t.plan, '臨平區', '2024-06-30', file, { lang: 'zh-TW', fill: { completed: { [metric.id]: '待定' } } });
    const bytes = fs.readFileSync(file);
    const answer = async (language?: string) => {
      const headers = { ...uploadHeaders(t.tokens['臨平區'], '臨平區.xlsx'), ...(language ? { 'Accept-Language': language } : {}) };
      const reply = await request(url, '/api/submissions', { method: 'POST', headers, body: bytes });
      expect(reply.status).toBe(422);
      const issue = (reply.json().issues as { code: string; message: string }[]).find((i) => i.code === 'not-a-number')!;
      expect(typeof issue.message).toBe('string');
      return issue.message;
    };
    // The sentence is the catalogue's, in the reader's script; the data in it (the metric's label, 待定) keeps the plan's.
    expect(await answer('zh-CN,zh;q=0.9,en;q=0.8')).toContain('不是数字');
    expect(await answer('zh-Hans')).toContain('不是数字');
    expect(await answer('en-US,zh-TW;q=0.8')).toContain('不是數字');
    expect(await answer('zh-HK')).toContain('不是數字');
    // No Chinese tag: the plan (traditional script) decides.
    expect(await answer('en-US')).toContain('不是數字');
    expect(await answer()).toContain('不是數字');
  });

  test('a body that is not declared as a workbook is 415', async () => {
    const reply = await post(t.tokens['上城區'], '上城區.xlsx', sampleSubmission('上城區'), 'text/plain');
    expect(reply.status).toBe(415);
    expect(reply.json().error).toMatch(/上傳/);
    const none = await request(url, '/api/submissions', { method: 'POST', headers: auth(t.tokens['上城區']), body: sampleSubmission('上城區') });
    expect(none.status).toBe(415);
  });
});

test('20 concurrent submissions from different districts and dates are all stored', async () => {
  const dir = tempDir();
  const districts = ['市本級', '拱墅區', '蕭山區', '餘杭區', '錢塘區', '富陽區', '臨安區', '桐廬縣', '淳安縣', '建德市'];
  const dates = ['2024-07-31', '2024-08-31'];
  const files = [];
  for (const district of districts) {
    for (const asOf of dates) files.push({ district, asOf, bytes: await filledTemplate(t.plan, district, asOf, dir) });
  }
  expect(files).toHaveLength(20);
  const before = await submissionCount();
  const replies = await Promise.all(files.map((f) => post(t.tokens[f.district], `${f.district}-${f.asOf}.xlsx`, f.bytes)));
  expect(replies.map((r) => r.status)).toEqual(Array(20).fill(200));
  expect(replies.map((r) => r.json().verdict)).toEqual(Array(20).fill('loaded'));
  expect(await submissionCount()).toBe(before + 20);
  const stored = await t.query(
    `SELECT s.district, strftime(s.as_of, '%Y-%m-%d') AS as_of, count(p.metric_id) AS rows
     FROM submissions s JOIN progress p ON p.submission_id = s.id
     WHERE s.as_of IN (DATE '2024-07-31', DATE '2024-08-31') GROUP BY ALL ORDER BY ALL`,
  );
  expect(stored).toHaveLength(20);
  for (const f of files) {
    const reply = replies[files.indexOf(f)].json();
    const row = stored.find((s) => s.district === f.district && s.as_of === f.asOf);
    expect(Number(row?.rows)).toBe(reply.submissions[0].rows);
  }
});

describe('reading results', () => {
  beforeAll(async () => {
    for (const district of ['拱墅區', '蕭山區', '淳安縣']) await post(t.adminToken, `${district}.xlsx`, sampleSubmission(district));
  });

  test('ranking for a date: every district with targets once, ranks 1..n, as JSON columns and rows', async () => {
    expect((await request(url, '/api/ranking?as_of=2024-09-30')).status).toBe(401);
    const reply = await request(url, '/api/ranking?as_of=2024-09-30', { headers: auth(t.tokens['淳安縣']) });
    expect(reply.status).toBe(200);
    const body = reply.json();
    expect(body.asOf).toBe('2024-09-30');
    const names: string[] = body.columns;
    expect(names).toEqual(expect.arrayContaining(['rank', 'district', 'schedule_attainment', 'completion']));
    const rank = names.indexOf('rank');
    const district = names.indexOf('district');
    const completion = names.indexOf('completion');
    expect(body.rows.map((r: unknown[]) => r[rank])).toEqual(body.rows.map((_: unknown, i: number) => i + 1));
    const districts = body.rows.map((r: unknown[]) => r[district]);
    expect(new Set(districts).size).toBe(districts.length);
    expect(districts).toEqual(expect.arrayContaining(['上城區', '拱墅區', '淳安縣', '西湖區']));
    // Districts that reported by 2024-09-30 have some completion; 臨平區 sent nothing valid.
    const completionOf = (d: string) => body.rows.find((r: unknown[]) => r[district] === d)[completion];
    expect(completionOf('上城區')).toBeGreaterThan(0);
    expect(completionOf('臨平區')).toBe(0);
  });

  test('without as_of the date every reporting district has reached is used (one sent only May), and said', async () => {
    const health = (await request(url, '/api/health')).json();
    expect(health.latestAsOf).toBe('2024-09-30');
    expect(health.defaultAsOf).toBe('2024-05-31');
    const reply = (await request(url, '/api/ranking', { headers: auth(t.tokens['上城區']) })).json();
    expect(reply.asOf).toBe('2024-05-31');
    expect(reply.asOfRule).toContain('2024-09-30');
  });

  test('lag for a date, filtered by status', async () => {
    const all = (await request(url, '/api/lag?as_of=2024-09-30', { headers: auth(t.tokens['上城區']) })).json();
    const some = await request(url, '/api/lag?as_of=2024-09-30&status=seriously_behind,behind', { headers: auth(t.tokens['上城區']) });
    expect(some.status).toBe(200);
    const body = some.json();
    const statusAt = body.columns.indexOf('lag_status');
    const statuses = new Set(body.rows.map((r: unknown[]) => r[statusAt]));
    expect([...statuses].every((s) => s === 'seriously_behind' || s === 'behind')).toBe(true);
    const expected = all.rows.filter((r: unknown[]) => r[statusAt] === 'seriously_behind' || r[statusAt] === 'behind');
    expect(body.rows).toEqual(expected);
    expect(all.rows.length).toBeGreaterThan(body.rows.length);
  });

  test('a bad date or status is 400 naming the parameter', async () => {
    for (const bad of ['2024-9-30', '2024-02-30', 'yesterday', "2024-09-30' OR 1=1"]) {
      const reply = await request(url, `/api/ranking?as_of=${encodeURIComponent(bad)}`, { headers: auth(t.tokens['上城區']) });
      expect(reply.status).toBe(400);
      expect(reply.json().error).toContain('as_of');
    }
    const chart = await request(url, '/api/charts/ranking.png?as_of=2024-13-01', { headers: auth(t.tokens['上城區']) });
    expect(chart.status).toBe(400);
    for (const bad of ['late', '__proto__']) {
      const status = await request(url, `/api/lag?status=${bad}`, { headers: auth(t.tokens['上城區']) });
      expect(status.status).toBe(400);
      expect(status.json().error).toContain('status');
    }
  });

  test('the ranking and lag charts come back as PNG images', async () => {
    for (const chart of ['ranking', 'lag-heatmap']) {
      expect((await request(url, `/api/charts/${chart}.png?as_of=2024-09-30`)).status).toBe(401);
      const reply = await request(url, `/api/charts/${chart}.png?as_of=2024-09-30`, { headers: auth(t.tokens['上城區']) });
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('image/png');
      expect(reply.body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      expect(reply.body.readUInt32BE(16)).toBeGreaterThan(500); // width from the IHDR chunk
    }
  });
});

describe('CORS', () => {
  const preflight = (origin: string, method = 'POST', headers = 'authorization,content-type,x-file-name') =>
    request(url, '/api/submissions', { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': headers } });

  test("the add-in's origin may POST with Authorization and X-File-Name", async () => {
    const reply = await preflight(ADDIN_ORIGIN);
    expect(reply.status).toBe(204);
    expect(reply.headers['access-control-allow-origin']).toBe(ADDIN_ORIGIN);
    expect(reply.headers['access-control-allow-methods']).toContain('POST');
    const allowed = String(reply.headers['access-control-allow-headers']).toLowerCase();
    for (const h of ['authorization', 'x-file-name', 'content-type']) expect(allowed).toContain(h);
    const get = await request(url, '/api/ranking?as_of=2024-09-30', { headers: { Origin: ADDIN_ORIGIN, ...auth(t.tokens['上城區']) } });
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBe(ADDIN_ORIGIN);
  });

  test('the allowed origin is answered in its configured form, not echoed as the request spelled it', async () => {
    const spelled = 'HTTPS://LOCALHOST:3000';
    const reply = await preflight(spelled);
    expect(reply.status).toBe(204);
    expect(reply.headers['access-control-allow-origin']).toBe(ADDIN_ORIGIN);
    const get = await request(url, '/api/ranking?as_of=2024-09-30', { headers: { Origin: spelled, ...auth(t.tokens['上城區']) } });
    expect(get.headers['access-control-allow-origin']).toBe(ADDIN_ORIGIN);
  });

  test('another origin is refused, with no Allow-Origin header and never a wildcard', async () => {
    for (const origin of ['https://evil.example', 'https://localhost:3001', 'http://localhost:3000', 'null']) {
      const reply = await preflight(origin);
      expect(reply.status).toBe(403);
      expect(reply.headers['access-control-allow-origin']).toBeUndefined();
    }
    const get = await request(url, '/api/ranking?as_of=2024-09-30', { headers: { Origin: 'https://evil.example', ...auth(t.tokens['上城區']) } });
    expect(get.status).toBe(403);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    const health = await request(url, '/api/health', { headers: { Origin: 'https://evil.example' } });
    expect(health.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('a preflight for a method or header the route does not take is refused', async () => {
    expect((await preflight(ADDIN_ORIGIN, 'DELETE')).status).toBe(403);
    expect((await preflight(ADDIN_ORIGIN, 'POST', 'authorization,x-evil')).status).toBe(403);
  });
});

test('a client that disconnects mid-upload: nothing stored, the service keeps answering', async () => {
  const before = await submissionCount();
  const bytes = sampleSubmission('桐廬縣');
  const target = new URL(url);
  // The service has the request's headers (its 'request' event) and the first half is on its way: then vanish.
  const arrived = new Promise<void>((resolve) => {
    const seen = (req: http.IncomingMessage) => {
      if (req.headers['x-file-name'] !== encodeURIComponent('桐廬縣.xlsx')) return;
      t.service.server.off('request', seen);
      resolve();
    };
    t.service.server.on('request', seen);
  });
  await new Promise<void>((resolve) => {
    const req = http.request({
      host: target.hostname,
      port: target.port,
      method: 'POST',
      path: '/api/submissions',
      headers: { ...uploadHeaders(t.tokens['桐廬縣'], '桐廬縣.xlsx'), 'Content-Length': String(bytes.length) },
      agent: false,
    });
    req.on('error', () => resolve());
    const sent = new Promise((written) => req.write(bytes.subarray(0, Math.floor(bytes.length / 2)), written));
    void Promise.all([sent, arrived]).then(() => {
      req.destroy();
      resolve();
    });
  });
  const [aborted] = await t.logged((e) => Boolean(e.aborted) && e.file === '桐廬縣.xlsx');
  expect(aborted).toMatchObject({ path: '/api/submissions', district: '桐廬縣' });
  expect((await request(url, '/api/health')).status).toBe(200);
  expect(await submissionCount()).toBe(before);
  // And the same district can submit right after.
  expect((await post(t.tokens['桐廬縣'], '桐廬縣.xlsx', bytes)).status).toBe(200);
});

describe('paths', () => {
  test('unknown paths and attempts to climb out of the API are 404; no file is served', async () => {
    const paths = [
      '/',
      '/api',
      '/api/',
      '/api/health/',
      '/api/submissions/1',
      '/api/../tokens.json',
      '/api/charts/../../package.json',
      '/api/charts/..%2f..%2fpackage.json',
      '/api/%2e%2e/%2e%2e/etc/passwd',
      '/..%5c..%5cwindows%5cwin.ini',
      '/samples/2024-hangzhou/submissions/2024-09/%E4%B8%8A%E5%9F%8E%E5%8D%80.xlsx',
      '/minsheng.duckdb',
      '//etc/passwd',
    ];
    for (const p of paths) {
      const reply = await request(url, p, { headers: auth(t.adminToken) });
      expect([p, reply.status]).toEqual([p, 404]);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(reply.json()).toEqual({ error: '找不到此網址' });
    }
  });

  test('a known path with the wrong method is 405 with Allow', async () => {
    const reply = await request(url, '/api/submissions', { headers: auth(t.adminToken) });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toContain('POST');
    expect((await request(url, '/api/ranking', { method: 'DELETE', headers: auth(t.adminToken) })).status).toBe(405);
  });
});

test('every request is logged as one entry with its district, and no token is ever written', async () => {
  await request(url, '/api/ranking?as_of=2024-09-30&token=secret-in-query', { headers: auth(t.tokens['建德市']) });
  const entry = t.logs.find((e) => e.path === '/api/ranking' && e.district === '建德市');
  expect(entry).toMatchObject({ method: 'GET', status: 200, query: { as_of: '2024-09-30' } });
  expect(entry!.ms).toBeGreaterThanOrEqual(0);
  expect(entry!.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  const submissions = t.logs.filter((e) => e.path === '/api/submissions' && e.status === 200);
  expect(submissions.length).toBeGreaterThanOrEqual(20);
  for (const e of submissions) expect(e.bytes).toBeGreaterThan(1000);
  const everything = t.logs.map((e) => JSON.stringify(e)).join('\n');
  for (const token of [...Object.values(t.tokens), t.adminToken]) expect(everything).not.toContain(token);
  expect(everything).not.toContain('secret-in-query');
  expect(t.logs.some((e) => e.status === 403 && e.district === '上城區')).toBe(true);
});

test("the add-in's own client (addin/service.ts) understands every answer", async () => {
  const client = new ServiceClient({ url, token: t.tokens['蕭山區'] });
  expect(await client.health()).toEqual({ ok: true, planYear: 2024, latestAsOf: '2024-09-30', defaultAsOf: '2024-05-31' });
  expect((await client.plan()).metrics).toHaveLength(t.plan.metrics.length);
  const ranking = await client.ranking('2024-09-30');
  expect(ranking.asOf).toBe('2024-09-30');
  expect(ranking.rows.map((r) => r[ranking.columns.indexOf('district')])).toContain('蕭山區');
  const lag = await client.lag('2024-09-30');
  expect(lag.columns).toEqual(expect.arrayContaining(['district', 'metric_id', 'lag_status']));
  expect((await client.chartPng('ranking', '2024-09-30')).subarray(0, 4)).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));

  const refused = await client.submit(new Uint8Array(Buffer.from('not a workbook')), '蕭山區.xlsx');
  expect(refused).toMatchObject({ kind: 'refused', verdict: 'unreadable', reason: expect.stringContaining('蕭山區.xlsx') });
  const accepted = await client.submit(new Uint8Array(await filledTemplate(t.plan, '蕭山區', '2024-10-31', tempDir())), '蕭山區 10月.xlsx');
  expect(accepted).toMatchObject({ kind: 'accepted', verdict: 'loaded', submissions: [{ district: '蕭山區', asOf: '2024-10-31', status: 'loaded' }] });
  await expect(client.submit(new Uint8Array(sampleSubmission('西湖區')), '西湖區.xlsx')).rejects.toMatchObject({ kind: 'forbidden', status: 403 });
  await expect(new ServiceClient({ url, token: 'msk_wrong' }).plan()).rejects.toMatchObject({ kind: 'unauthorised', status: 401 });
});

test('bidirectional and invisible characters in X-File-Name are dropped before the name is stored', async () => {
  const disguised = '上城區\u202Excod.exe\u200B\u2066.xlsx';
  const reply = await request(url, '/api/submissions', { method: 'POST', headers: uploadHeaders(t.tokens['上城區'], disguised), body: await filledTemplate(t.plan, '上城區', '2024-10-31', t.dir, 0.6) });
  expect(reply.status).toBe(200);
  const stored = await t.query("SELECT file_name FROM submissions WHERE district = '上城區' AND as_of = DATE '2024-10-31'");
  expect(stored.map((r) => r.file_name)).toEqual(['上城區xcod.exe.xlsx']);
  expect(JSON.stringify(reply.json())).not.toMatch(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069]/);
});

test('one token cannot hold every upload slot: its extra uploads get 429 while another district is served', async () => {
  const limited = await startTestService({ maxConcurrentUploads: 8 });
  const stalled: http.ClientRequest[] = [];
  try {
    const body = await filledTemplate(limited.plan, '上城區', '2024-09-30', limited.dir, 0.5);
    // Two uploads from 上城區 that send half their body and stall, each holding a slot.
    for (let i = 0; i < 2; i++) {
      const target = new URL(limited.service.url);
      const req = http.request({ host: target.hostname, port: target.port, method: 'POST', path: '/api/submissions', headers: { ...uploadHeaders(limited.tokens['上城區'], `慢${i}.xlsx`), 'Content-Length': String(body.length) }, agent: false });
      req.on('error', () => undefined);
      req.write(body.subarray(0, body.length >> 1));
      stalled.push(req);
    }
    // An empty upload takes a slot and is refused with 422 while the stalled ones are not yet counted; 429 once they are.
    let third = 0;
    for (let attempt = 0; attempt < 200 && third !== 429; attempt++) {
      third = (await request(limited.service.url, '/api/submissions', { method: 'POST', headers: uploadHeaders(limited.tokens['上城區'], '第三.xlsx'), body: Buffer.alloc(0) })).status;
      expect([422, 429]).toContain(third);
    }
    expect(third).toBe(429);
    const refusal = await request(limited.service.url, '/api/submissions', { method: 'POST', headers: uploadHeaders(limited.tokens['上城區'], '第三.xlsx'), body });
    expect(refusal.status).toBe(429);
    expect(refusal.json().error).toContain('2');
    const other = await request(limited.service.url, '/api/submissions', { method: 'POST', headers: uploadHeaders(limited.tokens['拱墅區'], '拱墅區.xlsx'), body: sampleSubmission('拱墅區') });
    expect(other.status).toBe(200);
    expect(other.json().verdict).toBe('loaded');
  } finally {
    for (const req of stalled) req.destroy();
    await limited.stop();
  }
});
