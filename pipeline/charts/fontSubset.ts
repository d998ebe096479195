// Cuts a TrueType font down to the characters one chart draws. Why: resvg-js takes fonts only as file
// paths and reads the whole file again for every run of text it shapes; with the 10 MB Noto Sans SC
// that is ~10 ms per label, seconds per chart. A subset holds the same outlines and advances for the
// characters kept (glyphs copied byte for byte, glyph ids and kerning unchanged), so the picture is
// the same, at a fraction of the cost (a subset is ~0.3 MB, mostly the per-glyph metric tables).
// Hinting and substitutions are left out: resvg does not hint, and Chinese needs no substitutions.

interface TableRecord {
  tag: string;
  offset: number;
  length: number;
}

export function tableDirectory(font: Buffer): Map<string, TableRecord> {
  const tables = new Map<string, TableRecord>();
  for (let i = 0; i < font.readUInt16BE(4); i++) {
    const at = 12 + 16 * i;
    const tag = font.toString('latin1', at, at + 4);
    tables.set(tag, { tag, offset: font.readUInt32BE(at + 8), length: font.readUInt32BE(at + 12) });
  }
  return tables;
}

export function table(font: Buffer, tables: Map<string, TableRecord>, tag: string): Buffer {
  const record = tables.get(tag);
  if (!record) throw new Error(`font has no ${tag} table`);
  return font.subarray(record.offset, record.offset + record.length);
}

/** Code point → glyph id, from the format 12 (or format 4) Unicode cmap table. */
export function readCmap(cmap: Buffer): Map<number, number> {
  const glyphs = new Map<number, number>();
  const subtables: { format: number; at: number }[] = [];
  for (let i = 0; i < cmap.readUInt16BE(2); i++) {
    const at = cmap.readUInt32BE(4 + 8 * i + 4);
    subtables.push({ format: cmap.readUInt16BE(at), at });
  }
  const full = subtables.find((s) => s.format === 12);
  const bmp = subtables.find((s) => s.format === 4);
  if (full) {
    for (let g = 0; g < cmap.readUInt32BE(full.at + 12); g++) {
      const at = full.at + 16 + 12 * g;
      const start = cmap.readUInt32BE(at);
      const end = cmap.readUInt32BE(at + 4);
      const first = cmap.readUInt32BE(at + 8);
      for (let c = start; c <= end; c++) glyphs.set(c, first + c - start);
    }
    return glyphs;
  }
  if (!bmp) throw new Error('font has no Unicode cmap (format 4 or 12)');
  const segments = cmap.readUInt16BE(bmp.at + 6) / 2;
  const ends = bmp.at + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  for (let s = 0; s < segments; s++) {
    const start = cmap.readUInt16BE(starts + 2 * s);
    const end = cmap.readUInt16BE(ends + 2 * s);
    const delta = cmap.readInt16BE(deltas + 2 * s);
    const rangeOffset = cmap.readUInt16BE(rangeOffsets + 2 * s);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      if (rangeOffset === 0) glyphs.set(c, (c + delta) & 0xffff);
      else {
        const raw = cmap.readUInt16BE(rangeOffsets + 2 * s + rangeOffset + 2 * (c - start));
        glyphs.set(c, raw === 0 ? 0 : (raw + delta) & 0xffff);
      }
    }
  }
  return glyphs;
}

const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** Offsets (within the glyph) of the component glyph ids of a composite glyph. */
function componentIdOffsets(glyph: Buffer): number[] {
  if (glyph.length < 10 || glyph.readInt16BE(0) >= 0) return [];
  const offsets: number[] = [];
  let at = 10;
  for (;;) {
    const flags = glyph.readUInt16BE(at);
    offsets.push(at + 2);
    at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE) at += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
    if (!(flags & MORE_COMPONENTS)) return offsets;
  }
}

function checksum(data: Buffer): number {
  let sum = 0;
  const padded = data.length % 4 === 0 ? data : Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]);
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

/** Parsed once per font file; subsets are then cheap. */
export interface SubsettableFont {
  /** A TrueType font drawing just `characters` (plus .notdef), same family name, metrics and kerning. */
  subset(characters: Iterable<string>): Buffer;
}

export function subsettableFont(font: Buffer): SubsettableFont {
  const tables = tableDirectory(font);
  const head = table(font, tables, 'head');
  const hhea = table(font, tables, 'hhea');
  const maxp = table(font, tables, 'maxp');
  const hmtx = table(font, tables, 'hmtx');
  const loca = table(font, tables, 'loca');
  const glyf = table(font, tables, 'glyf');
  const cmap = readCmap(table(font, tables, 'cmap'));
  const longLoca = head.readInt16BE(50) === 1;
  const glyphCount = maxp.readUInt16BE(4);

  const glyphData = (id: number): Buffer => {
    const start = longLoca ? loca.readUInt32BE(4 * id) : 2 * loca.readUInt16BE(2 * id);
    const end = longLoca ? loca.readUInt32BE(4 * id + 4) : 2 * loca.readUInt16BE(2 * id + 2);
    return glyf.subarray(start, end);
  };

  return {
    subset(characters) {
      // Glyph ids stay as they are (so GPOS kerning still applies); glyphs not needed become empty.
      const keep = new Set<number>([0]);
      const add = (id: number) => {
        if (keep.has(id) || id >= glyphCount) return;
        keep.add(id);
        const data = glyphData(id);
        for (const at of componentIdOffsets(data)) add(data.readUInt16BE(at));
      };
      const mapped: [number, number][] = [];
      for (const ch of new Set(characters)) {
        const cp = ch.codePointAt(0)!;
        const id = cmap.get(cp);
        if (id === undefined || id === 0) continue;
        add(id);
        mapped.push([cp, id]);
      }
      mapped.sort((a, b) => a[0] - b[0]);

      const parts: Buffer[] = [];
      const newLoca = Buffer.alloc(4 * (glyphCount + 1));
      let offset = 0;
      for (let id = 0; id < glyphCount; id++) {
        newLoca.writeUInt32BE(offset, 4 * id);
        if (!keep.has(id)) continue;
        const data = glyphData(id);
        // Entries stay 4-byte aligned, as readers expect.
        const padded = data.length % 4 === 0 ? data : Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]);
        parts.push(padded);
        offset += padded.length;
      }
      newLoca.writeUInt32BE(offset, 4 * glyphCount);
      const newHead = Buffer.from(head);
      newHead.writeInt16BE(1, 50); // long loca
      newHead.writeUInt32BE(0, 8); // checkSumAdjustment, set when assembled

      // post version 3: no glyph names.
      const newPost = Buffer.from(table(font, tables, 'post').subarray(0, 32));
      newPost.writeUInt32BE(0x00030000, 0);

      const out: [string, Buffer][] = [
        ['OS/2', table(font, tables, 'OS/2')],
        ['cmap', unicodeCmap(mapped)],
        ['glyf', Buffer.concat(parts)],
        ['head', newHead],
        ['hhea', hhea],
        ['hmtx', hmtx],
        ['loca', newLoca],
        ['maxp', maxp],
        ['name', table(font, tables, 'name')],
        ['post', newPost],
      ];
      // Kerning (GPOS, with the glyph classes of GDEF) is kept; substitutions (GSUB) are not: a
      // substitute glyph could be one left empty here, and Chinese text needs none.
      for (const tag of ['GDEF', 'GPOS']) if (tables.has(tag)) out.push([tag, table(font, tables, tag)]);
      return assemble(out);
    },
  };
}

/** A cmap with one format 12 subtable, for Unicode and for Windows full repertoire. */
function unicodeCmap(mapped: readonly [number, number][]): Buffer {
  const groups: [number, number, number][] = [];
  for (const [cp, id] of mapped) {
    const last = groups[groups.length - 1];
    if (last && cp === last[1] + 1 && id === last[2] + (cp - last[0])) last[1] = cp;
    else groups.push([cp, cp, id]);
  }
  const sub = Buffer.alloc(16 + 12 * groups.length);
  sub.writeUInt16BE(12, 0);
  sub.writeUInt32BE(sub.length, 4);
  sub.writeUInt32BE(groups.length, 12);
  groups.forEach(([start, end, glyph], i) => {
    sub.writeUInt32BE(start, 16 + 12 * i);
    sub.writeUInt32BE(end, 20 + 12 * i);
    sub.writeUInt32BE(glyph, 24 + 12 * i);
  });
  const header = Buffer.alloc(4 + 8 * 2);
  header.writeUInt16BE(2, 2);
  header.writeUInt16BE(0, 4); // Unicode
  header.writeUInt16BE(4, 6); // full repertoire
  header.writeUInt32BE(header.length, 8);
  header.writeUInt16BE(3, 12); // Windows
  header.writeUInt16BE(10, 14); // UCS-4
  header.writeUInt32BE(header.length, 16);
  return Buffer.concat([header, sub]);
}

/** Writes the tables (sorted by tag) behind an sfnt header and directory, with checksums. */
function assemble(tables: [string, Buffer][]): Buffer {
  const sorted = [...tables].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const count = sorted.length;
  const power = 2 ** Math.floor(Math.log2(count));
  const header = Buffer.alloc(12 + 16 * count);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(count, 4);
  header.writeUInt16BE(power * 16, 6);
  header.writeUInt16BE(Math.log2(power), 8);
  header.writeUInt16BE(count * 16 - power * 16, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  let headOffset = -1;
  sorted.forEach(([tag, data], i) => {
    const at = 12 + 16 * i;
    header.write(tag, at, 'latin1');
    header.writeUInt32BE(checksum(data), at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(data.length, at + 12);
    if (tag === 'head') headOffset = offset;
    const padding = (4 - (data.length % 4)) % 4;
    parts.push(data, Buffer.alloc(padding));
    offset += data.length + padding;
  });
  const font = Buffer.concat(parts);
  if (headOffset >= 0) font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, headOffset + 8);
  return font;
}
