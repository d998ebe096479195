// Any failure as one sentence a clerk can act on: the service's and the workbook's problems say so
// already; Excel's own errors are translated by their code.
import { render, type PlainMessageId } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';
import { paneLang, say } from '../paneLang';
import { ServiceError } from '../service';
import { WorkbookProblem } from '../workflows';

/** Excel's error codes → what the clerk reads (a catalogue id). */
const EXCEL_CODES = {
  InvalidOperationInCellEditMode: 'addin.excel.InvalidOperationInCellEditMode',
  AccessDenied: 'addin.excel.AccessDenied',
  ItemAlreadyExists: 'addin.excel.ItemAlreadyExists',
  ItemNotFound: 'addin.excel.ItemNotFound',
  InsertDeleteConflict: 'addin.excel.InsertDeleteConflict',
  MergedRangeConflict: 'addin.excel.MergedRangeConflict',
  RequestPayloadSizeLimitExceeded: 'addin.excel.tooLarge',
  ResponsePayloadSizeLimitExceeded: 'addin.excel.tooLarge',
  ApiNotFound: 'addin.excel.unsupported',
  UnsupportedOperation: 'addin.excel.unsupported',
} as const satisfies Record<string, PlainMessageId>;

export function explain(error: unknown): string {
  if (error instanceof ServiceError || error instanceof WorkbookProblem) return error.message;
  // Core's refusals that carry a catalogue message are shown in the pane's language.
  if (error instanceof MessageError) return render(paneLang(), error.ref);
  const e = error as { code?: string; message?: string; name?: string };
  if (e && typeof e.code === 'string' && Object.prototype.hasOwnProperty.call(EXCEL_CODES, e.code)) return say(EXCEL_CODES[e.code as keyof typeof EXCEL_CODES]);
  const message = typeof e?.message === 'string' ? e.message : String(error);
  // Core's and the layout's own errors are already Chinese sentences.
  if (/[\u4e00-\u9fff]/.test(message)) return message;
  return say('addin.excel.other', { reason: message || say('addin.excel.unknown') });
}
