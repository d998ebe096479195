// Arrow IPC file output (apache-arrow) that pandas, polars and R read directly, with the column types
// kept: dates as Date32, timestamps as microsecond timestamps, DECIMAL and DOUBLE as Float64, 64-bit
// integers as Int64, lists of text as List<Utf8>.
import {
  Bool,
  DateDay,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  Table,
  TimestampMicrosecond,
  Utf8,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import type { Cell, ColumnKind, ResultTable } from './resultTable';

function arrowType(kind: ColumnKind): DataType {
  switch (kind) {
    case 'boolean':
      return new Bool();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'float':
      return new Float64();
    case 'date':
      return new DateDay();
    case 'timestamp':
      return new TimestampMicrosecond();
    case 'text-list':
      return new List(new Field('item', new Utf8(), true));
    default:
      return new Utf8();
  }
}

/** 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM:SS[.ffffff]' (no zone, as DuckDB prints) → a Date read as UTC. */
function parseDateTime(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}${text.length > 10 ? 'Z' : 'T00:00:00Z'}`);
}

function arrowValue(cell: Cell, kind: ColumnKind): unknown {
  if (cell === null) return null;
  switch (kind) {
    case 'int64':
      return BigInt(cell as number | string);
    case 'date':
    case 'timestamp':
      return parseDateTime(String(cell));
    case 'text-list':
      return cell;
    case 'text':
    case 'other':
      return String(cell);
    default:
      return cell;
  }
}

export function toArrowTable(table: ResultTable): Table {
  const vectors: Record<string, Vector> = {};
  table.columns.forEach((column, i) => {
    const values = table.rows.map((row) => arrowValue(row[i], column.kind));
    vectors[column.name] = vectorFromArray(values, arrowType(column.kind));
  });
  return new Table(vectors);
}

/** The table as the bytes of an Arrow IPC *file* (the random-access format, .arrow / Feather v2). */
export function toArrowIpcFile(table: ResultTable): Uint8Array {
  return tableToIPC(toArrowTable(table), 'file');
}
