// Parameters the CLI and the service both take from outside: where the database is, a report date, a
// list of lag statuses. Each is one zod schema, so `--status` and `?status=` accept the same words and
// refuse the same values with the same catalogue message. A refusal is a MessageError; each caller
// shows it its own way (the CLI prints it in the reader's language, the service answers 400). The date a
// question is asked for when none is given is decided here too (defaultReportDate), for both.
import * as path from 'node:path';
import { z } from 'zod';
import { isIsoDate, parseDateText } from '../core/dates';
import { LAG_STATUSES, lagStatusFromText, lagStatusLabelId, type LagStatus } from '../core/lagStatus';
import { msg, type Message } from '../core/messages';
import { MessageError } from '../core/messages/messageError';
import { shownDistrict } from '../core/districtNames';
import { readDistrictNames } from './db/plan';
import { reportDates } from './db/queries';
import type { Store } from './db/store';

export const DEFAULT_DB_PATH = './minsheng.duckdb';
export const DB_PATH_ENV = 'MINSHENG_DB';

/** Where the database is: `--db` first, then $MINSHENG_DB, then ./minsheng.duckdb; made absolute. */
export function resolveDbPath(option?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = option?.trim() || env[DB_PATH_ENV]?.trim() || DEFAULT_DB_PATH;
  return chosen === ':memory:' ? chosen : path.resolve(chosen);
}

/** A refusal carried through zod: the catalogue message rides in the issue's params. */
function refuse(ctx: z.RefinementCtx, message: Message): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message: message.id, params: { message } });
  return z.NEVER;
}

/** A date as programs send it: YYYY-MM-DD, a day that exists (the service's as_of). */
export const IsoDate = z.string().transform((text, ctx) => (isIsoDate(text) ? text : refuse(ctx, msg('param.date.not-iso', { value: text.slice(0, 40) }))));

/** A date as people type it: 2024-09-30, 2024/9/30, 2024年9月30日, 2024年9月底, full-width digits → ISO. */
export const TypedDate = z.string().transform((text, ctx) => parseDateText(text) ?? refuse(ctx, msg('param.date.invalid', { value: text })));

const STATUS_WORDS = Object.fromEntries(LAG_STATUSES.map((s) => [s, msg(lagStatusLabelId(s))])) as Record<LagStatus, Message>;

/** "stalled,overdue", "嚴重滯後、停滞": codes or words in either script, separated by commas, 、 or spaces. */
export const LagStatusList = z.string().transform((text, ctx) => {
  const statuses: LagStatus[] = [];
  for (const part of text.split(/[,，、\s]+/).filter((p) => p.length > 0)) {
    const status = lagStatusFromText(part);
    if (!status) return refuse(ctx, msg('param.status.unknown', { value: part.slice(0, 40), ...STATUS_WORDS }));
    statuses.push(status);
  }
  return statuses;
});

/** The report date when none is given, and the sentence that says which rule chose it. */
export interface DefaultReportDate {
  asOf: string;
  rule: Message;
}

/**
 * The date rank, lag, forecast, report, bulletins, charts and the service's /api/ranking, /api/lag and
 * chart routes use when none is given: the latest date every reporting district has reached (the earliest
 * of their latest reports), never one district's latest — one report dated 12-31 would otherwise make
 * everyone else look overdue. A MessageError when nothing is loaded (docs/design.md, "Completion and
 * expectation").
 */
export async function defaultReportDate(store: Store): Promise<DefaultReportDate> {
  const dates = await reportDates(store);
  if (!dates) throw new MessageError(msg('param.as-of.no-reports'));
  const names = dates.common === dates.latest ? {} : await readDistrictNames(store);
  const rule =
    dates.common === dates.latest
      ? msg('param.as-of.common', { asOf: dates.common })
      : msg('param.as-of.common-behind', { asOf: dates.common, latest: dates.latest, districts: dates.behind.map((d) => shownDistrict(names, d)).join('、') });
  return { asOf: dates.common, rule };
}

/** The value a schema makes of `input`, or a MessageError saying why there is none. */
export function parameter<S extends z.ZodType>(schema: S, input: z.input<S>): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const message = first?.code === 'custom' ? (first.params?.message as Message | undefined) : undefined;
  if (message) throw new MessageError(message);
  throw new Error(first?.message ?? 'invalid parameter');
}
