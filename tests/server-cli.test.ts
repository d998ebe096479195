// `minsheng token` and `minsheng serve` as an administrator runs them (in-process, as pipeline/cli/main.ts
// wires them): tokens shown once and stored hashed with mode 0600, compared in constant time, revoked
// and added while the service runs; the service over HTTPS with a self-signed certificate; the log file.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { Command } from 'commander';
import { registerServeCommand, type ServeHooks } from '../pipeline/cli/commands/serve';
import type { CliContext } from '../pipeline/cli/context';
import { openStore } from '../pipeline/db/store';
import { startService, type RunningService } from '../pipeline/server/service';
import { hashToken, matchToken, readTokenFile, TokenRegistry } from '../pipeline/server/tokens';
import { request, sampleSubmission, samplePlanDb, tempDir, uploadHeaders } from './server-helpers';

let dir: string;
let dbPath: string;

beforeAll(async () => {
  dir = tempDir('minsheng-serve-cli-');
  ({ dbPath } = await samplePlanDb(dir));
});

/** Runs `minsheng <args>` in-process; `until` decides when a `serve` stops. */
async function run(args: string[], hooks: ServeHooks = {}): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    out: (text) => (stdout += `${text}\n`),
    err: (text) => (stderr += `${text}\n`),
    setExitCode: () => undefined,
    isTTY: false,
  };
  const program = new Command('minsheng').exitOverride();
  registerServeCommand(program, ctx, hooks);
  await program.parseAsync(['node', 'minsheng', ...args]);
  return { stdout, stderr };
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
    expect(text).toContain(hashToken(token));
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

  test('an unknown district, or neither --district nor --admin, is refused and writes nothing', async () => {
    const file = path.join(dir, 'tokens-bad.json');
    await expect(run(['token', 'add', '--district', '西湖', '--tokens', file])).rejects.toThrow(/不明確/);
    await expect(run(['token', 'add', '--district', '火星區', '--tokens', file])).rejects.toThrow(/未知的區縣/);
    await expect(run(['token', 'add', '--tokens', file])).rejects.toThrow(/--district/);
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
    await expect(run(['serve', '--db', empty, '--tokens', tokens, '--port', '0'])).rejects.toThrow(/還沒有計劃/);
    await expect(run(['serve', '--db', dbPath, '--tokens', path.join(dir, 'none.json'), '--port', '0'])).rejects.toThrow(/令牌文件.*不存在/);
    await expect(run(['serve', '--db', dbPath, '--tokens', tokens, '--port', '0', '--allow-origin', '*'])).rejects.toThrow(/\*/);
    await expect(run(['serve', '--db', dbPath, '--tokens', tokens, '--port', '0', '--cert', 'c.pem'])).rejects.toThrow(/--cert 和 --key/);
    await expect(run(['serve', '--db', dbPath, '--tokens', tokens, '--port', '0', '--max-body', 'lots'])).rejects.toThrow(/大小/);
  });

  test('tokens revoked or added while the service runs take effect at once; every request goes to the log file', async () => {
    const tokens = path.join(dir, 'tokens-live.json');
    const logFile = path.join(dir, 'requests.log');
    const first = (await run(['token', 'add', '--district', '餘杭區', '--tokens', tokens])).stdout.trim();
    const seen: number[] = [];
    const { stdout } = await run(['serve', '--db', dbPath, '--tokens', tokens, '--port', '0', '--log', logFile, '--allow-origin', 'https://addin.example.gov.cn'], {
      until: async (service: RunningService) => {
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
      },
    });
    expect(seen).toEqual([200, 401, 200, 204]);
    expect(stdout).toMatch(/服務已啟動：http:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toContain('服務已停止');
    const lines = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.method, l.path, l.status])).toEqual([
      ['GET', '/api/ranking', 200],
      ['GET', '/api/ranking', 401],
      ['POST', '/api/submissions', 200],
      ['OPTIONS', '/api/submissions', 204],
    ]);
    expect(lines[0].district).toBe('餘杭區');
    expect(lines[1].district).toBeNull();
    expect(lines[2]).toMatchObject({ district: '餘杭區', file: '餘杭區.xlsx', verdict: 'loaded', bytes: sampleSubmission('餘杭區').length });
    // The service let go of the database: it opens again for writing.
    (await openStore(dbPath, { lockTimeoutMs: 1000 })).close();
  });

  test('uploads beyond the concurrent limit wait their turn; one that waits too long gets 503; one that leaves while waiting is dropped', async () => {
    const tokensFile = path.join(dir, 'tokens-limit.json');
    const token = (await run(['token', 'add', '--district', '建德市', '--tokens', tokensFile])).stdout.trim();
    const store = await openStore(dbPath);
    const service = await startService({ store, tokens: new TokenRegistry(tokensFile), port: 0, maxConcurrentUploads: 1, uploadWaitMs: 600, log: () => undefined });
    const bytes = sampleSubmission('建德市');
    const target = new URL(service.url);
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    /** An upload that sends its first 1000 bytes now and the rest when told (or vanishes). */
    const slowUpload = (fileName: string) => {
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
      return { status, finish: () => finish(), vanish: () => vanish() };
    };
    const upload = (fileName: string) => request(service.url, '/api/submissions', { method: 'POST', headers: uploadHeaders(token, fileName), body: bytes });
    try {
      // One upload holds the only slot; a second waits for it and is served when it is free.
      const holder = slowUpload('a.xlsx');
      await sleep(50);
      const waiter = upload('b.xlsx');
      await sleep(100);
      holder.finish();
      expect(await holder.status).toBe(200);
      expect((await waiter).status).toBe(200);

      // A client that leaves while waiting: its turn comes, it is dropped, the next one is served.
      const holder2 = slowUpload('c.xlsx');
      await sleep(50);
      const quitter = slowUpload('d.xlsx');
      await sleep(50);
      quitter.vanish();
      await sleep(50);
      holder2.finish();
      expect(await holder2.status).toBe(200);
      expect(await quitter.status).toBe(-1);
      expect((await upload('e.xlsx')).status).toBe(200);

      // An upload that waits longer than uploadWaitMs is told to come back later.
      const holder3 = slowUpload('f.xlsx');
      await sleep(50);
      const late = await upload('g.xlsx');
      expect(late.status).toBe(503);
      expect(late.headers['retry-after']).toBeDefined();
      expect(late.json().error).toMatch(/稍後再試/);
      holder3.finish();
      expect(await holder3.status).toBe(200);
      expect((await upload('g.xlsx')).status).toBe(200);
    } finally {
      await service.close();
      store.close();
    }
  });

  const openssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  // node:crypto cannot make certificates; without openssl there is no certificate to serve with.
  (openssl ? test : test.skip)('serves HTTPS with --cert and --key (self-signed certificate made with openssl)', async () => {
    const certDir = tempDir();
    const cert = path.join(certDir, 'cert.pem');
    const key = path.join(certDir, 'key.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    ], { stdio: 'ignore' });
    const tokens = path.join(dir, 'tokens-tls.json');
    const token = (await run(['token', 'add', '--district', '臨安區', '--tokens', tokens])).stdout.trim();
    const ca = fs.readFileSync(cert);
    let url = '';
    const replies: number[] = [];
    await run(['serve', '--db', dbPath, '--tokens', tokens, '--port', '0', '--cert', cert, '--key', key, '--log', path.join(certDir, 'log')], {
      until: async (service) => {
        url = service.url;
        replies.push((await request(service.url, '/api/health', { ca })).status);
        const upload = await request(service.url, '/api/submissions', { method: 'POST', headers: uploadHeaders(token, '臨安區.xlsx'), body: sampleSubmission('臨安區'), ca });
        replies.push(upload.status);
        // A client that does not trust the certificate does not get through.
        await expect(request(service.url, '/api/health')).rejects.toThrow(/self[- ]signed|certificate/i);
      },
    });
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(replies).toEqual([200, 200]);
  });
});
