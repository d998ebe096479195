// The pipeline's fast way to apply core's edit plan (design §5): the workbook's parts are edited in
// place (xlsxPackage.ts) instead of going through a workbook model. A changed sheet's XML gets its
// written cells replaced and nothing else; its backup is that sheet's XML as it was; a new sheet (規範數據)
// is written as XML with its table. Every part the plan does not touch stays byte for byte, so the copy
// loses nothing the model would not know about. What it cannot do safely (a shared or array formula
// overwritten, parts it does not know how to carry into a backup) is PatchUnsupported, before anything
// is written: the caller then applies the plan through ExcelJS (applyEditPlan.ts).
import { forEachWrite, type EditPlan, type NewSheet, type SheetEdit } from '../../core/editPlan';
import { a1, columnLetter, parseRange, type CellRange, type CellValue, type Grid } from '../../core/grid';
import { ByteSink } from './byteSink';
import { checkEditPlan, tableHeaders, type WorkbookFacts } from './editPlanCheck';
import {
  attributes,
  CONTENT_TYPE,
  escapeXml,
  freshRelId,
  NS,
  PatchUnsupported,
  prefixOf,
  REL,
  relativeTarget,
  resolveTarget,
  startTag,
  unescapeXml,
  withAttribute,
  withoutAttribute,
  type Relationship,
  type XlsxPackage,
} from './xlsxPackage';

const WORKBOOK = 'xl/workbook.xml';

interface SheetEntry {
  name: string;
  sheetId: number;
  relId: string;
  part: string;
}

/** The sheets of xl/workbook.xml, in tab order, with their parts. */
function sheetsOf(pkg: XlsxPackage): { entries: SheetEntry[]; xml: string; rels: Relationship[]; r: string } {
  const xml = pkg.text(WORKBOOK);
  if (!xml) throw new PatchUnsupported('no xl/workbook.xml');
  if (prefixOf(xml, NS.main) !== '') throw new PatchUnsupported('workbook.xml does not use the main namespace as its default');
  const r = prefixOf(xml, NS.relationships);
  if (!r) throw new PatchUnsupported('workbook.xml has no relationships prefix');
  const rels = pkg.rels(WORKBOOK);
  const entries = [...xml.matchAll(startTag('sheet'))].map((m) => {
    const a = attributes(m[0]);
    const relId = a.get(`${r}:id`) ?? '';
    const rel = rels.find((x) => x.id === relId);
    if (!rel || rel.type !== REL.worksheet) throw new PatchUnsupported(`sheet ${a.get('name')} is not a worksheet part`);
    return { name: a.get('name') ?? '', sheetId: Number(a.get('sheetId')), relId, part: resolveTarget(WORKBOOK, rel.target) };
  });
  return { entries, xml, rels, r };
}

function findEntry(entries: readonly SheetEntry[], name: string): SheetEntry | undefined {
  const key = name.toLowerCase();
  return entries.find((e) => e.name.toLowerCase() === key);
}

/** Facts the plan is checked against, read from the parts. */
function factsOf(pkg: XlsxPackage, entries: readonly SheetEntry[], grids: readonly Grid[]): WorkbookFacts {
  const gridOf = new Map(grids.map((g) => [g.sheet.toLowerCase(), g]));
  const tableNames = new Map<string, string>();
  for (const e of entries) {
    for (const rel of pkg.rels(e.part)) {
      if (rel.type !== REL.table) continue;
      const name = attributes(startTag('table').exec(pkg.text(resolveTarget(e.part, rel.target)) ?? '')?.[0] ?? '').get('name');
      if (name) tableNames.set(name.toLowerCase(), e.name);
    }
  }
  const definedNames = new Set([...(pkg.text(WORKBOOK) ?? '').matchAll(startTag('definedName'))].map((m) => (attributes(m[0]).get('name') ?? '').toLowerCase()));
  return {
    sheetNames: entries.map((e) => e.name),
    mergesOf: (sheet) => gridOf.get(sheet.toLowerCase())?.merges ?? [],
    tableNames,
    definedNames,
  };
}

// ---------------------------------------------------------------------------------------------
// Styles: the cell formats a write needs, added to styles.xml once each

class Styles {
  private xml: string;
  private readonly xfs: string[];
  private readonly fonts: string[];
  private readonly formats = new Map<string, number>();
  private nextFormat = 164;
  private readonly made = new Map<string, number>();
  /** withNumberFormat's answers by base format, then number format: asked once per written cell. */
  private readonly derived = new Map<number, Map<string, number>>();
  private changed = false;

  constructor(private readonly pkg: XlsxPackage) {
    const xml = pkg.text('xl/styles.xml');
    if (!xml || prefixOf(xml, NS.main) !== '') throw new PatchUnsupported('no styles.xml in the main namespace');
    this.xml = xml;
    this.xfs = elements(section(xml, 'cellXfs') ?? '', 'xf');
    this.fonts = elements(section(xml, 'fonts') ?? '', 'font');
    if (this.xfs.length === 0 || this.fonts.length === 0) throw new PatchUnsupported('styles.xml has no cell formats or fonts');
    for (const m of (section(xml, 'numFmts') ?? '').matchAll(startTag('numFmt'))) {
      const a = attributes(m[0]);
      const id = Number(a.get('numFmtId'));
      this.formats.set(a.get('formatCode') ?? '', id);
      this.nextFormat = Math.max(this.nextFormat, id + 1);
    }
  }

  private numFmtId(format: string): number {
    if (format === '' || format.toLowerCase() === 'general') return 0;
    const known = this.formats.get(format);
    if (known !== undefined) return known;
    const id = this.nextFormat++;
    this.formats.set(format, id);
    this.changed = true;
    return id;
  }

  /** The cell format `base` (an index into cellXfs) with `numberFormat` instead of its own. */
  withNumberFormat(base: number, numberFormat: string): number {
    let byFormat = this.derived.get(base);
    if (!byFormat) this.derived.set(base, (byFormat = new Map()));
    const known = byFormat.get(numberFormat);
    if (known !== undefined) return known;
    const xf = this.xfs[base] ?? this.xfs[0];
    const id = this.numFmtId(numberFormat);
    const start = startTag('xf').exec(xf)![0];
    const tag = withAttribute(withAttribute(start, 'numFmtId', String(id)), 'applyNumberFormat', '1');
    const made = this.add(`${base}\u0000${numberFormat}`, xf.replace(start, tag));
    byFormat.set(numberFormat, made);
    return made;
  }

  /** A cell format of the workbook's default font made bold, with `numberFormat`. */
  boldWith(numberFormat: string): number {
    const key = `bold\u0000${numberFormat}`;
    const known = this.made.get(key);
    if (known !== undefined) return known;
    const font = this.fonts[0].replace(/^<font(\s[^>]*)?\/>$/, '<font$1></font>').replace(/^(<font\b[^>]*>)/, '$1<b/>');
    this.fonts.push(font);
    this.changed = true;
    return this.add(key, `<xf numFmtId="${this.numFmtId(numberFormat)}" fontId="${this.fonts.length - 1}" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/>`);
  }

  plain(numberFormat: string): number {
    const key = `plain\u0000${numberFormat}`;
    const known = this.made.get(key);
    if (known !== undefined) return known;
    const id = this.numFmtId(numberFormat);
    if (id === 0) return 0;
    return this.add(key, `<xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`);
  }

  private add(key: string, xf: string): number {
    this.xfs.push(xf);
    this.made.set(key, this.xfs.length - 1);
    this.changed = true;
    return this.xfs.length - 1;
  }

  save(): void {
    if (!this.changed) return;
    let xml = this.xml;
    const numFmts = [...this.formats].filter(([, id]) => id >= 164).map(([code, id]) => `<numFmt numFmtId="${id}" formatCode="${escapeXml(code)}"/>`);
    const numFmtSection = numFmts.length ? `<numFmts count="${numFmts.length}">${numFmts.join('')}</numFmts>` : '';
    xml = section(xml, 'numFmts') !== undefined ? replaceSection(xml, 'numFmts', numFmtSection) : xml.replace(/(<styleSheet\b[^>]*>)/, `$1${numFmtSection}`);
    xml = replaceSection(xml, 'fonts', `<fonts count="${this.fonts.length}">${this.fonts.join('')}</fonts>`);
    xml = replaceSection(xml, 'cellXfs', `<cellXfs count="${this.xfs.length}">${this.xfs.join('')}</cellXfs>`);
    this.pkg.setText('xl/styles.xml', xml);
  }
}

/** The whole element `<name …>…</name>` (or `<name …/>`), first of its name; undefined when there is none. */
function section(xml: string, name: string): string | undefined {
  const open = startTag(name).exec(xml);
  if (!open) return undefined;
  if (open[0].endsWith('/>')) return open[0];
  const close = xml.indexOf(`</${name}>`, open.index);
  if (close < 0) throw new PatchUnsupported(`<${name}> is not closed`);
  return xml.slice(open.index, close + name.length + 3);
}

function replaceSection(xml: string, name: string, replacement: string): string {
  const whole = section(xml, name);
  if (whole === undefined) throw new PatchUnsupported(`no <${name}>`);
  const at = xml.indexOf(whole);
  return xml.slice(0, at) + replacement + xml.slice(at + whole.length);
}

/** The child elements `<name …/>` or `<name …>…</name>` of a section, as text. */
function elements(sectionXml: string, name: string): string[] {
  const out: string[] = [];
  const re = startTag(name);
  let m: RegExpExecArray | null;
  while ((m = re.exec(sectionXml))) {
    if (m[0].endsWith('/>')) {
      out.push(m[0]);
      continue;
    }
    const close = sectionXml.indexOf(`</${name}>`, re.lastIndex);
    if (close < 0) throw new PatchUnsupported(`<${name}> is not closed`);
    out.push(sectionXml.slice(m.index, close + name.length + 3));
    re.lastIndex = close + name.length + 3;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shared strings: a new sheet's text goes there (its names repeat on every row of 規範數據)

class SharedStrings {
  private readonly part: string;
  private readonly index = new Map<string, number>();
  private readonly added: string[] = [];
  private size = 0;
  private references = 0;

  constructor(private readonly pkg: XlsxPackage, relsOfWorkbook: Relationship[]) {
    const rel = relsOfWorkbook.find((r) => r.type === REL.sharedStrings);
    this.part = rel ? resolveTarget(WORKBOOK, rel.target) : 'xl/sharedStrings.xml';
    const xml = rel ? pkg.text(this.part) : undefined;
    if (rel && xml === undefined) throw new PatchUnsupported(`${this.part} is missing`);
    if (xml !== undefined && prefixOf(xml, NS.main) !== '') throw new PatchUnsupported('sharedStrings.xml does not use the main namespace as its default');
    for (const m of (xml ?? '').matchAll(/<si>([^]*?)<\/si>|<si\/>/g)) {
      const plain = /^<t(?:\s+xml:space="preserve")?>([^<]*)<\/t>$/.exec(m[1] ?? '<t></t>');
      // Rich text is not a plain string to share: it keeps its place, unused by new cells.
      if (plain) {
        const text = unescapeXml(plain[1]);
        if (!this.index.has(text)) this.index.set(text, this.size);
      }
      this.size++;
    }
  }

  /** The index of `text`, added when new. */
  add(text: string): number {
    this.references++;
    const known = this.index.get(text);
    if (known !== undefined) return known;
    const id = this.size++;
    this.index.set(text, id);
    this.added.push(text);
    return id;
  }

  /** Writes the part (creating it, its relationship and content type when the workbook had none). */
  save(workbookRels: Relationship[]): Relationship[] {
    if (this.added.length === 0 && this.references === 0) return workbookRels;
    const items = this.added.map((t) => `<si><t xml:space="preserve">${escapeXml(t)}</t></si>`).join('');
    const xml = this.pkg.text(this.part);
    if (xml === undefined) {
      this.pkg.setText(this.part, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="${NS.main}" count="${this.references}" uniqueCount="${this.size}">${items}</sst>`);
      this.pkg.setOverride(this.part, CONTENT_TYPE.sharedStrings);
      return [...workbookRels, { id: freshRelId(workbookRels), type: REL.sharedStrings, target: relativeTarget(WORKBOOK, this.part), external: false }];
    }
    const open = startTag('sst').exec(xml);
    if (!open) throw new PatchUnsupported('no <sst>');
    const count = Number(attributes(open[0]).get('count') ?? 0) + this.references;
    let tag = withAttribute(open[0], 'uniqueCount', String(this.size));
    if (attributes(open[0]).has('count')) tag = withAttribute(tag, 'count', String(count));
    const body = open[0].endsWith('/>') ? `${tag.replace(/\/>$/, '>')}${items}</sst>` : null;
    this.pkg.setText(this.part, body ? xml.replace(open[0], body) : xml.replace(open[0], tag).replace(/<\/sst>\s*$/, `${items}</sst>`));
    return workbookRels;
  }
}

// ---------------------------------------------------------------------------------------------
// Cells

interface Write {
  col: number;
  value: CellValue;
  numberFormat: string | undefined;
}

/** Column letters by number, made once each (a sheet's writes ask for the same few columns again and again). */
const LETTERS: string[] = [];
const letters = (col: number) => LETTERS[col] ?? (LETTERS[col] = columnLetter(col));

/** A cell as XML: numbers as numbers, text inline (so shared strings stay as they are), null empty. */
function cellXml(ref: string, style: number | undefined, value: CellValue): string {
  const s = style ? ` s="${style}"` : '';
  if (value === null) return `<c r="${ref}"${s}/>`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new PatchUnsupported(`${ref}: ${value} is not a number Excel holds`);
    return `<c r="${ref}"${s}><v>${value}</v></c>`;
  }
  if (typeof value === 'boolean') return `<c r="${ref}"${s} t="b"><v>${value ? 1 : 0}</v></c>`;
  return `<c r="${ref}"${s} t="inlineStr"><is><t xml:space="preserve">${escapeXml(value)}</t></is></c>`;
}

const CELL = /<c(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>/y;
const ROW = /<row(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>/g;

/**
 * The sheet XML with the writes made: each written cell replaced (its style kept, or given the write's
 * number format), cells and rows that were not there added in order. A formula in a written cell goes;
 * one that other cells share or an array formula over several cells cannot: PatchUnsupported.
 */
function writeCells(xml: string, byRow: Map<number, Write[]>, styles: Styles): { xml: Buffer; formulas: boolean } {
  const open = startTag('sheetData').exec(xml);
  if (!open) throw new PatchUnsupported('no <sheetData>');
  const bodyStart = open.index + open[0].length;
  const close = open[0].endsWith('/>') ? bodyStart : xml.indexOf('</sheetData>', bodyStart);
  if (close < 0) throw new PatchUnsupported('<sheetData> is not closed');
  const rows = [...byRow.keys()].sort((a, b) => a - b);
  let formulas = false;
  // Written as it goes: the sheet's text is copied piece by piece, never held as thousands of strings.
  const out = new ByteSink(Math.ceil(xml.length * 1.5));
  out.write(open[0].endsWith('/>') ? `${xml.slice(0, open.index)}<sheetData>` : xml.slice(0, bodyStart));
  let copied = bodyStart;
  let next = 0;
  let lastRow = 0;
  const newRow = (r: number) => `<row r="${r}">${byRow.get(r)!.map((w) => cellXml(`${letters(w.col)}${r}`, w.numberFormat === undefined ? undefined : styles.withNumberFormat(0, w.numberFormat), w.value)).join('')}</row>`;
  ROW.lastIndex = bodyStart;
  let m: RegExpExecArray | null;
  while (next < rows.length && (m = ROW.exec(xml)) && m.index < close) {
    const tag = m[0];
    const rAttr = attributes(tag).get('r');
    const r = rAttr === undefined ? lastRow + 1 : Number(rAttr);
    if (!Number.isInteger(r) || r <= lastRow) throw new PatchUnsupported(`row ${rAttr} out of order`);
    lastRow = r;
    const end = tag.endsWith('/>') ? ROW.lastIndex : xml.indexOf('</row>', ROW.lastIndex) + 6;
    if (end < ROW.lastIndex) throw new PatchUnsupported(`row ${r} is not closed`);
    // Rows with writes before this one that the sheet does not have yet.
    while (next < rows.length && rows[next] < r) {
      out.write(xml.slice(copied, m.index));
      out.write(newRow(rows[next]));
      copied = m.index;
      next++;
    }
    if (rows[next] === r) {
      const inner = tag.endsWith('/>') ? '' : xml.slice(ROW.lastIndex, end - 6);
      out.write(xml.slice(copied, m.index));
      // spans is a hint of the row's columns: a cell added outside it would contradict it.
      out.write(withoutAttribute(tag.replace(/\/>$/, '>'), 'spans'));
      formulas = patchRow(inner, r, byRow.get(r)!, styles, out) || formulas;
      out.write('</row>');
      copied = end;
      next++;
    }
    ROW.lastIndex = end;
  }
  out.write(xml.slice(copied, close));
  while (next < rows.length) out.write(newRow(rows[next++]));
  out.write(open[0].endsWith('/>') ? `</sheetData>${xml.slice(bodyStart)}` : xml.slice(close));
  return { xml: out.bytes(), formulas };
}

/** The r and s of a cell's start tag (quotes respected), without a map per cell. */
const CELL_ATTRIBUTE = /\s(r|s)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The column of a cell reference like "AB12". */
function cellColumn(ref: string): number {
  let col = 0;
  let i = 0;
  for (; i < ref.length && i < 3; i++) {
    const c = ref.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) break;
    col = col * 26 + (c - 0x60);
  }
  if (i === 0 || i === ref.length || !/^\d+$/.test(ref.slice(i))) throw new PatchUnsupported(`cell reference ${ref}`);
  return col;
}

/** The row's cells with the writes made, written to `out`; whether a formula was overwritten. */
function patchRow(inner: string, row: number, writes: Write[], styles: Styles, out: ByteSink): boolean {
  const sorted = writes.length > 1 ? [...writes].sort((a, b) => a.col - b.col) : writes;
  let w = 0;
  /** Copied up to here. */
  let pos = 0;
  /** Looked at up to here. */
  let scan = 0;
  let lastCol = 0;
  let formulas = false;
  // The row's text gathered as one string and written once (a write per cell costs more than the cell).
  let text = '';
  const emit = (write: Write, style: number | undefined) => {
    const s = write.numberFormat === undefined ? style : styles.withNumberFormat(style ?? 0, write.numberFormat);
    text += cellXml(`${letters(write.col)}${row}`, s, write.value);
  };
  while (w < sorted.length) {
    const start = inner.indexOf('<c', scan);
    if (start < 0 || !/[\s/>]/.test(inner[start + 2] ?? '')) {
      if (start >= 0) throw new PatchUnsupported(`row ${row}: unexpected <${inner.slice(start + 1, start + 12)}`);
      break;
    }
    CELL.lastIndex = start;
    const m = CELL.exec(inner);
    if (!m) throw new PatchUnsupported(`row ${row}: unreadable cell`);
    const tag = m[0];
    const end = tag.endsWith('/>') ? CELL.lastIndex : inner.indexOf('</c>', CELL.lastIndex) + 4;
    if (end < CELL.lastIndex) throw new PatchUnsupported(`row ${row}: cell not closed`);
    scan = end;
    let ref: string | undefined;
    let styleText: string | undefined;
    CELL_ATTRIBUTE.lastIndex = 2;
    for (let a = CELL_ATTRIBUTE.exec(tag); a; a = CELL_ATTRIBUTE.exec(tag)) {
      const value = a[2] ?? a[3];
      if (a[1] === 'r') ref = value;
      else styleText = value;
    }
    const col = ref !== undefined ? cellColumn(ref) : lastCol + 1;
    if (col <= lastCol) throw new PatchUnsupported(`row ${row}: cells out of order`);
    lastCol = col;
    while (w < sorted.length && sorted[w].col < col) {
      text += inner.slice(pos, start);
      pos = start;
      emit(sorted[w++], undefined);
    }
    if (w < sorted.length && sorted[w].col === col) {
      if (end > CELL.lastIndex) {
        const formula = /<f(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>/.exec(inner.slice(CELL.lastIndex, end - 4));
        if (formula) {
          const f = attributes(formula[0]);
          if (f.get('t') === 'shared' && f.has('ref')) throw new PatchUnsupported(`${a1(row, col)} holds a formula other cells share`);
          if ((f.get('t') === 'array' || f.get('t') === 'dataTable') && (f.get('ref') ?? a1(row, col)) !== a1(row, col)) throw new PatchUnsupported(`${a1(row, col)} holds an array formula over several cells`);
          formulas = true;
        }
      }
      const style = styleText !== undefined ? Number(unescapeXml(styleText)) : undefined;
      text += inner.slice(pos, start);
      emit(sorted[w++], style);
      pos = end;
    }
  }
  text += inner.slice(pos);
  while (w < sorted.length) emit(sorted[w++], undefined);
  out.write(text);
  return formulas;
}

/** Merged areas that meet any of `areas` taken out of <mergeCells>. */
function unmerge(xml: string, areas: readonly CellRange[]): string {
  if (areas.length === 0) return xml;
  const meets = (m: CellRange) => areas.some((u) => u.left <= m.right && m.left <= u.right && u.top <= m.bottom && m.top <= u.bottom);
  let kept = 0;
  let out = xml.replace(startTag('mergeCell'), (tag) => {
    const ref = attributes(tag).get('ref');
    let area: CellRange;
    try {
      area = parseRange(ref ?? '');
    } catch {
      throw new PatchUnsupported(`merged area ${ref}`);
    }
    if (meets(area)) return '';
    kept++;
    return tag;
  });
  out = out.replace(startTag('mergeCells'), (tag) => withAttribute(tag, 'count', String(kept)));
  return kept === 0 ? out.replace(/<mergeCells\b[^>]*>\s*<\/mergeCells>|<mergeCells\b[^>]*\/>/, '') : out;
}

// ---------------------------------------------------------------------------------------------
// Backups: the sheet's XML as it was, and what it needs to stand alone

/** Relationship types a backup carries (its own copy of comments and their drawing; links as they were). */
const CARRIED = new Set<string>([REL.comments, REL.vmlDrawing, REL.hyperlink]);
/** Elements that only point at a part a backup does not carry (pictures, charts, tables, printer blobs): left out of the copy. */
const DROPPED_ELEMENTS = ['drawing', 'legacyDrawingHF', 'picture', 'tableParts'];

function backUp(pkg: XlsxPackage, source: SheetEntry, name: string, sheetXml: string): { part: string; xml: string } {
  const r = prefixOf(sheetXml, NS.relationships);
  const rels = pkg.rels(source.part);
  let xml = sheetXml
    // A second selected tab would put Excel in group-edit mode; a VBA code name belongs to one sheet.
    .replace(startTag('sheetView'), (tag) => withoutAttribute(tag, 'tabSelected'))
    .replace(startTag('sheetPr'), (tag) => withoutAttribute(tag, 'codeName'));
  const part = pkg.freshName('xl/worksheets/sheet', '.xml');
  const carried: Relationship[] = [];
  for (const rel of rels) {
    if (!CARRIED.has(rel.type)) continue;
    if (rel.external || rel.type === REL.hyperlink) {
      carried.push(rel);
      continue;
    }
    const from = resolveTarget(source.part, rel.target);
    const data = pkg.text(from);
    if (data === undefined) throw new PatchUnsupported(`${source.part} points at ${from}, which is missing`);
    const copy = rel.type === REL.comments ? pkg.freshName('xl/comments', '.xml') : pkg.freshName('xl/drawings/vmlDrawing', '.vml');
    pkg.setText(copy, data);
    const type = pkg.contentTypeOf(from);
    if (type && pkg.contentTypeOf(copy) !== type) pkg.setOverride(copy, type);
    carried.push({ ...rel, target: relativeTarget(part, copy) });
  }
  const carriedIds = new Set(carried.map((x) => x.id));
  if (rels.some((x) => !carriedIds.has(x.id))) {
    if (r === undefined) throw new PatchUnsupported(`${source.part} has relationships but no prefix for them`);
    for (const element of DROPPED_ELEMENTS) xml = dropElement(xml, element);
    xml = xml.replace(startTag('pageSetup'), (tag) => withoutAttribute(tag, `${r}:id`));
    // Anything else that still points at a relationship left behind cannot be copied safely.
    for (const m of xml.matchAll(new RegExp(`\\s${r}:(?:id|embed|link|pict)\\s*=\\s*"([^"]*)"`, 'g'))) {
      if (!carriedIds.has(unescapeXml(m[1]))) throw new PatchUnsupported(`${source.part} holds parts a backup cannot carry (${m[1]})`);
    }
  }
  pkg.setText(part, xml);
  pkg.setOverride(part, CONTENT_TYPE.worksheet);
  pkg.setRels(part, carried);
  void name;
  return { part, xml };
}

function dropElement(xml: string, name: string): string {
  const whole = section(xml, name);
  return whole === undefined ? xml : xml.replace(whole, '');
}

/** A defined name's formula with references to sheet `from` made references to sheet `to`. */
export function renameSheetReferences(formula: string, from: string, to: string): string {
  const quoted = (n: string) => `'${n.replace(/'/g, "''")}'`;
  const plain = /^[\p{L}_][\p{L}\p{N}_.]*$/u.test(from) && !/^[A-Za-z]{1,3}\d+$/.test(from);
  let out = formula.split(`${quoted(from)}!`).join(`${quoted(to)}!`);
  if (plain) out = out.replace(new RegExp(`(^|[^\\p{L}\\p{N}_.'!])${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}!`, 'gu'), `$1${quoted(to)}!`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// New sheets (規範數據): XML and an Excel table

function newSheetXml(spec: NewSheet, styles: Styles, strings: SharedStrings, r: string, tableRel: string | undefined): { xml: Buffer; ref: string } {
  const width = spec.header.length;
  const lastCol = columnLetter(width);
  const rows = spec.rows.length > 0 ? spec.rows : [[]];
  const ref = `A1:${lastCol}${rows.length + 1}`;
  const formats = Array.from({ length: width }, (_, j) => spec.columnFormats[j] ?? null);
  const headerStyle = styles.boldWith('General');
  const styleAttr = formats.map((f) => (f ? styles.plain(f) : 0)).map((s) => (s ? ` s="${s}"` : ''));
  const starts = Array.from({ length: width }, (_, j) => `<c r="${columnLetter(j + 1)}`);
  const cols = spec.columnWidths
    .map((w, j) => (Number.isFinite(w) && w > 0 ? `<col min="${j + 1}" max="${j + 1}" width="${w}" customWidth="1"/>` : ''))
    .join('');
  // Rows are plain ASCII (text is in the shared strings), written as bytes one row at a time.
  const out = new ByteSink(64 + rows.length * width * 32);
  const head = [
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
      `<worksheet xmlns="${NS.main}" xmlns:${r}="${NS.relationships}">` +
      `<dimension ref="${ref}"/>` +
      `<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>` +
      `<sheetFormatPr defaultRowHeight="15"/>` +
      (cols ? `<cols>${cols}</cols>` : '') +
      `<sheetData>`,
    `<row r="1">${tableHeaders(spec.header).map((h, j) => cellXml(`${columnLetter(j + 1)}1`, headerStyle, h)).join('')}</row>`,
  ];
  out.write(head.join(''));
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const r = i + 2;
    let line = `<row r="${r}">`;
    for (let j = 0; j < width; j++) {
      const v = row[j] === undefined ? null : row[j];
      const s = styleAttr[j];
      if (v === null) {
        if (s) line += `${starts[j]}${r}"${s}/>`;
      } else if (typeof v === 'string') line += `${starts[j]}${r}"${s} t="s"><v>${strings.add(v)}</v></c>`;
      else if (typeof v === 'number') line += `${starts[j]}${r}"${s}><v>${v}</v></c>`;
      else line += `${starts[j]}${r}"${s} t="b"><v>${v ? 1 : 0}</v></c>`;
    }
    out.write(`${line}</row>`, 'latin1');
  }
  out.write(
    `</sheetData>` +
      `<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>` +
      (tableRel ? `<tableParts count="1"><tablePart ${r}:id="${tableRel}"/></tableParts>` : '') +
      `</worksheet>`,
  );
  return { xml: out.bytes(), ref };
}

function tableXml(spec: NewSheet, id: number, ref: string): string {
  const columns = tableHeaders(spec.header).map((name, j) => `<tableColumn id="${j + 1}" name="${escapeXml(name)}"/>`);
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<table xmlns="${NS.main}" id="${id}" name="${escapeXml(spec.tableName)}" displayName="${escapeXml(spec.tableName)}" ref="${ref}" totalsRowShown="0">` +
    `<autoFilter ref="${ref}"/><tableColumns count="${columns.length}">${columns.join('')}</tableColumns>` +
    `<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/></table>`
  );
}

function nextTableId(pkg: XlsxPackage): number {
  let max = 0;
  for (const name of pkg.names()) {
    if (!/^xl\/tables\/[^/]+\.xml$/i.test(name)) continue;
    max = Math.max(max, Number(attributes(startTag('table').exec(pkg.text(name) ?? '')?.[0] ?? '').get('id') ?? 0));
  }
  return max + 1;
}

// ---------------------------------------------------------------------------------------------
// The plan

function writesByRow(edit: SheetEdit): Map<number, Write[]> {
  const byRow = new Map<number, Write[]>();
  for (const block of edit.blocks) {
    forEachWrite(block, (row, col, value, numberFormat) => {
      const list = byRow.get(row);
      const w = { col, value, numberFormat };
      if (list) list.push(w);
      else byRow.set(row, [w]);
    });
  }
  // A cell written twice keeps its last write, as writing them one by one would.
  for (const [row, list] of byRow) {
    const last = new Map<number, Write>();
    for (const w of list) last.set(w.col, w);
    if (last.size !== list.length) byRow.set(row, [...last.values()]);
  }
  return byRow;
}

/**
 * Applies the plan to the package (checked whole first, as the ExcelJS adapter checks it: EditPlanError
 * and nothing changed). `grids` are the sheets as read, for their merged areas.
 */
export function patchWorkbook(pkg: XlsxPackage, plan: EditPlan, grids: readonly Grid[]): void {
  const workbook = sheetsOf(pkg);
  checkEditPlan(factsOf(pkg, workbook.entries, grids), plan);
  const styles = new Styles(pkg);
  const strings = new SharedStrings(pkg, workbook.rels);
  let workbookXml = workbook.xml;
  let workbookRels = [...workbook.rels];
  let nextSheetId = workbook.entries.reduce((max, e) => Math.max(max, e.sheetId), 0) + 1;
  const appended: string[] = [];
  const definedNames = [...workbookXml.matchAll(startTag('definedName'))];
  const copiedNames: string[] = [];
  let formulas = false;
  const originals = new Map<string, string>();

  // Everything that can refuse is done first, on strings; the package is written only at the end.
  const sheetTexts = new Map<string, Buffer>();
  for (const edit of plan.edits) {
    const entry = findEntry(workbook.entries, edit.sheet)!;
    const xml = pkg.text(entry.part);
    if (xml === undefined) throw new PatchUnsupported(`${entry.part} is missing`);
    if (prefixOf(xml, NS.main) !== '') throw new PatchUnsupported(`${entry.part} does not use the main namespace as its default`);
    originals.set(entry.part, xml);
    const written = writeCells(unmerge(xml, edit.unmerge), writesByRow(edit), styles);
    formulas ||= written.formulas;
    sheetTexts.set(entry.part, written.xml);
  }

  for (const edit of plan.edits) {
    const entry = findEntry(workbook.entries, edit.sheet)!;
    if (edit.backupAs !== undefined && !findEntry(workbook.entries, edit.backupAs)) {
      const backup = backUp(pkg, entry, edit.backupAs, originals.get(entry.part)!);
      const relId = freshRelId(workbookRels);
      workbookRels = [...workbookRels, { id: relId, type: REL.worksheet, target: relativeTarget(WORKBOOK, backup.part), external: false }];
      appended.push(`<sheet name="${escapeXml(edit.backupAs)}" sheetId="${nextSheetId++}" ${workbook.r}:id="${relId}"/>`);
      // Print titles and areas are the sheet's own: the backup prints as the original did.
      const index = workbook.entries.indexOf(entry);
      const backupIndex = workbook.entries.length + appended.length - 1;
      for (const m of definedNames) {
        const a = attributes(m[0]);
        if (a.get('localSheetId') !== String(index)) continue;
        const close = workbookXml.indexOf('</definedName>', m.index!);
        const formula = unescapeXml(workbookXml.slice(m.index! + m[0].length, close));
        copiedNames.push(`${withAttribute(m[0], 'localSheetId', String(backupIndex))}${escapeXml(renameSheetReferences(formula, entry.name, edit.backupAs))}</definedName>`);
      }
    }
  }
  for (const [part, xml] of sheetTexts) pkg.set(part, xml);

  for (const spec of plan.newSheets) {
    const existing = findEntry(workbook.entries, spec.name);
    let part: string;
    if (existing) {
      // Our own sheet of an earlier run: replaced in its place; its table goes with it.
      part = existing.part;
      for (const rel of pkg.rels(part)) {
        if (rel.external) continue;
        const target = resolveTarget(part, rel.target);
        if (rel.type === REL.table) {
          pkg.delete(target);
          pkg.removeOverride(target);
        }
      }
    } else {
      part = pkg.freshName('xl/worksheets/sheet', '.xml');
      const relId = freshRelId(workbookRels);
      workbookRels = [...workbookRels, { id: relId, type: REL.worksheet, target: relativeTarget(WORKBOOK, part), external: false }];
      appended.push(`<sheet name="${escapeXml(spec.name)}" sheetId="${nextSheetId++}" ${workbook.r}:id="${relId}"/>`);
      pkg.setOverride(part, CONTENT_TYPE.worksheet);
    }
    const table = pkg.freshName('xl/tables/table', '.xml');
    const sheet = newSheetXml(spec, styles, strings, 'r', 'rId1');
    pkg.set(part, sheet.xml);
    pkg.setText(table, tableXml(spec, nextTableId(pkg), sheet.ref));
    pkg.setOverride(table, CONTENT_TYPE.table);
    pkg.setRels(part, [{ id: 'rId1', type: REL.table, target: relativeTarget(part, table), external: false }]);
  }

  if (appended.length > 0) workbookXml = workbookXml.replace(/<\/sheets>/, `${appended.join('')}</sheets>`);
  if (copiedNames.length > 0) workbookXml = workbookXml.replace(/<\/definedNames>/, `${copiedNames.join('')}</definedNames>`);
  // A formula overwritten with a value would leave the calculation chain naming a cell without one;
  // Excel rebuilds the chain when it is missing. Macros are not carried (the copy is an .xlsx).
  for (const rel of workbookRels) {
    const target = resolveTarget(WORKBOOK, rel.target);
    if ((rel.type === REL.calcChain && formulas) || rel.type === REL.vbaProject) {
      pkg.delete(target);
      pkg.removeOverride(target);
      workbookRels = workbookRels.filter((x) => x !== rel);
    }
  }
  if (pkg.contentTypeOf(WORKBOOK) === CONTENT_TYPE.macroWorkbook) pkg.setOverride(WORKBOOK, CONTENT_TYPE.workbook);
  workbookRels = strings.save(workbookRels);
  pkg.setText(WORKBOOK, workbookXml);
  pkg.setRels(WORKBOOK, workbookRels);
  styles.save();
}
