// A small, strict XML tokenizer for the parts of an .xlsx (docs/design.md, "Reading submissions"). It
// reports elements, attributes and text to a visitor in one pass over the string and never expands
// anything but the five predefined entities and character references (no DTD, no external anything).
// It accepts what the XML parser behind ExcelJS (saxes) accepts; where a document is not well formed,
// or uses a construct the fast readers leave to ExcelJS (DOCTYPE, CDATA), it says so in `problem` and
// goes on as far as it can, so a guard that watches the elements still sees every one of them.

/** The attributes of the element being opened; valid only during the `open` call. */
export interface Attributes {
  get(name: string): string | undefined;
  readonly count: number;
  name(i: number): string;
  value(i: number): string;
}

export interface XmlVisitor {
  /** An element starts. Attribute values are decoded and whitespace-normalised, as an XML parser gives them. */
  open(name: string, attributes: Attributes, depth: number): void;
  /** An element ends (right after `open` for an empty element `<x/>`). */
  close(name: string, depth: number): void;
  /** Text inside the current element, decoded, line ends normalised; asked for only while `wantsText` is true. */
  text?(text: string): void;
  wantsText?: boolean;
  /**
   * Asked at each start tag while `wantsShortcut` is true: may read the whole element at `at` itself
   * (a visitor that knows the common shape of an element and checks it strictly) and return the index
   * just past it; its open and close are then not reported. -1: read it the usual way.
   */
  shortcut?(xml: string, at: number): number;
  wantsShortcut?: boolean;
}

export interface ScanResult {
  /** The first reason the document is not well-formed XML, or uses DOCTYPE or CDATA; undefined when it is plain, well-formed XML. */
  problem?: string;
}

// XML 1.0 names (NameStartChar, NameChar), with supplementary characters as surrogate pairs.
const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C-\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
// eslint-disable-next-line no-misleading-character-class -- the ranges are XML's own; U+0300–U+036F are name characters, not marks on the one before
const NAME = new RegExp(`^(?:[${NAME_START}]|[\\uD800-\\uDB7F][\\uDC00-\\uDFFF])(?:[${NAME_CHAR}]|[\\uD800-\\uDB7F][\\uDC00-\\uDFFF])*$`);
/** Characters XML 1.0 does not allow anywhere (lone surrogates cannot come out of UTF-8 decoding). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what XML forbids.
const BAD_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const ENTITY = /&(?:(amp|lt|gt|quot|apos)|#([0-9]+)|#x([0-9a-fA-F]+));/g;
const XML_DECLARATION = /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(['"])1\.[0-9]+\1(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(['"])[A-Za-z][A-Za-z0-9._-]*\2)?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(['"])(?:yes|no)\3)?[ \t\r\n]*\?>$/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(code: number): boolean {
  return code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x9 || code === 0xa || code === 0xd;
}

/** An ASCII name character: letters, digits, `_ : - .` (anything else goes through the full NAME test). */
function isAsciiNameChar(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x3a) || code === 0x5f || code === 0x2d || code === 0x2e;
}

function isName(xml: string, from: number, to: number): boolean {
  if (to <= from) return false;
  const first = xml.charCodeAt(from);
  let ascii = (first >= 0x61 && first <= 0x7a) || (first >= 0x41 && first <= 0x5a) || first === 0x5f || first === 0x3a;
  for (let k = from + 1; ascii && k < to; k++) ascii = isAsciiNameChar(xml.charCodeAt(k));
  return ascii || NAME.test(xml.slice(from, to));
}

/** Decodes entities; undefined when an `&` does not start a known entity or a reference to an allowed character. */
export function decodeEntities(text: string): string | undefined {
  let bad = false;
  const decoded = text.replace(ENTITY, (_m, name: string | undefined, dec: string | undefined, hex: string | undefined) => {
    if (name) return PREDEFINED[name];
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
    if (!isXmlChar(code)) {
      bad = true;
      return '';
    }
    return String.fromCodePoint(code);
  });
  // Any `&` left after the known forms were taken out was not one of them.
  if (bad || text.replace(ENTITY, '').includes('&')) return undefined;
  return decoded;
}

/**
 * The attributes of the tag being read, kept as offsets into the document and decoded only when asked
 * for (most are never asked for): no string and no object per element.
 */
class AttributeList implements Attributes {
  private xml = '';
  private readonly nameStart: number[] = [];
  private readonly nameEnd: number[] = [];
  private readonly valueStart: number[] = [];
  private readonly valueEnd: number[] = [];
  /** The value holds an entity or a tab or line end: it must be decoded, not just sliced. */
  private readonly raw: boolean[] = [];
  count = 0;

  reset(xml: string): void {
    this.xml = xml;
    this.count = 0;
  }

  private find(name: string): number {
    for (let i = 0; i < this.count; i++) {
      if (this.nameEnd[i] - this.nameStart[i] === name.length && this.xml.startsWith(name, this.nameStart[i])) return i;
    }
    return -1;
  }

  get(name: string): string | undefined {
    const i = this.find(name);
    return i < 0 ? undefined : this.value(i);
  }

  name(i: number): string {
    return this.xml.slice(this.nameStart[i], this.nameEnd[i]);
  }

  value(i: number): string {
    const text = this.xml.slice(this.valueStart[i], this.valueEnd[i]);
    return this.raw[i] ? attributeValue(text) : text;
  }

  /** False when the tag already has an attribute of this name. */
  add(nameStart: number, nameEnd: number, valueStart: number, valueEnd: number, raw: boolean): boolean {
    const length = nameEnd - nameStart;
    let fresh = true;
    for (let i = 0; i < this.count && fresh; i++) {
      if (this.nameEnd[i] - this.nameStart[i] === length && this.xml.startsWith(this.xml.slice(nameStart, nameEnd), this.nameStart[i])) fresh = false;
    }
    const i = this.count++;
    this.nameStart[i] = nameStart;
    this.nameEnd[i] = nameEnd;
    this.valueStart[i] = valueStart;
    this.valueEnd[i] = valueEnd;
    this.raw[i] = raw;
    return fresh;
  }
}

/** An attribute value as an XML parser gives it: entities decoded, tabs and line ends as spaces. */
function attributeValue(text: string): string {
  // Literal tabs and line ends become spaces; characters written as references stay what they are.
  const normalised = /[\t\n\r]/.test(text) ? text.replace(/\r\n?|[\t\n]/g, ' ') : text;
  return normalised.includes('&') ? (decodeEntities(normalised) ?? normalised) : normalised;
}

export function scanXml(xml: string, visitor: XmlVisitor): ScanResult {
  let problem: string | undefined;
  const flag = (what: string) => {
    problem ??= what;
  };
  const n = xml.length;
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  const start = i;
  // Whole-document checks first (native scans), so that the loop below looks only where they found something.
  if (BAD_CHAR.test(xml)) flag('disallowed character');
  const checkCdataEnd = xml.includes(']]>');
  const hasAmpersand = xml.includes('&');
  const hasWhitespaceControl = /[\t\n\r]/.test(xml);
  const stack: string[] = [];
  const attributes = new AttributeList();
  attributes.reset(xml);
  let rootSeen = false;

  const textSegment = (from: number, to: number) => {
    if (stack.length === 0) {
      for (let k = from; k < to; k++) {
        if (!isSpace(xml.charCodeAt(k))) {
          flag('text outside the root element');
          break;
        }
      }
      return;
    }
    const wanted = visitor.wantsText && visitor.text;
    const amp = hasAmpersand ? xml.indexOf('&', from) : -1;
    const entity = amp >= 0 && amp < to;
    if (checkCdataEnd) {
      const end = xml.indexOf(']]>', from);
      if (end >= 0 && end + 3 <= to) flag('"]]>" in text');
    }
    if (!wanted && !entity) return;
    let text = xml.slice(from, to);
    if (entity) {
      const decoded = decodeEntities(text);
      if (decoded === undefined) {
        flag('undefined entity');
        return;
      }
      text = decoded;
    }
    if (wanted) visitor.text!(hasWhitespaceControl && text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);
  };

  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) {
      textSegment(i, n);
      break;
    }
    if (lt > i) textSegment(i, lt);
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) {
      const gt = xml.indexOf('>', lt + 2);
      if (gt < 0) {
        flag('unterminated end tag');
        break;
      }
      let nameEnd = gt;
      while (nameEnd > lt + 2 && isSpace(xml.charCodeAt(nameEnd - 1))) nameEnd--;
      i = gt + 1;
      const top = stack[stack.length - 1];
      if (top !== undefined && nameEnd - (lt + 2) === top.length && xml.startsWith(top, lt + 2)) {
        stack.pop();
        visitor.close(top, stack.length + 1);
        continue;
      }
      const name = xml.slice(lt + 2, nameEnd);
      flag('unexpected close tag');
      // Close what it closes, if it is open at all; otherwise ignore it.
      if (!stack.includes(name)) continue;
      while (stack[stack.length - 1] !== name) visitor.close(stack.pop()!, stack.length + 1);
      stack.pop();
      visitor.close(name, stack.length + 1);
      continue;
    }
    if (next === 0x21 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const end = xml.indexOf('-->', lt + 4);
        if (end < 0) {
          flag('unterminated comment');
          break;
        }
        const body = xml.slice(lt + 4, end);
        if (body.includes('--') || body.endsWith('-')) flag('malformed comment');
        i = end + 3;
        continue;
      }
      if (xml.startsWith('<![CDATA[', lt)) {
        flag('CDATA section');
        const end = xml.indexOf(']]>', lt + 9);
        if (end < 0) break;
        i = end + 3;
        continue;
      }
      if (xml.startsWith('<!DOCTYPE', lt)) {
        flag('DOCTYPE');
        // Skip it, internal subset included, so the elements after it are still seen.
        let k = lt + 9;
        let depth = 0;
        let quote = 0;
        for (; k < n; k++) {
          const c = xml.charCodeAt(k);
          if (quote) {
            if (c === quote) quote = 0;
          } else if (c === 0x22 || c === 0x27) quote = c;
          else if (c === 0x5b) depth++;
          else if (c === 0x5d) depth--;
          else if (c === 0x3e && depth <= 0) break;
        }
        i = k + 1;
        continue;
      }
      flag('malformed markup declaration');
      i = lt + 2;
      continue;
    }
    if (next === 0x3f /* ? */) {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) {
        flag('unterminated processing instruction');
        break;
      }
      let targetEnd = lt + 2;
      while (targetEnd < end && !isSpace(xml.charCodeAt(targetEnd))) targetEnd++;
      if (!isName(xml, lt + 2, targetEnd)) flag('malformed processing instruction');
      const target = xml.slice(lt + 2, targetEnd);
      if (target.toLowerCase() === 'xml') {
        if (target !== 'xml' || lt !== start) flag('misplaced XML declaration');
        else if (!XML_DECLARATION.test(xml.slice(lt, end + 2))) flag('malformed XML declaration');
      }
      i = end + 2;
      continue;
    }
    if (visitor.wantsShortcut && stack.length > 0) {
      const past = visitor.shortcut!(xml, lt);
      if (past > lt) {
        i = past;
        continue;
      }
    }
    // A start tag: the name, then attributes, then `>` or `/>`.
    let k = lt + 1;
    let ascii = true;
    while (k < n) {
      const c = xml.charCodeAt(k);
      if (c === 0x3e || c === 0x2f || c === 0x20 || c === 0x9 || c === 0xa || c === 0xd) break;
      if (ascii && !isAsciiNameChar(c)) ascii = false;
      k++;
    }
    if (!(ascii && k > lt + 1 && !isDigitOrDash(xml.charCodeAt(lt + 1))) && !isName(xml, lt + 1, k)) flag('disallowed character in tag name');
    const name = xml.slice(lt + 1, k);
    if (stack.length === 0) {
      if (rootSeen) flag('more than one root element');
      rootSeen = true;
    }
    attributes.count = 0;
    let closed = false;
    let selfClosing = false;
    for (;;) {
      const before = k;
      while (k < n && isSpace(xml.charCodeAt(k))) k++;
      if (k >= n) break;
      const c = xml.charCodeAt(k);
      if (c === 0x3e) {
        closed = true;
        k++;
        break;
      }
      if (c === 0x2f) {
        if (xml.charCodeAt(k + 1) !== 0x3e) flag('malformed empty element');
        closed = true;
        selfClosing = true;
        k += 2;
        break;
      }
      if (k === before) flag('no whitespace between attributes');
      const nameStart = k;
      let asciiName = true;
      while (k < n) {
        const d = xml.charCodeAt(k);
        if (d === 0x3d || d === 0x3e || d === 0x2f || d === 0x20 || d === 0x9 || d === 0xa || d === 0xd) break;
        if (asciiName && !isAsciiNameChar(d)) asciiName = false;
        k++;
      }
      const nameEnd = k;
      if (!(asciiName && nameEnd > nameStart && !isDigitOrDash(xml.charCodeAt(nameStart))) && !isName(xml, nameStart, nameEnd)) flag('disallowed character in attribute name');
      while (k < n && isSpace(xml.charCodeAt(k))) k++;
      if (xml.charCodeAt(k) !== 0x3d) {
        flag('attribute without value');
        if (k === nameStart) k++;
        continue;
      }
      k++;
      while (k < n && isSpace(xml.charCodeAt(k))) k++;
      const quote = xml.charCodeAt(k);
      if (quote !== 0x22 && quote !== 0x27) {
        flag('unquoted attribute value');
        while (k < n && !isSpace(xml.charCodeAt(k)) && xml.charCodeAt(k) !== 0x3e) k++;
        continue;
      }
      const valueStart = k + 1;
      const valueEnd = xml.indexOf(quote === 0x22 ? '"' : "'", valueStart);
      if (valueEnd < 0) {
        k = n;
        break;
      }
      k = valueEnd + 1;
      const lessThan = xml.indexOf('<', valueStart);
      if (lessThan >= 0 && lessThan < valueEnd) flag('disallowed character');
      let raw = false;
      if (hasAmpersand) {
        const amp = xml.indexOf('&', valueStart);
        if (amp >= 0 && amp < valueEnd) {
          raw = true;
          if (decodeEntities(xml.slice(valueStart, valueEnd)) === undefined) flag('undefined entity');
        }
      }
      if (hasWhitespaceControl && !raw) {
        for (let v = valueStart; v < valueEnd; v++) {
          const d = xml.charCodeAt(v);
          if (d === 0x9 || d === 0xa || d === 0xd) {
            raw = true;
            break;
          }
        }
      }
      if (!attributes.add(nameStart, nameEnd, valueStart, valueEnd, raw)) flag('duplicate attribute');
    }
    if (!closed) {
      flag('unterminated start tag');
      break;
    }
    const depth = stack.length + 1;
    visitor.open(name, attributes, depth);
    if (selfClosing) visitor.close(name, depth);
    else stack.push(name);
    i = k;
  }
  if (stack.length > 0) flag('unclosed element');
  if (!rootSeen) flag('no root element');
  return problem === undefined ? {} : { problem };
}

/** A digit, '-' or '.': name characters that may not start a name. */
function isDigitOrDash(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2e;
}
