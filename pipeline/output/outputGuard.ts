// The one rule for where the CLI may write a file (README, "What happens to your data"): never onto the
// database or its write-ahead log, never onto a file the command reads, and onto an existing file only
// when the user said --force. Every output option (--csv, --arrow, -o, --charts' files) asks here first.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { msg } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';

export interface OutputGuard {
  /** Files the command reads: never written over. */
  inputs?: readonly string[];
  /** The database the command uses (resolved path or ':memory:'): it and its .wal are never written over. */
  db?: string;
  /** Whether an existing file (not one of the above) may be replaced. */
  force?: boolean;
}

const CASELESS = process.platform === 'win32' || process.platform === 'darwin';

function normalised(p: string): string {
  return CASELESS ? p.toLowerCase() : p;
}

/** The real path of `p`, or for a file not there yet, its real directory joined with its name. */
function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    try {
      return path.join(fs.realpathSync(path.dirname(path.resolve(p))), path.basename(p));
    } catch {
      return path.resolve(p);
    }
  }
}

/** Whether two paths name one file: the same path, through links, or the same inode (hard links). */
export function isSameFile(a: string, b: string): boolean {
  if (normalised(path.resolve(a)) === normalised(path.resolve(b))) return true;
  if (normalised(realPath(a)) === normalised(realPath(b))) return true;
  try {
    const [sa, sb] = [fs.statSync(a), fs.statSync(b)];
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** Throws a MessageError when `file` may not be written under `guard`; returns nothing when it may. */
export function checkOutputFile(file: string, guard: OutputGuard): void {
  const db = guard.db && guard.db !== ':memory:' ? guard.db : undefined;
  if (db && isSameFile(file, db)) throw new MessageError(msg('output.is-database', { file, db }));
  if (db && isSameFile(file, `${db}.wal`)) throw new MessageError(msg('output.is-wal', { file, db }));
  for (const input of guard.inputs ?? []) {
    if (isSameFile(file, input)) throw new MessageError(msg('output.is-input', { file, input }));
  }
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file);
  } catch {
    stat = undefined;
  }
  if (stat?.isDirectory()) throw new MessageError(msg('output.is-directory', { file }));
  if (stat && !guard.force) throw new MessageError(msg('output.exists', { file }));
}
