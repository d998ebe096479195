// `minsheng serve`: the HTTP(S) service the Excel add-in talks to (pipeline/server, docs/service.md).
// Holds the database open for writing while it runs (DuckDB: one writing process), so stop it before
// running `minsheng load` or the analysts' commands on the same file. Also registers `minsheng token`.
// Every sentence comes from the COMMANDS catalogue area in the reader's language (ctx.lang).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { Translate } from '../../../core/messages';
import { defaultReceivedDir, ReceivedFiles } from '../../archive/receivedFiles';
import { openStore } from '../../db/store';
import { resolveDbPath } from '../../parameters';
import { DEFAULT_ALLOWED_ORIGIN } from '../../server/cors';
import { formatByteSize, parseByteSize } from '../../server/http';
import { fileLogger, streamLogger, type RequestLogger } from '../../server/requestLog';
import { DEFAULT_HOST, DEFAULT_PORT, startService, type RunningService } from '../../server/service';
import { TokenRegistry } from '../../server/tokens';
import type { CliContext } from '../context';
import { helpTranslator, readerLang, sayFor } from '../lang';
import { dbOption } from '../options';
import { registerTokenCommand } from './token';

export interface ServeOptions {
  port: string;
  host: string;
  db?: string;
  tokens: string;
  cert?: string;
  key?: string;
  allowOrigin: string[];
  maxBody: string;
  log?: string;
  received?: string;
}

export interface ServeHooks {
  /** Resolves when the service should stop (default: SIGINT or SIGTERM). */
  until?: (service: RunningService) => Promise<void>;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter(Boolean)];

export function registerServeCommand(program: Command, ctx: CliContext, hooks: ServeHooks = {}): void {
  const help = helpTranslator();
  program
    .command('serve')
    .description(help('serve.help'))
    .requiredOption('--tokens <file>', help('serve.opt.tokens'))
    .option('--port <n>', help('serve.opt.port'), String(DEFAULT_PORT))
    .option('--host <address>', help('serve.opt.host'), DEFAULT_HOST)
    .addOption(dbOption())
    .option('--cert <file>', help('serve.opt.cert'))
    .option('--key <file>', help('serve.opt.key'))
    .option('--allow-origin <url>', help('serve.opt.allow-origin', { origin: DEFAULT_ALLOWED_ORIGIN }), collect)
    .option('--max-body <size>', help('serve.opt.max-body'), '10mb')
    .option('--log <file>', help('serve.opt.log'))
    .option('--received <dir>', help('received.help'))
    .action(async (opts: ServeOptions) => serve(opts, ctx, hooks));
  registerTokenCommand(program, ctx);
}

function readPem(file: string, what: 'serve.pem.cert' | 'serve.pem.key', say: Translate): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(say('serve.pem.unreadable', { what: say(what), file, reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message }));
  }
}

async function serve(opts: ServeOptions, ctx: CliContext, hooks: ServeHooks): Promise<void> {
  const say = sayFor(ctx);
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(say('serve.port.invalid', { value: opts.port }));
  const maxBodyBytes = parseByteSize(opts.maxBody);
  if (Boolean(opts.cert) !== Boolean(opts.key)) throw new Error(say('serve.cert-and-key'));
  const tls = opts.cert && opts.key ? { cert: readPem(opts.cert, 'serve.pem.cert', say), key: readPem(opts.key, 'serve.pem.key', say) } : undefined;
  if (!fs.existsSync(opts.tokens)) throw new Error(say('serve.tokens.missing', { file: opts.tokens }));
  const lang = readerLang(ctx);
  const tokens = new TokenRegistry(opts.tokens, (message) => ctx.err(say('serve.tokens.invalid', { text: message })), lang);
  if (tokens.size === 0) ctx.err(say('serve.tokens.empty', { file: opts.tokens }));
  if (process.platform !== 'win32' && tokens.isExposed()) ctx.err(say('serve.tokens.exposed', { file: opts.tokens }));
  if (!tls && !isLoopback(opts.host)) ctx.err(say('serve.plain-http', { host: opts.host }));

  const logFile = opts.log ? fileLogger(opts.log, lang) : undefined;
  const log: RequestLogger = logFile?.log ?? streamLogger(process.stderr);
  const store = await openStore(resolveDbPath(opts.db));
  let service: RunningService | undefined;
  try {
    service = await startService({
      store,
      tokens,
      host: opts.host,
      port,
      tls,
      allowOrigins: opts.allowOrigin ?? [DEFAULT_ALLOWED_ORIGIN],
      maxBodyBytes,
      log,
      lang: ctx.lang,
      received: new ReceivedFiles(opts.received ? path.resolve(opts.received) : defaultReceivedDir(store.path)),
    });
    const origins = (opts.allowOrigin ?? [DEFAULT_ALLOWED_ORIGIN]).join('、');
    ctx.out(say('serve.started', { url: service.url, db: store.path, origins, maxBody: formatByteSize(maxBodyBytes, lang) }));
    await (hooks.until ?? untilSignal)(service);
    ctx.out(say('serve.stopping'));
  } finally {
    await service?.close();
    store.close();
    await logFile?.close();
  }
  ctx.out(say('serve.stopped'));
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
