// What the pipeline's adapters check before they apply an edit plan (applyEditPlan.ts through ExcelJS,
// patchWorkbook.ts on the parts): names Excel accepts, values a cell can hold, no write inside a merged
// area, unique table names. The whole plan is checked first, so a bad plan changes nothing.
import { a1, rangeA1, type CellRange, type CellValue } from '../../core/grid';
import { forEachWrite, type EditPlan } from '../../core/editPlan';
import { msg, t, type MessageRef } from '../../core/messages';
import { DEFAULT_LANG, type Lang } from '../../core/messages/lang';
import { MessageError } from '../../core/messages/messageError';

/**
 * A plan that cannot be applied as written (a bug upstream, not the clerk's fault). Nothing was changed.
 * Its sentence is a catalogue message (edit.*), shown in the reader's language by whoever reports it.
 */
export class EditPlanError extends MessageError {
  override readonly name = 'EditPlanError';
}

/** Excel's own limit; a longer string makes Excel "repair" the file. */
const MAX_CELL_TEXT = 32_767;

export function sheetNameProblem(name: string): MessageRef | null {
  if (name.trim() === '') return msg('edit.sheet-name.empty');
  if (name.length > 31) return msg('edit.sheet-name.too-long', { name });
  if (/[*?:/\\[\]]/.test(name)) return msg('edit.sheet-name.characters', { name });
  if (/^'|'$/.test(name)) return msg('edit.sheet-name.quote', { name });
  if (name.toLowerCase() === 'history') return msg('edit.sheet-name.history');
  return null;
}

/** Table names are workbook-wide identifiers: a letter, _ or \ first; no spaces; not a cell reference. */
export function tableNameProblem(name: string): MessageRef | null {
  if (!/^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u.test(name) || name.length > 255) return msg('edit.table-name.invalid', { name });
  if (/^[A-Za-z]{1,3}\d+$/.test(name) || /^[Rr]\d*[Cc]\d*$/.test(name) || /^[RrCc]$/.test(name)) {
    return msg('edit.table-name.cell-address', { name });
  }
  return null;
}

function valueProblem(v: CellValue, where: () => MessageRef): MessageRef | null {
  if (typeof v === 'number' && !Number.isFinite(v)) return msg('edit.value.not-finite', { where: where(), value: String(v) });
  if (typeof v === 'string' && v.length > MAX_CELL_TEXT) return msg('edit.value.too-long', { where: where(), max: MAX_CELL_TEXT });
  return null;
}

/** Header labels as the table will carry them: one line, non-empty, unique (as Excel itself renames: 備註, 備註2). */
export function tableHeaders(header: readonly string[], lang: Lang = DEFAULT_LANG): string[] {
  const taken = new Set<string>();
  return header.map((label, i) => {
    // A line break survives in the cell but becomes a space in the table's XML attribute: Excel then repairs.
    const base = label.replace(/\s+/g, ' ').trim() || t(lang, 'edit.column-default', { n: i + 1 });
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}${n}`;
    taken.add(name.toLowerCase());
    return name;
  });
}

/** What the check needs to know of the workbook, from whichever adapter holds it. */
export interface WorkbookFacts {
  sheetNames: readonly string[];
  mergesOf(sheet: string): readonly CellRange[];
  /** Table name (lower case) → the sheet that holds it. */
  tableNames: ReadonlyMap<string, string>;
  /** Defined names, lower case. */
  definedNames: ReadonlySet<string>;
}

function intersects(a: CellRange, b: CellRange): boolean {
  return a.left <= b.right && b.left <= a.right && a.top <= b.bottom && b.top <= a.bottom;
}

/** Throws EditPlanError listing every problem of the plan against the workbook. */
export function checkEditPlan(facts: WorkbookFacts, plan: EditPlan): void {
  const problems: MessageRef[] = [];
  for (const edit of plan.edits) {
    const actual = facts.sheetNames.find((n) => n.toLowerCase() === edit.sheet.toLowerCase());
    if (!actual) {
      problems.push(msg('edit.no-sheet', { sheet: edit.sheet }));
      continue;
    }
    if (edit.backupAs !== undefined) {
      const p = sheetNameProblem(edit.backupAs);
      if (p) problems.push(msg('edit.backup', { problem: p }));
    }
    // Cells inside a merged area other than its top-left, by row (a sheet may have thousands of areas).
    const inside = new Map<number, CellRange[]>();
    for (const m of facts.mergesOf(actual)) {
      if (edit.unmerge.some((u) => intersects(m, u))) continue;
      for (let r = m.top; r <= m.bottom; r++) (inside.get(r) ?? inside.set(r, []).get(r)!).push(m);
    }
    for (const block of edit.blocks) {
      forEachWrite(block, (row, col, value) => {
        const where = () => msg('edit.cell', { sheet: edit.sheet, cell: a1(row, col) });
        if (!(row >= 1 && row <= 1_048_576 && col >= 1 && col <= 16_384)) problems.push(msg('edit.out-of-range', { where: where() }));
        const vp = valueProblem(value, where);
        if (vp) problems.push(vp);
        const m = inside.get(row)?.find((r) => col >= r.left && col <= r.right);
        // ExcelJS would silently write such a value into the merged area's top-left cell instead.
        if (m && (m.top !== row || m.left !== col)) problems.push(msg('edit.in-merge', { where: where(), range: rangeA1(m) }));
      });
    }
  }
  const replaced = new Set(plan.newSheets.map((s) => s.name.toLowerCase()));
  const tableNames = new Map([...facts.tableNames].filter(([, sheet]) => !replaced.has(sheet.toLowerCase())));
  for (const s of plan.newSheets) {
    const sp = sheetNameProblem(s.name);
    if (sp) problems.push(sp);
    const tp = tableNameProblem(s.tableName);
    if (tp) problems.push(tp);
    const key = s.tableName.toLowerCase();
    const owner = tableNames.get(key);
    if (owner !== undefined) problems.push(msg('edit.table-taken', { name: s.tableName, owner }));
    if (facts.definedNames.has(key)) problems.push(msg('edit.table-defined-name', { name: s.tableName }));
    tableNames.set(key, s.name);
    if (s.header.length === 0) problems.push(msg('edit.new-sheet.no-header', { sheet: s.name }));
    if (s.columnFormats.length > s.header.length || s.columnWidths.length > s.header.length) {
      problems.push(msg('edit.new-sheet.formats', { sheet: s.name }));
    }
    s.rows.forEach((row, i) => {
      if (row.length > s.header.length) problems.push(msg('edit.new-sheet.row-too-wide', { sheet: s.name, row: i + 2 }));
      row.forEach((v, j) => {
        const vp = valueProblem(v, () => msg('edit.new-sheet.cell', { sheet: s.name, cell: a1(i + 2, j + 1) }));
        if (vp) problems.push(vp);
      });
    });
  }
  const backups = plan.edits.flatMap((e) => (e.backupAs ? [e.backupAs.toLowerCase()] : []));
  for (const b of backups) if (replaced.has(b)) problems.push(msg('edit.backup-name-taken', { sheet: b }));
  if (problems.length > 0) {
    const problemList = problems.reduce((left, right): MessageRef => msg('edit.problems', { left, right }));
    throw new EditPlanError(msg('edit.cannot-apply', { problems: problemList }));
  }
}
