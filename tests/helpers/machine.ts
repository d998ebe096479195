// What a test needs of the machine (mount, Chromium, LibreOffice, openssl, a user without root's
// rights), probed once when the test file is collected. A test that needs what is missing is skipped
// with the reason in its name and on the console; with MINSHENG_STRICT_TESTS=1 (.ci/run sets it) it
// fails instead, so CI proves every promise while a developer without LibreOffice still runs the rest.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROOT } from './paths';

export type Found = { ok: true; path: string } | { ok: false; reason: string };

export const STRICT = process.env.MINSHENG_STRICT_TESTS === '1';

const found = (p: string): Found => ({ ok: true, path: p });
const missing = (reason: string): Found => ({ ok: false, reason });

/** The first of `names` that is an executable file on PATH. */
export function onPath(names: readonly string[]): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

function program(names: readonly string[], packageHint: string): Found {
  const p = onPath(names);
  return p ? found(p) : missing(`${names.join(' / ')} not found on PATH (${packageHint}; .ci/run installs it)`);
}

const memo = new Map<string, Found>();
const once = (key: string, probe: () => Found) => () => {
  if (!memo.has(key)) memo.set(key, probe());
  return memo.get(key)!;
};

const firstLine = (error: unknown) => String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n')[0];

const soffice = once('soffice', () => program(['soffice', 'libreoffice'], 'Debian package "libreoffice-calc"'));

export const machine = {
  /** Headless Chromium for the task-pane test. */
  chromium: once('chromium', () => program(['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'], 'Debian package "chromium"')),
  /** LibreOffice for the report → PDF check. */
  soffice,
  /** LibreOffice Writer for the bulletin → PDF check (libreoffice-calc alone cannot open a .docx). */
  writer: once('writer', (): Found => {
    const office = soffice();
    if (!office.ok) return office;
    const dir = path.dirname(fs.realpathSync(office.path));
    return fs.existsSync(path.join(dir, 'libswlo.so')) ? office : missing('LibreOffice Writer is not installed (Debian package "libreoffice-writer"; .ci/run installs it)');
  }),
  /** poppler's pdftotext and pdfinfo, to read a PDF back. */
  poppler: once('poppler', () => {
    const missingTool = ['pdftotext', 'pdfinfo'].find((tool) => !onPath([tool]));
    return missingTool ? missing(`${missingTool} not found on PATH (Debian package "poppler-utils"; .ci/run installs it)`) : found(onPath(['pdftotext'])!);
  }),
  /** openssl, to make the certificate the HTTPS test serves with (node:crypto cannot make one). */
  openssl: once('openssl', () => {
    const p = onPath(['openssl']);
    if (!p) return missing('openssl not found on PATH (Debian package "openssl")');
    try {
      execFileSync(p, ['version'], { stdio: 'pipe' });
      return found(p);
    } catch (error) {
      return missing(`openssl does not run: ${firstLine(error)}`);
    }
  }),
  /** Mounting a small tmpfs (read-only and full-disk faults): root with CAP_SYS_ADMIN. */
  mount: once('mount', () => {
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-mount-probe-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', target], { stdio: 'pipe' });
      execFileSync('umount', [target], { stdio: 'pipe' });
      return found('mount');
    } catch (error) {
      return missing(`cannot mount a tmpfs here (${firstLine(error)}); needs root with CAP_SYS_ADMIN`);
    } finally {
      fs.rmSync(target, { recursive: true, force: true });
    }
  }),
  /**
   * A way to run the CLI without the right to write files it does not own or that say read-only. For
   * root that is a child process with every capability dropped (setpriv): still uid 0, so it reaches
   * the repository wherever it is cloned, but file modes hold. Others are already such a user.
   */
  unprivileged: once('unprivileged', () => {
    if (process.getuid?.() !== 0) return found('');
    const setpriv = onPath(['setpriv']);
    if (!setpriv) return missing('running as root and setpriv (util-linux) is not on PATH, so no child can run without root\'s rights');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-unprivileged-probe-'));
    try {
      const file = path.join(dir, 'read-only');
      fs.writeFileSync(file, '');
      fs.chmodSync(file, 0o444);
      // Holds when the file cannot be written but the repository's CLI can be read.
      execFileSync(setpriv, [...UNPRIVILEGED_FLAGS, 'sh', '-c', 'test ! -w "$1" && test -r "$2"', 'sh', file, path.join(ROOT, 'scripts/cli.ts')], { stdio: 'pipe' });
      return found(setpriv);
    } catch (error) {
      return missing(`setpriv cannot drop root's rights here (${firstLine(error)})`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }),
};

/** Met when every one of `needs` is; otherwise the first reason. */
export function allOf(...needs: Found[]): Found {
  return needs.find((n) => !n.ok) ?? needs[0];
}

/** Where the found program is (only inside a test that testIf let run). */
export function located(need: Found): string {
  if (!need.ok) throw new Error(need.reason);
  return need.path;
}

/** setpriv flags that leave a root process with no capability (file modes then apply to it). */
const UNPRIVILEGED_FLAGS = ['--bounding-set=-all', '--inh-caps=-all'];

/** The command prefix that runs a child process without root's rights (see machine.unprivileged). */
export function unprivilegedPrefix(): string[] {
  const need = machine.unprivileged();
  if (!need.ok) throw new Error(need.reason);
  return need.path ? [need.path, ...UNPRIVILEGED_FLAGS] : [];
}

type TestFn = (name: string, fn: jest.ProvidesCallback, timeout?: number) => void;

function announce(name: string, reason: string): void {
  console.warn(`skipped: ${name}\n  because ${reason}\n  (MINSHENG_STRICT_TESTS=1 makes this a failure)`);
}

const strictFailure = (reason: string) => () => {
  throw new Error(`this test was not run: ${reason}. MINSHENG_STRICT_TESTS=1 requires every test to run.`);
};

/** `test` when the need is met; otherwise a skip that says why (a failure under MINSHENG_STRICT_TESTS=1). */
export function testIf(need: Found): TestFn {
  if (need.ok) return test;
  return (name) => {
    if (STRICT) return test(name, strictFailure(need.reason));
    announce(name, need.reason);
    test.skip(`${name} [skipped: ${need.reason}]`, () => undefined);
  };
}

/** `describe` when the need is met; otherwise the block is skipped with its reason (failed under strict). */
export function describeIf(need: Found): (name: string, fn: () => void) => void {
  if (need.ok) return describe;
  return (name) => {
    if (STRICT) return describe(name, () => test('runs', strictFailure(need.reason)));
    announce(name, need.reason);
    describe.skip(`${name} [skipped: ${need.reason}]`, () => test('runs', () => undefined));
  };
}
