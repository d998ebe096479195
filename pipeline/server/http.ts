// HTTP plumbing for the service: errors that carry a status and a catalogue message, JSON and PNG
// responses, and reading a request body up to a size limit without ever holding more than the limit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isMessageId, msg, render, type Lang, type MessageRef } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';

/**
 * A request the service refuses: status and the message sent as {error}, rendered at the edge in the
 * request's language (like every message in `body`). Its `message` is the traditional text, for logs.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly ref: MessageRef,
    /** More fields for the JSON body (e.g. a rejected file's issues); a catalogue message among them is rendered too. */
    readonly body: Record<string, unknown> = {},
    /** Extra response headers (Allow on 405). */
    readonly headers: Record<string, string> = {},
  ) {
    super(render('zh-TW', ref));
    this.name = 'HttpError';
  }

  /** The JSON body in `lang`: {error, ...body}, every message rendered. */
  answer(lang: Lang): Record<string, unknown> {
    const shown = Object.entries(this.body).map(([key, value]) => [key, isMessageRef(value) ? render(lang, value) : value]);
    return { error: render(lang, this.ref), ...Object.fromEntries(shown) };
  }
}

function isMessageRef(value: unknown): value is MessageRef {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as MessageRef).id === 'string' && isMessageId((value as MessageRef).id);
}

/** The client went away before its request was read whole: there is no one to answer. */
export class ClientGoneError extends Error {
  constructor() {
    super('client disconnected');
    this.name = 'ClientGoneError';
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  send(res, status, Buffer.from(text, 'utf8'), { 'Content-Type': 'application/json; charset=utf-8', ...headers });
}

export function sendPng(res: ServerResponse, png: Buffer): void {
  send(res, 200, png, { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' });
}

export function send(res: ServerResponse, status: number, body: Buffer, headers: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    ...headers,
    'Content-Length': String(body.length),
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

/** "10mb", "512kb", "1048576" → bytes. */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?\s*$/i.exec(text);
  if (!m) throw new MessageError(msg('service.size.invalid', { text }));
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Math.floor(Number(m[1]) * factor);
  if (bytes <= 0) throw new MessageError(msg('service.size.not-positive', { text }));
  return bytes;
}

/** A size as people write it: "10 MB", "512 KB", or a number of bytes (a message, as the unit is a word). */
export function byteSize(bytes: number): MessageRef | string {
  if (bytes >= 1024 ** 2 && bytes % 1024 ** 2 === 0) return `${bytes / 1024 ** 2} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return msg('service.size.bytes', { count: bytes });
}

export function formatByteSize(bytes: number, lang: Lang = 'zh-TW'): string {
  const size = byteSize(bytes);
  return typeof size === 'string' ? size : render(lang, size);
}

export function tooLarge(limit: number): HttpError {
  return new HttpError(413, msg('service.upload.too-large', { limit: byteSize(limit) }));
}

/**
 * The request body, refused with 413 as soon as it is known to pass `limit` (from Content-Length, or
 * while it streams in): reading stops there. `onBytes` is told how much arrived (for the log).
 */
export function readBody(req: IncomingMessage, limit: number, onBytes: (n: number) => void = () => undefined): Promise<Buffer> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge(limit));
  // Gone while it waited for its turn: its 'close' has been and gone.
  if (req.destroyed && !req.complete) return Promise.reject(new ClientGoneError());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onError);
      if (error) {
        chunks.length = 0;
        reject(error);
      } else resolve(Buffer.concat(chunks, received));
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      onBytes(received);
      if (received > limit) {
        req.pause();
        finish(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish();
    // 'close' before 'end': the client disconnected mid-upload.
    const onClose = () => finish(req.complete ? undefined : new ClientGoneError());
    const onError = () => finish(new ClientGoneError());
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onError);
  });
}
