// Opening the analysis database (a DuckDB file): where it is, the schema and macros, transactions, and
// waiting for another process that holds the write lock. Everything else in pipeline/db builds on Store.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { DISTRICTS } from '../../core/districts';
import { msg, type Message, type MessageRef } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';
import { defaultReceivedDir, readReceived } from '../archive/receivedFiles';
import { MACRO_FILES, readQueryFile } from './queryFiles';
import { rebuildDerivedTables } from './submissions';
import { phase } from '../phaseTimes';

export const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

export interface Store {
  /** Absolute path of the database file, or ':memory:'. */
  readonly path: string;
  readonly readOnly: boolean;
  readonly connection: DuckDBConnection;
  /** Releases the file (and its lock). Safe to call twice. */
  close(): void;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** How long to wait for another process's lock before failing (default 30 s). */
  lockTimeoutMs?: number;
}

/** Raised when another process keeps the database locked longer than the wait allows. */
export class StoreLockedError extends MessageError {
  constructor(readonly dbPath: string, waitedMs: number, detail: string) {
    const holder = /PID (\d+)/.exec(detail);
    const seconds = Math.round(waitedMs / 1000);
    super(holder ? msg('store.locked-by', { db: dbPath, seconds, pid: holder[1] }) : msg('store.locked', { db: dbPath, seconds }));
    this.name = 'StoreLockedError';
  }
}

/**
 * The database file could not be written or created: a full disk, a read-only file system, no
 * permission, a folder that does not exist. DuckDB says so in English; this says it from the catalogue,
 * with what to do, and the original error as `cause`. Undefined for any other error.
 */
export function explainStorageError(error: unknown): MessageError | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const file = /(?:file|directory) "([^"]+)"/i.exec(message)?.[1];
  const where: MessageRef | string = file ? msg('quoted', { text: file }) : '';
  let text: MessageRef | undefined;
  if (/No space left on device|Disk quota exceeded/i.test(message)) text = msg('store.disk-full', { where });
  else if (/Read-only file system/i.test(message)) text = msg('store.read-only-fs', { where });
  else if (/Permission denied|Access is denied/i.test(message)) text = msg('store.no-permission', { where });
  else if (/Cannot open file.*No such file or directory/i.test(message)) text = msg('store.no-folder', { where });
  return text === undefined ? undefined : new MessageError(text, { cause: error });
}

/** What DuckDB's refusal says is wrong with the file itself, or undefined when it is something else. */
function damage(error: unknown, dbPath: string): Message | undefined {
  const message = error instanceof Error ? error.message : String(error);
  if (/not a valid DuckDB database file/i.test(message)) return msg('store.damaged.not-duckdb');
  if (/Could not read enough bytes from file/i.test(message)) return msg('store.damaged.truncated');
  if (/Corrupt WAL file|Failure while replaying WAL/i.test(message)) return msg('store.damaged.wal', { wal: `${dbPath}.wal` });
  if (/Corrupt database file|checksum .*does not match/i.test(message)) return msg('store.damaged.checksum');
  return undefined;
}

const shellWord = (text: string) => (/^[\w./:\\\-\u3400-\u9fff]+$/u.test(text) ? text : `"${text.replace(/(["\\$`])/g, '\\$1')}"`);

/**
 * The database at `dbPath` cannot be opened because the file (or its write-ahead log) is damaged: says
 * so with the exact `minsheng rebuild` command that makes a new one from the received files
 * (docs/design.md, "The folder of received files"). Undefined for any other error. The damaged file is
 * left as it is.
 */
export function explainDamage(error: unknown, dbPath: string): MessageError | undefined {
  const detail = damage(error, dbPath);
  if (!detail || dbPath === ':memory:') return undefined;
  const received = defaultReceivedDir(dbPath);
  const entries = readReceived(received);
  const plans = entries.filter((e) => e.kind === 'plan').length;
  const files = entries.length - plans;
  const base = dbPath.replace(/\.duckdb$/i, '');
  let target = `${base}.rebuilt.duckdb`;
  for (let n = 2; fs.existsSync(target); n++) target = `${base}.rebuilt-${n}.duckdb`;
  const command = msg('store.damaged.command', {
    target: shellWord(target),
    plan: plans > 0 ? '' : msg('store.damaged.plan-placeholder'),
    from: entries.length > 0 ? shellWord(received) : msg('store.damaged.from-placeholder'),
  });
  const source =
    entries.length === 0
      ? msg('store.damaged.no-archive', { dir: received })
      : plans > 0
        ? msg('store.damaged.from-archive', { dir: received, plans, files })
        : msg('store.damaged.from-archive-no-plan', { dir: received, files });
  return new MessageError(msg('store.damaged', { db: dbPath, detail, command, source, lost: msg('rebuild.lost') }));
}

function isLockError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Could not set lock on file|Conflicting lock/i.test(message);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens (creating if needed, for writers) the database at `dbPath`. Writers get the schema and the
 * query macros applied, idempotently. DuckDB lets one process write a file at a time: while another
 * holds it, this waits with growing pauses up to `lockTimeoutMs`, then throws StoreLockedError.
 */
export async function openStore(dbPath: string, options: OpenOptions = {}): Promise<Store> {
  const readOnly = options.readOnly ?? false;
  const timeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const target = dbPath === ':memory:' ? dbPath : path.resolve(dbPath);
  if (readOnly && target !== ':memory:' && !fs.existsSync(target)) {
    throw new MessageError(msg('store.missing', { db: target }));
  }
  const instance = await phase('db.instance', () => createInstanceWaiting(target, readOnly, timeoutMs));
  let closed = false;
  let connection: DuckDBConnection;
  try {
    connection = await instance.connect();
  } catch (error) {
    instance.closeSync();
    throw explainDamage(error, target) ?? error;
  }
  const store: Store = {
    path: target,
    readOnly,
    connection,
    close() {
      if (closed) return;
      closed = true;
      connection.closeSync();
      instance.closeSync();
    },
  };
  if (!readOnly) {
    try {
      await phase('db.schema', () => applySchema(store));
    } catch (error) {
      store.close();
      throw explainDamage(error, target) ?? error;
    }
  }
  return store;
}

/** Opens the database for `work` and closes it after, whatever happens. */
export async function withStore<T>(dbPath: string, options: OpenOptions, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(dbPath, options);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

async function createInstanceWaiting(target: string, readOnly: boolean, timeoutMs: number): Promise<DuckDBInstance> {
  const started = Date.now();
  let pause = 50;
  for (;;) {
    try {
      return await DuckDBInstance.create(target, readOnly ? { access_mode: 'READ_ONLY' } : {});
    } catch (error) {
      const waited = Date.now() - started;
      if (!isLockError(error)) throw explainDamage(error, target) ?? explainStorageError(error) ?? error;
      if (waited >= timeoutMs) throw new StoreLockedError(target, waited, (error as Error).message);
      await sleep(Math.min(pause, timeoutMs - waited));
      pause = Math.min(pause * 2, 1000);
    }
  }
}

/** Creates the tables and (re)creates the macros from queries/*.sql; keeps `districts` = the registry. */
async function applySchema(store: Store): Promise<void> {
  const { fingerprint, files } = schemaFiles();
  // Re-creating ~80 KB of macros writes as much to the log and grows the file on every open; skip it
  // when nothing changed (a full disk then still lets `load` report what it stored).
  if ((await appliedFingerprint(store)) === fingerprint) {
    if (!(await districtsInSync(store))) {
      await inTransaction(store, async () => {
        if (await syncDistricts(store)) await rebuildDerivedTables(store);
      });
    }
    return;
  }
  await inTransaction(store, async () => {
    const setAside = await setAsideOldSubmissionsKey(store);
    await dropJudgedPairsWithoutNumbers(store);
    for (const sql of files) await store.connection.run(sql);
    if (setAside) await store.connection.run('INSERT INTO submissions SELECT * FROM submissions_before_as_of_key; DROP TABLE submissions_before_as_of_key');
    const districtsChanged = await syncDistricts(store);
    // The derived tables (schema.sql): built once for a database from before they existed, and again
    // when the districts' order changed with the registry.
    const [{ missing }] = await queryObjects(
      store,
      `SELECT (NOT EXISTS (FROM judged_pairs) AND EXISTS (FROM targets))
           OR (NOT EXISTS (FROM earlier_reports) AND EXISTS (FROM judged_pairs WHERE previous_as_of IS NOT NULL))
           OR (NOT EXISTS (FROM milestone_spans) AND EXISTS (FROM numeric_milestones)) AS missing`,
    );
    if (missing || districtsChanged) await rebuildDerivedTables(store);
    await store.connection.run('DELETE FROM schema_version');
    await store.connection.run('INSERT INTO schema_version VALUES ($1, CAST($2 AS TIMESTAMP))', [fingerprint, new Date().toISOString().replace('T', ' ').replace('Z', '')]);
  });
}

/**
 * A database made when submissions were unique by (sha256, district) could not keep one district's
 * reports of two dates from one file: its table is renamed so that schema.sql creates it with the key
 * (sha256, district, as_of), and its rows are copied back from submissions_before_as_of_key. Says
 * whether it renamed the table.
 */
async function setAsideOldSubmissionsKey(store: Store): Promise<boolean> {
  const keys = await queryObjects(
    store,
    "SELECT array_to_string(constraint_column_names, ',') AS cols FROM duckdb_constraints() WHERE table_name = 'submissions' AND schema_name = 'main' AND constraint_type = 'UNIQUE'",
  );
  if (!keys.some((k) => k.cols === 'sha256,district')) return false;
  await store.connection.run('ALTER TABLE submissions RENAME TO submissions_before_as_of_key');
  return true;
}

/**
 * judged_pairs from before its pairs were numbered (pair_no, earlier_reports' key) is dropped: it is
 * derived, so schema.sql creates it anew and it is rebuilt below.
 */
async function dropJudgedPairsWithoutNumbers(store: Store): Promise<void> {
  const columns = await queryObjects(
    store,
    "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'judged_pairs'",
  );
  if (columns.length > 0 && !columns.some((c) => c.column_name === 'pair_no')) await store.connection.run('DROP TABLE judged_pairs');
}

let schemaCache: { fingerprint: string; files: string[] } | undefined;

/** schema.sql and the macro files in the order they are applied, and their fingerprint (read once per process). */
function schemaFiles(): { fingerprint: string; files: string[] } {
  if (!schemaCache) {
    const files = [readQueryFile('schema.sql'), ...MACRO_FILES.map((f) => readQueryFile(f))];
    const hash = createHash('sha256');
    for (const f of files) hash.update(f).update('\0');
    schemaCache = { fingerprint: hash.digest('hex'), files };
  }
  return schemaCache;
}

async function appliedFingerprint(store: Store): Promise<string | undefined> {
  try {
    const rows = await queryObjects(store, 'SELECT fingerprint FROM schema_version LIMIT 1');
    return typeof rows[0]?.fingerprint === 'string' ? rows[0].fingerprint : undefined;
  } catch {
    // A new file, or one made before schema_version existed.
    return undefined;
  }
}

async function districtsInSync(store: Store): Promise<boolean> {
  const stored = await queryObjects(store, 'SELECT district, district_order FROM districts ORDER BY district_order');
  return stored.length === DISTRICTS.length && stored.every((row, i) => row.district === DISTRICTS[i].name && Number(row.district_order) === DISTRICTS[i].order);
}

/** Makes the districts table the registry's; true when it had to change a table that held districts. */
async function syncDistricts(store: Store): Promise<boolean> {
  if (await districtsInSync(store)) return false;
  const stored = await queryObjects(store, 'SELECT count(*) AS n FROM districts');
  await store.connection.run('DELETE FROM districts');
  for (const d of DISTRICTS) {
    await store.connection.run('INSERT INTO districts VALUES ($1, $2)', [d.name, d.order]);
  }
  return Number(stored[0].n) > 0;
}

/** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
export async function inTransaction<T>(store: Store, work: () => Promise<T>): Promise<T> {
  await store.connection.run('BEGIN TRANSACTION');
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await store.connection.run('ROLLBACK').catch(() => undefined);
    throw explainStorageError(error) ?? error;
  }
  try {
    await phase('commit', () => store.connection.run('COMMIT'));
  } catch (error) {
    // A failed commit (a full disk) leaves nothing of the transaction behind.
    await store.connection.run('ROLLBACK').catch(() => undefined);
    throw explainStorageError(error) ?? error;
  }
  return result;
}

/** A parameterised query's rows as objects of DuckDB values (internal use: small results). */
export async function queryObjects(
  store: Store,
  sql: string,
  params?: DuckDBValue[] | Record<string, DuckDBValue>,
  types?: DuckDBType[],
): Promise<Record<string, DuckDBValue>[]> {
  const reader = await store.connection.runAndReadAll(sql, params, types);
  return reader.getRowObjects();
}
