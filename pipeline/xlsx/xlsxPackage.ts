// An .xlsx as its parts (the files inside the zip), for editing a workbook in place without a workbook
// model: the parts an edit touches are rewritten as text, every other part is carried over as it was.
// It edits the canonical structure Excel, WPS, LibreOffice and ExcelJS write; anything else it would
// have to guess about is PatchUnsupported, and the caller takes the workbook-model way (ExcelJS).
import { inspectZip, type ZipLimits } from './zipGuard';
import { writeZip, type ZipPart } from './zipWrite';

/** The workbook is not in the shape this editor knows: use the workbook-model adapter instead. */
export class PatchUnsupported extends Error {
  override readonly name = 'PatchUnsupported';
}

export const NS = {
  main: 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  relationships: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  packageRelationships: 'http://schemas.openxmlformats.org/package/2006/relationships',
} as const;

export const REL = {
  worksheet: `${NS.relationships}/worksheet`,
  comments: `${NS.relationships}/comments`,
  vmlDrawing: `${NS.relationships}/vmlDrawing`,
  hyperlink: `${NS.relationships}/hyperlink`,
  table: `${NS.relationships}/table`,
  calcChain: `${NS.relationships}/calcChain`,
  sharedStrings: `${NS.relationships}/sharedStrings`,
  vbaProject: 'http://schemas.microsoft.com/office/2006/relationships/vbaProject',
  printerSettings: `${NS.relationships}/printerSettings`,
} as const;

export const CONTENT_TYPE = {
  worksheet: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
  table: 'application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml',
  comments: 'application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml',
  vml: 'application/vnd.openxmlformats-officedocument.vmlDrawing',
  sharedStrings: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml',
  workbook: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
  macroWorkbook: 'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
} as const;

// ---------------------------------------------------------------------------------------------
// XML text

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function unescapeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ENTITIES[e],
  );
}

/** Text for an element or an attribute value; characters XML 1.0 cannot hold at all are dropped. */
export function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- XML 1.0 cannot hold these at all (ExcelJS drops them too).
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'))
  );
}

/** A start tag, quotes respected: `<name a="1" b='>'>` or `<name/>`. */
export const startTag = (name: string) => new RegExp(`<${name}(?=[\\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>`, 'g');

/** The attributes of a start tag, values unescaped. */
export function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  const body = tag.replace(/^<[^\s/>]+/, '');
  for (const m of body.matchAll(/([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) out.set(m[1], unescapeXml(m[3] ?? m[4] ?? ''));
  return out;
}

/** The tag with one attribute set (added before its end, or replaced where it is). */
export function withAttribute(tag: string, name: string, value: string): string {
  const escaped = escapeXml(value);
  const re = new RegExp(`(\\s${name.replace(/[.:]/g, '\\$&')}\\s*=\\s*)("[^"]*"|'[^']*')`);
  if (re.test(tag)) return tag.replace(re, `$1"${escaped}"`);
  return tag.replace(/\s*(\/?)>$/, ` ${name}="${escaped}"$1>`);
}

export function withoutAttribute(tag: string, name: string): string {
  return tag.replace(new RegExp(`\\s${name.replace(/[.:]/g, '\\$&')}\\s*=\\s*("[^"]*"|'[^']*')`), '');
}

/** The prefix bound to a namespace on the root element (undefined: not declared; '' for the default namespace). */
export function prefixOf(xml: string, namespace: string): string | undefined {
  const root = /<(?![?!])[^>]*>/.exec(xml)?.[0] ?? '';
  for (const [name, value] of attributes(root)) {
    if (value !== namespace) continue;
    if (name === 'xmlns') return '';
    if (name.startsWith('xmlns:')) return name.slice(6);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Relationships

export interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

export function relsPartOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

export function parseRels(xml: string | undefined): Relationship[] {
  if (!xml) return [];
  return [...xml.matchAll(startTag('Relationship'))].map((m) => {
    const a = attributes(m[0]);
    return { id: a.get('Id') ?? '', type: a.get('Type') ?? '', target: a.get('Target') ?? '', external: a.get('TargetMode') === 'External' };
  });
}

export function relsXml(rels: readonly Relationship[]): string {
  const items = rels.map((r) => `<Relationship Id="${escapeXml(r.id)}" Type="${escapeXml(r.type)}" Target="${escapeXml(r.target)}"${r.external ? ' TargetMode="External"' : ''}/>`);
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${NS.packageRelationships}">${items.join('')}</Relationships>`;
}

/** A relationship's target as a part name ("xl/worksheets/sheet1.xml"), from the part that holds it. */
export function resolveTarget(fromPart: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = fromPart.split('/').slice(0, -1);
  for (const step of target.split('/')) {
    if (step === '..') parts.pop();
    else if (step !== '.' && step !== '') parts.push(step);
  }
  return parts.join('/');
}

/** `target` written relative to the folder of `fromPart`. */
export function relativeTarget(fromPart: string, target: string): string {
  const from = fromPart.split('/').slice(0, -1);
  const to = target.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}

/** An id not yet used among `rels`: rId<n>. */
export function freshRelId(rels: readonly Relationship[]): string {
  const taken = new Set(rels.map((r) => r.id));
  let n = rels.reduce((max, r) => Math.max(max, Number(/^rId(\d+)$/.exec(r.id)?.[1] ?? 0)), 0) + 1;
  while (taken.has(`rId${n}`)) n++;
  return `rId${n}`;
}

// ---------------------------------------------------------------------------------------------
// The package

export class XlsxPackage {
  private readonly parts: Map<string, Buffer>;
  private readonly texts = new Map<string, string>();

  private constructor(parts: Map<string, Buffer>) {
    this.parts = parts;
  }

  /** The parts of a workbook the zip guard accepts (its limits and refusals apply as to any read). */
  static fromBytes(bytes: Buffer, fileName: string, limits?: Partial<ZipLimits>): XlsxPackage {
    const checked = inspectZip(bytes, fileName, limits, () => true);
    if (checked.duplicates.size > 0) throw new PatchUnsupported(`parts named twice: ${[...checked.duplicates].join(', ')}`);
    return new XlsxPackage(checked.parts);
  }

  has(name: string): boolean {
    return this.parts.has(name);
  }

  names(): string[] {
    return [...this.parts.keys()];
  }

  text(name: string): string | undefined {
    const cached = this.texts.get(name);
    if (cached !== undefined) return cached;
    const data = this.parts.get(name);
    if (!data) return undefined;
    if (data[0] === 0xfe || data[0] === 0xff) throw new PatchUnsupported(`${name} is UTF-16`);
    const text = data.toString('utf8');
    this.texts.set(name, text);
    return text;
  }

  /** A part's new content as bytes (a large part built without one long string). */
  set(name: string, content: Buffer): void {
    this.texts.delete(name);
    this.parts.set(name, content);
  }

  setText(name: string, text: string): void {
    this.texts.set(name, text);
    this.parts.set(name, Buffer.from(text, 'utf8'));
  }

  delete(name: string): void {
    this.parts.delete(name);
    this.texts.delete(name);
  }

  /** A part name like `prefix<n>suffix` not used yet, n from 1. */
  freshName(prefix: string, suffix: string): string {
    const lower = new Set([...this.parts.keys()].map((n) => n.toLowerCase()));
    for (let n = 1; ; n++) if (!lower.has(`${prefix}${n}${suffix}`.toLowerCase())) return `${prefix}${n}${suffix}`;
  }

  rels(part: string): Relationship[] {
    return parseRels(this.text(relsPartOf(part)));
  }

  setRels(part: string, rels: readonly Relationship[]): void {
    if (rels.length === 0) this.delete(relsPartOf(part));
    else this.setText(relsPartOf(part), relsXml(rels));
  }

  // [Content_Types].xml

  private contentTypes(): string {
    const xml = this.text('[Content_Types].xml');
    if (!xml) throw new PatchUnsupported('no [Content_Types].xml');
    return xml;
  }

  setOverride(part: string, contentType: string): void {
    const xml = this.removeOverrideFrom(this.contentTypes(), part);
    this.setText('[Content_Types].xml', xml.replace(/<\/Types>\s*$/, `<Override PartName="/${escapeXml(part)}" ContentType="${contentType}"/></Types>`));
  }

  removeOverride(part: string): void {
    this.setText('[Content_Types].xml', this.removeOverrideFrom(this.contentTypes(), part));
  }

  /** The content type a part has: its Override, else the Default of its extension. */
  contentTypeOf(part: string): string | undefined {
    const xml = this.contentTypes();
    for (const m of xml.matchAll(startTag('Override'))) {
      const a = attributes(m[0]);
      if ((a.get('PartName') ?? '').replace(/^\//, '').toLowerCase() === part.toLowerCase()) return a.get('ContentType');
    }
    const extension = part.slice(part.lastIndexOf('.') + 1).toLowerCase();
    for (const m of xml.matchAll(startTag('Default'))) {
      const a = attributes(m[0]);
      if ((a.get('Extension') ?? '').toLowerCase() === extension) return a.get('ContentType');
    }
    return undefined;
  }

  private removeOverrideFrom(xml: string, part: string): string {
    return xml.replace(startTag('Override'), (tag) => ((attributes(tag).get('PartName') ?? '').replace(/^\//, '').toLowerCase() === part.toLowerCase() ? '' : tag));
  }

  /** The zip: [Content_Types].xml first, then the parts in their order; large XML deflated fast rather than small. */
  toBuffer(): Buffer {
    const names = this.names().sort((a, b) => (a === '[Content_Types].xml' ? -1 : b === '[Content_Types].xml' ? 1 : 0));
    const parts: ZipPart[] = names.map((name) => ({ name, content: this.parts.get(name)! }));
    return writeZip(parts);
  }
}
