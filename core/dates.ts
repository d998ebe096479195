// Calendar dates: ISO strings (YYYY-MM-DD), Excel's serial day numbers, and dates as clerks write them
// ("2024年9月30日", "2024/9/30", "9月底"). Pure; used by core, the store and the service.
import type { CellValue } from './grid';
import { squeeze, toHalfWidth } from './text';

/** Days from 1899-12-30 (Excel's day 0, which absorbs its 1900 leap-year bug for dates after February 1900). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

export function serialToISODate(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < 61 || serial > 2958465) return undefined;
  const d = new Date(EXCEL_EPOCH_MS + Math.floor(serial) * 86_400_000);
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

function isoOf(y: number, m: number, d: number): string | undefined {
  if (m < 1 || m > 12 || d < 1) return undefined;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > last) return undefined;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function monthEnd(y: number, m: number): string | undefined {
  if (m < 1 || m > 12) return undefined;
  return isoOf(y, m, new Date(Date.UTC(y, m, 0)).getUTCDate());
}

/**
 * A date as clerks write it: 2024-09-30, 2024/9/30, 2024年9月30日, 2024.9.30, 20240930, 2024年9月底
 * (month end), 9月30日 (the plan year), or a date cell (an Excel serial with a date format).
 */
export function parseDateValue(value: CellValue, format = 'General', year?: number): string | undefined {
  if (value === null || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 19000101 && value <= 29991231) return parseDateText(String(value), year);
    if (isDateFormat(format) || (value >= 20000 && value < 80000)) return serialToISODate(value);
    return undefined;
  }
  return parseDateText(value, year);
}

export function parseDateText(text: string, year?: number): string | undefined {
  const t = squeeze(toHalfWidth(text)).replace(/[号號]$/, '日');
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  if (m) return isoOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (m) return isoOf(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})[-/.年](\d{1,2})月?(?:底|末)?$/.exec(t);
  if (m && (/[底末]$/.test(t) || /月$/.test(t))) return monthEnd(Number(m[1]), Number(m[2]));
  if (year !== undefined) {
    m = /^(\d{1,2})月(\d{1,2})日$/.exec(t);
    if (m) return isoOf(year, Number(m[1]), Number(m[2]));
    m = /^(\d{1,2})月(?:底|末)$/.exec(t);
    if (m) return monthEnd(year, Number(m[1]));
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
  if (full) return isoOf(Number(full[1]), Number(full[2]), Number(full[3]));
  const month = /^(\d{4})[-/.年](\d{1,2})月(?:底|末)?/.exec(after);
  if (month) return monthEnd(Number(month[1]), Number(month[2]));
  if (year !== undefined) {
    const short = /^(\d{1,2})月(\d{1,2})[日号號]/.exec(after);
    if (short) return isoOf(year, Number(short[1]), Number(short[2]));
    const shortMonth = /^(\d{1,2})月(?:底|末)/.exec(after);
    if (shortMonth) return monthEnd(year, Number(shortMonth[1]));
  }
  return undefined;
}
