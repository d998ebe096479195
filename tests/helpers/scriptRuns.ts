// Shared by the tests that run the CLI as a reader of one script would (docs/design.md, "Messages and
// languages"; issue 10): simplified copies of the sample's workbooks, and the text a reader sees in the
// workbooks, chart specs and Word documents the CLI writes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { simplify } from '../../core/text';
import type { ServeHooks } from '../../pipeline/cli/commands/serve';
import { runCliWith, type CliResult } from './cli';

/** A copy of an xlsx with every text (cells and sheet names) put into simplified script by OpenCC. */
export async function simplifiedCopy(from: string, to: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(from);
  for (const ws of wb.worksheets) {
    ws.name = simplify(ws.name);
    for (const key of ['oddHeader', 'oddFooter', 'evenHeader', 'evenFooter', 'firstHeader', 'firstFooter'] as const) {
      const text = ws.headerFooter?.[key];
      if (typeof text === 'string') ws.headerFooter[key] = simplify(text);
    }
    ws.eachRow({ includeEmpty: false }, (row) =>
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (typeof cell.value === 'string') cell.value = simplify(cell.value);
        else if (cell.value && typeof cell.value === 'object' && 'richText' in cell.value) {
          cell.value = { richText: cell.value.richText.map((r) => ({ ...r, text: simplify(r.text) })) };
        } else if (cell.value && typeof cell.value === 'object' && 'formula' in cell.value && cell.value.formula) {
          // Formulas name sheets (now renamed) and cache text results.
          const { formula, result } = cell.value;
          cell.value = { formula: simplify(formula), result: typeof result === 'string' ? simplify(result) : result } as ExcelJS.CellFormulaValue;
        }
        // Drop-down lists and input messages are text too.
        if (cell.dataValidation) cell.dataValidation = JSON.parse(simplify(JSON.stringify(cell.dataValidation))) as ExcelJS.DataValidation;
      }),
    );
  }
  await wb.xlsx.writeFile(to);
}

/** Every text a reader of the workbook sees: sheet names and the text of every cell. */
export async function workbookText(file: string): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const parts: string[] = [];
  for (const ws of wb.worksheets) {
    parts.push(ws.name, JSON.stringify(ws.headerFooter ?? {}));
    // A merged area's text is its top-left cell's (the others' text would throw when that cell is empty).
    ws.eachRow({ includeEmpty: false }, (row) => row.eachCell({ includeEmpty: false }, (cell) => void (cell.isMerged && cell.master !== cell ? undefined : parts.push(cell.text))));
  }
  return parts.join('\n');
}

/** The words of every chart written next to the workbook: titles, axes, legends, labels (the .vl.json specs). */
export function chartText(dir: string): string {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.vl.json'))
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
}

/** The text of a Word document's body. */
export async function docxText(file: string): Promise<string> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const xml = await zip.file('word/document.xml')!.async('string');
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

/** Runs the CLI with the locale given and MINSHENG_LANG unset, as a fresh user's shell would. */
export async function asUser(locale: string, ...args: string[]): Promise<CliResult> {
  return asUserWith(locale, {}, ...args);
}

/** asUser with hooks (`serve.until` decides when a `minsheng serve` stops). */
export async function asUserWith(locale: string, hooks: { serve?: ServeHooks }, ...args: string[]): Promise<CliResult> {
  const saved = { MINSHENG_LANG: process.env.MINSHENG_LANG, LANG: process.env.LANG, LC_ALL: process.env.LC_ALL, LC_MESSAGES: process.env.LC_MESSAGES };
  delete process.env.MINSHENG_LANG;
  delete process.env.LC_ALL;
  delete process.env.LC_MESSAGES;
  process.env.LANG = locale;
  try {
    return await runCliWith(hooks, ...args);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}
