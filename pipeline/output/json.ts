// JSON output: an array of row objects keyed by column name; dates stay 'YYYY-MM-DD' strings.
import { rowObjects, type ResultTable } from './resultTable';

export function toJson(table: ResultTable): string {
  return JSON.stringify(rowObjects(table), null, 2) + '\n';
}
