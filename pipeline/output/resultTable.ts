// A query result as plain values, independent of DuckDB, so that every output format (aligned table,
// JSON, CSV, Arrow) and every command that prints rows can share the same formatters.
import { shownDistrict, type DistrictNames } from '../../core/districtNames';

/** What a column holds; decides alignment, CSV/JSON rendering and the Arrow type. */
export type ColumnKind =
  | 'text'
  | 'int32'
  | 'int64'
  | 'float'
  | 'boolean'
  | 'date' // 'YYYY-MM-DD'
  | 'timestamp' // 'YYYY-MM-DD HH:MM:SS[.ffffff]', no time zone
  | 'text-list'
  | 'other'; // anything else DuckDB can return, rendered as its text form

export type Cell = string | number | boolean | null | Cell[];

export interface ResultColumn {
  name: string;
  kind: ColumnKind;
  /** The source type as DuckDB spells it (DOUBLE, DATE, DECIMAL(18,3), VARCHAR[] ...), for reference. */
  sourceType?: string;
}

export interface ResultTable {
  columns: ResultColumn[];
  /** One array per row, in column order. */
  rows: Cell[][];
}

/** The rows as objects keyed by column name (for JSON and for tests). */
export function rowObjects(table: ResultTable): Record<string, Cell>[] {
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, row[i]])));
}

export function columnIndex(table: ResultTable, name: string): number {
  const index = table.columns.findIndex((c) => c.name === name);
  if (index < 0) throw new Error(`no column ${name}`);
  return index;
}

/**
 * The table as a reader is shown it: its `district` column in the plan's spelling (core/districtNames.ts).
 * Queries keep the canonical name, the key every lookup and join uses; outputs call this last.
 */
export function withDistrictsAsWritten(table: ResultTable, names: DistrictNames): ResultTable {
  const at = table.columns.findIndex((c) => c.name === 'district');
  if (at < 0 || Object.keys(names).length === 0) return table;
  return {
    columns: table.columns,
    rows: table.rows.map((row) => (typeof row[at] === 'string' ? row.map((cell, i) => (i === at ? shownDistrict(names, cell as string) : cell)) : row)),
  };
}
