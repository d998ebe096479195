// The fast read half of the xlsx adapter (docs/design.md, "Reading submissions"): a workbook's grids
// straight from its XML, in one pass per part, without ExcelJS's workbook model. It gives core the very
// Grid the ExcelJS adapter (readWorkbook.ts) gives: same values, number formats, merges and formulas,
// ExcelJS's own rules included (excelJsRules.ts). It reads the canonical structure that Excel, WPS,
// LibreOffice, ExcelJS and openpyxl write; a workbook that uses anything else (drawings, comments,
// hyperlinks, rich text typed into a cell, XML it would have to guess about) is answered with
// `{ fallback }`, and the caller reads it with ExcelJS after the same guards.
import { msg } from '../../core/messages';
import { a1, type CellRange, type CellValue, type Grid } from '../../core/grid';
import { builtInFormat, excelToDate, isDateFormat, isDecodableRange, slideFormula, xmlDecodeAgain } from './excelJsRules';
import { DEFAULT_MAX_CELLS_PER_SHEET, SheetGuard, sheetTooLarge } from './sheetGuard';
import { decodeEntities, scanXml, type Attributes, type XmlVisitor } from './xmlScan';
import { displayName, inspectZip, UnreadableWorkbookError, type ZipLimits } from './zipGuard';

export interface XmlReadOptions {
  zipLimits?: Partial<ZipLimits>;
  maxCellsPerSheet?: number;
}

export interface GridsFromXml {
  sheets: Grid[];
  hiddenSheets: string[];
  hasMacros: boolean;
}

/** The workbook needs ExcelJS: why, for tests and profiles. */
export interface NeedsExcelJs {
  fallback: string;
}

/** Thrown inside the readers below; caught at the top and answered with NeedsExcelJs. */
class Fallback extends Error {}

const WORKSHEET = /xl\/worksheets\/sheet(\d+)[.]xml/;
const WORKSHEET_EXACT = /^xl\/worksheets\/sheet\d+\.xml$/;
const WORKSHEET_RELS = /xl\/worksheets\/_rels\/sheet(\d+)[.]xml.rels/;
/** Parts ExcelJS parses that this reader does not: their presence sends the workbook to ExcelJS. */
const LEFT_TO_EXCELJS = [/xl\/drawings\/([a-zA-Z0-9]+)[.]xml/, /xl\/drawings\/_rels\/([a-zA-Z0-9]+)[.]xml[.]rels/, /xl\/(comments\d+)[.]xml/, /xl\/tables\/(table\d+)[.]xml/, /xl\/drawings\/(vmlDrawing\d+)[.]vml/];
const FIXED_PARTS = new Set(['_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml', 'docProps/app.xml', 'docProps/core.xml']);
const PRINTER_SETTINGS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/printerSettings';
/** Elements ExcelJS's worksheet reader starts a sub-reader for, wherever it meets them outside another one. */
const EXCELJS_SHEET_ELEMENTS = new Set([
  'sheetPr', 'dimension', 'sheetViews', 'sheetFormatPr', 'cols', 'sheetData', 'autoFilter', 'mergeCells', 'rowBreaks', 'hyperlinks', 'pageMargins',
  'dataValidations', 'pageSetup', 'headerFooter', 'printOptions', 'picture', 'drawing', 'sheetProtection', 'tableParts', 'conditionalFormatting', 'extLst',
]);
const CORE_PROPERTIES = new Set([
  'dc:creator', 'dc:title', 'dc:subject', 'dc:description', 'dc:identifier', 'dc:language', 'cp:keywords', 'cp:category', 'cp:lastModifiedBy',
  'cp:lastPrinted', 'cp:revision', 'cp:version', 'cp:contentStatus', 'cp:contentType', 'dcterms:created', 'dcterms:modified',
]);

function needs(why: string): never {
  throw new Fallback(why);
}

/** Scans a part; any XML the strict scanner does not accept goes to ExcelJS, which decides. */
function scan(xml: string, visitor: XmlVisitor, part: string): void {
  const { problem } = scanXml(xml, visitor);
  if (problem) needs(`${part}: ${problem}`);
}

function text(part: Buffer | undefined): string | undefined {
  return part?.toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// Small parts

interface Relationship {
  id: string;
  type: string;
  target: string;
}

/** A relationships part; ExcelJS refuses anything but <Relationships> holding <Relationship> elements. */
function readRelationships(xml: string, part: string): Relationship[] {
  const out: Relationship[] = [];
  scan(
    xml,
    {
      open(name, attrs, depth) {
        if (depth === 1 ? name !== 'Relationships' : depth !== 2 || name !== 'Relationship') needs(`${part}: <${name}>`);
        if (depth === 2) out.push({ id: attrs.get('Id') ?? '', type: attrs.get('Type') ?? '', target: attrs.get('Target') ?? '' });
      },
      close() {},
    },
    part,
  );
  return out;
}

/** docProps/core.xml: ExcelJS refuses elements it does not know. */
function checkCoreProperties(xml: string): void {
  scan(
    xml,
    {
      open(name, _attrs, depth) {
        if (depth === 1 && name !== 'cp:coreProperties' && name !== 'coreProperties') needs(`core.xml: <${name}>`);
        if (depth === 2 && !CORE_PROPERTIES.has(name)) needs(`core.xml: <${name}>`);
        if (depth > 2) needs(`core.xml: <${name}>`);
      },
      close() {},
    },
    'docProps/core.xml',
  );
}

interface WorkbookPart {
  sheets: { name: string; id: number; state?: string; rId: string }[];
  date1904: boolean;
  printAreas: { localSheetId?: number; text: string }[];
}

function readWorkbookPart(xml: string): WorkbookPart {
  const book: WorkbookPart = { sheets: [], date1904: false, printAreas: [] };
  let inSheets = false;
  let definedName: { localSheetId?: number; text: string } | undefined;
  const visitor: XmlVisitor = {
    open(name, attrs, depth) {
      if (depth === 1 && name !== 'workbook') needs(`workbook.xml: <${name}>`);
      if (depth === 2 && name === 'sheets') inSheets = true;
      else if (inSheets && (depth !== 3 || name !== 'sheet')) needs(`workbook.xml: <${name}> in <sheets>`);
      else if (name === 'sheet') {
        if (!inSheets || depth !== 3) needs('workbook.xml: <sheet> outside <sheets>');
        const rawName = attrs.get('name');
        if (rawName === undefined) needs('workbook.xml: a sheet without a name');
        book.sheets.push({ name: xmlDecodeAgain(rawName), id: Number.parseInt(attrs.get('sheetId') ?? '', 10), state: attrs.get('state'), rId: attrs.get('r:id') ?? '' });
      } else if (name === 'workbookPr') {
        if (depth !== 2) needs('workbook.xml: nested <workbookPr>');
        book.date1904 = attrs.get('date1904') === '1';
      } else if (name === 'definedName' && attrs.get('name') === '_xlnm.Print_Area') {
        const local = attrs.get('localSheetId');
        definedName = { text: '', ...(local !== undefined ? { localSheetId: Number.parseInt(local, 10) } : {}) };
        visitor.wantsText = true;
      }
    },
    close(name) {
      if (name === 'sheets') inSheets = false;
      if (name === 'definedName' && definedName) {
        book.printAreas.push(definedName);
        definedName = undefined;
        visitor.wantsText = false;
      }
    },
    text(t) {
      if (definedName) definedName.text += t;
    },
  };
  scan(xml, visitor, 'xl/workbook.xml');
  return book;
}

/** ExcelJS's reading of a defined name's text into ranges (it keeps the ones it can decode). */
function printAreaRanges(text: string): string[] {
  const ranges: string[] = [];
  let quotesOpened = false;
  let last = '';
  for (const item of text.split(',')) {
    if (!item) continue;
    const quotes = (item.match(/'/g) || []).length;
    if (!quotes) {
      if (quotesOpened) last += `${item},`;
      else if (isDecodableRange(item)) ranges.push(item);
      continue;
    }
    const even = quotes % 2 === 0;
    if (!quotesOpened && even && isDecodableRange(item)) ranges.push(item);
    else if (quotesOpened && !even) {
      quotesOpened = false;
      if (isDecodableRange(last + item)) ranges.push(last + item);
      last = '';
    } else {
      quotesOpened = true;
      last += `${item},`;
    }
  }
  return ranges;
}

type SharedString = string | { rich: string };

/** The shared strings: plain text (with ExcelJS's _xHHHH_ decoding) or rich text runs joined. */
function readSharedStrings(xml: string): SharedString[] {
  const strings: SharedString[] = [];
  let item: { text?: string; runs?: string[]; empty: boolean } | undefined;
  let run: string | undefined;
  let inPhonetic = false;
  let capture: 'text' | 'run' | undefined;
  let buffer = '';
  const unescape = (s: string) => s.replace(/_x([0-9A-F]{4})_/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  const visitor: XmlVisitor = {
    open(name, _attrs, depth) {
      if (depth === 1) {
        if (name !== 'sst') needs(`sharedStrings.xml: <${name}>`);
        return;
      }
      if (depth === 2) {
        if (name !== 'si') needs(`sharedStrings.xml: <${name}>`);
        item = { empty: true };
        return;
      }
      if (inPhonetic || name === 'rPh' || name === 'phoneticPr') {
        if (name === 'rPh') inPhonetic = true;
        return;
      }
      if (depth === 3 && name === 't') {
        capture = 'text';
        buffer = '';
      } else if (depth === 3 && name === 'r') run = '';
      else if (depth === 4 && run !== undefined && name === 't') {
        capture = 'run';
        buffer = '';
      } else if (depth === 4 && run !== undefined && name === 'rPr') {
        // Run properties (fonts) are not part of the text.
      } else if (depth === 5 && run !== undefined) {
        // Inside <rPr>.
      } else needs(`sharedStrings.xml: <${name}> at depth ${depth}`);
      visitor.wantsText = capture !== undefined;
    },
    close(name, depth) {
      if (name === 'rPh') {
        inPhonetic = false;
        return;
      }
      if (inPhonetic) return;
      if (capture && name === 't') {
        if (capture === 'text') {
          if (item!.text !== undefined || item!.runs) needs('sharedStrings.xml: mixed text and runs');
          item!.text = unescape(buffer);
        } else run = unescape(buffer);
        item!.empty = false;
        capture = undefined;
        visitor.wantsText = false;
      } else if (name === 'r' && depth === 3) {
        if (item!.text !== undefined) needs('sharedStrings.xml: mixed text and runs');
        (item!.runs ??= []).push(run ?? '');
        item!.empty = false;
        run = undefined;
      } else if (name === 'si') {
        // An <si> with nothing in it is an object ExcelJS shows as null; leave that oddity to it.
        if (item!.empty) needs('sharedStrings.xml: empty <si>');
        strings.push(item!.runs ? { rich: item!.runs.join('') } : item!.text!);
        item = undefined;
      }
    },
    text(t) {
      buffer += t;
    },
  };
  scan(xml, visitor, 'xl/sharedStrings.xml');
  return strings;
}

interface Styles {
  /** cellXfs, in order: the xf's numFmtId as ExcelJS parses it. */
  xfs: number[] | undefined;
  custom: Map<number, string>;
  /** The number format of a style id, as ExcelJS's getStyleModel gives it; null when the xf does not exist. */
  formatOf(styleId: number): { numFmt?: string } | null;
}

function readStyles(xml: string | undefined): Styles {
  const custom = new Map<number, string>();
  let xfs: number[] | undefined;
  let inNumFmts = false;
  let inCellXfs = false;
  if (xml !== undefined) {
    scan(
      xml,
      {
        open(name, attrs, depth) {
          if (depth === 1 && name !== 'styleSheet') needs(`styles.xml: <${name}>`);
          if (depth === 2) {
            inNumFmts = name === 'numFmts';
            inCellXfs = name === 'cellXfs';
          } else if (depth === 3 && inNumFmts) {
            if (name !== 'numFmt') needs(`styles.xml: <${name}> in <numFmts>`);
            const code = attrs.get('formatCode');
            if (code === undefined) needs('styles.xml: numFmt without formatCode');
            custom.set(Number.parseInt(attrs.get('numFmtId') ?? '', 10), code.replace(/[\\](.)/g, '$1'));
          } else if (depth === 3 && inCellXfs) {
            if (name !== 'xf') needs(`styles.xml: <${name}> in <cellXfs>`);
            (xfs ??= []).push(Number.parseInt(attrs.get('numFmtId') ?? '', 10));
          }
        },
        close(name, depth) {
          if (depth === 2 && (name === 'numFmts' || name === 'cellXfs')) inNumFmts = inCellXfs = false;
        },
      },
      'xl/styles.xml',
    );
  }
  const cache = new Map<number, { numFmt?: string } | null>();
  return {
    xfs,
    custom,
    formatOf(styleId) {
      const hit = cache.get(styleId);
      if (hit !== undefined) return hit;
      if (!xfs) needs('a style id without cellXfs');
      const numFmtId = xfs[styleId];
      let found: { numFmt?: string } | null = null;
      if (numFmtId !== undefined) {
        found = {};
        if (numFmtId) {
          const numFmt = custom.get(numFmtId) || builtInFormat(numFmtId);
          if (numFmt) found.numFmt = numFmt;
        }
      }
      cache.set(styleId, found);
      return found;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A worksheet

interface CellRecord {
  row: number;
  col: number;
  address: string;
  styleId?: number;
  type?: string;
  value?: string;
  formula?: string;
  shareType?: string;
  ref?: string;
  si?: string;
}

interface SheetRecords {
  cells: CellRecord[];
  rowStyles: Map<number, number>;
  cols: { min: number; max: number; styleId?: number }[];
  merges: string[];
}

const CELL_ADDRESS = /^([A-Z]{1,3})([0-9]+)$/;
/**
 * A cell as Excel, WPS, ExcelJS and openpyxl write most of them: r, s and t in this order, a formula
 * without attributes, a value, nothing else. Matched whole, it is read without the tokenizer's per-tag
 * work (the tokenizer reads everything else, and checks what this accepts is well-formed XML).
 */
const PLAIN_CELL = /<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="([0-9]{1,9})")?(?: t="([a-zA-Z]{1,12})")?(?:\/>|>(?:<f>([^<\r]*)<\/f>)?(?:<v>([^<\r]*)<\/v>)?<\/c>)/y;
/** A cell or a rectangle, as ExcelJS's Range reads them. */
const SIMPLE_REF = /^\$?[A-Z]{1,3}\$?[1-9][0-9]*(?::\$?[A-Z]{1,3}\$?[1-9][0-9]*)?$/;

function columnOf(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + letters.charCodeAt(i) - 64;
  return n;
}

/** Reads one worksheet's XML into records, with the guard watching every element. */
function readSheetRecords(xml: string, guard: SheetGuard, part: string): SheetRecords {
  const records: SheetRecords = { cells: [], rowStyles: new Map(), cols: [], merges: [] };
  const seenTop = new Set<string>();
  const seenRows = new Set<number>();
  let top: string | undefined;
  let unknownTop = false;
  let row = 0;
  let rowCells: Set<number> | undefined;
  let cell: CellRecord | undefined;
  let capture: 'value' | 'formula' | undefined;
  let inInline = false;
  const visitor: XmlVisitor = {
    shortcut: (xml, at) => plainCell(xml, at),
    open(name, attrs, depth) {
      guard.open(name, attrs);
      // The guard reads the text of an x14 <xm:sqref>, which opens outside any cell.
      if (guard.wantsText) visitor.wantsText = true;
      if (depth === 1) {
        if (name !== 'worksheet') needs(`${part}: root <${name}>`);
        return;
      }
      if (depth === 2) {
        top = name;
        unknownTop = !EXCELJS_SHEET_ELEMENTS.has(name);
        if (name === 'sheetData' || name === 'cols' || name === 'mergeCells' || name === 'hyperlinks') {
          if (seenTop.has(name)) needs(`${part}: <${name}> twice`);
          seenTop.add(name);
        }
        if (attrs.get('r:id') !== undefined) needs(`${part}: <${name}> refers to another part`);
        return;
      }
      if (unknownTop && EXCELJS_SHEET_ELEMENTS.has(name)) needs(`${part}: <${name}> inside <${top}>`);
      switch (top) {
        case 'sheetData':
          openInSheetData(name, attrs, depth);
          return;
        case 'cols':
          if (depth !== 3 || name !== 'col') needs(`${part}: <${name}> in <cols>`);
          records.cols.push({
            min: Number.parseInt(attrs.get('min') || '0', 10),
            max: Number.parseInt(attrs.get('max') || '0', 10),
            ...(attrs.get('style') ? { styleId: Number.parseInt(attrs.get('style')!, 10) } : {}),
          });
          return;
        case 'mergeCells':
          if (depth !== 3 || name !== 'mergeCell') needs(`${part}: <${name}> in <mergeCells>`);
          records.merges.push(attrs.get('ref') ?? '');
          return;
        case 'hyperlinks':
          // A link to a file or web page turns the cell's value into ExcelJS's hyperlink object.
          if (attrs.get('r:id') !== undefined) needs(`${part}: hyperlinks`);
          return;
        case 'dataValidations':
          // Nothing of it reaches the grid, but ExcelJS reads it and fails on a validation without cells.
          if (depth === 3 && (name !== 'dataValidation' || !(attrs.get('sqref') ?? '').split(/\s+/g).every((ref) => SIMPLE_REF.test(ref)))) needs(`${part}: data validation`);
          return;
        default:
          if (depth === 3 && attrs.get('r:id') !== undefined) needs(`${part}: <${name}> refers to another part`);
      }
    },
    close(name, depth) {
      guard.close(name);
      if (depth === 2) {
        top = undefined;
        unknownTop = false;
      } else if (top === 'sheetData') {
        if (depth === 5 || (depth === 6 && inInline)) capture = undefined;
        if (depth === 5 && name === 'is') inInline = false;
        if (depth === 4) {
          records.cells.push(cell!);
          cell = undefined;
          visitor.wantsShortcut = true;
        } else if (depth === 3) {
          rowCells = undefined;
          visitor.wantsShortcut = false;
        }
      }
      visitor.wantsText = capture !== undefined || guard.wantsText;
    },
    text(t) {
      if (guard.wantsText) guard.text(t);
      if (capture === 'value') cell!.value = cell!.value === undefined ? t : cell!.value + t;
      else if (capture === 'formula') cell!.formula = cell!.formula === undefined ? t : cell!.formula + t;
    },
  };

  /** PLAIN_CELL at `at`, recorded as the tokenizer would have it; -1 when it is not one. */
  function plainCell(xml: string, at: number): number {
    PLAIN_CELL.lastIndex = at;
    const m = PLAIN_CELL.exec(xml);
    if (!m || Number(m[2]) !== row) return -1;
    const col = columnOf(m[1]);
    if (col > 16384 || rowCells!.has(col)) return -1;
    let formula: string | undefined = m[5] || undefined;
    let value: string | undefined = m[6] || undefined;
    if (formula?.includes('&')) formula = decodeEntities(formula);
    if (value?.includes('&')) value = decodeEntities(value);
    if ((m[5] && formula === undefined) || (m[6] && value === undefined)) return -1;
    guard.cell();
    rowCells!.add(col);
    const cell: CellRecord = { row, col, address: m[1] + m[2] };
    if (m[3]) cell.styleId = Number.parseInt(m[3], 10);
    if (m[4] !== undefined) cell.type = m[4];
    if (value !== undefined) cell.value = value;
    if (formula !== undefined) cell.formula = formula;
    records.cells.push(cell);
    return PLAIN_CELL.lastIndex;
  }

  function openInSheetData(name: string, attrs: Attributes, depth: number): void {
    if (depth === 3) {
      if (name !== 'row') needs(`${part}: <${name}> in <sheetData>`);
      const r = attrs.get('r');
      row = r === undefined ? NaN : Number.parseInt(r, 10);
      if (!Number.isInteger(row) || row < 1) needs(`${part}: a row without a number`);
      if (seenRows.has(row)) needs(`${part}: row ${row} twice`);
      seenRows.add(row);
      rowCells = new Set();
      const s = attrs.get('s');
      if (s) records.rowStyles.set(row, Number.parseInt(s, 10));
      visitor.wantsShortcut = true;
      return;
    }
    if (depth === 4) {
      if (name !== 'c') needs(`${part}: <${name}> in a row`);
      const address = attrs.get('r');
      const m = address === undefined ? null : CELL_ADDRESS.exec(address);
      if (!m || Number(m[2]) !== row) needs(`${part}: a cell without its address in row ${row}`);
      const col = columnOf(m[1]);
      if (col > 16384 || rowCells!.has(col)) needs(`${part}: cell ${address}`);
      rowCells!.add(col);
      cell = { row, col, address: address! };
      visitor.wantsShortcut = false;
      const s = attrs.get('s');
      if (s) cell.styleId = Number.parseInt(s, 10);
      const type = attrs.get('t');
      if (type !== undefined) cell.type = type;
      return;
    }
    if (depth === 5) {
      if (name === 'v') capture = 'value';
      else if (name === 'f') {
        capture = 'formula';
        const shareType = attrs.get('t');
        if (shareType !== undefined) cell!.shareType = shareType;
        const ref = attrs.get('ref');
        if (ref !== undefined) cell!.ref = ref;
        const si = attrs.get('si');
        if (si !== undefined) cell!.si = si;
      } else if (name === 'is') inInline = true;
      else needs(`${part}: <${name}> in a cell`);
      visitor.wantsText = true;
      return;
    }
    if (depth === 6 && inInline && name === 't') {
      capture = 'value';
      visitor.wantsText = true;
      return;
    }
    needs(`${part}: <${name}> in a cell`);
  }

  scan(xml, visitor, part);
  return records;
}

/** Realm-safe check for a Date (ExcelJS may hand one made elsewhere). */
function dateToSerial(d: Date, date1904: boolean): number | null {
  const ms = d.getTime();
  if (Number.isNaN(ms)) return null;
  const serial = 25569 + ms / 86_400_000 - (date1904 ? 1462 : 0);
  return Math.round(serial * 1e9) / 1e9;
}

interface Context {
  file: string;
  sheet: string;
  strings: SharedString[] | undefined;
  styles: Styles;
  date1904: boolean;
  maxCells: number;
}

/** A cell as ExcelJS models it: its value as the grid shows it, whether it holds one, its format, its formula. */
interface ModelledCell {
  row: number;
  col: number;
  /** Absent cells (ExcelJS's "merge" type: no value, no style) are not modelled at all. */
  holds: boolean;
  value: CellValue;
  numFmt: string | undefined;
  formula?: string;
}

function plainShared(s: SharedString): string {
  return typeof s === 'string' ? s : s.rich;
}

function modelCells(records: SheetRecords, ctx: Context): ModelledCell[] {
  const out: ModelledCell[] = [];
  const masters = new Map<string, CellRecord>();
  for (const c of records.cells) {
    const style = c.styleId ? ctx.styles.formatOf(c.styleId) : null;
    const numFmt = style?.numFmt;
    const asDate = (v: unknown): CellValue => dateToSerial(excelToDate(v as number, ctx.date1904), ctx.date1904);
    if (c.formula !== undefined || c.shareType) {
      let result: unknown;
      if (c.value) {
        if (c.type === 'str') result = xmlDecodeAgain(c.value);
        else if (c.type === 'b') result = Number.parseInt(c.value, 10) !== 0;
        else if (c.type === 'e') result = c.value;
        else result = Number.parseFloat(c.value);
      }
      let formula = c.formula;
      if (c.shareType === 'shared') {
        if (c.ref) {
          if (c.si !== undefined) masters.set(c.si, c);
        } else {
          const master = c.si === undefined ? undefined : masters.get(c.si);
          formula = master?.formula === undefined ? undefined : slideFormula(master.formula, master.address, c.address);
        }
      }
      let value: CellValue = null;
      if (result !== undefined) value = style && isDateFormat(numFmt) ? asDate(result) : (result as CellValue);
      out.push({ row: c.row, col: c.col, holds: true, value, numFmt, ...(formula ? { formula: `=${formula}` } : {}) });
      continue;
    }
    if (c.value === undefined) {
      // A cell that only carries a style still gives its own number format; one without is not there.
      if (c.styleId) out.push({ row: c.row, col: c.col, holds: false, value: null, numFmt });
      continue;
    }
    let value: CellValue;
    switch (c.type) {
      case 's': {
        if (!ctx.strings) needs('a shared string without sharedStrings.xml');
        const s = ctx.strings[Number.parseInt(c.value, 10)];
        if (s === undefined) needs(`shared string ${c.value} does not exist`);
        value = plainShared(s);
        break;
      }
      case 'str':
        value = xmlDecodeAgain(c.value);
        break;
      case 'inlineStr':
        value = c.value;
        break;
      case 'b':
        value = Number.parseInt(c.value, 10) !== 0;
        break;
      case 'e':
        value = c.value;
        break;
      default: {
        const n = Number.parseFloat(c.value);
        value = style && isDateFormat(numFmt) ? asDate(n) : n;
      }
    }
    out.push({ row: c.row, col: c.col, holds: true, value, numFmt });
  }
  return out;
}

const MERGE_REF = /^([A-Z]{1,3})([0-9]+):([A-Z]{1,3})([0-9]+)$/;

function readMerges(refs: string[]): CellRange[] {
  const merges: CellRange[] = [];
  for (const ref of refs) {
    const m = MERGE_REF.exec(ref);
    if (!m) needs(`merge "${ref}"`);
    const [c1, r1, c2, r2] = [columnOf(m[1]), Number(m[2]), columnOf(m[3]), Number(m[4])];
    const range = { top: Math.min(r1, r2), left: Math.min(c1, c2), bottom: Math.max(r1, r2), right: Math.max(c1, c2) };
    if (range.top < 1 || range.right > 16384) needs(`merge "${ref}"`);
    merges.push(range);
  }
  merges.sort((x, y) => x.top - y.top || x.left - y.left);
  // ExcelJS refuses overlapping merged areas (the whole workbook): let it say so. Sorted by top, so
  // only areas starting above another's bottom can meet it.
  for (let i = 0; i < merges.length; i++) {
    for (let j = i + 1; j < merges.length && merges[j].top <= merges[i].bottom; j++) {
      if (merges[j].left <= merges[i].right && merges[j].right >= merges[i].left) needs(`merged areas overlap at ${a1(merges[j].top, merges[j].left)}`);
    }
  }
  return merges;
}

function buildGrid(records: SheetRecords, ctx: Context): Grid {
  const cells = modelCells(records, ctx);
  const merges = readMerges(records.merges);
  // Inside a merged area only the top-left cell keeps its value (ExcelJS turns the others into placeholders).
  if (merges.length > 0) {
    const byRow = new Map<number, ModelledCell[]>();
    for (const cell of cells) {
      if (!cell.holds) continue;
      const line = byRow.get(cell.row);
      if (line) line.push(cell);
      else byRow.set(cell.row, [cell]);
    }
    for (const m of merges) {
      for (let r = m.top; r <= m.bottom; r++) {
        for (const cell of byRow.get(r) ?? []) {
          if (cell.col < m.left || cell.col > m.right || (r === m.top && cell.col === m.left)) continue;
          cell.holds = false;
          cell.value = null;
          delete cell.formula;
        }
      }
    }
  }
  let top = Infinity;
  let left = Infinity;
  let bottom = -Infinity;
  let right = -Infinity;
  for (const c of cells) {
    if (!c.holds) continue;
    if (c.row < top) top = c.row;
    if (c.row > bottom) bottom = c.row;
    if (c.col < left) left = c.col;
    if (c.col > right) right = c.col;
  }
  for (const m of merges) {
    top = Math.min(top, m.top);
    left = Math.min(left, m.left);
    bottom = Math.max(bottom, m.bottom);
    right = Math.max(right, m.right);
  }
  if (top === Infinity) return { sheet: ctx.sheet, origin: { row: 1, col: 1 }, values: [], formats: [], merges, ...(ctx.date1904 ? { date1904: true } : {}) };
  const bounds = { top, left, bottom, right };
  const height = bottom - top + 1;
  const width = right - left + 1;
  if (height * width > ctx.maxCells) throw sheetTooLarge(ctx.file, ctx.sheet, bounds, ctx.maxCells);

  // Formats of cells that are not there: the row's style, else the column's (ExcelJS's order).
  const rowFormat = (r: number): string | undefined => {
    const id = records.rowStyles.get(r);
    return id ? (ctx.styles.formatOf(id)?.numFmt ?? undefined) : undefined;
  };
  const columnFormats = columnFormatsOf(records.cols, ctx.styles);
  const values: CellValue[][] = [];
  const formats: string[][] = [];
  for (let r = top; r <= bottom; r++) {
    values.push(new Array<CellValue>(width).fill(null));
    const fallback = rowFormat(r);
    const line = new Array<string>(width);
    for (let c = left; c <= right; c++) line[c - left] = fallback || columnFormats[c - 1] || 'General';
    formats.push(line);
  }
  const formulas: Record<string, string> = {};
  let hasFormulas = false;
  for (const c of cells) {
    if (c.row < top || c.row > bottom || c.col < left || c.col > right) continue;
    formats[c.row - top][c.col - left] = c.numFmt || 'General';
    if (!c.holds) continue;
    values[c.row - top][c.col - left] = c.value;
    if (c.formula) {
      formulas[a1(c.row, c.col)] = c.formula;
      hasFormulas = true;
    }
  }
  const grid: Grid = { sheet: ctx.sheet, origin: { row: top, col: left }, values, formats, merges };
  if (hasFormulas) grid.formulas = formulas;
  // Serials stay as the file stores them; the grid says which system they count in (core/grid.ts).
  if (ctx.date1904) grid.date1904 = true;
  return grid;
}

/** ExcelJS's Column.fromModel: cols sorted by min, each column taking the first <col> that reaches it. */
function columnFormatsOf(cols: SheetRecords['cols'], styles: Styles): (string | undefined)[] {
  const formats: (string | undefined)[] = [];
  let count = 1;
  for (const col of [...cols].sort((a, b) => a.min - b.min)) {
    while (count < col.min) {
      formats.push(undefined);
      count++;
    }
    const numFmt = col.styleId ? (styles.formatOf(col.styleId)?.numFmt ?? undefined) : undefined;
    while (count <= col.max) {
      formats.push(numFmt);
      count++;
    }
  }
  return formats;
}

// ---------------------------------------------------------------------------------------------
// The workbook

/** Guards every part ExcelJS would parse as a worksheet, and checks the parts it parses besides. */
export function guardWorksheets(parts: Map<string, Buffer>, names: string[], sheetNames: Map<string, string>, file: string, maxCells: number): void {
  for (const name of names) {
    if (!WORKSHEET.test(name)) continue;
    const xml = text(parts.get(name));
    if (xml === undefined) continue;
    const guard = new SheetGuard(file, sheetNames.get(name) ?? name, maxCells);
    scanXml(xml, {
      open: (n, attrs) => guard.open(n, attrs),
      close: (n) => guard.close(n),
      text: (t) => guard.text(t),
      get wantsText() {
        return guard.wantsText;
      },
    });
  }
}

/** Which zip entries the readers need inflated and kept. */
export function isWorkbookPart(name: string): boolean {
  return FIXED_PARTS.has(name) || WORKSHEET.test(name) || WORKSHEET_RELS.test(name);
}

/** Sheet names by worksheet part, from workbook.xml and its relationships (for messages), as far as they can be read. */
export function sheetNamesByPart(parts: Map<string, Buffer>): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const book = readWorkbookPart(text(parts.get('xl/workbook.xml')) ?? '');
    const rels = readRelationships(text(parts.get('xl/_rels/workbook.xml.rels')) ?? '', 'workbook.xml.rels');
    for (const sheet of book.sheets) {
      const rel = rels.find((r) => r.id === sheet.rId);
      if (rel) out.set(`xl/${rel.target.replace(/^(\s|\/xl\/)+/, '')}`, sheet.name);
    }
  } catch {
    // Names are only for messages; a part without one is named by its path.
  }
  return out;
}

/**
 * The workbook's grids, read from its XML, or `{ fallback }` when it needs ExcelJS. Throws
 * UnreadableWorkbookError for what no reader may read: a damaged or hostile zip, a sheet that declares
 * too much (sheetGuard), a sheet too large, a workbook with nothing in it.
 */
export function readGridsFromXml(bytes: Buffer, file: string, options: XmlReadOptions = {}): GridsFromXml | NeedsExcelJs {
  const zip = inspectZip(bytes, file, options.zipLimits, isWorkbookPart);
  const maxCells = options.maxCellsPerSheet ?? DEFAULT_MAX_CELLS_PER_SHEET;
  const sheetNames = sheetNamesByPart(zip.parts);
  try {
    return readParts(zip.parts, zip.names, zip.duplicates, file, maxCells, sheetNames, zip.hasMacros);
  } catch (error) {
    if (!(error instanceof Fallback)) throw error;
    // ExcelJS reads it; every worksheet part it would parse is guarded first.
    guardWorksheets(zip.parts, zip.names, sheetNames, file, maxCells);
    return { fallback: error.message };
  }
}

function readParts(
  parts: Map<string, Buffer>,
  names: string[],
  duplicates: Set<string>,
  file: string,
  maxCells: number,
  sheetNames: Map<string, string>,
  hasMacros: boolean,
): GridsFromXml {
  for (const name of names) {
    if (LEFT_TO_EXCELJS.some((p) => p.test(name))) needs(`part ${name}`);
    if ((WORKSHEET.test(name) && !WORKSHEET_EXACT.test(name)) || (WORKSHEET_RELS.test(name) && !/^xl\/worksheets\/_rels\/sheet\d+\.xml\.rels$/.test(name))) needs(`part ${name}`);
    if (isWorkbookPart(name) && duplicates.has(name)) needs(`${name} twice`);
  }
  const rootRels = text(parts.get('_rels/.rels'));
  if (rootRels !== undefined) readRelationships(rootRels, '_rels/.rels');
  const app = text(parts.get('docProps/app.xml'));
  if (app !== undefined) scan(app, { open() {}, close() {} }, 'docProps/app.xml');
  const core = text(parts.get('docProps/core.xml'));
  if (core !== undefined) checkCoreProperties(core);

  const book = readWorkbookPart(text(parts.get('xl/workbook.xml'))!);
  const relsXml = text(parts.get('xl/_rels/workbook.xml.rels'));
  if (relsXml === undefined) needs('no workbook relationships');
  const rels = new Map(readRelationships(relsXml, 'xl/_rels/workbook.xml.rels').map((r) => [r.id, r]));
  const stringsXml = text(parts.get('xl/sharedStrings.xml'));
  const strings = stringsXml === undefined ? undefined : readSharedStrings(stringsXml);
  const styles = readStyles(text(parts.get('xl/styles.xml')));

  // Which sheets, in which order (ExcelJS: referenced worksheet parts, by their place in workbook.xml).
  const ids = new Set<number>();
  const used = new Set<string>();
  const sheets: { name: string; state?: string; path: string }[] = [];
  for (const sheet of book.sheets) {
    if (!Number.isInteger(sheet.id) || sheet.id < 1 || ids.has(sheet.id)) needs('sheet ids');
    ids.add(sheet.id);
    const rel = rels.get(sheet.rId);
    if (!rel) needs(`sheet ${sheet.name} without a relationship`);
    const path = `xl/${rel.target.replace(/^(\s|\/xl\/)+/, '')}`;
    if (!parts.has(path) || !WORKSHEET_EXACT.test(path)) {
      if (WORKSHEET.test(path) || !/chartsheet|dialogsheet|macrosheet/i.test(rel.type)) needs(`sheet ${sheet.name} at ${path}`);
      continue;
    }
    if (used.has(path)) needs(`${path} used twice`);
    used.add(path);
    sheets.push({ name: sheet.name, state: sheet.state, path });
  }
  for (const area of book.printAreas) {
    if (area.localSheetId !== undefined && sheets[area.localSheetId] && printAreaRanges(area.text).length === 0) needs('a print area ExcelJS cannot read');
  }

  // Every worksheet part is parsed by ExcelJS, referenced or not: read (or at least guard) them all.
  const grids = new Map<string, Grid>();
  for (const name of names) {
    if (!WORKSHEET_EXACT.test(name)) continue;
    const relsName = name.replace(/^xl\/worksheets\//, 'xl/worksheets/_rels/') + '.rels';
    const sheetRels = text(parts.get(relsName));
    if (sheetRels !== undefined && readRelationships(sheetRels, relsName).some((r) => r.type !== PRINTER_SETTINGS)) needs(`${relsName}`);
    const sheet = sheets.find((s) => s.path === name);
    const sheetName = sheet?.name ?? sheetNames.get(name) ?? name;
    const guard = new SheetGuard(file, sheetName, maxCells);
    const records = readSheetRecords(text(parts.get(name))!, guard, name);
    if (sheet) grids.set(name, buildGrid(records, { file, sheet: sheetName, strings, styles, date1904: book.date1904, maxCells }));
  }
  for (const name of names) {
    if (WORKSHEET_RELS.test(name) && !grids.has(name.replace('/_rels/', '/').replace(/\.rels$/, ''))) {
      // Relationships of a sheet that is not read still get parsed by ExcelJS.
      readRelationships(text(parts.get(name))!, name);
    }
  }
  const out = sheets.map((s) => grids.get(s.path)!);
  if (out.every((g) => g.values.length === 0)) throw noContent(file);
  return { sheets: out, hiddenSheets: sheets.filter((s) => s.state === 'hidden' || s.state === 'veryHidden').map((s) => s.name), hasMacros };
}

/** Every sheet is empty: the one reason both readers give. */
export function noContent(file: string): UnreadableWorkbookError {
  return new UnreadableWorkbookError(file, msg('workbook.no-content', { file: displayName(file) }), 'no-content');
}
