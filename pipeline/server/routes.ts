// The service's API as a fixed table: path → methods, whether a token is needed, handler. Nothing in a
// request path is ever used to find a file; a path not in the table is 404. See docs/service.md.
import type { ReceivedFiles } from '../archive/receivedFiles';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Lang } from '../../core/messages';
import type { Plan } from '../../core/model';
import type { LagStatus } from '../../core/lagStatus';
import { latestAsOf, queryLag, queryRanking } from '../db/queries';
import { msg, render } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';
import type { Store } from '../db/store';
import { latestCaseDate, listCases } from '../db/supervision';
import { withDistrictsAsWritten, type ResultTable } from '../output/resultTable';
import { shownDistrict, withDistrictShown } from '../../core/districtNames';
import { defaultReportDate, IsoDate, LagStatusList, parameter } from '../parameters';
import type { ChartMaker, ChartName } from './charts';
import { HttpError, readBody, sendJson, sendPng } from './http';
import type { SerialQueue } from './queue';
import type { RequestLogEntry } from './requestLog';
import { acceptSubmission, uploadFileName } from './submit';
import type { Caller } from './tokens';
import type { z } from 'zod';

/** What every handler may use: fixed for the life of the service. */
export interface ServiceState {
  store: Store;
  plan: Plan;
  /** The plan as sent by GET /api/plan, serialised once. */
  planJson: string;
  /**
   * The service's own language: the command's choice (--lang, MINSHENG_LANG, the locale), else the plan's
   * script. Answers follow it when a request's Accept-Language names no Chinese script; the log is in it.
   */
  lang: Lang;
  queue: SerialQueue;
  /** Uploaded workbooks are read one at a time, outside the store's queue. */
  readQueue: SerialQueue;
  /** Uploads being received, read or stored at once; more wait, then get 503 (bounds the memory uploads take). */
  uploads: UploadSlots;
  charts: ChartMaker;
  maxBodyBytes: number;
  onInternalError: (error: unknown) => void;
  /** Where accepted uploads are kept (docs/design.md, "The folder of received files"). */
  received?: ReceivedFiles;
}

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Set on every route that needs a token (the dispatcher has checked it). */
  caller?: Caller;
  /** The request's log line; handlers add what they know (bytes, file, verdict). */
  entry: RequestLogEntry;
  /** Writes the request's log line as it stands now, marked with `stage` (its final line still follows). */
  logNow: (stage: 'received') => void;
  state: ServiceState;
  /** The caller's language (Accept-Language, else state.lang): every answer and chart is in it. */
  lang: Lang;
}

export interface Route {
  methods: readonly string[];
  needsToken: boolean;
  handle(ctx: RouteContext): Promise<void>;
}

/**
 * A fixed number of uploads in progress at once (received, read, stored). Further uploads wait their
 * turn, in order, with their bodies left unread (the client is held back by TCP), up to `waitMs`.
 */
export class UploadSlots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  /** Uploads each token has in progress (waiting or holding a slot). */
  private readonly held = new Map<string, number>();

  constructor(
    readonly size: number,
    readonly waitMs: number,
    /** How many one token may have in progress at once: never every slot, so one district cannot keep out the others. */
    readonly perCaller: number = Math.max(1, Math.floor(size / 4)),
  ) {}

  /** Counts an upload against `key` (a token id); false when that token already has perCaller in progress. */
  claim(key: string): boolean {
    const n = this.held.get(key) ?? 0;
    if (n >= this.perCaller) return false;
    this.held.set(key, n + 1);
    return true;
  }

  /** Ends what claim counted. */
  unclaim(key: string): void {
    const n = (this.held.get(key) ?? 1) - 1;
    if (n <= 0) this.held.delete(key);
    else this.held.set(key, n);
  }

  /** Resolves true with a slot taken, or false when none came free within waitMs. */
  take(): Promise<boolean> {
    if (this.active < this.size) {
      this.active++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const handOver = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(handOver), 1);
        resolve(false);
      }, this.waitMs);
      this.waiting.push(handOver);
    });
  }

  /** Frees a slot: the longest waiting upload gets it. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active = Math.max(0, this.active - 1);
  }
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const UPLOAD_TYPES = [XLSX_TYPE, 'application/octet-stream'];

/** A query parameter read by its shared schema (pipeline/parameters.ts); undefined when absent or blank, 400 naming it when wrong. */
function queryParameter<T>(url: URL, name: string, schema: z.ZodType<T, string>): T | undefined {
  const text = url.searchParams.get(name);
  if (text === null || text.trim() === '') return undefined;
  try {
    return parameter(schema, text);
  } catch (err) {
    const reason = err instanceof MessageError ? err.ref : (err as Error).message;
    throw new HttpError(400, msg('service.param.invalid', { name, reason }));
  }
}

/** A query parameter that must be a real calendar date written YYYY-MM-DD; undefined when absent. */
export function dateParameter(url: URL, name: string): string | undefined {
  return queryParameter(url, name, IsoDate);
}

/** as_of, or the default report date (defaultReportDate, the CLI's too) with the sentence saying its rule, in the caller's language. */
async function asOfOrDefault(ctx: RouteContext): Promise<{ asOf: string; asOfRule?: string }> {
  const given = dateParameter(ctx.url, 'as_of');
  if (given) return { asOf: given };
  try {
    const chosen = await ctx.state.queue.run(() => defaultReportDate(ctx.state.store));
    return { asOf: chosen.asOf, asOfRule: render(ctx.lang, chosen.rule) };
  } catch (err) {
    if (err instanceof MessageError) throw new HttpError(404, msg('param.as-of.none-yet'));
    throw err;
  }
}

function statusParameter(url: URL): LagStatus[] | undefined {
  return queryParameter(url, 'status', LagStatusList);
}

/** {asOf, asOfRule (when as_of was not given), columns: names, rows: arrays in column order}: what the add-in reads (addin/service.ts). */
/** A query's rows, districts as the plan writes them (core/districtNames.ts). */
function sendTable(ctx: RouteContext, date: { asOf: string; asOfRule?: string }, result: ResultTable): void {
  const table = withDistrictsAsWritten(result, ctx.state.plan.districtNames ?? {});
  sendJson(ctx.res, 200, { ...date, columns: table.columns.map((c) => c.name), rows: table.rows });
}

const health: Route = {
  methods: ['GET'],
  needsToken: false,
  async handle({ res, state }) {
    const [latest, chosen] = await state.queue.run(async () => [await latestAsOf(state.store), await defaultReportDate(state.store).catch(() => undefined)] as const);
    sendJson(res, 200, { ok: true, planYear: state.plan.year, latestAsOf: latest ?? null, defaultAsOf: chosen?.asOf ?? null });
  },
};

const plan: Route = {
  methods: ['GET'],
  needsToken: true,
  async handle({ res, state }) {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(state.planJson), 'X-Content-Type-Options': 'nosniff' });
    res.end(state.planJson);
  },
};

const submissions: Route = {
  methods: ['POST'],
  needsToken: true,
  async handle({ req, res, caller, entry, state, logNow, lang }) {
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!UPLOAD_TYPES.includes(type)) {
      throw new HttpError(415, type ? msg('service.upload.type-received', { type: XLSX_TYPE, received: type.slice(0, 80) }) : msg('service.upload.type', { type: XLSX_TYPE }));
    }
    const fileName = uploadFileName(req.headers['x-file-name'], lang);
    entry.file = fileName;
    const holder = caller!.tokenId;
    if (!state.uploads.claim(holder)) {
      throw new HttpError(429, msg('service.uploads.per-token', { count: state.uploads.perCaller }), {}, { 'Retry-After': '10' });
    }
    if (!(await state.uploads.take())) {
      state.uploads.unclaim(holder);
      throw new HttpError(503, msg('service.uploads.busy', { count: state.uploads.size }), {}, { 'Retry-After': '10' });
    }
    try {
      const bytes = await readBody(req, state.maxBodyBytes, (n) => (entry.bytes = n));
      if (bytes.length === 0) throw new HttpError(422, msg('service.upload.empty'), { verdict: 'unreadable', reason: msg('service.upload.empty'), issues: [] });
      // Who sent what, on record before anything of the file is parsed (issue 11 §1).
      logNow('received');
      const { answer } = await acceptSubmission(
        {
          store: state.store,
          plan: state.plan,
          queue: state.queue,
          readQueue: state.readQueue,
          onStored: () => state.charts.dataChanged(),
          onInternalError: state.onInternalError,
          received: state.received,
          lang,
        },
        caller!,
        bytes,
        fileName,
      );
      entry.verdict = answer.verdict;
      sendJson(res, 200, answer);
    } catch (err) {
      if (err instanceof HttpError && typeof err.body.verdict === 'string') entry.verdict = err.body.verdict;
      throw err;
    } finally {
      state.uploads.release();
      state.uploads.unclaim(holder);
    }
  },
};

const ranking: Route = {
  methods: ['GET'],
  needsToken: true,
  async handle(ctx) {
    const date = await asOfOrDefault(ctx);
    sendTable(ctx, date, await ctx.state.queue.run(() => queryRanking(ctx.state.store, date.asOf)));
  },
};

const lag: Route = {
  methods: ['GET'],
  needsToken: true,
  async handle(ctx) {
    const statuses = statusParameter(ctx.url);
    const date = await asOfOrDefault(ctx);
    sendTable(ctx, date, await ctx.state.queue.run(() => queryLag(ctx.state.store, date.asOf, statuses)));
  },
};

/**
 * GET /api/cases: the 掛牌督辦 cases still followed (open, overdue, reopened) as they stood at as_of
 * (default: the latest opening or review), of the caller's district; an admin token sees every district.
 */
const cases: Route = {
  methods: ['GET'],
  needsToken: true,
  async handle(ctx) {
    const { store, queue } = ctx.state;
    const given = dateParameter(ctx.url, 'as_of');
    const district = ctx.caller?.kind === 'district' ? ctx.caller.district : null;
    const answer = await queue.run(async () => {
      const asOf = given ?? (await latestCaseDate(store));
      const found = asOf ? await listCases(store, asOf, { statuses: ['open', 'overdue', 'reopened'], ...(district ? { district } : {}) }) : [];
      const names = ctx.state.plan.districtNames;
      return { asOf: asOf ?? null, district: district && shownDistrict(names, district), cases: found.map((c) => withDistrictShown(c, names)) };
    });
    sendJson(ctx.res, 200, answer);
  },
};

function chart(name: ChartName): Route {
  return {
    methods: ['GET'],
    needsToken: true,
    async handle(ctx) {
      const { asOf } = await asOfOrDefault(ctx);
      sendPng(ctx.res, await ctx.state.charts.png(name, asOf, ctx.lang));
    },
  };
}

export const ROUTES: ReadonlyMap<string, Route> = new Map([
  ['/api/health', health],
  ['/api/plan', plan],
  ['/api/submissions', submissions],
  ['/api/ranking', ranking],
  ['/api/lag', lag],
  ['/api/cases', cases],
  ['/api/charts/ranking.png', chart('ranking')],
  ['/api/charts/lag-heatmap.png', chart('lag-heatmap')],
  ['/api/charts/assessment-districts.png', chart('assessment-districts')],
  ['/api/charts/assessment-lead-units.png', chart('assessment-lead-units')],
]);
