// Output formats shared by the commands: terminal tables aligned by display width (CJK counts two),
// CSV that Excel opens safely, JSON, and Arrow files that keep dates as dates.
import { tableFromIPC } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { toArrowIpcFile } from '../pipeline/output/arrow';
import { toCsv, neutraliseFormula } from '../pipeline/output/csv';
import { displayWidth, truncateDisplay } from '../pipeline/output/displayWidth';
import { toJson } from '../pipeline/output/json';
import type { ResultTable } from '../pipeline/output/resultTable';
import { renderTable } from '../pipeline/output/table';
import { readerToTable } from '../pipeline/db/values';

describe('displayWidth', () => {
  test.each([
    ['abc', 3],
    ['上城區', 6],
    ['ＡＢ１', 6],
    ['，。「」', 8],
    ['杭州西湖風景名勝區', 18],
    ['e\u0301', 1],
    ['a\u200bb', 2],
    ['🎉', 2],
    ['85.8萬人次', 10],
  ])('%s takes %i columns', (text, width) => {
    expect(displayWidth(text)).toBe(width);
  });

  test('cutting never splits a wide character across the limit', () => {
    const cut = truncateDisplay('杭州西湖風景名勝區', 7);
    expect(cut).toBe('杭州西…');
    expect(displayWidth(cut)).toBeLessThanOrEqual(7);
  });
});

describe('renderTable', () => {
  const table: ResultTable = {
    columns: [
      { name: 'district', kind: 'text' },
      { name: 'completion', kind: 'float' },
      { name: 'n', kind: 'int64' },
    ],
    rows: [
      ['上城區', 0.5, 1],
      ['杭州西湖風景名勝區', 0.123456, 12],
      ['ab', null, 123],
    ],
  };

  test('right-aligned numbers end in the same terminal column on every line, CJK or not', () => {
    const lines = renderTable(table, { columns: { district: { header: '區縣' } } }).trimEnd().split('\n');
    const widths = lines.map(displayWidth);
    expect(new Set(widths).size).toBe(1);
    expect(lines[0].startsWith('區縣')).toBe(true);
    // The completion column (right-aligned) ends at the same display column on every line.
    const texts = ['completion', '0.5', '0.1235', ''];
    const ends = lines
      .filter((_, i) => i !== 1)
      .map((line, i) => (texts[i] ? displayWidth(line.slice(0, line.indexOf(texts[i]) + texts[i].length)) : undefined))
      .filter((end) => end !== undefined);
    expect(ends).toHaveLength(3);
    expect(new Set(ends).size).toBe(1);
  });

  test('cells with line breaks stay on one line; floats are shortened', () => {
    const out = renderTable({ columns: [{ name: 'x', kind: 'text' }, { name: 'y', kind: 'float' }], rows: [['上\n城\n區', 1 / 3]] });
    expect(out.split('\n')).toHaveLength(4);
    expect(out).toContain('上 城 區');
    expect(out).toContain('0.3333');
  });
});

describe('CSV', () => {
  test.each([
    ['=HYPERLINK("http://x")', `'=HYPERLINK("http://x")`],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ['上城區', '上城區'],
  ])('text %j is made inert as %j', (text, safe) => {
    expect(neutraliseFormula(text)).toBe(safe);
  });

  test('numbers stay numbers, quoting follows RFC 4180, files get a BOM and CRLF', () => {
    const table: ResultTable = {
      columns: [
        { name: 'note', kind: 'text' },
        { name: 'gap', kind: 'float' },
        { name: 'flags', kind: 'text-list' },
      ],
      rows: [
        ['他說"好",=1', -0.05, ['stalled', 'behind']],
        [null, null, null],
      ],
    };
    const csv = toCsv(table, { bom: true });
    expect(csv.startsWith('\uFEFFnote,gap,flags\r\n')).toBe(true);
    expect(csv).toContain('"他說""好"",=1",-0.05,stalled; behind\r\n');
    expect(csv.endsWith(',,\r\n')).toBe(true);
  });
});

test('JSON is an array of objects keyed by column name', () => {
  const table: ResultTable = { columns: [{ name: 'as_of', kind: 'date' }, { name: 'n', kind: 'int64' }], rows: [['2024-09-30', 3]] };
  expect(JSON.parse(toJson(table))).toEqual([{ as_of: '2024-09-30', n: 3 }]);
});

test('Arrow keeps DuckDB types: dates as dates, DECIMAL as float64, BIGINT as int64, lists as lists', async () => {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(`
    SELECT DATE '2024-09-30' AS as_of, 1.25::DECIMAL(5,2) AS amount, 7::BIGINT AS n, 3::INTEGER AS k,
           0.5::DOUBLE AS completion, '上城區' AS district, ['stalled', 'behind'] AS flags, true AS tied,
           TIMESTAMP '2024-10-01 08:30:00' AS loaded_at
    UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`);
  const table = readerToTable(reader);
  connection.closeSync();
  instance.closeSync();

  const arrow = tableFromIPC(toArrowIpcFile(table));
  const types = Object.fromEntries(arrow.schema.fields.map((f) => [f.name, String(f.type)]));
  expect(types).toEqual({
    as_of: 'Date32<DAY>',
    amount: 'Float64',
    n: 'Int64',
    k: 'Int32',
    completion: 'Float64',
    district: 'Utf8',
    flags: 'List<Utf8>',
    tied: 'Bool',
    loaded_at: 'Timestamp<MICROSECOND>',
  });
  const first = arrow.get(0)!.toJSON();
  expect(new Date(first.as_of as number).toISOString()).toBe('2024-09-30T00:00:00.000Z');
  expect(first.amount).toBe(1.25);
  expect(first.n).toBe(7n);
  expect(first.district).toBe('上城區');
  expect([...(first.flags as Iterable<string>)]).toEqual(['stalled', 'behind']);
  expect(new Date(Number(first.loaded_at)).toISOString()).toBe('2024-10-01T08:30:00.000Z');
  expect(Object.values(arrow.get(1)!.toJSON()).every((v) => v === null)).toBe(true);
});
