// The few rules by which ExcelJS turns sheet XML into cell values, taken from ExcelJS itself so that the
// fast submission reader and the ExcelJS adapter cannot drift apart (docs/design.md, "Reading
// submissions"): which number formats are dates, how a serial becomes a Date, the built-in number
// formats, entity decoding of t="str" text, and how a shared formula slides to another cell.
/* eslint-disable @typescript-eslint/no-require-imports */

interface ExcelJsUtils {
  isDateFmt(format: string | undefined): boolean;
  excelToDate(serial: number, date1904?: boolean): Date;
  xmlDecode(text: string): string;
}

const utils = require('exceljs/lib/utils/utils') as ExcelJsUtils;
const builtInFormats = require('exceljs/lib/xlsx/defaultnumformats') as Record<string, { f?: string }>;
const { slideFormula: slide } = require('exceljs/lib/utils/shared-formula') as { slideFormula(formula: string, from: string, to: string): string };
const colCache = require('exceljs/lib/utils/col-cache') as { decodeEx(range: string): unknown };

export const isDateFormat = (format: string | undefined): boolean => utils.isDateFmt(format);
export const excelToDate = (serial: number, date1904: boolean): Date => utils.excelToDate(serial, date1904);
/** ExcelJS decodes t="str" text and sheet names once more after the XML parser did. */
export const xmlDecodeAgain = (text: string): string => utils.xmlDecode(text);
export const slideFormula = (formula: string, from: string, to: string): string => slide(formula, from, to);

/** A built-in number format by id, as ExcelJS knows it (ids it has no code for, such as the CJK dates 27–36, read as General). */
export function builtInFormat(id: number): string | undefined {
  return builtInFormats[id]?.f;
}

/** Whether ExcelJS accepts a defined name's range text (it drops the ones it cannot decode). */
export function isDecodableRange(range: string): boolean {
  try {
    colCache.decodeEx(range);
    return true;
  } catch {
    return false;
  }
}
