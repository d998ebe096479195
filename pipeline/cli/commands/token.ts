// `minsheng token add | list | revoke`: the service's access tokens. A token is printed once, when it
// is made; the tokens file keeps only its SHA-256 (pipeline/server/tokens.ts).
import type { Command } from 'commander';
import { addToken, readTokenFile, revokeToken } from '../../server/tokens';
import type { CliContext } from '../context';

interface AddOptions {
  tokens: string;
  district?: string;
  admin?: boolean;
  name?: string;
  json?: boolean;
}

export function registerTokenCommand(program: Command, ctx: CliContext): void {
  const token = program.command('token').description('管理 minsheng serve 的訪問令牌（令牌文件只保存令牌的 SHA-256）');

  token
    .command('add')
    .description('建立一個令牌並顯示一次：區縣令牌只能報送本區縣的進度，管理令牌（--admin）可報送任何區縣')
    .requiredOption('--tokens <file>', '令牌文件（JSON，不存在則建立，權限 0600）')
    .option('--district <name>', '令牌所屬區縣，如 上城區')
    .option('--admin', '督查室的管理令牌')
    .option('--name <name>', '管理令牌的持有者', '督查室')
    .option('--json', '輸出 JSON')
    .action((opts: AddOptions) => {
      if (Boolean(opts.admin) === Boolean(opts.district)) throw new Error('請指定 --district <區縣> 或 --admin（二選一）');
      const added = addToken(opts.tokens, opts.admin ? { adminName: opts.name ?? '督查室' } : { district: opts.district! });
      const what = added.entry.kind === 'district' ? `為${added.entry.district}建立令牌` : `為${added.entry.name}建立管理令牌`;
      if (opts.json) {
        ctx.out(JSON.stringify({ ...added.entry, sha256: undefined, token: added.token }, null, 2));
        return;
      }
      ctx.err(`已${what}，編號 ${added.entry.id}。令牌只顯示這一次，文件中只保存其 SHA-256；請通過安全渠道交給使用者：`);
      ctx.out(added.token);
    });

  token
    .command('list')
    .description('列出令牌（編號、所屬、建立時間；令牌本身無法再顯示）')
    .requiredOption('--tokens <file>', '令牌文件')
    .option('--json', '輸出 JSON')
    .action((opts: { tokens: string; json?: boolean }) => {
      const { tokens } = readTokenFile(opts.tokens);
      if (opts.json) {
        ctx.out(JSON.stringify(tokens.map(({ sha256: _hash, ...rest }) => rest), null, 2));
        return;
      }
      if (tokens.length === 0) {
        ctx.out('沒有令牌。用 minsheng token add --district <區縣> --tokens <文件> 建立。');
        return;
      }
      for (const t of tokens) ctx.out(`${t.id}  ${t.kind === 'district' ? t.district : `[管理] ${t.name}`}  ${t.created}`);
    });

  token
    .command('revoke')
    .description('撤銷令牌（運行中的服務立即生效）')
    .argument('<id>', '令牌編號（token list 顯示的 8 位）')
    .requiredOption('--tokens <file>', '令牌文件')
    .action((id: string, opts: { tokens: string }) => {
      const removed = revokeToken(opts.tokens, id.trim());
      if (removed === 0) throw new Error(`令牌文件中沒有編號為「${id}」的令牌`);
      ctx.out(`已撤銷令牌 ${id}。`);
    });
}
