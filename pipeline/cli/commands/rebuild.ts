// `minsheng rebuild`: a new database from the plan workbooks and the folder of received files, for when
// the database file is damaged (pipeline/archive/rebuild.ts; docs/design.md, "The folder of received files").
import type { Command } from 'commander';
import { msg, render, t } from '../../../core/messages';
import { MessageError } from '../../../core/messages/messageError';
import { rebuildDatabase } from '../../archive/rebuild';
import { resolveDbPath } from '../../parameters';
import type { CliContext } from '../context';
import { helpTranslator, readerLang } from '../lang';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

export function registerRebuildCommand(program: Command, ctx: CliContext): void {
  const help = helpTranslator();
  program
    .command('rebuild')
    .description(help('rebuild.help'))
    .option('--db <path>', help('rebuild.db.help'))
    .option('--plan <file>', help('rebuild.plan.help'), collect)
    .option('--from <dir>', help('rebuild.from.help'), collect)
    .option('--force', help('rebuild.force.help'))
    .action(async (opts: { db?: string; plan?: string[]; from?: string[]; force?: boolean }) => {
      // The new database is named on purpose: $MINSHENG_DB and ./minsheng.duckdb are the damaged one's names.
      if (!opts.db?.trim()) throw new MessageError(msg('rebuild.no-db'));
      if (!opts.from?.length) throw new MessageError(msg('rebuild.no-from'));
      const lang = readerLang(ctx);
      const summary = await rebuildDatabase({
        db: resolveDbPath(opts.db),
        plans: opts.plan,
        from: opts.from,
        force: opts.force,
        onFile: ctx.isTTY ? (done, total, file) => ctx.err(t(lang, 'rebuild.progress', { done, total, file })) : undefined,
      });
      for (const note of summary.notes) ctx.err(render(lang, note));
      const { notes, ...counts } = summary;
      ctx.out(t(lang, 'rebuild.summary', counts));
      ctx.out(t(lang, 'rebuild.lost'));
      if (notes.length > 0) ctx.setExitCode(1);
    });
}
