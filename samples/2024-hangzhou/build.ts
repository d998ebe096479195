// Builds the sample workbooks of the 2024 Hangzhou plan from data/*.json, laid out the way a clerk receives
// them: 附件1-責任清單.xlsx, 附件2-任務分解表.xlsx and 附件1+2.xlsx (both sheets). 序號 are numbers; every other
// value is the text the seed has ("1000 人次" stays text, as in the distributed attachment). Output is byte-stable.
// Run: npx tsx samples/2024-hangzhou/build.ts [outDir]
import * as fs from 'fs';
import * as path from 'path';
import ExcelJS from 'exceljs';
import {
  BreakdownTable,
  ResponsibilityList,
  categoryBlocks,
  leadUnitBlocks,
  loadBreakdownTable,
  loadResponsibilityList,
  projectNameBlocks,
} from './data';

export const SAMPLE_DIR = __dirname;
export const RESPONSIBILITY_FILE = '附件1-責任清單.xlsx';
export const BREAKDOWN_FILE = '附件2-任務分解表.xlsx';
export const COMBINED_FILE = '附件1+2.xlsx';

/** The notice's date: stamped on the workbooks and their zip entries so that every build is identical. */
const DOCUMENT_DATE = new Date(Date.UTC(2024, 1, 4));

const BODY_FONT = '宋体';
const HEADING_FONT = '黑体';
const BODY_SIZE = 10.5;
/** Points per wrapped line at BODY_SIZE, and the padding a wrapped cell needs above and below. */
const LINE_HEIGHT = 14;
const CELL_PADDING = 6;

const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };

const RESPONSIBILITY_HEADER = [
  '序號',
  '類別',
  '項目名稱',
  '分管\n市領導',
  '牽頭\n單位',
  '牽頭單位\n分管領導',
  '配合單位',
  '預計完成\n時間',
  '工作計劃和進度安排',
];
/** Column widths of 附件1, in Excel's character units, and which columns hold running text (left-aligned). */
const RESPONSIBILITY_WIDTHS = [6, 13, 26, 8, 14, 10, 30, 9, 60];
const RESPONSIBILITY_PROSE = new Set([3, 7, 9]);

const BREAKDOWN_HEADER = ['序\n號', '項目名稱', '量化\n目標', '牽頭\n單位', '市\n本\n級'];
const BREAKDOWN_GROUP_LABEL = '各區、縣(市)任務分解';
const BREAKDOWN_LEFT_WIDTHS = [5, 30, 11, 14];
const BREAKDOWN_VALUE_WIDTH = 8;

// ---------------------------------------------------------------------------------------------------
// Text measuring: ExcelJS cannot auto-fit rows, so heights come from an estimate of wrapped lines.

/** Display width in Excel character units: CJK and full-width characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6“”]/.test(ch) ? 2 : 1;
  return width;
}

/** Lines a wrapped text takes in a column of the given width. */
function wrappedLines(text: string, columnWidth: number): number {
  const usable = Math.max(columnWidth - 1, 1);
  return text.split('\n').reduce((lines, part) => lines + Math.max(1, Math.ceil(displayWidth(part) / usable)), 0);
}

function heightFor(lines: number): number {
  return lines * LINE_HEIGHT + CELL_PADDING;
}

// ---------------------------------------------------------------------------------------------------
// Sheet helpers

interface Layout {
  /** Width of each column, 1-based index - 1. */
  widths: number[];
}

/** Sum of widths of columns first..last (1-based, inclusive). */
function spanWidth(layout: Layout, first: number, last: number): number {
  return layout.widths.slice(first - 1, last).reduce((a, b) => a + b, 0);
}

function styleBodyCell(cell: ExcelJS.Cell, horizontal: 'left' | 'center'): void {
  cell.font = { name: BODY_FONT, size: BODY_SIZE };
  cell.alignment = { horizontal, vertical: 'middle', wrapText: true };
  cell.border = THIN;
}

function styleHeaderCell(cell: ExcelJS.Cell): void {
  cell.font = { name: HEADING_FONT, size: 11, bold: true };
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  cell.border = THIN;
  cell.fill = HEADER_FILL;
}

/** Row 1 "附件N" and row 2 the title merged across the table. */
function writeCaption(sheet: ExcelJS.Worksheet, attachment: string, title: string, columns: number): void {
  const label = sheet.getCell(1, 1);
  label.value = attachment;
  label.font = { name: HEADING_FONT, size: 14 };
  sheet.getRow(1).height = 22;
  sheet.mergeCells(2, 1, 2, columns);
  const titleCell = sheet.getCell(2, 1);
  titleCell.value = title;
  titleCell.font = { name: BODY_FONT, size: 20, bold: true };
  titleCell.alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.getRow(2).height = 40;
}

/**
 * Sets row heights: each row fits its own single cells; a vertical merge that needs more room than its
 * rows give spreads the difference over them.
 */
function fitRowHeights(sheet: ExcelJS.Worksheet, rowLines: Map<number, number>, merges: { top: number; bottom: number; lines: number }[]): void {
  const heights = new Map<number, number>();
  for (const [row, lines] of rowLines) heights.set(row, heightFor(lines));
  for (const merge of merges) {
    let available = 0;
    for (let r = merge.top; r <= merge.bottom; r++) available += heights.get(r) ?? heightFor(1);
    const needed = heightFor(merge.lines);
    if (needed <= available) continue;
    const extra = (needed - available) / (merge.bottom - merge.top + 1);
    for (let r = merge.top; r <= merge.bottom; r++) heights.set(r, (heights.get(r) ?? heightFor(1)) + extra);
  }
  for (const [row, height] of heights) sheet.getRow(row).height = Math.ceil(height);
}

function pageSetup(sheet: ExcelJS.Worksheet, headerRows: string): void {
  sheet.pageSetup = {
    paperSize: 9, // A4
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: headerRows,
  };
  sheet.headerFooter = { oddFooter: '&C第 &P 頁，共 &N 頁' };
}

// ---------------------------------------------------------------------------------------------------
// 附件1 責任清單

/** Adds sheet "附件1": caption, one header row, one row per project; 序號/類別 merged per category block. */
export function addResponsibilitySheet(workbook: ExcelJS.Workbook, list: ResponsibilityList): ExcelJS.Worksheet {
  const columns = RESPONSIBILITY_HEADER.length;
  const headerRow = 3;
  const sheet = workbook.addWorksheet('附件1', {
    views: [{ state: 'frozen', xSplit: 0, ySplit: headerRow, topLeftCell: `A${headerRow + 1}`, activeCell: `A${headerRow + 1}` }],
  });
  const layout: Layout = { widths: RESPONSIBILITY_WIDTHS };
  layout.widths.forEach((width, i) => (sheet.getColumn(i + 1).width = width));
  writeCaption(sheet, list.attachment, list.title, columns);

  RESPONSIBILITY_HEADER.forEach((label, i) => {
    const cell = sheet.getCell(headerRow, i + 1);
    cell.value = label;
    styleHeaderCell(cell);
  });
  sheet.getRow(headerRow).height = heightFor(2);

  const rowLines = new Map<number, number>();
  const merges: { top: number; bottom: number; lines: number }[] = [];
  let row = headerRow + 1;
  for (const block of categoryBlocks(list)) {
    const top = row;
    // 序號 (a number, as typed in the attachment) and 類別 go in the first cell of the block's merges.
    sheet.getCell(top, 1).value = block.category.no;
    sheet.getCell(top, 2).value = block.category.name;
    for (const project of block.projects) {
      const texts = [
        project.name,
        project.cityLeader,
        project.leadUnit,
        project.leadUnitLeader,
        project.coordinatingUnits,
        project.expectedCompletion,
        project.plan,
      ];
      texts.forEach((text, i) => (sheet.getCell(row, i + 3).value = text));
      for (let c = 1; c <= columns; c++) styleBodyCell(sheet.getCell(row, c), RESPONSIBILITY_PROSE.has(c) ? 'left' : 'center');
      rowLines.set(row, Math.max(...texts.map((text, i) => wrappedLines(text, layout.widths[i + 2]))));
      row++;
    }
    const bottom = row - 1;
    sheet.mergeCells(top, 1, bottom, 1);
    sheet.mergeCells(top, 2, bottom, 2);
    merges.push({ top, bottom, lines: wrappedLines(block.category.name, layout.widths[1]) });
  }
  fitRowHeights(sheet, rowLines, merges);
  pageSetup(sheet, `${headerRow}:${headerRow}`);
  return sheet;
}

// ---------------------------------------------------------------------------------------------------
// 附件2 任務分解表

/** A district name written top to bottom as in the seed's header: "上\n城\n區", "杭州\n西湖\n風景\n名勝\n區". */
export function verticalLabel(name: string): string {
  const chars = [...name];
  if (chars.length <= 3) return chars.join('\n');
  const lines: string[] = [];
  for (let i = 0; i < chars.length; i += 2) lines.push(chars.slice(i, i + 2).join(''));
  return lines.join('\n');
}

/**
 * Adds sheet "附件2": caption, a two-row header, one row per target row. 序號 is merged over a project's
 * rows, 項目名稱 over the rows sharing it, 牽頭單位 over consecutive projects with one lead unit, and the
 * note of a project without district targets across the value columns.
 */
export function addBreakdownSheet(workbook: ExcelJS.Workbook, table: BreakdownTable): ExcelJS.Worksheet {
  const firstValueColumn = BREAKDOWN_HEADER.length; // 市本級
  const lastColumn = firstValueColumn + table.districts.length - 1;
  const headerTop = 3;
  const headerBottom = 4;
  const sheet = workbook.addWorksheet('附件2', {
    views: [{ state: 'frozen', xSplit: 2, ySplit: headerBottom, topLeftCell: `C${headerBottom + 1}`, activeCell: `A${headerBottom + 1}` }],
  });
  const layout: Layout = {
    widths: [...BREAKDOWN_LEFT_WIDTHS, ...table.districts.map(() => BREAKDOWN_VALUE_WIDTH)],
  };
  layout.widths.forEach((width, i) => (sheet.getColumn(i + 1).width = width));
  writeCaption(sheet, table.attachment, table.title, lastColumn);

  // Header: 序號 .. 市本級 span both header rows; the districts sit under one group label.
  BREAKDOWN_HEADER.forEach((label, i) => {
    sheet.getCell(headerTop, i + 1).value = label;
    sheet.mergeCells(headerTop, i + 1, headerBottom, i + 1);
  });
  sheet.getCell(headerTop, firstValueColumn + 1).value = BREAKDOWN_GROUP_LABEL;
  sheet.mergeCells(headerTop, firstValueColumn + 1, headerTop, lastColumn);
  table.districts.slice(1).forEach((name, i) => {
    sheet.getCell(headerBottom, firstValueColumn + 1 + i).value = verticalLabel(name);
  });
  for (let r = headerTop; r <= headerBottom; r++) {
    for (let c = 1; c <= lastColumn; c++) styleHeaderCell(sheet.getCell(r, c));
  }
  sheet.getRow(headerTop).height = heightFor(1);
  sheet.getRow(headerBottom).height = heightFor(Math.max(...table.districts.slice(1).map((n) => verticalLabel(n).split('\n').length)));

  // Sheet row of each project's first target row.
  const firstRowOf = new Map<number, number>();
  let next = headerBottom + 1;
  for (const project of table.projects) {
    firstRowOf.set(project.no, next);
    next += project.rows.length;
  }

  const rowLines = new Map<number, number>();
  const merges: { top: number; bottom: number; lines: number }[] = [];
  const mergeVertically = (top: number, bottom: number, column: number, text: string): void => {
    if (bottom > top) sheet.mergeCells(top, column, bottom, column);
    merges.push({ top, bottom, lines: wrappedLines(text, layout.widths[column - 1]) });
  };

  for (const project of table.projects) {
    const top = firstRowOf.get(project.no)!;
    const bottom = top + project.rows.length - 1;
    project.rows.forEach((targetRow, k) => {
      const r = top + k;
      for (let c = 1; c <= lastColumn; c++) styleBodyCell(sheet.getCell(r, c), c === 2 ? 'left' : 'center');
      sheet.getCell(r, 3).value = targetRow.target;
      let lines = wrappedLines(targetRow.target, layout.widths[2]);
      if (targetRow.note !== undefined) {
        sheet.getCell(r, firstValueColumn).value = targetRow.note;
        sheet.getCell(r, firstValueColumn).alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
        sheet.mergeCells(r, firstValueColumn, r, lastColumn);
        lines = Math.max(lines, wrappedLines(targetRow.note, spanWidth(layout, firstValueColumn, lastColumn)));
      } else {
        targetRow.values.forEach((value, i) => {
          // An empty cell stays truly empty rather than holding "".
          if (value !== '') sheet.getCell(r, firstValueColumn + i).value = value;
          lines = Math.max(lines, wrappedLines(value, BREAKDOWN_VALUE_WIDTH));
        });
      }
      rowLines.set(r, lines);
    });
    sheet.getCell(top, 1).value = project.no;
    mergeVertically(top, bottom, 1, String(project.no));
    for (const block of projectNameBlocks(project)) {
      sheet.getCell(top + block.firstRow, 2).value = block.name;
      mergeVertically(top + block.firstRow, top + block.lastRow, 2, block.name);
    }
  }
  for (const block of leadUnitBlocks(table)) {
    const first = block.projects[0];
    const last = block.projects[block.projects.length - 1];
    const top = firstRowOf.get(first.no)!;
    const bottom = firstRowOf.get(last.no)! + last.rows.length - 1;
    sheet.getCell(top, 4).value = block.leadUnit;
    mergeVertically(top, bottom, 4, block.leadUnit);
  }
  fitRowHeights(sheet, rowLines, merges);
  pageSetup(sheet, `${headerTop}:${headerBottom}`);
  return sheet;
}

// ---------------------------------------------------------------------------------------------------
// Writing

function newWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Minsheng';
  workbook.lastModifiedBy = 'Minsheng';
  workbook.created = DOCUMENT_DATE;
  workbook.modified = DOCUMENT_DATE;
  return workbook;
}

/**
 * ExcelJS zips through JSZip, which stamps every entry with the current time; overwriting the stamps in the
 * local and central directory headers makes two builds byte-identical. The stamps are not part of any CRC.
 */
export function withFixedZipTimestamps(zip: Buffer, date: Date): Buffer {
  const out = Buffer.from(zip);
  const dosTime = 0;
  const dosDate = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate();
  const endOfCentralDirectory = out.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOfCentralDirectory < 0) throw new Error('not a zip file: no end of central directory');
  const entries = out.readUInt16LE(endOfCentralDirectory + 10);
  let at = out.readUInt32LE(endOfCentralDirectory + 16);
  for (let i = 0; i < entries; i++) {
    if (out.readUInt32LE(at) !== 0x02014b50) throw new Error(`zip central directory entry ${i} not found`);
    out.writeUInt16LE(dosTime, at + 12);
    out.writeUInt16LE(dosDate, at + 14);
    const local = out.readUInt32LE(at + 42);
    if (out.readUInt32LE(local) !== 0x04034b50) throw new Error(`zip local header of entry ${i} not found`);
    out.writeUInt16LE(dosTime, local + 10);
    out.writeUInt16LE(dosDate, local + 12);
    at += 46 + out.readUInt16LE(at + 28) + out.readUInt16LE(at + 30) + out.readUInt16LE(at + 32);
  }
  return out;
}

async function workbookBytes(workbook: ExcelJS.Workbook): Promise<Buffer> {
  const bytes = await workbook.xlsx.writeBuffer();
  return withFixedZipTimestamps(Buffer.from(bytes), DOCUMENT_DATE);
}

/** Writes the three sample workbooks into outDir and returns their paths. */
export async function buildSampleWorkbooks(outDir: string = SAMPLE_DIR): Promise<string[]> {
  const list = loadResponsibilityList();
  const table = loadBreakdownTable();
  const books: [string, (wb: ExcelJS.Workbook) => void][] = [
    [RESPONSIBILITY_FILE, (wb) => addResponsibilitySheet(wb, list)],
    [BREAKDOWN_FILE, (wb) => addBreakdownSheet(wb, table)],
    [
      COMBINED_FILE,
      (wb) => {
        addResponsibilitySheet(wb, list);
        addBreakdownSheet(wb, table);
      },
    ],
  ];
  fs.mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  for (const [file, fill] of books) {
    const workbook = newWorkbook();
    fill(workbook);
    const target = path.join(outDir, file);
    fs.writeFileSync(target, await workbookBytes(workbook));
    written.push(target);
  }
  return written;
}

if (require.main === module) {
  buildSampleWorkbooks(process.argv[2] ?? SAMPLE_DIR).then(
    (files) => files.forEach((f) => console.log(`wrote ${path.relative(process.cwd(), f)}`)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
