// Turns DuckDB results into plain ResultTables (pipeline/output/resultTable.ts): dates as 'YYYY-MM-DD',
// DECIMAL as numbers, 64-bit integers as numbers when they fit, lists of text as arrays.
import {
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBTypeId,
  type DuckDBResultReader,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { Cell, ColumnKind, ResultTable } from '../output/resultTable';

export function columnKind(type: DuckDBType): ColumnKind {
  switch (type.typeId) {
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.ENUM:
    case DuckDBTypeId.UUID:
      return 'text';
    case DuckDBTypeId.BOOLEAN:
      return 'boolean';
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
      return 'int32';
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return 'int64';
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return 'float';
    case DuckDBTypeId.DATE:
      return 'date';
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
      return 'timestamp';
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const item = columnKind(type.valueType);
      return item === 'text' ? 'text-list' : 'other';
    }
    default:
      return 'other';
  }
}

/** One DuckDB value as a plain cell of the given kind. */
export function plainCell(value: DuckDBValue, kind: ColumnKind): Cell {
  if (value === null) return null;
  switch (kind) {
    case 'boolean':
      return Boolean(value);
    case 'int32':
    case 'int64':
      if (typeof value === 'bigint') {
        return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
          ? Number(value)
          : value.toString();
      }
      return Number(value);
    case 'float':
      if (value instanceof DuckDBDecimalValue) return value.toDouble();
      return typeof value === 'number' ? value : Number(value);
    case 'text-list':
      return value instanceof DuckDBListValue
        ? value.items.map((item) => (item === null ? null : String(item)))
        : String(value);
    case 'text':
      return typeof value === 'string' ? value : String(value);
    default:
      // DATE, TIMESTAMP and the rest print as DuckDB prints them ('2024-09-30', '2024-09-30 08:00:00').
      return String(value);
  }
}

export function readerToTable(reader: DuckDBResultReader): ResultTable {
  const names = reader.deduplicatedColumnNames();
  const types = reader.columnTypes();
  const columns = names.map((name, i) => ({ name, kind: columnKind(types[i]), sourceType: types[i].toString() }));
  const rows = reader.getRows().map((row) => row.map((value, i) => plainCell(value, columns[i].kind)));
  return { columns, rows };
}
