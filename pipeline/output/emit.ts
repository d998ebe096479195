// Sends a ResultTable where the user asked: an aligned table on the terminal by default, or JSON on
// stdout, CSV to a file or stdout ('-'), an Arrow IPC file — any combination that does not put two
// formats on stdout. Notes about files written go to stderr, so stdout stays machine-readable. Files go
// only where the output guard allows (pipeline/output/outputGuard.ts), checked before anything is written.
import * as fs from 'fs';
import * as path from 'path';
import { t } from '../../core/messages';
import { DEFAULT_LANG } from '../../core/messages/lang';
import { toArrowIpcFile } from './arrow';
import { toCsv } from './csv';
import { toJson } from './json';
import { checkOutputFile, type OutputGuard } from './outputGuard';
import { withDistrictsAsWritten, type ResultTable } from './resultTable';
import { renderTable, type TableOptions } from './table';

export interface OutputOptions {
  json?: boolean;
  /** A file path, or '-' for stdout. */
  csv?: string;
  /** A file path. */
  arrow?: string;
  /** What the files may not overwrite (the database, the inputs), and --force. */
  guard?: OutputGuard;
}

export interface OutputStreams {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const processStreams: OutputStreams = { stdout: process.stdout, stderr: process.stderr };

export function emitResult(
  result: ResultTable,
  options: OutputOptions,
  presentation: TableOptions = {},
  streams: OutputStreams = processStreams,
): void {
  const lang = presentation.lang ?? DEFAULT_LANG;
  const table = presentation.districtNames ? withDistrictsAsWritten(result, presentation.districtNames) : result;
  if (options.json && options.csv === '-') throw new Error(t(lang, 'table.json-and-csv'));
  const files = [options.arrow, options.csv === '-' ? undefined : options.csv].filter((f): f is string => Boolean(f));
  for (const file of files) checkOutputFile(file, options.guard ?? {});
  if (options.arrow) {
    writeFile(options.arrow, toArrowIpcFile(table));
    streams.stderr.write(`${t(lang, 'table.wrote-arrow', { file: options.arrow, rows: table.rows.length })}\n`);
  }
  if (options.csv === '-') streams.stdout.write(toCsv(table));
  else if (options.csv) {
    writeFile(options.csv, toCsv(table, { bom: true }));
    streams.stderr.write(`${t(lang, 'table.wrote-csv', { file: options.csv, rows: table.rows.length })}\n`);
  }
  if (options.json) streams.stdout.write(toJson(table));
  const somethingOnStdout = options.json || options.csv === '-';
  const somethingWritten = Boolean(options.csv || options.arrow);
  if (!somethingOnStdout && !somethingWritten) {
    streams.stdout.write(table.rows.length === 0 ? `${t(lang, 'table.empty')}\n` : renderTable(table, presentation));
  }
}

function writeFile(file: string, content: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, content);
}
