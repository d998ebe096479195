// `minsheng serve`: the HTTP(S) service the Excel add-in talks to (pipeline/server, docs/service.md).
// Holds the database open for writing while it runs (DuckDB: one writing process), so stop it before
// running `minsheng load` or the analysts' commands on the same file. Also registers `minsheng token`.
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { openStore } from '../../db/store';
import { resolveDbPath } from '../../parameters';
import { DEFAULT_ALLOWED_ORIGIN } from '../../server/cors';
import { formatByteSize, parseByteSize } from '../../server/http';
import { fileLogger, streamLogger, type RequestLogger } from '../../server/requestLog';
import { DEFAULT_HOST, DEFAULT_PORT, startService, type RunningService } from '../../server/service';
import { TokenRegistry } from '../../server/tokens';
import type { CliContext } from '../context';
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
}

export interface ServeHooks {
  /** Resolves when the service should stop (default: SIGINT or SIGTERM). */
  until?: (service: RunningService) => Promise<void>;
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), ...value.split(',').map((v) => v.trim()).filter(Boolean)];

export function registerServeCommand(program: Command, ctx: CliContext, hooks: ServeHooks = {}): void {
  program
    .command('serve')
    .description('啟動供 Excel 加載項使用的 HTTP(S) 服務：報送進度、查詢排名和滯後、取得圖表')
    .requiredOption('--tokens <file>', '令牌文件（用 minsheng token add 建立）')
    .option('--port <n>', '端口', String(DEFAULT_PORT))
    .option('--host <address>', '監聽地址（對外服務請配合 --cert/--key 使用 HTTPS）', DEFAULT_HOST)
    .addOption(dbOption())
    .option('--cert <file>', 'HTTPS 證書（PEM）')
    .option('--key <file>', 'HTTPS 私鑰（PEM）')
    .option('--allow-origin <url>', `允許調用本服務的加載項網址，可重複或用逗號分隔（默認 ${DEFAULT_ALLOWED_ORIGIN}）`, collect)
    .option('--max-body <size>', '上傳文件大小上限', '10mb')
    .option('--log <file>', '請求日誌文件（每行一個 JSON；默認寫到標準錯誤）')
    .action(async (opts: ServeOptions) => serve(opts, ctx, hooks));
  registerTokenCommand(program, ctx);
}

function readPem(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new Error(`無法讀取${what}「${file}」：${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

async function serve(opts: ServeOptions, ctx: CliContext, hooks: ServeHooks): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`端口「${opts.port}」不對，應為 0 到 65535 的整數`);
  const maxBodyBytes = parseByteSize(opts.maxBody);
  if (Boolean(opts.cert) !== Boolean(opts.key)) throw new Error('--cert 和 --key 須同時提供');
  const tls = opts.cert && opts.key ? { cert: readPem(opts.cert, '證書'), key: readPem(opts.key, '私鑰') } : undefined;
  if (!fs.existsSync(opts.tokens)) throw new Error(`令牌文件「${opts.tokens}」不存在；請先用 minsheng token add --district <區縣> --tokens ${opts.tokens} 建立`);
  const tokens = new TokenRegistry(opts.tokens, (message) => ctx.err(`令牌文件有誤：${message}`));
  if (tokens.size === 0) ctx.err(`注意：令牌文件「${opts.tokens}」中沒有令牌，除 /api/health 外所有請求都會被拒絕。`);
  if (process.platform !== 'win32' && tokens.isExposed()) ctx.err(`注意：令牌文件「${opts.tokens}」可被其他用戶讀寫，建議 chmod 600。`);
  if (!tls && !isLoopback(opts.host)) ctx.err(`注意：在 ${opts.host} 上以 HTTP 提供服務，令牌和文件將以明文傳輸；對外服務請用 --cert/--key 啟用 HTTPS。`);

  const logFile = opts.log ? fileLogger(opts.log) : undefined;
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
    });
    ctx.out(
      `民生實事服務已啟動：${service.url}（數據庫 ${store.path}；允許來源 ${(opts.allowOrigin ?? [DEFAULT_ALLOWED_ORIGIN]).join('、')}；` +
        `上傳上限 ${formatByteSize(maxBodyBytes)}）。按 Ctrl+C 停止。`,
    );
    await (hooks.until ?? untilSignal)(service);
    ctx.out('正在停止服務…');
  } finally {
    await service?.close();
    store.close();
    await logFile?.close();
  }
  ctx.out('服務已停止。');
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
