// `minsheng token add | list | revoke`: the service's access tokens. A token is printed once, when it
// is made; the tokens file keeps only its SHA-256 (pipeline/server/tokens.ts). Every sentence comes from
// the COMMANDS catalogue area in the reader's language (ctx.lang).
import type { Command } from 'commander';
import { shownDistrict, withDistrictShown } from '../../../core/districtNames';
import { storedDistrictNames } from '../../db/plan';
import { resolveDbPath } from '../../parameters';
import { addToken, readTokenFile, revokeToken } from '../../server/tokens';
import type { CliContext } from '../context';
import { helpTranslator, sayFor } from '../lang';
import { dbOption } from '../options';

interface AddOptions {
  tokens: string;
  district?: string;
  admin?: boolean;
  name?: string;
  json?: boolean;
  db?: string;
}

export function registerTokenCommand(program: Command, ctx: CliContext): void {
  const help = helpTranslator();
  const token = program.command('token').description(help('token.help'));

  token
    .command('add')
    .description(help('token.help.add'))
    .requiredOption('--tokens <file>', help('token.opt.tokens-new'))
    .option('--district <name>', help('token.opt.district'))
    .option('--admin', help('token.opt.admin'))
    .option('--name <name>', help('token.opt.name'))
    .option('--json', help('json.help'))
    // Only for showing districts as the database's plan writes them (core/districtNames.ts); the file keeps the canonical name.
    .addOption(dbOption())
    .action(async (opts: AddOptions) => {
      const say = sayFor(ctx);
      if (Boolean(opts.admin) === Boolean(opts.district)) throw new Error(say('token.district-or-admin'));
      const added = addToken(opts.tokens, opts.admin ? { adminName: opts.name ?? say('token.admin-name') } : { district: opts.district! });
      const names = await storedDistrictNames(resolveDbPath(opts.db));
      if (opts.json) {
        ctx.out(JSON.stringify({ ...withDistrictShown(added.entry, names), sha256: undefined, token: added.token }, null, 2));
        return;
      }
      const { entry } = added;
      ctx.err(entry.kind === 'district' ? say('token.added.district', { district: shownDistrict(names, entry.district), id: entry.id }) : say('token.added.admin', { name: entry.name, id: entry.id }));
      ctx.out(added.token);
    });

  token
    .command('list')
    .description(help('token.help.list'))
    .requiredOption('--tokens <file>', help('token.opt.tokens'))
    .option('--json', help('json.help'))
    .addOption(dbOption())
    .action(async (opts: { tokens: string; json?: boolean; db?: string }) => {
      const say = sayFor(ctx);
      const { tokens } = readTokenFile(opts.tokens);
      const names = await storedDistrictNames(resolveDbPath(opts.db));
      if (opts.json) {
        ctx.out(JSON.stringify(tokens.map(({ sha256: _hash, ...rest }) => withDistrictShown(rest, names)), null, 2));
        return;
      }
      if (tokens.length === 0) {
        ctx.out(say('token.none'));
        return;
      }
      for (const t of tokens) ctx.out(`${t.id}  ${t.kind === 'district' ? shownDistrict(names, t.district) : say('token.admin-mark', { name: t.name })}  ${t.created}`);
    });

  token
    .command('revoke')
    .description(help('token.help.revoke'))
    .argument('<id>', help('token.opt.id'))
    .requiredOption('--tokens <file>', help('token.opt.tokens'))
    .action((id: string, opts: { tokens: string }) => {
      const say = sayFor(ctx);
      const removed = revokeToken(opts.tokens, id.trim());
      if (removed === 0) throw new Error(say('token.unknown-id', { id }));
      ctx.out(say('token.revoked', { id }));
    });
}
