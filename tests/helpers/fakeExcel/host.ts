// An in-memory fake of the part of Office.js the add-in uses (Excel.run, RequestContext, worksheets,
// ranges, formats, merges, notes, comments, shapes, tables, protection, events, document settings and
// getFileAsync), over the workbook model of tests/helpers/fakeExcel/model.ts. It keeps Office.js's contract:
// proxies queue their work; properties can be read only after load() and a context.sync() (else
// PropertyNotLoaded); errors surface at sync with Excel's codes, after the operations before them
// ran; *OrNullObject gives isNullObject after a sync; APIs above the host's requirement set fail with
// ApiNotFound; a request or answer above 5 MB fails as on Excel on the web. Every sync is counted.
// Browser-safe (no Node built-ins): the browser test bundles it as the task pane's office.js.
import type { CellRange } from '../../../core/grid';
import {
  addressSheet,
  cellAt,
  cellKey,
  cloneSheet,
  contains,
  ensureCell,
  FakeExcelError,
  hasContent,
  intersects,
  isValidSheetName,
  isValidTableName,
  keyCol,
  keyRow,
  MAX_COLS,
  MAX_ROWS,
  mergeAt,
  newId,
  newSheet,
  parseAddress,
  rectAddress,
  shownValue,
  typeIn,
  usedRect,
  type Cell,
  type CommentModel,
  type Scalar,
  type ShapeModel,
  type SheetModel,
  type TableModel,
} from './model';

export { FakeExcelError } from './model';

/** Excel on the web's payload limit for a request and for its answer. */
export const PAYLOAD_LIMIT = 5 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// The workbook the host holds

export class FakeWorkbook {
  sheets: SheetModel[] = [];
  activeId = '';
  selection?: { sheetId: string; address: string };
  comments: CommentModel[] = [];
  settings = new Map<string, unknown>();
  /** Every context.sync() of every Excel.run. */
  syncs = 0;
  /** Bytes of the largest request sent and answer delivered. */
  largestRequest = 0;
  largestAnswer = 0;
  activatedHandlers: ((args: { type: string; worksheetId: string; source: string }) => unknown)[] = [];
  url = '';
  /** The workbook counts days from 1904-01-01 (Mac): Range.values shows its serials, 1462 below the 1900 system's. */
  date1904 = false;

  constructor(names: string[] = ['Sheet1']) {
    for (const name of names) this.sheets.push(newSheet(name));
    this.activeId = this.sheets[0]?.id ?? '';
  }

  sheet(name: string): SheetModel {
    const s = this.find(name);
    if (!s) throw new Error(`fake workbook has no sheet ${name}`);
    return s;
  }

  find(name: string): SheetModel | undefined {
    const key = name.toLowerCase();
    return this.sheets.find((s) => s.name.toLowerCase() === key);
  }

  get active(): SheetModel {
    return this.sheets.find((s) => s.id === this.activeId)!;
  }

  /** The clerk clicks a sheet tab: it becomes active and onActivated handlers run. */
  async activate(name: string): Promise<void> {
    this.setActive(this.sheet(name));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }

  setActive(sheet: SheetModel): void {
    if (this.activeId === sheet.id) return;
    this.activeId = sheet.id;
    for (const h of this.activatedHandlers) void h({ type: 'WorksheetActivated', worksheetId: sheet.id, source: 'Local' });
  }

  /** Types into a cell as a clerk would (no protection check: Excel's own UI is not under test). */
  type(sheetName: string, address: string, text: string | number): void {
    const sheet = this.sheet(sheetName);
    const { rect } = parseAddress(address);
    const cell = ensureCell(sheet, rect.top, rect.left);
    if (typeof text === 'number') {
      cell.value = text;
      delete cell.formula;
      return;
    }
    const typed = typeIn(text, cell.format);
    cell.value = typed.value;
    cell.formula = typed.formula;
    if (typed.impliedFormat && cell.format === 'General') cell.format = typed.impliedFormat;
  }

  /** What Range.values would show for a cell. */
  value(sheetName: string, address: string): Scalar {
    const { rect } = parseAddress(address);
    return shownValue(this.sheet(sheetName), rect.top, rect.left);
  }

  cell(sheetName: string, address: string): Cell | undefined {
    const { rect } = parseAddress(address);
    return cellAt(this.sheet(sheetName), rect.top, rect.left);
  }

  /** Tab order. */
  names(): string[] {
    return this.sheets.map((s) => s.name);
  }
}

// ---------------------------------------------------------------------------------------------
// Requirement sets

export interface HostOptions {
  /** Highest ExcelApi version the host supports (default 1.18: everything the add-in can use). */
  apiVersion?: string;
  /**
   * What getMergedAreasOrNullObject reports for a range (office-js issue #3611: never an area whose
   * top-left cell is outside the range). 'clipped' (the default): every area that meets the range, cut
   * to the range, so an area across two bands comes back as two pieces; 'top-left': only the areas whose
   * top-left cell is in the range, whole.
   */
  mergedAreas?: 'clipped' | 'top-left';
  /**
   * Where Excel runs. 'iOS' (Excel on iPad) has neither the File nor the CompressedFile requirement
   * set, and no document.getFileAsync.
   */
  platform?: 'PC' | 'OfficeOnline' | 'Mac' | 'iOS';
  /** Office.context.partitionKey: set where Office partitions the add-in's storage (Office on the web). */
  partitionKey?: string;
  /** Office.context.displayLanguage: the language of Office's own interface (default en-US, as an English Office says). */
  displayLanguage?: string;
  /** The document's bytes, for getFileAsync (the browser test makes them in Node). */
  fileBytes?: (workbook: FakeWorkbook) => Uint8Array | Promise<Uint8Array>;
}

function versionAtLeast(have: string, need: string): boolean {
  const [a1, a2] = have.split('.').map(Number);
  const [b1, b2] = need.split('.').map(Number);
  return a1 > b1 || (a1 === b1 && a2 >= b2);
}

// ---------------------------------------------------------------------------------------------
// Load specifications

type LoadTree = { [name: string]: LoadTree };

function parseLoad(spec: unknown): LoadTree | undefined {
  if (spec === undefined || spec === null) return undefined;
  const paths: string[] = [];
  if (typeof spec === 'string') paths.push(...spec.split(','));
  else if (Array.isArray(spec)) paths.push(...spec.flatMap((s) => String(s).split(',')));
  else if (typeof spec === 'object') {
    const o = spec as { select?: string; expand?: string };
    if (o.select) paths.push(...o.select.split(','));
    if (o.expand) paths.push(...o.expand.split(','));
  }
  const tree: LoadTree = {};
  for (const path of paths.map((p) => p.trim()).filter(Boolean)) {
    let node = tree;
    for (const part of path.split('/')) node = node[part] ??= {};
  }
  return tree;
}

function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? (i++, 4) : 3;
  }
  return n;
}

const sizeOf = (v: unknown) => utf8Bytes(JSON.stringify(v) ?? '');

// ---------------------------------------------------------------------------------------------
// Request context: the queue of one batch

interface Operation {
  /** Request bytes this operation sends. */
  bytes: number;
  run: () => void;
}

export class FakeRequestContext {
  readonly workbook: FakeWorkbookProxy;
  private queue: Operation[] = [];
  private staged: (() => void)[] = [];
  private answerBytes = 0;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly orNull: FakeObject<any>[] = [];
  closed = false;
  syncs = 0;

  constructor(
    readonly host: FakeWorkbook,
    readonly options: Required<Pick<HostOptions, 'apiVersion' | 'mergedAreas'>>,
  ) {
    this.workbook = new FakeWorkbookProxy(this, () => host);
  }

  requires(version: string, what: string): void {
    if (!versionAtLeast(this.options.apiVersion, version)) {
      throw new FakeExcelError('ApiNotFound', `The API you are trying to use could not be found. (${what} needs ExcelApi ${version})`);
    }
  }

  enqueue(op: Operation): void {
    if (this.closed) throw new FakeExcelError('InvalidObjectPath', 'The object path is not valid: the request context has ended (object used outside its Excel.run).');
    this.queue.push(op);
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  trackOrNull(object: FakeObject<any>): void {
    this.orNull.push(object);
  }

  /** A loaded value, made visible when the sync succeeds; counted in the answer's size. */
  stage(apply: () => void, bytes: number): void {
    this.staged.push(apply);
    this.answerBytes += bytes;
  }

  async sync(): Promise<void> {
    if (this.closed) throw new FakeExcelError('InvalidObjectPath', 'The request context has ended.');
    this.syncs++;
    this.host.syncs++;
    const ops = this.queue;
    const pendingNull = this.orNull.splice(0);
    this.queue = [];
    this.staged = [];
    this.answerBytes = 0;
    await Promise.resolve();
    const requestBytes = ops.reduce((n, op) => n + op.bytes + 40, 0);
    this.host.largestRequest = Math.max(this.host.largestRequest, requestBytes);
    if (requestBytes > PAYLOAD_LIMIT) {
      throw new FakeExcelError('RequestPayloadSizeLimitExceeded', `The request payload size has exceeded the limit (${requestBytes} bytes).`);
    }
    for (const op of ops) op.run();
    for (const object of pendingNull) object.settleNull();
    if (this.answerBytes > PAYLOAD_LIMIT) {
      this.staged = [];
      throw new FakeExcelError('ResponsePayloadSizeLimitExceeded', `The response payload size has exceeded the limit (${this.answerBytes} bytes).`);
    }
    this.host.largestAnswer = Math.max(this.host.largestAnswer, this.answerBytes);
    for (const apply of this.staged) apply();
    this.staged = [];
  }

  get pending(): number {
    return this.queue.length;
  }
}

// ---------------------------------------------------------------------------------------------
// Proxy objects

type Resolver<M> = () => M | null;

abstract class FakeObject<M> {
  private readonly loadedValues = new Map<string, unknown>();
  private nullState?: boolean;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly children = new Map<string, FakeObject<any>>();

  constructor(
    readonly context: FakeRequestContext,
    protected readonly resolver: Resolver<M>,
    private readonly orNull = false,
  ) {
    if (orNull) context.trackOrNull(this);
  }

  /** Scalar properties a load can fetch: name → reader of the model. */
  protected abstract scalars(): Record<string, (m: M) => unknown>;
  /** Navigation properties a load path can go through. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected navigation(_name: string): FakeObject<any> | undefined {
    return undefined;
  }
  protected kind(): string {
    return this.constructor.name.replace(/^Fake/, '');
  }

  get isNullObject(): boolean {
    if (this.nullState === undefined) {
      throw new FakeExcelError('PropertyNotLoaded', 'The property \'isNullObject\' is not available. Call context.sync() first.');
    }
    return this.nullState;
  }

  /** The model, or an error: ItemNotFound for a missing item, or for work on a null object. */
  model(): M {
    const m = this.resolver();
    if (m === null) throw new FakeExcelError('ItemNotFound', `The requested resource doesn't exist. (${this.kind()})`);
    return m;
  }

  settleNull(): void {
    if (this.nullState !== undefined) return;
    try {
      this.nullState = this.resolver() === null;
    } catch {
      this.nullState = true;
    }
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected child<T extends FakeObject<any>>(name: string, make: () => T): T {
    if (!this.children.has(name)) this.children.set(name, make());
    return this.children.get(name) as T;
  }

  protected read<T>(name: string): T {
    if (!this.loadedValues.has(name)) {
      throw new FakeExcelError(
        'PropertyNotLoaded',
        `The property '${name}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      );
    }
    return this.loadedValues.get(name) as T;
  }

  /** Queues a change of the model. */
  protected change(bytes: number, apply: (m: M) => void): void {
    this.context.enqueue({ bytes, run: () => apply(this.model()) });
  }

  load(spec?: unknown): this {
    const tree = parseLoad(spec);
    this.context.enqueue({ bytes: sizeOf(spec ?? ''), run: () => this.fetch(tree) });
    return this;
  }

  /** At sync: reads the loaded properties from the model (nothing on a null object). */
  fetch(tree: LoadTree | undefined): void {
    const m = this.resolver();
    if (this.orNull) this.nullState = m === null;
    if (m === null) {
      if (this.orNull) return;
      throw new FakeExcelError('ItemNotFound', `The requested resource doesn't exist. (${this.kind()})`);
    }
    const scalars = this.scalars();
    const names = tree ? Object.keys(tree) : Object.keys(scalars);
    for (const name of names) {
      if (scalars[name]) {
        const value = structuredCloneSafe(scalars[name](m));
        this.context.stage(() => this.loadedValues.set(name, value), sizeOf(value) + name.length + 4);
        continue;
      }
      const nav = this.navigation(name);
      if (!nav) throw new FakeExcelError('InvalidArgument', `Property '${name}' does not exist on ${this.kind()}.`);
      nav.fetch(tree && Object.keys(tree[name]).length > 0 ? tree[name] : undefined);
    }
  }

  /** For collections: items loaded. */
  protected setLoaded(name: string, value: unknown, bytes: number): void {
    this.context.stage(() => this.loadedValues.set(name, value), bytes);
  }

  toJSON(): Record<string, unknown> {
    return Object.fromEntries(this.loadedValues);
  }
}

function structuredCloneSafe<T>(v: T): T {
  return v === undefined || v === null || typeof v !== 'object' ? v : JSON.parse(JSON.stringify(v));
}

// ---------------------------------------------------------------------------------------------
// Workbook and worksheets

export class FakeWorkbookProxy extends FakeObject<FakeWorkbook> {
  protected scalars() {
    return {};
  }
  get worksheets(): FakeWorksheetCollection {
    return this.child('worksheets', () => new FakeWorksheetCollection(this.context, this.resolver));
  }
  get comments(): FakeCommentCollection {
    this.context.requires('1.10', 'workbook.comments');
    return this.child('comments', () => new FakeCommentCollection(this.context, this.resolver));
  }
  get tables(): FakeTableCollection {
    return this.child('tables', () => new FakeTableCollection(this.context, () => ({ host: this.model(), sheet: undefined })));
  }
  get functions(): FakeFunctions {
    this.context.requires('1.2', 'workbook.functions');
    return this.child('functions', () => new FakeFunctions(this.context, this.resolver));
  }
}

/** Workbook.functions: only DATE, which answers in the workbook's date system as Excel's DATE does. */
class FakeFunctions extends FakeObject<FakeWorkbook> {
  protected scalars() {
    return {};
  }
  date(year: number, month: number, day: number): FakeFunctionResult {
    return new FakeFunctionResult(this.context, () => {
      const host = this.resolver();
      if (!host) return null;
      const serial = Math.round((Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000);
      return { value: host.date1904 ? serial - 1462 : serial };
    });
  }
}

class FakeFunctionResult extends FakeObject<{ value: number }> {
  protected scalars() {
    return { value: (m: { value: number }) => m.value };
  }
  get value(): number {
    return this.read('value');
  }
}

class FakeEventHandlers {
  constructor(
    private readonly context: FakeRequestContext,
    private readonly list: () => FakeWorkbook['activatedHandlers'],
  ) {}
  add(handler: (args: { type: string; worksheetId: string; source: string }) => unknown): { remove: () => void } {
    this.context.requires('1.7', 'worksheets.onActivated');
    this.context.enqueue({ bytes: 50, run: () => this.list().push(handler) });
    return {
      remove: () => {
        const l = this.list();
        const i = l.indexOf(handler);
        if (i >= 0) l.splice(i, 1);
      },
    };
  }
}

export class FakeWorksheetCollection extends FakeObject<FakeWorkbook> {
  protected scalars() {
    return {};
  }
  get items(): FakeWorksheet[] {
    return this.read('items');
  }
  get onActivated(): FakeEventHandlers {
    return new FakeEventHandlers(this.context, () => this.model().activatedHandlers);
  }
  override fetch(tree: LoadTree | undefined): void {
    const host = this.model();
    const sub = tree?.items;
    const items = host.sheets.map((s) => {
      const id = s.id;
      const ws = new FakeWorksheet(this.context, () => host.sheets.find((x) => x.id === id) ?? null);
      ws.fetch(sub && Object.keys(sub).length > 0 ? sub : undefined);
      return ws;
    });
    this.setLoaded('items', items, 2);
  }
  getItem(key: string): FakeWorksheet {
    return new FakeWorksheet(this.context, () => {
      const host = this.model();
      const s = host.find(key) ?? host.sheets.find((x) => x.id === key);
      if (!s) throw new FakeExcelError('ItemNotFound', `The requested resource doesn't exist. (worksheet ${key})`);
      return s;
    });
  }
  getItemOrNullObject(key: string): FakeWorksheet {
    return new FakeWorksheet(this.context, () => this.model().find(key) ?? this.model().sheets.find((x) => x.id === key) ?? null, true);
  }
  getActiveWorksheet(): FakeWorksheet {
    let pinned: SheetModel | undefined;
    return new FakeWorksheet(this.context, () => (pinned ??= this.model().active));
  }
  add(name?: string): FakeWorksheet {
    let made: SheetModel | undefined;
    this.context.enqueue({
      bytes: 60,
      run: () => {
        const host = this.model();
        const sheetName = name ?? nextSheetName(host);
        if (!isValidSheetName(sheetName)) throw new FakeExcelError('InvalidArgument', `The sheet name "${sheetName}" is not valid.`);
        if (host.find(sheetName)) throw new FakeExcelError('ItemAlreadyExists', `A resource with the same name or identifier already exists. (${sheetName})`);
        made = newSheet(sheetName);
        host.sheets.push(made);
      },
    });
    return new FakeWorksheet(this.context, () => {
      if (!made) throw new FakeExcelError('InvalidObjectPath', 'The worksheet has not been added yet (sync first).');
      return made;
    });
  }
}

function nextSheetName(host: FakeWorkbook): string {
  for (let n = host.sheets.length + 1; ; n++) if (!host.find(`Sheet${n}`)) return `Sheet${n}`;
}

export class FakeWorksheet extends FakeObject<SheetModel> {
  protected scalars() {
    return {
      name: (s: SheetModel) => s.name,
      id: (s: SheetModel) => s.id,
      position: (s: SheetModel) => this.host().sheets.indexOf(s),
      visibility: (s: SheetModel) => s.visibility,
    };
  }
  protected override navigation(name: string) {
    if (name === 'protection') return this.protection;
    return undefined;
  }
  private host(): FakeWorkbook {
    return this.context.host;
  }
  get name(): string {
    return this.read('name');
  }
  set name(value: string) {
    this.change(sizeOf(value), (s) => {
      if (!isValidSheetName(value)) throw new FakeExcelError('InvalidArgument', `The sheet name "${value}" is not valid.`);
      const other = this.host().find(value);
      if (other && other !== s) throw new FakeExcelError('ItemAlreadyExists', `A resource with the same name or identifier already exists. (${value})`);
      s.name = value;
    });
  }
  get id(): string {
    return this.read('id');
  }
  get position(): number {
    return this.read('position');
  }
  set position(value: number) {
    this.change(20, (s) => {
      const sheets = this.host().sheets;
      if (value < 0 || value >= sheets.length) throw new FakeExcelError('InvalidArgument', `Position ${value} is out of range.`);
      sheets.splice(sheets.indexOf(s), 1);
      sheets.splice(value, 0, s);
    });
  }
  get visibility(): string {
    return this.read('visibility');
  }
  get protection(): FakeWorksheetProtection {
    return this.child('protection', () => new FakeWorksheetProtection(this.context, this.resolver));
  }
  get freezePanes(): { freezeRows: (count?: number) => void } {
    this.context.requires('1.7', 'freezePanes');
    return { freezeRows: (count = 1) => this.change(20, (s) => void (s.frozenRows = count)) };
  }
  get pageLayout(): FakePageLayout {
    this.context.requires('1.9', 'pageLayout');
    return this.child('pageLayout', () => new FakePageLayout(this.context, this.resolver));
  }
  get notes(): FakeNoteCollection {
    this.context.requires('1.18', 'worksheet.notes');
    return this.child('notes', () => new FakeNoteCollection(this.context, this.resolver));
  }
  get shapes(): FakeShapeCollection {
    this.context.requires('1.9', 'worksheet.shapes');
    return this.child('shapes', () => new FakeShapeCollection(this.context, this.resolver));
  }
  get tables(): FakeTableCollection {
    return this.child('tables', () => new FakeTableCollection(this.context, () => ({ host: this.host(), sheet: this.model() })));
  }
  getRange(address?: string): FakeRange {
    return new FakeRange(this.context, () => {
      const sheet = this.model();
      if (address === undefined) return { sheet, rect: { top: 1, left: 1, bottom: MAX_ROWS, right: MAX_COLS } };
      const parsed = parseAddress(address);
      if (parsed.sheet !== undefined && parsed.sheet.toLowerCase() !== sheet.name.toLowerCase()) {
        throw new FakeExcelError('InvalidArgument', `The address ${address} is not on sheet ${sheet.name}.`);
      }
      return { sheet, rect: parsed.rect };
    });
  }
  getRangeByIndexes(startRow: number, startColumn: number, rowCount: number, columnCount: number): FakeRange {
    this.context.requires('1.7', 'getRangeByIndexes');
    return new FakeRange(this.context, () => {
      if (rowCount < 1 || columnCount < 1) throw new FakeExcelError('InvalidArgument', 'rowCount and columnCount must be positive.');
      return { sheet: this.model(), rect: { top: startRow + 1, left: startColumn + 1, bottom: startRow + rowCount, right: startColumn + columnCount } };
    });
  }
  getUsedRange(valuesOnly = false): FakeRange {
    return new FakeRange(this.context, () => {
      const sheet = this.model();
      return { sheet, rect: usedRect(sheet, valuesOnly) ?? { top: 1, left: 1, bottom: 1, right: 1 } };
    });
  }
  getUsedRangeOrNullObject(valuesOnly = false): FakeRange {
    this.context.requires('1.4', 'getUsedRangeOrNullObject');
    return new FakeRange(
      this.context,
      () => {
        const sheet = this.resolver();
        if (!sheet) return null;
        const rect = usedRect(sheet, valuesOnly);
        return rect ? { sheet, rect } : null;
      },
      true,
    );
  }
  activate(): void {
    this.change(20, (s) => {
      if (s.visibility !== 'Visible') throw new FakeExcelError('InvalidOperation', 'A hidden sheet cannot be activated.');
      this.host().setActive(s);
    });
  }
  delete(): void {
    this.change(20, (s) => {
      const host = this.host();
      if (host.sheets.filter((x) => x.visibility === 'Visible' && x !== s).length === 0) {
        throw new FakeExcelError('InvalidOperation', 'A workbook must contain at least one visible worksheet.');
      }
      host.sheets.splice(host.sheets.indexOf(s), 1);
      host.comments = host.comments.filter((c) => c.sheetId !== s.id);
      if (host.activeId === s.id) host.setActive(host.sheets.find((x) => x.visibility === 'Visible')!);
    });
  }
  copy(positionType: string = 'None', relativeTo?: FakeWorksheet): FakeWorksheet {
    this.context.requires('1.7', 'worksheet.copy');
    let made: SheetModel | undefined;
    this.change(60, (s) => {
      const host = this.host();
      let n = 2;
      const base = s.name.replace(/ \(\d+\)$/, '');
      while (host.find(`${base} (${n})`)) n++;
      made = cloneSheet(s, `${base.slice(0, 31 - ` (${n})`.length)} (${n})`);
      // Table names are workbook-wide: the copy's tables get new names, as Excel gives them.
      made.tables = s.tables.map((t) => ({ ...t, id: newId('table'), name: uniqueTableName(host, t.name) }));
      const anchor = relativeTo ? relativeTo.model() : undefined;
      if ((positionType === 'Before' || positionType === 'After') && !anchor) throw new FakeExcelError('InvalidArgument', 'relativeTo is required.');
      const at =
        positionType === 'End'
          ? host.sheets.length
          : positionType === 'Before'
            ? host.sheets.indexOf(anchor!)
            : positionType === 'After'
              ? host.sheets.indexOf(anchor!) + 1
              : 0;
      host.sheets.splice(at, 0, made);
    });
    return new FakeWorksheet(this.context, () => {
      if (!made) throw new FakeExcelError('InvalidObjectPath', 'The copy has not been made yet (sync first).');
      return made;
    });
  }
}

function uniqueTableName(host: FakeWorkbook, base: string): string {
  const taken = new Set(host.sheets.flatMap((s) => s.tables.map((t) => t.name.toLowerCase())));
  const stem = base.replace(/\d+$/, '');
  for (let n = 1; ; n++) if (!taken.has(`${stem}${n}`.toLowerCase())) return `${stem}${n}`;
}

class FakeWorksheetProtection extends FakeObject<SheetModel> {
  protected scalars() {
    return {
      protected: (s: SheetModel) => s.protection.protected,
      options: (s: SheetModel) => ({ ...s.protection.options }),
    };
  }
  get protected(): boolean {
    return this.read('protected');
  }
  get options(): Record<string, unknown> {
    return this.read('options');
  }
  protect(options?: Record<string, unknown>, password?: string): void {
    this.change(sizeOf(options ?? {}), (s) => {
      if (s.protection.protected) throw new FakeExcelError('InvalidOperation', 'The worksheet is already protected.');
      s.protection = { protected: true, options: { ...(options ?? {}) }, password };
    });
  }
  unprotect(password?: string): void {
    this.change(30, (s) => {
      if (!s.protection.protected) return;
      if (s.protection.password && s.protection.password !== password) throw new FakeExcelError('InvalidArgument', 'The password is incorrect.');
      s.protection = { protected: false, options: {} };
    });
  }
}

class FakePageLayout extends FakeObject<SheetModel> {
  protected scalars() {
    return {};
  }
  private setter(name: string) {
    return (value: unknown) => this.change(sizeOf(value), (s) => void (s.pageLayout[name] = value));
  }
  set orientation(v: string) {
    this.setter('orientation')(v);
  }
  set paperSize(v: string) {
    this.setter('paperSize')(v);
  }
  set centerHorizontally(v: boolean) {
    this.setter('centerHorizontally')(v);
  }
  set zoom(v: unknown) {
    this.setter('zoom')(v);
  }
  set leftMargin(v: number) {
    this.setter('leftMargin')(v);
  }
  set rightMargin(v: number) {
    this.setter('rightMargin')(v);
  }
  set topMargin(v: number) {
    this.setter('topMargin')(v);
  }
  set bottomMargin(v: number) {
    this.setter('bottomMargin')(v);
  }
  set headerMargin(v: number) {
    this.setter('headerMargin')(v);
  }
  set footerMargin(v: number) {
    this.setter('footerMargin')(v);
  }
  setPrintTitleRows(rows: string): void {
    this.setter('printTitleRows')(rows);
  }
  setPrintArea(area: string): void {
    this.setter('printArea')(area);
  }
  get headersFooters(): { defaultForAllPages: { centerFooter: string } } {
    const setFooter = (v: string) => this.change(sizeOf(v), (s) => void (s.pageLayout.centerFooter = v));
    return {
      defaultForAllPages: {
        get centerFooter(): string {
          throw new FakeExcelError('PropertyNotLoaded', "The property 'centerFooter' is not available.");
        },
        set centerFooter(v: string) {
          setFooter(v);
        },
      },
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Ranges

interface RangeRef {
  sheet: SheetModel;
  rect: CellRange;
}

const height = (r: CellRange) => r.bottom - r.top + 1;
const width = (r: CellRange) => r.right - r.left + 1;

function checkShape(rect: CellRange, values: unknown, what: string): unknown[][] {
  if (!Array.isArray(values) || !values.every(Array.isArray)) throw new FakeExcelError('InvalidArgument', `${what} must be a 2-D array.`);
  const rows = values as unknown[][];
  if (rows.length !== height(rect) || rows.some((r) => r.length !== width(rect))) {
    throw new FakeExcelError('InvalidArgument', `The number of rows or columns in the input array doesn't match the size or dimensions of the range. (${what} ${rows.length}×${rows[0]?.length} for ${rectAddress(rect)})`);
  }
  return rows;
}

/** Excel refuses to change a range that covers part of a merged area (unless it is the area's top-left cell alone). */
function checkMerges(ref: RangeRef, values?: unknown[][]): void {
  for (const m of ref.sheet.merges) {
    if (!intersects(m, ref.rect)) continue;
    const anchorOnly = ref.rect.top === m.top && ref.rect.left === m.left && ref.rect.bottom === m.top && ref.rect.right === m.left;
    if (anchorOnly) continue;
    if (!contains(ref.rect, m)) throw new FakeExcelError('InvalidOperation', `Cannot change part of a merged cell. (${rectAddress(m)})`);
    if (values) {
      for (let r = m.top; r <= m.bottom; r++) {
        for (let c = m.left; c <= m.right; c++) {
          if (r === m.top && c === m.left) continue;
          const v = values[r - ref.rect.top][c - ref.rect.left];
          if (v !== null && v !== '') throw new FakeExcelError('InvalidOperation', `Cannot change part of a merged cell. (${rectAddress(m)})`);
        }
      }
    }
  }
}

function checkProtection(ref: RangeRef, kind: 'contents' | 'format'): void {
  const p = ref.sheet.protection;
  if (!p.protected) return;
  if (kind === 'format' && p.options.allowFormatCells) return;
  for (let r = ref.rect.top; r <= Math.min(ref.rect.bottom, ref.rect.top + 10_000); r++) {
    for (let c = ref.rect.left; c <= Math.min(ref.rect.right, ref.rect.left + 1_000); c++) {
      if (kind === 'format' || cellAt(ref.sheet, r, c)?.locked !== false) {
        throw new FakeExcelError('AccessDenied', `The cell or chart you're trying to change is on a protected sheet. (${ref.sheet.name}!${rectAddress(ref.rect)})`);
      }
    }
  }
}

function eachCell(ref: RangeRef, f: (row: number, col: number) => void): void {
  for (let r = ref.rect.top; r <= ref.rect.bottom; r++) for (let c = ref.rect.left; c <= ref.rect.right; c++) f(r, c);
}

/** Writes one entry of a values/formulas array: null leaves the cell, '' empties it, text is read as typed. */
function writeScalar(sheet: SheetModel, row: number, col: number, v: unknown): void {
  if (v === null || v === undefined) return;
  const cell = ensureCell(sheet, row, col);
  delete cell.quotePrefix;
  if (v === '') {
    delete cell.value;
    delete cell.formula;
    return;
  }
  if (typeof v === 'number' || typeof v === 'boolean') {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new FakeExcelError('InvalidArgument', `${v} is not a valid cell value.`);
    delete cell.formula;
    cell.value = cell.format === '@' && typeof v === 'number' ? String(v) : v;
    return;
  }
  if (typeof v !== 'string') throw new FakeExcelError('InvalidArgument', 'A cell value must be a string, number or boolean.');
  if (v.length > 32_767) throw new FakeExcelError('InvalidArgument', 'Text longer than 32,767 characters.');
  const typed = typeIn(v, cell.format);
  if (typed.formula !== undefined) {
    delete cell.value;
    cell.formula = typed.formula;
  } else {
    delete cell.formula;
    cell.value = typed.value;
    if (typed.quotePrefix) cell.quotePrefix = true;
    if (typed.impliedFormat && cell.format === 'General') cell.format = typed.impliedFormat;
  }
}

export class FakeRange extends FakeObject<RangeRef> {
  protected scalars() {
    return {
      address: (ref: RangeRef) => `${addressSheet(ref.sheet.name)}!${rectAddress(ref.rect)}`,
      values: (ref: RangeRef) => this.grid(ref, (r, c) => shownValue(ref.sheet, r, c)),
      numberFormat: (ref: RangeRef) => this.grid(ref, (r, c) => cellAt(ref.sheet, r, c)?.format ?? 'General'),
      formulas: (ref: RangeRef) =>
        this.grid(ref, (r, c) => {
          const m = mergeAt(ref.sheet, r, c);
          if (m && (m.top !== r || m.left !== c)) return '';
          const cell = cellAt(ref.sheet, r, c);
          return cell?.formula ?? cell?.value ?? '';
        }),
      rowCount: (ref: RangeRef) => height(ref.rect),
      columnCount: (ref: RangeRef) => width(ref.rect),
      rowIndex: (ref: RangeRef) => ref.rect.top - 1,
      columnIndex: (ref: RangeRef) => ref.rect.left - 1,
    };
  }
  protected override navigation(name: string) {
    if (name === 'format') return this.format;
    if (name === 'worksheet') return this.worksheet;
    return undefined;
  }
  private grid<T>(ref: RangeRef, f: (r: number, c: number) => T): T[][] {
    if (height(ref.rect) * width(ref.rect) > 5_000_000) throw new FakeExcelError('ResponsePayloadSizeLimitExceeded', 'The range is too large to read.');
    const out: T[][] = [];
    for (let r = ref.rect.top; r <= ref.rect.bottom; r++) {
      const row: T[] = [];
      for (let c = ref.rect.left; c <= ref.rect.right; c++) row.push(f(r, c));
      out.push(row);
    }
    return out;
  }
  get address(): string {
    return this.read('address');
  }
  get values(): Scalar[][] {
    return this.read('values');
  }
  set values(v: unknown[][]) {
    this.change(sizeOf(v), (ref) => {
      const rows = Array.isArray(v) ? checkShape(ref.rect, v, 'values') : Array.from({ length: height(ref.rect) }, () => Array(width(ref.rect)).fill(v));
      checkMerges(ref, rows);
      checkProtection(ref, 'contents');
      eachCell(ref, (r, c) => writeScalar(ref.sheet, r, c, rows[r - ref.rect.top][c - ref.rect.left]));
    });
  }
  get formulas(): unknown[][] {
    return this.read('formulas');
  }
  set formulas(v: unknown[][]) {
    this.change(sizeOf(v), (ref) => {
      const rows = checkShape(ref.rect, v, 'formulas');
      checkMerges(ref, rows);
      checkProtection(ref, 'contents');
      eachCell(ref, (r, c) => writeScalar(ref.sheet, r, c, rows[r - ref.rect.top][c - ref.rect.left]));
    });
  }
  get numberFormat(): string[][] {
    return this.read('numberFormat');
  }
  set numberFormat(v: unknown[][]) {
    this.change(sizeOf(v), (ref) => {
      const rows = checkShape(ref.rect, v, 'numberFormat');
      checkMerges(ref);
      checkProtection(ref, 'format');
      eachCell(ref, (r, c) => {
        const f = rows[r - ref.rect.top][c - ref.rect.left];
        if (f === null || f === undefined) return;
        if (typeof f !== 'string') throw new FakeExcelError('InvalidArgument', 'A number format must be a string.');
        ensureCell(ref.sheet, r, c).format = f === '' ? 'General' : f;
      });
    });
  }
  get rowCount(): number {
    return this.read('rowCount');
  }
  get columnCount(): number {
    return this.read('columnCount');
  }
  get rowIndex(): number {
    return this.read('rowIndex');
  }
  get columnIndex(): number {
    return this.read('columnIndex');
  }
  get format(): FakeRangeFormat {
    return this.child('format', () => new FakeRangeFormat(this.context, this.resolver));
  }
  get worksheet(): FakeWorksheet {
    return this.child('worksheet', () => new FakeWorksheet(this.context, () => this.model().sheet));
  }
  get dataValidation(): FakeDataValidation {
    this.context.requires('1.8', 'dataValidation');
    return this.child('dataValidation', () => new FakeDataValidation(this.context, this.resolver));
  }
  getCell(row: number, column: number): FakeRange {
    return new FakeRange(this.context, () => {
      const ref = this.model();
      return { sheet: ref.sheet, rect: { top: ref.rect.top + row, left: ref.rect.left + column, bottom: ref.rect.top + row, right: ref.rect.left + column } };
    });
  }
  getMergedAreasOrNullObject(): FakeRangeAreas {
    this.context.requires('1.13', 'getMergedAreasOrNullObject');
    return new FakeRangeAreas(
      this.context,
      () => {
        const ref = this.resolver();
        if (!ref) return null;
        const r = ref.rect;
        const areas =
          this.context.options.mergedAreas === 'top-left'
            ? ref.sheet.merges.filter((m) => m.top >= r.top && m.top <= r.bottom && m.left >= r.left && m.left <= r.right)
            : ref.sheet.merges.filter((m) => intersects(m, r)).map((m) => ({ top: Math.max(m.top, r.top), left: Math.max(m.left, r.left), bottom: Math.min(m.bottom, r.bottom), right: Math.min(m.right, r.right) }));
        if (areas.length > 512) throw new FakeExcelError('GeneralException', `There are more than 512 merged areas in the range (${areas.length}).`);
        return areas.length === 0 ? null : { sheet: ref.sheet, areas };
      },
      true,
    );
  }
  merge(across = false): void {
    this.change(30, (ref) => {
      checkProtection(ref, 'format');
      const rows = across ? Array.from({ length: height(ref.rect) }, (_, i) => ({ ...ref.rect, top: ref.rect.top + i, bottom: ref.rect.top + i })) : [ref.rect];
      for (const area of rows) {
        if (area.top === area.bottom && area.left === area.right) continue;
        if (ref.sheet.merges.some((m) => intersects(m, area) && !contains(area, m))) throw new FakeExcelError('InvalidOperation', 'Cannot merge a range that covers part of a merged cell.');
        ref.sheet.merges = ref.sheet.merges.filter((m) => !contains(area, m));
        // Excel keeps the upper-left value only.
        eachCell({ sheet: ref.sheet, rect: area }, (r, c) => {
          if (r === area.top && c === area.left) return;
          const cell = cellAt(ref.sheet, r, c);
          if (cell) {
            delete cell.value;
            delete cell.formula;
          }
        });
        ref.sheet.merges.push({ ...area });
      }
    });
  }
  unmerge(): void {
    this.change(30, (ref) => {
      checkProtection(ref, 'format');
      ref.sheet.merges = ref.sheet.merges.filter((m) => !intersects(m, ref.rect));
    });
  }
  select(): void {
    this.change(30, (ref) => {
      const host = this.context.host;
      if (host.activeId !== ref.sheet.id) throw new FakeExcelError('InvalidSelection', 'The current selection is invalid for this operation: the range is not on the active sheet.');
      host.selection = { sheetId: ref.sheet.id, address: rectAddress(ref.rect) };
    });
  }
}

class FakeRangeAreas extends FakeObject<{ sheet: SheetModel; areas: CellRange[] }> {
  protected scalars() {
    return {
      address: (m: { sheet: SheetModel; areas: CellRange[] }) => m.areas.map((a) => `${addressSheet(m.sheet.name)}!${rectAddress(a)}`).join(', '),
      areaCount: (m: { sheet: SheetModel; areas: CellRange[] }) => m.areas.length,
    };
  }
  get address(): string {
    return this.read('address');
  }
  get areaCount(): number {
    return this.read('areaCount');
  }
}

class FakeRangeFormat extends FakeObject<RangeRef> {
  protected scalars() {
    const one = <T>(ref: RangeRef, f: (cell: Cell | undefined) => T): T | null => {
      let first: T | undefined;
      let same = true;
      eachCell(ref, (r, c) => {
        const v = f(cellAt(ref.sheet, r, c));
        if (first === undefined) first = v;
        else if (v !== first) same = false;
      });
      return same ? (first as T) : null;
    };
    return {
      horizontalAlignment: (ref: RangeRef) => one(ref, (c) => c?.horizontalAlignment ?? 'General'),
      verticalAlignment: (ref: RangeRef) => one(ref, (c) => c?.verticalAlignment ?? 'Bottom'),
      wrapText: (ref: RangeRef) => one(ref, (c) => c?.wrapText ?? false),
      columnWidth: (ref: RangeRef) => ref.sheet.columnWidths.get(ref.rect.left) ?? 48,
      rowHeight: (ref: RangeRef) => ref.sheet.rowHeights.get(ref.rect.top) ?? 15,
    };
  }
  protected override navigation(name: string) {
    if (name === 'fill') return this.fill;
    if (name === 'font') return this.font;
    if (name === 'protection') return this.protection;
    return undefined;
  }
  get fill(): FakeRangeFill {
    return this.child('fill', () => new FakeRangeFill(this.context, this.resolver));
  }
  get font(): FakeRangeFont {
    return this.child('font', () => new FakeRangeFont(this.context, this.resolver));
  }
  get protection(): FakeFormatProtection {
    return this.child('protection', () => new FakeFormatProtection(this.context, this.resolver));
  }
  get borders(): { getItem: (edge: string) => FakeBorder } {
    return { getItem: (edge: string) => new FakeBorder(this.context, this.resolver, edge) };
  }
  private style(bytes: number, f: (cell: Cell) => void) {
    this.change(bytes, (ref) => {
      checkProtection(ref, 'format');
      eachCell(ref, (r, c) => f(ensureCell(ref.sheet, r, c)));
    });
  }
  get horizontalAlignment(): string {
    return this.read('horizontalAlignment');
  }
  set horizontalAlignment(v: string) {
    this.style(20, (cell) => void (cell.horizontalAlignment = v));
  }
  get verticalAlignment(): string {
    return this.read('verticalAlignment');
  }
  set verticalAlignment(v: string) {
    this.style(20, (cell) => void (cell.verticalAlignment = v));
  }
  get wrapText(): boolean {
    return this.read('wrapText');
  }
  set wrapText(v: boolean) {
    this.style(10, (cell) => void (cell.wrapText = v));
  }
  get columnWidth(): number {
    return this.read('columnWidth');
  }
  set columnWidth(v: number) {
    this.change(20, (ref) => {
      if (!(v >= 0)) throw new FakeExcelError('InvalidArgument', 'Column width must be a positive number.');
      for (let c = ref.rect.left; c <= ref.rect.right; c++) ref.sheet.columnWidths.set(c, v);
    });
  }
  get rowHeight(): number {
    return this.read('rowHeight');
  }
  set rowHeight(v: number) {
    this.change(20, (ref) => {
      if (!(v >= 0 && v <= 409)) throw new FakeExcelError('InvalidArgument', 'Row height must be between 0 and 409 points.');
      for (let r = ref.rect.top; r <= ref.rect.bottom; r++) ref.sheet.rowHeights.set(r, v);
    });
  }
}

const COLOR = /^#?[0-9A-Fa-f]{6}$/;
const normaliseColor = (v: string) => {
  if (!COLOR.test(v)) throw new FakeExcelError('InvalidArgument', `"${v}" is not a colour.`);
  return `#${v.replace('#', '').toUpperCase()}`;
};

class FakeRangeFill extends FakeObject<RangeRef> {
  protected scalars() {
    const one = (ref: RangeRef, f: (cell: Cell | undefined) => string) => {
      const seen = new Set<string>();
      eachCell(ref, (r, c) => void seen.add(f(cellAt(ref.sheet, r, c))));
      return seen.size === 1 ? [...seen][0] : null;
    };
    return {
      color: (ref: RangeRef) => one(ref, (c) => c?.fill?.color ?? '#FFFFFF'),
      pattern: (ref: RangeRef) => {
        this.context.requires('1.9', 'fill.pattern');
        return one(ref, (c) => c?.fill?.pattern ?? 'None');
      },
    };
  }
  get color(): string {
    return this.read('color');
  }
  set color(v: string) {
    this.change(20, (ref) => {
      checkProtection(ref, 'format');
      const color = normaliseColor(v);
      eachCell(ref, (r, c) => void (ensureCell(ref.sheet, r, c).fill = { color, pattern: 'Solid' }));
    });
  }
  get pattern(): string {
    return this.read('pattern');
  }
  clear(): void {
    this.change(20, (ref) => {
      checkProtection(ref, 'format');
      eachCell(ref, (r, c) => void delete ensureCell(ref.sheet, r, c).fill);
    });
  }
}

class FakeRangeFont extends FakeObject<RangeRef> {
  protected scalars() {
    const first = (ref: RangeRef) => cellAt(ref.sheet, ref.rect.top, ref.rect.left)?.font ?? {};
    return {
      name: (ref: RangeRef) => first(ref).name ?? 'Calibri',
      size: (ref: RangeRef) => first(ref).size ?? 11,
      bold: (ref: RangeRef) => first(ref).bold ?? false,
      italic: (ref: RangeRef) => first(ref).italic ?? false,
      color: (ref: RangeRef) => first(ref).color ?? '#000000',
    };
  }
  private set(name: 'name' | 'size' | 'bold' | 'italic' | 'color', v: string | number | boolean) {
    this.change(20, (ref) => {
      checkProtection(ref, 'format');
      const value = name === 'color' ? normaliseColor(String(v)) : v;
      eachCell(ref, (r, c) => {
        const cell = ensureCell(ref.sheet, r, c);
        cell.font = { ...(cell.font ?? {}), [name]: value };
      });
    });
  }
  set name(v: string) {
    this.set('name', v);
  }
  set size(v: number) {
    this.set('size', v);
  }
  set bold(v: boolean) {
    this.set('bold', v);
  }
  set italic(v: boolean) {
    this.set('italic', v);
  }
  set color(v: string) {
    this.set('color', v);
  }
  get bold(): boolean {
    return this.read('bold');
  }
  get size(): number {
    return this.read('size');
  }
}

class FakeFormatProtection extends FakeObject<RangeRef> {
  protected scalars() {
    return { locked: (ref: RangeRef) => cellAt(ref.sheet, ref.rect.top, ref.rect.left)?.locked !== false };
  }
  get locked(): boolean {
    return this.read('locked');
  }
  set locked(v: boolean) {
    this.change(20, (ref) => {
      if (ref.sheet.protection.protected) throw new FakeExcelError('AccessDenied', 'Cannot change cell protection on a protected sheet.');
      eachCell(ref, (r, c) => void (ensureCell(ref.sheet, r, c).locked = v));
    });
  }
}

class FakeBorder extends FakeObject<RangeRef> {
  constructor(
    context: FakeRequestContext,
    resolver: Resolver<RangeRef>,
    private readonly edge: string,
  ) {
    super(context, resolver);
    const edges = ['EdgeTop', 'EdgeBottom', 'EdgeLeft', 'EdgeRight', 'InsideHorizontal', 'InsideVertical', 'DiagonalDown', 'DiagonalUp'];
    if (!edges.includes(edge)) throw new FakeExcelError('InvalidArgument', `Unknown border ${edge}.`);
  }
  protected scalars() {
    return {};
  }
  private set(name: 'style' | 'weight', v: string) {
    this.change(20, (ref) => {
      checkProtection(ref, 'format');
      const { top, left, bottom, right } = ref.rect;
      eachCell(ref, (r, c) => {
        const sides: string[] = [];
        if (this.edge === 'EdgeTop' && r === top) sides.push('top');
        if (this.edge === 'EdgeBottom' && r === bottom) sides.push('bottom');
        if (this.edge === 'EdgeLeft' && c === left) sides.push('left');
        if (this.edge === 'EdgeRight' && c === right) sides.push('right');
        if (this.edge === 'InsideHorizontal') {
          if (r > top) sides.push('top');
          if (r < bottom) sides.push('bottom');
        }
        if (this.edge === 'InsideVertical') {
          if (c > left) sides.push('left');
          if (c < right) sides.push('right');
        }
        if (sides.length === 0) return;
        const cell = ensureCell(ref.sheet, r, c);
        cell.borders ??= {};
        for (const side of sides) cell.borders[side] = { ...(cell.borders[side] ?? { style: 'Continuous', weight: 'Thin' }), [name]: v };
      });
    });
  }
  set style(v: string) {
    this.set('style', v);
  }
  set weight(v: string) {
    this.set('weight', v);
  }
}

class FakeDataValidation extends FakeObject<RangeRef> {
  protected scalars() {
    return { rule: (ref: RangeRef) => cellAt(ref.sheet, ref.rect.top, ref.rect.left)?.validation?.rule ?? null };
  }
  private set(name: 'rule' | 'prompt' | 'errorAlert' | 'ignoreBlanks', v: unknown) {
    this.change(sizeOf(v), (ref) => {
      checkProtection(ref, 'format');
      if (name === 'prompt' && typeof (v as { message?: string }).message === 'string' && (v as { message: string }).message.length > 255) {
        throw new FakeExcelError('InvalidArgument', 'A data validation prompt is limited to 255 characters.');
      }
      eachCell(ref, (r, c) => {
        const cell = ensureCell(ref.sheet, r, c);
        cell.validation = { ...(cell.validation ?? {}), [name]: structuredCloneSafe(v) };
      });
    });
  }
  set rule(v: unknown) {
    this.set('rule', v);
  }
  set prompt(v: unknown) {
    this.set('prompt', v);
  }
  set errorAlert(v: unknown) {
    this.set('errorAlert', v);
  }
  set ignoreBlanks(v: boolean) {
    this.set('ignoreBlanks', v);
  }
}

// ---------------------------------------------------------------------------------------------
// Notes and comments

function singleCell(address: string | FakeRange, sheetName?: string): { sheet?: string; cell: string } {
  if (typeof address !== 'string') {
    const ref = address.model();
    if (ref.rect.top !== ref.rect.bottom || ref.rect.left !== ref.rect.right) throw new FakeExcelError('InvalidCellAddress', 'A note or comment belongs to one cell.');
    return { sheet: ref.sheet.name, cell: rectAddress(ref.rect) };
  }
  const parsed = parseAddress(address);
  if (parsed.rect.top !== parsed.rect.bottom || parsed.rect.left !== parsed.rect.right) throw new FakeExcelError('InvalidCellAddress', `"${address}" is not a single cell.`);
  return { sheet: parsed.sheet ?? sheetName, cell: rectAddress(parsed.rect) };
}

function checkObjectsEditable(sheet: SheetModel): void {
  if (sheet.protection.protected && !sheet.protection.options.allowEditObjects) {
    throw new FakeExcelError('AccessDenied', `The sheet ${sheet.name} is protected: notes, comments and pictures cannot be changed.`);
  }
}

class FakeNoteCollection extends FakeObject<SheetModel> {
  protected scalars() {
    return {};
  }
  get items(): FakeNote[] {
    return this.read('items');
  }
  override fetch(tree: LoadTree | undefined): void {
    const sheet = this.model();
    const items = sheet.notes.map((n) => {
      const note = new FakeNote(this.context, () => sheet.notes.find((x) => x.cell === n.cell) ?? null);
      note.fetch(tree?.items && Object.keys(tree.items).length ? tree.items : undefined);
      return note;
    });
    this.setLoaded('items', items, 2);
  }
  add(cellAddress: string | FakeRange, content: string): FakeNote {
    let cell = '';
    this.change(sizeOf(content), (sheet) => {
      const where = singleCell(cellAddress, sheet.name);
      if (where.sheet && where.sheet.toLowerCase() !== sheet.name.toLowerCase()) throw new FakeExcelError('InvalidArgument', 'The cell is not on this sheet.');
      checkObjectsEditable(sheet);
      cell = where.cell;
      if (sheet.notes.some((n) => n.cell === cell)) throw new FakeExcelError('InvalidArgument', `The cell ${cell} already has a note.`);
      // Excel keeps one of the two per cell: a note where a threaded comment is, is refused.
      if (this.context.host.comments.some((c) => c.sheetId === sheet.id && c.cell === cell)) throw new FakeExcelError('InvalidArgument', `The cell ${cell} already has a threaded comment.`);
      sheet.notes.push({ cell, content: String(content), author: '加載項' });
    });
    return new FakeNote(this.context, () => this.model().notes.find((n) => n.cell === cell) ?? null);
  }
  getItem(key: string): FakeNote {
    return new FakeNote(this.context, () => {
      const cell = singleCell(key).cell;
      const note = this.model().notes.find((n) => n.cell === cell);
      if (!note) throw new FakeExcelError('ItemNotFound', `There is no note on ${key}.`);
      return note;
    });
  }
  getItemOrNullObject(key: string): FakeNote {
    return new FakeNote(
      this.context,
      () => {
        const sheet = this.resolver();
        if (!sheet) return null;
        const cell = singleCell(key).cell;
        return sheet.notes.find((n) => n.cell === cell) ?? null;
      },
      true,
    );
  }
}

type NoteOf = { cell: string; content: string; author: string };

class FakeNote extends FakeObject<NoteOf> {
  protected scalars() {
    return { content: (n: NoteOf) => n.content, authorName: (n: NoteOf) => n.author };
  }
  get content(): string {
    return this.read('content');
  }
  set content(v: string) {
    this.change(sizeOf(v), (n) => {
      checkObjectsEditable(this.context.host.sheets.find((s) => s.notes.includes(n))!);
      n.content = v;
    });
  }
  delete(): void {
    this.context.enqueue({
      bytes: 20,
      run: () => {
        const note = this.model();
        const sheet = this.context.host.sheets.find((s) => s.notes.includes(note))!;
        checkObjectsEditable(sheet);
        sheet.notes.splice(sheet.notes.indexOf(note), 1);
      },
    });
  }
}

class FakeCommentCollection extends FakeObject<FakeWorkbook> {
  protected scalars() {
    return {};
  }
  get items(): FakeComment[] {
    return this.read('items');
  }
  override fetch(tree: LoadTree | undefined): void {
    const host = this.model();
    const items = host.comments.map((c) => {
      const comment = new FakeComment(this.context, () => host.comments.find((x) => x.id === c.id) ?? null);
      comment.fetch(tree?.items && Object.keys(tree.items).length ? tree.items : undefined);
      return comment;
    });
    this.setLoaded('items', items, 2);
  }
  add(cellAddress: string | FakeRange, content: string): FakeComment {
    let id = '';
    this.change(sizeOf(content), (host) => {
      const where = singleCell(cellAddress);
      if (!where.sheet) throw new FakeExcelError('InvalidArgument', 'A comment address must name its sheet.');
      const sheet = host.find(where.sheet);
      if (!sheet) throw new FakeExcelError('ItemNotFound', `No sheet ${where.sheet}.`);
      checkObjectsEditable(sheet);
      if (host.comments.some((c) => c.sheetId === sheet.id && c.cell === where.cell)) throw new FakeExcelError('InvalidArgument', `The cell ${where.cell} already has a comment.`);
      // And a threaded comment where a note is.
      if (sheet.notes.some((n) => n.cell === where.cell)) throw new FakeExcelError('InvalidArgument', `The cell ${where.cell} already has a note.`);
      id = newId('comment');
      host.comments.push({ id, sheetId: sheet.id, cell: where.cell, content: String(content) });
    });
    return new FakeComment(this.context, () => this.model().comments.find((c) => c.id === id) ?? null);
  }
  getItem(id: string): FakeComment {
    return new FakeComment(this.context, () => {
      const c = this.model().comments.find((x) => x.id === id);
      if (!c) throw new FakeExcelError('ItemNotFound', `No comment ${id}.`);
      return c;
    });
  }
}

class FakeComment extends FakeObject<CommentModel> {
  protected scalars() {
    return { id: (c: CommentModel) => c.id, content: (c: CommentModel) => c.content };
  }
  get id(): string {
    return this.read('id');
  }
  get content(): string {
    return this.read('content');
  }
  set content(v: string) {
    this.change(sizeOf(v), (c) => {
      checkObjectsEditable(this.context.host.sheets.find((s) => s.id === c.sheetId)!);
      c.content = v;
    });
  }
  getLocation(): FakeRange {
    return new FakeRange(this.context, () => {
      const c = this.model();
      const sheet = this.context.host.sheets.find((s) => s.id === c.sheetId)!;
      return { sheet, rect: parseAddress(c.cell).rect };
    });
  }
  delete(): void {
    this.context.enqueue({
      bytes: 20,
      run: () => {
        const c = this.model();
        const host = this.context.host;
        checkObjectsEditable(host.sheets.find((s) => s.id === c.sheetId)!);
        host.comments.splice(host.comments.indexOf(c), 1);
      },
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Shapes and tables

function pictureSize(base64: string): { width: number; height: number } {
  if (/^data:/i.test(base64)) throw new FakeExcelError('InvalidArgument', 'The image must be base64 without a "data:" prefix.');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new FakeExcelError('InvalidArgument', 'The image is not base64.');
  const head = atob(base64.slice(0, 64));
  const bytes = Array.from(head, (ch) => ch.charCodeAt(0));
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!png.every((b, i) => bytes[i] === b)) throw new FakeExcelError('InvalidArgument', 'The image is not a PNG.');
  const u32 = (at: number) => ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
  return { width: u32(16) * 0.75, height: u32(20) * 0.75 };
}

class FakeShapeCollection extends FakeObject<SheetModel> {
  protected scalars() {
    return {};
  }
  get items(): FakeShape[] {
    return this.read('items');
  }
  override fetch(tree: LoadTree | undefined): void {
    const sheet = this.model();
    const items = sheet.shapes.map((s) => {
      const shape = new FakeShape(this.context, () => sheet.shapes.find((x) => x.id === s.id) ?? null);
      shape.fetch(tree?.items && Object.keys(tree.items).length ? tree.items : undefined);
      return shape;
    });
    this.setLoaded('items', items, 2);
  }
  addImage(base64: string): FakeShape {
    let made: ShapeModel | undefined;
    this.change(base64.length, (sheet) => {
      checkObjectsEditable(sheet);
      const size = pictureSize(base64);
      made = { id: newId('shape'), name: `Picture ${sheet.shapes.length + 1}`, type: 'Image', image: base64, left: 0, top: 0, ...size, lockAspectRatio: true };
      sheet.shapes.push(made);
    });
    return new FakeShape(this.context, () => made ?? null);
  }
  getItem(key: string): FakeShape {
    return new FakeShape(this.context, () => {
      const s = this.model().shapes.find((x) => x.name === key || x.id === key);
      if (!s) throw new FakeExcelError('ItemNotFound', `No shape ${key}.`);
      return s;
    });
  }
}

class FakeShape extends FakeObject<ShapeModel> {
  protected scalars() {
    return {
      id: (s: ShapeModel) => s.id,
      name: (s: ShapeModel) => s.name,
      left: (s: ShapeModel) => s.left,
      top: (s: ShapeModel) => s.top,
      width: (s: ShapeModel) => s.width,
      height: (s: ShapeModel) => s.height,
      type: (s: ShapeModel) => s.type,
    };
  }
  private set(name: 'name' | 'left' | 'top' | 'width' | 'height' | 'lockAspectRatio', v: string | number | boolean) {
    this.change(sizeOf(v), (s) => {
      if (name === 'width' && s.lockAspectRatio && s.width > 0) s.height = (s.height * (v as number)) / s.width;
      if (name === 'height' && s.lockAspectRatio && s.height > 0) s.width = (s.width * (v as number)) / s.height;
      (s as unknown as Record<string, unknown>)[name] = v;
    });
  }
  get name(): string {
    return this.read('name');
  }
  set name(v: string) {
    this.set('name', v);
  }
  set left(v: number) {
    this.set('left', v);
  }
  set top(v: number) {
    this.set('top', v);
  }
  set width(v: number) {
    this.set('width', v);
  }
  set height(v: number) {
    this.set('height', v);
  }
  set lockAspectRatio(v: boolean) {
    this.set('lockAspectRatio', v);
  }
  delete(): void {
    this.context.enqueue({
      bytes: 20,
      run: () => {
        const shape = this.model();
        const sheet = this.context.host.sheets.find((s) => s.shapes.includes(shape))!;
        checkObjectsEditable(sheet);
        sheet.shapes.splice(sheet.shapes.indexOf(shape), 1);
      },
    });
  }
}

class FakeTableCollection extends FakeObject<{ host: FakeWorkbook; sheet?: SheetModel }> {
  protected scalars() {
    return {};
  }
  add(address: string, hasHeaders: boolean): FakeTable {
    let made: TableModel | undefined;
    this.change(sizeOf(address), ({ host, sheet: own }) => {
      const parsed = parseAddress(address);
      const sheet = parsed.sheet ? host.find(parsed.sheet) : own;
      if (!sheet) throw new FakeExcelError('InvalidArgument', 'A table address must name its sheet.');
      if (sheet.tables.some((t) => intersects(t.range, parsed.rect))) throw new FakeExcelError('InvalidOperation', 'A table cannot overlap another table.');
      if (sheet.merges.some((m) => intersects(m, parsed.rect))) throw new FakeExcelError('InvalidOperation', 'A table cannot contain merged cells.');
      checkProtection({ sheet, rect: parsed.rect }, 'format');
      made = { id: newId('table'), name: uniqueTableName(host, 'Table'), range: parsed.rect, hasHeaders, style: 'TableStyleMedium2', showBandedRows: true };
      sheet.tables.push(made);
    });
    return new FakeTable(this.context, () => made ?? null);
  }
  getItemOrNullObject(name: string): FakeTable {
    return new FakeTable(this.context, () => this.model().host.sheets.flatMap((s) => s.tables).find((t) => t.name.toLowerCase() === name.toLowerCase()) ?? null, true);
  }
}

class FakeTable extends FakeObject<TableModel> {
  protected scalars() {
    return { name: (t: TableModel) => t.name, style: (t: TableModel) => t.style };
  }
  get name(): string {
    return this.read('name');
  }
  set name(v: string) {
    this.change(sizeOf(v), (t) => {
      if (!isValidTableName(v)) throw new FakeExcelError('InvalidArgument', `The table name "${v}" is not valid.`);
      const taken = this.context.host.sheets.flatMap((s) => s.tables).some((x) => x !== t && x.name.toLowerCase() === v.toLowerCase());
      if (taken) throw new FakeExcelError('ItemAlreadyExists', `A table named ${v} already exists.`);
      t.name = v;
    });
  }
  set style(v: string) {
    this.change(sizeOf(v), (t) => void (t.style = v));
  }
  set showBandedRows(v: boolean) {
    this.change(10, (t) => void (t.showBandedRows = v));
  }
}

// ---------------------------------------------------------------------------------------------
// The host: Excel and Office globals

export interface FakeHost {
  workbook: FakeWorkbook;
  Excel: { run: <T>(batch: (context: FakeRequestContext) => Promise<T>) => Promise<T> };
  Office: Record<string, unknown>;
  OfficeExtension: { Error: typeof FakeExcelError };
  /** Contexts made by Excel.run, for sync counts per run. */
  runs: FakeRequestContext[];
}

export function createFakeHost(workbook: FakeWorkbook, options: HostOptions = {}): FakeHost {
  const apiVersion = options.apiVersion ?? '1.18';
  const runs: FakeRequestContext[] = [];
  const Excel = {
    async run<T>(batch: (context: FakeRequestContext) => Promise<T>): Promise<T> {
      const context = new FakeRequestContext(workbook, { apiVersion, mergedAreas: options.mergedAreas ?? 'clipped' });
      runs.push(context);
      try {
        const result = await batch(context);
        // Excel.run sends what the batch queued but did not sync.
        if (context.pending > 0) await context.sync();
        return result;
      } finally {
        context.closed = true;
      }
    },
  };
  const settings = {
    get: (name: string) => (workbook.settings.has(name) ? structuredCloneSafe(workbook.settings.get(name)) : null),
    set: (name: string, value: unknown) => void workbook.settings.set(name, structuredCloneSafe(value)),
    remove: (name: string) => void workbook.settings.delete(name),
    saveAsync: (callback?: (r: { status: string }) => void) => setTimeout(() => callback?.({ status: 'succeeded' }), 0),
  };
  let fileOpen = false;
  const platform = options.platform ?? 'OfficeOnline';
  // Common API requirement sets (Microsoft's list): Excel on iPad lacks File and CompressedFile.
  const commonSets = new Set(['Settings', 'DocumentEvents', ...(platform === 'iOS' ? [] : ['File', 'CompressedFile'])]);
  const document: Record<string, unknown> = {
    settings,
    get url() {
      return workbook.url;
    },
    getFileAsync(fileType: string, opts: { sliceSize?: number } | ((r: unknown) => void), cb?: (r: unknown) => void) {
      const callback = (typeof opts === 'function' ? opts : cb)!;
      const sliceSize = (typeof opts === 'object' && opts?.sliceSize) || 4 * 1024 * 1024;
      const fail = (message: string) => setTimeout(() => callback({ status: 'failed', error: { code: 5001, name: 'Internal Error', message } }), 0);
      if (fileType !== 'compressed') return fail(`fake host: file type ${fileType} not supported`);
      if (fileOpen) return fail('Only one file can be open at a time. Close the open file first.');
      if (!options.fileBytes) return fail('fake host: no file bytes provider');
      fileOpen = true;
      Promise.resolve(options.fileBytes(workbook)).then(
        (bytes) => {
          const sliceCount = Math.max(1, Math.ceil(bytes.length / sliceSize));
          const file = {
            size: bytes.length,
            sliceCount,
            getSliceAsync(index: number, done: (r: unknown) => void) {
              if (!fileOpen) return setTimeout(() => done({ status: 'failed', error: { message: 'The file is closed.' } }), 0);
              if (index < 0 || index >= sliceCount) return setTimeout(() => done({ status: 'failed', error: { message: 'Slice index out of range.' } }), 0);
              const data = Array.from(bytes.subarray(index * sliceSize, Math.min(bytes.length, (index + 1) * sliceSize)));
              setTimeout(() => done({ status: 'succeeded', value: { data, index, size: data.length } }), 0);
            },
            closeAsync(done?: (r: unknown) => void) {
              fileOpen = false;
              setTimeout(() => done?.({ status: 'succeeded' }), 0);
            },
          };
          callback({ status: 'succeeded', value: file });
        },
        (error: Error) => {
          fileOpen = false;
          fail(error.message);
        },
      );
    },
  };
  if (platform === 'iOS') delete document.getFileAsync;
  const Office = {
    HostType: { Excel: 'Excel' },
    PlatformType: { OfficeOnline: 'OfficeOnline', PC: 'PC', Mac: 'Mac', iOS: 'iOS' },
    FileType: { Compressed: 'compressed', Text: 'text', Pdf: 'pdf' },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    context: {
      requirements: {
        isSetSupported: (name: string, version?: string) => (name === 'ExcelApi' ? versionAtLeast(apiVersion, version ?? '1.1') : commonSets.has(name) && versionAtLeast('1.1', version ?? '1.1')),
      },
      document,
      platform,
      partitionKey: options.partitionKey,
      displayLanguage: options.displayLanguage ?? 'en-US',
    },
    onReady(callback?: (info: { host: string; platform: string }) => void) {
      const info = { host: 'Excel', platform };
      return new Promise((resolve) =>
        setTimeout(() => {
          callback?.(info);
          resolve(info);
        }, 0),
      );
    },
  };
  return { workbook, Excel, Office, OfficeExtension: { Error: FakeExcelError }, runs };
}

/** Puts the host's globals where Office.js puts them (globalThis.Excel, .Office, .OfficeExtension). */
export function installFakeHost(host: FakeHost, target: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): void {
  target.Excel = host.Excel;
  target.Office = host.Office;
  target.OfficeExtension = host.OfficeExtension;
}

// ---------------------------------------------------------------------------------------------
// Loading a workbook into the fake

export interface SheetContent {
  sheet: string;
  origin: { row: number; col: number };
  values: (Scalar | null)[][];
  formats: string[][];
  merges: CellRange[];
  formulas?: Record<string, string>;
}

/** A fake workbook holding these sheets (grids as core reads them; formulas kept with their results). */
export function workbookFromGrids(grids: readonly SheetContent[]): FakeWorkbook {
  const wb = new FakeWorkbook([]);
  wb.date1904 = grids.some((g) => (g as { date1904?: boolean }).date1904 === true);
  for (const g of grids) {
    const sheet = newSheet(g.sheet);
    g.values.forEach((row, i) =>
      row.forEach((v, j) => {
        const r = g.origin.row + i;
        const c = g.origin.col + j;
        const format = g.formats[i]?.[j] ?? 'General';
        if (v === null && format === 'General') return;
        const cell = ensureCell(sheet, r, c);
        cell.format = format;
        if (v !== null) cell.value = v;
      }),
    );
    for (const [address, formula] of Object.entries(g.formulas ?? {})) {
      const { rect } = parseAddress(address);
      const cell = ensureCell(sheet, rect.top, rect.left);
      cell.formula = formula;
      delete cell.value;
    }
    sheet.merges = g.merges.map((m) => ({ ...m }));
    wb.sheets.push(sheet);
  }
  wb.activeId = wb.sheets[0]?.id ?? '';
  return wb;
}

/** What a person would compare between two sheets: cells (values, formulas, formats, styles), merges, notes, sizes. */
export function sheetContent(sheet: SheetModel): unknown {
  const cells = [...sheet.cells.entries()]
    .filter(([, c]) => hasContent(c) || c.format !== 'General' || c.fill || c.font || c.borders || c.locked === false)
    .sort(([a], [b]) => a - b)
    .map(([key, c]) => [`${keyRow(key)}:${keyCol(key)}`, structuredCloneSafe(c)]);
  return structuredCloneSafe({
    cells,
    merges: [...sheet.merges].sort((a, b) => a.top - b.top || a.left - b.left),
    notes: [...sheet.notes].sort((a, b) => a.cell.localeCompare(b.cell)),
    columnWidths: [...sheet.columnWidths.entries()].sort(),
    rowHeights: [...sheet.rowHeights.entries()].sort(),
    frozenRows: sheet.frozenRows,
    protection: sheet.protection,
  });
}

export interface SerializedSheet {
  name: string;
  /** [row, col, value shown, formula, number format] of every cell that holds something or has a format. */
  cells: [number, number, Scalar | null, string | null, string][];
  merges: CellRange[];
}

/** The workbook as plain data (what a file writer needs), formulas with their results. */
export function serializeWorkbook(wb: FakeWorkbook): SerializedSheet[] {
  return wb.sheets.map((sheet) => ({
    name: sheet.name,
    cells: [...sheet.cells.entries()]
      .filter(([, c]) => hasContent(c) || c.format !== 'General')
      .map(([key, c]) => {
        const row = keyRow(key);
        const col = keyCol(key);
        const shown = shownValue(sheet, row, col);
        return [row, col, shown === '' ? null : shown, c.formula ?? null, c.format] as [number, number, Scalar | null, string | null, string];
      }),
    merges: sheet.merges.map((m) => ({ ...m })),
  }));
}

export { cellKey };
