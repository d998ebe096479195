// POST /api/submissions after the caller is known and the body is read: read the workbook from the
// bytes, check that every submission in it is the caller's own district (an admin token may submit
// for any), then store it in the queue. A file that cannot be read or has errors gets its issues back
// with 422, never a 500; a file for another district is refused whole with 403 and nothing is stored.
import { issueWithDistrictShown, messageWithDistrictShown, shownDistrict } from '../../core/districtNames';
import { renderIssue, type Issue, type RenderedIssue } from '../../core/issues';
import { listOf, msg, quoted, t } from '../../core/messages';
import { langFromAcceptLanguage, langOfText, planText, DEFAULT_LANG, type Lang } from '../../core/messages/lang';
import type { Plan } from '../../core/model';
import { MessageError } from '../../core/messages/messageError';
import { storeAndKeep } from '../archive/keepStored';
import { withoutInvisibles, type ReceivedFiles } from '../archive/receivedFiles';
import type { Store } from '../db/store';
import { readSubmissionBytes, type FileLoad, type SubmissionFileReading } from '../loadFiles';
import { HttpError } from './http';
import type { SerialQueue } from './queue';
import type { Caller } from './tokens';

export interface SubmissionAnswer {
  verdict: 'loaded' | 'duplicate' | 'superseded-earlier';
  submissions: { district: string; asOf: string; rows: number; status: string }[];
  /** Rendered in the caller's language (requestLang), next to their ASCII codes. */
  issues: RenderedIssue[];
}

/** The script of the plan's own text, else simplified Chinese: what a request that names no script is answered in. */
export function planLang(plan: Plan): Lang {
  return langOfText(planText(plan)) ?? DEFAULT_LANG;
}

/**
 * The language a request is answered in: its Accept-Language (zh-CN, zh-Hans → simplified; zh-TW,
 * zh-HK, zh-Hant → traditional), else `fallback` (the plan's, planLang).
 */
export function requestLang(acceptLanguage: string | string[] | undefined, fallback: Lang): Lang {
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage;
  return langFromAcceptLanguage(header) ?? fallback;
}

export interface SubmissionContext {
  store: Store;
  plan: Plan;
  queue: SerialQueue;
  /** Workbooks are read one at a time: reading is CPU work on one thread anyway, and one large file in memory at a time bounds what the service holds. */
  readQueue?: SerialQueue;
  /** Told after a file was stored (charts drawn before are out of date). */
  onStored?: () => void;
  /** Told what went wrong inside when reading fails unexpectedly (the client only gets a 422). */
  onInternalError?: (error: unknown) => void;
  /** The caller's language, for the issues sent back (default: the plan's script, else simplified). */
  lang?: Lang;
  /** Where an accepted file is kept, byte for byte, for `minsheng rebuild`. */
  received?: ReceivedFiles;
}

/**
 * The X-File-Name header (encodeURIComponent of the name) as a plain file name: decoded, directory
 * parts and control characters dropped, at most 200 characters. It only names the file in messages
 * and in the submissions table; nothing is ever written under it.
 */
export function uploadFileName(header: string | string[] | undefined, lang: Lang = DEFAULT_LANG): string {
  const raw = Array.isArray(header) ? header[0] : header;
  const unnamed = t(lang, 'service.upload.default-name');
  if (!raw) return unnamed;
  let name: string;
  try {
    name = decodeURIComponent(raw);
  } catch {
    name = raw;
  }
  name = withoutInvisibles(name)
    .split(/[\\/]/)
    .pop()!
    .trim()
    .slice(0, 200);
  return name === '' || name === '.' || name === '..' ? unnamed : name;
}

export async function acceptSubmission(ctx: SubmissionContext, caller: Caller, bytes: Buffer, fileName: string): Promise<{ answer: SubmissionAnswer; load: FileLoad }> {
  const lang = ctx.lang ?? planLang(ctx.plan);
  // Districts are answered as the plan writes them (core/districtNames.ts); the store keeps the canonical name.
  const names = ctx.plan.districtNames;
  const district = (name: string) => shownDistrict(names, name);
  const shown = (issues: readonly Issue[]) => issues.map((i) => renderIssue(issueWithDistrictShown(i, names), lang));
  let reading: SubmissionFileReading;
  try {
    const read = () => readSubmissionBytes(ctx.plan, bytes, fileName);
    reading = await (ctx.readQueue ? ctx.readQueue.run(read) : read());
  } catch (error) {
    // A file that trips up a reader is still the file's problem to report, not a server fault.
    ctx.onInternalError?.(error);
    const reason = msg('service.upload.unparsable', { file: fileName });
    throw new HttpError(422, reason, { verdict: 'unreadable', reason, issues: [] });
  }

  if (caller.kind === 'district') {
    // Every submission read, stored or not: a rejected file for another district is still refused as such.
    const others = [...new Set(reading.submissions.map((s) => s.district).filter((d) => d !== caller.district))];
    if (others.length > 0) {
      throw new HttpError(403, msg('service.upload.other-district', { file: fileName, others: listOf(others.map((d) => quoted(district(d)))), district: district(caller.district) }));
    }
  }

  if (reading.refused) {
    const { verdict, issues } = reading.refused;
    const reason = reading.refused.reason && messageWithDistrictShown(reading.refused.reason, names);
    throw new HttpError(422, reason ?? msg('service.upload.not-loaded'), { verdict, reason, issues: shown(issues) });
  }

  let load: FileLoad;
  try {
    load = await ctx.queue.run(() => storeAndKeep(ctx.store, reading, bytes, ctx.received));
  } catch (error) {
    // The folder of received files could not take the file (a full disk): nothing was stored.
    if (error instanceof MessageError && error.ref.id === 'received.failed') throw new HttpError(507, error.ref);
    throw error;
  }
  if (load.verdict !== 'duplicate') ctx.onStored?.();
  return {
    load,
    answer: {
      verdict: load.verdict as SubmissionAnswer['verdict'],
      submissions: load.submissions.map((s) => ({ district: district(s.district), asOf: s.asOf, rows: s.rows, status: s.status ?? load.verdict })),
      issues: shown(load.issues),
    },
  };
}
