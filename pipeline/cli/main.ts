// The `minsheng` command line: one program, commands registered by their own modules.
import { Command, CommanderError } from 'commander';
import type { ServeHooks } from './commands/serve';
import type { CliContext } from './context';
import { cliLangChoice, environmentLang, helpTranslator } from './lang';
import { render, t, type Translate } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';
import { mark } from '../phaseTimes';

/** `hooks.serve` lets a caller stop `serve` on its own signal (tests run the whole CLI in-process). */
export function buildProgram(ctx: CliContext, hooks: { serve?: ServeHooks } = {}, only?: string): Command {
  const help = helpTranslator();
  const program = new LocalisedCommand(help);
  program
    .name('minsheng')
    .description(help('cli.help'))
    .option('--lang <lang>', help('cli.lang.help'))
    // Set before the commands are added, so that each inherits them: --help is in the reader's language too.
    .configureHelp({ styleTitle: (title) => (title in HELP_TITLES ? help(HELP_TITLES[title]) : title) })
    .helpOption('-h, --help', help('cli.help.option'))
    .helpCommand('help [command]', help('cli.help.option'))
    .exitOverride()
    .configureOutput({ writeOut: (s) => ctx.out(s.trimEnd()), writeErr: (s) => ctx.err(s.trimEnd()) });
  // The language is decided once per run, before the command's action, from --lang and the environment.
  program.hook('preAction', (_program, action) => {
    const choice = cliLangChoice(action.optsWithGlobals().lang as string | undefined);
    if ('invalid' in choice) throw new Error(t(environmentLang(), 'lang.invalid', { value: choice.invalid }));
    ctx.lang = choice;
  });
  const wanted = only === undefined ? undefined : COMMAND_MODULES.find((m) => m.commands.includes(only));
  for (const module of wanted ? [wanted] : COMMAND_MODULES) module.register(program, ctx, hooks);
  return program;
}

/** Commander's headings in a command's --help, by the catalogue message that replaces each. */
const HELP_TITLES: Record<string, 'cli.help.usage' | 'cli.help.arguments' | 'cli.help.options' | 'cli.help.global-options' | 'cli.help.commands'> = {
  'Usage:': 'cli.help.usage',
  'Arguments:': 'cli.help.arguments',
  'Options:': 'cli.help.options',
  'Global Options:': 'cli.help.global-options',
  'Commands:': 'cli.help.commands',
};

/**
 * A command whose refusals of the command line (an unknown command or option, a missing argument) are
 * catalogue messages; commander writes them in English otherwise. They come before --lang is read, so
 * they follow MINSHENG_LANG and the locale, as help does. Subcommands are made by the same class.
 */
class LocalisedCommand extends Command {
  constructor(
    private readonly say: Translate,
    name?: string,
  ) {
    super(name);
  }

  override createCommand(name?: string): Command {
    return new LocalisedCommand(this.say, name);
  }

  override error(message: string, errorOptions?: { code?: string; exitCode?: number }): never {
    return super.error(commanderMessage(this.say, message, errorOptions?.code), errorOptions);
  }
}

/** Commander's English refusal in the reader's language; what it names (a command, a flag) is the first quoted word. */
function commanderMessage(say: Translate, message: string, code: string | undefined): string {
  const name = /'([^']*)'/.exec(message)?.[1] ?? '';
  const similar = /Did you mean (\S+?)\?/.exec(message)?.[1];
  const suggestion = similar ? say('cli.error.suggestion', { name: similar }) : '';
  switch (code) {
    case 'commander.unknownCommand':
      return say('cli.error.unknown-command', { name, suggestion });
    case 'commander.unknownOption':
      return say('cli.error.unknown-option', { name, suggestion });
    case 'commander.missingArgument':
      return say('cli.error.missing-argument', { name });
    case 'commander.optionMissingArgument':
      return say('cli.error.option-missing-argument', { name });
    case 'commander.missingMandatoryOptionValue':
      return say('cli.error.missing-option', { name });
    case 'commander.excessArguments': {
      const [expected = '', got = ''] = /Expected (\d+) argument.*got (\d+)/.exec(message)?.slice(1) ?? [];
      return say('cli.error.excess-arguments', { expected, got });
    }
    default:
      return message;
  }
}

type Register = (program: Command, ctx: CliContext, hooks: { serve?: ServeHooks }) => void;

/* eslint-disable @typescript-eslint/no-require-imports -- each command's module is loaded only when it runs */
/**
 * The commands, by the module that registers them, in help order. A run loads only the module of the
 * command it runs: the libraries behind the others (ExcelJS, vega, Arrow, docx) take longer to load
 * than a `minsheng load` of a few files takes to run.
 */
const COMMAND_MODULES: { commands: string[]; register: Register }[] = [
  { commands: ['validate', 'normalise'], register: (p, c) => (require('./commands/planFiles') as typeof import('./commands/planFiles')).registerPlanFileCommands(p, c) },
  { commands: ['plan', 'load'], register: (p, c) => (require('./commands/load') as typeof import('./commands/load')).registerLoadCommands(p, c) },
  {
    commands: ['template'],
    register: (p, c) => {
      const { readStoredPlan } = require('../db/plan') as typeof import('../db/plan');
      const { resolveDbPath } = require('../parameters') as typeof import('../parameters');
      (require('./commands/template') as typeof import('./commands/template')).registerTemplateCommand(p, c, (dbOption) => readStoredPlan(resolveDbPath(dbOption)));
    },
  },
  { commands: ['rank', 'lag', 'forecast', 'history', 'sql', 'export'], register: (p, c) => (require('./commands/analysis') as typeof import('./commands/analysis')).registerAnalysisCommands(p, c) },
  { commands: ['report', 'annotate'], register: (p, c) => (require('./commands/report') as typeof import('./commands/report')).registerReportCommands(p, c) },
  { commands: ['assess'], register: (p, c) => (require('./commands/assess') as typeof import('./commands/assess')).registerAssessCommands(p, c) },
  { commands: ['serve', 'token'], register: (p, c, h) => (require('./commands/serve') as typeof import('./commands/serve')).registerServeCommand(p, c, h.serve) },
  { commands: ['supervise'], register: (p, c) => (require('./commands/supervise') as typeof import('./commands/supervise')).registerSuperviseCommands(p, c) },
  { commands: ['bulletin'], register: (p, c) => (require('./commands/bulletin') as typeof import('./commands/bulletin')).registerBulletinCommand(p, c) },
  { commands: ['rebuild'], register: (p, c) => (require('./commands/rebuild') as typeof import('./commands/rebuild')).registerRebuildCommand(p, c) },
  { commands: ['sites'], register: (p, c) => (require('./commands/sites') as typeof import('./commands/sites')).registerSitesCommands(p, c) },
];
/* eslint-enable @typescript-eslint/no-require-imports */

/** The command a command line runs (its first word that is not a global option), if any. */
export function commandOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--lang') i++;
    else if (!args[i].startsWith('-')) return args[i];
  }
  return undefined;
}

/** Runs the CLI; resolves to the exit code. Errors meant for users never show a stack trace. */
export async function main(argv: string[], ctx: CliContext = processContext(), hooks: { serve?: ServeHooks } = {}): Promise<number> {
  mark('cli.main');
  let code = 0;
  const context: CliContext = { ...ctx, setExitCode: (c) => (code = Math.max(code, c)) };
  try {
    await buildProgram(context, hooks, commandOf(argv.slice(2))).parseAsync(argv);
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
