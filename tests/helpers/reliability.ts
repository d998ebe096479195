// Shared by tests/reliability-*.test.ts (docs/design.md, "Broken and hostile input"): what "nothing lost,
// nothing changed" is measured with — a content snapshot of every table — and how a case is timed and its
// memory watched.
import { performance } from 'node:perf_hooks';
import * as path from 'node:path';
import { openStore, type Store } from '../../pipeline/db/store';
import { runCli } from './cli';
import { COMBINED_FILE } from './samples';

/** A stack frame in what a user sees ("    at readFile (node:fs:…)"), or a raw JS error name: a crash shown to a clerk. */
export const CRASH_TEXT = /^\s+at .*(\(|:\d+:\d+)|\b(TypeError|ReferenceError|RangeError|SyntaxError|AssertionError)\b|Unhandled|ERR_[A-Z_]+|undefined|\[object Object\]/m;

/** Rows and a checksum of the content of one table, in an order that does not depend on storage. */
export interface TableSnapshot {
  rows: number;
  md5: string;
}

export type DbSnapshot = Record<string, TableSnapshot>;

type QueryRows = (sql: string) => Promise<Record<string, unknown>[]>;

/** Every table of the database: row count and an MD5 over its rows as text, sorted. */
export async function snapshotWith(query: QueryRows): Promise<DbSnapshot> {
  const tables = await query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name");
  const snapshot: DbSnapshot = {};
  for (const { table_name: name } of tables) {
    // Table names come from the catalogue, not from any input.
    const [row] = await query(
      `SELECT count(*) AS n, md5(coalesce(string_agg(CAST(t AS VARCHAR), chr(10) ORDER BY CAST(t AS VARCHAR)), '')) AS h FROM "${String(name)}" t`,
    );
    snapshot[String(name)] = { rows: Number(row.n), md5: String(row.h) };
  }
  return snapshot;
}

export function storeQuery(store: Store): QueryRows {
  return async (sql) => (await store.connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

/** Snapshot of a database file, opened read-only and closed again. */
export async function snapshotFile(dbPath: string): Promise<DbSnapshot> {
  const store = await openStore(dbPath, { readOnly: true });
  try {
    return await snapshotWith(storeQuery(store));
  } finally {
    store.close();
  }
}

/** One query on a database file, read-only. */
export async function queryFile(dbPath: string, sql: string): Promise<Record<string, unknown>[]> {
  const store = await openStore(dbPath, { readOnly: true });
  try {
    return await storeQuery(store)(sql);
  } finally {
    store.close();
  }
}

export interface Measured<T> {
  value: T;
  ms: number;
  /** Highest resident set size seen while the work ran, minus the size before it, in MB. */
  rssGrowthMb: number;
}

/**
 * Runs `work`, timing it and sampling the process's memory every few milliseconds (the samples are
 * taken whenever the event loop is free, which ExcelJS and DuckDB give it often).
 */
export async function measured<T>(work: () => Promise<T>): Promise<Measured<T>> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 5);
  const started = performance.now();
  try {
    const value = await work();
    sample();
    return { value, ms: performance.now() - started, rssGrowthMb: (peak - before) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

/** A database in `dir` with the sample plan loaded (`minsheng plan load 附件1+2.xlsx`). */
export async function planDatabase(dir: string, name = 'minsheng.duckdb'): Promise<string> {
  const db = path.join(dir, name);
  const r = await runCli('plan', 'load', COMBINED_FILE, '--db', db);
  if (r.code !== 0) throw new Error(`plan load failed: ${r.stderr}`);
  return db;
}
