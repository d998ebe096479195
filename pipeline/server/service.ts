// `minsheng serve`'s HTTP(S) server: checks origin, method and token, dispatches to the fixed route
// table (routes.ts), answers errors as {error} in the request's Accept-Language (else the service's own
// language), and logs every request as one JSON line.
// The caller owns the store: the service uses it through one queue and never closes it.
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ReceivedFiles } from '../archive/receivedFiles';
import { readPlan } from '../db/plan';
import type { Store } from '../db/store';
import { msg, render, t, type Lang, type MessageRef } from '../../core/messages';
import type { LangChoice } from '../../core/messages/lang';
import { ChartMaker } from './charts';
import { CorsPolicy, DEFAULT_ALLOWED_ORIGIN } from './cors';
import { ClientGoneError, HttpError, sendJson } from './http';
import { SerialQueue } from './queue';
import { loggedQuery, streamLogger, type RequestLogEntry, type RequestLogger } from './requestLog';
import { ROUTES, UploadSlots, type ServiceState } from './routes';
import { callerLabel, type Caller, type TokenRegistry } from './tokens';
import { planLang, requestLang } from './submit';

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_CONCURRENT_UPLOADS = 8;
export const DEFAULT_UPLOAD_WAIT_MS = 60_000;

export interface ServiceOptions {
  store: Store;
  tokens: TokenRegistry;
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** PEM certificate and key: HTTPS instead of HTTP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Origins whose pages may call the service (default https://localhost:3000). */
  allowOrigins?: readonly string[];
  maxBodyBytes?: number;
  /** Uploads received, read or stored at once (default 8); with maxBodyBytes this bounds the memory uploads take. */
  maxConcurrentUploads?: number;
  /** Uploads one token may have in progress at once (default a quarter of maxConcurrentUploads, at least 1); more get 429. */
  maxUploadsPerToken?: number;
  /** How long a further upload waits for its turn before 503 (default 60 s). */
  uploadWaitMs?: number;
  /** Where request lines go (default: stderr). */
  log?: RequestLogger;
  /** Faults inside the service, with their stack (default: stderr). */
  onInternalError?: (error: unknown) => void;
  /**
   * The language chosen for the command (--lang, MINSHENG_LANG, the locale): what a request whose
   * Accept-Language names no Chinese script is answered in. When nothing chose, the plan's script.
   */
  lang?: LangChoice;
  /** The folder of received files: every accepted upload is kept there (`minsheng serve` always gives one). */
  received?: ReceivedFiles;
}

export interface RunningService {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  port: number;
  server: http.Server;
  queue: SerialQueue;
  /** Stops accepting requests, lets the requests in progress finish, waits for the queue. */
  close(): Promise<void>;
}

/** After an early refusal (401, 413 ...) the rest of the body is discarded at most this long before the connection is cut. */
const DRAIN_GRACE_MS = 2000;

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const plan = await readPlan(options.store);
  const queue = new SerialQueue();
  const lang = options.lang && options.lang.source !== 'default' ? options.lang.lang : planLang(plan);
  const onInternalError =
    options.onInternalError ??
    ((error: unknown) =>
      process.stderr.write(`${t(lang, 'service.internal-error.log', { detail: error instanceof Error ? (error.stack ?? error.message) : String(error) })}\n`));
  const state: ServiceState = {
    store: options.store,
    plan,
    planJson: JSON.stringify(plan),
    lang,
    queue,
    readQueue: new SerialQueue(),
    uploads: new UploadSlots(options.maxConcurrentUploads ?? DEFAULT_MAX_CONCURRENT_UPLOADS, options.uploadWaitMs ?? DEFAULT_UPLOAD_WAIT_MS, options.maxUploadsPerToken),
    charts: new ChartMaker(options.store, queue, plan.districtNames),
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    onInternalError,
    received: options.received,
  };
  const cors = new CorsPolicy(options.allowOrigins ?? [DEFAULT_ALLOWED_ORIGIN]);
  const log = options.log ?? streamLogger(process.stderr);
  let requests = 0;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    void handleRequest(req, res, { state, cors, tokens: options.tokens, log }, ++requests);
  };
  const server: http.Server = options.tls ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler) : http.createServer(handler);
  // A client trickling its request keeps a socket, not the service: cut it off after two minutes.
  server.requestTimeout = 120_000;
  server.headersTimeout = 30_000;
  // Refuse an oversize upload before the client sends it, when it asks first (Expect: 100-continue).
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (Number(req.headers['content-length'] ?? 0) <= state.maxBodyBytes) res.writeContinue();
    handler(req, res);
  });
  // Requests too malformed to parse never reach the handler: answer them plainly and close.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_PORT, options.host ?? DEFAULT_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${address.port}`,
    port: address.port,
    server,
    queue,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 5000);
      await closed;
      clearTimeout(force);
      await queue.idle();
    },
  };
}

interface Dispatch {
  state: ServiceState;
  cors: CorsPolicy;
  tokens: TokenRegistry;
  log: RequestLogger;
}

async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse, dispatch: Dispatch, request: number): Promise<void> {
  const started = performance.now();
  const entry: RequestLogEntry = {
    time: new Date().toISOString(),
    request,
    method: req.method ?? '',
    path: '',
    status: 0,
    ms: 0,
    district: null,
    bytes: 0,
    bytesOut: 0,
  };
  res.on('close', () => {
    entry.status = res.statusCode;
    entry.ms = Math.round((performance.now() - started) * 10) / 10;
    entry.bytesOut = Number(res.getHeader('content-length') ?? 0);
    if (!res.writableFinished) entry.aborted = true;
    dispatch.log(entry);
  });
  // The caller's language: its Accept-Language, else the service's own. The log is in the service's.
  const lang = requestLang(req.headers['accept-language'], dispatch.state.lang);
  try {
    await route(req, res, entry, dispatch, lang);
  } catch (error) {
    if (error instanceof ClientGoneError) {
      entry.error = t(dispatch.state.lang, 'service.client-gone');
      res.destroy();
      return;
    }
    if (error instanceof HttpError) {
      entry.error = render(dispatch.state.lang, error.ref);
      answer(req, res, error.status, error.answer(lang), error.headers, dispatch.state.maxBodyBytes);
      return;
    }
    dispatch.state.onInternalError(error);
    entry.error = error instanceof Error ? error.message : String(error);
    answer(req, res, 500, { error: t(lang, 'service.internal-error') }, {}, dispatch.state.maxBodyBytes);
  }
}

async function route(req: http.IncomingMessage, res: http.ServerResponse, entry: RequestLogEntry, dispatch: Dispatch, lang: Lang): Promise<void> {
  const { cors, tokens, state } = dispatch;
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://service.invalid');
  } catch {
    throw new HttpError(400, msg('service.bad-url'));
  }
  entry.path = url.pathname.slice(0, 200);
  entry.query = loggedQuery(url.searchParams);

  const origin = cors.originOf(req);
  for (const [name, value] of Object.entries(cors.responseHeaders(origin))) res.setHeader(name, value);
  const found = ROUTES.get(url.pathname);
  if (!found) throw new HttpError(404, msg('service.not-found'));
  const method = (req.method ?? '').toUpperCase();

  if (method === 'OPTIONS') {
    if (req.headers['access-control-request-method'] === undefined) {
      res.writeHead(204, { Allow: [...found.methods, 'OPTIONS'].join(', ') });
      res.end();
      return;
    }
    const answer = cors.preflight(req, found.methods);
    if ('refused' in answer) {
      res.removeHeader('Access-Control-Allow-Origin');
      throw new HttpError(403, answer.refused);
    }
    res.writeHead(204, answer.headers);
    res.end();
    return;
  }
  // A web page from another origin is refused outright, not only hidden from by the browser.
  if (origin !== undefined && !cors.allows(origin)) throw new HttpError(403, msg('service.origin-refused', { origin: origin.slice(0, 100) }));
  if (!found.methods.includes(method)) {
    throw new HttpError(405, msg('service.method-refused', { method: method.slice(0, 20) }), {}, { Allow: [...found.methods, 'OPTIONS'].join(', ') });
  }
  let caller: Caller | undefined;
  if (found.needsToken) {
    caller = authenticate(req, tokens);
    entry.district = callerLabel(caller, state.lang);
    entry.tokenId = caller.tokenId;
  }
  const logNow = (stage: 'received') => dispatch.log({ ...entry, time: new Date().toISOString(), stage });
  await found.handle({ req, res, url, caller, entry, state, logNow, lang });
}

function authenticate(req: http.IncomingMessage, tokens: TokenRegistry): Caller {
  const header = req.headers.authorization;
  const m = typeof header === 'string' ? /^Bearer[ \t]+(\S{1,512})[ \t]*$/i.exec(header) : null;
  const unauthorised = (message: MessageRef) => new HttpError(401, message, {}, { 'WWW-Authenticate': 'Bearer realm="minsheng"' });
  if (!m) throw unauthorised(msg('service.token.missing'));
  const caller = tokens.lookup(m[1]);
  if (!caller) throw unauthorised(msg('service.token.invalid'));
  return caller;
}

function answer(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string>, limit: number): void {
  if (req.complete) sendJson(res, status, body, headers);
  else sendEarly(req, res, status, body, headers, limit);
}

/**
 * An answer sent before the request body was read whole (401, 413, 415 ...). Node closes such a
 * connection, and closing a socket with unread data makes TCP reset it, so the client may lose the
 * answer while it is still sending. So the answer is written whole (its Content-Length lets the client
 * read it at once), and the response is only ended once the rest of the body was discarded, never
 * kept, or when `limit` more bytes or DRAIN_GRACE_MS have passed, whichever comes first.
 */
function sendEarly(req: http.IncomingMessage, res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string>, limit: number): void {
  if (res.headersSent || res.destroyed) return;
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(bytes.length),
    'X-Content-Type-Options': 'nosniff',
    Connection: 'close',
  });
  res.write(bytes);
  let discarded = 0;
  let done = false;
  const finish = (cut: boolean) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    res.end();
    if (cut) req.socket?.destroy();
  };
  const timer = setTimeout(() => finish(true), DRAIN_GRACE_MS);
  timer.unref();
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > limit) finish(true);
  });
  req.once('end', () => finish(false));
  req.once('close', () => finish(false));
  req.on('error', () => undefined);
  req.resume();
}
