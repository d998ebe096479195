// Test helpers: the bundled sample workbooks as grids, and small edits to build faulty variants.
import * as path from 'node:path';
import type { CellValue, Grid } from '../../core/grid';
import { readWorkbook } from '../../pipeline/xlsx/readWorkbook';
import { ROOT } from './paths';

export const SAMPLE_DIR = path.join(ROOT, 'samples/2024-hangzhou');
export const SUBMISSIONS_DIR = path.join(SAMPLE_DIR, 'submissions');
export const RESPONSIBILITY_FILE = path.join(SAMPLE_DIR, '附件1-責任清單.xlsx');
export const BREAKDOWN_FILE = path.join(SAMPLE_DIR, '附件2-任務分解表.xlsx');
export const COMBINED_FILE = path.join(SAMPLE_DIR, '附件1+2.xlsx');

const cache = new Map<string, Grid[]>();

/** The sheets of a sample workbook; each call returns fresh copies that a test may change. */
export async function sampleGrids(file: string = COMBINED_FILE): Promise<Grid[]> {
  if (!cache.has(file)) cache.set(file, (await readWorkbook(file)).sheets);
  return structuredClone(cache.get(file)!);
}

export function sheetOf(grids: Grid[], name: string): Grid {
  const g = grids.find((s) => s.sheet === name);
  if (!g) throw new Error(`no sheet ${name}`);
  return g;
}

/** Absolute address of the first cell whose text (white space removed) equals `text`. */
export function findCell(grid: Grid, text: string, occurrence = 1): { row: number; col: number } {
  const want = text.replace(/\s+/g, '');
  let seen = 0;
  for (let r = 0; r < grid.values.length; r++) {
    for (let c = 0; c < grid.values[r].length; c++) {
      const v = grid.values[r][c];
      if (v !== null && String(v).replace(/\s+/g, '') === want && ++seen === occurrence) {
        return { row: r + grid.origin.row, col: c + grid.origin.col };
      }
    }
  }
  throw new Error(`no cell "${text}" (#${occurrence}) in ${grid.sheet}`);
}

export function getCell(grid: Grid, at: { row: number; col: number }): CellValue {
  return grid.values[at.row - grid.origin.row][at.col - grid.origin.col];
}

export function setCell(grid: Grid, at: { row: number; col: number }, value: CellValue): void {
  grid.values[at.row - grid.origin.row][at.col - grid.origin.col] = value;
}

/** Maps every string cell through `f` (script conversion, full-width forms ...). */
export function mapText(grid: Grid, f: (s: string) => string): void {
  grid.values = grid.values.map((row) => row.map((v) => (typeof v === 'string' ? f(v) : v)));
}

/** Moves the whole sheet down and right, as if the table started at another cell. */
export function shiftGrid(grid: Grid, rows: number, cols: number): void {
  grid.origin = { row: grid.origin.row + rows, col: grid.origin.col + cols };
  grid.merges = grid.merges.map((m) => ({ top: m.top + rows, bottom: m.bottom + rows, left: m.left + cols, right: m.right + cols }));
}

/** Inserts an empty row before absolute row `at`, shifting merges below. */
export function insertBlankRow(grid: Grid, at: number): void {
  const index = at - grid.origin.row;
  const width = grid.values[0].length;
  grid.values.splice(index, 0, Array(width).fill(null));
  grid.formats.splice(index, 0, Array(width).fill('General'));
  grid.merges = grid.merges.map((m) => (m.top >= at ? { ...m, top: m.top + 1, bottom: m.bottom + 1 } : m.bottom >= at ? { ...m, bottom: m.bottom + 1 } : m));
}

/** Appends a row of values after the last row. */
export function appendRow(grid: Grid, values: CellValue[]): void {
  const width = grid.values[0].length;
  grid.values.push(Array.from({ length: width }, (_, i) => values[i] ?? null));
  grid.formats.push(Array(width).fill('General'));
}

/**
 * Swaps two columns (absolute numbers) from row `fromRow` down, as a clerk reordering the district
 * columns under a group label would; single-column merges move with them.
 */
export function swapColumns(grid: Grid, a: number, b: number, fromRow = grid.origin.row): void {
  const ia = a - grid.origin.col;
  const ib = b - grid.origin.col;
  for (const rows of [grid.values, grid.formats] as unknown[][][]) {
    rows.forEach((row, i) => {
      if (i + grid.origin.row >= fromRow) [row[ia], row[ib]] = [row[ib], row[ia]];
    });
  }
  grid.merges = grid.merges.map((m) => {
    if (m.left !== m.right) return m;
    if (m.left === a) return { ...m, left: b, right: b };
    if (m.left === b) return { ...m, left: a, right: a };
    return m;
  });
}
