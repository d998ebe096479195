// The service's request log: one JSON object per line, per request, to stderr or a file. It names the
// caller's district (never the token), the path without its query string (only the known query
// parameters are kept), and for submissions the file name and the verdict.
import * as fs from 'node:fs';
import { t, type Lang } from '../../core/messages';
import { DEFAULT_LANG } from '../../core/messages/lang';

export interface RequestLogEntry {
  time: string;
  /** The request's number in this service's run: an upload's `received` line and its final line share it. */
  request: number;
  /**
   * Absent on a request's final line. `received`: an upload's body is in and is about to be read, written
   * before any parsing so that a file that brings the process down is still traced to its caller.
   */
  stage?: 'received';
  method: string;
  path: string;
  /** The known query parameters (as_of, status); nothing else from the query string is written. */
  query?: Record<string, string>;
  status: number;
  ms: number;
  /** The token's district, "[管理]<name>" for an admin token, null without a valid token. */
  district: string | null;
  /** The id of the token used (its entry in the tokens file; never the token itself). */
  tokenId?: string;
  /** Request body bytes received. */
  bytes: number;
  /** Response body bytes sent. */
  bytesOut: number;
  file?: string;
  verdict?: string;
  error?: string;
  /** The client left before the answer was sent. */
  aborted?: boolean;
}

export type RequestLogger = (entry: RequestLogEntry) => void;

const LOGGED_QUERY_PARAMETERS = ['as_of', 'status'];

export function loggedQuery(params: URLSearchParams): Record<string, string> | undefined {
  const kept = LOGGED_QUERY_PARAMETERS.filter((name) => params.has(name)).map((name) => [name, (params.get(name) ?? '').slice(0, 100)]);
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

/** A logger writing lines to a stream. */
export function streamLogger(stream: NodeJS.WritableStream): RequestLogger {
  return (entry) => {
    stream.write(`${JSON.stringify(entry)}\n`);
  };
}

/** A logger appending to `file` (created 0640 when new); `close` flushes it. A write failure is told on stderr in `lang`. */
export function fileLogger(file: string, lang: Lang = DEFAULT_LANG): { log: RequestLogger; close: () => Promise<void> } {
  const stream = fs.createWriteStream(file, { flags: 'a', mode: 0o640 });
  stream.on('error', (err) => process.stderr.write(`${t(lang, 'service.log.unwritable', { file, reason: err.message })}\n`));
  return {
    log: streamLogger(stream),
    close: () => new Promise((resolve) => stream.end(() => resolve())),
  };
}
