/// <reference types="office-js" />
// The open workbook as .xlsx bytes, for 提交: Office.js hands the file over in slices
// (getFileAsync with FileType.Compressed); only one file may be open at a time, so it is always closed.
// Excel on iPad does not hand the file over at all (neither the File nor the CompressedFile
// requirement set): canSendWorkbook says so before we try.

import { say } from '../paneLang';

const SLICE_BYTES = 4 * 1024 * 1024;

function call<T>(start: (callback: (result: Office.AsyncResult<T>) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    start((result) => {
      if (result.status === Office.AsyncResultStatus.Succeeded) resolve(result.value);
      else reject(new Error(result.error?.message ?? say('addin.file.unreadable')));
    });
  });
}

function sliceBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return Uint8Array.from(data as number[]);
  throw new Error(say('addin.file.unknownFormat'));
}

/** Whether this Excel can give the add-in the workbook as .xlsx bytes (not Excel on iPad). */
export function canSendWorkbook(): boolean {
  try {
    const sets = Office.context.requirements;
    return sets.isSetSupported('File') && sets.isSetSupported('CompressedFile') && typeof Office.context.document.getFileAsync === 'function';
  } catch {
    return false;
  }
}

/** The workbook's bytes, as Excel would save them now (unsaved changes included). */
export async function workbookBytes(): Promise<Uint8Array> {
  const file = await call<Office.File>((cb) => Office.context.document.getFileAsync(Office.FileType.Compressed, { sliceSize: SLICE_BYTES }, cb));
  try {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < file.sliceCount; i++) {
      // One slice at a time: the host hands them out in order.
      const slice = await call<Office.Slice>((cb) => file.getSliceAsync(i, cb));
      parts.push(sliceBytes(slice.data));
    }
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    return bytes;
  } finally {
    await new Promise<void>((resolve) => file.closeAsync(() => resolve()));
  }
}

/** The workbook's file name for the service's messages: the last part of its URL or path, or a default. */
export function workbookFileName(): string {
  let last = '';
  try {
    last = decodeURIComponent((Office.context.document.url ?? '').split(/[\\/]/).pop() ?? '').split('?')[0];
  } catch {
    last = '';
  }
  return last.trim() || say('addin.file.defaultName');
}
