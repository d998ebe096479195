// `minsheng template` as a supervisor uses it: any spelling of the district, refusal to overwrite,
// Chinese messages for every mistake.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openStore } from '../pipeline/db/store';
import { DISTRICTS } from '../core/districts';
import type { Plan } from '../core/model';
import { readSubmissions } from '../core/submission';
import { simplify } from '../core/text';
import { templateSheetName } from '../pipeline/template';
import { readWorkbook } from '../pipeline/xlsx/readWorkbook';
import { runCli } from './helpers/cli';
import { simplifiedOnly, traditionalOnly } from './helpers/script';
import { storeWith } from './helpers/store';
import { smallPlan } from './helpers/submissionPlan';
import { removeTempDirs, tempDir } from './helpers/tempDir';

const dir = tempDir('minsheng-template-cli-');
/** A database holding the small plan, as `minsheng plan load` leaves it. */
const db = path.join(dir, 'plan.duckdb');

beforeAll(async () => {
  (await storeWith(smallPlan(), [], db)).store.close();
});
afterAll(removeTempDirs);

/** `minsheng template <args>`, with the plan from the test database unless the arguments name another. */
const run = (args: string[]) => runCli('template', ...args, ...(args.includes('--db') ? [] : ['--db', db]));

test('writes the template for a district given in simplified script, from the plan in --db', async () => {
  const file = path.join(dir, '上城.xlsx');
  const result = await run(['--district', '上城区', '--as-of', '2024年9月30日', '-o', file]);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout).toContain('上城區');
  expect(result.stdout).toContain('5個指標');
  const grid = (await readWorkbook(file)).sheets.find((g) => g.sheet === templateSheetName('zh-TW'))!;
  const { submissions } = readSubmissions(grid, smallPlan());
  expect(submissions[0]).toMatchObject({ district: '上城區', asOf: '2024-09-30' });
  expect(fs.readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([]);
});

test.each([
  ['zh-CN', '进度报送表', '填报说明'],
  ['zh-TW', '進度報送表', '填報說明'],
] as const)('--lang %s writes the template in that script (data keeps the plan\'s), and it reads back the same', async (lang, sheet, help) => {
  const file = path.join(dir, `上城-${lang}.xlsx`);
  const result = await run(['--district', '上城', '--as-of', '2024-09-30', '-o', file, '--lang', lang]);
  expect(result).toMatchObject({ code: 0, stderr: '' });
  const book = await readWorkbook(file);
  expect(book.sheets.map((g) => g.sheet)).toEqual([sheet, help]);
  const grid = book.sheets[0];
  expect(grid.values[1][0]).toBe(lang === 'zh-CN' ? '填报单位：上城區' : '填報單位：上城區');
  const words = book.sheets.flatMap((g) => g.values.flat()).filter((v): v is string => typeof v === 'string');
  const plan = smallPlan();
  const data = ['上城區', ...plan.projects.map((p) => p.name), ...plan.metrics.flatMap((m) => [m.label, m.unit])].filter(Boolean);
  const shown = words.map((w) => data.reduce((rest, d) => rest.split(d).join(' '), w)).join('\n');
  expect(lang === 'zh-CN' ? traditionalOnly(shown) : simplifiedOnly(shown)).toEqual([]);
  expect(readSubmissions(grid, plan).submissions).toEqual([{ district: '上城區', asOf: '2024-09-30', layout: 'template', rows: [] }]);
});

test('with nothing choosing a language, a simplified plan gets a simplified template, its districts as the plan writes them', async () => {
  const base = smallPlan();
  const plan: Plan = {
    ...base,
    projects: base.projects.map((p) => ({ ...p, name: simplify(p.name) })),
    metrics: base.metrics.map((m) => ({ ...m, label: simplify(m.label), unit: simplify(m.unit) })),
    districtNames: Object.fromEntries(DISTRICTS.map((d) => [d.name, simplify(d.name)])),
  };
  const cnDb = path.join(dir, 'plan-simplified.duckdb');
  (await storeWith(plan, [], cnDb)).store.close();
  const file = path.join(dir, '上城-简体.xlsx');
  const chosen = ['MINSHENG_LANG', 'LANG', 'LC_ALL', 'LC_MESSAGES'] as const;
  const saved = chosen.map((k) => [k, process.env[k]] as const);
  for (const k of chosen) delete process.env[k];
  let result;
  try {
    result = await run(['--district', '上城', '--as-of', '2024-09-30', '-o', file, '--db', cnDb]);
  } finally {
    for (const [k, v] of saved) if (v !== undefined) process.env[k] = v;
  }
  expect(result).toMatchObject({ code: 0, stderr: '' });
  expect(result.stdout).toContain('上城区');
  expect(traditionalOnly(result.stdout)).toEqual([]);
  const book = await readWorkbook(file);
  expect(book.sheets[0].values[1][0]).toBe('填报单位：上城区');
  const text = book.sheets.flatMap((g) => [g.sheet, ...g.values.flat().filter((v): v is string => typeof v === 'string')]).join('\n');
  expect(traditionalOnly(text)).toEqual([]);
  expect(readSubmissions(book.sheets[0], plan).submissions).toEqual([{ district: '上城區', asOf: '2024-09-30', layout: 'template', rows: [] }]);
});

test('refuses to overwrite an existing file unless --force', async () => {
  const file = path.join(dir, 'existing.xlsx');
  fs.writeFileSync(file, 'keep me');
  const refused = await run(['--district', '淳安', '--as-of', '2024-09-30', '-o', file]);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toContain('已存在');
  expect(refused.stderr).toContain('--force');
  expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  const forced = await run(['--district', '淳安', '--as-of', '2024-09-30', '-o', file, '--force']);
  expect(forced.code).toBe(0);
  expect(fs.readFileSync(file).subarray(0, 2).toString()).toBe('PK');
});

test.each([
  [['--district', '海淀區', '--as-of', '2024-09-30'], /海淀區.*無法識別.*上城區、/],
  [['--district', '西湖', '--as-of', '2024-09-30'], /歧義/],
  [['--district', '上成區', '--as-of', '2024-09-30'], /是否為「上城區」/],
  [['--district', '上城區', '--as-of', '九月底'], /截至日期「九月底」無法識別/],
  [['--district', '上城區', '--as-of', '2023-09-30'], /不在計劃年度2024年內/],
  [['--district', '拱墅區', '--as-of', '2024-09-30'], /拱墅區.*沒有分解到的量化任務/],
])('%j is refused with a Chinese message and no file', async (args, message) => {
  const file = path.join(dir, `refused-${args[1]}-${args[3]}.xlsx`);
  const result = await run([...args, '-o', file]);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(message);
  expect(fs.existsSync(file)).toBe(false);
});

test('a database without a plan says how to load one', async () => {
  const empty = path.join(dir, 'empty.duckdb');
  (await openStore(empty)).close();
  const result = await run(['--district', '上城區', '--as-of', '2024-09-30', '-o', path.join(dir, 'noplan.xlsx'), '--db', empty]);
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain('還沒有計劃');
  expect(result.stderr).toContain('minsheng plan load');
  expect(fs.existsSync(path.join(dir, 'noplan.xlsx'))).toBe(false);
});

test('an output that is not .xlsx, or in a missing folder, is refused', async () => {
  expect((await run(['--district', '上城區', '--as-of', '2024-09-30', '-o', path.join(dir, 'x.xls')])).stderr).toContain('.xlsx');
  expect((await run(['--district', '上城區', '--as-of', '2024-09-30', '-o', path.join(dir, 'nope', 'x.xlsx')])).stderr).toContain('不存在');
});
