// A progress workbook as a whole, loaded into a store: what several report sheets in one file mean, and
// checks that need what the store already holds (a cumulative figure below the district's last report).
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import type { CellValue } from '../core/grid';
import { issueText } from '../core/issues';
import { replacePlan } from '../pipeline/db/plan';
import { runQuery } from '../pipeline/db/queries';
import { openStore, type Store } from '../pipeline/db/store';
import { loadBytes } from '../pipeline/loadFiles';
import { goodRows, HEADER, type ReportRow } from './helpers/submissionGrids';
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
