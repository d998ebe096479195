// Checks that a file is a sane .xlsx zip before any XML parser sees it: not some other kind of file,
// not truncated, no zip bomb (sizes are counted by actually inflating, declared sizes can lie), and
// the parts a workbook needs are there. Failures are UnreadableWorkbookError with a one-line Chinese reason.
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
  | 'parse-failed';

/** A workbook we refuse to read. `reason` is meant for clerks: Chinese, one line, names the file. */
export class UnreadableWorkbookError extends Error {
  override readonly name = 'UnreadableWorkbookError';
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly reasonCode: UnreadableReasonCode,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
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

function refuse(file: string, code: UnreadableReasonCode, what: string, cause?: unknown): UnreadableWorkbookError {
  return new UnreadableWorkbookError(file, `「${displayName(file)}」${what}`, code, cause === undefined ? undefined : { cause });
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
  const suffix = '，請在Excel中打開後另存為「Excel工作簿(.xlsx)」';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(OLE_MAGIC)) {
    return refuse(file, 'legacy-xls-or-encrypted', `不是.xlsx工作簿：看起來是舊版Excel(.xls)文件或設有打開密碼的工作簿，請在Excel中取消密碼並另存為「Excel工作簿(.xlsx)」`);
  }
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') {
    return refuse(file, 'pdf-file', '不是Excel工作簿：看起來是PDF文件，請提交Excel格式的表格');
  }
  const head = bytes.subarray(0, 8192);
  if (looksLikeText(head)) {
    const text = decodeHead(head).trimStart();
    if (/urn:schemas-microsoft-com:office:spreadsheet/i.test(text)) {
      return refuse(file, 'xml-spreadsheet-2003', `不是.xlsx工作簿：看起來是「XML表格2003」文件${suffix}`);
    }
    if (/^<(!doctype\s+html|html|table|meta|head|body)\b/i.test(text) || /<table[\s>]/i.test(text.slice(0, 4096))) {
      return refuse(file, 'html-file', `不是Excel工作簿：看起來是網頁(HTML)文件（常見於系統導出的表格）${suffix}`);
    }
    if (text.startsWith('<')) return refuse(file, 'text-file', `不是Excel工作簿：看起來是XML文本文件${suffix}`);
    const kind = /[,\t]/.test(text) ? 'CSV文本文件' : '純文本文件';
    return refuse(file, 'text-file', `不是Excel工作簿：看起來是${kind}${suffix}`);
  }
  return refuse(file, 'not-a-zip', '不是Excel工作簿：文件內容無法識別（不是.xlsx格式），請確認提交的是Excel文件');
}

function formatBytes(n: number): string {
  return n >= MB ? `${Math.round(n / MB)}MB` : `${Math.round(n / 1024)}KB`;
}

function entryTooLarge(file: string, part: string, limits: ZipLimits): UnreadableWorkbookError {
  return refuse(file, 'entry-too-large', `內容異常：部件「${part}」解壓後超過${formatBytes(limits.maxEntryBytes)}，可能是惡意構造的文件（壓縮炸彈）`);
}

function totalTooLarge(file: string, limits: ZipLimits): UnreadableWorkbookError {
  return refuse(file, 'total-too-large', `內容異常：解壓後總大小超過${formatBytes(limits.maxTotalBytes)}，文件過大或為惡意構造的文件`);
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
      throw refuse(file, 'compression-ratio', `內容異常：部件「${entry.fileName}」的壓縮比超過${limits.maxRatio}倍，可能是惡意構造的文件（壓縮炸彈）`);
    }
    if (e instanceof SizeMismatchError && e.tooMany) {
      throw refuse(file, 'corrupt-zip', `已損壞或被篡改：部件「${entry.fileName}」解壓後的大小與文件頭記載的不符`, e);
    }
    if (e instanceof SizeMismatchError || isZlibError(e)) {
      throw refuse(file, 'corrupt-zip', `已損壞：部件「${entry.fileName}」的壓縮數據無法解開（文件可能不完整或被修改過）`, e);
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
    throw refuse(file, 'xlsb-workbook', '是Excel二進制工作簿(.xlsb)，暫不支持，請在Excel中另存為「Excel工作簿(.xlsx)」');
  }
  let looksLike = '壓縮包(.zip)';
  if (has(names, 'word/document.xml')) looksLike = 'Word文檔(.docx)';
  else if (has(names, 'ppt/presentation.xml')) looksLike = 'PowerPoint演示文稿(.pptx)';
  else if (has(names, 'mimetype') && has(names, 'content.xml')) looksLike = 'OpenDocument文件(.ods/.odt，如WPS或LibreOffice保存)';
  else if (has(names, 'xl/workbook.xml')) looksLike = '缺少[Content_Types].xml的殘缺工作簿';
  throw refuse(file, 'not-a-workbook', `不是Excel工作簿：看起來是${looksLike}，請提交.xlsx格式的Excel文件`);
}

function zipFailure(e: unknown, file: string): UnreadableWorkbookError {
  if (e instanceof UnreadableWorkbookError) return e;
  return refuse(file, 'corrupt-zip', '已損壞或不完整（可能在下載、複製或傳送時中斷），請重新導出或重新發送原文件', e);
}

/** What the guard learned, with the inflated parts the caller asked to keep. */
export interface CheckedZip extends ZipFacts {
  /** Inflated content of each kept entry, by its name in the zip (the last one when a name occurs twice). */
  parts: Map<string, Buffer>;
  /** Names that occur more than once in the zip (a reader must not guess which one counts). */
  duplicates: Set<string>;
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
  if (bytes.length === 0) throw refuse(fileName, 'empty-file', '是空文件（0字節），請重新保存或重新發送');
  if (!isZipMagic(bytes)) throw describeNonZip(bytes, fileName);

  let entries: ZipEntry[];
  try {
    const directory = readDirectoryEnd(bytes);
    if (directory.entryCount > lim.maxEntries) {
      throw refuse(fileName, 'too-many-entries', `結構異常：壓縮包內有${directory.entryCount}個部件（上限${lim.maxEntries}），不像正常的工作簿`);
    }
    entries = readEntries(bytes, directory);
  } catch (e) {
    throw zipFailure(e, fileName);
  }
  const files = entries.filter((e) => !e.fileName.endsWith('/'));
  const names = new Set(files.map((e) => e.fileName.toLowerCase()));
  checkWorkbookParts(names, fileName);
  if (files.some(isEncrypted)) {
    throw refuse(fileName, 'encrypted-zip', '的壓縮內容已加密，無法讀取，請取消加密後重新保存為.xlsx');
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
  for (const entry of files) {
    if (!canDecodeFileData(entry)) {
      throw refuse(fileName, 'corrupt-zip', `已損壞：部件「${entry.fileName}」使用了無法識別的壓縮方式，請在Excel中重新保存為.xlsx`);
    }
    const content = inflateWithin(bytes, entry, total, lim, fileName);
    total += content.length;
    if (seen.has(entry.fileName)) duplicates.add(entry.fileName);
    seen.add(entry.fileName);
    if (keep(entry.fileName)) parts.set(entry.fileName, content);
  }
  return { hasMacros: has(names, 'xl/vbaProject.bin'), entryCount: files.length, totalBytes: total, parts, duplicates };
}
