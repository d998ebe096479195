// The CLI's language (docs/design.md, "Messages and languages"): --lang, then MINSHENG_LANG, then the
// locale variables in POSIX order, then (for commands that have a plan at hand) the plan's own script.
import { translator, type Translate } from '../../core/messages';
import { chooseLang, DEFAULT_LANG, langOfText, planText, type Lang, type LangChoice } from '../../core/messages/lang';
import type { CliContext } from './context';

/** The choice from the command line and the environment alone; `invalid` names a value that is no language. */
export function cliLangChoice(option: string | undefined, env: NodeJS.ProcessEnv = process.env): LangChoice | { invalid: string } {
  return chooseLang({ option, env: env.MINSHENG_LANG, locales: [env.LC_ALL, env.LC_MESSAGES, env.LANG] });
}

/** The language once a plan is known: the plan's script counts only when nothing else chose. */
export function withPlanScript(choice: LangChoice, planText: string | undefined): Lang {
  if (choice.source !== 'default' || !planText) return choice.lang;
  return langOfText(planText) ?? choice.lang;
}

/** Help is written before --lang is parsed: it follows MINSHENG_LANG and the locale. */
export function helpTranslator(): Translate {
  return translator(environmentLang());
}

/** The language MINSHENG_LANG and the locale choose (the default when they name none, or none valid). */
export function environmentLang(): Lang {
  const choice = cliLangChoice(undefined);
  return 'invalid' in choice ? DEFAULT_LANG : choice.lang;
}

/**
 * The language a command shows its results in: ctx.lang (or, for a command run outside the program,
 * the environment's choice), refined by the script of the plans at hand when nothing chose.
 */
export function readerLang(ctx: Pick<CliContext, 'lang'>, plans: readonly ({ projects: readonly { name: string }[] } | undefined)[] = []): Lang {
  const fromEnv = cliLangChoice(undefined);
  const choice = ctx.lang ?? ('invalid' in fromEnv ? { lang: DEFAULT_LANG, source: 'default' as const } : fromEnv);
  return withPlanScript(choice, plans.map((p) => (p ? planText(p) : '')).join(''));
}

/** The reader's translator for a command without a plan at hand: ctx.lang, or (run outside the program) the environment's. */
export function sayFor(ctx: Pick<CliContext, 'lang'>): Translate {
  return translator(ctx.lang?.lang ?? environmentLang());
}
