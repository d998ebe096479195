// The 2024 Hangzhou sample against the seed notice: the transcribed JSON re-renders the seed's lines of
// 附件1 and 附件2, every count row adds up to its target, and the built workbooks carry the layout a clerk
// receives (merges, vertical headers, text values) and are what build.ts currently produces.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import ExcelJS from 'exceljs';
import {
  BreakdownTable,
  ResponsibilityList,
  categoryBlocks,
  leadUnitBlocks,
  loadBreakdownTable,
  loadResponsibilityList,
  parseBreakdownTable,
  projectNameBlocks,
} from '../samples/2024-hangzhou/data';
import { BREAKDOWN_FILE, COMBINED_FILE, RESPONSIBILITY_FILE, SAMPLE_DIR, buildSampleWorkbooks } from '../samples/2024-hangzhou/build';

const SEED_FILE = path.resolve(__dirname, '../samples/2024-hangzhou/seed/hangzhou-2024-minsheng-notice.txt');

const list: ResponsibilityList = loadResponsibilityList();
const table: BreakdownTable = loadBreakdownTable();

// ---------------------------------------------------------------------------------------------------
// Reading the seed's text rendering of the attachments: "cell | cell | ..." per table row.

const seedLines = fs.readFileSync(SEED_FILE, 'utf8').split(/\r?\n/);

/** The lines of one attachment: after its "附件N" line, up to the next attachment or the end. */
function attachmentLines(label: string): string[] {
  const start = seedLines.findIndex((line) => line.trim() === label);
  if (start < 0) throw new Error(`seed has no ${label}`);
  const end = seedLines.findIndex((line, i) => i > start && /^附件\d+$/.test(line.trim()));
  return seedLines.slice(start + 1, end < 0 ? undefined : end).filter((line) => line.trim() !== '');
}

function nonEmptyCells(line: string): string[] {
  return line
    .split('|')
    .map((cell) => cell.trim())
    .filter((cell) => cell !== '');
}

/**
 * Table rows of the rendering, as their non-empty cells. A row whose text has a real line break (project
 * 15's plan) goes on until a line ends with "|". A line without any "|" is a merged cell the rendering
 * pulled out of its row (project 11's 牽頭單位): it belongs to the row above, and the next line repeats it
 * before the rest of that row's cells.
 */
function seedRows(lines: string[]): string[][] {
  const rows: string[][] = [];
  let pending = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.includes('|')) {
      const repeated = nonEmptyCells(lines[++i]);
      if (repeated[0] !== line.trim()) throw new Error(`unexpected seed line after "${line}"`);
      rows[rows.length - 1].push(line.trim(), ...repeated.slice(1));
      continue;
    }
    pending = pending ? `${pending} ${line}` : line;
    if (line.trimEnd().endsWith('|')) {
      rows.push(nonEmptyCells(pending));
      pending = '';
    }
  }
  return rows;
}

/** How a cell shows in the seed's one-line rendering: its line breaks become spaces. */
const shown = (text: string): string => text.replace(/\n/g, ' ');
const squeezed = (text: string): string => text.replace(/\s+/g, '');

const attachment1 = attachmentLines('附件1');
const attachment2 = attachmentLines('附件2');

/** 附件1 as the stored data renders it: per project, its non-empty cells in sheet order. */
function renderedResponsibilityRows(): string[][] {
  return categoryBlocks(list).flatMap((block) =>
    block.projects.map((project, j) => {
      const merged = j === 0 ? [String(block.category.no), block.category.name] : [];
      const own = [
        project.name,
        project.cityLeader,
        project.leadUnit,
        project.leadUnitLeader,
        project.coordinatingUnits,
        project.expectedCompletion,
        project.plan,
      ];
      return [...merged, ...own].map(shown).filter((cell) => cell !== '');
    }),
  );
}

/** 附件2 as the stored data renders it: per target row, its non-empty cells (merged cells in their first row). */
function renderedBreakdownRows(): string[][] {
  return table.projects.flatMap((project) =>
    project.rows.map((row, k) => {
      const cells =
        k === 0
          ? [String(project.no), row.name ?? project.name, row.target, ...(typeof project.leadUnit === 'string' ? [project.leadUnit] : [])]
          : [...(row.name !== undefined ? [row.name] : []), row.target];
      return [...cells, ...row.values, row.note ?? ''].map(shown).filter((cell) => cell !== '');
    }),
  );
}

describe('sample data transcribes the seed', () => {
  test('附件1 has 10 categories and 48 projects in order', () => {
    expect(list.categories.map((c) => c.no)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(list.categories.flatMap((c) => c.projects).map((p) => p.no)).toEqual(table.projects.map((p) => p.no));
    expect(table.projects).toHaveLength(48);
  });

  test('附件1 title and every data row equal the seed lines', () => {
    expect(list.title).toBe(attachment1[0]);
    const seed = seedRows(attachment1.slice(2));
    const stored = renderedResponsibilityRows();
    expect(stored).toHaveLength(seed.length);
    stored.forEach((row, i) => expect([i, row]).toEqual([i, seed[i]]));
  });

  test('a category split by a page break is one category shown in two merged blocks', () => {
    const repeated = list.categories.filter((c) => c.groupSizes.length > 1).map((c) => [c.no, c.groupSizes]);
    expect(repeated).toEqual([
      [3, [5, 2]],
      [4, [3, 4]],
      [10, [2, 2]],
    ]);
    const seedCategoryLines = attachment1.slice(2).filter((line) => /^\d+ \|/.test(line));
    expect(categoryBlocks(list).map((b) => `${b.category.no} | ${b.category.name}`)).toEqual(
      seedCategoryLines.map((line) => nonEmptyCells(line).slice(0, 2).join(' | ')),
    );
  });

  test('the two sub-plans of project 15 are separated by a real line break', () => {
    const project15 = list.categories.flatMap((c) => c.projects).find((p) => p.no === 15)!;
    const parts = project15.plan.split('\n');
    expect(parts).toHaveLength(2);
    expect(parts[0].startsWith('[新開工保障房100萬平方米]')).toBe(true);
    expect(parts[1].startsWith('[分配公租房實物配租房源6000套]')).toBe(true);
  });

  test('附件2 title and every data row equal the seed lines', () => {
    expect(table.title).toBe(attachment2[0]);
    const seed = seedRows(attachment2.slice(3));
    const stored = renderedBreakdownRows();
    expect(stored).toHaveLength(seed.length);
    stored.forEach((row, i) => expect([i, row]).toEqual([i, seed[i]]));
  });

  test('lead-unit cells merged over consecutive projects are reconstructed', () => {
    const merged = leadUnitBlocks(table)
      .filter((b) => b.projects.length > 1)
      .map((b) => [b.projects[0].no, b.projects[b.projects.length - 1].no, b.leadUnit]);
    expect(merged).toEqual(
      expect.arrayContaining([
        [1, 2, '市民政局'],
        [3, 4, '市衛生健康\n委員會'],
        [6, 8, '市殘聯'],
        [11, 14, '市人力社保局'],
      ]),
    );
  });

  test('sub-rows are aligned: 市本級 of project 2, 15/2 and project 24 row 3 with its own name', () => {
    const project = (no: number) => table.projects[no - 1];
    expect(project(2).rows[0].values[0]).toBe('--');
    expect(project(2).rows[0].values[1]).toBe('110張');
    expect(project(15).rows[1].target).toBe('6000套');
    expect(project(15).rows[1].values[0]).toBe('5000套');
    expect(project(24).rows[2].name).toBe('新建“醫防護”兒童健康管理中心60家');
    expect(projectNameBlocks(project(24)).map((b) => [b.firstRow, b.lastRow])).toEqual([
      [0, 1],
      [2, 2],
    ]);
  });

  test('projects 11 and 12 carry their note instead of district targets', () => {
    const notes = table.projects.flatMap((p) => p.rows.filter((r) => r.note !== undefined).map((r) => [p.no, r.target, r.note!.slice(0, 5)]));
    expect(notes).toEqual([
      [11, '--', '擴麵目標為'],
      [12, '25萬人', '杭州市作為'],
    ]);
  });

  test('the loader rejects a table whose row lost a district value', () => {
    const broken = JSON.parse(JSON.stringify(table)) as BreakdownTable;
    broken.projects[0].rows[0].values.pop();
    expect(() => parseBreakdownTable(broken)).toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------
// Sums: a tiny reader of the amounts, independent of the product's quantity parser.

/** "85.8萬" → 858000, "3 萬" → 30000, "5(4)個" → 9 (both parts), "20條(城鄉公交)" → 20; undefined if no amount. */
function amount(text: string): number | undefined {
  const m = squeezed(text).match(/^(\d+(?:\.\d+)?)(萬)?(?:\((\d+(?:\.\d+)?)\))?/);
  if (!m) return undefined;
  return (Number(m[1]) + (m[3] ? Number(m[3]) : 0)) * (m[2] ? 10000 : 1);
}

const NO_TARGET = '--';
const targetRows = table.projects.flatMap((p) => p.rows.map((row, k) => ({ id: `${p.no}-${k + 1}`, row })));
const countRows = targetRows.filter(({ row }) => row.note === undefined && !row.target.includes('%'));
const rateRows = targetRows.filter(({ row }) => row.note === undefined && row.target.includes('%'));

describe('district targets add up', () => {
  test('only the note rows and the rate rows are left out of the sums', () => {
    const leftOut = targetRows.filter((r) => !countRows.includes(r)).map((r) => r.id);
    expect(leftOut).toEqual(['9-1', '11-1', '12-1', '39-1']);
  });

  test.each(countRows.map(({ id, row }) => [id, row.target, row] as const))('%s: 市本級 and districts add up to %s', (_id, target, row) => {
    const given = row.values.filter((v) => v !== NO_TARGET && v !== '');
    expect(given.length).toBeGreaterThan(0);
    const amounts = given.map((v) => [v, amount(v)] as const);
    expect(amounts.filter(([, a]) => a === undefined)).toEqual([]);
    const sum = amounts.reduce((total, [, a]) => total + (a ?? 0), 0);
    expect(sum).toBeCloseTo(amount(target)!, 6);
  });

  test.each(rateRows.map(({ id, row }) => [id, row.target, row] as const))('%s: every district with a target must reach %s', (_id, target, row) => {
    const given = row.values.filter((v) => v !== NO_TARGET && v !== '');
    expect(given.length).toBeGreaterThan(0);
    expect(given.every((v) => squeezed(v) === squeezed(target))).toBe(true);
  });

  test('the spec counts 643 district target cells (市本級 and 14 districts, all rows, no "--" or empty)', () => {
    const cells = targetRows.flatMap(({ row }) => row.values).filter((v) => v !== NO_TARGET && v !== '');
    expect(cells).toHaveLength(643);
  });
});

// ---------------------------------------------------------------------------------------------------
// The built workbooks.

describe('sample workbooks', () => {
  let outDir: string;
  let combined: ExcelJS.Workbook;
  let sheet1: ExcelJS.Worksheet;
  let sheet2: ExcelJS.Worksheet;

  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-samples-'));
    await buildSampleWorkbooks(outDir);
    combined = new ExcelJS.Workbook();
    await combined.xlsx.readFile(path.join(outDir, COMBINED_FILE));
    sheet1 = combined.getWorksheet('附件1')!;
    sheet2 = combined.getWorksheet('附件2')!;
  });

  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  const text = (sheet: ExcelJS.Worksheet, address: string) => sheet.getCell(address).value;
  const merges = (sheet: ExcelJS.Worksheet): string[] => sheet.model.merges;
  /** Rows whose column A holds the number in a cell of its own or the first cell of a merge (a project or category block). */
  const rowsWithNumber = (sheet: ExcelJS.Worksheet, no: number): number[] => {
    const rows: number[] = [];
    sheet.eachRow((row, r) => {
      const cell = row.getCell(1);
      if (cell.value === no && cell.master.address === cell.address) rows.push(r);
    });
    return rows;
  };

  test('the committed workbooks are exactly what build.ts makes (rebuild after changing the data)', () => {
    for (const file of [RESPONSIBILITY_FILE, BREAKDOWN_FILE, COMBINED_FILE]) {
      const built = fs.readFileSync(path.join(outDir, file));
      const committed = fs.readFileSync(path.join(SAMPLE_DIR, file));
      expect([file, built.equals(committed)]).toEqual([file, true]);
    }
  });

  test('each single workbook has its one sheet; the combined one has both', async () => {
    const names = async (file: string) => {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path.join(outDir, file));
      return wb.worksheets.map((ws) => ws.name);
    };
    expect(await names(RESPONSIBILITY_FILE)).toEqual(['附件1']);
    expect(await names(BREAKDOWN_FILE)).toEqual(['附件2']);
    expect(combined.worksheets.map((ws) => ws.name)).toEqual(['附件1', '附件2']);
    expect(combined.creator).toBe('Minsheng');
  });

  test('附件1: caption, title merged across the table, header equal to the seed', () => {
    expect(text(sheet1, 'A1')).toBe('附件1');
    expect(text(sheet1, 'A2')).toBe(list.title);
    expect(merges(sheet1)).toContain('A2:I2');
    expect(text(sheet1, 'D3')).toBe('分管\n市領導');
    const header = (sheet1.getRow(3).values as ExcelJS.CellValue[]).slice(1).map((v) => squeezed(String(v)));
    expect(header).toEqual(nonEmptyCells(attachment1[1]).map(squeezed));
    expect(sheet1.pageSetup.printTitlesRow).toBe('3:3');
    expect(sheet1.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
  });

  test('附件1: category 3 is merged twice, over its two page-break blocks', () => {
    const tops = rowsWithNumber(sheet1, 3);
    expect(tops).toHaveLength(2);
    const [first, second] = tops;
    expect(merges(sheet1)).toEqual(expect.arrayContaining([`A${first}:A${first + 4}`, `B${first}:B${first + 4}`, `A${second}:A${second + 1}`, `B${second}:B${second + 1}`]));
    expect(text(sheet1, `B${second}`)).toBe('“春雨計劃”在杭州');
    expect(text(sheet1, `C${second}`)).toBe('新開工保障房100萬平方米,分配公租房實物配租房源6000套');
    expect(String(text(sheet1, `I${second}`))).toContain('任務。\n[分配公租房實物配租房源6000套]');
  });

  test('附件2: two-row header with the district group and vertical district names', () => {
    expect(text(sheet2, 'A1')).toBe('附件2');
    expect(merges(sheet2)).toEqual(expect.arrayContaining(['A2:S2', 'F3:S3', 'A3:A4', 'B3:B4', 'C3:C4', 'D3:D4', 'E3:E4']));
    expect(text(sheet2, 'F3')).toBe('各區、縣(市)任務分解');
    expect(text(sheet2, 'E3')).toBe('市\n本\n級');
    expect(text(sheet2, 'F4')).toBe('上\n城\n區');
    expect(text(sheet2, 'S4')).toBe('杭州\n西湖\n風景\n名勝\n區');
    const top = ['A3', 'B3', 'C3', 'D3', 'E3', 'F3'].map((a) => squeezed(String(text(sheet2, a))));
    const districts = 'FGHIJKLMNOPQRS'.split('').map((col) => squeezed(String(text(sheet2, `${col}4`))));
    expect([...top, ...districts]).toEqual([...nonEmptyCells(attachment2[1]), ...nonEmptyCells(attachment2[2])].map(squeezed));
    expect(sheet2.pageSetup.printTitlesRow).toBe('3:4');
    expect(sheet2.pageSetup.orientation).toBe('landscape');
  });

  test('附件2: project 8 keeps "1000 人次" as text in its second row; 序號 and the 市殘聯 cell are merged', () => {
    const [row8] = rowsWithNumber(sheet2, 8);
    const [row6] = rowsWithNumber(sheet2, 6);
    expect(text(sheet2, `C${row8 + 1}`)).toBe('1000 人次');
    expect(text(sheet2, `G${row8 + 1}`)).toBe('40 人次');
    expect(merges(sheet2)).toEqual(expect.arrayContaining([`A${row8}:A${row8 + 1}`, `B${row8}:B${row8 + 1}`, `D${row6}:D${row8 + 1}`]));
    expect(text(sheet2, `D${row6}`)).toBe('市殘聯');
  });

  test('附件2: project 24 shares its name over rows 1–2 only; notes of 11 and 12 span the value columns', () => {
    const [row24] = rowsWithNumber(sheet2, 24);
    expect(merges(sheet2)).toEqual(expect.arrayContaining([`A${row24}:A${row24 + 2}`, `B${row24}:B${row24 + 1}`]));
    expect(merges(sheet2).some((m) => m.startsWith(`B${row24 + 2}:`))).toBe(false);
    expect(text(sheet2, `B${row24 + 2}`)).toBe('新建“醫防護”兒童健康管理中心60家');
    for (const no of [11, 12]) {
      const [row] = rowsWithNumber(sheet2, no);
      expect(merges(sheet2)).toContain(`E${row}:S${row}`);
      expect(text(sheet2, `E${row}`)).toBe(table.projects[no - 1].rows[0].note);
    }
  });

  test('附件2: every target and district value of the data is in its cell, as text', () => {
    const mismatches: string[] = [];
    for (const project of table.projects) {
      const [top] = rowsWithNumber(sheet2, project.no);
      project.rows.forEach((row, k) => {
        const r = top + k;
        if (text(sheet2, `C${r}`) !== row.target) mismatches.push(`C${r}`);
        if (row.note !== undefined) return;
        row.values.forEach((value, i) => {
          const address = `${'EFGHIJKLMNOPQRS'[i]}${r}`;
          if (text(sheet2, address) !== (value === '' ? null : value)) mismatches.push(address);
        });
      });
    }
    expect(mismatches).toEqual([]);
  });
});
