// Sends a ResultTable where the user asked: an aligned table on the terminal by default, or JSON on
// stdout, CSV to a file or stdout ('-'), an Arrow IPC file — any combination that does not put two
// formats on stdout. Notes about files written go to stderr, so stdout stays machine-readable.
import * as fs from 'fs';
import * as path from 'path';
import { toArrowIpcFile } from './arrow';
import { toCsv } from './csv';
import { toJson } from './json';
import type { ResultTable } from './resultTable';
import { renderTable, type TableOptions } from './table';

export interface OutputOptions {
  json?: boolean;
  /** A file path, or '-' for stdout. */
  csv?: string;
  /** A file path. */
  arrow?: string;
}

export interface OutputStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const processStreams: OutputStreams = { stdout: process.stdout, stderr: process.stderr };

export function emitResult(
  table: ResultTable,
  options: OutputOptions,
  presentation: TableOptions = {},
  streams: OutputStreams = processStreams,
): void {
  if (options.json && options.csv === '-') throw new Error('--json 與 --csv - 不能同時輸出到標準輸出');
  if (options.arrow) {
    writeFile(options.arrow, toArrowIpcFile(table));
    streams.stderr.write(`已寫出 Arrow 檔：${options.arrow}（${table.rows.length} 行）\n`);
  }
  if (options.csv === '-') streams.stdout.write(toCsv(table));
  else if (options.csv) {
    writeFile(options.csv, toCsv(table, { bom: true }));
    streams.stderr.write(`已寫出 CSV 檔：${options.csv}（${table.rows.length} 行）\n`);
  }
  if (options.json) streams.stdout.write(toJson(table));
  const somethingOnStdout = options.json || options.csv === '-';
  const somethingWritten = Boolean(options.csv || options.arrow);
  if (!somethingOnStdout && !somethingWritten) {
    streams.stdout.write(table.rows.length === 0 ? '（沒有資料）\n' : renderTable(table, presentation));
  }
}

function writeFile(file: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, content);
}
