// `minsheng report` on the 2024 sample: the leaders' workbook read back with ExcelJS holds exactly what
// the ranking and lag queries return, every chart is there as a PNG of the size its spec asks for,
// pictures never cover tables, the sheets are set up to print, nothing became a formula or a link,
// and LibreOffice turns the workbook into a PDF.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { LAG_STATUSES, LAG_STATUSES_BEST_FIRST, LAG_STATUS_FILLS } from '../core/lagStatus';
import { categoryCompletionChart } from '../pipeline/charts/categoryCompletion';
import { lagHeatmap } from '../pipeline/charts/lagHeatmap';
import { projectProgressChart } from '../pipeline/charts/projectProgress';
import { rankingChart } from '../pipeline/charts/ranking';
import { chartSize, DEFAULT_SCALE } from '../pipeline/charts/render';
import type { CategoryLagRow } from '../pipeline/db/rows';
import { queryLag, queryRanking, runQuery } from '../pipeline/db/queries';
import { openStore } from '../pipeline/db/store';
import { columnLabels } from '../pipeline/output/columnLabels';

import { displayWidth } from '../pipeline/output/displayWidth';
import { rowObjects, type Cell } from '../pipeline/output/resultTable';
import { readReportData, type ReportData } from '../pipeline/report/reportData';
import { LAG_TABLE, OVERVIEW_ROWS, RANKING_TABLE, categoryTableName, reportSheetNames } from '../pipeline/report/reportWorkbook';
import { SEVERITY, statusLabel } from '../pipeline/report/statusStyle';
import { t } from '../core/messages';
import { sheetNameProblem } from '../pipeline/xlsx/applyEditPlan';
import { runCli } from './helpers/cli';
import { located, machine, testIf } from './helpers/machine';
import { buildSampleDb, overlaps, sheetImages, sheetTables } from './helpers/sampleDb';
import { removeTempDirs, tempDir } from './helpers/tempDir';
import { pngSize } from './helpers/png';
import { SUBMISSIONS_DIR } from './helpers/samples';

/** The status words the workbook shows, by code. */
const COLUMN_LABELS: Record<string, string> = columnLabels('zh-TW');
const LAG_STATUS_LABELS: Record<string, string> = Object.fromEntries(LAG_STATUSES.map((s) => [s, statusLabel(s, 'zh-TW')]));
// The tests read the traditional workbook (tests/helpers/langDefault.ts).
const { overview: OVERVIEW_SHEET, ranking: RANKING_SHEET, lag: LAG_SHEET } = reportSheetNames('zh-TW');
const NOTE_HEADER = t('zh-TW', 'report.col.note');
const SUPERVISION_WORD = t('zh-TW', 'status.supervision');
const SUPERVISION_CANDIDATE = t('zh-TW', 'status.supervision.candidate');

const AS_OF = '2024-09-30';
/** A district note that must stay text, and the row it is written on (臨平區 is seriously behind on 1-1). */
const FORMULA_NOTE = '=1+1';
const LINK_NOTE = 'https://example.com/說明';

let dir: string;
let out: string;
let wb: ExcelJS.Workbook;
let ranking: Record<string, Cell>[];
let lag: Record<string, Cell>[];
let data: ReportData;
let notes: Map<string, string | null>;

/** 臨平區's September report again, with notes a spreadsheet would be tempted to evaluate. */
async function correctedSubmission(target: string): Promise<void> {
  const source = new ExcelJS.Workbook();
  await source.xlsx.readFile(path.join(SUBMISSIONS_DIR, '2024-09', '臨平區.xlsx'));
  const ws = source.worksheets[0];
  const header = ws.getRow(4);
  const col = (label: string) => {
    let found = 0;
    header.eachCell((cell, c) => (cell.value === label ? (found = c) : undefined));
    if (!found) throw new Error(`no ${label} column`);
    return found;
  };
  const [idCol, noteCol] = [col('指標編號'), col('備註')];
  ws.eachRow((row) => {
    const id = row.getCell(idCol).value;
    if (id === '1-1') row.getCell(noteCol).value = FORMULA_NOTE;
    if (id === '16-1') row.getCell(noteCol).value = LINK_NOTE;
  });
  await source.xlsx.writeFile(target);
}

beforeAll(async () => {
  dir = tempDir('minsheng-report-');
  const db = path.join(dir, 'minsheng.duckdb');
  const corrected = path.join(dir, '臨平區（更正）.xlsx');
  await correctedSubmission(corrected);
  const loads = await buildSampleDb(db, { extraFiles: [corrected] });
  expect(loads.filter((l) => l.verdict === 'rejected' || l.verdict === 'unreadable')).toEqual([]);

  out = path.join(dir, 'report.xlsx');
  const run = await runCli('report', '--as-of', AS_OF, '-o', out, '--db', db);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);

  wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(out);
  const store = await openStore(db, { readOnly: true });
  try {
    ranking = rowObjects(await queryRanking(store, AS_OF));
    lag = rowObjects(await queryLag(store, AS_OF));
    data = await readReportData(store, AS_OF);
    const noteRows = rowObjects(
      await runQuery(
        store,
        `SELECT p.district, p.metric_id, p.note FROM progress p JOIN submissions s ON s.id = p.submission_id
         WHERE s.superseded_by IS NULL AND p.as_of <= CAST($1 AS DATE)
         QUALIFY row_number() OVER (PARTITION BY p.district, p.metric_id ORDER BY p.as_of DESC) = 1`,
        [AS_OF],
      ),
    );
    notes = new Map(noteRows.map((r) => [`${r.district}|${r.metric_id}`, r.note as string | null]));
  } finally {
    store.close();
  }
}, 600_000);

afterAll(removeTempDirs);

// ---------------------------------------------------------------------------------------------
// Reading a table back

const COLUMN_OF_LABEL = new Map(Object.entries(COLUMN_LABELS).map(([column, label]) => [label, column]));

/** The table's rows as objects keyed by header text. */
function tableRows(ws: ExcelJS.Worksheet, name: string): { rows: Record<string, unknown>[]; cells: ExcelJS.Cell[][]; headers: string[] } {
  const range = sheetTables(ws).get(name);
  if (!range) throw new Error(`no table ${name}`);
  const headers: string[] = [];
  for (let c = range.left; c <= range.right; c++) headers.push(String(ws.getCell(range.top, c).value));
  const rows: Record<string, unknown>[] = [];
  const cells: ExcelJS.Cell[][] = [];
  for (let r = range.top + 1; r <= range.bottom; r++) {
    const rowCells = headers.map((_, j) => ws.getCell(r, range.left + j));
    cells.push(rowCells);
    rows.push(Object.fromEntries(headers.map((h, j) => [h, rowCells[j].value])));
  }
  return { rows, cells, headers };
}

/** What a query cell looks like once written: dates as Date, statuses and booleans in words, NULL as empty. */
function expectedCell(column: string, value: Cell): unknown {
  if (value === null) return null;
  if (column === 'lag_status') return LAG_STATUS_LABELS[String(value)];
  if (column === 'tied') return value ? '是' : '否';
  return value;
}

function actualCell(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value;
}

// ---------------------------------------------------------------------------------------------

test('the workbook has the overview, ranking, lag and one sheet per category, all with valid names', () => {
  const names = wb.worksheets.map((ws) => ws.name);
  expect(names.slice(0, 3)).toEqual([OVERVIEW_SHEET, RANKING_SHEET, LAG_SHEET]);
  expect(names.length).toBe(3 + data.categories.length);
  for (const name of names) expect(sheetNameProblem(name)).toBeNull();
  expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
  // Each category sheet is named by its category (the name as written, where Excel allows it).
  data.categories.forEach((category, i) => expect(category.name.replace(/[[\]:*?/\\']/g, '')).toContain(names[3 + i].replace(/\(\d+\)$/, '')));
});

test('the ranking table holds exactly the ranking query, row by row and cell by cell', () => {
  const { rows, headers, cells } = tableRows(wb.getWorksheet(RANKING_SHEET)!, RANKING_TABLE);
  expect(rows.length).toBe(ranking.length);
  const columns = headers.map((h) => COLUMN_OF_LABEL.get(h));
  expect(columns).not.toContain(undefined);
  ranking.forEach((expected, i) => {
    columns.forEach((column, j) => {
      expect([i, column, actualCell(rows[i][headers[j]])]).toEqual([i, column, expectedCell(column!, expected[column!])]);
    });
  });
  const percentColumns = ['schedule_attainment', 'completion'].map((c) => columns.indexOf(c));
  for (const row of cells) for (const j of percentColumns) expect(row[j].numFmt).toBe('0.0%');
});

test('the lag sheet lists exactly the lagging district metrics of the lag query, with their values', () => {
  const { rows, headers } = tableRows(wb.getWorksheet(LAG_SHEET)!, LAG_TABLE);
  const lagging = lag.filter((r) => r.lag_status !== 'on_track');
  expect(lagging.length).toBeGreaterThan(0);
  const key = (district: unknown, metric: unknown) => `${district}|${metric}`;
  const byKey = new Map(lagging.map((r) => [key(r.district, r.metric_id), r]));
  const districtHeader = COLUMN_LABELS.district;
  const metricHeader = COLUMN_LABELS.metric_id;
  expect(rows.map((r) => key(r[districtHeader], r[metricHeader])).sort()).toEqual([...byKey.keys()].sort());

  const queryColumns = headers.filter((h) => COLUMN_OF_LABEL.has(h));
  expect(queryColumns.length).toBeGreaterThanOrEqual(10);
  for (const row of rows) {
    const expected = byKey.get(key(row[districtHeader], row[metricHeader]))!;
    for (const header of queryColumns) {
      const column = COLUMN_OF_LABEL.get(header)!;
      expect([expected.district, expected.metric_id, column, actualCell(row[header])]).toEqual([
        expected.district,
        expected.metric_id,
        column,
        expectedCell(column, expected[column]),
      ]);
    }
    const candidate = (expected.lag_flags as string[]).includes('seriously_behind');
    expect(actualCell(row[SUPERVISION_WORD])).toBe(candidate ? SUPERVISION_CANDIDATE : null);
    expect(actualCell(row[NOTE_HEADER])).toBe(notes.get(key(expected.district, expected.metric_id)) ?? null);
  }
});

test('lagging rows come most urgent first: 掛牌督辦 candidates, then by status, widest gap first', () => {
  const { rows } = tableRows(wb.getWorksheet(LAG_SHEET)!, LAG_TABLE);
  const status = (r: Record<string, unknown>) => Object.keys(LAG_STATUS_LABELS).find((s) => LAG_STATUS_LABELS[s] === r[COLUMN_LABELS.lag_status])!;
  const candidate = rows.map((r) => r[SUPERVISION_WORD] === SUPERVISION_CANDIDATE);
  expect(candidate[0]).toBe(true);
  const firstOther = candidate.indexOf(false);
  expect(candidate.slice(firstOther).every((c) => !c)).toBe(true);
  for (const group of [rows.slice(0, firstOther), rows.slice(firstOther)]) {
    for (let i = 1; i < group.length; i++) {
      const [a, b] = [group[i - 1], group[i]];
      const order = SEVERITY.indexOf(status(a) as never) - SEVERITY.indexOf(status(b) as never);
      expect(order).toBeLessThanOrEqual(0);
      if (order === 0) expect(Number(a[COLUMN_LABELS.gap])).toBeGreaterThanOrEqual(Number(b[COLUMN_LABELS.gap]));
    }
  }
});

test('lag rows are filled in their status colour, and ratios are percentages, not text', () => {
  const { rows, cells, headers } = tableRows(wb.getWorksheet(LAG_SHEET)!, LAG_TABLE);
  const status = (label: unknown) => Object.keys(LAG_STATUS_LABELS).find((s) => LAG_STATUS_LABELS[s] === label) as keyof typeof LAG_STATUS_FILLS;
  rows.forEach((row, i) => {
    const fills = cells[i].map((c) => (c.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb);
    expect(new Set(fills)).toEqual(new Set([LAG_STATUS_FILLS[status(row[COLUMN_LABELS.lag_status])]]));
    for (const column of ['completion', 'expected_ratio', 'gap']) {
      const cell = cells[i][headers.indexOf(COLUMN_LABELS[column])];
      if (cell.value !== null) {
        expect(typeof cell.value).toBe('number');
        expect(cell.numFmt).toBe('0.0%');
      }
    }
  });
});

test('the overview shows the status counts of the lag query and the reports received', () => {
  const ws = wb.getWorksheet(OVERVIEW_SHEET)!;
  LAG_STATUSES_BEST_FIRST.forEach((status, i) => {
    expect(ws.getCell(OVERVIEW_ROWS.statusLabels, 2 + i).value).toBe(LAG_STATUS_LABELS[status]);
    expect(ws.getCell(OVERVIEW_ROWS.pairs, 2 + i).value).toBe(lag.filter((r) => r.lag_status === status).length);
    const projects = new Set(lag.filter((r) => r.lag_status === status).map((r) => r.project_no));
    expect(ws.getCell(OVERVIEW_ROWS.projects, 2 + i).value).toBe(projects.size);
  });
  expect(ws.getCell(OVERVIEW_ROWS.supervision, 2).value).toBe(lag.filter((r) => (r.lag_flags as string[]).includes('seriously_behind')).length);
  expect(ws.getCell(OVERVIEW_ROWS.reports, 3).value).toBe(ranking.length);
  expect(ws.getCell(OVERVIEW_ROWS.reports, 2).value).toBe(data.receivedDistricts.length);
});

test('each category sheet lists its projects and shows one milestone chart per project', () => {
  data.categories.forEach((category, i) => {
    const ws = wb.worksheets[3 + i];
    const { rows } = tableRows(ws, categoryTableName(category.category_no));
    const projects = data.projects.filter((p) => p.category_no === category.category_no).map((p) => p.project_no);
    expect(rows.map((r) => r[COLUMN_LABELS.project_no])).toEqual(projects);
    expect(sheetImages(wb, ws).length).toBe(projects.length);
  });
});

test('every chart is in the workbook as a PNG of the size its spec asks for', () => {
  const scaled = (spec: Parameters<typeof chartSize>[0]) => {
    const size = chartSize(spec);
    return { width: Math.round(size.width * DEFAULT_SCALE), height: Math.round(size.height * DEFAULT_SCALE) };
  };
  const sizes = (ws: ExcelJS.Worksheet) =>
    sheetImages(wb, ws)
      .sort((a, b) => a.cells.top - b.cells.top)
      .map((image) => pngSize(image.png));
  const categorised = data.lag.filter((r) => r.category_no != null && r.category != null) as CategoryLagRow[];
  const rankingSize = scaled(rankingChart(data.ranking, AS_OF, 'zh-TW'));
  expect(sizes(wb.getWorksheet(OVERVIEW_SHEET)!)).toEqual([rankingSize, scaled(categoryCompletionChart(categorised, 'zh-TW'))]);
  expect(sizes(wb.getWorksheet(RANKING_SHEET)!)).toEqual([rankingSize]);
  expect(sizes(wb.getWorksheet(LAG_SHEET)!)).toEqual([scaled(lagHeatmap(data.lag, AS_OF, 'zh-TW'))]);
  data.categories.forEach((category, i) => {
    const expected = data.projects
      .filter((p) => p.category_no === category.category_no)
      .map((p) => scaled(projectProgressChart({ project_no: p.project_no, name: p.name }, data.metrics, data.milestones, data.progress, 'zh-TW')));
    expect(sizes(wb.worksheets[3 + i])).toEqual(expected);
  });
  const media = (wb as unknown as { model: { media: { extension: string }[] } }).model.media;
  expect(media.every((m) => m.extension === 'png')).toBe(true);
  expect(media.length).toBe(3 + data.projects.length); // the ranking chart is stored once for two sheets
});

test('pictures sit below the tables and headline figures, never over them or each other', () => {
  for (const ws of wb.worksheets) {
    const images = sheetImages(wb, ws);
    const blocks = [...sheetTables(ws).values()];
    if (ws.name === OVERVIEW_SHEET) blocks.push({ top: 1, left: 1, bottom: OVERVIEW_ROWS.leaders, right: 1 + LAG_STATUSES_BEST_FIRST.length });
    expect(blocks.length).toBeGreaterThan(0);
    for (const image of images) {
      for (const block of blocks) expect([ws.name, overlaps(image.cells, block)]).toEqual([ws.name, false]);
    }
    for (let i = 0; i < images.length; i++) {
      for (let j = i + 1; j < images.length; j++) expect([ws.name, overlaps(images[i].cells, images[j].cells)]).toEqual([ws.name, false]);
    }
  }
});

test('sheets print on A4 landscape, fitted to the width, covering tables and pictures; long tables repeat their header', () => {
  for (const ws of wb.worksheets) {
    const setup = ws.pageSetup;
    expect([ws.name, setup.paperSize, setup.orientation]).toEqual([ws.name, 9, 'landscape']);
    if (ws.name === OVERVIEW_SHEET) expect(setup.scale).toBeLessThanOrEqual(100);
    else expect([ws.name, setup.fitToPage, setup.fitToWidth, setup.fitToHeight]).toEqual([ws.name, true, 1, 0]);
    const [from, to] = String(setup.printArea).replace(/\$/g, '').split(':');
    const area = { top: Number(ws.getCell(from).row), left: Number(ws.getCell(from).col), bottom: Number(ws.getCell(to).row), right: Number(ws.getCell(to).col) };
    for (const covered of [...sheetTables(ws).values(), ...sheetImages(wb, ws).map((i) => i.cells)]) {
      expect([ws.name, covered.bottom <= area.bottom && covered.right <= area.right && covered.top >= area.top]).toEqual([ws.name, true]);
    }
  }
  const lagSheet = wb.getWorksheet(LAG_SHEET)!;
  const header = sheetTables(lagSheet).get(LAG_TABLE)!.top;
  expect(String(lagSheet.pageSetup.printTitlesRow).replace(/\$/g, '')).toBe(`${header}:${header}`);
  for (const ws of wb.worksheets.slice(1)) {
    const top = [...sheetTables(ws).values()][0].top;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: top });
  }
});

test('columns are wide enough for the Chinese text they do not wrap', () => {
  for (const ws of wb.worksheets.slice(1)) {
    for (const range of sheetTables(ws).values()) {
      for (let r = range.top; r <= range.bottom; r++) {
        for (let c = range.left; c <= range.right; c++) {
          const cell = ws.getCell(r, c);
          if (typeof cell.value !== 'string' || cell.alignment?.wrapText) continue;
          const room = ws.getColumn(c).width ?? 9.14;
          expect([ws.name, cell.address, cell.value, displayWidth(cell.value) <= room]).toEqual([ws.name, cell.address, cell.value, true]);
        }
      }
    }
  }
});

test('nothing in the workbook is a formula or a link; a district note "=1+1" stays text', () => {
  for (const ws of wb.worksheets) {
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        expect([ws.name, cell.address, cell.type === ExcelJS.ValueType.Formula, Boolean(cell.hyperlink)]).toEqual([ws.name, cell.address, false, false]);
      }),
    );
  }
  const { rows, cells, headers } = tableRows(wb.getWorksheet(LAG_SHEET)!, LAG_TABLE);
  const at = (metric: string) => rows.findIndex((r) => r[COLUMN_LABELS.district] === '臨平區' && r[COLUMN_LABELS.metric_id] === metric);
  for (const [metric, note] of [['1-1', FORMULA_NOTE], ['16-1', LINK_NOTE]] as const) {
    expect(at(metric)).toBeGreaterThanOrEqual(0);
    const cell = cells[at(metric)][headers.indexOf(NOTE_HEADER)];
    expect([cell.type, cell.value]).toEqual([ExcelJS.ValueType.String, note]);
  }
});

const soffice = machine.soffice();

testIf(soffice)('LibreOffice converts the workbook to PDF without error', async () => {
  const pdfDir = path.join(dir, 'pdf');
  // A profile of its own: another soffice running on the machine would otherwise take the conversion over.
  const profile = `file://${path.join(dir, 'lo-profile')}`;
  const { stderr } = await promisify(execFile)(located(soffice), [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', pdfDir, out], {
    timeout: 540_000,
  });
  const pdf = path.join(pdfDir, 'report.pdf');
  expect(fs.existsSync(pdf)).toBe(true);
  expect(stderr).not.toMatch(/error/i);
  const text = fs.readFileSync(pdf).toString('latin1');
  const pages = (text.match(/\/Type\s*\/Page(?!s)/g) ?? []).length;
  expect(pages).toBeGreaterThanOrEqual(wb.worksheets.length);
}, 600_000);
