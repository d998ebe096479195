// Which script a person reads (docs/design.md, "Messages and languages"): an explicit choice first
// (--lang, MINSHENG_LANG, the add-in's 設置), then the locale (LANG / LC_ALL / LC_MESSAGES, Office's
// display language, Accept-Language), then the script of the plan workbook itself.
import { z } from 'zod';
import { simplify } from '../text';

export const LANGS = ['zh-CN', 'zh-TW'] as const;
export const Lang = z.enum(LANGS);
export type Lang = z.infer<typeof Lang>;

/** The language when nothing says otherwise: Hangzhou's own staff read simplified Chinese. */
export const DEFAULT_LANG: Lang = 'zh-CN';

/**
 * A locale or language tag as systems spell it ("zh_CN.UTF-8", "zh-Hant-TW", "zh-hk", "zh-Hans") →
 * our language, or undefined when it names no Chinese script (en_US, C, POSIX).
 */
export function langFromLocale(locale: string | undefined | null): Lang | undefined {
  if (!locale) return undefined;
  const tag = locale.trim().split(/[.@]/)[0].replace(/_/g, '-').toLowerCase();
  if (!/^zh(-|$)/.test(tag)) return undefined;
  const parts = tag.split('-').slice(1);
  if (parts.includes('hant') || parts.some((p) => p === 'tw' || p === 'hk' || p === 'mo')) return 'zh-TW';
  return 'zh-CN';
}

/**
 * An HTTP Accept-Language header ("zh-TW,zh;q=0.9,en;q=0.8") → the language of its most preferred tag
 * that names a Chinese script; undefined when none does. Tags refused with q=0 do not count.
 */
export function langFromAcceptLanguage(header: string | undefined | null): Lang | undefined {
  if (!header) return undefined;
  const tags = header
    .split(',')
    .map((part, index) => {
      const [tag, ...rest] = part.trim().split(';');
      const q = rest.map((p) => /^\s*q\s*=\s*([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((t) => t.tag !== '' && t.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of tags) {
    const lang = langFromLocale(tag);
    if (lang) return lang;
  }
  return undefined;
}

/** The text whose script is the plan's own: its project names, as the plan writes them. */
export function planText(plan: { projects: readonly { name: string }[] }): string {
  return plan.projects.map((p) => p.name).join('');
}

/**
 * Our own words (canonical names, standard headers) put into the script `text` is written in: simplified
 * for a simplified text, as they are otherwise. What normalise writes and the districts a plan does not
 * name both follow the plan's text this way.
 */
export function intoScriptOf(text: string): (words: string) => string {
  return langOfText(text) === 'zh-CN' ? simplify : (words) => words;
}

/** An explicit choice as typed (--lang, MINSHENG_LANG, 設置): exactly our codes or a locale that names a script. */
export function parseLangChoice(text: string): Lang | undefined {
  const parsed = Lang.safeParse(text.trim());
  return parsed.success ? parsed.data : langFromLocale(text);
}

/**
 * The script a text is written in, by the evidence of its distinct characters: those that simplification
 * changes ("區", "個") say traditional; those that are simplified forms of other characters ("区", "个")
 * say simplified. Undefined when neither kind occurs ("100人次" says nothing).
 */
export function langOfText(text: string): Lang | undefined {
  let traditional = 0;
  let simplified = 0;
  const forms = simplifiedForms();
  for (const ch of new Set(text)) {
    if (simplify(ch) !== ch) traditional++;
    else if (forms.has(ch)) simplified++;
  }
  if (traditional === 0 && simplified === 0) return undefined;
  return traditional > simplified ? 'zh-TW' : 'zh-CN';
}

let simplifiedFormSet: Set<string> | undefined;

/** Every character that simplification produces from a different one (区 from 區), built once on demand. */
function simplifiedForms(): Set<string> {
  if (simplifiedFormSet) return simplifiedFormSet;
  const forms = new Set<string>();
  for (let code = 0x4e00; code <= 0x9fff; code++) {
    const ch = String.fromCharCode(code);
    const simple = simplify(ch);
    if (simple !== ch) for (const s of simple) forms.add(s);
  }
  simplifiedFormSet = forms;
  return forms;
}

/** How the language was chosen, for a line such as "語言：簡體（來自 LANG=zh_CN.UTF-8）". */
export type LangSource = 'option' | 'env' | 'locale' | 'plan' | 'default';

export interface LangChoice {
  lang: Lang;
  source: LangSource;
}

export interface LangInputs {
  /** --lang, or the add-in's own setting. */
  option?: string;
  /** MINSHENG_LANG. */
  env?: string;
  /** Locale strings in priority order: LC_ALL, LC_MESSAGES, LANG; or Office's display language. */
  locales?: readonly (string | undefined)[];
  /** Text from the plan (project names, districts), when one is at hand. */
  planText?: string;
}

/**
 * The language to show. An explicit option or MINSHENG_LANG that is not a language is an error for the
 * caller to report (returned as `invalid`), never silently ignored.
 */
export function chooseLang(inputs: LangInputs): LangChoice | { invalid: string } {
  if (inputs.option !== undefined && inputs.option !== '') {
    const lang = parseLangChoice(inputs.option);
    return lang ? { lang, source: 'option' } : { invalid: inputs.option };
  }
  if (inputs.env !== undefined && inputs.env !== '') {
    const lang = parseLangChoice(inputs.env);
    return lang ? { lang, source: 'env' } : { invalid: inputs.env };
  }
  // POSIX order: the first locale variable that is set decides, even when it names no Chinese script.
  const locale = inputs.locales?.find((l) => l !== undefined && l !== '');
  const fromLocale = langFromLocale(locale);
  if (fromLocale) return { lang: fromLocale, source: 'locale' };
  const fromPlan = inputs.planText ? langOfText(inputs.planText) : undefined;
  if (fromPlan) return { lang: fromPlan, source: 'plan' };
  return { lang: DEFAULT_LANG, source: 'default' };
}
