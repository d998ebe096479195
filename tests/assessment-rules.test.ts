// The rules workbook (考核細則): the example round-trips through a real .xlsx in both scripts, says it is
// an example, and every validation problem is reported at its sheet and cell; the lead departments
// are the plan's 牽頭單位 with names tidied (19 in 2024 across both attachments).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { exampleRules, readRulesWorkbook, rulesWorkbookLayout, type RulesContext } from '../core/assessment/rulesWorkbook';
import type { Grid } from '../core/grid';
import { a1 } from '../core/grid';
import { issueText, type Issue } from '../core/issues';
import { leadUnitsOf, resolveLeadUnit } from '../core/leadUnits';
import type { Lang } from '../core/messages';
import type { Plan } from '../core/model';
import { simplify } from '../core/text';
import { writeLayoutWorkbook } from '../pipeline/assessment/writeWorkbook';
import { combinedPlan, readPlanFiles } from '../pipeline/planFiles';
import { readWorkbook } from '../pipeline/xlsx/readWorkbook';
import { COMBINED_FILE, findCell, getCell, setCell, sheetOf } from './helpers/samples';
import { simplifiedOnly, traditionalOnly } from './helpers/script';

let plan: Plan;
let ctx: RulesContext;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-rules-'));
const written = new Map<Lang, Grid[]>();

beforeAll(async () => {
  plan = combinedPlan(await readPlanFiles([COMBINED_FILE])).plan;
  ctx = { plan, leadUnits: leadUnitsOf(plan).units };
  for (const lang of ['zh-TW', 'zh-CN'] as const) {
    const file = path.join(dir, `rules-${lang}.xlsx`);
    await writeLayoutWorkbook(rulesWorkbookLayout(exampleRules(ctx, lang), ctx, lang, true), file, { db: path.join(dir, 'db') });
    written.set(lang, (await readWorkbook(file)).sheets);
  }
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const grids = (lang: Lang = 'zh-TW') => structuredClone(written.get(lang)!);
const errors = (issues: Issue[]) => issues.filter((i) => i.severity === 'error');
const located = (issues: Issue[]) => issues.map((i) => [i.code, i.sheet, i.cell]);

describe('lead departments', () => {
  test('19 in the 2024 plan across both attachments, names tidied, each project led by one', () => {
    const { units, byProject } = leadUnitsOf(plan);
    expect(units).toHaveLength(19);
    expect(units.map((u) => u.name)).toContain('市衛生健康委員會');
    expect(units.every((u) => !/\s/.test(u.name))).toBe(true);
    expect(byProject.size).toBe(48);
    expect(byProject.get(3)).toEqual(['市衛生健康委員會']);
    expect(byProject.get(11)).toEqual(['市人力社保局']);
  });

  test('spellings in the other script, with stray spaces, or split over lines are the same unit', () => {
    const variant: Plan = {
      ...plan,
      responsibilities: plan.responsibilities.map((r, i) => ({ ...r, leadUnit: i % 3 === 0 ? simplify(r.leadUnit) : i % 3 === 1 ? [...r.leadUnit].join(' ') : `${r.leadUnit}\n` })),
    };
    const { units } = leadUnitsOf(variant);
    expect(units).toHaveLength(19);
    expect(resolveLeadUnit('市卫生健康委员会', units)).toMatchObject({ kind: 'found', unit: { name: expect.stringMatching(/^市(衛|卫)生健康(委員會|委员会)$/) } });
    expect(resolveLeadUnit('民政局', units)).toMatchObject({ kind: 'found' });
    expect(resolveLeadUnit('杭州市民政局', units)).toMatchObject({ kind: 'found' });
    expect(resolveLeadUnit('市民證局', units)).toMatchObject({ kind: 'unknown', suggestion: { name: '市民政局' } });
  });
});

describe('the example rules workbook', () => {
  test.each(['zh-TW', 'zh-CN'] as const)('round-trips in %s: what is read back is what was written, without an issue', (lang) => {
    const read = readRulesWorkbook(grids(lang), ctx);
    expect(read.issues).toEqual([]);
    expect(read.rules).toEqual(exampleRules(ctx, lang));
  });

  test('says on every sheet, in bold red, that its numbers are an example, not the city rules', async () => {
    for (const grid of grids()) {
      const text = grid.values.flat().filter((v) => typeof v === 'string').join('\n');
      expect([grid.sheet, /範例/.test(text) && /不是杭州市的正式考核細則/.test(text)]).toEqual([grid.sheet, true]);
    }
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dir, 'rules-zh-TW.xlsx'));
    for (const ws of wb.worksheets) {
      let warning: ExcelJS.Cell | undefined;
      ws.eachRow((row) => row.eachCell((cell) => (warning ??= String(cell.value).startsWith('注意：本工作簿是範例') ? cell : undefined)));
      expect([ws.name, warning?.font?.bold, warning?.font?.color?.argb]).toEqual([ws.name, true, 'FFC00000']);
    }
  });

  test('holds the components the notice names, points adding up, every planned district and lead unit, one weight per metric', () => {
    const rules = exampleRules(ctx, 'zh-TW');
    const names = (type: string) => rules.components.filter((c) => c.type === type).map((c) => c.name);
    expect(names('district')).toEqual(['完成情況', '進度', '滿意度測評', '第三方評價', '通報評價優劣度', '參與監督積極性']);
    expect(names('lead_unit')).toContain('牽頭實施任務量');
    for (const s of rules.settings) expect(rules.components.filter((c) => c.type === s.type).reduce((n, c) => n + c.points, 0)).toBe(s.fullPoints);
    expect(rules.assessees.filter((a) => a.type === 'district')).toHaveLength(15);
    expect(rules.assessees.filter((a) => a.type === 'lead_unit')).toHaveLength(19);
    expect(rules.weights).toHaveLength(plan.metrics.filter((m) => m.kind !== 'city-only').length);
  });
});

describe('validation: each problem at its cell', () => {
  /** The cell in `column` (header text) on the row whose cell in `keyColumn` reads `key`. */
  function cellOf(grid: Grid, column: string, key: string, keyColumn?: string, occurrence = 1): { row: number; col: number } {
    const header = findCell(grid, column);
    const keyAt = findCell(grid, key, occurrence);
    if (keyColumn) expect(keyAt.col).toBe(findCell(grid, keyColumn).col);
    return { row: keyAt.row, col: header.col };
  }

  test('points that do not add up to the stated total: at 總則\'s 滿分', () => {
    const g = grids();
    const components = sheetOf(g, '考核項目');
    setCell(components, cellOf(components, '分值', '完成情況'), 35);
    const settings = sheetOf(g, '總則');
    const full = cellOf(settings, '滿分', '區縣');
    const read = readRulesWorkbook(g, ctx);
    expect(located(errors(read.issues))).toEqual([['assess-points-total', '總則', a1(full.row, full.col)]]);
    expect(issueText(read.issues[0], 'zh-TW')).toContain('合計為105');
  });

  test('an unknown project and a metric of another project in 指標權重', () => {
    const g = grids();
    const weights = sheetOf(g, '指標權重');
    const no = cellOf(weights, '項目序號', '1-1');
    no.col = findCell(weights, '項目序號').col;
    setCell(weights, no, 99);
    const id = cellOf(weights, '指標編號', '2-1');
    setCell(weights, id, '3-1');
    const read = readRulesWorkbook(g, ctx);
    expect(located(errors(read.issues))).toEqual([
      ['assess-unknown-project', '指標權重', a1(no.row, no.col)],
      ['assess-unknown-metric', '指標權重', a1(id.row, id.col)],
    ]);
  });

  test('a project name that is not the plan\'s for its number', () => {
    const g = grids();
    const weights = sheetOf(g, '指標權重');
    const name = findCell(weights, '新增老年助餐服務點227個');
    setCell(weights, name, '新增認知障礙照護專區床位1000張');
    const read = readRulesWorkbook(g, ctx);
    expect(located(errors(read.issues))).toEqual([['assess-unknown-project', '指標權重', a1(name.row, name.col)]]);
    expect(read.issues[0].fix?.value).toBe('新增老年助餐服務點227個');
  });

  test('a method missing a parameter: linear without 上限, per-event without 基礎分', () => {
    const g = grids();
    const components = sheetOf(g, '考核項目');
    const upper = cellOf(components, '上限', '進度');
    setCell(components, upper, null);
    const base = cellOf(components, '基礎分', '通報評價優劣度');
    setCell(components, base, '');
    const read = readRulesWorkbook(g, ctx);
    expect(located(errors(read.issues))).toEqual(
      expect.arrayContaining([
        ['assess-missing-parameter', '考核項目', a1(upper.row, upper.col)],
        ['assess-missing-parameter', '考核項目', a1(base.row, base.col)],
      ]),
    );
    expect(issueText(read.issues.find((i) => i.cell === a1(upper.row, upper.col))!, 'zh-TW')).toBe('「進度」用比例線性計分，但沒有填寫上限。');
  });

  test('a band list with a gap, and one not starting at the bottom', () => {
    const g = grids();
    const bands = sheetOf(g, '分檔');
    const lowerCol = findCell(bands, '下限（含）').col;
    const rowOf80 = findCell(bands, '第三方評價', 3).row;
    setCell(bands, { row: rowOf80, col: lowerCol }, 0.85);
    let read = readRulesWorkbook(g, ctx);
    expect(located(errors(read.issues))).toEqual([['assess-band-gap', '分檔', a1(rowOf80, lowerCol)]]);
    expect(issueText(read.issues.find((i) => i.code === 'assess-band-gap')!, 'zh-TW')).toContain('80%到85%之間');

    const g2 = grids();
    const bands2 = sheetOf(g2, '分檔');
    const first = findCell(bands2, '第三方評價', 1).row;
    setCell(bands2, { row: first, col: lowerCol }, 0.1);
    read = readRulesWorkbook(g2, ctx);
    expect(located(errors(read.issues))).toEqual([['assess-band-gap', '分檔', a1(first, lowerCol)]]);
  });

  test('a rank list with a gap, and one that stops', () => {
    const g = grids();
    const ranks = sheetOf(g, '名次分');
    const fromCol = findCell(ranks, '名次自').col;
    const toCol = findCell(ranks, '名次至').col;
    const second = findCell(ranks, '牽頭實施任務量', 2).row;
    setCell(ranks, { row: second, col: fromCol }, 5);
    const last = findCell(ranks, '牽頭實施任務量', 4).row;
    setCell(ranks, { row: last, col: toCol }, 19);
    const read = readRulesWorkbook(g, ctx);
    expect(located(errors(read.issues))).toEqual([
      ['assess-band-gap', '名次分', a1(second, fromCol)],
      ['assess-band-gap', '名次分', a1(last, toCol)],
    ]);
    expect(issueText(read.issues[0], 'zh-TW')).toContain('第4到第4名沒有分數');
  });

  test('rank ranges that overlap, and points above the component\'s', () => {
    const g = grids();
    const ranks = sheetOf(g, '名次分');
    const fromCol = findCell(ranks, '名次自').col;
    const pointsCol = findCell(ranks, '得分').col;
    const second = findCell(ranks, '牽頭實施任務量', 2).row;
    setCell(ranks, { row: second, col: fromCol }, 3);
    const third = findCell(ranks, '牽頭實施任務量', 3).row;
    setCell(ranks, { row: third, col: pointsCol }, 16);
    const read = readRulesWorkbook(g, ctx);
    expect(located(errors(read.issues))).toEqual([
      ['assess-points-above-full', '名次分', a1(third, pointsCol)],
      ['assess-band-overlap', '名次分', a1(second, fromCol)],
    ]);
  });

  test('a ratio written as a bare number, an unknown word, a method the source cannot use', () => {
    const g = grids();
    const components = sheetOf(g, '考核項目');
    const lower = cellOf(components, '下限', '滿意度測評');
    setCell(components, lower, 60);
    const method = cellOf(components, '計分方法', '通報評價優劣度');
    setCell(components, method, '比例線性');
    const source = cellOf(components, '資料來源', '參與監督積極性');
    setCell(components, source, '群眾來信');
    const read = readRulesWorkbook(g, ctx);
    expect(located(errors(read.issues))).toEqual(
      expect.arrayContaining([
        ['assess-parameter-range', '考核項目', a1(lower.row, lower.col)],
        ['assess-method-source', '考核項目', a1(method.row, method.col)],
        ['assess-unknown-word', '考核項目', a1(source.row, source.col)],
      ]),
    );
    expect(read.issues.find((i) => i.code === 'assess-parameter-range')?.fix?.value).toBe(0.6);
    // The words a cell may hold are named in the reader's script, as the rest of the sentence is.
    const methodSource = read.issues.find((i) => i.code === 'assess-method-source')!;
    expect(traditionalOnly(issueText(methodSource, 'zh-CN'))).toEqual([]);
    expect(simplifiedOnly(issueText(methodSource, 'zh-TW'))).toEqual([]);
  });

  test('an unknown district, a misspelled lead unit with its fix, a year that is not the plan\'s', () => {
    const g = grids();
    const assessees = sheetOf(g, '考核對象');
    const district = findCell(assessees, '上城區');
    setCell(assessees, district, '上海區');
    const unit = findCell(assessees, '市民政局');
    setCell(assessees, unit, '市民證局');
    const settings = sheetOf(g, '總則');
    const year = { row: findCell(settings, '考核年度').row, col: findCell(settings, '考核年度').col + 1 };
    expect(getCell(settings, year)).toBe(2024);
    setCell(settings, year, 2023);
    const read = readRulesWorkbook(g, ctx);
    expect(located(errors(read.issues))).toEqual([
      ['assess-year-mismatch', '總則', a1(year.row, year.col)],
      ['assess-unknown-assessee', '考核對象', a1(district.row, district.col)],
      ['assess-unknown-assessee', '考核對象', a1(unit.row, unit.col)],
    ]);
    expect(read.issues.find((i) => i.cell === a1(unit.row, unit.col))?.fix?.value).toBe('市民政局');
    // A district left out is a warning, not an error: it is simply not assessed.
    expect(read.issues.filter((i) => i.code === 'assess-not-listed').map((i) => i.severity)).toEqual(['warning']);
  });

  test('sheets in simplified script with full-width digits and stray spaces read the same', () => {
    const g = grids('zh-CN');
    const components = sheetOf(g, '考核项目');
    const points = cellOf(components, '分值', '完成情况');
    setCell(components, points, '３０ ');
    expect(errors(readRulesWorkbook(g, ctx).issues)).toEqual([]);
  });

  test('a missing sheet is reported by name', () => {
    const g = grids().filter((s) => s.sheet !== '考核對象');
    expect(located(errors(readRulesWorkbook(g, ctx).issues))).toEqual([['assess-sheet-missing', '考核對象', undefined]]);
  });
});
