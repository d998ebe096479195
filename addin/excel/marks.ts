/// <reference types="office-js" />
// Validation marks on the cells: a fill and a note (ExcelApi 1.18) or a comment (1.10) that says what
// is wrong. The marks made are remembered in the document's settings with each cell's own fill, so the
// next run takes away exactly those marks — never a fill, note or comment the clerk made — and puts the
// cell's fill back. A note or comment is ours only if it starts with MARK_TAG.
import { fixText, issueText, sortIssues, type Issue } from '../../core/issues';
import { qualified } from './address';
import type { Capabilities } from './capabilities';
import type { SheetInfo } from './readSheets';

export const MARK_TAG = '【民生實事校驗】';
export const MARK_FILL = { error: '#FFC7CE', warning: '#FFE699' } as const;
export const MARKS_SETTING = 'minsheng.validationMarks';
/** More marks than this would bury the sheet (and the request): the list in the pane still has them all. */
export const MAX_MARKS = 500;

export interface CellMark {
  sheet: string;
  cell: string;
  severity: 'error' | 'warning';
  /** The explanation, starting with MARK_TAG. */
  text: string;
}

interface OriginalFill {
  color: string;
  pattern: string;
}

export interface MarkRecord {
  sheet: string;
  cell: string;
  /** The cell's fill before we marked it. */
  fill: OriginalFill;
  markColor: string;
  explanation: 'note' | 'comment' | 'none';
  commentId?: string;
}

export interface MarkOutcome {
  marked: number;
  cleared: number;
  /** Protected sheets we could not mark (a password), in Chinese, for the pane. */
  notices: string[];
  syncs: number;
}

const SEVERITY_WORD = { error: '錯誤', warning: '警告' } as const;

/** One mark per cell of the issues (errors and warnings; information is only listed), worst severity first. */
export function marksForIssues(issues: readonly Issue[], sheetNames: readonly string[]): CellMark[] {
  const byCell = new Map<string, { sheet: string; cell: string; issues: Issue[] }>();
  for (const issue of sortIssues(issues)) {
    if (!issue.cell || issue.severity === 'info' || !sheetNames.includes(issue.sheet)) continue;
    const key = `${issue.sheet}!${issue.cell}`;
    const entry = byCell.get(key) ?? { sheet: issue.sheet, cell: issue.cell, issues: [] };
    entry.issues.push(issue);
    byCell.set(key, entry);
  }
  return [...byCell.values()].slice(0, MAX_MARKS).map(({ sheet, cell, issues: found }) => {
    const severity = found.some((i) => i.severity === 'error') ? 'error' : 'warning';
    const lines = found.map((i) => `${SEVERITY_WORD[i.severity as 'error' | 'warning']}：${issueText(i, 'zh-TW')}${i.fix ? `\n建議：${fixText(i.fix, 'zh-TW')}` : ''}`);
    return { sheet, cell, severity, text: `${MARK_TAG}\n${lines.join('\n')}` };
  });
}

// ---------------------------------------------------------------------------------------------
// The record in the document's settings

export function loadMarkRecord(): MarkRecord[] {
  try {
    const saved = Office.context.document.settings.get(MARKS_SETTING) as { marks?: MarkRecord[] } | null;
    return Array.isArray(saved?.marks) ? saved!.marks.filter((m) => typeof m?.sheet === 'string' && typeof m?.cell === 'string') : [];
  } catch {
    return [];
  }
}

async function saveMarkRecord(marks: MarkRecord[]): Promise<void> {
  const settings = Office.context.document.settings;
  if (marks.length === 0) settings.remove(MARKS_SETTING);
  else settings.set(MARKS_SETTING, { version: 1, marks });
  await new Promise<void>((resolve) => settings.saveAsync(() => resolve()));
}

// ---------------------------------------------------------------------------------------------
// Replacing the marks

interface Inspected {
  range: Excel.Range;
  note?: Excel.Note;
}

const key = (sheet: string, cell: string) => `${sheet}!${cell}`;

/**
 * Takes away the marks of the previous run and marks `marks` instead (none: only clears). A constant
 * number of syncs: one or two to look at the cells, one to change them, and one per protected sheet.
 */
export async function replaceMarks(context: Excel.RequestContext, sheets: readonly SheetInfo[], marks: readonly CellMark[], caps: Capabilities): Promise<MarkOutcome> {
  const exists = new Map(sheets.map((s) => [s.name, s]));
  const recorded = loadMarkRecord();
  const old = recorded.filter((m) => exists.has(m.sheet));
  const wanted = marks.filter((m) => exists.has(m.sheet));
  if (old.length === 0 && wanted.length === 0) {
    if (recorded.length > 0) await saveMarkRecord([]);
    return { marked: 0, cleared: 0, notices: [], syncs: 0 };
  }
  const explainWith: MarkRecord['explanation'] = caps.notes ? 'note' : caps.comments ? 'comment' : 'none';
  let syncs = 0;

  // Look: the fill (and note) of every cell involved, and the comments of the workbook.
  const inspected = new Map<string, Inspected>();
  for (const cell of [...old, ...wanted]) {
    const k = key(cell.sheet, cell.cell);
    if (inspected.has(k)) continue;
    const ws = context.workbook.worksheets.getItem(cell.sheet);
    const range = ws.getRange(cell.cell);
    range.load('format/fill/color,format/fill/pattern');
    let note: Excel.Note | undefined;
    if (caps.notes) {
      note = ws.notes.getItemOrNullObject(cell.cell);
      note.load('content');
    }
    inspected.set(k, { range, note });
  }
  // Comments are looked at only when we explain with them, or made some before (on an older Excel).
  const usesComments = caps.comments && (explainWith === 'comment' || old.some((m) => m.explanation === 'comment'));
  const comments = usesComments ? context.workbook.comments : undefined;
  comments?.load('items/id,items/content');
  syncs++;
  await context.sync();
  // Which cells hold a comment, ours or the clerk's.
  const commentAt = new Map<string, Excel.Comment>();
  if (comments && comments.items.length > 0) {
    const located = comments.items.map((c) => {
      const where = c.getLocation();
      where.load('address');
      where.worksheet.load('name');
      return { comment: c, where };
    });
    syncs++;
    await context.sync();
    for (const { comment, where } of located) commentAt.set(key(where.worksheet.name, where.address.split('!').pop()!.replace(/\$/g, '')), comment);
  }
  const oldAt = new Map(old.map((m) => [key(m.sheet, m.cell), m]));
  const isOurs = (text: string | undefined) => typeof text === 'string' && text.startsWith(MARK_TAG);

  // Change: per sheet, clear the old marks, then put the new ones.
  const bySheet = new Map<string, { old: MarkRecord[]; wanted: CellMark[] }>();
  for (const m of old) (bySheet.get(m.sheet) ?? bySheet.set(m.sheet, { old: [], wanted: [] }).get(m.sheet)!).old.push(m);
  for (const m of wanted) (bySheet.get(m.sheet) ?? bySheet.set(m.sheet, { old: [], wanted: [] }).get(m.sheet)!).wanted.push(m);

  const queueSheet = (sheet: string, work: { old: MarkRecord[]; wanted: CellMark[] }) => {
    const ws = context.workbook.worksheets.getItem(sheet);
    let cleared = 0;
    for (const m of work.old) {
      const look = inspected.get(key(m.sheet, m.cell))!;
      const range = ws.getRange(m.cell);
      // A fill the clerk changed since is theirs now.
      if (sameColor(look.range.format.fill.color, m.markColor)) {
        if (m.fill.pattern === 'None' || !m.fill.pattern) range.format.fill.clear();
        else range.format.fill.color = m.fill.color;
      }
      if (look.note && !look.note.isNullObject && isOurs(look.note.content)) look.note.delete();
      const comment = commentAt.get(key(m.sheet, m.cell));
      if (comment && isOurs(comment.content)) {
        comment.delete();
        commentAt.delete(key(m.sheet, m.cell));
      }
      cleared++;
    }
    const made: { record: MarkRecord; comment?: Excel.Comment }[] = [];
    for (const m of work.wanted) {
      const k = key(m.sheet, m.cell);
      const look = inspected.get(k)!;
      const before = oldAt.get(k);
      // A cell marked last time: its own fill is the one remembered then.
      const fill: OriginalFill = before ? before.fill : { color: look.range.format.fill.color, pattern: look.range.format.fill.pattern };
      const markColor = MARK_FILL[m.severity];
      ws.getRange(m.cell).format.fill.color = markColor;
      let explanation: MarkRecord['explanation'] = 'none';
      let comment: Excel.Comment | undefined;
      if (explainWith === 'note') {
        const clerksNote = look.note && !look.note.isNullObject && !isOurs(look.note.content);
        if (!clerksNote) {
          ws.notes.add(m.cell, m.text);
          explanation = 'note';
        }
      } else if (explainWith === 'comment' && !commentAt.has(k)) {
        comment = context.workbook.comments.add(qualified(m.sheet, m.cell), m.text);
        comment.load('id');
        explanation = 'comment';
      }
      made.push({ record: { sheet: m.sheet, cell: m.cell, fill, markColor, explanation }, comment });
    }
    return { cleared, made };
  };
  const finish = (made: { record: MarkRecord; comment?: Excel.Comment }[]) =>
    made.map(({ record, comment }) => (comment ? { ...record, commentId: comment.id } : record));

  const kept: MarkRecord[] = [];
  const notices: string[] = [];
  let cleared = 0;
  let marked = 0;
  const open = [...bySheet].filter(([sheet]) => !exists.get(sheet)!.protected);
  if (open.length > 0) {
    const queued = open.map(([sheet, work]) => queueSheet(sheet, work));
    syncs++;
    await context.sync();
    for (const q of queued) {
      cleared += q.cleared;
      marked += q.made.length;
      kept.push(...finish(q.made));
    }
  }
  // A protected sheet (our template is one, without a password) is unprotected for the change and
  // protected again with its own options; a password stops us, and that sheet alone stays as it was.
  for (const [sheet, work] of bySheet) {
    const info = exists.get(sheet)!;
    if (!info.protected) continue;
    const ws = context.workbook.worksheets.getItem(sheet);
    syncs++;
    try {
      ws.protection.unprotect();
      const q = queueSheet(sheet, work);
      ws.protection.protect(info.protectionOptions);
      // One sync per protected sheet, never per cell: a password on one sheet must not undo the others.
      // eslint-disable-next-line office-addins/no-context-sync-in-loop
      await context.sync();
      cleared += q.cleared;
      marked += q.made.length;
      kept.push(...finish(q.made));
    } catch {
      kept.push(...work.old);
      if (work.wanted.length > 0) notices.push(`工作表「${sheet}」設有密碼保護，未能在單元格上標記問題；請看下方列表，或撤銷保護後再校驗。`);
    }
  }
  await saveMarkRecord(kept);
  return { marked, cleared, notices, syncs };
}

function sameColor(a: string | null | undefined, b: string): boolean {
  return typeof a === 'string' && a.toUpperCase() === b.toUpperCase();
}
