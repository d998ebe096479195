// The message catalogue (docs/design.md, "Messages and languages"): every sentence a person reads, by id,
// in one place, shown in the reader's script. Code refers to messages by id; `t` renders one now, `msg`
// keeps one to be rendered later (an issue found in core is rendered by whichever adapter shows it).
import { ADDIN } from './catalogue/addin';
import { ANALYSIS } from './catalogue/analysis';
import { ASSESSMENT } from './catalogue/assessment';
import { ASSESSMENT_ISSUE_CODES, ASSESSMENT_ISSUE_MESSAGES } from './catalogue/assessmentIssues';
import { BULLETIN } from './catalogue/bulletin';
import { CHARTS } from './catalogue/charts';
import { COMMANDS } from './catalogue/commands';
import { COMMON } from './catalogue/common';
import { DEMO } from './catalogue/demo';
import { EDIT } from './catalogue/edit';
import { ISSUE_CODES, ISSUE_MESSAGES } from './catalogue/issues';
import { LEAD_UNITS } from './catalogue/leadUnits';
import { MILESTONE } from './catalogue/milestone';
import { NORMALISE } from './catalogue/normalise';
import { PARAMETERS } from './catalogue/parameters';
import { QUANTITY } from './catalogue/quantity';
import { LOAD } from './catalogue/load';
import { RECEIVED } from './catalogue/received';
import { REPORT } from './catalogue/report';
import { SERVICE } from './catalogue/service';
import { STORE } from './catalogue/store';
import { SITE_ISSUE_CODES, SITES } from './catalogue/sites';
import { SQL } from './catalogue/sql';
import { OUTPUT } from './catalogue/output';
import { TEMPLATE } from './catalogue/template';
import { STATUS } from './catalogue/status';
import { SUPERVISION } from './catalogue/supervision';
import { TABLES } from './catalogue/tables';
import { WORKBOOK } from './catalogue/workbook';
import type { Lang } from './lang';
import { inScript } from './script';
import { fill, type MessageRef, type ParamValue, type Placeholders } from './template';

/** Every area's messages. An id may be defined in one area only (tests/messages.test.ts checks). */
export const MESSAGE_AREAS = {
  COMMON,
  ISSUE_MESSAGES,
  ADDIN,
  SUPERVISION,
  STATUS,
  BULLETIN,
  ASSESSMENT,
  ASSESSMENT_ISSUE_MESSAGES,
  SITES,
  PARAMETERS,
  LEAD_UNITS,
  SQL,
  TABLES,
  ANALYSIS,
  OUTPUT,
  CHARTS,
  REPORT,
  QUANTITY,
  MILESTONE,
  TEMPLATE,
  WORKBOOK,
  SERVICE,
  STORE,
  LOAD,
  COMMANDS,
  DEMO,
  NORMALISE,
  RECEIVED,
  EDIT,
} as const;

export const CATALOGUE = {
  ...COMMON,
  ...ISSUE_MESSAGES,
  ...ADDIN,
  ...SUPERVISION,
  ...STATUS,
  ...BULLETIN,
  ...ASSESSMENT,
  ...ASSESSMENT_ISSUE_MESSAGES,
  ...SITES,
  ...PARAMETERS,
  ...LEAD_UNITS,
  ...SQL,
  ...TABLES,
  ...ANALYSIS,
  ...OUTPUT,
  ...CHARTS,
  ...REPORT,
  ...QUANTITY,
  ...MILESTONE,
  ...TEMPLATE,
  ...WORKBOOK,
  ...SERVICE,
  ...STORE,
  ...LOAD,
  ...COMMANDS,
  ...DEMO,
  ...NORMALISE,
  ...RECEIVED,
  ...EDIT,
} as const;

/**
 * Every area's issue codes (code → severity, title, explanation): a code is defined in one area only
 * (tests/issue-catalogue.test.ts), and Issue.code is their closed union. A new area adds its `…_CODES`
 * here and its sentences to MESSAGE_AREAS.
 */
export const ISSUE_CODE_AREAS = { ISSUE_CODES, ASSESSMENT_ISSUE_CODES, SITE_ISSUE_CODES } as const;

export const ALL_ISSUE_CODES = { ...ISSUE_CODES, ...ASSESSMENT_ISSUE_CODES, ...SITE_ISSUE_CODES } as const;

export type Catalogue = typeof CATALOGUE;
export type MessageId = keyof Catalogue & string;

/** The ids of messages without placeholders: words and fixed sentences, renderable with `t(lang, id)` alone. */
export type PlainMessageId = { [K in MessageId]: [Placeholders<Catalogue[K]>] extends [never] ? K : never }[MessageId];

type ParamsOf<K extends MessageId> = { readonly [P in Placeholders<Catalogue[K]>]: ParamValue };

/** The parameter argument of `t` and `msg`: required when the template has placeholders, absent otherwise. */
export type ParamArgs<K extends MessageId> = [Placeholders<Catalogue[K]>] extends [never] ? [] : [params: ParamsOf<K>];

/** A message kept for later rendering; its parameters are checked against the template's placeholders. */
export interface Message<K extends MessageId = MessageId> extends MessageRef {
  id: K;
}

export function msg<K extends MessageId>(id: K, ...params: ParamArgs<K>): Message<K> {
  return params.length > 0 ? { id, params: params[0] } : { id };
}

/** Renders a message now, in `lang`. */
export function t<K extends MessageId>(lang: Lang, id: K, ...params: ParamArgs<K>): string {
  return render(lang, msg(id, ...params));
}

export function isMessageId(id: string): id is MessageId {
  return Object.prototype.hasOwnProperty.call(CATALOGUE, id);
}

/**
 * Renders a kept message. An id that is not in the catalogue (a message from a newer service, say) is
 * shown as the id itself, so nothing is silently dropped.
 */
export function render(lang: Lang, message: MessageRef): string {
  if (!isMessageId(message.id)) return message.id;
  const template = inScript(CATALOGUE[message.id], lang);
  return fill(template, message.params, (nested) => render(lang, nested));
}

/** Text in 「」 (a name as written, a value from a cell). */
export function quoted(text: string): Message<'quoted'> {
  return msg('quoted', { text });
}

/** Items as a list reads: "a、b、c"; with `or`, "a、b或c". Each item is put in as it is (data keeps its script). */
export function listOf(items: readonly ParamValue[], join: 'and' | 'or' = 'and'): ParamValue {
  if (items.length === 0) return '';
  const and = (list: readonly ParamValue[]) => list.reduce((left, right) => msg('list.and', { left, right }));
  if (join === 'and' || items.length === 1) return and(items);
  return msg('list.or', { left: and(items.slice(0, -1)), right: items[items.length - 1] });
}

/** A renderer bound to one language, for modules that print many messages. */
export type Translate = <K extends MessageId>(id: K, ...params: ParamArgs<K>) => string;

export function translator(lang: Lang): Translate {
  return (id, ...params) => t(lang, id, ...params);
}

export { type Lang } from './lang';
export { ISSUE_CODES, type IssueCodeInfo } from './catalogue/issues';
export { SITE_ISSUE_CODES } from './catalogue/sites';
export type { MessageRef, ParamValue } from './template';
