// `minsheng token` and `minsheng serve` as an administrator runs them (in-process, as pipeline/cli/main.ts
// wires them): tokens shown once and stored hashed with mode 0600, compared in constant time, revoked
// and added while the service runs; the service over HTTPS with a self-signed certificate; the log file.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { ServeHooks } from '../pipeline/cli/commands/serve';
import { openStore } from '../pipeline/db/store';
import { startService, type RunningService } from '../pipeline/server/service';
import { hashToken, matchToken, readTokenFile, TokenRegistry } from '../pipeline/server/tokens';
import { runCliWith, type CliResult } from './helpers/cli';
import { located, machine, testIf } from './helpers/machine';
import { request, sampleSubmission, samplePlanDb, uploadHeaders } from './helpers/server';
import { removeTempDirs, tempDir } from './helpers/tempDir';

let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = tempDir('minsheng-serve-cli-');
  ({ dbPath } = await samplePlanDb(dir));
});

afterAll(removeTempDirs);

/** `minsheng <args>` in-process; `until` decides when a `serve` stops (what it checks fails the run: exit 2). */
const run = (args: string[], until?: ServeHooks['until']) => runCliWith({ serve: { until } }, ...args);

/** Refused as a user sees it: exit 2 and the reason on stderr. */
function expectRefused(result: CliResult, reason: RegExp): void {
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(reason) });
}

describe('minsheng token', () => {
  test('add prints the token once; the file keeps only its SHA-256, readable by the owner only', async () => {
    const file = path.join(dir, 'tokens-add.json');
    const { stdout, stderr } = await run(['token', 'add', '--district', '上城', '--tokens', file]);
    const token = stdout.trim();
    expect(token).toMatch(/^msk_[A-Za-z0-9_-]{43}$/);
    expect(stderr).toContain('上城區');
    expect(stderr).toContain('只顯示這一次');
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain(createHash('sha256').update(token).digest('hex'));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readTokenFile(file).tokens).toEqual([
      { kind: 'district', id: hashToken(token).slice(0, 8), district: '上城區', sha256: hashToken(token), created: expect.stringMatching(/^\d{4}-/) },
    ]);

    // Simplified script, an admin token, and a listing that shows no hashes.
    const second = (await run(['token', 'add', '--district', '淳安县', '--tokens', file])).stdout.trim();
    const admin = (await run(['token', 'add', '--admin', '--tokens', file])).stdout.trim();
    expect(new Set([token, second, admin]).size).toBe(3);
    const listed = (await run(['token', 'list', '--tokens', file])).stdout;
    expect(listed).toContain('上城區');
    expect(listed).toContain('淳安縣');
    expect(listed).toContain('[管理] 督查室');
    const json = JSON.parse((await run(['token', 'list', '--tokens', file, '--json'])).stdout);
    expect(json).toHaveLength(3);
    expect(JSON.stringify(json)).not.toContain(hashToken(token));
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  test('a token is stored as the SHA-256 of its UTF-8 text', () => {
    // Worked out with `printf %s <token> | sha256sum`, not with the code under test.
    expect(hashToken('msk_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG')).toBe('f049903ee594d43c102d9ef755dc839557773ccd1556fd465df08e23958809ca');
  });

  test('an unknown district, or neither --district nor --admin, is refused and writes nothing', async () => {
    const file = path.join(dir, 'tokens-bad.json');
    expectRefused(await run(['token', 'add', '--district', '西湖', '--tokens', file]), /「西湖」有歧義/);
    expectRefused(await run(['token', 'add', '--district', '火星區', '--tokens', file]), /區縣「火星區」無法識別/);
    expectRefused(await run(['token', 'add', '--tokens', file]), /--district/);
    expect(fs.existsSync(file)).toBe(false);
  });

  test('a presented token is compared in constant time with every stored hash', () => {
    const tokens = ['a', 'b', 'c', 'd'].map((seed, i) => ({
      kind: 'district' as const,
      id: String(i),
      district: '上城區',
      sha256: hashToken(`token-${seed}`),
      created: '2024-01-01T00:00:00.000Z',
    }));
    // The module object itself (an `import * as` namespace is frozen), as tokens.ts calls into it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.spyOn needs the mutable module object, not a frozen namespace.
    const compare = jest.spyOn(require('node:crypto') as typeof import('node:crypto'), 'timingSafeEqual');
    try {
      expect(matchToken(tokens, 'token-a')).toEqual({ kind: 'district', district: '上城區', tokenId: '0' });
      expect(compare).toHaveBeenCalledTimes(4); // the first matched, the other three were still compared
      compare.mockClear();
      expect(matchToken(tokens, 'token-z')).toBeUndefined();
      expect(compare).toHaveBeenCalledTimes(4);
    } finally {
      compare.mockRestore();
    }
  });
});

describe('minsheng serve', () => {
  test('refuses to start without a plan in the database, without a tokens file, or with a wildcard origin', async () => {
    const empty = path.join(tempDir(), 'empty.duckdb');
    (await openStore(empty)).close();
    const tokens = path.join(dir, 'tokens-start.json');
    await run(['token', 'add', '--district', '上城區', '--tokens', tokens]);
    expectRefused(await run(['serve', '--db', empty, '--tokens', tokens, '--port', '0']), /還沒有計劃/);
    expectRefused(await run(['serve', '--db', dbPath, '--tokens', path.join(dir, 'none.json'), '--port', '0']), /令牌檔案.*不存在/);
    expectRefused(await run(['serve', '--db', dbPath, '--tokens', tokens, '--port', '0', '--allow-origin', '*']), /\*/);
    expectRefused(await run(['serve', '--db', dbPath, '--tokens', tokens, '--port', '0', '--cert', 'c.pem']), /--cert 和 --key/);
    expectRefused(await run(['serve', '--db', dbPath, '--tokens', tokens, '--port', '0', '--max-body', 'lots']), /大小/);
  });

  test('tokens revoked or added while the service runs take effect at once; every request goes to the log file', async () => {
    const tokens = path.join(dir, 'tokens-live.json');
    const logFile = path.join(dir, 'requests.log');
    const first = (await run(['token', 'add', '--district', '餘杭區', '--tokens', tokens])).stdout.trim();
    const seen: number[] = [];
    const served = await run(['serve', '--db', dbPath, '--tokens', tokens, '--port', '0', '--log', logFile, '--allow-origin', 'https://addin.example.gov.cn'], async (service: RunningService) => {
      const ranking = () => request(service.url, '/api/ranking?as_of=2024-09-30', { headers: { Authorization: `Bearer ${first}` } });
      seen.push((await ranking()).status);
      const id = readTokenFile(tokens).tokens[0].id;
      await run(['token', 'revoke', id, '--tokens', tokens]);
      seen.push((await ranking()).status);
      const fresh = (await run(['token', 'add', '--district', '餘杭區', '--tokens', tokens])).stdout.trim();
      const upload = await request(service.url, '/api/submissions', { method: 'POST', headers: uploadHeaders(fresh, '餘杭區.xlsx'), body: sampleSubmission('餘杭區') });
      seen.push(upload.status);
      const preflight = await request(service.url, '/api/submissions', {
        method: 'OPTIONS',
        headers: { Origin: 'https://addin.example.gov.cn', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization' },
      });
      seen.push(preflight.status);
    });
    expect({ code: served.code, stderr: served.stderr }).toMatchObject({ code: 0 });
    expect(seen).toEqual([200, 401, 200, 204]);
    expect(served.stdout).toMatch(/服務已啟動：http:\/\/127\.0\.0\.1:\d+/);
    expect(served.stdout).toContain('服務已停止');
    const lines = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    // An upload is logged twice: when it arrives (before any parsing, stage 'received') and when answered.
    expect(lines.map((l) => [l.method, l.path, l.stage ?? l.status])).toEqual([
      ['GET', '/api/ranking', 200],
      ['GET', '/api/ranking', 401],
      ['POST', '/api/submissions', 'received'],
      ['POST', '/api/submissions', 200],
      ['OPTIONS', '/api/submissions', 204],
    ]);
    expect(lines[0].district).toBe('餘杭區');
    expect(lines[1].district).toBeNull();
    expect(lines[2]).toMatchObject({ district: '餘杭區', file: '餘杭區.xlsx' });
    expect(lines[3]).toMatchObject({ district: '餘杭區', file: '餘杭區.xlsx', verdict: 'loaded', bytes: sampleSubmission('餘杭區').length });
    // The service let go of the database: it opens again for writing.
    (await openStore(dbPath, { lockTimeoutMs: 1000 })).close();
  });

  test('uploads beyond the concurrent limit wait their turn; one that waits too long gets 503; one that leaves while waiting is dropped', async () => {
    const tokensFile = path.join(dir, 'tokens-limit.json');
    const token = (await run(['token', 'add', '--district', '建德市', '--tokens', tokensFile])).stdout.trim();
    const bytes = sampleSubmission('建德市');
    const store = await openStore(dbPath);
    /** A service with one upload slot; a waiting upload gives up after `uploadWaitMs`. */
    const serveWith = (uploadWaitMs: number) => startService({ store, tokens: new TokenRegistry(tokensFile), port: 0, maxConcurrentUploads: 1, maxUploadsPerToken: 8, uploadWaitMs, log: () => undefined });
    /** Uploads to one service, each known to have arrived when the service has its headers (its 'request' event). */
    const client = (service: RunningService) => {
      const target = new URL(service.url);
      const arrived = (fileName: string) =>
        new Promise<void>((resolve) => {
          const seen = (req: http.IncomingMessage) => {
            if (decodeURIComponent(String(req.headers['x-file-name'])) !== fileName) return;
            service.server.off('request', seen);
            resolve();
          };
          service.server.on('request', seen);
        });
      const upload = (fileName: string) => request(service.url, '/api/submissions', { method: 'POST', headers: uploadHeaders(token, fileName), body: bytes });
      return {
        upload,
        /** A whole upload; `arrived` once the service has its headers (it then waits for a slot, its body unread). */
        waiting(fileName: string) {
          const arrival = arrived(fileName);
          return { reply: upload(fileName), arrived: arrival };
        },
        /** An upload that sends its first 1000 bytes now and the rest when told (or vanishes). */
        slow(fileName: string) {
          const arrival = arrived(fileName);
          let finish: () => void = () => undefined;
          let vanish: () => void = () => undefined;
          const status = new Promise<number>((resolve) => {
            const req = http.request(
              { host: target.hostname, port: target.port, method: 'POST', path: '/api/submissions', headers: { ...uploadHeaders(token, fileName), 'Content-Length': String(bytes.length) }, agent: false },
              (res) => {
                res.resume();
                res.on('end', () => resolve(res.statusCode ?? 0));
              },
            );
            req.on('error', () => resolve(-1));
            req.write(bytes.subarray(0, 1000));
            finish = () => req.end(bytes.subarray(1000));
            vanish = () => req.destroy();
          });
          return { status, arrived: arrival, finish: () => finish(), vanish: () => vanish() };
        },
      };
    };
    try {
      // Waits long enough for any turn to come, however slow the machine.
      const patient = await serveWith(120_000);
      try {
        const c = client(patient);
        // One upload holds the only slot; a second waits for it and is served when it is free.
        const holder = c.slow('a.xlsx');
        await holder.arrived;
        const waiter = c.waiting('b.xlsx');
        await waiter.arrived;
        holder.finish();
        expect(await holder.status).toBe(200);
        expect((await waiter.reply).status).toBe(200);

        // A client that leaves while waiting: its turn comes, it is dropped, the next one is served.
        const holder2 = c.slow('c.xlsx');
        await holder2.arrived;
        const quitter = c.slow('d.xlsx');
        await quitter.arrived;
        quitter.vanish();
        expect(await quitter.status).toBe(-1);
        holder2.finish();
        expect(await holder2.status).toBe(200);
        expect((await c.upload('e.xlsx')).status).toBe(200);
      } finally {
        await patient.close();
      }

      // An upload that waits longer than uploadWaitMs is told to come back later (the holder never lets go meanwhile).
      const impatient = await serveWith(300);
      try {
        const c = client(impatient);
        const holder = c.slow('f.xlsx');
        await holder.arrived;
        const late = await c.upload('g.xlsx');
        expect(late.status).toBe(503);
        expect(late.headers['retry-after']).toBeDefined();
        expect(late.json().error).toMatch(/稍後再試/);
        holder.finish();
        expect(await holder.status).toBe(200);
      } finally {
        await impatient.close();
      }
    } finally {
      store.close();
    }
  });

  // node:crypto cannot make certificates; without openssl there is no certificate to serve with.
  testIf(machine.openssl())('serves HTTPS with --cert and --key (self-signed certificate made with openssl)', async () => {
    const certDir = tempDir();
    const cert = path.join(certDir, 'cert.pem');
    const key = path.join(certDir, 'key.pem');
    execFileSync(located(machine.openssl()), [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'ignore' });
    const tokens = path.join(dir, 'tokens-tls.json');
    const token = (await run(['token', 'add', '--district', '臨安區', '--tokens', tokens])).stdout.trim();
    const ca = fs.readFileSync(cert);
    let url = '';
    const replies: number[] = [];
    const served = await run(['serve', '--db', dbPath, '--tokens', tokens, '--port', '0', '--cert', cert, '--key', key, '--log', path.join(certDir, 'log')], async (service) => {
      url = service.url;
      replies.push((await request(service.url, '/api/health', { ca })).status);
      const upload = await request(service.url, '/api/submissions', { method: 'POST', headers: uploadHeaders(token, '臨安區.xlsx'), body: sampleSubmission('臨安區'), ca });
      replies.push(upload.status);
      // A client that does not trust the certificate does not get through.
      await expect(request(service.url, '/api/health')).rejects.toThrow(/self[- ]signed|certificate/i);
    });
    expect({ code: served.code, stderr: served.stderr }).toMatchObject({ code: 0 });
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(replies).toEqual([200, 200]);
  });
});
