// Refuses a worksheet whose XML asks a reader to allocate per cell more than a sheet may hold, while
// the XML is being read and before anything is allocated for it (issue 11 §1, docs/design.md "Reading
// submissions"). A 1.5 KB sheet can declare one merged area, data validation or conditional format
// over A1:XFD1048576; ExcelJS creates an object for every cell of a merged area or a validated range,
// and our grid resolves merged areas cell by cell. So each kind of declared range and the number of
// cell and row records are held to the sheet limit, and the reason names the sheet and the range.
import { a1, type CellRange } from '../../core/grid';
import { msg, type MessageId, type MessageRef } from '../../core/messages';
import type { Attributes } from './xmlScan';
import { displayName, UnreadableWorkbookError } from './zipGuard';

/** The cells a sheet may span (its used range) and the cells any kind of declared range may cover. */
export const DEFAULT_MAX_CELLS_PER_SHEET = 2_000_000;
/** Excel's own row count: a sheet with more row records than this was not written by a spreadsheet. */
export const MAX_ROW_RECORDS = 1_048_576;
/** ExcelJS checks each merged area against every earlier one: tens of thousands already take minutes. */
export const MAX_MERGED_AREAS = 10_000;
const MAX_ROW = 1_048_576;
const MAX_COL = 16_384;

type RangeKind = 'merge' | 'data-validation' | 'conditional-format' | 'columns';

const KIND_MESSAGE = {
  merge: 'workbook.range.merge',
  columns: 'workbook.range.columns',
  'data-validation': 'workbook.range.data-validation',
  'conditional-format': 'workbook.range.conditional-format',
} as const satisfies Record<RangeKind, MessageId>;

/** An A1 reference as sheets write them in ref/sqref: a cell, a rectangle, whole columns (A:C) or whole rows (2:5), `$` allowed. */
export function parseReference(ref: string): CellRange | undefined {
  const parts = ref.split(':');
  if (parts.length > 2) return undefined;
  const ends = parts.map((p) => /^\$?([A-Za-z]{1,3})?\$?([0-9]{1,7})?$/.exec(p));
  if (ends.some((m) => !m || (!m[1] && !m[2]))) return undefined;
  const [s, e = s] = ends as RegExpExecArray[];
  const col = (m: RegExpExecArray) => (m[1] ? [...m[1].toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) : undefined);
  const row = (m: RegExpExecArray) => (m[2] ? Number(m[2]) : undefined);
  const c1 = col(s) ?? 1;
  const c2 = col(e) ?? (col(s) === undefined ? MAX_COL : c1);
  const r1 = row(s) ?? 1;
  const r2 = row(e) ?? (row(s) === undefined ? MAX_ROW : r1);
  return { top: Math.min(r1, r2), left: Math.min(c1, c2), bottom: Math.max(r1, r2), right: Math.max(c1, c2) };
}

function area(r: CellRange): number {
  return (r.bottom - r.top + 1) * (r.right - r.left + 1);
}

function rangeText(r: CellRange): string {
  return `${a1(r.top, r.left)}:${a1(r.bottom, r.right)}`;
}

function refusal(file: string, code: 'sheet-too-large' | 'range-too-large' | 'too-many-records', message: MessageRef): UnreadableWorkbookError {
  return new UnreadableWorkbookError(file, message, code);
}

/** The used range of a sheet is larger than a grid may be: the one rule for both readers. */
export function sheetTooLarge(file: string, sheet: string, range: CellRange, max: number): UnreadableWorkbookError {
  return refusal(file, 'sheet-too-large', msg('workbook.sheet-too-large', { file: displayName(file), sheet, range: rangeText(range), cells: area(range), max }));
}

/**
 * Watches one worksheet's XML element by element (feed it every `open`, `close` and, while `wantsText`,
 * `text`) and throws UnreadableWorkbookError as soon as the sheet declares too much.
 */
export class SheetGuard {
  private readonly covered: Record<RangeKind, { cells: number; largest?: CellRange; count: number }> = {
    merge: { cells: 0, count: 0 },
    'data-validation': { cells: 0, count: 0 },
    'conditional-format': { cells: 0, count: 0 },
    columns: { cells: 0, count: 0 },
  };
  private cells = 0;
  private rows = 0;
  /** The x14 data validation or conditional format whose <xm:sqref> text is being read. */
  private extension: RangeKind | undefined;
  private sqref: string | undefined;

  constructor(
    private readonly file: string,
    private readonly sheet: string,
    private readonly maxCells: number = DEFAULT_MAX_CELLS_PER_SHEET,
  ) {}

  get wantsText(): boolean {
    return this.sqref !== undefined;
  }

  open(name: string, attributes: Attributes): void {
    const colon = name.indexOf(':');
    const local = colon < 0 ? name : name.slice(colon + 1);
    switch (local) {
      case 'c':
        if (++this.cells > this.maxCells) throw this.tooManyRecords('workbook.record.cell', this.maxCells);
        return;
      case 'row':
        if (++this.rows > MAX_ROW_RECORDS) throw this.tooManyRecords('workbook.record.row', MAX_ROW_RECORDS);
        return;
      case 'mergeCell':
        if (this.covered.merge.count >= MAX_MERGED_AREAS) throw this.tooManyRecords('workbook.record.merge', MAX_MERGED_AREAS);
        this.declare('merge', attributes.get('ref'));
        return;
      case 'col': {
        // <col min max>: ExcelJS makes one object per column of the span; Excel has 16,384 columns.
        const max = Number.parseInt(attributes.get('max') ?? '0', 10);
        if (max > MAX_COL) {
          const min = Math.max(1, Number.parseInt(attributes.get('min') ?? '1', 10) || 1);
          this.declare('columns', undefined, { top: 1, left: min, bottom: MAX_ROW, right: max });
        }
        return;
      }
      case 'dataValidation':
      case 'conditionalFormatting': {
        const kind = local === 'dataValidation' ? 'data-validation' : 'conditional-format';
        this.declare(kind, attributes.get('sqref'));
        this.extension = kind;
        return;
      }
      case 'sqref':
        if (this.extension) this.sqref = '';
        return;
      // <dimension ref> is not held to the limit: neither reader allocates anything for it (the used
      // range comes from the cells, whose records are counted above), so a stale or inflated dimension
      // says nothing, and a sheet that really is too large is refused naming its real used range.
    }
  }

  /** A cell record read without going through `open` (xmlWorkbook's shortcut for plain cells). */
  cell(): void {
    if (++this.cells > this.maxCells) throw this.tooManyRecords('workbook.record.cell', this.maxCells);
  }

  text(text: string): void {
    if (this.sqref !== undefined) this.sqref += text;
  }

  close(name: string): void {
    if (this.extension === undefined) return;
    const colon = name.indexOf(':');
    const local = colon < 0 ? name : name.slice(colon + 1);
    if (local === 'sqref' && this.sqref !== undefined && this.extension) {
      this.declare(this.extension, this.sqref);
      this.sqref = undefined;
    } else if (local === 'dataValidation' || local === 'conditionalFormatting') {
      this.extension = undefined;
    }
  }

  /** A space-separated list of references that a reader may expand cell by cell. */
  private declare(kind: RangeKind, sqref: string | undefined, declared?: CellRange): void {
    if (!sqref && !declared) return;
    const total = this.covered[kind];
    const ranges = declared ? [declared] : sqref!.split(/\s+/).map((ref) => (ref === '' ? undefined : parseReference(ref)));
    for (const range of ranges) {
      if (!range) continue;
      total.cells += area(range);
      total.count += 1;
      if (!total.largest || area(range) > area(total.largest)) total.largest = range;
      if (total.cells > this.maxCells || (kind === 'columns' && range.right > MAX_COL)) {
        const largest = rangeText(total.largest);
        const shown = total.count === 1 ? largest : msg('workbook.ranges', { range: largest, count: total.count });
        throw refusal(
          this.file,
          'range-too-large',
          msg('workbook.range-too-large', { file: displayName(this.file), sheet: this.sheet, kind: msg(KIND_MESSAGE[kind]), range: shown, cells: total.cells, max: this.maxCells }),
        );
      }
    }
  }

  private tooManyRecords(what: 'workbook.record.cell' | 'workbook.record.row' | 'workbook.record.merge', max: number): UnreadableWorkbookError {
    return refusal(this.file, 'too-many-records', msg('workbook.too-many-records', { file: displayName(this.file), sheet: this.sheet, what: msg(what), max }));
  }
}
