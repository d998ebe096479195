// Shared by the service's tests (server-api, cli-serve, reliability): a temp database with the sample plan loaded, a tokens
// file with a token per district and an admin token, the service started in-process on an ephemeral
// port of 127.0.0.1, and a small HTTP(S) client that returns status, headers and body.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { DISTRICTS } from '../../core/districts';
import type { Plan } from '../../core/model';
import { districtMetrics } from '../../core/submission';
import { replacePlan } from '../../pipeline/db/plan';
import { openStore, queryObjects, type Store } from '../../pipeline/db/store';
import { combinedPlan, readPlanFiles } from '../../pipeline/planFiles';
import type { RequestLogEntry } from '../../pipeline/server/requestLog';
import { startService, type RunningService, type ServiceOptions } from '../../pipeline/server/service';
import { addToken, TokenRegistry } from '../../pipeline/server/tokens';
import { writeTemplate } from '../../pipeline/template';
import { COMBINED_FILE, SUBMISSIONS_DIR } from './samples';
import { tempDir } from './tempDir';

export const SUBMISSIONS_2024_09 = path.join(SUBMISSIONS_DIR, '2024-09');
export const ADDIN_ORIGIN = 'https://localhost:3000';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A database file in `dir` holding the sample plan (附件1+2.xlsx), as `minsheng plan load` makes it. */
export async function samplePlanDb(dir: string): Promise<{ dbPath: string; plan: Plan }> {
  const files = await readPlanFiles([COMBINED_FILE]);
  const { plan } = combinedPlan(files);
  const dbPath = path.join(dir, 'minsheng.duckdb');
  const store = await openStore(dbPath);
  try {
    const sha256 = createHash('sha256').update(fs.readFileSync(COMBINED_FILE)).digest('hex');
    await replacePlan(store, plan, [{ fileName: path.basename(COMBINED_FILE), sha256 }]);
  } finally {
    store.close();
  }
  return { dbPath, plan };
}

export interface TestService {
  service: RunningService;
  store: Store;
  plan: Plan;
  dir: string;
  tokensFile: string;
  /** A token per district (canonical name), made with addToken. */
  tokens: Record<string, string>;
  adminToken: string;
  logs: RequestLogEntry[];
  /** Resolves, once at least `count` (default 1) log entries match, with those entries: the service logs a request after answering it. */
  logged(matches: (entry: RequestLogEntry) => boolean, count?: number): Promise<RequestLogEntry[]>;
  /** Faults the service reported about itself (a test expects none). */
  internalErrors: unknown[];
  /** Rows of a SQL query on the service's store, run in its queue. */
  query(sql: string, params?: (string | number)[]): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export async function startTestService(options: Partial<ServiceOptions> = {}): Promise<TestService> {
  const dir = tempDir();
  const { dbPath, plan } = await samplePlanDb(dir);
  const tokensFile = path.join(dir, 'tokens.json');
  const tokens: Record<string, string> = {};
  for (const d of DISTRICTS) tokens[d.name] = addToken(tokensFile, { district: d.name }).token;
  const adminToken = addToken(tokensFile, { adminName: '督查室' }).token;
  const store = await openStore(dbPath);
  const logs: RequestLogEntry[] = [];
  const watchers: { matches: (entry: RequestLogEntry) => boolean; count: number; resolve: (entries: RequestLogEntry[]) => void }[] = [];
  const settle = () => {
    for (const w of [...watchers]) {
      const found = logs.filter(w.matches);
      if (found.length < w.count) continue;
      watchers.splice(watchers.indexOf(w), 1);
      w.resolve(found);
    }
  };
  const internalErrors: unknown[] = [];
  const service = await startService({
    store,
    tokens: new TokenRegistry(tokensFile),
    host: '127.0.0.1',
    port: 0,
    log: (entry) => {
      logs.push(entry);
      settle();
    },
    onInternalError: (error) => internalErrors.push(error),
    ...options,
  });
  return {
    service,
    store,
    plan,
    dir,
    tokensFile,
    tokens,
    adminToken,
    logs,
    logged: (matches, count = 1) =>
      new Promise((resolve) => {
        watchers.push({ matches, count, resolve });
        settle();
      }),
    internalErrors,
    query: (sql, params) => service.queue.run(async () => (await queryObjects(store, sql, params)).map((row) => ({ ...row }))),
    async stop() {
      await service.close();
      store.close();
    },
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json(): any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** For HTTPS: the certificate to trust. */
  ca?: Buffer;
}

/** One request; the path is sent exactly as given (no normalisation by the client). */
export function request(baseUrl: string, requestPath: string, options: RequestOptions = {}): Promise<Reply> {
  const url = new URL(baseUrl);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = transport.request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: requestPath,
        headers: options.headers,
        ca: options.ca,
        agent: false,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) });
        });
        res.on('error', reject);
      },
    );
    // An early answer (413 before the whole body was sent) may be followed by a cut connection.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(options.body);
  });
}

/** Headers of an upload as the add-in sends them. */
export function uploadHeaders(token: string, fileName: string, type = XLSX_TYPE): Record<string, string> {
  return { Authorization: `Bearer ${token}`, 'Content-Type': type, 'X-File-Name': encodeURIComponent(fileName) };
}

export function sampleSubmission(district: string): Buffer {
  return fs.readFileSync(path.join(SUBMISSIONS_2024_09, `${district}.xlsx`));
}

/**
 * A filled template for `district` at `asOf`: every metric reported at `share` of its target
 * (rate metrics: the target rate itself), written with pipeline/template.ts as a clerk would get it.
 */
export async function filledTemplate(plan: Plan, district: string, asOf: string, dir: string, share = 0.5): Promise<Buffer> {
  const completed: Record<string, number> = {};
  for (const dm of districtMetrics(plan, district)) {
    completed[dm.metric.id] = dm.metric.kind === 'rate' ? dm.target.target : Math.round(dm.total * share * 100) / 100;
  }
  const file = path.join(dir, `${district}-${asOf}-${share}.xlsx`);
  await writeTemplate(plan, district, asOf, file, { lang: 'zh-TW', fill: { completed } });
  return fs.readFileSync(file);
}
