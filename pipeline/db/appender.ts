// Bulk insert of plain JS rows through DuckDB's Appender (far faster than INSERT; docs/design.md, "The
// store"). Rows are in the table's column order; dates as 'YYYY-MM-DD' strings are converted here.
import { DuckDBDateValue, DuckDBTimestampValue, DuckDBTypeId, JSToDuckDBValueConverter, type DuckDBAppender, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { isIsoDate } from '../../core/dates';
import { msg } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';

export type AppendValue = string | number | boolean | Date | string[] | null;

/** 'YYYY-MM-DD' → a Date at UTC midnight, which DuckDB stores as that calendar day. */
export function isoDay(iso: string): Date {
  if (!isIsoDate(iso)) throw new MessageError(msg('store.date-invalid', { value: iso }));
  return new Date(`${iso}T00:00:00Z`);
}

/** Appends rows to `table` (of the database's main schema, or of catalog `temp` for a temporary table). */
export async function appendRows(connection: DuckDBConnection, table: string, rows: Iterable<AppendValue[]>, catalog?: 'temp'): Promise<number> {
  const appender = catalog ? await connection.createAppender(table, 'main', catalog) : await connection.createAppender(table);
  let count = 0;
  try {
    // One typed append per value: several times faster than converting each value to a DuckDBValue.
    const columns = Array.from({ length: appender.columnCount }, (_, i) => columnAppender(appender, appender.columnType(i)));
    for (const row of rows) {
      for (let i = 0; i < columns.length; i++) {
        const value = row[i];
        if (value === null || value === undefined) appender.appendNull();
        else columns[i](value);
      }
      appender.endRow();
      count++;
    }
  } finally {
    appender.closeSync();
  }
  return count;
}

const MS_PER_DAY = 86_400_000;

/**
 * How a JS value is appended to a column of `type`: directly when its JS type is the column's own,
 * otherwise (an integer given as a Date, a string for a date…) through the generic converter.
 */
function columnAppender(appender: DuckDBAppender, type: DuckDBType): (value: Exclude<AppendValue, null>) => void {
  const generic = (v: Exclude<AppendValue, null>) => appender.appendValue(JSToDuckDBValueConverter(v, type, JSToDuckDBValueConverter) as DuckDBValue, type);
  switch (type.typeId) {
    case DuckDBTypeId.INTEGER:
      return (v) => (typeof v === 'number' && Number.isInteger(v) ? appender.appendInteger(v) : generic(v));
    case DuckDBTypeId.BIGINT:
      return (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? appender.appendBigInt(BigInt(v)) : generic(v));
    case DuckDBTypeId.DOUBLE:
      return (v) => (typeof v === 'number' ? appender.appendDouble(v) : generic(v));
    case DuckDBTypeId.BOOLEAN:
      return (v) => (typeof v === 'boolean' ? appender.appendBoolean(v) : generic(v));
    case DuckDBTypeId.VARCHAR:
      return (v) => (typeof v === 'string' ? appender.appendVarchar(v) : generic(v));
    case DuckDBTypeId.DATE:
      // A Date at UTC midnight (isoDay) is that calendar day.
      return (v) => (v instanceof Date ? appender.appendDate(new DuckDBDateValue(Math.floor(v.getTime() / MS_PER_DAY))) : generic(v));
    case DuckDBTypeId.TIMESTAMP:
      return (v) => (v instanceof Date ? appender.appendTimestamp(new DuckDBTimestampValue(BigInt(v.getTime()) * 1000n)) : generic(v));
    default:
      return generic;
  }
}
