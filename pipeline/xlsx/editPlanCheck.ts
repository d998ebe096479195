// What the pipeline's adapters check before they apply an edit plan (applyEditPlan.ts through ExcelJS,
// patchWorkbook.ts on the parts): names Excel accepts, values a cell can hold, no write inside a merged
// area, unique table names. The whole plan is checked first, so a bad plan changes nothing.
import { a1, rangeA1, type CellRange, type CellValue } from '../../core/grid';
import { forEachWrite, type EditPlan } from '../../core/editPlan';

/** A plan that cannot be applied as written (a bug upstream, not the clerk's fault). Nothing was changed. */
export class EditPlanError extends Error {
  override readonly name = 'EditPlanError';
}

/** Excel's own limit; a longer string makes Excel "repair" the file. */
const MAX_CELL_TEXT = 32_767;

export function sheetNameProblem(name: string): string | null {
  if (name.trim() === '') return '工作表名稱不能為空';
  if (name.length > 31) return `工作表名稱「${name}」超過31個字符`;
  if (/[*?:/\\[\]]/.test(name)) return `工作表名稱「${name}」含有不允許的字符 * ? : / \\ [ ]`;
  if (/^'|'$/.test(name)) return `工作表名稱「${name}」不能以單引號開頭或結尾`;
  if (name.toLowerCase() === 'history') return '工作表名稱不能是「History」（Excel保留）';
  return null;
}

/** Table names are workbook-wide identifiers: a letter, _ or \ first; no spaces; not a cell reference. */
export function tableNameProblem(name: string): string | null {
  if (!/^[\p{L}_\\][\p{L}\p{N}_.\\]*$/u.test(name) || name.length > 255) {
    return `表格名稱「${name}」無效：須以字母、漢字或下劃線開頭，只含字母、漢字、數字、下劃線和句點`;
  }
  if (/^[A-Za-z]{1,3}\d+$/.test(name) || /^[Rr]\d*[Cc]\d*$/.test(name) || /^[RrCc]$/.test(name)) {
    return `表格名稱「${name}」與單元格地址相同，Excel不接受`;
  }
  return null;
}

function valueProblem(v: CellValue, where: () => string): string | null {
  if (typeof v === 'number' && !Number.isFinite(v)) return `${where()}：數值${v}無法寫入Excel`;
  if (typeof v === 'string' && v.length > MAX_CELL_TEXT) return `${where()}：文本超過Excel單元格上限${MAX_CELL_TEXT}個字符`;
  return null;
}

/** Header labels as the table will carry them: one line, non-empty, unique (as Excel itself renames: 備註, 備註2). */
export function tableHeaders(header: readonly string[]): string[] {
  const taken = new Set<string>();
  return header.map((label, i) => {
    // A line break survives in the cell but becomes a space in the table's XML attribute: Excel then repairs.
    const base = label.replace(/\s+/g, ' ').trim() || `列${i + 1}`;
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
  const problems: string[] = [];
  for (const edit of plan.edits) {
    const actual = facts.sheetNames.find((n) => n.toLowerCase() === edit.sheet.toLowerCase());
    if (!actual) {
      problems.push(`找不到工作表「${edit.sheet}」`);
      continue;
    }
    if (edit.backupAs !== undefined) {
      const p = sheetNameProblem(edit.backupAs);
      if (p) problems.push(`備份${p}`);
    }
    // Cells inside a merged area other than its top-left, by row (a sheet may have thousands of areas).
    const inside = new Map<number, CellRange[]>();
    for (const m of facts.mergesOf(actual)) {
      if (edit.unmerge.some((u) => intersects(m, u))) continue;
      for (let r = m.top; r <= m.bottom; r++) (inside.get(r) ?? inside.set(r, []).get(r)!).push(m);
    }
    for (const block of edit.blocks) {
      forEachWrite(block, (row, col, value) => {
        const where = () => `工作表「${edit.sheet}」${a1(row, col)}`;
        if (!(row >= 1 && row <= 1_048_576 && col >= 1 && col <= 16_384)) problems.push(`${where()}：超出Excel的範圍`);
        const vp = valueProblem(value, where);
        if (vp) problems.push(vp);
        const m = inside.get(row)?.find((r) => col >= r.left && col <= r.right);
        // ExcelJS would silently write such a value into the merged area's top-left cell instead.
        if (m && (m.top !== row || m.left !== col)) problems.push(`${where()}：位於合併區域${rangeA1(m)}內，須先取消合併`);
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
    if (owner !== undefined) problems.push(`表格名稱「${s.tableName}」已被工作表「${owner}」使用`);
    if (facts.definedNames.has(key)) problems.push(`表格名稱「${s.tableName}」與工作簿中的名稱重複`);
    tableNames.set(key, s.name);
    if (s.header.length === 0) problems.push(`新工作表「${s.name}」沒有表頭`);
    if (s.columnFormats.length > s.header.length || s.columnWidths.length > s.header.length) {
      problems.push(`新工作表「${s.name}」的列格式或列寬多於表頭列數`);
    }
    s.rows.forEach((row, i) => {
      if (row.length > s.header.length) problems.push(`新工作表「${s.name}」第${i + 2}行的值多於表頭列數`);
      row.forEach((v, j) => {
        const vp = valueProblem(v, () => `新工作表「${s.name}」${a1(i + 2, j + 1)}`);
        if (vp) problems.push(vp);
      });
    });
  }
  const backups = plan.edits.flatMap((e) => (e.backupAs ? [e.backupAs.toLowerCase()] : []));
  for (const b of backups) if (replaced.has(b)) problems.push(`備份工作表「${b}」與要新建的工作表同名`);
  if (problems.length > 0) throw new EditPlanError(`編輯計劃無法套用：${problems.join('；')}`);
}
