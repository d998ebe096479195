// Checks that a file is a sane .xlsx zip before any XML parser sees it: not some other kind of file,
// not truncated, no zip bomb (sizes are counted by actually inflating, declared sizes can lie), and
// the parts a workbook needs are there. Failures are UnreadableWorkbookError with a one-line reason from
// the catalogue (core/messages/catalogue/workbook.ts), rendered in the reader's language by whoever shows it.
import { msg, type MessageRef } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';
import { canDecodeFileData, inflateEntry, InflateLimitError, isEncrypted, readDirectoryEnd, readEntries, SizeMismatchError, type ZipEntry } from './zipEntries';

export type UnreadableReasonCode =
  | 'file-not-found'
  | 'file-unreadable'
  | 'empty-file'
  | 'text-file'
  | 'html-file'
  | 'xml-spreadsheet-2003'
  | 'legacy-xls-or-encrypted'
  | 'pdf-file'
  | 'not-a-zip'
  | 'corrupt-zip'
  | 'encrypted-zip'
  | 'too-many-entries'
  | 'entry-too-large'
  | 'total-too-large'
  | 'compression-ratio'
  | 'not-a-workbook'
  | 'xlsb-workbook'
  | 'no-content'
  | 'sheet-too-large'
  | 'range-too-large'
  | 'too-many-records'
  | 'parse-failed';

/**
 * A workbook we refuse to read. `reasonMessage` is meant for clerks: one line that names the file, to be
 * rendered in the reader's language; `reason` is its traditional text, for logs and callers that only print.
 */
export class UnreadableWorkbookError extends MessageError {
  override name = 'UnreadableWorkbookError';
  readonly reason: string;
  constructor(
    readonly file: string,
    readonly reasonMessage: MessageRef,
    readonly reasonCode: UnreadableReasonCode,
    options?: { cause?: unknown },
  ) {
    // A MessageError, so a command that lets it through shows it in its reader's language.
    super(reasonMessage, options);
    this.reason = this.message;
  }
}

export interface ZipLimits {
  maxEntries: number;
  /** Inflated bytes of any one entry. */
  maxEntryBytes: number;
  /** Inflated bytes of all entries together. */
  maxTotalBytes: number;
  /** An entry inflating more than this many times its compressed size ... */
  maxRatio: number;
  /** ... is rejected once it has inflated past this many bytes (small, well-compressed parts are normal). */
  ratioMinBytes: number;
}

const MB = 1024 * 1024;

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxEntryBytes: 100 * MB,
  maxTotalBytes: 300 * MB,
  maxRatio: 200,
  ratioMinBytes: 10 * MB,
};

/** What the guard learned that the caller may want to tell the user. */
export interface ZipFacts {
  /** xl/vbaProject.bin is present: the workbook carries macros (a warning, not an error). */
  hasMacros: boolean;
  entryCount: number;
  /** Inflated bytes of all entries, counted. */
  totalBytes: number;
}

/** The base name, for messages ("報送表.xlsx", not a full path). */
export function displayName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}

/** A refusal naming the file (its base name) in the message's {file}. */
function refuse(file: string, code: UnreadableReasonCode, reason: (name: string) => MessageRef, cause?: unknown): UnreadableWorkbookError {
  return new UnreadableWorkbookError(file, reason(displayName(file)), code, cause === undefined ? undefined : { cause });
}

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function isZipMagic(bytes: Buffer): boolean {
  // Local file header, or the end-of-central-directory record of an empty zip.
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

/** Text (UTF-8, GBK, UTF-16 with BOM) rather than binary: no NUL bytes, few control characters. */
function looksLikeText(head: Buffer): boolean {
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) return true;
  let control = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) control++;
  }
  return control <= head.length * 0.01;
}

function decodeHead(head: Buffer): string {
  if (head[0] === 0xff && head[1] === 0xfe) return head.subarray(2).toString('utf16le');
  if (head[0] === 0xfe && head[1] === 0xff) return Buffer.from(head.subarray(2)).swap16().toString('utf16le');
  // Non-UTF-8 bytes (GBK) become U+FFFD; only the ASCII structure matters below.
  return head.toString('utf8').replace(/^\uFEFF/, '');
}

/** Says what a file that is not a zip looks like, so the clerk knows what to do with it. */
function describeNonZip(bytes: Buffer, file: string): UnreadableWorkbookError {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(OLE_MAGIC)) {
    return refuse(file, 'legacy-xls-or-encrypted', (name) => msg('workbook.legacy-xls-or-encrypted', { file: name }));
  }
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    return refuse(file, 'pdf-file', (name) => msg('workbook.pdf-file', { file: name }));
  }
  const head = bytes.subarray(0, 8192);
  if (looksLikeText(head)) {
    const text = decodeHead(head).trimStart();
    if (/urn:schemas-microsoft-com:office:spreadsheet/i.test(text)) {
      return refuse(file, 'xml-spreadsheet-2003', (name) => msg('workbook.xml-spreadsheet-2003', { file: name }));
    }
    if (/^<(!doctype\s+html|html|table|meta|head|body)\b/i.test(text) || /<table[\s>]/i.test(text.slice(0, 4096))) {
      return refuse(file, 'html-file', (name) => msg('workbook.looks-like', { file: name, kind: msg('workbook.kind.html') }));
    }
    if (text.startsWith('<')) return refuse(file, 'text-file', (name) => msg('workbook.looks-like', { file: name, kind: msg('workbook.kind.xml') }));
    const kind = /[,\t]/.test(text) ? msg('workbook.kind.csv') : msg('workbook.kind.text');
    return refuse(file, 'text-file', (name) => msg('workbook.looks-like', { file: name, kind }));
  }
  return refuse(file, 'not-a-zip', (name) => msg('workbook.not-a-zip', { file: name }));
}

function formatBytes(n: number): string {
  return n >= MB ? `${Math.round(n / MB)}MB` : `${Math.round(n / 1024)}KB`;
}

function entryTooLarge(file: string, part: string, limits: ZipLimits): UnreadableWorkbookError {
  return refuse(file, 'entry-too-large', (name) => msg('workbook.entry-too-large', { file: name, part, limit: formatBytes(limits.maxEntryBytes) }));
}

function totalTooLarge(file: string, limits: ZipLimits): UnreadableWorkbookError {
  return refuse(file, 'total-too-large', (name) => msg('workbook.total-too-large', { file: name, limit: formatBytes(limits.maxTotalBytes) }));
}

/**
 * Inflates one entry, never past the first limit it would cross: its own size, the total, or (once past
 * ratioMinBytes) maxRatio times its compressed size. Which limit is crossed first decides the reason.
 */
function inflateWithin(bytes: Buffer, entry: ZipEntry, totalSoFar: number, limits: ZipLimits, file: string): Buffer {
  const byRatio = Math.max(limits.ratioMinBytes, Math.floor(Math.max(entry.compressedSize, 1) * limits.maxRatio));
  const bounds = [limits.maxEntryBytes, limits.maxTotalBytes - totalSoFar, byRatio];
  const allowed = Math.min(...bounds);
  try {
    return inflateEntry(bytes, entry, allowed);
  } catch (e) {
    if (e instanceof InflateLimitError) {
      if (allowed === bounds[0]) throw entryTooLarge(file, entry.fileName, limits);
      if (allowed === bounds[1]) throw totalTooLarge(file, limits);
      throw refuse(file, 'compression-ratio', (name) => msg('workbook.compression-ratio', { file: name, part: entry.fileName, ratio: limits.maxRatio }));
    }
    if (e instanceof SizeMismatchError && e.tooMany) {
      throw refuse(file, 'corrupt-zip', (name) => msg('workbook.size-mismatch', { file: name, part: entry.fileName }), e);
    }
    if (e instanceof SizeMismatchError || isZlibError(e)) {
      throw refuse(file, 'corrupt-zip', (name) => msg('workbook.inflate-failed', { file: name, part: entry.fileName }), e);
    }
    // The local header is missing or points outside the file.
    throw zipFailure(e, file);
  }
}

function isZlibError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

function has(names: Set<string>, name: string): boolean {
  return names.has(name.toLowerCase());
}

/** A zip that holds something else than a workbook: say what. */
function checkWorkbookParts(names: Set<string>, file: string): void {
  if (has(names, 'xl/workbook.xml') && has(names, '[Content_Types].xml')) return;
  if (has(names, 'xl/workbook.bin')) {
    throw refuse(file, 'xlsb-workbook', (name) => msg('workbook.xlsb', { file: name }));
  }
  let kind: MessageRef = msg('workbook.kind.zip');
  if (has(names, 'word/document.xml')) kind = msg('workbook.kind.docx');
  else if (has(names, 'ppt/presentation.xml')) kind = msg('workbook.kind.pptx');
  else if (has(names, 'mimetype') && has(names, 'content.xml')) kind = msg('workbook.kind.opendocument');
  else if (has(names, 'xl/workbook.xml')) kind = msg('workbook.kind.no-content-types');
  throw refuse(file, 'not-a-workbook', (name) => msg('workbook.not-a-workbook', { file: name, kind }));
}

function zipFailure(e: unknown, file: string): UnreadableWorkbookError {
  if (e instanceof UnreadableWorkbookError) return e;
  return refuse(file, 'corrupt-zip', (name) => msg('workbook.corrupt-zip', { file: name }), e);
}

/** What the guard learned, with the inflated parts the caller asked to keep. */
export interface CheckedZip extends ZipFacts {
  /** Inflated content of each kept entry, by its name in the zip (the last one when a name occurs twice). */
  parts: Map<string, Buffer>;
  /** Names that occur more than once in the zip (a reader must not guess which one counts). */
  duplicates: Set<string>;
  /** Every file entry's name, in zip order. */
  names: string[];
}

/**
 * Rejects, before any XML parse, every file that is not a sane .xlsx. Resolves with facts for warnings
 * and the inflated entries `keep` asks for (each entry is inflated once, for the count and for the reader).
 */
export async function checkZip(
  bytes: Buffer,
  fileName: string,
  limits: Partial<ZipLimits> = {},
  keep: (entryName: string) => boolean = () => false,
): Promise<CheckedZip> {
  return inspectZip(bytes, fileName, limits, keep);
}

/** checkZip without the promise: all of it is synchronous work on the bytes in memory. */
export function inspectZip(
  bytes: Buffer,
  fileName: string,
  limits: Partial<ZipLimits> = {},
  keep: (entryName: string) => boolean = () => false,
): CheckedZip {
  const lim: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...limits };
  if (bytes.length === 0) throw refuse(fileName, 'empty-file', (name) => msg('workbook.empty-file', { file: name }));
  if (!isZipMagic(bytes)) throw describeNonZip(bytes, fileName);

  let entries: ZipEntry[];
  try {
    const directory = readDirectoryEnd(bytes);
    if (directory.entryCount > lim.maxEntries) {
      throw refuse(fileName, 'too-many-entries', (name) => msg('workbook.too-many-entries', { file: name, count: directory.entryCount, max: lim.maxEntries }));
    }
    entries = readEntries(bytes, directory);
  } catch (e) {
    throw zipFailure(e, fileName);
  }
  const files = entries.filter((e) => !e.fileName.endsWith('/'));
  const names = new Set(files.map((e) => e.fileName.toLowerCase()));
  checkWorkbookParts(names, fileName);
  if (files.some(isEncrypted)) {
    throw refuse(fileName, 'encrypted-zip', (name) => msg('workbook.encrypted-zip', { file: name }));
  }
  // Cheap early refusal when the declared sizes already say too much; the counting below catches liars.
  const declaredTotal = files.reduce((s, e) => s + e.uncompressedSize, 0);
  const declaredHuge = files.find((e) => e.uncompressedSize > lim.maxEntryBytes);
  if (declaredHuge) {
    throw entryTooLarge(fileName, declaredHuge.fileName, lim);
  }
  if (declaredTotal > lim.maxTotalBytes) {
    throw totalTooLarge(fileName, lim);
  }
  const parts = new Map<string, Buffer>();
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  let total = 0;
  // Folder entries too: ExcelJS's unzipper refuses a zip with any entry it cannot decode.
  const undecodable = entries.find((e) => !isEncrypted(e) && !canDecodeFileData(e));
  if (undecodable) {
    throw refuse(fileName, 'corrupt-zip', (name) => msg('workbook.unknown-compression', { file: name, part: undecodable.fileName }));
  }
  for (const entry of files) {
    if (!canDecodeFileData(entry)) {
      throw refuse(fileName, 'corrupt-zip', (name) => msg('workbook.unknown-compression', { file: name, part: entry.fileName }));
    }
    const content = inflateWithin(bytes, entry, total, lim, fileName);
    total += content.length;
    if (seen.has(entry.fileName)) duplicates.add(entry.fileName);
    seen.add(entry.fileName);
    if (keep(entry.fileName)) parts.set(entry.fileName, content);
  }
  return { hasMacros: has(names, 'xl/vbaProject.bin'), entryCount: files.length, totalBytes: total, parts, duplicates, names: files.map((e) => e.fileName) };
}
