// Cross-origin rules: the add-in's pages (served from their own origin, https://localhost:3000 in
// development) may call the service; no other web page may, and there is never a wildcard.
import type { IncomingMessage } from 'node:http';
import { msg, type MessageRef } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';

export const DEFAULT_ALLOWED_ORIGIN = 'https://localhost:3000';

/** Request headers the add-in sends beyond the CORS-safelisted ones. */
const ALLOWED_REQUEST_HEADERS = ['authorization', 'content-type', 'x-file-name'];
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** "https://Example.org:443/" → "https://example.org": origins compare in this form. */
export function normaliseOrigin(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new MessageError(msg('service.cors.invalid-url', { origin: text }));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new MessageError(msg('service.cors.scheme', { origin: text }));
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    throw new MessageError(msg('service.cors.parts', { origin: text }));
  }
  return url.origin;
}

export class CorsPolicy {
  readonly origins: ReadonlySet<string>;

  constructor(origins: readonly string[]) {
    if (origins.some((o) => o.trim() === '*')) throw new MessageError(msg('service.cors.wildcard'));
    this.origins = new Set(origins.map(normaliseOrigin));
  }

  /** The request's Origin header, if it sent one (browsers do on cross-origin calls). */
  originOf(req: IncomingMessage): string | undefined {
    const origin = req.headers.origin;
    return typeof origin === 'string' && origin.length > 0 ? origin : undefined;
  }

  allows(origin: string): boolean {
    try {
      return this.origins.has(normaliseOrigin(origin));
    } catch {
      return false;
    }
  }

  /** Headers on an ordinary response to an allowed origin. `Vary: Origin` keeps caches from mixing answers. */
  responseHeaders(origin: string | undefined): Record<string, string> {
    if (!origin || !this.allows(origin)) return { Vary: 'Origin' };
    return { 'Access-Control-Allow-Origin': normaliseOrigin(origin), Vary: 'Origin' };
  }

  /**
   * The answer to a preflight (OPTIONS with Access-Control-Request-Method) for a route that accepts
   * `methods`: the headers to send with 204, or the reason it is refused (rendered in the caller's language).
   */
  preflight(req: IncomingMessage, methods: readonly string[]): { headers: Record<string, string> } | { refused: MessageRef } {
    const origin = this.originOf(req);
    if (!origin || !this.allows(origin)) return { refused: msg('service.origin-refused', { origin: origin ?? msg('service.origin-none') }) };
    const method = String(req.headers['access-control-request-method'] ?? '').toUpperCase();
    if (!methods.includes(method)) return { refused: msg('service.method-refused', { method: method || msg('service.method-unstated') }) };
    const asked = String(req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h.length > 0);
    const unknown = asked.filter((h) => !ALLOWED_REQUEST_HEADERS.includes(h));
    if (unknown.length > 0) return { refused: msg('service.headers-refused', { headers: unknown.join(', ') }) };
    const headers: Record<string, string> = {
      // The configured form (https://addin.example), never the header as sent (HTTPS://Addin.Example:443/).
      'Access-Control-Allow-Origin': normaliseOrigin(origin),
      'Access-Control-Allow-Methods': methods.join(', '),
      'Access-Control-Allow-Headers': ALLOWED_REQUEST_HEADERS.join(', '),
      'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_SECONDS),
      Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    };
    // Chromium asks before a public page calls a private address (Private Network Access).
    if (req.headers['access-control-request-private-network'] === 'true') headers['Access-Control-Allow-Private-Network'] = 'true';
    return { headers };
  }
}
