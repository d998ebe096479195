// Text folding for cells typed by hand: both Chinese scripts, full-width forms, stray spaces and line
// breaks. `matchKey` is for comparing; `tidyText` is for showing and writing back.
import * as OpenCC from 'opencc-js/t2cn';

const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

// Variants that OpenCC leaves alone but that mean the same character in our documents
// (the seed's traditional text was machine-converted and uses 谘 where simplified files have 咨).
const EXTRA_FOLDS: Record<string, string> = { 谘: '咨', 麪: '面', 箇: '个', 臺: '台', 纔: '才' };

// Bidi isolates (U+2066–U+2069) and the Arabic letter mark are as invisible as the overrides and marks.
const ZERO_WIDTH = /[\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const WHITESPACE = /[\s\u3000\u00A0]+/g;
/** Quotation marks of both scripts, which never change what a name says (matchKey drops them). */
export const QUOTES = /[“”‘’"'「」『』《》〈〉]/g;

const HAS_FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/;
// Whether a text has anything tidyText or squeeze would change: white space or an invisible character.
const HAS_SPACE_OR_INVISIBLE = /[\s\u00AD\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;

/** Full-width ASCII forms (Ａ１，（ etc.) and the ideographic space to their half-width forms. */
export function toHalfWidth(s: string): string {
  if (!HAS_FULL_WIDTH.test(s)) return s;
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** Removes zero-width and bidi-control characters, which are invisible in Excel but break matching. */
export function stripInvisible(s: string): string {
  return s.replace(ZERO_WIDTH, '');
}

/** Removes every kind of white space, including line breaks inside a cell ("上\n城\n區" → "上城區"). */
export function squeeze(s: string): string {
  if (!HAS_SPACE_OR_INVISIBLE.test(s)) return s;
  return stripInvisible(s).replace(WHITESPACE, '');
}

/** Simplified-script form of a text, with the extra variant folds. */
export function simplify(s: string): string {
  return toSimplified(s).replace(/[谘麪箇臺纔]/g, (c) => EXTRA_FOLDS[c] ?? c);
}

/**
 * The key two texts are compared by: half-width, no white space or invisible characters, no quotes,
 * simplified script. "市衛生健康 委員會" and "市卫生健康委员会" have the same key.
 */
export function matchKey(s: string): string {
  const hit = matchKeys.get(s);
  if (hit !== undefined) return hit;
  const folded = squeeze(toHalfWidth(s)).replace(QUOTES, '');
  // Script conversion leaves ASCII alone: serial numbers, codes and units like "km" skip it.
  const key = ASCII.test(folded) ? folded : simplify(folded);
  // Bounded memo: labels, units and district names are compared over and over.
  if (matchKeys.size >= 20_000) matchKeys.clear();
  matchKeys.set(s, key);
  return key;
}

const matchKeys = new Map<string, string>();
// eslint-disable-next-line no-control-regex -- the ASCII range starts at U+0000: control characters are ASCII too.
const ASCII = /^[\x00-\x7F]*$/;

const CJK = '\\u3000-\\u303F\\u3400-\\u9FFF\\uF900-\\uFAFF\\uFF00-\\uFFEF';
const SPACE_NEXT_TO_CJK = new RegExp(`(?<=[${CJK}])\\s+|\\s+(?=[${CJK}])`, 'g');

/**
 * A cell's text as it should read: invisible characters gone, white space next to Chinese characters
 * gone ("市衛生健康 委員會" → "市衛生健康委員會"), other runs of white space collapsed to one space.
 * The script is kept as the user wrote it.
 */
export function tidyText(s: string): string {
  if (!HAS_SPACE_OR_INVISIBLE.test(s)) return s;
  return stripInvisible(s).replace(/\r\n?/g, '\n').replace(SPACE_NEXT_TO_CJK, '').replace(/[ \t\u00A0]+/g, ' ').trim();
}

/** Splits a list cell ("市財政局、市商務局,各區、縣(市)政府") on list separators, keeping 區、縣(市) together. */
export function splitList(s: string): string[] {
  const protectedText = toHalfWidth(s).replace(/區、縣|区、县/g, (m) => m.replace('、', '\u0001'));
  return protectedText
    .split(/[,;、\n]+/)
    // eslint-disable-next-line no-control-regex -- U+0001 is the placeholder set just above; no cell holds one after tidying.
    .map((part) => tidyText(part.replace(/\u0001/g, '、')))
    .filter((part) => part.length > 0);
}

/**
 * Splits a names cell ("方 毅", "漆憲忠 鄧偉民", "張三、李四") into person names. Excel users pad two-character
 * names with a space to align them, so runs of single characters are joined back into one name.
 */
export function splitPersonNames(s: string): string[] {
  const tokens = stripInvisible(toHalfWidth(s)).split(/[\s,;、/]+/).filter((t) => t.length > 0);
  const names: string[] = [];
  let run = '';
  for (const token of tokens) {
    if ([...token].length === 1) {
      run += token;
      continue;
    }
    if (run) names.push(run);
    run = '';
    names.push(token);
  }
  if (run) names.push(run);
  return names;
}
