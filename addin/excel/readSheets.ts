/// <reference types="office-js" />
// The Office.js adapter's read half (docs/design.md, "The grid and the readers"): worksheets → core
// grids, all sheets in one context.sync() whatever their size. Values come as Range.values gives them
// ("" for an empty cell becomes null, as in the pipeline's grids); merged areas from
// getMergedAreasOrNullObject when the host has it, read again band by band when a sheet has more than the
// API's 512 areas. The pane remembers the sheets it saw (SheetMemory): then the list and every grid come
// back in the same sync.
import { rangeA1, type CellRange, type CellValue, type Grid } from '../../core/grid';
import { parseAreaList } from './address';
import { say } from '../paneLang';
import type { Capabilities } from './capabilities';

export interface SheetInfo {
  /** Excel's id of the sheet: it stays when the sheet is renamed or moved. */
  id: string;
  name: string;
  position: number;
  visible: boolean;
  protected: boolean;
  protectionOptions?: Excel.WorksheetProtectionOptions;
}

export interface WorkbookSheets {
  sheets: SheetInfo[];
  active: string;
}

/**
 * The sheets the pane saw last (kept up to date by every read that lists them). With it, a run reads
 * the sheets by id in the very sync that lists them; a sheet added since costs one more sync, one
 * deleted since a second try without it. Without it, the list comes first.
 */
export interface SheetMemory {
  sheets?: SheetInfo[];
}

export interface GridRead {
  grids: Grid[];
  /** What the clerk should know about how the sheets were read (merges not read ...), in Chinese. */
  notices: string[];
  /** context.sync() calls made. */
  syncs: number;
}

/** Excel on the web refuses a request or answer above 5 MB; we stay under this. */
export const PAYLOAD_BUDGET_BYTES = 4_000_000;
/** getMergedAreasOrNullObject fails above 512 areas; a band of at most this many cells cannot hold more top-left cells. */
const MERGE_BAND_CELLS = 512;
/** Cells per request when a sheet is too large to read at once (≈20 bytes of JSON a cell for value and format). */
const BAND_CELLS = 150_000;

interface QueuedList {
  worksheets: Excel.WorksheetCollection;
  active: Excel.Worksheet;
}

/** Queues the list of sheets: every sheet's id, name, place, visibility and protection, and the active one. */
function queueList(context: Excel.RequestContext): () => WorkbookSheets {
  const worksheets = context.workbook.worksheets;
  worksheets.load('items/id,items/name,items/position,items/visibility,items/protection/protected,items/protection/options');
  const active = worksheets.getActiveWorksheet();
  active.load('name');
  const queued: QueuedList = { worksheets, active };
  return () => listed(queued);
}

/** The list queued by queueList, after the sync. */
function listed({ worksheets, active }: QueuedList): WorkbookSheets {
  const sheets = worksheets.items.map((ws) => ({
    id: ws.id,
    name: ws.name,
    position: ws.position,
    visible: ws.visibility === 'Visible',
    protected: ws.protection.protected,
    protectionOptions: ws.protection.protected ? ws.protection.options : undefined,
  }));
  return { sheets: sheets.sort((a, b) => a.position - b.position), active: active.name };
}

/** One sync: every sheet's name, place, visibility and protection, and which one is active. */
export async function listSheets(context: Excel.RequestContext, memory?: SheetMemory): Promise<WorkbookSheets> {
  const list = queueList(context);
  await context.sync();
  const book = list();
  if (memory) memory.sheets = book.sheets;
  return book;
}

/** The active sheet's grid and the list of sheets, in one sync (the sheet is found without its name). */
export async function readActiveSheet(context: Excel.RequestContext, caps: Capabilities, memory?: SheetMemory): Promise<{ book: WorkbookSheets; grid: Grid; syncs: number }> {
  const list = queueList(context);
  const active = context.workbook.worksheets.getActiveWorksheet();
  const pending = queueSheetOf(active, '', caps.merges);
  const date1904 = queueDateSystem(context);
  try {
    await context.sync();
  } catch {
    // Too large, or too many merged areas for one answer: the careful way, by name.
    const book = await listSheets(context, memory);
    const read = await readGrids(context, [book.active], caps);
    return { book, grid: read.grids[0], syncs: 1 + read.syncs };
  }
  const book = list();
  if (memory) memory.sheets = book.sheets;
  return { book, grid: inDateSystem([{ ...gridOfPending(pending), sheet: book.active }], date1904())[0], syncs: 1 };
}

export interface BookRead<T> extends GridRead {
  book: WorkbookSheets;
  /** What `also` queued, loaded in the same sync as the grids. */
  also: T;
}

/**
 * The list of sheets and the grids of those `wanted` picks, with whatever `also` queues for the sheets
 * (a look at the cells of earlier marks): one sync when `memory` knows the sheets (plus one for a sheet
 * added since), two when it does not; more only for what readGrids says needs more.
 */
export async function readBook<T>(
  context: Excel.RequestContext,
  caps: Capabilities,
  options: { wanted: (name: string) => boolean; also: (sheets: readonly SheetInfo[]) => T; memory?: SheetMemory },
): Promise<BookRead<T>> {
  const known = options.memory?.sheets;
  if (known && known.length > 0) {
    const list = queueList(context);
    const reading = known.filter((s) => options.wanted(s.name));
    const pending = reading.map((s) => ({ id: s.id, read: queueSheetOf(context.workbook.worksheets.getItem(s.id), s.name, caps.merges) }));
    const also = options.also(known);
    const date1904 = queueDateSystem(context);
    let synced = true;
    try {
      await context.sync();
    } catch {
      // A sheet deleted since, a payload or merge limit: the careful way below.
      synced = false;
    }
    if (synced) {
      const book = list();
      options.memory!.sheets = book.sheets;
      const current = new Map(book.sheets.map((s) => [s.id, s]));
      const grids: Grid[] = [];
      for (const p of pending) {
        const now = current.get(p.id);
        if (now && options.wanted(now.name)) grids.push({ ...gridOfPending(p.read), sheet: now.name });
      }
      const read = new Set(pending.map((p) => p.id));
      const added = book.sheets.filter((s) => options.wanted(s.name) && !read.has(s.id));
      if (added.length === 0) return { book, grids: inDateSystem(grids, date1904()), notices: mergeNotices(caps), syncs: 1, also };
      const more = await readGrids(context, added.map((s) => s.name), caps);
      return { book, grids: [...inDateSystem(grids, date1904()), ...more.grids], notices: more.notices, syncs: 1 + more.syncs, also };
    }
  }
  const book = await listSheets(context, options.memory);
  const read = await readGrids(context, book.sheets.filter((s) => options.wanted(s.name)).map((s) => s.name), caps, () => options.also(book.sheets));
  return { book, grids: read.grids, notices: read.notices, syncs: 1 + read.syncs, also: read.also as T };
}

function mergeNotices(caps: Capabilities): string[] {
  return caps.merges ? [] : [say('addin.merges.unsupported')];
}

interface PendingSheet {
  name: string;
  used: Excel.Range;
  merged?: Excel.RangeAreas;
}

function queueSheet(context: Excel.RequestContext, name: string, withMerges: boolean): PendingSheet {
  return queueSheetOf(context.workbook.worksheets.getItem(name), name, withMerges);
}

function queueSheetOf(ws: Excel.Worksheet, name: string, withMerges: boolean): PendingSheet {
  // valuesOnly: a sheet's formatted but empty margins are not data, as in the pipeline's reader.
  const used = ws.getUsedRangeOrNullObject(true);
  used.load('address,values,numberFormat');
  if (!withMerges) return { name, used };
  // From the whole sheet, not the used range: an empty sheet's used range is a null object.
  const merged = ws.getRange().getMergedAreasOrNullObject();
  merged.load('address');
  return { name, used, merged };
}

/**
 * The workbook's date system, asked in the same sync as the cells: Range.values gives a date as the
 * serial the workbook stores, and a workbook on the 1904 system (Mac) counts from 1904-01-01, where
 * DATE(1904,1,1) is 0 rather than 1462 (docs/design.md, "The grid and the readers").
 */
function queueDateSystem(context: Excel.RequestContext): () => boolean {
  const probe = context.workbook.functions.date(1904, 1, 1);
  probe.load('value');
  return () => typeof probe.value === 'number' && probe.value < 1462;
}

/** The grids, marked as counting days from 1904 when the workbook does. */
function inDateSystem(grids: Grid[], date1904: boolean): Grid[] {
  return date1904 ? grids.map((g) => ({ ...g, date1904: true })) : grids;
}

function cellValue(v: unknown): CellValue {
  if (v === '' || v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

function gridOfPending(p: PendingSheet): Grid {
  return p.used.isNullObject ? emptyGrid(p.name) : gridFrom(p.name, p.used.address, p.used.values, p.used.numberFormat, mergesOf(p.merged));
}

function emptyGrid(name: string): Grid {
  return { sheet: name, origin: { row: 1, col: 1 }, values: [], formats: [], merges: [] };
}

function gridFrom(name: string, address: string, values: unknown[][], formats: unknown[][], merges: CellRange[]): Grid {
  const area = parseAreaList(address)[0];
  return {
    sheet: name,
    origin: { row: area.top, col: area.left },
    values: values.map((row) => row.map(cellValue)),
    formats: formats.map((row) => row.map((f) => (typeof f === 'string' && f !== '' ? f : 'General'))),
    merges,
  };
}

function mergesOf(merged: Excel.RangeAreas | undefined): CellRange[] {
  if (!merged || merged.isNullObject) return [];
  return parseAreaList(merged.address).sort((a, b) => a.top - b.top || a.left - b.left);
}

export function isPayloadError(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return /PayloadSizeLimitExceeded/i.test(`${e?.code ?? ''} ${e?.message ?? ''}`);
}

/**
 * Reads the named sheets into grids. One sync in the usual case; when the host refuses the merged
 * areas (too many), the sheets are read without them and the merges band by band (two more, and one
 * to join areas the bands cut in pieces); only a
 * workbook too large for one 5 MB answer is read in bands of rows, in as many syncs as it needs.
 */
export async function readGrids<T = undefined>(context: Excel.RequestContext, names: readonly string[], caps: Capabilities, also?: () => T): Promise<GridRead & { also?: T }> {
  const notices = mergeNotices(caps);
  let syncs = 0;
  let extra: T | undefined;
  const attempt = async (withMerges: boolean): Promise<Grid[]> => {
    const pending = names.map((name) => queueSheet(context, name, withMerges));
    const date1904 = queueDateSystem(context);
    extra = also?.();
    syncs++;
    await context.sync();
    return inDateSystem(pending.map(gridOfPending), date1904());
  };
  try {
    return { grids: await attempt(caps.merges), notices, syncs, also: extra };
  } catch (error) {
    if (isPayloadError(error)) {
      const queued = await alone();
      return { ...(await readInBands(context, names, caps, notices, syncs)), also: queued };
    }
    if (!caps.merges) throw error;
  }
  // The merged areas were refused (more than 512 on a sheet): read without them, then band by band.
  let grids: Grid[];
  try {
    grids = await attempt(false);
  } catch (error) {
    if (isPayloadError(error)) {
      const queued = await alone();
      return { ...(await readInBands(context, names, caps, notices, syncs)), also: queued };
    }
    throw error;
  }
  const merged = await readMergesInBands(context, grids);
  syncs += merged.syncs;
  if (merged.failed) notices.push(say('addin.merges.tooMany'));
  return { grids: merged.grids, notices, syncs, also: extra };

  /** What `also` queues, in a sync of its own (only a workbook read in bands gets here). */
  async function alone(): Promise<T | undefined> {
    if (!also) return undefined;
    const queued = also();
    syncs++;
    await context.sync();
    return queued;
  }
}

/**
 * The merged areas of each grid's used range, asked band by band (a band of 512 cells cannot meet more
 * than 512 areas). An area is reported in the band that holds its top-left cell (office-js issue
 * #3611), and may come back cut to that band, in pieces: a piece that ends on a band's edge where
 * another of the same width (or height) begins is asked about once more, across the edge, and the two
 * are joined when one area spans both — two areas that merely touch stay two.
 */
async function readMergesInBands(context: Excel.RequestContext, grids: Grid[]): Promise<{ grids: Grid[]; syncs: number; failed: boolean }> {
  const requests: { grid: number; areas: Excel.RangeAreas }[] = [];
  const edges = grids.map(() => ({ rows: new Set<number>(), cols: new Set<number>() }));
  grids.forEach((grid, index) => {
    const height = grid.values.length;
    const width = grid.values[0]?.length ?? 0;
    if (height === 0 || width === 0) return;
    const ws = context.workbook.worksheets.getItem(grid.sheet);
    const bandWidth = Math.min(width, MERGE_BAND_CELLS);
    const bandHeight = Math.max(1, Math.floor(MERGE_BAND_CELLS / bandWidth));
    for (let r = 0; r < height; r += bandHeight) {
      if (r + bandHeight < height) edges[index].rows.add(grid.origin.row + r + bandHeight - 1);
      for (let c = 0; c < width; c += bandWidth) {
        if (c + bandWidth < width) edges[index].cols.add(grid.origin.col + c + bandWidth - 1);
        const band = ws.getRangeByIndexes(grid.origin.row - 1 + r, grid.origin.col - 1 + c, Math.min(bandHeight, height - r), Math.min(bandWidth, width - c));
        const areas = band.getMergedAreasOrNullObject();
        areas.load('address');
        requests.push({ grid: index, areas });
      }
    }
  });
  if (requests.length === 0) return { grids, syncs: 0, failed: false };
  try {
    await context.sync();
  } catch {
    return { grids, syncs: 1, failed: true };
  }
  const pieces = grids.map(() => new Map<string, CellRange>());
  for (const r of requests) for (const area of mergesOf(r.areas)) pieces[r.grid].set(rangeA1(area), area);

  // Pieces that meet across a band's edge, and the strip of two rows (or columns) across it to ask about.
  const across: { grid: number; a: string; b: string; spans: (area: CellRange) => boolean; strip: Excel.RangeAreas }[] = [];
  grids.forEach((grid, index) => {
    const found = pieces[index];
    if (found.size === 0) return;
    const ws = context.workbook.worksheets.getItem(grid.sheet);
    const startingAt = new Map<string, CellRange>();
    for (const p of found.values()) startingAt.set(`${p.top}:${p.left}`, p);
    for (const p of found.values()) {
      const below = edges[index].rows.has(p.bottom) ? startingAt.get(`${p.bottom + 1}:${p.left}`) : undefined;
      if (below && below.right === p.right) {
        const strip = ws.getRangeByIndexes(p.bottom - 1, p.left - 1, 2, p.right - p.left + 1).getMergedAreasOrNullObject();
        strip.load('address');
        across.push({ grid: index, a: rangeA1(p), b: rangeA1(below), spans: (m) => m.top <= p.bottom && m.bottom > p.bottom && m.left <= p.left && m.right >= p.right, strip });
      }
      const right = edges[index].cols.has(p.right) ? startingAt.get(`${p.top}:${p.right + 1}`) : undefined;
      if (right && right.bottom === p.bottom) {
        const strip = ws.getRangeByIndexes(p.top - 1, p.right - 1, p.bottom - p.top + 1, 2).getMergedAreasOrNullObject();
        strip.load('address');
        across.push({ grid: index, a: rangeA1(p), b: rangeA1(right), spans: (m) => m.left <= p.right && m.right > p.right && m.top <= p.top && m.bottom >= p.bottom, strip });
      }
    }
  });
  let syncs = 1;
  if (across.length > 0) {
    syncs++;
    try {
      // Each strip holds at most the two pieces' areas: it never meets the 512-area limit.
      await context.sync();
    } catch {
      return { grids, syncs, failed: true };
    }
  }
  const joined = pieces.map((found) => new Map([...found.keys()].map((k) => [k, k])));
  const root = (grid: number, k: string): string => {
    const parent = joined[grid].get(k)!;
    return parent === k ? k : root(grid, parent);
  };
  for (const pair of across) if (mergesOf(pair.strip).some(pair.spans)) joined[pair.grid].set(root(pair.grid, pair.a), root(pair.grid, pair.b));
  return {
    grids: grids.map((g, i) => {
      const whole = new Map<string, CellRange>();
      for (const [k, piece] of pieces[i]) {
        const r = root(i, k);
        const so = whole.get(r);
        whole.set(r, so ? { top: Math.min(so.top, piece.top), left: Math.min(so.left, piece.left), bottom: Math.max(so.bottom, piece.bottom), right: Math.max(so.right, piece.right) } : piece);
      }
      // A lone cell is no merged area (a piece whose other part was not found).
      const merges = [...whole.values()].filter((m) => m.bottom > m.top || m.right > m.left);
      return { ...g, merges: merges.sort((a, b) => a.top - b.top || a.left - b.left) };
    }),
    syncs,
    failed: false,
  };
}

/**
 * A workbook too large for one answer: the used ranges first, then bands of rows, one band a sync;
 * a band whose answer is still too large (long texts) is halved and asked again.
 */
async function readInBands(context: Excel.RequestContext, names: readonly string[], caps: Capabilities, notices: string[], syncsBefore: number): Promise<GridRead> {
  let syncs = syncsBefore;
  const used = names.map((name) => {
    const range = context.workbook.worksheets.getItem(name).getUsedRangeOrNullObject(true);
    range.load('address,rowCount,columnCount');
    return { name, range };
  });
  const date1904 = queueDateSystem(context);
  syncs++;
  await context.sync();
  const grids: Grid[] = [];
  for (const { name, range } of used) {
    if (range.isNullObject) {
      grids.push(emptyGrid(name));
      continue;
    }
    const area = parseAreaList(range.address)[0];
    const grid: Grid = { sheet: name, origin: { row: area.top, col: area.left }, values: [], formats: [], merges: [], ...(date1904() ? { date1904: true } : {}) };
    const ws = context.workbook.worksheets.getItem(name);
    const width = range.columnCount;
    let rowsPerBand = Math.max(1, Math.floor(BAND_CELLS / width));
    for (let r = 0; r < range.rowCount; ) {
      const height = Math.min(rowsPerBand, range.rowCount - r);
      const band = ws.getRangeByIndexes(area.top - 1 + r, area.left - 1, height, width);
      band.load('values,numberFormat');
      syncs++;
      try {
        // Only a sheet above Excel on the web's 5 MB answer gets here: as many syncs as it takes.
        // eslint-disable-next-line office-addins/no-context-sync-in-loop
        await context.sync();
      } catch (error) {
        if (!isPayloadError(error) || height === 1) throw error;
        rowsPerBand = Math.max(1, Math.floor(height / 2));
        continue;
      }
      grid.values.push(...band.values.map((row) => row.map(cellValue)));
      grid.formats.push(...band.numberFormat.map((row) => row.map((f) => (typeof f === 'string' && f !== '' ? f : 'General'))));
      r += height;
    }
    grids.push(grid);
  }
  if (!caps.merges) return { grids, notices, syncs };
  const merged = await readMergesInBands(context, grids);
  if (merged.failed) notices.push(say('addin.merges.tooMany'));
  return { grids: merged.grids, notices, syncs: syncs + merged.syncs };
}
