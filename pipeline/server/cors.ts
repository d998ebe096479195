// Cross-origin rules: the add-in's pages (served from their own origin, https://localhost:3000 in
// development) may call the service; no other web page may, and there is never a wildcard.
import type { IncomingMessage } from 'node:http';

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
    throw new Error(`來源「${text}」不是有效的網址（應為如 https://localhost:3000）`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`來源「${text}」必須是 http 或 https 網址`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    throw new Error(`來源「${text}」只能包含協議、主機和端口，如 https://localhost:3000`);
  }
  return url.origin;
}

export class CorsPolicy {
  readonly origins: ReadonlySet<string>;

  constructor(origins: readonly string[]) {
    if (origins.some((o) => o.trim() === '*')) throw new Error('不允許用 * 放行所有來源；請寫出加載項的網址');
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
   * `methods`: the headers to send with 204, or the reason it is refused.
   */
  preflight(req: IncomingMessage, methods: readonly string[]): { headers: Record<string, string> } | { refused: string } {
    const origin = this.originOf(req);
    if (!origin || !this.allows(origin)) return { refused: `來源「${origin ?? '（無）'}」不允許訪問本服務` };
    const method = String(req.headers['access-control-request-method'] ?? '').toUpperCase();
    if (!methods.includes(method)) return { refused: `此地址不接受 ${method || '（未說明的）'} 請求` };
    const asked = String(req.headers['access-control-request-headers'] ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter((h) => h.length > 0);
    const unknown = asked.filter((h) => !ALLOWED_REQUEST_HEADERS.includes(h));
    if (unknown.length > 0) return { refused: `不接受請求頭：${unknown.join(', ')}` };
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
