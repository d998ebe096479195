// The folder of received files (docs/design.md, "The folder of received files"): every progress file the
// service or `minsheng load` accepted and every plan `minsheng plan load` stored, kept byte for byte next
// to the database with a small record of when it was stored, so that `minsheng rebuild` can make the
// database again in the order things arrived. Files are written durably (temporary file, fsync, rename,
// fsync of the folder); a record (.json) is written last, so a file without one was never said to be kept.
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ALL_DISTRICTS } from '../../core/districts';

/** Where a database's received files are kept unless told otherwise: `<db>.received` beside it. */
export function defaultReceivedDir(dbPath: string): string {
  return `${dbPath}.received`;
}

// Control characters, and the bidirectional and invisible format characters (U+202E turns
// "report\u202Excod.exe" into "reportexe.docx" on screen and in logs): what a shown or stored name must lose.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g;

/** `text` without control and invisible formatting characters (a name that is shown, logged or stored). */
export function withoutInvisibles(text: string): string {
  return text.replace(INVISIBLE, '');
}

/**
 * `text` (a district's name, a date) as one folder name on any file system: no separators, no
 * characters Windows refuses, no leading dots (no `..`), no reserved device names, at most 60 characters.
 */
export function folderName(text: string): string {
  const name = withoutInvisibles(text.normalize('NFC'))
    .replace(/[\\/:*?"<>|]/g, '_')
    .trim()
    .replace(/^\.+/, '_')
    .replace(/[. ]+$/, '')
    .slice(0, 60);
  if (name === '') return '_';
  return /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(name) ? `_${name}` : name;
}

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const KeptFile = z.object({
  file: z.string().min(1),
  fileName: z.string(),
  sha256: Sha256,
});
const SubmissionRecord = KeptFile.extend({
  kind: z.literal('submission'),
  loadedAt: z.string().datetime(),
  reports: z.array(z.object({ district: z.string(), asOf: z.string() })),
});
const PlanRecord = z.object({
  kind: z.literal('plan'),
  loadedAt: z.string().datetime(),
  files: z.array(KeptFile).min(1),
});
const ReceivedRecord = z.discriminatedUnion('kind', [SubmissionRecord, PlanRecord]);

/** A kept file as the rebuild replays it: its bytes are at `path`, its record says what it was. */
export type ReceivedEntry =
  | {
      kind: 'submission';
      path: string;
      fileName: string;
      sha256: string;
      loadedAt: Date;
      stamp: string;
    }
  | {
      kind: 'plan';
      files: { path: string; fileName: string; sha256: string }[];
      loadedAt: Date;
      stamp: string;
    }
  /** An .xlsx in the folder with no record: a clerk's own folder of reports, loaded in file-name order. */
  | { kind: 'plain'; path: string; fileName: string };

export interface FileToKeep {
  fileName: string;
  sha256: string;
  /** When it was stored (submissions.loaded_at): the rebuild stores it with the same time. */
  loadedAt: Date;
  reports: readonly { district: string; asOf: string }[];
}

let lastStamp = 0;

/** A name part that sorts in the order files were kept, also within one millisecond of one process. */
function nextStamp(): string {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return new Date(lastStamp).toISOString().replace(/[:.]/g, '-');
}

export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function fsyncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open a folder for fsync; its renames are durable once the file's data is.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes `bytes` to a temporary file in `dir` and flushes it to disk; the caller renames it into place. */
function writeTemporary(dir: string, bytes: Buffer | string): string {
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.incoming-${randomBytes(8).toString('hex')}.tmp`);
  const fd = fs.openSync(temp, 'wx', 0o640);
  try {
    fs.writeFileSync(fd, bytes);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  return temp;
}

function moveIntoPlace(temp: string, target: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.renameSync(temp, target);
  fsyncFolder(path.dirname(target));
}

function writeDurably(target: string, bytes: Buffer | string): void {
  moveIntoPlace(writeTemporary(path.dirname(target), bytes), target);
}

/** A file written to disk but not yet kept: kept once it is stored, discarded when it is not. */
export interface PendingFile {
  /** Moves the file into place and writes its record; returns the kept file's path. */
  keep(what: FileToKeep): string;
  discard(): void;
}

/** One database's folder of received files. */
export class ReceivedFiles {
  private kept?: Set<string>;

  constructor(readonly dir: string) {}

  /** Whether these bytes are kept already (a file sent again is kept once). */
  has(sha256: string): boolean {
    if (!this.kept) {
      this.kept = new Set();
      for (const entry of readReceived(this.dir)) {
        if (entry.kind === 'submission') this.kept.add(entry.sha256);
        if (entry.kind === 'plan') for (const f of entry.files) this.kept.add(f.sha256);
      }
    }
    return this.kept.has(sha256);
  }

  /**
   * Writes `bytes` to disk before they are stored (a full disk refuses the upload before the database
   * changes); the file appears in the folder only with keep(), after the store has committed.
   */
  prepare(bytes: Buffer): PendingFile {
    const temp = writeTemporary(this.dir, bytes);
    let done = false;
    return {
      keep: (what) => {
        if (done) throw new Error('already kept or discarded');
        done = true;
        return this.place(temp, what);
      },
      discard: () => {
        if (done) return;
        done = true;
        fs.rmSync(temp, { force: true });
      },
    };
  }

  /** Keeps a stored progress file (prepare + keep). */
  keepSubmission(bytes: Buffer, what: FileToKeep): string {
    return this.prepare(bytes).keep(what);
  }

  /** Keeps the workbooks of one `plan load`, in the order given. */
  keepPlan(files: readonly { fileName: string; bytes: Buffer }[], loadedAt: Date): void {
    const stamp = nextStamp();
    const folder = path.join(this.dir, 'plan', stamp);
    const kept = files.map((f, i) => {
      const sha256 = sha256Of(f.bytes);
      const file = `${i + 1}-${sha256.slice(0, 12)}.xlsx`;
      writeDurably(path.join(folder, file), f.bytes);
      return {
        file: `${stamp}/${file}`,
        fileName: withoutInvisibles(f.fileName),
        sha256,
      };
    });
    const record: z.infer<typeof PlanRecord> = {
      kind: 'plan',
      loadedAt: loadedAt.toISOString(),
      files: kept,
    };
    writeDurably(path.join(this.dir, 'plan', `${stamp}.json`), JSON.stringify(record, null, 1));
    for (const f of kept) this.kept?.add(f.sha256);
  }

  private place(temp: string, what: FileToKeep): string {
    const districts = [...new Set(what.reports.map((r) => r.district))];
    const dates = [...new Set(what.reports.map((r) => r.asOf))].sort();
    // One district's file under its name; a department's all-districts file under 各區縣. The date is
    // the report's (the latest, when a file holds several).
    const folder = path.join(this.dir, folderName(districts.length === 1 ? districts[0] : ALL_DISTRICTS), folderName(dates[dates.length - 1] ?? 'undated'));
    const base = `${nextStamp()}-${what.sha256.slice(0, 12)}`;
    const target = path.join(folder, `${base}.xlsx`);
    moveIntoPlace(temp, target);
    const record: z.infer<typeof SubmissionRecord> = {
      kind: 'submission',
      file: `${base}.xlsx`,
      fileName: withoutInvisibles(what.fileName),
      sha256: what.sha256,
      loadedAt: what.loadedAt.toISOString(),
      reports: what.reports.map((r) => ({
        district: r.district,
        asOf: r.asOf,
      })),
    };
    writeDurably(path.join(folder, `${base}.json`), JSON.stringify(record, null, 1));
    this.kept?.add(what.sha256);
    return target;
  }
}

/** Every .json and .xlsx file under `dir` (folders starting with a dot and temporary files skipped). */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(json|xlsx)$/i.test(e.name) && !e.name.startsWith('.') && !e.name.startsWith('~$'))
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .filter(
      (f) =>
        !path
          .relative(dir, f)
          .split(path.sep)
          .some((part) => part.startsWith('.')),
    );
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The order kept files are replayed in: by when they were stored, the stamp breaking ties. */
export function byStoredOrder(a: { loadedAt: Date; stamp: string }, b: { loadedAt: Date; stamp: string }): number {
  return a.loadedAt.getTime() - b.loadedAt.getTime() || byCodePoint(a.stamp, b.stamp);
}

/**
 * What the folder holds, in the order to replay it: kept files by the time they were stored (the
 * stamp breaks ties, so files stored in one transaction keep their order), then .xlsx files with no
 * record in file-name order (a folder the clerk kept, as `minsheng load` reads it). A record that
 * cannot be read is left out, as is one whose file is missing.
 */
export function readReceived(dir: string): ReceivedEntry[] {
  const files = filesUnder(dir);
  const recorded: Extract<ReceivedEntry, { kind: 'submission' | 'plan' }>[] = [];
  const claimed = new Set<string>();
  for (const json of files.filter((f) => /\.json$/i.test(f))) {
    let record: z.infer<typeof ReceivedRecord>;
    try {
      record = ReceivedRecord.parse(JSON.parse(fs.readFileSync(json, 'utf8')));
    } catch {
      continue;
    }
    const stamp = path.basename(json).replace(/\.json$/i, '');
    const at = (file: string) => path.resolve(path.dirname(json), file);
    const inside = (file: string) => !path.relative(dir, at(file)).startsWith('..') && fs.existsSync(at(file));
    if (record.kind === 'submission') {
      if (!inside(record.file)) continue;
      claimed.add(at(record.file));
      recorded.push({
        kind: 'submission',
        path: at(record.file),
        fileName: record.fileName,
        sha256: record.sha256,
        loadedAt: new Date(record.loadedAt),
        stamp,
      });
    } else {
      if (!record.files.every((f) => inside(f.file))) continue;
      for (const f of record.files) claimed.add(at(f.file));
      recorded.push({
        kind: 'plan',
        files: record.files.map((f) => ({
          path: at(f.file),
          fileName: f.fileName,
          sha256: f.sha256,
        })),
        loadedAt: new Date(record.loadedAt),
        stamp,
      });
    }
  }
  recorded.sort(byStoredOrder);
  const plain: ReceivedEntry[] = files
    .filter((f) => /\.xlsx$/i.test(f) && !claimed.has(path.resolve(f)))
    .sort(byCodePoint)
    .map((f) => ({ kind: 'plain', path: f, fileName: path.basename(f) }));
  return [...recorded, ...plain];
}
