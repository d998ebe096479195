// Reads Parquet files with hyparquet, a JavaScript reader that shares no code with DuckDB, and prints
// one JSON line per file: {"file": …, "rows": [{column: value}, …]}. tests/export-parquet.test.ts runs
// it as a child process because hyparquet is an ES module, which jest's CommonJS runtime cannot load.
// Values are printed as JSON can hold them: integers as numbers (bigint when not safe, as a string with
// an "n"), dates and timestamps as ISO strings, bytes as hex. The export writes ZSTD pages; fzstd
// decompresses them.
//   node tests/helpers/parquetRows.mjs FILE…
import { decompress } from 'fzstd';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';

const compressors = { ZSTD: (input, outputLength) => decompress(input, new Uint8Array(outputLength)) };

function plain(value) {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : `${value}n`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

for (const file of process.argv.slice(2)) {
  const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), compressors });
  process.stdout.write(`${JSON.stringify({ file, rows: rows.map(plain) })}\n`);
}
