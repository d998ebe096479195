// The `minsheng` command line: one program, commands registered by their own modules.
import { Command, CommanderError } from 'commander';
import { readStoredPlan } from '../db/plan';
import { resolveDbPath } from '../parameters';
import { registerAnalysisCommands } from './commands/analysis';
import { registerBulletinCommand } from './commands/bulletin';
import { registerAssessCommands } from './commands/assess';
import { registerLoadCommands } from './commands/load';
import { registerPlanFileCommands } from './commands/planFiles';
import { registerReportCommands } from './commands/report';
import { registerServeCommand, type ServeHooks } from './commands/serve';
import { registerSitesCommands } from './commands/sites';
import { registerSuperviseCommands } from './commands/supervise';
import { registerTemplateCommand } from './commands/template';
import type { CliContext } from './context';
import { cliLangChoice, environmentLang, helpTranslator } from './lang';
import { render, t } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';

/** `hooks.serve` lets a caller stop `serve` on its own signal (tests run the whole CLI in-process). */
export function buildProgram(ctx: CliContext, hooks: { serve?: ServeHooks } = {}): Command {
  const program = new Command();
  const help = helpTranslator();
  program
    .name('minsheng')
    .description(help('cli.help'))
    .option('--lang <lang>', help('cli.lang.help'))
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()) });
  // The language is decided once per run, before the command's action, from --lang and the environment.
  program.hook('preAction', (_program, action) => {
    const choice = cliLangChoice(action.optsWithGlobals().lang as string | undefined);
    if ('invalid' in choice) throw new Error(t('zh-CN', 'lang.invalid', { value: choice.invalid }));
    ctx.lang = choice;
  });
  registerPlanFileCommands(program, ctx);
  registerLoadCommands(program, ctx);
  registerTemplateCommand(program, ctx, (dbOption) => readStoredPlan(resolveDbPath(dbOption)));
  registerAnalysisCommands(program, ctx);
  registerReportCommands(program, ctx);
  registerAssessCommands(program, ctx);
  registerServeCommand(program, ctx, hooks.serve);
  registerSuperviseCommands(program, ctx);
  registerBulletinCommand(program, ctx);
  registerSitesCommands(program, ctx);
  return program;
}

/** Runs the CLI; resolves to the exit code. Errors meant for users never show a stack trace. */
export async function main(argv: string[], ctx: CliContext = processContext(), hooks: { serve?: ServeHooks } = {}): Promise<number> {
  let code = 0;
  const context: CliContext = { ...ctx, setExitCode: (c) => (code = Math.max(code, c)) };
  try {
    await buildProgram(context, hooks).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const lang = context.lang?.lang ?? environmentLang();
    const text = err instanceof MessageError ? render(lang, err.ref) : err instanceof Error ? err.message : String(err);
    context.err(t(lang, 'cli.failed', { text }));
    if (process.env.MINSHENG_DEBUG && err instanceof Error) context.err(err.stack ?? '');
    return 2;
  }
  return code;
}

/**
 * A reader that stops early (`minsheng lag --json | head`) closes the pipe: the next write fails with
 * EPIPE, which is the reader's choice, not an error. Exit at once and quietly, as Unix tools do.
 */
export function exitQuietlyWhenReaderCloses(stream: NodeJS.WriteStream, exit: (code: number) => void = (code) => process.exit(code)): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') exit(0);
    else throw err;
  });
}

let pipesWatched = false;

/** What the installed `minsheng` runs (bin/minsheng.js): the exit code is set, and the process ends when its work has. */
export function runAsCommand(argv: string[] = process.argv): Promise<void> {
  return main(argv).then((code) => {
    process.exitCode = code;
  });
}

export function processContext(): CliContext {
  if (!pipesWatched) {
    pipesWatched = true;
    exitQuietlyWhenReaderCloses(process.stdout);
    exitQuietlyWhenReaderCloses(process.stderr);
  }
  return {
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    setExitCode: (c) => (process.exitCode = c),
    isTTY: Boolean(process.stdout.isTTY),
  };
}
