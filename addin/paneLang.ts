/// <reference types="office-js" />
// The pane's language (docs/design.md, "Messages and languages"): the clerk's choice in 設定 if any,
// else Office's display language (zh-CN, zh-SG → simplified; zh-TW, zh-HK, zh-MO → traditional), else
// simplified. Everything the add-in says — the page, the workflows' progress and results, the notes on
// cells, the service client's errors — is rendered in it through `say`. One pane shows one language at
// a time, so the choice is kept here rather than passed through every Excel call.
import { chooseLang, DEFAULT_LANG, type Lang, type LangSource } from '../core/messages/lang';
import { t, type MessageId, type ParamArgs } from '../core/messages';
import { simplify } from '../core/text';

let current: Lang = DEFAULT_LANG;

export function paneLang(): Lang {
  return current;
}

export function setPaneLang(lang: Lang): void {
  current = lang;
}

/** Renders a catalogue message in the pane's language. */
export function say<K extends MessageId>(id: K, ...params: ParamArgs<K>): string {
  return t(current, id, ...params);
}

/**
 * A name from the district registry (written in traditional script) as the pane lists it: in the pane's
 * script (上城區 / 上城区). Only for the pane's own lists; names read from a workbook keep their script.
 */
export function nameInPaneScript(name: string): string {
  return current === 'zh-CN' ? simplify(name) : name;
}

/** Office.context.displayLanguage ("zh-CN", "zh-TW", "en-US"), or undefined outside Office. */
export function officeDisplayLanguage(): string | undefined {
  try {
    return typeof Office !== 'undefined' ? Office.context?.displayLanguage || undefined : undefined;
  } catch {
    return undefined;
  }
}

/** The language for a 設定 value ('' follows Office) and Office's display language. */
export function choosePaneLang(setting: string, displayLanguage: string | undefined): { lang: Lang; source: LangSource } {
  const choice = chooseLang({ option: setting || undefined, locales: [displayLanguage] });
  // A setting that is not a language (storage edited by hand) is ignored: Office decides.
  return 'invalid' in choice ? choosePaneLang('', displayLanguage) : choice;
}
