// Every sentence of the add-in comes from the message catalogue (docs/design.md, "Messages and
// languages"): no Chinese in a string of addin/ (comments aside), none in its pages outside comments and
// the build's placeholders, and what the build puts into the pages reads in one script each.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { pageText } from '../scripts/addin-page-text';
import { ROOT } from './helpers/paths';
import { simplifiedOnly, traditionalOnly } from './helpers/script';

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * Names the workbook is recognised by, not sentences: the same in every language, or the pane would not
 * find the sheet it made before under the other script.
 */
const NAMES: Record<string, string[]> = {
  'addin/excel/chartImages.ts': ['圖表'],
};

function files(dir: string, ext: RegExp): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p, ext) : ext.test(e.name) ? [p] : [];
  });
}

/** The string and template pieces of a TypeScript file that hold Chinese. */
function chineseStrings(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteralLike(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) && HAN.test(node.text)) found.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('no Chinese string in addin/*.ts but the names a workbook is recognised by', () => {
  const scanned = files(path.join(ROOT, 'addin'), /\.ts$/);
  expect(scanned.length).toBeGreaterThan(10);
  for (const file of scanned) {
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    expect([rel, chineseStrings(file)]).toEqual([rel, NAMES[rel] ?? []]);
  }
});

test('the scan sees strings and template pieces, not comments', () => {
  const probe = path.join(ROOT, 'node_modules/.cache/addin-text-probe.ts');
  fs.mkdirSync(path.dirname(probe), { recursive: true });
  fs.writeFileSync(probe, "// 校驗 in a comment\nconst a = '已保存';\nconst b = `共${a}項`;\n/** 規範化 */\nconst c = 'ok';\n");
  try {
    expect(chineseStrings(probe)).toEqual(['已保存', '共', '項']);
  } finally {
    fs.rmSync(probe, { force: true });
  }
});

test('the pages hold no Chinese outside comments and the build’s placeholders', () => {
  const pages = files(path.join(ROOT, 'addin'), /\.html$/);
  expect(pages.map((p) => path.basename(p)).sort()).toEqual(['help.html', 'taskpane.html']);
  for (const page of pages) {
    const text = fs.readFileSync(page, 'utf8').replace(/<!--[\s\S]*?-->/g, '').replace(/<%[\s\S]*?%>/g, '').replace(/^\s*\/\/[^\n]*/gm, '');
    expect([path.basename(page), [...text].filter((ch) => HAN.test(ch)).join('')]).toEqual([path.basename(page), '']);
  }
});

test('what the build writes into the pages (the ES5 fallback, the support page) reads in one script each', () => {
  const text = pageText();
  const all = (lang: 'zh-CN' | 'zh-TW') => [text[lang].oldWebview, ...Object.values(text[lang].help)].join('\n');
  expect(all('zh-CN')).toMatch(/民生实事/);
  expect(traditionalOnly(all('zh-CN'))).toEqual([]);
  expect(all('zh-TW')).toMatch(/民生實事/);
  expect(simplifiedOnly(all('zh-TW'))).toEqual([]);
  expect(text['zh-CN'].help.settings).toMatch(/设置/);
  expect(text['zh-TW'].help.settings).toMatch(/設定/);
});
