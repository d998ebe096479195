// A generated part of the README, between two markers: the scripts that write one (schema-doc.ts,
// issue-doc.ts) rewrite it, or with `--check` fail when it is out of date (the test suite runs them).
import * as fs from 'node:fs';
import * as path from 'node:path';

export const README_PATH = path.resolve(__dirname, '..', 'README.md');

/** The README with the part between `begin` and `end` replaced by `doc`. */
export function withSection(readme: string, begin: string, end: string, doc: string): string {
  const start = readme.indexOf(begin);
  const stop = readme.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`README.md has no markers ${begin} … ${end}`);
  return `${readme.slice(0, start + begin.length)}\n${doc}\n${readme.slice(stop)}`;
}

/** Rewrites the section in README.md, or with --check exits 1 when it differs, saying which script to run. */
export function writeSection(begin: string, end: string, doc: string, script: string): void {
  const readme = fs.readFileSync(README_PATH, 'utf8');
  const next = withSection(readme, begin, end, doc);
  if (process.argv.includes('--check')) {
    if (next !== readme) {
      console.error(`README.md is out of date: run npx tsx ${script}`);
      process.exit(1);
    }
    return;
  }
  fs.writeFileSync(README_PATH, next);
}
