// External inputs of the assessment (滿意度測評, 第三方評價, 參與監督): the templates `minsheng assess template`
// writes, filled in as a clerk would (ExcelJS on the real file), loaded with `minsheng assess load`: located
// errors, a bad file changes nothing, one transaction per file, a later file supersedes, history kept.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { openStore } from '../pipeline/db/store';
import { runCli } from './helpers/cli';
import { buildSampleDb } from './helpers/sampleDb';
import { removeTempDirs, tempDir } from './helpers/tempDir';

const dir = tempDir('minsheng-inputs-');
const db = path.join(dir, 'm.duckdb');

afterAll(removeTempDirs);

beforeAll(async () => {
  await buildSampleDb(db, { include: (f) => /2024-1[01]/.test(f) });
  expect((await runCli('assess', 'rules', '-o', path.join(dir, 'rules.xlsx'), '--db', db)).code).toBe(0);
  expect((await runCli('assess', 'load', path.join(dir, 'rules.xlsx'), '--db', db)).code).toBe(0);
  for (const [input, name] of [['satisfaction', 's'], ['third-party', 't'], ['supervision', 'p']]) {
    const out = await runCli('assess', 'template', '--input', input, '-o', path.join(dir, `${name}.xlsx`), '--db', db);
    expect([input, out.code]).toEqual([input, 0]);
  }
});

/** Copies a template, lets `edit` fill it (the first sheet), and writes it as `name`. */
async function filled(template: string, name: string, edit: (ws: ExcelJS.Worksheet) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path.join(dir, template));
  edit(wb.worksheets[0]);
  const file = path.join(dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

/** The row of the template whose first column holds project `no`. */
function projectRow(ws: ExcelJS.Worksheet, no: number): number {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, 1).value === no) return r;
  throw new Error(`no project ${no}`);
}

function headerRow(ws: ExcelJS.Worksheet, label: string): { row: number; col: number } {
  for (let r = 1; r <= 20; r++) for (let c = 1; c <= 8; c++) if (ws.getCell(r, c).value === label) return { row: r, col: c };
  throw new Error(`no ${label}`);
}

async function tableSnapshot(): Promise<string> {
  const store = await openStore(db, { readOnly: true });
  try {
    const parts: unknown[] = [];
    for (const table of ['assessment_files', 'assessment_scores', 'participation_records', 'assessment_components']) {
      parts.push((await store.connection.runAndReadAll(`SELECT * EXCLUDE (${table === 'assessment_files' ? 'loaded_at' : 'file_id'}) FROM ${table} ORDER BY ALL`)).getRowsJS());
    }
    return JSON.stringify(parts, (_, v) => (typeof v === 'bigint' ? Number(v) : v));
  } finally {
    store.close();
  }
}

async function scoresOf(kind: string): Promise<Record<string, unknown>[]> {
  const store = await openStore(db, { readOnly: true });
  try {
    return (await store.connection.runAndReadAll(`SELECT project_no, district, score, file_id FROM assessment_current_scores(2024, '${kind}') ORDER BY project_no, district NULLS FIRST`)).getRowObjectsJS();
  } finally {
    store.close();
  }
}

test('the satisfaction template lists every project, states its scale and kind, and loads once filled', async () => {
  const file = await filled('s.xlsx', 'satisfaction-1.xlsx', (ws) => {
    ws.getCell(projectRow(ws, 1), 4).value = 92;
    ws.getCell(projectRow(ws, 2), 4).value = '88.5';
    // A district's own score for project 1, added as a new row at the bottom, the district in simplified script.
    const extra = ws.rowCount + 1;
    ws.getCell(extra, 1).value = 1;
    ws.getCell(extra, 3).value = '临平区';
    ws.getCell(extra, 4).value = 71;
  });
  const out = await runCli('assess', 'load', file, '--db', db, '--json');
  expect(out.code).toBe(0);
  const [load] = JSON.parse(out.stdout).files;
  expect([load.verdict, load.kind, load.year]).toEqual(['loaded', 'satisfaction', 2024]);
  expect(await scoresOf('satisfaction')).toEqual([
    { project_no: 1, district: null, score: 92, file_id: load.stored.fileId },
    { project_no: 1, district: '臨平區', score: 71, file_id: load.stored.fileId },
    { project_no: 2, district: null, score: 88.5, file_id: load.stored.fileId },
  ]);
  // The same file again changes nothing.
  const again = JSON.parse((await runCli('assess', 'load', file, '--db', db, '--json')).stdout).files[0];
  expect(again.verdict).toBe('duplicate');
});

test('a file with errors is refused whole, each error at its cell, and the database does not change', async () => {
  const before = await tableSnapshot();
  let cells: Record<string, string> = {};
  const file = await filled('s.xlsx', 'satisfaction-bad.xlsx', (ws) => {
    const r1 = projectRow(ws, 3);
    ws.getCell(r1, 4).value = 120; // above the scale of 100
    const r2 = projectRow(ws, 4);
    ws.getCell(r2, 4).value = '待定';
    const extra = ws.rowCount + 1;
    ws.getCell(extra, 1).value = 99; // no such project
    ws.getCell(extra, 4).value = 80;
    ws.getCell(extra + 1, 1).value = 5;
    ws.getCell(extra + 1, 3).value = '上海區'; // no such district
    ws.getCell(extra + 1, 4).value = 80;
    ws.getCell(projectRow(ws, 6), 4).value = 90; // fine on its own
    cells = { range: `D${r1}`, text: `D${r2}`, project: `A${extra}`, district: `C${extra + 1}` };
  });
  const out = await runCli('assess', 'load', file, '--db', db, '--json');
  expect(out.code).toBe(1);
  const [load] = JSON.parse(out.stdout).files;
  expect(load.verdict).toBe('rejected');
  expect(load.issues.map((i: { code: string; cell: string; sheet: string }) => [i.code, i.sheet, i.cell])).toEqual([
    ['assess-score-range', '滿意度測評', cells.range],
    ['assess-not-number', '滿意度測評', cells.text],
    ['assess-unknown-project', '滿意度測評', cells.project],
    ['assess-unknown-assessee', '滿意度測評', cells.district],
  ]);
  expect(load.issues[0].message).toBe('得分「120」不在0到滿分100之間。');
  expect(await tableSnapshot()).toBe(before);
});

test('a duplicate row and a missing scale are errors', async () => {
  const file = await filled('t.xlsx', 'third-party-bad.xlsx', (ws) => {
    const scale = headerRow(ws, '滿分');
    ws.getCell(scale.row, scale.col + 1).value = null;
  });
  const [load] = JSON.parse((await runCli('assess', 'load', file, '--db', db, '--json')).stdout).files;
  expect(load.issues.map((i: { code: string }) => i.code)).toEqual(['assess-scale']);
  const dup = await filled('t.xlsx', 'third-party-dup.xlsx', (ws) => {
    ws.getCell(projectRow(ws, 7), 4).value = 80;
    const extra = ws.rowCount + 1;
    ws.getCell(extra, 2).value = ws.getCell(projectRow(ws, 7), 2).value; // the same project, by name only
    ws.getCell(extra, 4).value = 85;
  });
  const [loadDup] = JSON.parse((await runCli('assess', 'load', dup, '--db', db, '--json')).stdout).files;
  expect(loadDup.issues.map((i: { code: string; message: string }) => [i.code, i.message])).toEqual([['assess-duplicate', expect.stringContaining('項目7（整個項目）的得分寫了兩次')]]);
});

test('a later file supersedes the earlier one for the projects it lists; both stay in the history', async () => {
  const file = await filled('s.xlsx', 'satisfaction-2.xlsx', (ws) => {
    ws.getCell(projectRow(ws, 1), 4).value = 95;
    ws.getCell(projectRow(ws, 9), 4).value = 80;
  });
  const out = await runCli('assess', 'load', file, '--db', db);
  expect(out.code).toBe(0);
  expect(out.stdout).toContain('取代了同年度早先的1份同類檔案');
  const current = await scoresOf('satisfaction');
  // Project 1 is the second file's (its district row is gone with the first file's project 1);
  // project 2 is still the first file's, which the second does not list.
  expect(current.map((r) => [r.project_no, r.district, r.score])).toEqual([
    [1, null, 95],
    [2, null, 88.5],
    [9, null, 80],
  ]);
  const store = await openStore(db, { readOnly: true });
  try {
    const files = (await store.connection.runAndReadAll("SELECT file_name FROM assessment_files WHERE kind = 'satisfaction' ORDER BY id")).getRowsJS();
    expect(files.flat()).toEqual(['satisfaction-1.xlsx', 'satisfaction-2.xlsx']);
    const all = (await store.connection.runAndReadAll('SELECT count(*) FROM assessment_scores')).getRowsJS();
    expect(Number(all[0][0])).toBe(5);
  } finally {
    store.close();
  }
});

test('participation records: units in either script, dates in the year, times, located errors', async () => {
  const good = await filled('p.xlsx', 'participation-1.xlsx', (ws) => {
    const h = headerRow(ws, '單位').row;
    const rows: [string | null, string, string | Date, string, number | null][] = [
      ['區縣', '淳安', '2024-05-20', '代表監督周', 2],
      [null, '市卫生健康委员会', new Date(Date.UTC(2024, 6, 1)), '督查回頭看', null],
      ['牽頭單位', '民政局', '2024年9月3日', '政協委員監督', 1],
    ];
    rows.forEach((r, i) => r.forEach((v, j) => (ws.getCell(h + 1 + i, j + 1).value = v)));
  });
  const [load] = JSON.parse((await runCli('assess', 'load', good, '--db', db, '--json')).stdout).files;
  expect([load.verdict, load.issues]).toEqual(['loaded', []]);
  const store = await openStore(db, { readOnly: true });
  try {
    const rows = (await store.connection.runAndReadAll('SELECT assessee_type, assessee, CAST(on_date AS VARCHAR), times FROM participation_records ORDER BY on_date')).getRowsJS();
    expect(rows).toEqual([
      ['district', '淳安縣', '2024-05-20', 2],
      ['lead_unit', '市衛生健康委員會', '2024-07-01', 1],
      ['lead_unit', '市民政局', '2024-09-03', 1],
    ]);
  } finally {
    store.close();
  }
  const bad = await filled('p.xlsx', 'participation-bad.xlsx', (ws) => {
    const h = headerRow(ws, '單位').row;
    ws.getRow(h + 1).values = ['區縣', '淳安縣', '2023-12-01', '代表監督周', 1];
    ws.getRow(h + 2).values = ['區縣', '上城區', '2024-03-01', '督查', 0];
    ws.getRow(h + 3).values = [null, '市宣傳部', '2024-03-01', '督查', 1];
  });
  const [refused] = JSON.parse((await runCli('assess', 'load', bad, '--db', db, '--json')).stdout).files;
  expect(refused.issues.map((i: { code: string; cell: string }) => i.code)).toEqual(['assess-date', 'assess-not-number', 'assess-unknown-assessee']);
  expect(refused.issues.map((i: { cell: string }) => i.cell[0])).toEqual(['C', 'E', 'B']);
});

test('a workbook that is neither rules nor an input is unreadable, with a reason, and exit code 2', async () => {
  const other = path.join(dir, 'other.xlsx');
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('Sheet1').getCell('A1').value = '會議紀要';
  await wb.xlsx.writeFile(other);
  const out = await runCli('assess', 'load', other, '--db', db);
  expect(out.code).toBe(2);
  expect(out.stdout).toContain('既不是考核細則，也不是滿意度測評、第三方評價或參與監督檔案');
  expect(fs.existsSync(other)).toBe(true);
});

test('assess --rules loads an edited rules workbook first and scores with it; a wrong one is refused and changes nothing', async () => {
  const edit = async (name: string, completion: number, schedule: number) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dir, 'rules.xlsx'));
    const ws = wb.getWorksheet('考核項目')!;
    ws.eachRow((row) => {
      if (row.getCell(1).value === '區縣' && row.getCell(2).value === '完成情況') row.getCell(3).value = completion;
      if (row.getCell(1).value === '區縣' && row.getCell(2).value === '進度') row.getCell(3).value = schedule;
    });
    const file = path.join(dir, name);
    await wb.xlsx.writeFile(file);
    return file;
  };
  const wrong = await edit('rules-wrong.xlsx', 40, 20);
  const refused = await runCli('assess', '--rules', wrong, '--db', db, '--json');
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('區縣各考核項目的分值合計為110');
  const before = JSON.parse((await runCli('assess', '--db', db, '--json')).stdout);
  expect(before.districts[0].components[0].full_points).toBe(30);
  const edited = await edit('rules-edited.xlsx', 35, 15);
  const out = await runCli('assess', '--rules', edited, '--db', db, '--json');
  expect(out.code).toBe(0);
  const after = JSON.parse(out.stdout);
  expect(after.districts[0].components.slice(0, 2).map((c: { full_points: number }) => c.full_points)).toEqual([35, 15]);
  expect(after.rules_file).toBeGreaterThan(before.rules_file);
});
