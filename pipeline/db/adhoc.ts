// Ad-hoc SQL for `minsheng sql`: analysts' own queries, which must never change the database.
//
// Two layers. The real guarantee is the read-only open (openStore(..., { readOnly: true })): DuckDB
// refuses every write to the file. On top, statements are checked before any of them runs, because a
// read-only database still lets a statement write *other* files — COPY ... TO could overwrite the
// database file itself, ATTACH could open another database for writing, and some PRAGMAs and SETs
// write profiling output to a path. Allowed: SELECT (which is also what WITH, FROM-first queries,
// DESCRIBE, SHOW, SUMMARIZE and PRAGMA table_info-style queries are), EXPLAIN, CALL of table
// functions, and SET VARIABLE. The configuration is locked first, so SET can only set variables.
// A statement's type is not enough on its own: EXPLAIN ANALYZE runs the statement it explains
// (EXPLAIN ANALYZE COPY ... TO 'minsheng.duckdb' overwrote the database), and preparing EXPORT
// DATABASE already creates its folder (one named like the database's .wal made the file unopenable).
// So before anything is prepared, DuckDB's own sandbox is closed too: no statement may touch a file
// (no COPY, EXPORT, ATTACH, read_csv ... — analysts who need files use any DuckDB client on a copy).
// The locked configuration does not cover every setting: table functions such as enable_logging and
// enable_profiling change logging and profiling (a log written to a folder the sandbox then refuses
// aborted the whole process), and query() runs SQL assembled at run time, past any check of the text.
// Their names are refused wherever they appear in the text, before any statement is even prepared.
import { StatementType } from '@duckdb/node-api';
import { msg } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';
import type { ResultTable } from '../output/resultTable';
import type { Store } from './store';
import { readerToTable } from './values';

const ALLOWED = new Set<StatementType>([
  StatementType.SELECT,
  StatementType.EXPLAIN,
  StatementType.CALL,
  StatementType.SET,
  StatementType.VARIABLE_SET,
]);

export const ALLOWED_STATEMENTS_TEXT = 'SELECT、WITH、FROM、DESCRIBE、SHOW、SUMMARIZE、EXPLAIN、CALL、SET VARIABLE';

export class RejectedStatementError extends MessageError {
  constructor(index: number, type: StatementType) {
    super(msg('adhoc.rejected', { allowed: ALLOWED_STATEMENTS_TEXT, n: index + 1, type: StatementType[type] ?? type }));
    this.name = 'RejectedStatementError';
  }
}

/**
 * Runs one or more statements (separated by ';') and returns the last one's result. Every statement
 * is checked first: if any is not a query, none runs.
 */
export async function runAdhocSql(store: Store, sqlText: string): Promise<ResultTable> {
  const connection = store.connection;
  await refuseSettingFunctions(store, sqlText);
  const locked = await connection.runAndReadAll("SELECT current_setting('lock_configuration')");
  if (locked.getRows()[0][0] !== true) {
    await connection.run('SET enable_external_access = false');
    await connection.run('SET lock_configuration = true');
  }
  const extracted = await connection.extractStatements(sqlText);
  if (extracted.count === 0) throw new MessageError(msg('adhoc.empty'));
  // Check every statement before running any (preparing binds but does not execute) ...
  for (let i = 0; i < extracted.count; i++) {
    // One that cannot be bound yet (it may need a variable an earlier one sets) is checked again below;
    // one the sandbox refuses (it touches a file) is refused now, before anything runs.
    const statement = await extracted.prepare(i).catch((error: Error) => {
      const refused = refusal(error, i);
      if (refused) throw refused;
      return undefined;
    });
    if (!statement) continue;
    if (!ALLOWED.has(statement.statementType)) throw new RejectedStatementError(i, statement.statementType);
    statement.destroySync();
  }
  // ... then prepare each again just before it runs, so it sees what the earlier ones did
  // (SET VARIABLE is read when the next statement is bound). An extracted statement can be
  // prepared once only, hence the second extraction.
  const toRun = await connection.extractStatements(sqlText);
  let last: ResultTable = { columns: [], rows: [] };
  for (let i = 0; i < toRun.count; i++) {
    const statement = await toRun.prepare(i).catch((error: Error) => {
      throw refusal(error, i) ?? new MessageError(msg('adhoc.statement-error', { n: i + 1, reason: error.message }));
    });
    if (!ALLOWED.has(statement.statementType)) throw new RejectedStatementError(i, statement.statementType);
    const reader = await statement.runAndReadAll().catch((error: Error) => {
      throw refusal(error, i) ?? error;
    });
    last = readerToTable(reader);
  }
  return last;
}

/**
 * Table functions that change settings outside the locked configuration (logging, profiling, the
 * parser, checkpoints: enable_*, disable_*, truncate_*, force_*), and those that run SQL given as text
 * or write to the log. query_table stays: it only names a table, and the sandbox refuses files. Read from the catalogue, so a newer DuckDB's enable_… is refused too.
 */
const SETTING_FUNCTIONS_SQL = `
  SELECT DISTINCT function_name FROM duckdb_functions()
  WHERE (function_type = 'table' AND regexp_matches(function_name, '^(enable|disable|truncate|force)_'))
     OR function_name IN ('checkpoint', 'query', 'json_execute_serialized_sql', 'write_log')
  ORDER BY function_name`;

/**
 * Refuses the text when one of SETTING_FUNCTIONS names appears in it as a word, in any case, quoted or
 * not — also inside a string or a comment, which is the price of never being fooled by the parser.
 */
async function refuseSettingFunctions(store: Store, sqlText: string): Promise<void> {
  const names = (await store.connection.runAndReadAll(SETTING_FUNCTIONS_SQL)).getRows().map((row) => String(row[0]));
  const words = new Set(sqlText.toLowerCase().split(/[^a-z0-9_$]+/));
  const found = names.filter((name) => words.has(name));
  if (found.length > 0) throw new MessageError(msg('sql.settings-function', { names: found.join('、') }));
}

/** What DuckDB's sandbox and the locked configuration refused, said from the catalogue; undefined for other errors. */
function refusal(error: Error, index: number): MessageError | undefined {
  const n = index + 1;
  if (/file system operations are disabled|Permission Error: Cannot access/i.test(error.message)) return new MessageError(msg('adhoc.files', { n }));
  if (/configuration has been locked/i.test(error.message)) return new MessageError(msg('adhoc.settings', { n }));
  return undefined;
}
