// `minsheng template`: writes a district's 進度報送表 (docs/design.md, "Progress submissions") from the loaded
// plan, ready to send out. Every sentence, and the template itself, comes from the catalogue in the
// reader's language (ctx.lang, refined by the plan's script).
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { shownDistrict } from '../../../core/districtNames';
import { DISTRICTS } from '../../../core/districts';
import { render, t } from '../../../core/messages';
import { MessageError } from '../../../core/messages/messageError';
import type { Plan } from '../../../core/model';
import { simplify } from '../../../core/text';
import { templateRequest, type TemplateRequest } from '../../../core/templateLayout';
import { checkOutputFile } from '../../output/outputGuard';
import { resolveDbPath } from '../../parameters';
import { writeTemplate } from '../../template';
import { dbOption } from '../options';
import type { CliContext } from '../context';
import { helpTranslator, readerLang } from '../lang';

/** A district's name as the help shows it may be written: traditional, simplified and short (上城區、上城区、上城). */
function districtExample(): { traditional: string; simplified: string; short: string } {
  const first = DISTRICTS.find((d) => d.order === 1) ?? DISTRICTS[0];
  return { traditional: first.name, simplified: simplify(first.name), short: first.aliases[0] ?? first.name };
}

interface TemplateOptions {
  district: string;
  asOf: string;
  output: string;
  db?: string;
  force?: boolean;
}

export function registerTemplateCommand(program: Command, ctx: Pick<CliContext, 'lang'>, loadPlan: (dbPath?: string) => Promise<Plan>): Command {
  const help = helpTranslator();
  return program
    .command('template')
    .description(help('template.help'))
    .requiredOption('--district <name>', help('template.opt.district', districtExample()))
    .requiredOption('--as-of <date>', help('template.opt.as-of'))
    .requiredOption('-o, --output <file>', help('template.opt.output'))
    .addOption(dbOption())
    .option('--force', help('template.opt.force'))
    .action(async (opts: TemplateOptions, cmd: Command) => {
      const fail: (message: string) => never = (message) => cmd.error(message, { exitCode: 2, code: 'minsheng.template' });
      const output = resolve(opts.output);
      const before = readerLang(ctx);
      if (extname(output).toLowerCase() !== '.xlsx') fail(t(before, 'template.output.not-xlsx', { file: opts.output }));
      if (!existsSync(dirname(output)) || !statSync(dirname(output)).isDirectory()) fail(t(before, 'template.output.no-folder', { folder: dirname(opts.output) }));
      checkOutputFile(output, { db: resolveDbPath(opts.db), force: opts.force });

      let plan: Plan;
      try {
        plan = await loadPlan(opts.db);
      } catch (err) {
        return fail(t(before, 'template.plan.unreadable', { reason: err instanceof Error ? err.message : String(err) }));
      }
      const lang = readerLang(ctx, [plan]);
      // The district, the date and that there is something to report: checked once, by the template itself.
      let request: TemplateRequest;
      try {
        request = templateRequest(plan, opts.district, opts.asOf);
      } catch (err) {
        if (err instanceof MessageError) return fail(render(lang, err.ref));
        throw err;
      }
      const { district, asOf: date } = request;
      const count = request.metrics.length;

      // Written next to the target and renamed into place, so a failure never leaves half a file.
      const partial = resolve(dirname(output), `.${basename(output)}.${process.pid}.partial`);
      try {
        await writeTemplate(plan, district, date, partial, { lang });
        renameSync(partial, output);
      } catch (err) {
        rmSync(partial, { force: true });
        return fail(t(lang, 'template.write.failed', { file: opts.output, reason: err instanceof Error ? err.message : String(err) }));
      }
      say(cmd, t(lang, 'template.written', { district: shownDistrict(plan.districtNames, district), date, file: opts.output, count }));
    });
}

/** Prints through the program's configured output (the CLI routes it to its context; tests capture it). */
function say(cmd: Command, text: string): void {
  let root = cmd;
  while (root.parent) root = root.parent;
  const write = root.configureOutput().writeOut ?? ((s: string) => process.stdout.write(s));
  write(`${text}\n`);
}
