// Reader of the district task breakdown (附件2 任務分解表): grid → BreakdownSheet, a faithful structure of
// what the sheet says, every value with its cell. Judging it is validate.ts's job.
import { BREAKDOWN_COLUMNS, isNoteLabel, isTotalLabel, parseSerial, type BreakdownKey } from './columns';
import { resolveDistrict, type DistrictMatch } from './districts';
import { findHeader, type HeaderFound } from './header';
import { GridView, type CellValue, type Grid } from './grid';
import { msg, type Message } from './messages';
import type { Quantity } from './model';
import { parseQuantity } from './quantity';
import { matchKey, squeeze, tidyText, toHalfWidth } from './text';

export interface DistrictColumn {
  col: number;
  headerRow: number;
  headerText: string;
  match: DistrictMatch;
  /** Canonical district name, when the header resolves to one. */
  district?: string;
}

export interface QuantityCell {
  row: number;
  col: number;
  value: CellValue;
  format: string;
  /** Parsed quantity, or the reason it could not be read (a catalogue message). */
  quantity?: Quantity;
  problem?: Message;
}

export interface BreakdownRow {
  row: number;
  projectNo?: number;
  /** Text of the 序號 cell as shown (merged areas resolved). */
  serialText: string;
  /** The project's name (its first row's name). */
  projectName: string;
  /** The name written on this row, when it differs from the project's (附件2 project 24's third row). */
  ownName?: string;
  nameCell: { row: number; col: number };
  target: QuantityCell;
  leadUnit?: { row: number; col: number; text: string };
  /** One cell per district column that resolves to a district, in column order. */
  cells: (QuantityCell & { district: string })[];
  /** Text merged across the value columns instead of district targets (附件2 projects 11 and 12). */
  note?: { row: number; col: number; text: string };
  /**
   * The district cells are plain numbers in the 萬 (or 千, 億) of the 量化目標 ("859萬人" over 89, 120, …):
   * they add up to the target only so, and are read so (cells' quantities already scaled).
   */
  districtScale?: { word: string; scale: number; written: CellValue[] };
}

const SCALE_WORDS: Record<string, number> = { 千: 1e3, 萬: 1e4, 万: 1e4, 億: 1e8, 亿: 1e8 };
/** A target without one of those words is not in a scale: most rows skip the folding below. */
const SCALE_WORD = /[千萬万億亿]/;

/**
 * When the 量化目標 is written with 萬/千/億 and every district value is a plain number (no unit) that adds
 * up (with 市本級) to the target only in that scale, the values are read in it: scaled in place here.
 */
function inTargetScale(target: QuantityCell, cells: QuantityCell[]): BreakdownRow['districtScale'] {
  const q = target.quantity;
  if (typeof target.value !== 'string' || !q || q.kind !== 'count' || q.value <= 0 || !SCALE_WORD.test(target.value)) return undefined;
  const word = /\d\s*([千萬万億亿])/.exec(squeeze(toHalfWidth(target.value)))?.[1];
  if (!word) return undefined;
  const scale = SCALE_WORDS[word];
  const given = cells.filter((c) => c.quantity && c.quantity.kind !== 'none');
  if (given.length === 0 || !given.every((c) => c.quantity!.kind === 'count' && c.quantity!.unit === '')) return undefined;
  const sum = given.reduce((n, c) => n + (c.quantity as { value: number }).value, 0);
  if (Math.abs(sum * scale - q.value) > 1e-6 * q.value) return undefined;
  const written = given.map((c) => c.value);
  for (const c of given) c.quantity = { ...(c.quantity as Quantity & { kind: 'count' }), value: Number(((c.quantity as { value: number }).value * scale).toPrecision(12)), unit: q.unit };
  return { word, scale, written };
}

export interface BreakdownSheet {
  kind: 'breakdown';
  sheet: string;
  title?: string;
  year?: number;
  header: HeaderFound<BreakdownKey>;
  /** Last header row (district names may sit one row below the fixed labels). */
  headerBottom: number;
  districtColumns: DistrictColumn[];
  rows: BreakdownRow[];
  /** Rows passed over, and why: totals, notes. */
  skipped: { row: number; reason: 'total' | 'note' }[];
}

/** Header labels that group the district columns rather than name a district. */
function isGroupLabel(text: string): boolean {
  const key = matchKey(text);
  return /任务分解|区县|县市|各区|分解/.test(key);
}

/** Reads a sheet as 附件2, or returns undefined when its header is not there. */
export function readBreakdown(grid: Grid): BreakdownSheet | undefined {
  const view = new GridView(grid);
  const header = findHeader(view, BREAKDOWN_COLUMNS, { minMatches: 3 });
  if (!header) return undefined;
  const fixedCols = new Set(header.cells.map((c) => c.col));
  const districtColumns = findDistrictColumns(view, header, fixedCols);
  // Without a target column or any district column this is some other list of projects.
  if (!header.cells.some((c) => c.key === 'target') && districtColumns.length === 0) return undefined;
  const headerBottom = Math.max(header.bottom, ...districtColumns.map((d) => d.headerRow));
  const col = (key: BreakdownKey) => header.cells.find((c) => c.key === key)?.col;
  const serialCol = col('serial');
  const nameCol = col('name');
  const targetCol = col('target');
  const leadCol = col('leadUnit');
  const title = findTitle(view, header.row);
  const rows: BreakdownRow[] = [];
  const skipped: BreakdownSheet['skipped'] = [];
  const resolved = districtColumns.filter((d) => d.district);
  let current: { projectNo?: number; name: string; serialText: string } | undefined;

  for (let row = headerBottom + 1; row <= view.lastRow; row++) {
    if (view.isRowEmpty(row) && !view.isMergedCopy(row, serialCol ?? view.firstCol)) continue;
    const serialText = serialCol ? tidyText(view.text(row, serialCol)) : '';
    const nameText = nameCol ? tidyText(toHalfWidth(view.text(row, nameCol))) : '';
    const firstText = tidyText(view.text(row, view.firstCol));
    if (isTotalLabel(serialText) || isTotalLabel(nameText)) {
      skipped.push({ row, reason: 'total' });
      continue;
    }
    if (isNoteLabel(firstText) || isNoteLabel(serialText)) {
      skipped.push({ row, reason: 'note' });
      continue;
    }
    const serialIsOwn = serialCol !== undefined && !view.isMergedCopy(row, serialCol) && serialText !== '';
    if (serialIsOwn || !current) {
      current = { projectNo: serialCol ? parseSerial(view.value(row, serialCol)) : undefined, name: nameText, serialText };
    }
    const nameIsOwn = nameCol !== undefined && !view.isMergedCopy(row, nameCol) && nameText !== '';
    const ownName = nameIsOwn && nameText !== current.name ? nameText : undefined;
    const target = quantityCell(view, row, targetCol);
    const lead = leadCol ? tidyText(toHalfWidth(view.text(row, leadCol))) : '';
    const note = findNote(view, row, resolved);
    const cells: BreakdownRow['cells'] = [];
    if (!note) for (const d of resolved) cells.push(districtCell(view, row, d.col, d.district as string));
    const districtScale = inTargetScale(target, cells);
    rows.push({
      row,
      projectNo: current.projectNo,
      serialText: current.serialText,
      projectName: current.name,
      ownName,
      nameCell: { row, col: nameCol ?? view.firstCol },
      target,
      leadUnit: lead && leadCol ? { ...view.master(row, leadCol), text: lead } : undefined,
      cells,
      note,
      ...(districtScale ? { districtScale } : {}),
    });
  }
  return {
    kind: 'breakdown',
    sheet: grid.sheet,
    title,
    year: yearOf(title),
    header,
    headerBottom,
    districtColumns,
    rows,
    skipped,
  };
}

function findDistrictColumns(view: GridView, header: HeaderFound<BreakdownKey>, fixedCols: Set<number>): DistrictColumn[] {
  const columns: DistrictColumn[] = [];
  for (let col = view.firstCol; col <= view.lastCol; col++) {
    if (fixedCols.has(col)) continue;
    const found = districtHeaderCell(view, header.row, col);
    if (!found) continue;
    const match = resolveDistrict(found.text);
    const district = match.kind === 'exact' || match.kind === 'alias' ? match.district.name : undefined;
    columns.push({ col, headerRow: found.row, headerText: found.text, match, district });
  }
  return columns;
}

/**
 * The header text of a value column: in the header row itself or, where that row holds a group label
 * merged over the district columns ("各區、縣(市)任務分解"), in the row below it.
 */
function districtHeaderCell(view: GridView, headerRow: number, col: number): { row: number; text: string } | undefined {
  const own = view.text(headerRow, col);
  if (own.trim() && !view.isMergedCopy(headerRow, col) && !isGroupLabel(own)) return { row: headerRow, text: own };
  const grouped = own.trim() !== '' && isGroupLabel(own);
  if (!grouped || headerRow + 1 > view.lastRow || view.isMergedCopy(headerRow + 1, col)) return undefined;
  const below = view.value(headerRow + 1, col);
  if (typeof below !== 'string' || !below.trim() || squeeze(below).length > 16 || /\d/.test(toHalfWidth(below))) return undefined;
  return { row: headerRow + 1, text: below };
}

function quantityCell(view: GridView, row: number, col: number | undefined): QuantityCell {
  if (col === undefined) return { row, col: 0, value: null, format: 'General', problem: msg('quantity.no-column') };
  const { value, format, quantity, problem } = districtCell(view, row, col, '');
  return { row, col, value, format, quantity, problem };
}

/**
 * A quantity cell read in one go, with no object made on the way: one object per cell, all of one shape
 * (a sheet has 150,000 of them).
 */
function districtCell(view: GridView, row: number, col: number, district: string): QuantityCell & { district: string } {
  const value = view.isMergedCopy(row, col) ? null : view.raw(row, col);
  const format = view.format(row, col);
  // Written by a program that never calculated it: the value is unknown, not blank ("no target").
  const formula = value === null ? view.formula(row, col) : undefined;
  if (formula) return { row, col, value, format, quantity: undefined, problem: msg('quantity.formula-without-value', { formula }), district };
  const parsed = parseQuantity(value, format);
  return parsed.ok
    ? { row, col, value, format, quantity: parsed.quantity, problem: undefined, district }
    : { row, col, value, format, quantity: undefined, problem: parsed.message, district };
}

/** A note merged across the value columns: one merged area over at least two district columns holding text. */
function findNote(view: GridView, row: number, districts: DistrictColumn[]): BreakdownRow['note'] {
  if (districts.length === 0) return undefined;
  const first = districts[0].col;
  const area = view.mergeAt(row, first);
  if (!area || area.right - area.left < 2) return undefined;
  const text = tidyText(view.text(area.top, area.left));
  if (!text || parseQuantity(text).ok) return undefined;
  return { row: area.top, col: area.left, text };
}

/** The title: the longest text above the header (a sheet's first rows hold "附件2" and the title). */
export function findTitle(view: GridView, headerRow: number): string | undefined {
  let title: string | undefined;
  for (let row = view.firstRow; row < headerRow; row++) {
    for (let col = view.firstCol; col <= view.lastCol; col++) {
      if (view.isMergedCopy(row, col)) continue;
      const text = tidyText(view.text(row, col));
      if (text.length > (title?.length ?? 0)) title = text;
    }
  }
  return title;
}

export function yearOf(title: string | undefined): number | undefined {
  const m = title ? /(20\d{2})\s*年/.exec(toHalfWidth(title)) : null;
  return m ? Number(m[1]) : undefined;
}
