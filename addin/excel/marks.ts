/// <reference types="office-js" />
// Validation marks on the cells: a fill and a note (ExcelApi 1.18) or a comment (1.10) that says what
// is wrong. The marks made are remembered in the document's settings with each cell's own fill, so the
// next run takes away exactly those marks — never a fill, note or comment the clerk made — and puts the
// cell's fill back. A note or comment is ours only if it starts with our tag (addin.marks.tag, either script).
import { fixText, issueText, severityLabel, sortIssues, type Issue } from '../../core/issues';
import { t } from '../../core/messages';
import { paneLang, say } from '../paneLang';
import { qualified } from './address';
import type { Capabilities } from './capabilities';
import type { SheetInfo } from './readSheets';

/** The first line of our notes and comments, in the pane's language; a note in either script's tag is ours. */
export const markTag = (): string => say('addin.marks.tag');
const MARK_TAGS = [t('zh-CN', 'addin.marks.tag'), t('zh-TW', 'addin.marks.tag')];
export const MARK_FILL = { error: '#FFC7CE', warning: '#FFE699' } as const;
export const MARKS_SETTING = 'minsheng.validationMarks';
/** More marks than this would bury the sheet (and the request): the list in the pane still has them all. */
export const MAX_MARKS = 500;

export interface CellMark {
  sheet: string;
  cell: string;
  severity: 'error' | 'warning';
  /** The explanation, starting with our tag. */
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
    const lang = paneLang();
    const lines = found.map((i) => {
      const line = say('addin.marks.line', { severity: severityLabel(i.severity, lang), text: issueText(i, lang) });
      return i.fix ? `${line}\n${say('addin.issue.fix', { fix: fixText(i.fix, lang) })}` : line;
    });
    return { sheet, cell, severity, text: `${markTag()}\n${lines.join('\n')}` };
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

/** What a cell holds besides its value, as looked at before the change. */
interface Inspected {
  range: Excel.Range;
  /** The cell's note (ExcelApi 1.18), a null object when it has none. */
  note?: Excel.Note;
}

/** The notes and threaded comments of the cells involved: Excel allows one of the two per cell. */
interface Explanations {
  notes: Map<string, Excel.Note>;
  comments: Map<string, Excel.Comment>;
  syncs: number;
}

/**
 * Looked at in the sync that reads the sheets (queueMarkLook), so that marking needs no sync of its own
 * to look: the fill and note of each recorded mark's cell, every sheet's notes (to know that the clerk
 * has none), and the workbook's threaded comments.
 */
export interface MarkLook {
  cells: Map<string, Inspected>;
  notes: Map<string, Excel.NoteCollection>;
  comments?: Excel.CommentCollection;
}

const key = (sheet: string, cell: string) => `${sheet}!${cell}`;
const isOurs = (text: string | undefined) => typeof text === 'string' && MARK_TAGS.some((tag) => text.startsWith(tag));

/** Queues the look (see MarkLook) on `sheets`, by id: the caller syncs. */
export function queueMarkLook(context: Excel.RequestContext, sheets: readonly SheetInfo[], caps: Capabilities): MarkLook {
  const byName = new Map(sheets.map((s) => [s.name, s]));
  const cells = new Map<string, Inspected>();
  for (const m of loadMarkRecord()) {
    const sheet = byName.get(m.sheet);
    const k = key(m.sheet, m.cell);
    if (!sheet || cells.has(k)) continue;
    const ws = context.workbook.worksheets.getItem(sheet.id);
    const range = ws.getRange(m.cell);
    range.load('format/fill/color,format/fill/pattern');
    let note: Excel.Note | undefined;
    if (caps.notes) {
      note = ws.notes.getItemOrNullObject(m.cell);
      note.load('content');
    }
    cells.set(k, { range, note });
  }
  const notes = new Map<string, Excel.NoteCollection>();
  if (caps.notes) {
    for (const sheet of sheets) {
      const collection = context.workbook.worksheets.getItem(sheet.id).notes;
      collection.load('items/content');
      notes.set(sheet.name, collection);
    }
  }
  const comments = caps.comments ? context.workbook.comments : undefined;
  comments?.load('items/id,items/content');
  return { cells, notes, comments };
}

/**
 * The notes of `cells` (when the host has notes) and, when `withComments`, every threaded comment of
 * the workbook with its cell (when it has comments): one sync, and one more to locate the comments
 * when there are any.
 */
async function lookAtExplanations(
  context: Excel.RequestContext,
  cells: readonly { sheet: string; cell: string }[],
  caps: Capabilities,
  alsoFills?: Map<string, Inspected>,
  withComments = true,
): Promise<Explanations> {
  const notes = new Map<string, Excel.Note>();
  for (const { sheet, cell } of cells) {
    const k = key(sheet, cell);
    if (notes.has(k) || alsoFills?.has(k)) continue;
    const ws = context.workbook.worksheets.getItem(sheet);
    let note: Excel.Note | undefined;
    if (caps.notes) {
      note = ws.notes.getItemOrNullObject(cell);
      note.load('content');
      notes.set(k, note);
    }
    if (alsoFills) {
      const range = ws.getRange(cell);
      range.load('format/fill/color,format/fill/pattern');
      alsoFills.set(k, { range, note });
    }
  }
  const collection = caps.comments && withComments ? context.workbook.comments : undefined;
  collection?.load('items/id,items/content');
  let syncs = 0;
  if (cells.length > 0 || collection) {
    syncs++;
    await context.sync();
  }
  const comments = collection ? await locateComments(context, collection) : new Map<string, Excel.Comment>();
  return { notes, comments, syncs: syncs + (collection && collection.items.length > 0 ? 1 : 0) };
}

/** Where each threaded comment is: one sync (none when there are none). */
async function locateComments(context: Excel.RequestContext, collection: Excel.CommentCollection): Promise<Map<string, Excel.Comment>> {
  const comments = new Map<string, Excel.Comment>();
  if (collection.items.length === 0) return comments;
  const located = collection.items.map((c) => {
    const where = c.getLocation();
    where.load('address');
    where.worksheet.load('name');
    return { comment: c, where };
  });
  await context.sync();
  for (const { comment, where } of located) comments.set(key(where.worksheet.name, where.address.split('!').pop()!.replace(/\$/g, '')), comment);
  return comments;
}

/**
 * What is known before the change without another look: the cells looked at with the sheets, and a
 * proof that no other cell involved holds a note or comment — every note on the sheet and every
 * comment in the workbook is one of ours on a recorded cell. What is not proved is looked at (one
 * sync, and one to locate comments when the clerk has some).
 */
async function explanationsFor(
  context: Excel.RequestContext,
  old: readonly MarkRecord[],
  wanted: readonly CellMark[],
  caps: Capabilities,
  look: MarkLook | undefined,
  inspected: Map<string, Inspected>,
): Promise<Explanations & { unseen: Set<string> }> {
  const notes = new Map<string, Excel.Note>();
  const comments = new Map<string, Excel.Comment>();
  for (const [k, cell] of look?.cells ?? []) {
    inspected.set(k, cell);
    if (cell.note) notes.set(k, cell.note);
  }
  const recordedComment = new Map(old.filter((m) => m.commentId).map((m) => [m.commentId!, key(m.sheet, m.cell)]));
  let commentsKnown = !caps.comments;
  if (look?.comments) {
    const unaccounted = look.comments.items.filter((c) => !(isOurs(c.content) && recordedComment.has(c.id)));
    if (unaccounted.length === 0) {
      commentsKnown = true;
      for (const c of look.comments.items) comments.set(recordedComment.get(c.id)!, c);
    }
  }
  /**
   * Every note of the sheet is ours, on a cell looked at. Below ExcelApi 1.18 notes cannot be seen,
   * and a comment on a noted cell is refused: there every cell is looked at before the change, so that
   * a refusal finds the fills as they were.
   */
  const notesKnown = (sheet: string) => {
    if (!caps.notes) return !caps.comments;
    const all = look?.notes.get(sheet);
    if (!all) return false;
    const seen = [...notes].filter(([k, n]) => k.startsWith(`${sheet}!`) && !n.isNullObject && isOurs(n.content)).length;
    return all.items.every((n) => isOurs(n.content)) && all.items.length === seen;
  };
  const known = new Map<string, boolean>();
  const sheetKnown = (sheet: string) => known.get(sheet) ?? known.set(sheet, notesKnown(sheet)).get(sheet)!;
  const toLook: { sheet: string; cell: string }[] = [];
  const unseen = new Set<string>();
  const marked = new Set(old.map((o) => key(o.sheet, o.cell)));
  for (const m of [...old, ...wanted]) {
    const k = key(m.sheet, m.cell);
    if (inspected.has(k) || unseen.has(k)) continue;
    // A cell marked before must be looked at (is its fill still ours?); a new one needs only its fill,
    // read in the change's own sync, when no note can be there.
    if (marked.has(k) || !sheetKnown(m.sheet)) toLook.push(m);
    else unseen.add(k);
  }
  let syncs = 0;
  if (toLook.length > 0 || !commentsKnown) {
    const found = await lookAtExplanations(context, toLook, caps, inspected, !commentsKnown);
    syncs += found.syncs;
    for (const [k, n] of found.notes) notes.set(k, n);
    if (!commentsKnown) {
      comments.clear();
      for (const [k, c] of found.comments) comments.set(k, c);
    }
  }
  return { notes, comments, syncs, unseen };
}

type Made = { record: MarkRecord; comment?: Excel.Comment; probe?: Excel.Range };

/**
 * Takes away the marks of the previous run and marks `marks` instead (none: only clears). A constant
 * number of syncs: the change itself, one per protected sheet, and a look beforehand only for what
 * `look` (queued with the sheets' read) leaves open. A cell gets a note (or, below ExcelApi 1.18, a
 * comment) only where it holds neither a note nor a comment of the clerk's, since Excel allows one of
 * the two per cell; our own is updated in place. When Excel still refuses (a note it would not show us,
 * below 1.18), the sheets are marked again one sync each with fills only, so one refusal costs the
 * explanations, never the marks.
 */
export async function replaceMarks(context: Excel.RequestContext, sheets: readonly SheetInfo[], marks: readonly CellMark[], caps: Capabilities, look?: MarkLook): Promise<MarkOutcome> {
  const exists = new Map(sheets.map((s) => [s.name, s]));
  const recorded = loadMarkRecord();
  const old = recorded.filter((m) => exists.has(m.sheet));
  const wanted = marks.filter((m) => exists.has(m.sheet));
  if (old.length === 0 && wanted.length === 0) {
    if (recorded.length > 0) await saveMarkRecord([]);
    return { marked: 0, cleared: 0, notices: [], syncs: 0 };
  }
  const explainWith: MarkRecord['explanation'] = caps.notes ? 'note' : caps.comments ? 'comment' : 'none';
  const cells = [...old, ...wanted];

  // Look: the fill and note of every cell involved, and the comments of the workbook.
  const inspected = new Map<string, Inspected>();
  let found: Explanations & { unseen?: Set<string> } = await explanationsFor(context, old, wanted, caps, look, inspected);
  let syncs = found.syncs;
  const oldAt = new Map(old.map((m) => [key(m.sheet, m.cell), m]));
  const readLate = new Set<string>();

  const bySheet = new Map<string, { old: MarkRecord[]; wanted: CellMark[] }>();
  const workOf = (sheet: string) => bySheet.get(sheet) ?? bySheet.set(sheet, { old: [], wanted: [] }).get(sheet)!;
  for (const m of old) workOf(m.sheet).old.push(m);
  for (const m of wanted) workOf(m.sheet).wanted.push(m);

  /** Queues one sheet's change: the old marks cleared, the new ones put; explanations only when `explain`. */
  const queueSheet = (sheet: string, work: { old: MarkRecord[]; wanted: CellMark[] }, explain: boolean) => {
    const ws = context.workbook.worksheets.getItem(sheet);
    const wantedHere = new Set(work.wanted.map((m) => key(m.sheet, m.cell)));
    let cleared = 0;
    for (const m of work.old) {
      const k = key(m.sheet, m.cell);
      const look = inspected.get(k)!;
      const range = ws.getRange(m.cell);
      // A fill the clerk changed since is theirs now.
      if (sameColor(look.range.format.fill.color, m.markColor)) {
        if (m.fill.pattern === 'None' || !m.fill.pattern) range.format.fill.clear();
        else range.format.fill.color = m.fill.color;
      }
      // Our explanation goes unless it is about to be updated in place.
      const keep = explain && wantedHere.has(k);
      const note = found.notes.get(k);
      const comment = found.comments.get(k);
      const explainsAgain = (kind: 'note' | 'comment') => keep && explainWith === kind;
      if (note && !note.isNullObject && isOurs(note.content) && !explainsAgain('note')) {
        note.delete();
        found.notes.delete(k);
      }
      if (comment && isOurs(comment.content) && !explainsAgain('comment')) {
        comment.delete();
        found.comments.delete(k);
      }
      cleared++;
    }
    const made: Made[] = [];
    for (const m of work.wanted) {
      const k = key(m.sheet, m.cell);
      const look = inspected.get(k);
      const before = oldAt.get(k);
      // A cell marked last time: its own fill is the one remembered then. A cell not looked at has its
      // fill read here, in this sync, before the mark's fill goes on (a batch runs in order).
      let probe: Excel.Range | undefined;
      if (!before && !look) {
        probe = ws.getRange(m.cell);
        probe.load('format/fill/color,format/fill/pattern');
      }
      const fill: OriginalFill = before
        ? before.fill
        : !look
          ? { color: '', pattern: '' }
          : readLate.has(k) && isMarkColour(look.range.format.fill.color)
            ? { color: '#FFFFFF', pattern: 'None' }
            : { color: look.range.format.fill.color, pattern: look.range.format.fill.pattern };
      const markColor = MARK_FILL[m.severity];
      ws.getRange(m.cell).format.fill.color = markColor;
      let explanation: MarkRecord['explanation'] = 'none';
      let comment: Excel.Comment | undefined;
      const note = found.notes.get(k);
      const hasNote = note !== undefined && !note.isNullObject;
      const existing = found.comments.get(k);
      if (!explain) {
        // Fills only: an explanation of ours (left by a refused attempt that ran in part) goes too.
        if (hasNote && isOurs(note.content)) note.delete();
        if (existing && isOurs(existing.content)) existing.delete();
      } else if (explainWith === 'note' && !existing) {
        if (hasNote && isOurs(note.content)) {
          note.content = m.text;
          explanation = 'note';
        } else if (!hasNote) {
          ws.notes.add(m.cell, m.text);
          explanation = 'note';
        }
      } else if (explainWith === 'comment' && !hasNote) {
        if (existing && isOurs(existing.content)) {
          existing.content = m.text;
          comment = existing;
          explanation = 'comment';
        } else if (!existing) {
          comment = context.workbook.comments.add(qualified(m.sheet, m.cell), m.text);
          comment.load('id');
          explanation = 'comment';
        }
      }
      made.push({ record: { sheet: m.sheet, cell: m.cell, fill, markColor, explanation }, comment, probe });
    }
    return { cleared, made };
  };
  const finish = (made: Made[]) =>
    made.map(({ record, comment, probe }) => {
      const fill = probe ? { color: probe.format.fill.color, pattern: probe.format.fill.pattern } : record.fill;
      return comment ? { ...record, fill, commentId: comment.id } : { ...record, fill };
    });

  const kept: MarkRecord[] = [];
  const notices: string[] = [];
  let cleared = 0;
  let marked = 0;
  const take = (q: { cleared: number; made: Made[] }) => {
    cleared += q.cleared;
    marked += q.made.length;
    kept.push(...finish(q.made));
  };
  const retry: string[] = [];
  const open = [...bySheet].filter(([sheet]) => !exists.get(sheet)!.protected);
  if (open.length > 0) {
    const queued = open.map(([sheet, work]) => queueSheet(sheet, work, true));
    syncs++;
    try {
      await context.sync();
      queued.forEach(take);
    } catch {
      retry.push(...open.map(([sheet]) => sheet));
    }
  }
  // A protected sheet (our template is one, without a password) is unprotected for the change and
  // protected again with its own options, one sync per protected sheet, never per cell.
  const protectedSheets = [...bySheet].filter(([sheet]) => exists.get(sheet)!.protected);
  for (const [sheet, work] of protectedSheets) {
    const info = exists.get(sheet)!;
    const ws = context.workbook.worksheets.getItem(sheet);
    syncs++;
    try {
      ws.protection.unprotect();
      const q = queueSheet(sheet, work, true);
      ws.protection.protect(info.protectionOptions);
      // eslint-disable-next-line office-addins/no-context-sync-in-loop
      await context.sync();
      take(q);
    } catch {
      retry.push(sheet);
    }
  }
  if (retry.length > 0) {
    // What Excel refused ran in part: look at the explanations again (and the fills of cells not looked
    // at before), then each sheet alone, fills only. A protected sheet is protected again whatever state
    // the refusal left it in; a password stops us, and that sheet alone stays as it was.
    const again = cells.filter((m) => retry.includes(m.sheet));
    const late = new Map<string, Inspected>();
    found = await lookAtExplanations(context, again, caps, late);
    syncs += found.syncs;
    // A cell whose fill was to be read in the refused sync is read now: the mark's colour found there
    // was put by the refused attempt, over no fill of the clerk's as far as anyone can tell.
    for (const m of again) {
      const k = key(m.sheet, m.cell);
      if (!inspected.has(k)) {
        inspected.set(k, late.get(k)!);
        readLate.add(k);
      }
    }
    let fillsOnly = 0;
    for (const sheet of retry) {
      const info = exists.get(sheet)!;
      const work = bySheet.get(sheet)!;
      const ws = context.workbook.worksheets.getItem(sheet);
      syncs++;
      try {
        if (info.protected) ws.protection.unprotect();
        const q = queueSheet(sheet, work, false);
        if (info.protected) ws.protection.protect(info.protectionOptions);
        // eslint-disable-next-line office-addins/no-context-sync-in-loop
        await context.sync();
        take(q);
        fillsOnly += q.made.length;
      } catch {
        kept.push(...work.old);
        if (work.wanted.length === 0) continue;
        if (info.protected) notices.push(say('addin.marks.protected', { sheet }));
        else notices.push(say('addin.marks.sheetFailed', { sheet }));
      }
    }
    if (fillsOnly > 0) notices.push(say('addin.marks.fillsOnly', { count: fillsOnly }));
  }
  await saveMarkRecord(kept);
  return { marked, cleared, notices, syncs };
}

/**
 * Queues the clearing of the earlier marks on `onSheets` (unprotected sheets: 規範化 refuses protected
 * ones) into the caller's next sync, after a look only if `look` leaves one open. `commit` then keeps
 * the record of the marks elsewhere.
 */
export async function queueClearMarks(
  context: Excel.RequestContext,
  onSheets: ReadonlySet<string>,
  caps: Capabilities,
  look?: MarkLook,
): Promise<{ syncs: number; commit: () => Promise<number> }> {
  const recorded = loadMarkRecord();
  const old = recorded.filter((m) => onSheets.has(m.sheet));
  if (old.length === 0) return { syncs: 0, commit: async () => 0 };
  const inspected = new Map<string, Inspected>();
  const found = await explanationsFor(context, old, [], caps, look, inspected);
  for (const m of old) {
    const k = key(m.sheet, m.cell);
    const ws = context.workbook.worksheets.getItem(m.sheet);
    if (sameColor(inspected.get(k)!.range.format.fill.color, m.markColor)) {
      if (m.fill.pattern === 'None' || !m.fill.pattern) ws.getRange(m.cell).format.fill.clear();
      else ws.getRange(m.cell).format.fill.color = m.fill.color;
    }
    const note = found.notes.get(k);
    if (note && !note.isNullObject && isOurs(note.content)) note.delete();
    const comment = found.comments.get(k);
    if (comment && isOurs(comment.content)) comment.delete();
  }
  return {
    syncs: found.syncs,
    commit: async () => {
      await saveMarkRecord(recorded.filter((m) => !onSheets.has(m.sheet)));
      return old.length;
    },
  };
}

function isMarkColour(color: string | null | undefined): boolean {
  return sameColor(color, MARK_FILL.error) || sameColor(color, MARK_FILL.warning);
}

function sameColor(a: string | null | undefined, b: string): boolean {
  return typeof a === 'string' && a.toUpperCase() === b.toUpperCase();
}
