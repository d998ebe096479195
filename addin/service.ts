// The add-in's client of `minsheng serve` (docs/service.md): every call with the clerk's bearer token,
// answers checked with zod, and every failure turned into a sentence a clerk can act on.
import { z } from 'zod';
import { RenderedIssue } from '../core/issues';
import { Plan } from '../core/model';
import { paneLang, say } from './paneLang';

/** latestAsOf: the latest report any district sent; defaultAsOf: the date all have reached, which charts default to (older services lack it). */
export const Health = z.object({ ok: z.boolean(), planYear: z.number(), latestAsOf: z.string().nullable(), defaultAsOf: z.string().nullable().optional() });
export type Health = z.infer<typeof Health>;

export const ResultTable = z.object({ asOf: z.string(), columns: z.array(z.string()), rows: z.array(z.array(z.unknown())) });
export type ResultTable = z.infer<typeof ResultTable>;

/** A 掛牌督辦 case as GET /api/cases gives it (pipeline/db/supervision.ts CaseRecord; more fields are ignored). */
export const CaseSummary = z.object({
  case_id: z.number(),
  district: z.string(),
  metric_id: z.string(),
  label: z.string().nullable(),
  opened_on: z.string(),
  due_on: z.string(),
  status: z.enum(['open', 'overdue', 'closed', 'reopened']),
  gap: z.number().nullable(),
  notes: z.array(z.string()),
});
export type CaseSummary = z.infer<typeof CaseSummary>;
export const CasesAnswer = z.object({ asOf: z.string().nullable(), district: z.string().nullable(), cases: z.array(CaseSummary) });
export type CasesAnswer = z.infer<typeof CasesAnswer>;

const SubmissionSummary = z.object({ district: z.string(), asOf: z.string(), rows: z.number(), status: z.string().optional() });

const Accepted = z.object({
  verdict: z.string(),
  submissions: z.array(SubmissionSummary),
  issues: z.array(RenderedIssue),
});
const Refused = z.object({
  verdict: z.string(),
  reason: z.string().nullish(),
  submissions: z.array(SubmissionSummary).optional(),
  issues: z.array(RenderedIssue).default([]),
});
const ErrorBody = z.object({ error: z.string() });

export type SubmitOutcome =
  | { kind: 'accepted'; verdict: string; submissions: z.infer<typeof SubmissionSummary>[]; issues: RenderedIssue[] }
  | { kind: 'refused'; verdict: string; reason: string; issues: RenderedIssue[] };

export type ServiceErrorKind = 'not-configured' | 'network' | 'timeout' | 'unauthorised' | 'forbidden' | 'too-large' | 'not-found' | 'refused' | 'server' | 'bad-answer';

/** A failed call, with a message in the pane's language that says what to do. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly kind: ServiceErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface ServiceConfig {
  url: string;
  token: string;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

const TIMEOUT_MS = 30_000;
const UPLOAD_TIMEOUT_MS = 120_000;

export class ServiceClient {
  constructor(
    private readonly config: ServiceConfig,
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
  ) {}

  get url(): string {
    return this.config.url;
  }

  health(): Promise<Health> {
    return this.json('/api/health', Health, { auth: false });
  }

  plan(): Promise<Plan> {
    return this.json('/api/plan', Plan);
  }

  ranking(asOf: string): Promise<ResultTable> {
    return this.json(`/api/ranking?as_of=${encodeURIComponent(asOf)}`, ResultTable);
  }

  lag(asOf: string): Promise<ResultTable> {
    return this.json(`/api/lag?as_of=${encodeURIComponent(asOf)}`, ResultTable);
  }

  /** The cases still followed of the token's district (every district's for an admin token). */
  cases(): Promise<CasesAnswer> {
    return this.json('/api/cases', CasesAnswer);
  }

  async chartPng(chart: 'ranking' | 'lag-heatmap' | 'assessment-districts' | 'assessment-lead-units', asOf: string): Promise<Uint8Array> {
    const res = await this.request(`/api/charts/${chart}.png?as_of=${encodeURIComponent(asOf)}`, {});
    return new Uint8Array(await res.arrayBuffer());
  }

  /** POST /api/submissions: 200 accepted; 422 refused with the issues; anything else a ServiceError. */
  async submit(bytes: Uint8Array, fileName: string): Promise<SubmitOutcome> {
    const res = await this.request(
      '/api/submissions',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'X-File-Name': encodeURIComponent(fileName) },
        // A copy in its own ArrayBuffer: what fetch takes as a body, whatever the bytes were a view of.
        body: bytes.slice().buffer as ArrayBuffer,
      },
      { timeout: UPLOAD_TIMEOUT_MS, refusalIsAnswer: true },
    );
    const body = await this.body(res);
    if (res.status === 422) {
      const refused = Refused.safeParse(body);
      if (!refused.success) throw this.badAnswer();
      return { kind: 'refused', verdict: refused.data.verdict, reason: refused.data.reason ?? say('addin.submit.refusedDefault'), issues: refused.data.issues };
    }
    const accepted = Accepted.safeParse(body);
    if (!accepted.success) throw this.badAnswer();
    return { kind: 'accepted', ...accepted.data };
  }

  private async json<T>(path: string, schema: z.ZodType<T>, options: { auth?: boolean } = {}): Promise<T> {
    const res = await this.request(path, {}, { auth: options.auth });
    const parsed = schema.safeParse(await this.body(res));
    if (!parsed.success) throw this.badAnswer();
    return parsed.data;
  }

  private badAnswer(): ServiceError {
    return new ServiceError('bad-answer', say('addin.service.badAnswer', { url: this.config.url }));
  }

  private async body(res: Response): Promise<unknown> {
    try {
      return await res.json();
    } catch {
      throw this.badAnswer();
    }
  }

  private async request(path: string, init: RequestInit, options: { auth?: boolean; timeout?: number; refusalIsAnswer?: boolean } = {}): Promise<Response> {
    const { url, token } = this.config;
    if (!url) throw new ServiceError('not-configured', say('addin.service.noUrl'));
    if (options.auth !== false && !token) throw new ServiceError('not-configured', say('addin.service.noToken'));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeout ?? TIMEOUT_MS);
    const headers = new Headers(init.headers);
    if (options.auth !== false) headers.set('Authorization', `Bearer ${token}`);
    // The service answers in the reader's language (a CORS-safelisted header: no preflight for it).
    headers.set('Accept-Language', paneLang());
    let res: Response;
    try {
      res = await this.fetchImpl(`${url}${path}`, { ...init, headers, signal: controller.signal });
    } catch {
      if (controller.signal.aborted) throw new ServiceError('timeout', say('addin.service.timeout', { url }));
      throw new ServiceError('network', this.unreachable());
    } finally {
      clearTimeout(timer);
    }
    if (res.ok || (options.refusalIsAnswer && res.status === 422)) return res;
    throw await this.failure(res);
  }

  private unreachable(): string {
    const { url } = this.config;
    const page = (globalThis as { location?: { protocol?: string } }).location;
    const mixed = page?.protocol === 'https:' && url.startsWith('http:');
    return mixed
      ? say('addin.service.httpsOnly', { url })
      : say('addin.service.unreachable', { url });
  }

  private async failure(res: Response): Promise<ServiceError> {
    let said = '';
    try {
      const parsed = ErrorBody.safeParse(await res.json());
      if (parsed.success) said = parsed.data.error;
    } catch {
      said = '';
    }
    const because = said ? say('addin.service.said', { said }) : '';
    switch (res.status) {
      case 401:
        return new ServiceError('unauthorised', say('addin.service.unauthorised', { said: because }), 401);
      case 403:
        return new ServiceError('forbidden', said || say('addin.service.forbidden'), 403);
      case 413:
        return new ServiceError('too-large', say('addin.service.tooLarge', { said: because }), 413);
      case 404:
        return new ServiceError('not-found', said || say('addin.service.notFound'), 404);
      case 400:
      case 415:
        return new ServiceError('refused', said || say('addin.service.refused'), res.status);
      default:
        return new ServiceError('server', say('addin.service.server', { status: res.status }), res.status);
    }
  }
}
