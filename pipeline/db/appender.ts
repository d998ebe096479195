// Bulk insert of plain JS rows through DuckDB's Appender (far faster than INSERT; docs/design.md, "The
// store"). Rows are in the table's column order; dates as 'YYYY-MM-DD' strings are converted here.
import { DuckDBDataChunkWriter, JSToDuckDBValueConverter, type DuckDBConnection } from '@duckdb/node-api';
import { isIsoDate } from '../../core/dates';

export type AppendValue = string | number | boolean | Date | string[] | null;

/** 'YYYY-MM-DD' → a Date at UTC midnight, which DuckDB stores as that calendar day. */
export function isoDay(iso: string): Date {
  if (!isIsoDate(iso)) throw new Error(`不存在的日期：「${iso}」，日期應為存在的一天，寫成 YYYY-MM-DD`);
  return new Date(`${iso}T00:00:00Z`);
}

export async function appendRows(connection: DuckDBConnection, table: string, rows: Iterable<AppendValue[]>): Promise<number> {
  const appender = await connection.createAppender(table);
  let count = 0;
  try {
    const writer = DuckDBDataChunkWriter.forAppender(appender, { converter: JSToDuckDBValueConverter });
    for (const row of rows) {
      writer.appendRow(row);
      count++;
    }
    writer.flush();
  } finally {
    appender.closeSync();
  }
  return count;
}
