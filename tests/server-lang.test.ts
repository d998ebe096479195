// The service answers in the caller's script (docs/design.md, "Messages and languages"): the same bad
// request sent with Accept-Language zh-CN and zh-TW gets the same refusal, simplified in the one and
// traditional in the other, with nothing of the other script in it; without a Chinese tag the service's
// own language decides (the command's choice, else the plan's script). Charts follow the caller too.
import { traditionalOnly, simplifiedOnly } from './helpers/script';
import { request, sampleSubmission, startTestService, uploadHeaders, type Reply, type TestService } from './helpers/server';
import { removeTempDirs } from './helpers/tempDir';

const MAX_BODY = 64 * 1024;

let t: TestService;

beforeAll(async () => {
  t = await startTestService({ maxBodyBytes: MAX_BODY });
});

afterAll(async () => {
  await t?.stop();
  removeTempDirs();
});

afterEach(() => {
  expect(t.internalErrors).toEqual([]);
});

type Ask = (url: string, language?: string) => Promise<Reply>;

/**
 * Bad requests whose answers hold no data from the plan (district names keep the plan's script, so a
 * refusal that names one is not a test of the sentence's script). File names are ASCII for the same reason.
 */
const BAD_REQUESTS: [string, number, Ask][] = [
  ['no token', 401, (url, language) => request(url, '/api/plan', { headers: lang(language) })],
  ['a bad token', 401, (url, language) => request(url, '/api/plan', { headers: { Authorization: 'Bearer msk_not-a-token', ...lang(language) } })],
  ['an unknown route', 404, (url, language) => request(url, '/api/nothing-here', { headers: { Authorization: `Bearer ${t.adminToken}`, ...lang(language) } })],
  ['a wrong method', 405, (url, language) => request(url, '/api/ranking', { method: 'DELETE', headers: { Authorization: `Bearer ${t.adminToken}`, ...lang(language) } })],
  ['a bad query parameter', 400, (url, language) => request(url, '/api/ranking?as_of=2024-13-45', { headers: { Authorization: `Bearer ${t.adminToken}`, ...lang(language) } })],
  ['a bad status list', 400, (url, language) => request(url, '/api/lag?status=late,nonsense', { headers: { Authorization: `Bearer ${t.adminToken}`, ...lang(language) } })],
  [
    'an upload that is not a workbook',
    422,
    (url, language) => request(url, '/api/submissions', { method: 'POST', headers: { ...uploadHeaders(t.adminToken, 'bad.xlsx'), ...lang(language) }, body: 'a,b,c\n1,2,3\n' }),
  ],
  [
    'a truncated workbook',
    422,
    (url, language) =>
      request(url, '/api/submissions', { method: 'POST', headers: { ...uploadHeaders(t.adminToken, 'report.xlsx'), ...lang(language) }, body: truncatedWorkbook() }),
  ],
  ['an empty upload', 422, (url, language) => request(url, '/api/submissions', { method: 'POST', headers: { ...uploadHeaders(t.adminToken, 'empty.xlsx'), ...lang(language) }, body: '' })],
  [
    'an upload of the wrong type',
    415,
    (url, language) => request(url, '/api/submissions', { method: 'POST', headers: { ...uploadHeaders(t.adminToken, 'a.xlsx', 'text/plain'), ...lang(language) }, body: 'x' }),
  ],
  [
    'an upload too large',
    413,
    (url, language) => request(url, '/api/submissions', { method: 'POST', headers: { ...uploadHeaders(t.adminToken, 'big.xlsx'), ...lang(language) }, body: Buffer.alloc(MAX_BODY + 1, 7) }),
  ],
];

function lang(language: string | undefined): Record<string, string> {
  return language ? { 'Accept-Language': language } : {};
}

/** The start of a real workbook, as a download cut short leaves it. */
function truncatedWorkbook(): Buffer {
  return sampleSubmission('上城區').subarray(0, 0x40);
}

/** Every sentence in a JSON answer: error, reason, and the issues' messages and fixes. */
function sentences(reply: Reply): string {
  const body = reply.json() as { error: string; reason?: string; issues?: { message: string; fix?: string }[] };
  expect(typeof body.error).toBe('string');
  return [body.error, body.reason ?? '', ...(body.issues ?? []).flatMap((i) => [i.message, i.fix ?? ''])].join('\n');
}

describe('the same bad request in both scripts', () => {
  test.each(BAD_REQUESTS)('%s', async (_label, status, ask) => {
    const simplified = await ask(t.service.url, 'zh-CN,zh;q=0.9,en;q=0.8');
    const traditional = await ask(t.service.url, 'zh-TW,zh;q=0.9');
    expect([simplified.status, traditional.status]).toEqual([status, status]);
    const cn = sentences(simplified);
    const tw = sentences(traditional);
    expect(cn).toMatch(/[\u4e00-\u9fff]/);
    expect(traditionalOnly(cn)).toEqual([]);
    expect(simplifiedOnly(tw)).toEqual([]);
    // The same refusal, not two different ones that happen to be in the right script.
    expect(cn).not.toBe(tw);
  });
});

describe('which language a request gets', () => {
  const notFound = async (language?: string) => (await request(t.service.url, '/api/nothing-here', { headers: lang(language) })).json().error as string;

  test('Accept-Language tags and their quality values decide', async () => {
    const simplified = await notFound('zh-CN');
    const traditional = await notFound('zh-TW');
    expect(simplified).not.toBe(traditional);
    for (const tag of ['zh-Hans', 'zh', 'zh-SG', 'en;q=0.9, zh-TW;q=0.5, zh-CN;q=0.8', 'zh-TW;q=0, zh-CN', 'fr, zh-Hans-CN;q=0.1']) {
      expect([tag, await notFound(tag)]).toEqual([tag, simplified]);
    }
    for (const tag of ['zh-HK', 'zh-MO', 'zh-Hant', 'zh-Hant-CN', 'en-US,zh-TW;q=0.8', 'zh-CN;q=0.2, zh-TW;q=0.3']) {
      expect([tag, await notFound(tag)]).toEqual([tag, traditional]);
    }
  });

  test("without a Chinese tag the service's own language answers: the plan's script when nothing chose", async () => {
    // The sample plan is written in traditional script.
    expect(await notFound()).toBe(await notFound('zh-TW'));
    expect(await notFound('en-US')).toBe(await notFound('zh-TW'));
  });

  test('a chart is drawn in the caller\'s script: the two pictures differ, each kept for its own script', async () => {
    const chart = (language: string) => request(t.service.url, '/api/charts/ranking.png?as_of=2024-09-30', { headers: { Authorization: `Bearer ${t.adminToken}`, ...lang(language) } });
    const [cn, tw] = [await chart('zh-CN'), await chart('zh-TW')];
    expect([cn.status, tw.status]).toEqual([200, 200]);
    expect(cn.headers['content-type']).toBe('image/png');
    expect(cn.body.equals(tw.body)).toBe(false);
    expect((await chart('zh-CN')).body.equals(cn.body)).toBe(true);
  });
});

describe("the service's own language", () => {
  test('--lang, MINSHENG_LANG or the locale (a LangChoice) answers requests that name no Chinese script', async () => {
    const chosen = await startTestService({ lang: { lang: 'zh-CN', source: 'env' } });
    try {
      const plain = await request(chosen.service.url, '/api/nothing-here');
      const english = await request(chosen.service.url, '/api/nothing-here', { headers: { 'Accept-Language': 'en-US' } });
      const asked = await request(chosen.service.url, '/api/nothing-here', { headers: { 'Accept-Language': 'zh-TW' } });
      expect(traditionalOnly(plain.json().error)).toEqual([]);
      expect(english.json().error).toBe(plain.json().error);
      // A request that names a script still gets it.
      expect(simplifiedOnly(asked.json().error)).toEqual([]);
      expect(asked.json().error).not.toBe(plain.json().error);
    } finally {
      await chosen.stop();
    }
  });
});
