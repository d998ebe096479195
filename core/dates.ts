// Calendar dates: ISO strings (YYYY-MM-DD), Excel's serial day numbers, and dates as clerks write them
// ("2024年9月30日", "2024/9/30", "9月底"). Pure; used by core, the store and the service.
import { z } from 'zod';
import type { CellValue } from './grid';
import { squeeze, toHalfWidth } from './text';

/** Days from 1899-12-30 (Excel's day 0, which absorbs its 1900 leap-year bug for dates after February 1900). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

/** Days between the 1904 date system's day 0 (1904-01-01) and the 1900 system's serial of that day. */
export const DATE1904_OFFSET = 1462;

/**
 * An Excel serial day number → YYYY-MM-DD, in the workbook's date system (date1904: the serial counts
 * from 1904-01-01, as Mac workbooks may; docs/design.md, "The grid and the readers").
 */
export function serialToISODate(serial: number, date1904 = false): string | undefined {
  if (!Number.isFinite(serial)) return undefined;
  const day = date1904 ? serial + DATE1904_OFFSET : serial;
  if (day < 61 || day > 2958465) return undefined;
  const d = new Date(EXCEL_EPOCH_MS + Math.floor(day) * 86_400_000);
  return d.toISOString().slice(0, 10);
}

export function isoDateToSerial(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Math.round((Date.UTC(y, m - 1, d) - EXCEL_EPOCH_MS) / 86_400_000);
}

/** A number format that shows a date ("yyyy-mm-dd", "yyyy\"年\"m\"月\"d\"日\"", "m/d/yy"). */
export function isDateFormat(format: string): boolean {
  const bare = format.replace(/"[^"]*"/g, '').replace(/\[[^\]]*\]/g, '').replace(/\\./g, '');
  return /[ymd]/i.test(bare) || /[年月日]/.test(format);
}

/** YYYY-MM-DD of a calendar day; undefined when there is no such day (2024-02-30, month 13, day 0). */
export function isoDate(y: number, m: number, d: number): string | undefined {
  if (![y, m, d].every(Number.isInteger) || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Last day of a month as YYYY-MM-DD. Throws RangeError for a month outside 1..12. */
export function monthEnd(y: number, m: number): string {
  const iso = writtenMonthEnd(y, m);
  if (iso === undefined) throw new RangeError(`no such month: ${y}-${m}`);
  return iso;
}

/** The month end of a month as written: undefined when the number names no month. */
function writtenMonthEnd(y: number, m: number): string | undefined {
  return Number.isInteger(m) && m >= 1 && m <= 12 ? isoDate(y, m, daysInMonth(y, m)) : undefined;
}

/**
 * Whether a text is a calendar day written YYYY-MM-DD: the one check for dates that come from outside
 * (zod schemas, the store, the service's parameters). 2024-02-29 is one; 2023-02-29 and 2024-9-30 are not.
 */
export function isIsoDate(text: string): boolean {
  if (typeof text !== 'string') return false;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return m !== null && isoDate(Number(m[1]), Number(m[2]), Number(m[3])) === text;
}

/** A date as data carries it: YYYY-MM-DD, a day that exists. */
export const ISODate = z.string().refine(isIsoDate, 'date as YYYY-MM-DD');

/**
 * A date as clerks write it: 2024-09-30, 2024/9/30, 2024年9月30日, 2024.9.30, 20240930, 2024年9月底
 * (month end), 9月30日 (the plan year), or a date cell (an Excel serial with a date format, counted in
 * the workbook's date system: pass the grid's date1904).
 */
export function parseDateValue(value: CellValue, format = 'General', year?: number, date1904 = false): string | undefined {
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 19000101 && value <= 29991231) return parseDateText(String(value), year);
    const day = date1904 ? value + DATE1904_OFFSET : value;
    if (isDateFormat(format) || (day >= 20000 && day < 80000)) return serialToISODate(value, date1904);
    return undefined;
  }
  return parseDateText(value, year);
}

export function parseDateText(text: string, year?: number): string | undefined {
  const t = squeeze(toHalfWidth(text)).replace(/[号號]$/, '日');
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})[-/.年](\d{1,2})月?(?:底|末)?$/.exec(t);
  if (m && (/[底末]$/.test(t) || /月$/.test(t))) return writtenMonthEnd(Number(m[1]), Number(m[2]));
  if (year !== undefined) {
    m = /^(\d{1,2})月(\d{1,2})日$/.exec(t);
    if (m) return isoDate(year, Number(m[1]), Number(m[2]));
    m = /^(\d{1,2})月(?:底|末)$/.exec(t);
    if (m) return writtenMonthEnd(year, Number(m[1]));
  }
  return undefined;
}

/** "截至2024年9月30日" (or 截止, 截至日期：…) anywhere in a title. */
export function dateInText(text: string, year?: number): string | undefined {
  const t = squeeze(toHalfWidth(text));
  const m = /截[至止](?:日期|时间|時間)?[:：]?(.*)$/.exec(t);
  if (!m) return undefined;
  const after = m[1];
  const full = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号號]?/.exec(after);
  if (full) return isoDate(Number(full[1]), Number(full[2]), Number(full[3]));
  const month = /^(\d{4})[-/.年](\d{1,2})月(?:底|末)?/.exec(after);
  if (month) return writtenMonthEnd(Number(month[1]), Number(month[2]));
  if (year !== undefined) {
    const short = /^(\d{1,2})月(\d{1,2})[日号號]/.exec(after);
    if (short) return isoDate(year, Number(short[1]), Number(short[2]));
    const shortMonth = /^(\d{1,2})月(?:底|末)/.exec(after);
    if (shortMonth) return writtenMonthEnd(year, Number(shortMonth[1]));
  }
  return undefined;
}

/** A year as typed, without the 年 people write after it ("2024年" → "2024"). */
export function withoutYearWord(text: string): string {
  return text.trim().replace(/\s*年$/, '');
}
