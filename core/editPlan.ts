// Normalisation's output: an edit plan (docs/design.md, "The edit plan and the two adapters"). Adapters
// apply it; core never touches a workbook. Writes come in blocks, rectangles of cells that an adapter
// sends at once (one Range in Office.js), never one object per cell: a 10,000-row sheet is a handful of
// blocks.
import { a1, type CellRange, type CellValue, type Grid } from './grid';

/**
 * A rectangle of cells written together. values[i][j] goes to (row + i, col + j); `undefined` is a hole
 * that leaves that cell as it is (Office.js: null in the 2-D array). A block never covers part of a
 * merged area: it holds a merged area whole (with holes over all but its top-left) or not at all.
 */
export interface WriteBlock {
  row: number;
  col: number;
  values: (CellValue | undefined)[][];
  /** Number formats set with the values, same shape (0"個" keeps "10個" on screen); undefined keeps the cell's own. Absent: none set. */
  numberFormats?: (string | undefined)[][];
}

/** One change, for telling the user what normalisation did. */
export interface Change {
  cell: string;
  before: CellValue;
  after: CellValue;
  reason: string;
}

export interface SheetEdit {
  sheet: string;
  /** Copy the sheet to this name before any write, so nothing the user typed is lost. */
  backupAs?: string;
  unmerge: CellRange[];
  blocks: WriteBlock[];
  /** Cells written (holes not counted). */
  changeCount: number;
  /** Cells written, by reason. */
  reasonCounts: Record<string, number>;
  /** The first changes in row order, enough for a person to see what happened (at most CHANGES_KEPT). */
  firstChanges: Change[];
}

/** A sheet to create (or replace, if a sheet of that name was created by us before). */
export interface NewSheet {
  name: string;
  header: string[];
  rows: CellValue[][];
  /** Number format per column (same length as header), null for General. */
  columnFormats: (string | null)[];
  /** Excel table name, so the sheet gets filters and banding. */
  tableName: string;
  columnWidths: number[];
}

export interface EditPlan {
  edits: SheetEdit[];
  newSheets: NewSheet[];
}

/** How many changes a SheetEdit keeps for showing; the pane and the CLI list fewer. */
export const CHANGES_KEPT = 100;

export function isEmptyPlan(plan: EditPlan): boolean {
  return plan.edits.every((e) => e.changeCount === 0 && e.unmerge.length === 0) && plan.newSheets.length === 0;
}

/** Every write of a block, in row order: (row, col, value, numberFormat). Holes are skipped. */
export function forEachWrite(block: WriteBlock, visit: (row: number, col: number, value: CellValue, numberFormat: string | undefined) => void): void {
  const { values, numberFormats } = block;
  for (let i = 0; i < values.length; i++) {
    const line = values[i];
    const formats = numberFormats?.[i];
    for (let j = 0; j < line.length; j++) {
      const v = line[j];
      if (v !== undefined) visit(block.row + i, block.col + j, v, formats?.[j]);
    }
  }
}

/**
 * Collects a sheet's writes on a dense array the size of its grid, then cuts them into blocks: one per
 * run of rows that have writes, as wide as the writes in the run, grown to hold whole any merged area it
 * touches. Counting and the first changes are kept as writes arrive, so no object is made per cell.
 */
export class SheetWrites {
  private readonly top: number;
  private readonly left: number;
  private readonly width: number;
  /** Planned values by row of the grid; a row without writes has no array. */
  private readonly values: ((CellValue | undefined)[] | undefined)[];
  private readonly formats: ((string | undefined)[] | undefined)[];
  private count = 0;
  private readonly reasons: Record<string, number> = {};
  private readonly first: Change[] = [];

  constructor(private readonly grid: Grid) {
    this.top = grid.origin.row;
    this.left = grid.origin.col;
    this.width = grid.values[0]?.length ?? 0;
    this.values = new Array(grid.values.length);
    this.formats = new Array(grid.values.length);
  }

  /** Whether a write to this cell is already planned. */
  has(row: number, col: number): boolean {
    return this.values[row - this.top]?.[col - this.left] !== undefined;
  }

  /** Plans a write; the first write to a cell wins. Cells outside the grid are ignored (core only writes what it read). */
  set(row: number, col: number, value: CellValue, numberFormat: string | undefined, reason: string): void {
    const r = row - this.top;
    const c = col - this.left;
    if (r < 0 || r >= this.values.length || c < 0 || c >= this.width) return;
    const line = (this.values[r] ??= new Array<CellValue | undefined>(this.width));
    if (line[c] !== undefined) return;
    line[c] = value;
    if (numberFormat !== undefined) (this.formats[r] ??= new Array<string | undefined>(this.width))[c] = numberFormat;
    this.count++;
    this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
    if (this.first.length < CHANGES_KEPT) this.first.push({ cell: a1(row, col), before: this.grid.values[r][c], after: value, reason });
  }

  get changeCount(): number {
    return this.count;
  }

  /** The sheet's edit. Call once: cutting the blocks uses up the collected writes. */
  edit(sheet: string, backupAs: string | undefined): SheetEdit {
    const byPosition = (a: Change, b: Change) => rowOf(a.cell) - rowOf(b.cell) || a.cell.length - b.cell.length || (a.cell < b.cell ? -1 : 1);
    return {
      sheet,
      backupAs: this.count > 0 ? backupAs : undefined,
      unmerge: [],
      blocks: this.count > 0 ? this.blocks() : [],
      changeCount: this.count,
      reasonCounts: { ...this.reasons },
      firstChanges: [...this.first].sort(byPosition),
    };
  }

  private blocks(): WriteBlock[] {
    const blocks: WriteBlock[] = [];
    const merges = new MergeIndex(this.grid.merges);
    const rows = this.values.length;
    for (let r = 0; r < rows; ) {
      if (!this.rowHasWrites(r)) {
        r++;
        continue;
      }
      let bottom = r;
      while (bottom + 1 < rows && this.rowHasWrites(bottom + 1)) bottom++;
      let left = Infinity;
      let right = -Infinity;
      for (let i = r; i <= bottom; i++) {
        const line = this.values[i]!;
        for (let j = 0; j < line.length; j++) {
          if (line[j] === undefined) continue;
          if (j < left) left = j;
          if (j > right) right = j;
        }
      }
      const area = merges.grown({ top: r + this.top, left: left + this.left, bottom: bottom + this.top, right: right + this.left });
      blocks.push(this.take(area));
      // A grown block may reach rows below the run: they are in it now.
      r = Math.max(bottom, area.bottom - this.top) + 1;
    }
    return blocks;
  }

  private rowHasWrites(r: number): boolean {
    const line = this.values[r];
    if (!line) return false;
    for (let j = 0; j < line.length; j++) if (line[j] !== undefined) return true;
    return false;
  }

  /** The writes inside `area` as a block; they are taken out, so that a later block grown over them leaves holes there. */
  private take(area: CellRange): WriteBlock {
    const width = area.right - area.left + 1;
    const values: (CellValue | undefined)[][] = [];
    const formats: (string | undefined)[][] = [];
    let anyFormat = false;
    for (let row = area.top; row <= area.bottom; row++) {
      const r = row - this.top;
      const line = this.values[r];
      const formatLine = this.formats[r];
      const part = new Array<CellValue | undefined>(width);
      const formatPart = new Array<string | undefined>(width);
      for (let col = area.left; col <= area.right; col++) {
        const c = col - this.left;
        if (!line || c < 0 || c >= line.length) continue;
        part[col - area.left] = line[c];
        line[c] = undefined;
        if (formatLine?.[c] !== undefined) {
          formatPart[col - area.left] = formatLine[c];
          formatLine[c] = undefined;
          anyFormat = true;
        }
      }
      values.push(part);
      formats.push(formatPart);
    }
    return anyFormat ? { row: area.top, col: area.left, values, numberFormats: formats } : { row: area.top, col: area.left, values };
  }
}

/** Merged areas by the rows they span, to grow a block over the ones it touches without a scan of all. */
class MergeIndex {
  private readonly byRow = new Map<number, CellRange[]>();

  constructor(merges: readonly CellRange[]) {
    for (const m of merges) {
      for (let row = m.top; row <= m.bottom; row++) {
        const list = this.byRow.get(row);
        if (list) list.push(m);
        else this.byRow.set(row, [m]);
      }
    }
  }

  /** The area grown until every merged area it touches lies inside it (holes cover the rest). */
  grown(area: CellRange): CellRange {
    const out = { ...area };
    if (this.byRow.size === 0) return out;
    for (let changed = true; changed; ) {
      changed = false;
      for (let row = out.top; row <= out.bottom; row++) {
        for (const m of this.byRow.get(row) ?? []) {
          const touches = m.left <= out.right && out.left <= m.right;
          if (!touches || (m.top >= out.top && m.bottom <= out.bottom && m.left >= out.left && m.right <= out.right)) continue;
          out.top = Math.min(out.top, m.top);
          out.left = Math.min(out.left, m.left);
          out.bottom = Math.max(out.bottom, m.bottom);
          out.right = Math.max(out.right, m.right);
          changed = true;
        }
      }
    }
    return out;
  }
}

function rowOf(cell: string): number {
  return Number(/\d+$/.exec(cell)?.[0] ?? 0);
}
