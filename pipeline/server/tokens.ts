// The service's access tokens (docs/design.md, "The service"): a JSON file holding, per token, only its
// SHA-256, whom it belongs to (one district, or the supervision office's admin kind that may submit for
// any district) and when it was made. The token itself is shown once, when made, and never stored.
// Presented tokens are hashed and compared in constant time with every stored hash.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { canonicalDistrict } from '../../core/districtMatch';
import { msg, render, t, type Lang } from '../../core/messages';
import { DEFAULT_LANG } from '../../core/messages/lang';
import { MessageError } from '../../core/messages/messageError';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 as 64 hex digits');

export const TokenEntry = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('district'),
    /** First 8 hex digits of the hash: names the token in `token list` / `token revoke` and the log. */
    id: z.string(),
    district: z.string(),
    sha256: Sha256Hex,
    created: z.string(),
  }),
  z.object({
    kind: z.literal('admin'),
    id: z.string(),
    /** Who holds it, e.g. 督查室. */
    name: z.string(),
    sha256: Sha256Hex,
    created: z.string(),
  }),
]);
export type TokenEntry = z.infer<typeof TokenEntry>;

export const TokenFile = z.object({ tokens: z.array(TokenEntry) });
export type TokenFile = z.infer<typeof TokenFile>;

/** Whom a request acts for, once its token matched. */
export type Caller = { kind: 'district'; district: string; tokenId: string } | { kind: 'admin'; name: string; tokenId: string };

/** What the request log writes for the caller: the district, or the admin token's holder in brackets. */
export function callerLabel(caller: Caller | undefined, lang: Lang): string | null {
  if (!caller) return null;
  return caller.kind === 'district' ? caller.district : t(lang, 'service.log.admin', { name: caller.name });
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A new token: 32 random bytes, base64url, with a prefix that makes it recognisable in a leak scan. */
export function newToken(): string {
  return `msk_${randomBytes(32).toString('base64url')}`;
}

export function readTokenFile(file: string): TokenFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { tokens: [] };
    throw new MessageError(msg('service.tokens.unreadable', { file, reason: (err as Error).message }));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MessageError(msg('service.tokens.not-json', { file }));
  }
  const parsed = TokenFile.safeParse(json);
  if (!parsed.success) throw new MessageError(msg('service.tokens.invalid', { file, reason: parsed.error.issues[0]?.message ?? '' }));
  return parsed.data;
}

/** Writes the file readable by its owner only (0600), atomically: a reader never sees half a file. */
export function writeTokenFile(file: string, content: TokenFile): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(temp, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
    fs.chmodSync(temp, 0o600); // the umask may have narrowed the mode; never widened it, but be explicit
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

export interface AddedToken {
  /** The token itself: shown once, never stored. */
  token: string;
  entry: TokenEntry;
}

/** Adds a token for a district (any alias or script accepted, stored canonical) or an admin token. */
export function addToken(file: string, who: { district: string } | { adminName: string }, now: Date = new Date()): AddedToken {
  const current = readTokenFile(file);
  const token = newToken();
  const sha256 = hashToken(token);
  const common = { id: sha256.slice(0, 8), sha256, created: now.toISOString() };
  const entry: TokenEntry =
    'district' in who
      ? { kind: 'district', district: canonicalDistrict(who.district), ...common }
      : { kind: 'admin', name: who.adminName.trim() || t(DEFAULT_LANG, 'service.tokens.default-admin'), ...common };
  writeTokenFile(file, { tokens: [...current.tokens, entry] });
  return { token, entry };
}

/** Removes the tokens whose id is `id`; returns how many were removed. */
export function revokeToken(file: string, id: string): number {
  const current = readTokenFile(file);
  const kept = current.tokens.filter((t) => t.id !== id);
  if (kept.length !== current.tokens.length) writeTokenFile(file, { tokens: kept });
  return current.tokens.length - kept.length;
}

/** The caller a presented token belongs to. Every stored hash is compared, so timing says nothing about which matched. */
export function matchToken(tokens: readonly TokenEntry[], presented: string): Caller | undefined {
  const presentedHash = Buffer.from(hashToken(presented), 'hex');
  let found: TokenEntry | undefined;
  for (const entry of tokens) {
    const stored = Buffer.from(entry.sha256, 'hex');
    if (stored.length === presentedHash.length && timingSafeEqual(stored, presentedHash) && !found) found = entry;
  }
  if (!found) return undefined;
  return found.kind === 'district'
    ? { kind: 'district', district: found.district, tokenId: found.id }
    : { kind: 'admin', name: found.name, tokenId: found.id };
}

/**
 * The tokens file as the running service sees it: re-read whenever the file changes, so `token add`
 * and `token revoke` take effect without a restart. A file that cannot be read lets nobody in.
 */
export class TokenRegistry {
  private stamp = '';
  private tokens: readonly TokenEntry[] = [];

  constructor(
    readonly file: string,
    /** Told, in `lang`, when the file cannot be read (nobody gets in until it is fixed). */
    private readonly onProblem: (message: string) => void = () => undefined,
    private readonly lang: Lang = DEFAULT_LANG,
  ) {
    this.refresh();
  }

  /** How many tokens are in force. */
  get size(): number {
    this.refresh();
    return this.tokens.length;
  }

  lookup(presented: string): Caller | undefined {
    this.refresh();
    return matchToken(this.tokens, presented);
  }

  /** Whether group and others can read or write the file (a warning at start). */
  isExposed(): boolean {
    try {
      return (fs.statSync(this.file).mode & 0o077) !== 0;
    } catch {
      return false;
    }
  }

  private refresh(): void {
    let stamp: string;
    try {
      const stat = fs.statSync(this.file);
      stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch {
      stamp = 'absent';
    }
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    try {
      this.tokens = readTokenFile(this.file).tokens;
    } catch (err) {
      this.tokens = [];
      const problem = err instanceof MessageError ? err.ref : (err as Error).message;
      this.onProblem(render(this.lang, msg('service.tokens.all-invalid', { problem })));
    }
  }
}
