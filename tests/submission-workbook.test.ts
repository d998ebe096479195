// A progress workbook as a whole, loaded into a store: what several report sheets in one file mean, and
// checks that need what the store already holds (a cumulative figure below the district's last report).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import type { CellValue } from '../core/grid';
import { issueText } from '../core/issues';
import { replacePlan } from '../pipeline/db/plan';
import { runQuery } from '../pipeline/db/queries';
import { openStore, type Store } from '../pipeline/db/store';
import { loadBytes, loadFiles } from '../pipeline/loadFiles';
import { readSubmissions } from '../core/submission';
import { goodRows, HEADER, reportGrid, type ReportRow } from './helpers/submissionGrids';
import { smallPlan } from './helpers/submissionPlan';
import { removeTempDirs, tempDir } from './helpers/tempDir';

afterAll(removeTempDirs);

const plan = smallPlan();

/** A report sheet as the template lays it out: 填報單位 and 截至日期 above the header, one row per metric. */
function addReport(wb: ExcelJS.Workbook, name: string, district: string, date: string, rows: ReportRow[] = goodRows()): void {
  const ws = wb.addWorksheet(name);
  const cells: CellValue[][] = [['2024年杭州市民生實事項目進度報送表'], [`填報單位：${district}`, null, null, null, `截至日期：${date}`], [], HEADER];
  for (const r of rows) cells.push(HEADER.map((c) => (r as unknown as Record<string, CellValue>)[c] ?? null));
  cells.forEach((row, i) => row.forEach((v, j) => v !== null && (ws.getCell(i + 1, j + 1).value = v)));
}

async function bytesOf(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function freshStore(): Promise<Store> {
  const store = await openStore(':memory:');
  await replacePlan(store, plan, [{ fileName: '計劃.xlsx', sha256: 'a'.repeat(64) }]);
  return store;
}

async function stored(store: Store): Promise<{ submissions: number; rows: number }> {
  const s = (await runQuery(store, 'SELECT count(*) FROM submissions')).rows[0][0];
  const p = (await runQuery(store, 'SELECT count(*) FROM progress')).rows[0][0];
  return { submissions: Number(s), rows: Number(p) };
}

const with8_2 = (completed: number) => goodRows().map((r) => (r.指標編號 === '8-2' ? { ...r, 累計完成: completed } : r));

describe('several report sheets in one workbook', () => {
  test('one district and date twice with different numbers: the file is refused, naming both sheets', async () => {
    const wb = new ExcelJS.Workbook();
    addReport(wb, '九月', '上城區', '2024-09-30');
    addReport(wb, '九月(改)', '上城', '2024/9/30', with8_2(25));
    const store = await freshStore();
    const load = await loadBytes(store, plan, await bytesOf(wb), '上城區.xlsx');
    expect(load.verdict).toBe('rejected');
    const conflict = load.issues.find((i) => i.code === 'conflicting-reports');
    expect(conflict?.severity).toBe('error');
    expect(issueText(conflict!, 'zh-TW')).toContain('「九月」');
    expect(issueText(conflict!, 'zh-TW')).toContain('「九月(改)」');
    expect(await stored(store)).toEqual({ submissions: 0, rows: 0 });
    store.close();
  });

  test('the same report copied to a second sheet loads once, with a warning', async () => {
    const wb = new ExcelJS.Workbook();
    addReport(wb, '報送', '上城區', '2024-09-30');
    addReport(wb, '報送 (2)', '上城區', '2024-09-30');
    const store = await freshStore();
    const load = await loadBytes(store, plan, await bytesOf(wb), '上城區.xlsx');
    expect(load.verdict).toBe('loaded');
    expect(load.issues.map((i) => [i.code, i.severity])).toEqual([['same-report-twice', 'warning']]);
    expect(load.submissions).toHaveLength(1);
    expect(await stored(store)).toEqual({ submissions: 1, rows: goodRows().length });
    store.close();
  });

  test('one district, two dates: both stored, and the summary counts what was stored', async () => {
    const wb = new ExcelJS.Workbook();
    addReport(wb, '八月', '上城區', '2024-08-31', with8_2(10));
    addReport(wb, '九月', '上城區', '2024-09-30');
    const store = await freshStore();
    const bytes = await bytesOf(wb);
    const load = await loadBytes(store, plan, bytes, '上城區.xlsx');
    expect(load.verdict).toBe('loaded');
    expect(load.submissions.map((s) => [s.asOf, s.status])).toEqual([['2024-08-31', 'loaded'], ['2024-09-30', 'loaded']]);
    const summarised = load.submissions.reduce((n, s) => n + s.rows, 0);
    expect(await stored(store)).toEqual({ submissions: 2, rows: summarised });
    const eightTwo = (await runQuery(store, "SELECT strftime(as_of, '%Y-%m-%d'), completed FROM progress WHERE metric_id = '8-2' ORDER BY as_of")).rows;
    expect(eightTwo).toEqual([['2024-08-31', 10], ['2024-09-30', 20]]);
    // The same file again is a no-op for both reports.
    const again = await loadBytes(store, plan, bytes, '上城區.xlsx');
    expect(again.verdict).toBe('duplicate');
    expect(await stored(store)).toEqual({ submissions: 2, rows: summarised });
    store.close();
  });
});

test('a database made when a file loaded once per district is upgraded on open: its reports kept, the key includes the date', async () => {
  const file = path.join(tempDir(), 'old.duckdb');
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  await c.run(`CREATE SEQUENCE submission_id_seq START 1;
    CREATE TABLE submissions (id INTEGER PRIMARY KEY DEFAULT nextval('submission_id_seq'), district VARCHAR NOT NULL, as_of DATE NOT NULL,
      file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, loaded_at TIMESTAMP NOT NULL, superseded_by INTEGER, UNIQUE (sha256, district));
    INSERT INTO submissions (district, as_of, file_name, sha256, loaded_at) VALUES ('上城區', DATE '2024-08-31', '舊.xlsx', '${'b'.repeat(64)}', TIMESTAMP '2024-09-01 08:00:00');`);
  c.closeSync();
  instance.closeSync();
  const store = await openStore(file);
  const keys = (await runQuery(store, "SELECT array_to_string(constraint_column_names, ',') FROM duckdb_constraints() WHERE table_name = 'submissions' AND constraint_type = 'UNIQUE'")).rows;
  expect(keys).toEqual([['sha256,district,as_of']]);
  expect((await runQuery(store, "SELECT id, file_name FROM submissions")).rows).toEqual([[1, '舊.xlsx']]);
  await replacePlan(store, plan, [{ fileName: '計劃.xlsx', sha256: 'a'.repeat(64) }]);
  const wb = new ExcelJS.Workbook();
  addReport(wb, '八月', '上城區', '2024-08-31', with8_2(10));
  addReport(wb, '九月', '上城區', '2024-09-30');
  const load = await loadBytes(store, plan, await bytesOf(wb), '上城區.xlsx');
  expect(load.submissions.map((s) => s.submissionId)).toEqual([2, 3]);
  store.close();
});

describe('wrong numbers in 累計完成', () => {
  const withCompleted = (id: string, completed: CellValue) => goodRows().map((r) => (r.指標編號 === id ? { ...r, 累計完成: completed } : r));
  const problemsOf = (rows: ReportRow[]) => readSubmissions(reportGrid({ rows }), plan).issues.filter((i) => i.severity !== 'info');

  test('"10(2)" in a plain count metric is an error at its cell, not 12; a compound metric still takes it', () => {
    const problems = problemsOf(withCompleted('1-1', '10(2)'));
    expect(problems.map((i) => [i.code, i.severity, i.cell])).toEqual([['compound-for-count', 'error', 'G5']]);
    expect(issueText(problems[0], 'zh-TW')).toContain('「10(2)」');
    const compound = readSubmissions(reportGrid({ rows: withCompleted('26-1', '4(2)個') }), plan);
    expect(compound.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    expect(compound.submissions[0].rows.find((r) => r.metricId === '26-1')?.completed).toBe(6);
  });

  test.each<[CellValue]>([['1.234'], ['1 234'], ["1'234"]])('%j (a foreign thousands separator) is an error, never a number', (v) => {
    const problems = problemsOf(withCompleted('8-2', v));
    expect(problems.map((i) => [i.code, i.severity])).toEqual([['not-a-number', 'error']]);
    expect(issueText(problems[0], 'zh-TW')).toContain('千位只能用逗號分隔');
  });

  test.each<[CellValue]>([[1e308], ['1e308'], [5000]])('%j against a target of 40 is an error, not a warning', (v) => {
    const problems = problemsOf(withCompleted('8-2', v));
    expect(problems).toHaveLength(1);
    expect(problems[0].severity).toBe('error');
  });

  test('a figure above 1.5 times the target but plausible stays a warning', () => {
    expect(problemsOf(withCompleted('8-2', 70)).map((i) => [i.code, i.severity])).toEqual([['far-above-target', 'warning']]);
  });
});

describe('a cumulative figure below the district\'s previous report', () => {
  test('is a warning at load time that names both reports; a later report higher than the next one too', async () => {
    const store = await freshStore();
    const august = new ExcelJS.Workbook();
    addReport(august, '報送', '上城區', '2024-08-31', with8_2(30));
    expect((await loadBytes(store, plan, await bytesOf(august), '上城區8月.xlsx')).issues).toEqual([]);

    const september = new ExcelJS.Workbook();
    addReport(september, '報送', '上城區', '2024-09-30', with8_2(25));
    const load = await loadBytes(store, plan, await bytesOf(september), '上城區9月.xlsx');
    expect(load.verdict).toBe('loaded');
    expect(load.issues.map((i) => [i.code, i.severity, i.sheet, i.cell])).toEqual([['cumulative-fell', 'warning', '報送', 'G7']]);
    const text = issueText(load.issues[0], 'zh-TW');
    for (const part of ['8-2', '2024-09-30', '25', '2024-08-31', '上城區8月.xlsx', '30']) expect(text).toContain(part);

    // July's report, loaded late, says more than August's.
    const july = new ExcelJS.Workbook();
    addReport(july, '報送', '上城區', '2024-07-31', with8_2(35));
    const late = await loadBytes(store, plan, await bytesOf(july), '上城區7月.xlsx');
    expect(late.issues.map((i) => i.code)).toEqual(['cumulative-fell']);
    expect(issueText(late.issues[0], 'zh-TW')).toContain('上城區8月.xlsx');

    // A rate that goes down is not compared; a figure equal to the last one is no fall.
    const other = new ExcelJS.Workbook();
    addReport(other, '報送', '上城區', '2024-10-31', goodRows().map((r) => (r.指標編號 === '9-1' ? { ...r, 累計完成: 0.5 } : r.指標編號 === '8-2' ? { ...r, 累計完成: 30 } : r)));
    expect((await loadBytes(store, plan, await bytesOf(other), '上城區10月.xlsx')).issues).toEqual([]);
    store.close();
  });
});

describe('cumulative figures checked many files to a transaction', () => {
  test('give the warnings that one file to a transaction gives, later files of a batch seeing the earlier ones', async () => {
    const dir = tempDir();
    const write = async (name: string, date: string, rows: ReportRow[]) => {
      const wb = new ExcelJS.Workbook();
      addReport(wb, '報送', '上城區', date, rows);
      fs.writeFileSync(path.join(dir, name), await bytesOf(wb));
      return path.join(dir, name);
    };
    const files = [
      await write('a-8月.xlsx', '2024-08-31', with8_2(30)),
      await write('b-9月.xlsx', '2024-09-30', with8_2(25)),
      await write('c-7月.xlsx', '2024-07-31', with8_2(35)),
      await write('d-10月.xlsx', '2024-10-31', with8_2(30)),
    ];
    fs.copyFileSync(files[0], path.join(dir, 'e-8月again.xlsx'));
    files.push(path.join(dir, 'e-8月again.xlsx'));
    const outcome = async (batch: number) => {
      const store = await freshStore();
      const loads = await loadFiles(store, plan, files, { batch });
      store.close();
      return loads.map((l) => ({ file: path.basename(l.file), verdict: l.verdict, issues: l.issues.map((i) => `${i.code} ${i.cell} ${issueText(i, 'zh-TW')}`) }));
    };
    const oneByOne = await outcome(1);
    expect(oneByOne.map((o) => [o.file, o.verdict, o.issues.length])).toEqual([
      ['a-8月.xlsx', 'loaded', 0],
      ['b-9月.xlsx', 'loaded', 1],
      ['c-7月.xlsx', 'loaded', 1],
      ['d-10月.xlsx', 'loaded', 0],
      ['e-8月again.xlsx', 'duplicate', 1],
    ]);
    expect(oneByOne[1].issues[0]).toContain('a-8月.xlsx');
    expect(oneByOne[2].issues[0]).toContain('a-8月.xlsx');
    // The same file again is checked too: August's 30 is below July's 35, loaded since.
    expect(oneByOne[4].issues[0]).toContain('c-7月.xlsx');
    expect(await outcome(5)).toEqual(oneByOne);
    expect(await outcome(2)).toEqual(oneByOne);
  });

  test('a corrected file replaces the one it supersedes in what later files are checked against', async () => {
    const dir = tempDir();
    const write = async (name: string, date: string, completed: number) => {
      const wb = new ExcelJS.Workbook();
      addReport(wb, '報送', '上城區', date, with8_2(completed));
      fs.writeFileSync(path.join(dir, name), await bytesOf(wb));
      return path.join(dir, name);
    };
    const files = [await write('a-8月.xlsx', '2024-08-31', 30), await write('b-9月.xlsx', '2024-09-30', 35), await write('c-8月（更正）.xlsx', '2024-08-31', 40), await write('d-7月.xlsx', '2024-07-31', 33)];
    for (const batch of [1, 4]) {
      const store = await freshStore();
      const loads = await loadFiles(store, plan, files, { batch });
      store.close();
      // July's 33 is below the corrected August's 40, not above the 30 it replaced.
      expect(loads.map((l) => [path.basename(l.file), l.verdict, l.issues.map((i) => issueText(i, 'zh-TW'))])).toEqual([
        ['a-8月.xlsx', 'loaded', []],
        ['b-9月.xlsx', 'loaded', []],
        ['c-8月（更正）.xlsx', 'superseded-earlier', [expect.stringContaining('b-9月.xlsx')]],
        ['d-7月.xlsx', 'loaded', []],
      ]);
    }
  });
});
