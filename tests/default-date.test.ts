// The date a question is asked for when none is given (pipeline/parameters.ts, defaultReportDate): the
// latest date every reporting district has reached, never one district's latest — the same in the CLI
// (rank, lag, forecast, report, bulletin) and the service (/api/ranking, /api/lag, charts, health).
import * as path from 'node:path';
import { runCli } from './helpers/cli';
import { filledTemplate, request, sampleSubmission, startTestService, uploadHeaders, type TestService } from './helpers/server';
import { storeWith } from './helpers/store';
import { removeTempDirs, tempDir } from './helpers/tempDir';
import { SMALL_LOADS, SMALL_PLAN } from './helpers/reference/fixtures';
import type { ReferenceLoad } from './helpers/reference/analysis';

afterAll(removeTempDirs);

describe('the CLI', () => {
  let db: string;
  // One district reports the year's end early; the others are at 11-30, 西湖區 at 09-30.
  const early: ReferenceLoad = { district: '上城區', asOf: '2024-12-31', rows: [{ metricId: '1-1', completed: 30 }], sha256: 'e'.repeat(64) };

  beforeAll(async () => {
    db = path.join(tempDir('minsheng-default-date-'), 'm.duckdb');
    const { store } = await storeWith(SMALL_PLAN, [...SMALL_LOADS, early], db);
    store.close();
  });

  test.each(['rank', 'lag', 'forecast'])('%s without --as-of answers for the date all have reached and says so on stderr', async (command) => {
    const defaulted = await runCli(command, '--json', '--db', db);
    const given = await runCli(command, '--json', '--as-of', '2024-09-30', '--db', db);
    expect(defaulted.code).toBe(0);
    expect(JSON.parse(defaulted.stdout)).toEqual(JSON.parse(given.stdout));
    expect(defaulted.stderr).toContain('各區縣都已報送到的日期 2024-09-30');
    expect(defaulted.stderr).toContain('最新的報送已到 2024-12-31');
    expect(defaulted.stderr).toContain('西湖區最近只報送到 2024-09-30');
    expect(given.stderr).toBe('');
  });

  test('the rule is said in the reader\'s language', async () => {
    const simplified = await runCli('rank', '--lang', 'zh-CN', '--db', db);
    expect(simplified.stderr).toContain('各区县都已报送到的日期 2024-09-30');
  });

  test('one district\'s early year-end report does not make the others overdue', async () => {
    const lag = JSON.parse((await runCli('lag', '--json', '--db', db)).stdout) as { lag_status: string }[];
    const atYearEnd = JSON.parse((await runCli('lag', '--json', '--as-of', '2024-12-31', '--db', db)).stdout) as { lag_status: string }[];
    const overdue = (rows: { lag_status: string }[]) => rows.filter((r) => r.lag_status === 'overdue').length;
    expect(overdue(lag)).toBeLessThan(overdue(atYearEnd));
  });
});

describe('the service', () => {
  let t: TestService;
  let url: string;

  beforeAll(async () => {
    t = await startTestService();
    url = t.service.url;
    for (const district of ['上城區', '拱墅區']) {
      const reply = await request(url, '/api/submissions', { method: 'POST', headers: uploadHeaders(t.tokens[district], `${district}.xlsx`), body: sampleSubmission(district) });
      expect(reply.status).toBe(200);
    }
    const yearEnd = await filledTemplate(t.plan, '上城區', '2024-12-31', t.dir, 0.9);
    expect((await request(url, '/api/submissions', { method: 'POST', headers: uploadHeaders(t.tokens['上城區'], '上城區-1231.xlsx'), body: yearEnd })).status).toBe(200);
  });
  afterAll(async () => t.stop());

  test('/api/ranking and /api/lag without as_of use the date all have reached, and say the rule', async () => {
    const auth = { Authorization: `Bearer ${t.adminToken}` };
    for (const route of ['/api/ranking', '/api/lag']) {
      const defaulted = (await request(url, route, { headers: auth })).json();
      const given = (await request(url, `${route}?as_of=2024-09-30`, { headers: auth })).json();
      expect(defaulted.asOf).toBe('2024-09-30');
      expect(defaulted.rows).toEqual(given.rows);
      expect(defaulted.asOfRule).toContain('2024-12-31');
      expect(defaulted.asOfRule).toContain('拱墅區');
      expect(given.asOfRule).toBeUndefined();
    }
  });

  test('health tells the add-in both dates; charts default to the date all have reached', async () => {
    const health = (await request(url, '/api/health')).json();
    expect(health).toMatchObject({ latestAsOf: '2024-12-31', defaultAsOf: '2024-09-30' });
    const auth = { Authorization: `Bearer ${t.adminToken}` };
    const defaulted = await request(url, '/api/charts/ranking.png', { headers: auth });
    const given = await request(url, '/api/charts/ranking.png?as_of=2024-09-30', { headers: auth });
    const yearEnd = await request(url, '/api/charts/ranking.png?as_of=2024-12-31', { headers: auth });
    expect(defaulted.status).toBe(200);
    expect(defaulted.body.equals(given.body)).toBe(true);
    expect(defaulted.body.equals(yearEnd.body)).toBe(false);
  });
});
