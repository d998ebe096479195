// Quantity cells of 附件2 and of progress reports (docs/design.md, "Quantities"): "10個", "85.8萬人次", "83%",
// "5(4)個", "--" read into a Quantity; numeric cells read with their number format (10 with 0"個").
// Hand-written because the npm number parsers turn "--" into 0 and drop units. Never throws.
//
// Decisions others rely on:
// - "--", "—", "/", "無", "不涉及", blank → kind 'none' (no target; isNoTarget); a typed 0 stays a count of 0.
// - Approximations ("約10個", "10個左右", "10個以上", "1000餘場") are errors: a completion rate needs an
//   exact target, and a clerk should see that rather than have us guess.
// - A parenthesised single character after the unit belongs to the unit ("套(間)"); longer text in
//   parentheses is a label ("20條(城鄉公交)" → 20 條, label 城鄉公交). Labels may not contain digits.
// - formatQuantityCell writes counts as numbers with the unit as a format literal (0"個", General when
//   there is no unit); a label rides in the same literal (0"條(城鄉公交)"), which parseQuantity splits
//   again, so the cell stays a summable number. Compounds stay text ("5(4)個"), none becomes an empty cell.
import type { CellValue } from './grid';
import { listOf, msg, type Message } from './messages';
import type { Quantity } from './model';
import { matchKey, squeeze, stripInvisible, tidyText, toHalfWidth } from './text';

/** A quantity, or why the cell is not one (a catalogue message saying what was found and what is expected). */
export type QuantityResult = { ok: true; quantity: Quantity } | { ok: false; message: Message };

/** What a quantity should look like, put into most of the reasons below. */
const EXAMPLE = msg('quantity.example');

// ---------------------------------------------------------------------------------------------------
// Chinese numerals

const CN_DIGITS: Record<string, number> = {
  〇: 0, 零: 0, 一: 1, 壹: 1, 二: 2, 貳: 2, 贰: 2, 兩: 2, 两: 2, 三: 3, 參: 3, 叁: 3, 四: 4, 肆: 4,
  五: 5, 伍: 5, 六: 6, 陸: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const CN_SMALL_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const CN_BIG_UNITS: Record<string, number> = { 萬: 1e4, 万: 1e4, 億: 1e8, 亿: 1e8 };

/** Characters that can make up a number written in Chinese (Arabic digits may be mixed in: "1.5萬"). */
const NUMERAL_CHARS = `0-9.${Object.keys(CN_DIGITS).join('')}${Object.keys(CN_SMALL_UNITS).join('')}${Object.keys(CN_BIG_UNITS).join('')}`;
const NUMERAL_RUN = new RegExp(`^[${NUMERAL_CHARS}]+`);

/** Rounds away binary noise (85.8 × 10000 must be 858000, not 857999.9999999999). */
function clean(n: number): number {
  return Number(n.toPrecision(12));
}

/** "1,000" → "1000": thousands separators between digits only. */
function dropThousandsSeparators(s: string): string {
  return s.replace(/(\d),(?=\d{3}(?!\d))/g, '$1');
}

/** One section below 10000: "一百二十" → 120, "十五" → 15, "3千" → 3000, "1.5" → 1.5. */
function parseSection(s: string): number | undefined {
  if (s === '') return 0;
  let total = 0;
  let pending: number | undefined;
  let lastUnit = Infinity;
  let i = 0;
  while (i < s.length) {
    const arabic = /^\d+(?:\.\d+)?/.exec(s.slice(i));
    if (arabic) {
      if (pending !== undefined) return undefined;
      pending = Number(arabic[0]);
      i += arabic[0].length;
      continue;
    }
    const ch = s[i];
    if (ch in CN_DIGITS) {
      const d = CN_DIGITS[ch];
      if (d === 0) {
        pending = undefined; // 一千零五: 零 only marks a gap
      } else {
        if (pending !== undefined) return undefined;
        pending = d;
      }
      i += 1;
      continue;
    }
    if (ch in CN_SMALL_UNITS) {
      const unit = CN_SMALL_UNITS[ch];
      if (unit >= lastUnit) return undefined; // 十百 or 百百: not a number
      total += (pending ?? 1) * unit;
      pending = undefined;
      lastUnit = unit;
      i += 1;
      continue;
    }
    return undefined;
  }
  return total + (pending ?? 0);
}

/**
 * A number written in Chinese or mixed: 十五 → 15, 一百二十 → 120, 兩千 → 2000, 三萬 → 30000, 〇/零 → 0,
 * 1.5萬 → 15000, 二〇二四 → 2024, "15" → 15. Anything else (幾, 若干, "", "萬") → undefined.
 */
export function parseChineseNumber(text: string): number | undefined {
  if (typeof text !== 'string') return undefined;
  const s = dropThousandsSeparators(squeeze(toHalfWidth(text)));
  if (s === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(s)) return Number(s);
  if (!new RegExp(`^[${NUMERAL_CHARS}]+$`).test(s)) return undefined;
  // Digit by digit, as years are written: 二〇二四.
  if ([...s].every((c) => c in CN_DIGITS)) return Number([...s].map((c) => CN_DIGITS[c]).join(''));
  if (!/[0-9〇零一壹二貳贰兩两三參叁四肆五伍六陸陆七柒八捌九玖十拾百佰千仟]/.test(s)) return undefined; // "萬" alone
  let total = 0;
  let rest = s;
  for (const [unitChars, scale] of [['億亿', 1e8], ['萬万', 1e4]] as const) {
    const at = Math.max(rest.lastIndexOf(unitChars[0]), rest.lastIndexOf(unitChars[1]));
    if (at < 0) continue;
    const head = rest.slice(0, at);
    if (head === '') return undefined; // "萬五" has no count of 萬
    const value = parseChineseNumber(head);
    if (value === undefined) return undefined;
    total += value * scale;
    rest = rest.slice(at + 1);
    // "三萬五": a lone digit straight after 萬 means the next order down (5000), as people say it.
    if (rest.length === 1 && rest in CN_DIGITS && CN_DIGITS[rest] > 0) return clean(total + (CN_DIGITS[rest] * scale) / 10);
  }
  const tail = parseSection(rest);
  if (tail === undefined) return undefined;
  return clean(total + tail);
}

// ---------------------------------------------------------------------------------------------------
// Units

// Same unit, different spellings. Keys are matchKey forms.
const UNIT_SYNONYMS: Record<string, string> = {
  km: '公里', 千米: '公里', 公里: '公里',
  '㎡': '平方米', m2: '平方米', 'm²': '平方米', 平米: '平方米', 平方米: '平方米',
  '㎞': '公里',
};

/** The unit as compared: folded (script, width, spaces) and with synonyms resolved ("km" → 公里). */
function unitKey(unit: string): string {
  const key = matchKey(unit).toLowerCase();
  return (UNIT_SYNONYMS[key] ?? key).trim();
}

/**
 * Whether two units are the same, across scripts, widths and spaces (個/个, 公裏/公里, 套(間)/套（间）),
 * and whatever remark in brackets follows the unit: a plan's 套(間) and a report's 套 are one unit.
 * The one rule for validation of 附件2 and for the reading of 進度報送表.
 */
export function sameUnit(a: string, b: string): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  if (a === b || unitKey(a) === unitKey(b)) return true;
  const bare = (u: string) => unitKey(matchKey(u).replace(/\([^()]*\)/g, ''));
  return bare(a) !== '' && bare(a) === bare(b);
}

function severalNumbersMessage(shown: string): Message {
  const numbers = toHalfWidth(shown).match(/\d+(?:\.\d+)?/g) ?? [];
  return numbers.length > 1
    ? msg('quantity.several-numbers', { shown, count: numbers.length, numbers: listOf(numbers), example: EXAMPLE })
    : msg('quantity.several-numbers.uncounted', { shown, example: EXAMPLE });
}

/** A unit is letters (any script) and a few measure signs; these words say the cell is not a quantity. */
const UNIT_CHARS = /^[\p{L}²³㎡㎞/·]*$/u;
const NOT_A_UNIT = /[待見见附暫暂未另詳详否無无]/;

type UnitParts = { unit: string; label?: string } | { error: Message };

/**
 * Splits what follows the number: "個" → 個; "套(間)" → unit 套(間); "條(城鄉公交)" → unit 條, label 城鄉公交.
 * Input is already half-width with no white space.
 */
function splitUnit(rest: string, shown: string): UnitParts {
  const m = /^([^()]*)((?:\([^()]*\))*)$/.exec(rest);
  if (!m) return { error: msg('quantity.brackets', { shown, example: EXAMPLE }) };
  const groups = [...m[2].matchAll(/\(([^()]*)\)/g)].map((g) => g[1]);
  const severalNumbers = { error: severalNumbersMessage(shown) };
  if (/\d/.test(m[1]) || groups.some((g) => /\d/.test(g))) return severalNumbers;
  if (groups.some((g) => g === '')) return { error: msg('quantity.empty-brackets', { shown, example: EXAMPLE }) };
  const single = (g: string) => [...g].length === 1;
  let unit = m[1];
  let label: string | undefined;
  if (groups.length === 1) {
    if (single(groups[0])) unit = `${unit}(${groups[0]})`;
    else label = groups[0];
  } else if (groups.length === 2 && single(groups[0]) && !single(groups[1])) {
    unit = `${unit}(${groups[0]})`; // "套(間)(青荷驛站)"
    label = groups[1];
  } else if (groups.length > 1) {
    return { error: msg('quantity.bracket-groups', { shown, example: EXAMPLE }) };
  }
  const unitWord = m[1];
  if (!UNIT_CHARS.test(unitWord) || NOT_A_UNIT.test(unitWord) || [...unitWord].length > 6) {
    return { error: msg('quantity.unit', { shown, unit, example: EXAMPLE }) };
  }
  return label === undefined ? { unit } : { unit, label };
}

// ---------------------------------------------------------------------------------------------------
// Cell text

/** What a cell says when a district has nothing (no target, nothing reported): never zero. */
const NO_TARGET = /^(?:|[-−—–―‐‑‒~_/\\]+|無|无|不涉及)$/;

/**
 * Blank, dashes and slashes ("--", "—", "－", "/"), 無 or 不涉及: the one definition of "nothing here",
 * for 附件2's targets and for what a submission reports. A typed 0 is a number, not nothing.
 */
export function isNoTarget(v: CellValue): boolean {
  if (v === null) return true;
  return typeof v === 'string' && NO_TARGET.test(squeeze(toHalfWidth(v)));
}

const EXCEL_ERROR = /^#(?:REF!|VALUE!|DIV\/0!|N\/A|NAME\?|NUM!|NULL!|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!|GETTING_DATA)/i;
const APPROXIMATION = /約|约|左右|大約|大约|大概|上下|以上|以下|不少於|不少于|至少|不低於|不低于|不超過|不超过|超過|超过|逾|餘|余|多|近|若干|幾|几|估計|估计|預計|预计/;

function shownText(raw: string): string {
  const t = tidyText(raw).replace(/\n/g, ' ');
  return [...t].length > 30 ? `${[...t].slice(0, 30).join('')}…` : t;
}

function ok(quantity: Quantity): QuantityResult {
  return { ok: true, quantity };
}
function fail(message: Message): QuantityResult {
  return { ok: false, message };
}

/** Number written with digits and an optional 萬/億 multiplier, as an exact decimal: "85.8","萬" → 858000. */
function scaleArabic(digits: string, multipliers: string): number {
  let exp = 0;
  for (const c of multipliers) exp += CN_BIG_UNITS[c] === 1e8 ? 8 : 4;
  return Number(`${digits}e${exp}`);
}

/** Reads the number at the start of s: returns its value and what follows, or undefined. */
function leadingNumber(s: string): { value: number; rest: string } | undefined {
  const arabic = /^(\d+(?:\.\d+)?)([萬万億亿]*)/.exec(s);
  if (arabic) {
    const after = s.slice(arabic[0].length);
    // "1萬5千人": Chinese-style continuation after 萬.
    if (arabic[2] !== '' && /^[0-9〇零一二三四五六七八九兩两]/.test(after)) {
      const run = NUMERAL_RUN.exec(s)![0];
      const value = parseChineseNumber(run);
      if (value !== undefined) return { value, rest: s.slice(run.length) };
    }
    return { value: scaleArabic(arabic[1], arabic[2]), rest: after };
  }
  const run = NUMERAL_RUN.exec(s)?.[0];
  if (!run) return undefined;
  // Take the longest prefix of the numeral run that is a number ("十五個": 十五; "一萬萬" is not).
  for (let end = run.length; end > 0; end--) {
    const value = parseChineseNumber(run.slice(0, end));
    if (value !== undefined) return { value, rest: s.slice(end) };
  }
  return undefined;
}

/**
 * Digit groups split by something other than a comma, as other countries write thousands: "1.234",
 * "1.234.567", "1 234" (any space), "1'234". Never read as a number: "1.234" is 1234 to one clerk and
 * 1.234 to another. A decimal with three places stays possible as a number typed into a number cell.
 * "0.125", "1.5萬" and "1.234%" are decimals. Returns the separator found.
 */
function foreignThousandsSeparator(text: string): string | undefined {
  const t = toHalfWidth(stripInvisible(text));
  const spaced = /\d([ \t\u00a0\u2007\u2009\u202f\u3000]+)\d{3}(?!\d)/.exec(t);
  if (spaced) return spaced[1].includes('\u3000') ? '\u3000' : ' ';
  const quoted = /\d(['‘’ʼ′`´])\d{3}(?!\d)/.exec(t);
  if (quoted) return quoted[1];
  if (/(?:^|[^\d.])\d{1,3}(?:\.\d{3}){2,}(?![\d.])/.test(t)) return '.';
  if (/(?:^|[^\d.])[1-9]\d{0,2}\.\d{3}(?![\d.%萬万億亿])/.test(t)) return '.';
  return undefined;
}

/** No yearly amount comes near this; beyond it doubles stop counting exactly (1e308 is a typo or an attack). */
const MAX_AMOUNT = 1e15;

function parseText(raw: string): QuantityResult {
  const shown = shownText(raw);
  const separator = foreignThousandsSeparator(raw);
  if (separator !== undefined) {
    const plain = squeeze(toHalfWidth(stripInvisible(raw))).replace(/(\d)['‘’ʼ′`´.](?=\d{3}(?!\d))/g, '$1');
    return fail(msg('quantity.thousands-separator', { shown, separator: separator === ' ' ? msg('quantity.separator.space') : separator === '\u3000' ? msg('quantity.separator.ideographic-space') : separator, plain }));
  }
  let s = dropThousandsSeparators(squeeze(toHalfWidth(stripInvisible(raw))));
  s = s.replace(/^[−－–‐‑]/, '-').replace(/[％﹪]/g, '%');
  if (isNoTarget(raw)) return ok({ kind: 'none' });
  if (EXCEL_ERROR.test(s)) return fail(msg('quantity.excel-error', { shown }));

  const outsideParens = s.replace(/\([^()]*\)/g, '');
  const approx = APPROXIMATION.exec(outsideParens);
  if (approx) {
    const exact = /\d+(?:\.\d+)?[萬万]?[\p{L}]*/u.exec(outsideParens.replace(APPROXIMATION, ''))?.[0];
    return fail(msg('quantity.approximate', { shown, word: approx[0], suggestion: exact ?? msg('quantity.example-amount') }));
  }

  const negative = s.startsWith('-');
  const body = negative ? s.slice(1) : s;
  const sign = negative ? -1 : 1;

  const percentWords = /^百分之(.+)$/.exec(body);
  if (percentWords) {
    const n = parseChineseNumber(percentWords[1]);
    if (n !== undefined) return ok({ kind: 'rate', value: clean((sign * n) / 100) });
  }

  const lead = leadingNumber(body);
  if (!lead) {
    const numberInside = /\d/.test(s);
    return fail(numberInside ? msg('quantity.number-after', { shown }) : msg('quantity.not-a-quantity', { shown, example: EXAMPLE }));
  }
  const value = clean(sign * lead.value);
  const rest = lead.rest;
  if (Math.abs(value) > MAX_AMOUNT) return fail(msg('quantity.too-large', { shown }));

  if (rest === '%') return ok({ kind: 'rate', value: clean(value / 100) });
  if (rest.includes('%')) return fail(msg('quantity.percent', { shown }));

  const compound = /^\((\d+(?:\.\d+)?)\)(.*)$/.exec(rest);
  if (compound) {
    const parts = splitUnit(compound[2], shown);
    if ('error' in parts) return fail(parts.error);
    if (parts.label !== undefined) return fail(msg('quantity.compound-label', { shown }));
    return ok({ kind: 'compound', value, extra: Number(compound[1]), unit: parts.unit });
  }

  if (/^[十百千拾佰仟]/.test(rest) && !/^千(?:米|克|瓦)/.test(rest)) {
    return fail(msg('quantity.numeral', { shown }));
  }
  const parts = splitUnit(rest, shown);
  if ('error' in parts) return fail(parts.error);
  return ok(
    parts.label === undefined
      ? { kind: 'count', value, unit: parts.unit }
      : { kind: 'count', value, unit: parts.unit, label: parts.label },
  );
}

// ---------------------------------------------------------------------------------------------------
// Numeric cells and their number formats

interface FormatInfo {
  /** Text the format adds around the number: the unit ("個" for 0"個"). */
  literal: string;
  percent: boolean;
  date: boolean;
}

/** Reads an Excel number format's first section: literals ("個", \個, bare CJK), %, date codes. */
function readFormat(numberFormat: string): FormatInfo {
  let literal = '';
  let percent = false;
  let date = false;
  let digits = false;
  const f = numberFormat.replace(/General/gi, '');
  for (let i = 0; i < f.length; i++) {
    const c = f[i];
    if (c === ';') break; // only the positive section matters
    if (c === '"') {
      const end = f.indexOf('"', i + 1);
      literal += end < 0 ? f.slice(i + 1) : f.slice(i + 1, end);
      i = end < 0 ? f.length : end;
    } else if (c === '\\') {
      literal += f[i + 1] ?? '';
      i += 1;
    } else if (c === '[') {
      const end = f.indexOf(']', i + 1);
      i = end < 0 ? f.length : end; // [Red], [$-804], [>100]
    } else if (c === '_' || c === '*') {
      i += 1; // padding and fill characters
    } else if (c === '%') {
      percent = true;
    } else if (/[0#?]/.test(c)) {
      digits = true;
    } else if (/[yYmMdDhHsS]/.test(c)) {
      date = true;
    } else if (/[\p{L}]/u.test(c) && !/[eE]/.test(c)) {
      literal += c; // Excel accepts some bare characters (0個); take them as literal text
    }
  }
  return { literal: squeeze(toHalfWidth(literal)), percent, date: date && !digits };
}

function parseNumber(value: number, numberFormat: string | undefined): QuantityResult {
  if (!Number.isFinite(value)) return fail(msg('quantity.not-finite', { shown: String(value), example: EXAMPLE }));
  if (Math.abs(value) > MAX_AMOUNT) return fail(msg('quantity.too-large', { shown: String(value) }));
  const format = readFormat(typeof numberFormat === 'string' ? numberFormat : '');
  if (format.date) return fail(msg('quantity.date-format', { format: String(numberFormat), example: EXAMPLE }));
  if (format.percent) return ok({ kind: 'rate', value });
  if (format.literal === '%') return ok({ kind: 'rate', value: clean(value / 100) });
  if (format.literal === '') return ok({ kind: 'count', value, unit: '' });
  const shown = `${value}${format.literal}`;
  const compound = /^\((\d+(?:\.\d+)?)\)(.*)$/.exec(format.literal);
  if (compound) {
    const parts = splitUnit(compound[2], shown);
    if ('error' in parts || parts.label !== undefined) return fail(msg('quantity.format-unit', { format: String(numberFormat), example: EXAMPLE }));
    return ok({ kind: 'compound', value, extra: Number(compound[1]), unit: parts.unit });
  }
  const parts = splitUnit(format.literal, shown);
  if ('error' in parts) return fail(msg('quantity.format-unit.named', { format: String(numberFormat), unit: format.literal, example: EXAMPLE }));
  return ok(
    parts.label === undefined
      ? { kind: 'count', value, unit: parts.unit }
      : { kind: 'count', value, unit: parts.unit, label: parts.label },
  );
}

/**
 * Reads a quantity cell. Text: "10個", "85.8萬人次", "83%", "5(4)個", "十五個", "--". Numbers: the unit
 * comes from the number format's literal (10 with 0"個" → 10 個; 0.83 with 0% → rate 0.83).
 * Errors carry a Chinese message saying what was found and what is expected.
 */
export function parseQuantity(value: CellValue, numberFormat?: string): QuantityResult {
  if (value === null || value === undefined) return ok({ kind: 'none' });
  if (typeof value === 'boolean') {
    return fail(msg('quantity.logical', { shown: value ? 'TRUE' : 'FALSE', example: EXAMPLE }));
  }
  if (typeof value === 'number') return parseNumber(value, numberFormat);
  if (typeof value === 'string') return memoised(textResults, value, parseText);
  return fail(msg('quantity.unknown', { example: EXAMPLE }));
}

// A sheet repeats the same few texts ("--", "2家") thousands of times: remember recent answers. The
// results are frozen so that a shared answer cannot be changed by one caller under another.
const textResults = new Map<string, QuantityResult>();
const MEMO_LIMIT = 20_000;

function memoised(cache: Map<string, QuantityResult>, key: string, compute: (key: string) => QuantityResult): QuantityResult {
  const hit = cache.get(key);
  if (hit) return hit;
  const result = compute(key);
  if (result.ok) Object.freeze(result.quantity);
  Object.freeze(result);
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(key, result);
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Writing back

function decimalsOf(n: number): number {
  const text = String(Math.abs(n));
  if (text.includes('e')) return 10;
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : Math.min(10, text.length - dot - 1);
}

/** An Excel format literal: quoted, or character by character when the text itself holds a quote. */
function formatLiteral(text: string): string {
  return text.includes('"') ? [...text].map((c) => `\\${c}`).join('') : `"${text}"`;
}

function tidyUnit(unit: string): string {
  return squeeze(toHalfWidth(unit));
}

/** The tidy text of a quantity, as a clerk would type it: "5(4)個", "20條(城鄉公交)", "83%". */
export function quantityText(q: Quantity): string {
  switch (q.kind) {
    case 'none':
      return '--';
    case 'rate':
      return `${clean(q.value * 100)}%`;
    case 'compound':
      return `${q.value}(${q.extra})${tidyUnit(q.unit)}`;
    case 'count':
      return `${q.value}${tidyUnit(q.unit)}${q.label ? `(${tidyText(q.label)})` : ''}`;
  }
}

/**
 * What normalisation writes for a quantity: counts as numbers with the unit (and label) as a format
 * literal (General when there is no unit), rates as fractions with a % format, compounds as their tidy
 * text with the format left alone (two numbers cannot be one cell value), none as an empty cell.
 * parseQuantity of the result gives the quantity back. Callers deciding whether a cell needs rewriting
 * should compare parsed quantities, not format strings (#,##0"個" and 0"個" say the same).
 */
export function formatQuantityCell(q: Quantity): { value: CellValue; numberFormat?: string } {
  // Quantities read from text are shared (see memoised): a sheet writes the same few thousands of times.
  const known = formatted.get(q);
  if (known) return known;
  const cell = Object.freeze(quantityCellOf(q));
  if (Object.isFrozen(q)) formatted.set(q, cell);
  return cell;
}

const formatted = new WeakMap<Quantity, { value: CellValue; numberFormat?: string }>();

function quantityCellOf(q: Quantity): { value: CellValue; numberFormat?: string } {
  switch (q.kind) {
    case 'none':
      return { value: null };
    case 'rate': {
      const places = Math.max(0, decimalsOf(q.value) - 2);
      return { value: q.value, numberFormat: places === 0 ? '0%' : `0.${'0'.repeat(places)}%` };
    }
    case 'compound':
      return { value: quantityText(q) };
    case 'count': {
      const literal = `${tidyUnit(q.unit)}${q.label ? `(${squeeze(toHalfWidth(q.label))})` : ''}`;
      const places = decimalsOf(q.value);
      const digits = places === 0 ? '0' : `0.${'0'.repeat(places)}`;
      if (literal === '') return { value: q.value, numberFormat: 'General' };
      return { value: q.value, numberFormat: `${digits}${formatLiteral(literal)}` };
    }
  }
}
