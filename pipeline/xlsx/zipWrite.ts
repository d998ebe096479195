// Writes a zip (the container of an .xlsx) from parts: new content is deflated here (zlib, native),
// parts taken unchanged from the input keep their stored bytes, so a copy of a workbook costs little
// more than its changed parts. No zip64: an .xlsx this product writes stays far below 4 GB.
import * as zlib from 'node:zlib';

/** A part with new content. */
export interface NewPart {
  name: string;
  content: Buffer;
}

/** A part copied as stored in another zip: its compressed bytes and what its central header said of them. */
export interface StoredPart {
  name: string;
  stored: { method: number; crc32: number; compressedSize: number; uncompressedSize: number; data: Buffer };
}

export type ZipPart = NewPart | StoredPart;

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;
/** Bit 11: the name is UTF-8 (sheet and part names may be Chinese). */
const UTF8_NAMES = 0x0800;
/** 1980-01-01 00:00 in DOS format: fixed, so the same parts always make the same bytes. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

let table: Int32Array | undefined;

/** CRC-32 of the data (zlib's own where Node has it, 20.15 and later). */
export function crc32(data: Buffer): number {
  const native = (zlib as { crc32?: (data: Buffer) => number }).crc32;
  if (native) return native(data) >>> 0;
  if (!table) {
    table = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    }
  }
  let crc = -1;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

function stored(part: ZipPart): StoredPart['stored'] {
  if ('stored' in part) return part.stored;
  // A sheet of 100,000 rows is tens of MB of XML: the fast level costs a little size and saves most of the time.
  const data = zlib.deflateRawSync(part.content, { level: part.content.length > 1 << 20 ? 1 : 6 });
  return { method: 8, crc32: crc32(part.content), compressedSize: data.length, uncompressedSize: part.content.length, data };
}

/** The zip of `parts`, in their order. */
export function writeZip(parts: readonly ZipPart[]): Buffer {
  const chunks: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const names = new Set<string>();
  for (const part of parts) {
    if (names.has(part.name)) throw new Error(`zip part written twice: ${part.name}`);
    names.add(part.name);
    const s = stored(part);
    if (s.compressedSize > 0xfffffffe || s.uncompressedSize > 0xfffffffe || offset > 0xfffffffe) throw new Error('zip too large for this writer (no zip64)');
    const name = Buffer.from(part.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(s.method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(s.crc32, 14);
    local.writeUInt32LE(s.compressedSize, 18);
    local.writeUInt32LE(s.uncompressedSize, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const head = Buffer.alloc(46);
    head.writeUInt32LE(CENTRAL_HEADER, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(20, 6);
    head.writeUInt16LE(UTF8_NAMES, 8);
    head.writeUInt16LE(s.method, 10);
    head.writeUInt16LE(DOS_TIME, 12);
    head.writeUInt16LE(DOS_DATE, 14);
    head.writeUInt32LE(s.crc32, 16);
    head.writeUInt32LE(s.compressedSize, 20);
    head.writeUInt32LE(s.uncompressedSize, 24);
    head.writeUInt16LE(name.length, 28);
    head.writeUInt32LE(offset, 42);
    chunks.push(local, name, s.data);
    central.push(head, name);
    offset += local.length + name.length + s.data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_DIRECTORY, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  if (parts.length > 0xffff) throw new Error('zip has too many parts for this writer (no zip64)');
  return Buffer.concat([...chunks, directory, end]);
}
