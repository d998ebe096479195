// The zip container of an .xlsx, read from a buffer in one synchronous pass: the central directory,
// each entry's data, inflated with a byte budget. It refuses what yauzl (which zipGuard used before) and
// ExcelJS's unzipper refused, without yauzl's per-entry streams and event turns, which cost more than
// the inflating itself on a 15 KB workbook. Errors are plain Errors; zipGuard turns them into the
// clerk's message.
import { inflateRawSync } from 'node:zlib';
import { crc32 } from './zipWrite';

export interface ZipEntry {
  /** As yauzl decodes it: UTF-8 when flagged (or from the Info-ZIP Unicode Path field), else CP437; backslashes become '/'. */
  fileName: string;
  generalPurposeBitFlag: number;
  compressionMethod: number;
  compressedSize: number;
  uncompressedSize: number;
  relativeOffsetOfLocalHeader: number;
}

export function isEncrypted(entry: ZipEntry): boolean {
  return (entry.generalPurposeBitFlag & 0x1) !== 0;
}

export function canDecodeFileData(entry: ZipEntry): boolean {
  return !isEncrypted(entry) && (entry.compressionMethod === 0 || entry.compressionMethod === 8);
}

const EOCDR_SIZE = 22;
const ZIP64_EOCDL_SIZE = 20;

function readUInt64LE(buffer: Buffer, offset: number): number {
  return buffer.readUInt32LE(offset + 4) * 0x100000000 + buffer.readUInt32LE(offset);
}

/** `length` bytes at `position`, or "unexpected EOF" as yauzl says when the file ends first. */
function slice(bytes: Buffer, position: number, length: number): Buffer {
  if (position < 0 || position + length > bytes.length) throw new Error('unexpected EOF');
  return bytes.subarray(position, position + length);
}

/** Where the central directory is, how many entries it says it holds, and where it must end (its end record). */
export function readDirectoryEnd(bytes: Buffer): { entryCount: number; centralDirectoryOffset: number; centralDirectoryEnd: number } {
  const bufferSize = Math.min(ZIP64_EOCDL_SIZE + EOCDR_SIZE + 0xffff, bytes.length);
  const tail = bytes.subarray(bytes.length - bufferSize);
  for (let i = bufferSize - EOCDR_SIZE; i >= 0; i -= 1) {
    if (tail.readUInt32LE(i) !== 0x06054b50) continue;
    const eocdr = tail.subarray(i);
    let diskNumber = eocdr.readUInt16LE(4);
    let entryCount = eocdr.readUInt16LE(10);
    let centralDirectoryOffset = eocdr.readUInt32LE(16);
    let centralDirectoryEnd = bytes.length - bufferSize + i;
    const commentLength = eocdr.readUInt16LE(20);
    if (commentLength !== eocdr.length - EOCDR_SIZE) throw new Error('invalid comment length');
    if (i - ZIP64_EOCDL_SIZE >= 0 && tail.readUInt32LE(i - ZIP64_EOCDL_SIZE) === 0x07064b50) {
      const zip64EocdrOffset = readUInt64LE(tail, i - ZIP64_EOCDL_SIZE + 8);
      const zip64Eocdr = slice(bytes, zip64EocdrOffset, 56);
      if (zip64Eocdr.readUInt32LE(0) !== 0x06064b50) throw new Error('invalid zip64 end of central directory record signature');
      diskNumber = zip64Eocdr.readUInt32LE(16);
      entryCount = readUInt64LE(zip64Eocdr, 32);
      centralDirectoryOffset = readUInt64LE(zip64Eocdr, 48);
      centralDirectoryEnd = zip64EocdrOffset;
    }
    if (diskNumber !== 0) throw new Error('multi-disk zip files are not supported');
    return { entryCount, centralDirectoryOffset, centralDirectoryEnd };
  }
  throw new Error('end of central directory record signature not found');
}

interface ExtraField {
  id: number;
  data: Buffer;
}

function parseExtraFields(raw: Buffer): ExtraField[] {
  const fields: ExtraField[] = [];
  let i = 0;
  while (i < raw.length - 3) {
    const id = raw.readUInt16LE(i);
    const dataEnd = i + 4 + raw.readUInt16LE(i + 2);
    if (dataEnd > raw.length) throw new Error('extra field length exceeds extra field buffer size');
    fields.push({ id, data: raw.subarray(i + 4, dataEnd) });
    i = dataEnd;
  }
  return fields;
}

// CP437, the zip format's default code page (the same table yauzl uses).
const CP437 =
  '\u0000☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼ !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~⌂' +
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function decodeName(raw: Buffer, utf8: boolean): string {
  if (utf8) return raw.toString('utf8');
  let text = '';
  for (const b of raw) text += CP437[b];
  return text;
}

function fileNameOf(flag: number, raw: Buffer, extra: ExtraField[]): string {
  let name: string | undefined;
  for (const field of extra) {
    // Info-ZIP Unicode Path: used only when its CRC matches the plain name, as the format says.
    if (field.id !== 0x7075 || field.data.length < 6 || field.data.readUInt8(0) !== 1) continue;
    if (crc32(raw) !== field.data.readUInt32LE(1)) continue;
    name = field.data.subarray(5).toString('utf8');
    break;
  }
  return (name ?? decodeName(raw, (flag & 0x800) !== 0)).replace(/\\/g, '/');
}

function checkFileName(name: string): void {
  if (/^[a-zA-Z]:/.test(name) || name.startsWith('/')) throw new Error(`absolute path: ${name}`);
  if (name.split('/').includes('..')) throw new Error(`invalid relative path: ${name}`);
}

/**
 * The central directory's entries, all of them (yauzl's listing, lazyEntries). `maxEntries` is checked
 * against the count the directory declares before any entry is read.
 */
export function readEntries(bytes: Buffer, directory: { entryCount: number; centralDirectoryOffset: number; centralDirectoryEnd?: number }): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let cursor = directory.centralDirectoryOffset;
  for (let n = 0; n < directory.entryCount; n++) {
    const header = slice(bytes, cursor, 46);
    if (header.readUInt32LE(0) !== 0x02014b50) throw new Error('invalid central directory file header signature');
    const flag = header.readUInt16LE(8);
    const nameLength = header.readUInt16LE(28);
    const extraLength = header.readUInt16LE(30);
    const commentLength = header.readUInt16LE(32);
    if (flag & 0x40) throw new Error('strong encryption is not supported');
    cursor += 46;
    const variable = slice(bytes, cursor, nameLength + extraLength + commentLength);
    const extra = parseExtraFields(variable.subarray(nameLength, nameLength + extraLength));
    const fileName = fileNameOf(flag, variable.subarray(0, nameLength), extra);
    checkFileName(fileName);
    cursor += variable.length;
    const entry: ZipEntry = {
      fileName,
      generalPurposeBitFlag: flag,
      compressionMethod: header.readUInt16LE(10),
      compressedSize: header.readUInt32LE(20),
      uncompressedSize: header.readUInt32LE(24),
      relativeOffsetOfLocalHeader: header.readUInt32LE(42),
    };
    const zip64 = extra.find((f) => f.id === 0x0001);
    if (zip64) {
      let index = 0;
      const take = (what: string): number => {
        if (index + 8 > zip64.data.length) throw new Error(`zip64 extended information extra field does not include ${what}`);
        const value = readUInt64LE(zip64.data, index);
        index += 8;
        return value;
      };
      if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = take('uncompressed size');
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take('compressed size');
      if (entry.relativeOffsetOfLocalHeader === 0xffffffff) entry.relativeOffsetOfLocalHeader = take('relative header offset');
    }
    if (entry.compressionMethod === 0 && entry.compressedSize !== entry.uncompressedSize + (isEncrypted(entry) ? 12 : 0)) {
      throw new Error('compressed/uncompressed size mismatch for stored file');
    }
    entries.push(entry);
  }
  // ExcelJS's unzipper (JSZip) reads a zip whose central directory does not end at its end record as if
  // bytes had been prepended, and then finds nothing: such a file is damaged for every reader.
  if (directory.centralDirectoryEnd !== undefined && cursor !== directory.centralDirectoryEnd) throw new Error('central directory does not end where its end record begins');
  return entries;
}

/** The entry's stored bytes, found through its local header (which may differ from the central one in its extra field). */
export function entryData(bytes: Buffer, entry: ZipEntry): Buffer {
  const header = slice(bytes, entry.relativeOffsetOfLocalHeader, 30);
  if (header.readUInt32LE(0) !== 0x04034b50) throw new Error('invalid local file header signature');
  const start = entry.relativeOffsetOfLocalHeader + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  if (start + entry.compressedSize > bytes.length) throw new Error('file data overflows file bounds');
  return bytes.subarray(start, start + entry.compressedSize);
}

/** Thrown by inflateEntry: the data inflates past `maxBytes` (nothing beyond that was allocated). */
export class InflateLimitError extends Error {
  constructor(readonly maxBytes: number) {
    super(`inflates past ${maxBytes} bytes`);
  }
}

/** Thrown by inflateEntry: the inflated size differs from the declared one ("too many" / "not enough", as yauzl says). */
export class SizeMismatchError extends Error {
  constructor(readonly tooMany: boolean) {
    super(tooMany ? 'too many bytes in the stream' : 'not enough bytes in the stream');
  }
}

/**
 * The entry's content, inflated, never more than `maxBytes` of it: beyond that InflateLimitError. An
 * entry that inflates to more or fewer bytes than it declares is SizeMismatchError; zlib's own errors
 * (damaged data) pass through.
 */
export function inflateEntry(bytes: Buffer, entry: ZipEntry, maxBytes: number): Buffer {
  const data = entryData(bytes, entry);
  if (entry.compressionMethod === 0) {
    if (data.length > maxBytes) throw new InflateLimitError(maxBytes);
    return data;
  }
  // One byte past the declared size is enough to know the declaration lies.
  const declaredCap = entry.uncompressedSize + 1;
  const cap = Math.min(maxBytes, declaredCap);
  let out: Buffer;
  try {
    out = inflateRawSync(data, { maxOutputLength: Math.max(cap, 1), chunkSize: Math.max(1024, Math.min(cap, 1 << 20)) });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') throw error;
    if (cap === declaredCap && declaredCap <= maxBytes) throw new SizeMismatchError(true);
    throw new InflateLimitError(maxBytes);
  }
  if (out.length > entry.uncompressedSize) throw new SizeMismatchError(true);
  if (out.length > maxBytes) throw new InflateLimitError(maxBytes);
  if (out.length < entry.uncompressedSize) throw new SizeMismatchError(false);
  return out;
}
