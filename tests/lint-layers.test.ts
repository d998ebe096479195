// The layer rules of eslint.config.mjs (docs/design.md, "Layers") hold: ESLint, run as `npm run lint`
// runs it, refuses an import that crosses a layer the wrong way and lets the allowed ones through.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** Per line of `lines`, the rules ESLint reports when they are the file `file` (relative to the repository). */
function ruleIdsByLine(file: string, lines: string[]): string[][] {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '--stdin', '--stdin-filename', file], {
    cwd: ROOT,
    input: `${lines.join('\n')}\n`,
    encoding: 'utf8',
  });
  const [result] = JSON.parse(run.stdout) as { messages: { line: number; ruleId: string | null; message: string }[] }[];
  return lines.map((_, i) => result.messages.filter((m) => m.line === i + 1).map((m) => m.ruleId ?? m.message));
}

test('core/ takes no Node built-in, no adapter, no npm package but zod and opencc-js, and no Office.js', () => {
  const lines = [
    "import * as a from 'node:fs';",
    "import * as b from 'path';",
    "import * as c from '../../pipeline/db/store';",
    "import * as d from '../../addin/service';",
    "import * as e from 'exceljs';",
    "import { z } from 'zod';",
    "import * as f from 'opencc-js/t2cn';",
    "import { ADDIN } from './catalogue/addin';",
    'export const x = [a, b, c, d, e, z, f, ADDIN];',
    'export const y = Office.context;',
  ];
  const ids = ruleIdsByLine('core/messages/probe.ts', lines);
  for (let i = 0; i < 5; i++) expect([lines[i], ids[i]]).toEqual([lines[i], expect.arrayContaining(['no-restricted-imports'])]);
  expect(ids.slice(5, 9)).toEqual([[], [], [], []]);
  expect(ids[9]).toEqual(['no-restricted-globals']);
});

test('pipeline/server/ never imports pipeline/cli/, pipeline/ never imports addin/, addin/ never imports pipeline/', () => {
  expect(ruleIdsByLine('pipeline/server/probe.ts', ["import { main } from '../cli/main';", "import { parameter } from '../parameters';", "import * as a from '../../addin/service';", 'export const x = [main, parameter, a];'])).toEqual([
    ['no-restricted-imports'],
    [],
    ['no-restricted-imports'],
    [],
  ]);
  expect(ruleIdsByLine('addin/excel/probe.ts', ["import { main } from '../../pipeline/cli/main';", "import { t } from '../../core/messages';", 'export const x = [main, t];'])).toEqual([
    ['no-restricted-imports'],
    [],
    [],
  ]);
});
