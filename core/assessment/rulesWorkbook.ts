// The rules workbook (考核細則.xlsx) the 督查室 edits in Excel: its layout (written by `minsheng assess
// rules`, filled with the example) and its reading, validated like the attachments — every problem an
// issue at its sheet and cell, in Chinese (docs/design.md, "The year-end assessment").
import { shownDistrict } from '../districtNames';
import { DISTRICTS, resolveDistrict } from '../districts';
import type { Grid } from '../grid';
import type { Issue } from '../issues';
import { resolveLeadUnit, type LeadUnit } from '../leadUnits';
import { listOf, msg, t, type Lang, type PlainMessageId } from '../messages';
import type { ParamValue } from '../messages/template';
import type { Plan } from '../model';
import { matchKey, toHalfWidth } from '../text';
import example from './exampleRules.json';
import { percentCell, type LayoutCellValue, type LayoutSheet, type LayoutWorkbook } from './layout';
import {
  RATIO_SOURCES,
  SOURCE_ASSESSEES,
  SOURCE_METHODS,
  type AssesseeType,
  type Band,
  type Component,
  type RankPoints,
  type RuleSet,
  type Setting,
  type Tier,
  type Weight,
} from './rules';
import { at, isBlankCell, labelledValue, parseNumber, parseWord, readTable, sheetNamed, type TableCell, type TableRow } from './table';
import { inBothScripts, METHOD_ID, METHOD_WORDS, MISSING_ID, MISSING_WORDS, SOURCE_ID, SOURCE_WORDS, TYPE_ID, TYPE_WORDS, YES_NO_WORDS } from './vocabulary';

// ---------------------------------------------------------------------------------------------
// Sheets and columns

export const RULE_SHEETS = {
  readme: 'assess.sheet.readme',
  settings: 'assess.sheet.settings',
  assessees: 'assess.sheet.assessees',
  components: 'assess.sheet.components',
  bands: 'assess.sheet.bands',
  rankPoints: 'assess.sheet.rankPoints',
  tiers: 'assess.sheet.tiers',
  weights: 'assess.sheet.weights',
} as const satisfies Record<string, PlainMessageId>;

type Col<K extends string> = { key: K; id: PlainMessageId; synonyms?: readonly string[] };

const SETTINGS_COLUMNS: Col<'type' | 'fullPoints' | 'awardQuota' | 'note'>[] = [
  { key: 'type', id: 'assess.col.type', synonyms: ['類別', '考核對象'] },
  { key: 'fullPoints', id: 'assess.col.fullPoints', synonyms: ['總分', '滿分值'] },
  { key: 'awardQuota', id: 'assess.col.awardQuota', synonyms: ['獎勵名額', '名額'] },
  { key: 'note', id: 'assess.col.note', synonyms: ['備註'] },
];
const ASSESSEE_COLUMNS: Col<'type' | 'name' | 'included'>[] = [
  { key: 'type', id: 'assess.col.type', synonyms: ['類別'] },
  { key: 'name', id: 'assess.col.name', synonyms: ['考核對象', '單位', '單位名稱', '區縣', '牽頭單位'] },
  { key: 'included', id: 'assess.col.included', synonyms: ['是否參加考核', '是否考核', '考核'] },
];
type ComponentKey = 'type' | 'name' | 'points' | 'source' | 'method' | 'lower' | 'upper' | 'basePoints' | 'plusPoints' | 'minusPoints' | 'minPoints' | 'caseDeduction' | 'whenMissing' | 'note';
const COMPONENT_COLUMNS: Col<ComponentKey>[] = [
  { key: 'type', id: 'assess.col.type', synonyms: ['類別'] },
  { key: 'name', id: 'assess.col.component', synonyms: ['考核內容', '指標', '項目'] },
  { key: 'points', id: 'assess.col.points', synonyms: ['分數', '權重分'] },
  { key: 'source', id: 'assess.col.source', synonyms: ['來源', '數據'] },
  { key: 'method', id: 'assess.col.method', synonyms: ['方法', '計分方式'] },
  { key: 'lower', id: 'assess.col.lower' },
  { key: 'upper', id: 'assess.col.upper' },
  { key: 'basePoints', id: 'assess.col.basePoints' },
  { key: 'plusPoints', id: 'assess.col.plusPoints' },
  { key: 'minusPoints', id: 'assess.col.minusPoints' },
  { key: 'minPoints', id: 'assess.col.minPoints' },
  { key: 'caseDeduction', id: 'assess.col.caseDeduction' },
  { key: 'whenMissing', id: 'assess.col.whenMissing', synonyms: ['缺項', '缺失處理'] },
  { key: 'note', id: 'assess.col.note', synonyms: ['備註'] },
];
const BAND_COLUMNS: Col<'type' | 'component' | 'lower' | 'upper' | 'points'>[] = [
  { key: 'type', id: 'assess.col.type', synonyms: ['類別'] },
  { key: 'component', id: 'assess.col.component', synonyms: ['考核內容'] },
  { key: 'lower', id: 'assess.col.bandLower', synonyms: ['下限', '最低'] },
  { key: 'upper', id: 'assess.col.bandUpper', synonyms: ['上限', '最高'] },
  { key: 'points', id: 'assess.col.bandPoints', synonyms: ['分值', '得分值'] },
];
const RANK_COLUMNS: Col<'type' | 'component' | 'from' | 'to' | 'points'>[] = [
  { key: 'type', id: 'assess.col.type', synonyms: ['類別'] },
  { key: 'component', id: 'assess.col.component', synonyms: ['考核內容'] },
  { key: 'from', id: 'assess.col.rankFrom', synonyms: ['名次從', '起始名次'] },
  { key: 'to', id: 'assess.col.rankTo', synonyms: ['名次到', '截止名次'] },
  { key: 'points', id: 'assess.col.bandPoints', synonyms: ['分值'] },
];
const TIER_COLUMNS: Col<'type' | 'tier' | 'minTotal' | 'award'>[] = [
  { key: 'type', id: 'assess.col.type', synonyms: ['類別'] },
  { key: 'tier', id: 'assess.col.tier', synonyms: ['等級', '檔次'] },
  { key: 'minTotal', id: 'assess.col.minTotal', synonyms: ['分數線', '最低總分'] },
  { key: 'award', id: 'assess.col.award', synonyms: ['行政獎勵', '可獎勵'] },
];
const WEIGHT_COLUMNS: Col<'projectNo' | 'projectName' | 'metricId' | 'metric' | 'weight'>[] = [
  { key: 'projectNo', id: 'assess.col.projectNo', synonyms: ['序號', '項目編號'] },
  { key: 'projectName', id: 'assess.col.projectName', synonyms: ['項目', '民生實事項目'] },
  { key: 'metricId', id: 'assess.col.metricId', synonyms: ['指標代碼'] },
  { key: 'metric', id: 'assess.col.metric', synonyms: ['指標名稱', '量化目標'] },
  { key: 'weight', id: 'assess.col.weight', synonyms: ['權數', '比重'] },
];

const specsOf = <K extends string>(cols: readonly Col<K>[]) => cols.map((c) => ({ key: c.key, label: t('zh-TW', c.id), synonyms: [t('zh-CN', c.id), ...(c.synonyms ?? [])] }));
const headerOf = <K extends string>(cols: readonly Col<K>[], lang: Lang) => cols.map((c) => t(lang, c.id));

// ---------------------------------------------------------------------------------------------
// What the rules are checked against

export interface RulesContext {
  plan: Plan;
  leadUnits: readonly LeadUnit[];
}

/** Districts with at least one target in the plan, in 附件2 order. */
export function plannedDistricts(plan: Plan): string[] {
  const withTargets = new Set(plan.targets.map((t) => t.district));
  return DISTRICTS.filter((d) => withTargets.has(d.name)).map((d) => d.name);
}

// ---------------------------------------------------------------------------------------------
// The example

interface ExampleComponent {
  type: AssesseeType;
  nameId: string;
  points: number;
  source: Component['source'];
  method: Component['method'];
  lower?: number;
  upper?: number;
  basePoints?: number;
  plusPoints?: number;
  minusPoints?: number;
  minPoints?: number;
  caseDeduction?: number;
  whenMissing: Component['whenMissing'];
}

/**
 * The example rules for a plan: the components the notice names, with example points and methods
 * (core/assessment/exampleRules.json), every planned district and lead unit assessed (but 市本級), every
 * metric weighing 1. Names are in `lang`. Not the city's rules, and the workbook says so.
 */
export function exampleRules(ctx: RulesContext, lang: Lang): RuleSet {
  const name = (id: string) => t(lang, id as PlainMessageId);
  const excluded = example.excluded as Record<AssesseeType, string[]>;
  const components = (example.components as ExampleComponent[]).map((c, i, all) => ({
    ...c,
    nameId: undefined,
    no: all.slice(0, i).filter((o) => o.type === c.type).length + 1,
    name: name(c.nameId),
    note: name(`assess.rules.method-note.${c.method}`),
  }));
  return {
    year: ctx.plan.year,
    settings: example.settings as Setting[],
    assessees: [
      ...plannedDistricts(ctx.plan).map((d) => ({ type: 'district' as const, name: d, included: !excluded.district.includes(d) })),
      ...ctx.leadUnits.map((u) => ({ type: 'lead_unit' as const, name: u.name, included: !excluded.lead_unit.includes(u.name) })),
    ],
    components: components.map(({ nameId: _, ...c }) => c),
    bands: example.bands.map(({ nameId, ...b }) => ({ ...b, type: b.type as AssesseeType, component: name(nameId) })),
    rankPoints: example.rankPoints.map(({ nameId, ...r }) => ({ ...r, type: r.type as AssesseeType, component: name(nameId) })),
    tiers: example.tiers.map(({ nameId, ...tier }, i, all) => ({
      ...tier,
      type: tier.type as AssesseeType,
      name: name(nameId),
      order: all.slice(0, i).filter((o) => o.type === tier.type).length + 1,
    })),
    weights: ctx.plan.metrics.filter((m) => m.kind !== 'city-only').map((m) => ({ metricId: m.id, weight: example.defaultWeight })),
  };
}

// ---------------------------------------------------------------------------------------------
// Layout

/** The rules as a workbook; `isExample` adds the notice that the numbers are an example, not the city's. */
export function rulesWorkbookLayout(rules: RuleSet, ctx: RulesContext, lang: Lang, isExample: boolean): LayoutWorkbook {
  const tr = (id: PlainMessageId) => t(lang, id);
  const typeWord = (type: AssesseeType) => tr(TYPE_ID[type]);
  const yesNo = (b: boolean) => tr(b ? 'assess.yes' : 'assess.no');
  const warning = isExample ? [{ text: tr('assess.rules.example-warning'), tone: 'warning' as const }] : [];
  const typeList = { values: [typeWord('district'), typeWord('lead_unit')] };
  const isRatio = (c: Component) => RATIO_SOURCES.includes(c.source);
  const componentOf = (type: AssesseeType, name: string) => rules.components.find((c) => c.type === type && c.name === name);
  const bound = (c: Component | undefined, v: number | undefined): LayoutCellValue => (v === undefined ? null : c && isRatio(c) ? percentCell(v) : v);
  const projectName = new Map(ctx.plan.projects.map((p) => [p.no, p.name]));
  const weightOf = new Map(rules.weights.map((w) => [w.metricId, w.weight]));

  const readme: LayoutSheet = {
    name: tr(RULE_SHEETS.readme),
    title: t(lang, 'assess.rules.title', { year: rules.year }),
    lines: [...warning, ...README_LINES.map((id) => ({ text: tr(id) }))],
    widths: [120],
  };
  const settings: LayoutSheet = {
    name: tr(RULE_SHEETS.settings),
    title: t(lang, 'assess.rules.title', { year: rules.year }),
    fields: [{ label: tr('assess.label.year'), value: rules.year }],
    lines: [...warning, { text: tr('assess.rules.settings-hint'), tone: 'hint' }],
    header: headerOf(SETTINGS_COLUMNS, lang),
    rows: rules.settings.map((s) => [typeWord(s.type), s.fullPoints, s.awardQuota, tr(s.type === 'district' ? 'assess.rules.settings-note.district' : 'assess.rules.settings-note.lead_unit')]),
    widths: [14, 10, 14, 70],
    lists: [{ col: 1, ...typeList }],
    inputCols: [2, 3],
  };
  const assessees: LayoutSheet = {
    name: tr(RULE_SHEETS.assessees),
    title: tr('assess.rules.assessees-title'),
    lines: [...warning, { text: tr('assess.rules.assessees-hint'), tone: 'hint' }],
    header: headerOf(ASSESSEE_COLUMNS, lang),
    // Districts as the plan writes them (臨平區 or 临平区); reading the sheet back keys them by canonical name.
    rows: rules.assessees.map((a) => [typeWord(a.type), a.type === 'district' ? shownDistrict(ctx.plan.districtNames, a.name) : a.name, yesNo(a.included)]),
    widths: [14, 24, 12],
    lists: [{ col: 1, ...typeList }, { col: 3, values: [tr('assess.yes'), tr('assess.no')] }],
    inputCols: [3],
  };
  const components: LayoutSheet = {
    name: tr(RULE_SHEETS.components),
    title: tr('assess.rules.components-title'),
    lines: [...warning, ...COMPONENT_HINTS.map((id) => ({ text: tr(id), tone: 'hint' as const }))],
    header: headerOf(COMPONENT_COLUMNS, lang),
    rows: rules.components.map((c) => [
      typeWord(c.type),
      c.name,
      c.points,
      tr(SOURCE_ID[c.source]),
      tr(METHOD_ID[c.method]),
      bound(c, c.lower),
      bound(c, c.upper),
      c.basePoints ?? null,
      c.plusPoints ?? null,
      c.minusPoints ?? null,
      c.minPoints ?? null,
      c.caseDeduction ?? null,
      tr(MISSING_ID[c.whenMissing]),
      c.note ?? null,
    ]),
    widths: [12, 18, 8, 16, 14, 9, 9, 9, 10, 10, 10, 14, 14, 60],
    lists: [
      { col: 1, ...typeList },
      { col: 4, values: SOURCE_WORDS.map((w) => tr(SOURCE_ID[w.value])) },
      { col: 5, values: METHOD_WORDS.map((w) => tr(METHOD_ID[w.value])) },
      { col: 13, values: MISSING_WORDS.map((w) => tr(MISSING_ID[w.value])) },
    ],
    inputCols: [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
  };
  const bands: LayoutSheet = {
    name: tr(RULE_SHEETS.bands),
    title: tr('assess.rules.bands-title'),
    lines: [...warning, { text: tr('assess.rules.bands-hint'), tone: 'hint' }],
    header: headerOf(BAND_COLUMNS, lang),
    rows: rules.bands.map((b) => {
      const c = componentOf(b.type, b.component);
      return [typeWord(b.type), b.component, bound(c, b.lower), bound(c, b.upper), b.points];
    }),
    widths: [12, 18, 12, 12, 10],
    lists: [{ col: 1, ...typeList }],
    inputCols: [3, 4, 5],
  };
  const rankPoints: LayoutSheet = {
    name: tr(RULE_SHEETS.rankPoints),
    title: tr('assess.rules.rank-title'),
    lines: [...warning, { text: tr('assess.rules.rank-hint'), tone: 'hint' }],
    header: headerOf(RANK_COLUMNS, lang),
    rows: rules.rankPoints.map((r) => [typeWord(r.type), r.component, r.from, r.to ?? null, r.points]),
    widths: [12, 18, 10, 10, 10],
    lists: [{ col: 1, ...typeList }],
    inputCols: [3, 4, 5],
  };
  const tiers: LayoutSheet = {
    name: tr(RULE_SHEETS.tiers),
    title: tr('assess.rules.tiers-title'),
    lines: [...warning, { text: tr('assess.rules.tiers-hint'), tone: 'hint' }],
    header: headerOf(TIER_COLUMNS, lang),
    rows: rules.tiers.map((tier) => [typeWord(tier.type), tier.name, tier.minTotal ?? null, yesNo(tier.awardEligible)]),
    widths: [12, 12, 10, 14],
    lists: [{ col: 1, ...typeList }, { col: 4, values: [tr('assess.yes'), tr('assess.no')] }],
    inputCols: [2, 3, 4],
  };
  const weights: LayoutSheet = {
    name: tr(RULE_SHEETS.weights),
    title: tr('assess.rules.weights-title'),
    lines: [...warning, { text: tr('assess.rules.weights-hint'), tone: 'hint' }],
    header: headerOf(WEIGHT_COLUMNS, lang),
    rows: ctx.plan.metrics
      .filter((m) => m.kind !== 'city-only')
      .map((m) => [m.projectNo, projectName.get(m.projectNo) ?? '', m.id, m.label, weightOf.get(m.id) ?? 1]),
    widths: [8, 44, 10, 30, 8],
    inputCols: [5],
  };
  return { sheets: [readme, settings, assessees, components, bands, rankPoints, tiers, weights] };
}

const README_LINES: PlainMessageId[] = [
  'assess.rules.readme.1',
  'assess.rules.readme.2',
  'assess.rules.readme.3',
  'assess.rules.readme.4',
  'assess.rules.readme.5',
  'assess.rules.readme.6',
  'assess.rules.readme.7',
  'assess.rules.readme.8',
  'assess.rules.readme.9',
];
const COMPONENT_HINTS: PlainMessageId[] = ['assess.rules.components-hint.1', 'assess.rules.components-hint.2', 'assess.rules.components-hint.3'];

// ---------------------------------------------------------------------------------------------
// Reading

export interface RulesReading {
  /** The rules read; only to be stored when `issues` holds no error. */
  rules: RuleSet;
  issues: Issue[];
}

/** Is this set of sheets a rules workbook (it has the 考核項目 sheet, in either script)? */
export function isRulesWorkbook(grids: readonly Grid[]): boolean {
  return sheetNamed(grids, inBothScripts(RULE_SHEETS.components)) !== undefined;
}

export function readRulesWorkbook(grids: readonly Grid[], ctx: RulesContext): RulesReading {
  const issues: Issue[] = [];
  const rules: RuleSet = { year: ctx.plan.year, settings: [], assessees: [], components: [], bands: [], rankPoints: [], tiers: [], weights: [] };
  const sheet = (id: PlainMessageId, required: boolean): Grid | undefined => {
    const grid = sheetNamed(grids, inBothScripts(id));
    if (!grid && required) at(issues, t('zh-TW', id))('assess-sheet-missing', undefined, msg('issue.assess-sheet-missing', { sheet: msg(id) }));
    return grid;
  };
  const settingCells = new Map<AssesseeType, string>();
  const rowCells: RowCells = new WeakMap();
  const settingsGrid = sheet(RULE_SHEETS.settings, true);
  if (settingsGrid) readSettings(settingsGrid, rules, ctx, issues, settingCells);
  const assesseesGrid = sheet(RULE_SHEETS.assessees, true);
  if (assesseesGrid) readAssessees(assesseesGrid, rules, ctx, issues);
  const componentsGrid = sheet(RULE_SHEETS.components, true);
  const componentCells = new Map<Component, Record<string, TableCell | undefined>>();
  const declared: Declared[] = [];
  if (componentsGrid) readComponents(componentsGrid, rules, issues, componentCells, declared);
  const bandsGrid = sheet(RULE_SHEETS.bands, false);
  if (bandsGrid) readBands(bandsGrid, rules, issues, rowCells);
  const rankGrid = sheet(RULE_SHEETS.rankPoints, false);
  if (rankGrid) readRankPoints(rankGrid, rules, issues, rowCells);
  const tiersGrid = sheet(RULE_SHEETS.tiers, false);
  if (tiersGrid) readTiers(tiersGrid, rules, issues);
  const weightsGrid = sheet(RULE_SHEETS.weights, false);
  if (weightsGrid) readWeights(weightsGrid, rules, ctx, issues);
  if (componentsGrid) checkMethodTables(componentsGrid.sheet, rules, componentCells, rowCells, issues);
  if (settingsGrid && componentsGrid) checkTotals(settingsGrid.sheet, rules, declared, settingCells, issues);
  return { rules, issues };
}

/** A component row's type, name and points as written, whatever else is wrong with it (for the totals). */
interface Declared {
  type: AssesseeType;
  name: string;
  points: number;
}

/** Where each bands and rank row was read, for the checks across rows. */
type RowCells = WeakMap<Band | RankPoints, { lower?: string; upper?: string; points: string; row: string }>;

function readType(cell: TableCell | undefined, push: ReturnType<typeof at>): AssesseeType | undefined {
  if (!cell || isBlankCell(cell)) {
    push('assess-unknown-word', cell?.cell, msg('issue.assess-unknown-word.blank', { column: msg('assess.col.type'), allowed: wordsOf(TYPE_WORDS, TYPE_ID) }));
    return undefined;
  }
  const type = parseWord(cell, TYPE_WORDS);
  if (!type) push('assess-unknown-word', cell.cell, msg('issue.assess-unknown-word', { value: cell.text, column: msg('assess.col.type'), allowed: wordsOf(TYPE_WORDS, TYPE_ID) }));
  return type;
}

/** The words a cell may hold, for a message: rendered in the reader's script with it. */
function wordsOf<T extends string>(words: readonly { value: T }[], ids: Record<T, PlainMessageId>): ParamValue {
  return listOf(words.map((w): ParamValue => ({ id: ids[w.value] })));
}

/** A number in a cell; blank is undefined; anything else not a number is an issue (and undefined). */
function readNumber(
  cell: TableCell | undefined,
  push: ReturnType<typeof at>,
  column: PlainMessageId,
  options: { min?: number; integer?: boolean; ratio?: boolean } = {},
): number | undefined {
  if (isBlankCell(cell)) return undefined;
  const parsed = parseNumber(cell!);
  if (!parsed.ok) {
    push('assess-not-number', cell!.cell, msg('issue.assess-not-number', { value: cell!.text, column: msg(column) }));
    return undefined;
  }
  let value = parsed.value;
  if (options.ratio && value > 1 && value <= 100) {
    // 60 typed for 60%: the likely meaning is offered as the fix, never applied silently.
    push('assess-parameter-range', cell!.cell, msg('issue.assess-parameter-range.ratio', { value: cell!.text, column: msg(column) }), { value: Math.round(value * 1e6) / 1e8, description: msg('fix.assess-parameter-range', { value: `${value}%` }) });
    return undefined;
  }
  if (options.ratio && (value < 0 || value > 1)) {
    push('assess-parameter-range', cell!.cell, msg('issue.assess-parameter-range.ratio', { value: cell!.text, column: msg(column) }));
    return undefined;
  }
  if (options.integer && !Number.isInteger(value)) {
    push('assess-not-number', cell!.cell, msg('issue.assess-not-number.integer', { value: cell!.text, column: msg(column) }));
    return undefined;
  }
  if (options.min !== undefined && value < options.min) {
    push('assess-parameter-range', cell!.cell, msg('issue.assess-parameter-range.min', { value: cell!.text, column: msg(column), min: options.min }));
    return undefined;
  }
  value = Math.round(value * 1e9) / 1e9;
  return value;
}

function readYesNo(cell: TableCell | undefined, push: ReturnType<typeof at>, column: PlainMessageId, blank: boolean): boolean {
  if (isBlankCell(cell)) return blank;
  const word = parseWord(cell!, YES_NO_WORDS);
  if (!word) {
    push('assess-unknown-word', cell!.cell, msg('issue.assess-unknown-word', { value: cell!.text, column: msg(column), allowed: listOf([msg('assess.yes'), msg('assess.no')]) }));
    return blank;
  }
  return word === 'yes';
}

function readSettings(grid: Grid, rules: RuleSet, ctx: RulesContext, issues: Issue[], settingCells: Map<AssesseeType, string>): void {
  const push = at(issues, grid.sheet);
  const table = readTable(grid, specsOf(SETTINGS_COLUMNS), ['type', 'fullPoints'], issues);
  const yearCell = labelledValue(grid, [...inBothScripts('assess.label.year'), '年度', '考核年份'], table?.headerRow ?? 10);
  if (!yearCell || isBlankCell(yearCell)) push('assess-year', yearCell?.cell ?? 'A2', msg('issue.assess-year.missing', { year: ctx.plan.year }));
  else {
    const year = parseNumber({ ...yearCell, value: String(yearCell.value).replace(/年$/, '') });
    if (!year.ok || !Number.isInteger(year.value)) push('assess-year', yearCell.cell, msg('issue.assess-year.missing', { year: ctx.plan.year }));
    else if (year.value !== ctx.plan.year) push('assess-year-mismatch', yearCell.cell, msg('issue.assess-year-mismatch', { year: year.value, planYear: ctx.plan.year }), { value: ctx.plan.year, description: msg('fix.assess-year', { year: ctx.plan.year }) });
  }
  if (!table) return;
  for (const row of table.rows) {
    const type = readType(row.get('type'), push);
    const fullPoints = readNumber(row.get('fullPoints'), push, 'assess.col.fullPoints', { min: 0 });
    const quota = readNumber(row.get('awardQuota'), push, 'assess.col.awardQuota', { min: 0, integer: true });
    if (!type) continue;
    if (rules.settings.some((s) => s.type === type)) {
      push('assess-duplicate', row.get('type')!.cell, msg('issue.assess-duplicate', { value: row.get('type')!.text }));
      continue;
    }
    if (fullPoints === undefined || fullPoints <= 0) {
      if (isBlankCell(row.get('fullPoints'))) push('assess-missing-parameter', row.get('fullPoints')?.cell, msg('issue.assess-missing-parameter', { column: msg('assess.col.fullPoints'), what: msg(TYPE_ID[type]) }));
      continue;
    }
    rules.settings.push({ type, fullPoints, awardQuota: quota ?? 0 });
    settingCells.set(type, row.get('fullPoints')!.cell);
  }
}

function readAssessees(grid: Grid, rules: RuleSet, ctx: RulesContext, issues: Issue[]): void {
  const push = at(issues, grid.sheet);
  const table = readTable(grid, specsOf(ASSESSEE_COLUMNS), ['type', 'name'], issues);
  if (!table) return;
  for (const row of table.rows) {
    const type = readType(row.get('type'), push);
    const nameCell = row.get('name');
    const included = readYesNo(row.get('included'), push, 'assess.col.included', true);
    if (!type || !nameCell) continue;
    const name = type === 'district' ? districtName(nameCell, push) : leadUnitName(nameCell, ctx.leadUnits, push);
    if (!name) continue;
    if (rules.assessees.some((a) => a.type === type && a.name === name)) {
      push('assess-duplicate', nameCell.cell, msg('issue.assess-duplicate', { value: nameCell.text }));
      continue;
    }
    rules.assessees.push({ type, name, included });
  }
  const listed = (type: AssesseeType, name: string) => rules.assessees.some((a) => a.type === type && a.name === name);
  const unlisted = [
    ...plannedDistricts(ctx.plan).filter((d) => !listed('district', d)),
    ...ctx.leadUnits.filter((u) => !listed('lead_unit', u.name)).map((u) => u.name),
  ];
  if (unlisted.length > 0) push('assess-not-listed', undefined, msg('issue.assess-not-listed', { names: unlisted.join('、') }));
}

/** A district's canonical name for what is written; a located issue (with a fix when one name fits) otherwise. */
export function districtName(cell: TableCell, push: ReturnType<typeof at>): string | undefined {
  const match = resolveDistrict(cell.text);
  if (match.kind === 'exact' || match.kind === 'alias') return match.district.name;
  if (match.kind === 'misspelled') {
    push('assess-unknown-assessee', cell.cell, msg('issue.assess-unknown-assessee.suggest', { value: cell.text, suggestion: match.suggestion.name }), { value: match.suggestion.name, description: msg('fix.assess-replace', { value: match.suggestion.name }) });
  } else if (match.kind === 'ambiguous') {
    push('assess-unknown-assessee', cell.cell, msg('issue.assess-unknown-assessee.ambiguous', { value: cell.text, candidates: match.candidates.join('、') }));
  } else push('assess-unknown-assessee', cell.cell, msg('issue.assess-unknown-assessee.district', { value: cell.text }));
  return undefined;
}

/** A lead unit's tidied name for what is written; a located issue otherwise. */
export function leadUnitName(cell: TableCell, units: readonly LeadUnit[], push: ReturnType<typeof at>): string | undefined {
  const match = resolveLeadUnit(cell.text, units);
  if (match.kind === 'found') return match.unit.name;
  if (match.kind === 'ambiguous') {
    push('assess-unknown-assessee', cell.cell, msg('issue.assess-unknown-assessee.ambiguous', { value: cell.text, candidates: match.candidates.join('、') }));
  } else if (match.suggestion) {
    push('assess-unknown-assessee', cell.cell, msg('issue.assess-unknown-assessee.suggest', { value: cell.text, suggestion: match.suggestion.name }), { value: match.suggestion.name, description: msg('fix.assess-replace', { value: match.suggestion.name }) });
  } else push('assess-unknown-assessee', cell.cell, msg('issue.assess-unknown-assessee.lead_unit', { value: cell.text, count: units.length }));
  return undefined;
}

function readComponents(grid: Grid, rules: RuleSet, issues: Issue[], cellsOf: Map<Component, Record<string, TableCell | undefined>>, declared: Declared[]): void {
  const push = at(issues, grid.sheet);
  const table = readTable(grid, specsOf(COMPONENT_COLUMNS), ['type', 'name', 'points', 'source', 'method'], issues);
  if (!table) return;
  const silent = at([], grid.sheet);
  for (const row of table.rows) {
    const type = row.get('type') && parseWord(row.get('type')!, TYPE_WORDS);
    const points = readNumber(row.get('points'), silent, 'assess.col.points', { min: 0 });
    if (type && points !== undefined) declared.push({ type, name: row.get('name')?.text ?? '', points });
    const component = readComponent(row, rules, push);
    if (!component) continue;
    rules.components.push(component);
    cellsOf.set(component, Object.fromEntries(COMPONENT_COLUMNS.map((c) => [c.key, row.get(c.key)])));
  }
}

function readComponent(row: TableRow<ComponentKey>, rules: RuleSet, push: ReturnType<typeof at>): Component | undefined {
  const cell = (key: ComponentKey) => row.get(key);
  const type = readType(cell('type'), push);
  const nameCell = cell('name');
  const name = nameCell && !isBlankCell(nameCell) ? nameCell.text : undefined;
  if (!name) push('assess-missing-parameter', nameCell?.cell, msg('issue.assess-missing-parameter', { column: msg('assess.col.component'), what: msg('assess.sheet.components') }));
  const points = readNumber(cell('points'), push, 'assess.col.points', { min: 0 });
  if (points === undefined && isBlankCell(cell('points'))) push('assess-missing-parameter', cell('points')?.cell, msg('issue.assess-missing-parameter', { column: msg('assess.col.points'), what: name ?? '' }));
  const source = word(cell('source'), SOURCE_WORDS, SOURCE_ID, 'assess.col.source', push);
  const method = word(cell('method'), METHOD_WORDS, METHOD_ID, 'assess.col.method', push);
  const whenMissing = isBlankCell(cell('whenMissing')) ? 'rescale' : word(cell('whenMissing'), MISSING_WORDS, MISSING_ID, 'assess.col.whenMissing', push);
  if (!type || !name || points === undefined || points <= 0 || !source || !method || !whenMissing) return undefined;
  if (rules.components.some((c) => c.type === type && matchKey(c.name) === matchKey(name))) {
    push('assess-duplicate', nameCell!.cell, msg('issue.assess-duplicate', { value: name }));
    return undefined;
  }
  if (!SOURCE_ASSESSEES[source].includes(type)) {
    push('assess-method-source', cell('source')!.cell, msg('issue.assess-method-source.type', { source: msg(SOURCE_ID[source]), type: msg(TYPE_ID[type]) }));
    return undefined;
  }
  if (!SOURCE_METHODS[source].includes(method)) {
    push('assess-method-source', cell('method')!.cell, msg('issue.assess-method-source', { source: msg(SOURCE_ID[source]), method: msg(METHOD_ID[method]), allowed: listOf(SOURCE_METHODS[source].map((m) => msg(METHOD_ID[m]))) }));
    return undefined;
  }
  const ratio = RATIO_SOURCES.includes(source);
  const num = (key: ComponentKey, id: PlainMessageId, options: { min?: number; ratio?: boolean } = {}) => readNumber(cell(key), push, id, options);
  const component: Component = { type, no: rules.components.filter((c) => c.type === type).length + 1, name, points, source, method, whenMissing };
  const lower = num('lower', 'assess.col.lower', { ratio, min: 0 });
  const upper = num('upper', 'assess.col.upper', { ratio, min: 0 });
  const basePoints = num('basePoints', 'assess.col.basePoints');
  const plusPoints = num('plusPoints', 'assess.col.plusPoints', { min: 0 });
  const minusPoints = num('minusPoints', 'assess.col.minusPoints', { min: 0 });
  const minPoints = num('minPoints', 'assess.col.minPoints');
  const caseDeduction = num('caseDeduction', 'assess.col.caseDeduction', { min: 0 });
  const note = cell('note')?.text;
  const missingParameter = (key: ComponentKey, id: PlainMessageId) =>
    push('assess-missing-parameter', cell(key)?.cell ?? nameCell!.cell, msg('issue.assess-missing-parameter.method', { column: msg(id), method: msg(METHOD_ID[method]), component: name }));
  let ok = true;
  if (method === 'linear') {
    if (lower === undefined && isBlankCell(cell('lower'))) {
      missingParameter('lower', 'assess.col.lower');
      ok = false;
    }
    if (upper === undefined && isBlankCell(cell('upper'))) {
      missingParameter('upper', 'assess.col.upper');
      ok = false;
    }
    if (lower !== undefined && upper !== undefined && upper <= lower) {
      push('assess-parameter-range', cell('upper')!.cell, msg('issue.assess-parameter-range.order', { component: name, lower: cell('lower')!.text, upper: cell('upper')!.text }));
      ok = false;
    }
    if (lower === undefined || upper === undefined) ok = false;
  }
  if (method === 'per_event') {
    if (basePoints === undefined) {
      if (isBlankCell(cell('basePoints'))) missingParameter('basePoints', 'assess.col.basePoints');
      ok = false;
    }
    if (plusPoints === undefined && minusPoints === undefined) {
      if (isBlankCell(cell('plusPoints')) && isBlankCell(cell('minusPoints'))) missingParameter('plusPoints', 'assess.col.plusPoints');
      ok = false;
    }
    if (basePoints !== undefined && basePoints > points) {
      push('assess-parameter-range', cell('basePoints')!.cell, msg('issue.assess-parameter-range.base', { component: name, base: basePoints, points }));
      ok = false;
    }
    if (minPoints !== undefined && basePoints !== undefined && minPoints > basePoints) {
      push('assess-parameter-range', cell('minPoints')!.cell, msg('issue.assess-parameter-range.min-points', { component: name, min: minPoints, base: basePoints }));
      ok = false;
    }
  }
  if (!ok) return undefined;
  if (method === 'linear') Object.assign(component, { lower, upper });
  if (method === 'per_event') {
    Object.assign(component, { basePoints, minPoints: minPoints ?? 0 });
    if (plusPoints !== undefined) component.plusPoints = plusPoints;
    if (minusPoints !== undefined) component.minusPoints = minusPoints;
  }
  if (caseDeduction !== undefined && caseDeduction > 0) component.caseDeduction = caseDeduction;
  if (note) component.note = note;
  return component;
}

function word<T extends string>(
  cell: TableCell | undefined,
  words: readonly { value: T; words: readonly string[] }[],
  ids: Record<T, PlainMessageId>,
  column: PlainMessageId,
  push: ReturnType<typeof at>,
): T | undefined {
  if (isBlankCell(cell)) {
    push('assess-unknown-word', cell?.cell, msg('issue.assess-unknown-word.blank', { column: msg(column), allowed: wordsOf(words, ids) }));
    return undefined;
  }
  const value = parseWord(cell!, words);
  if (!value) push('assess-unknown-word', cell!.cell, msg('issue.assess-unknown-word', { value: cell!.text, column: msg(column), allowed: wordsOf(words, ids) }));
  return value;
}

/** The component a bands or rank row names; located issues when the type or the name is unknown. */
function componentNamed(row: TableRow<'type' | 'component'>, rules: RuleSet, method: Component['method'], push: ReturnType<typeof at>): Component | undefined {
  const type = readType(row.get('type'), push);
  const cell = row.get('component');
  if (!type) return undefined;
  if (!cell || isBlankCell(cell)) {
    push('assess-unknown-component', cell?.cell, msg('issue.assess-unknown-component.blank'));
    return undefined;
  }
  const component = rules.components.find((c) => c.type === type && matchKey(c.name) === matchKey(cell.text));
  if (!component) {
    push('assess-unknown-component', cell.cell, msg('issue.assess-unknown-component', { value: cell.text, type: msg(TYPE_ID[type]) }));
    return undefined;
  }
  if (component.method !== method) {
    push('assess-unknown-component', cell.cell, msg('issue.assess-unknown-component.method', { value: cell.text, method: msg(METHOD_ID[component.method]), expected: msg(METHOD_ID[method]) }));
    return undefined;
  }
  return component;
}

function readBands(grid: Grid, rules: RuleSet, issues: Issue[], rowCells: RowCells): void {
  const push = at(issues, grid.sheet);
  const table = readTable(grid, specsOf(BAND_COLUMNS), ['type', 'component', 'points'], issues);
  if (!table) return;
  for (const row of table.rows) {
    const component = componentNamed(row, rules, 'bands', push);
    if (!component) continue;
    const ratio = RATIO_SOURCES.includes(component.source);
    const lower = readNumber(row.get('lower'), push, 'assess.col.bandLower', { ratio });
    const upper = readNumber(row.get('upper'), push, 'assess.col.bandUpper', { ratio });
    const points = readNumber(row.get('points'), push, 'assess.col.bandPoints', { min: 0 });
    const badNumber = [['lower', lower], ['upper', upper]].some(([key, v]) => v === undefined && !isBlankCell(row.get(key as 'lower')));
    if (points === undefined) {
      if (isBlankCell(row.get('points'))) push('assess-missing-parameter', row.get('points')?.cell, msg('issue.assess-missing-parameter', { column: msg('assess.col.bandPoints'), what: component.name }));
      continue;
    }
    if (badNumber) continue;
    if (points > component.points) {
      push('assess-points-above-full', row.get('points')!.cell, msg('issue.assess-points-above-full', { value: points, component: component.name, points: component.points }));
    }
    const band: Band = { type: component.type, component: component.name, points, ...(lower !== undefined ? { lower } : {}), ...(upper !== undefined ? { upper } : {}) };
    rules.bands.push(band);
    rowCells.set(band, { lower: row.get('lower')?.cell, upper: row.get('upper')?.cell, points: row.get('points')!.cell, row: row.get('component')!.cell });
  }
}

function readRankPoints(grid: Grid, rules: RuleSet, issues: Issue[], rowCells: RowCells): void {
  const push = at(issues, grid.sheet);
  const table = readTable(grid, specsOf(RANK_COLUMNS), ['type', 'component', 'from', 'points'], issues);
  if (!table) return;
  for (const row of table.rows) {
    const component = componentNamed(row, rules, 'rank', push);
    if (!component) continue;
    const from = readNumber(row.get('from'), push, 'assess.col.rankFrom', { min: 1, integer: true });
    const to = readNumber(row.get('to'), push, 'assess.col.rankTo', { min: 1, integer: true });
    const points = readNumber(row.get('points'), push, 'assess.col.bandPoints', { min: 0 });
    if (from === undefined) {
      if (isBlankCell(row.get('from'))) push('assess-missing-parameter', row.get('from')?.cell, msg('issue.assess-missing-parameter', { column: msg('assess.col.rankFrom'), what: component.name }));
      continue;
    }
    if (points === undefined) {
      if (isBlankCell(row.get('points'))) push('assess-missing-parameter', row.get('points')?.cell, msg('issue.assess-missing-parameter', { column: msg('assess.col.bandPoints'), what: component.name }));
      continue;
    }
    if (to === undefined && !isBlankCell(row.get('to'))) continue;
    if (to !== undefined && to < from) {
      push('assess-parameter-range', row.get('to')!.cell, msg('issue.assess-parameter-range.rank-order', { from, to }));
      continue;
    }
    if (points > component.points) {
      push('assess-points-above-full', row.get('points')!.cell, msg('issue.assess-points-above-full', { value: points, component: component.name, points: component.points }));
    }
    const entry: RankPoints = { type: component.type, component: component.name, from, points, ...(to !== undefined ? { to } : {}) };
    rules.rankPoints.push(entry);
    rowCells.set(entry, { lower: row.get('from')!.cell, upper: row.get('to')?.cell, points: row.get('points')!.cell, row: row.get('component')!.cell });
  }
}

function readTiers(grid: Grid, rules: RuleSet, issues: Issue[]): void {
  const push = at(issues, grid.sheet);
  const table = readTable(grid, specsOf(TIER_COLUMNS), ['type', 'tier'], issues);
  if (!table) return;
  const read: (Tier & { cell: string })[] = [];
  for (const row of table.rows) {
    const type = readType(row.get('type'), push);
    const nameCell = row.get('tier');
    if (!type || !nameCell || isBlankCell(nameCell)) continue;
    const minCell = row.get('minTotal');
    const minTotal = readNumber(minCell, push, 'assess.col.minTotal');
    if (minTotal === undefined && !isBlankCell(minCell)) continue;
    const awardEligible = readYesNo(row.get('award'), push, 'assess.col.award', false);
    if (read.some((x) => x.type === type && matchKey(x.name) === matchKey(nameCell.text))) {
      push('assess-duplicate', nameCell.cell, msg('issue.assess-duplicate', { value: nameCell.text }));
      continue;
    }
    if (minTotal !== undefined && read.some((x) => x.type === type && x.minTotal === minTotal)) {
      push('assess-duplicate', minCell!.cell, msg('issue.assess-duplicate', { value: minCell!.text }));
      continue;
    }
    read.push({ type, order: 0, name: nameCell.text, awardEligible, cell: nameCell.cell, ...(minTotal !== undefined ? { minTotal } : {}) });
  }
  for (const type of ['district', 'lead_unit'] as const) {
    const own = read.filter((x) => x.type === type).sort((a, b) => (b.minTotal ?? -Infinity) - (a.minTotal ?? -Infinity));
    if (own.length === 0) continue;
    const floor = own[own.length - 1];
    if (floor.minTotal !== undefined && floor.minTotal > 0) {
      push('assess-tier-floor', floor.cell, msg('issue.assess-tier-floor', { tier: floor.name, min: floor.minTotal }));
      continue;
    }
    own.forEach(({ cell: _, ...tier }, i) => rules.tiers.push({ ...tier, order: i + 1 }));
  }
}

function readWeights(grid: Grid, rules: RuleSet, ctx: RulesContext, issues: Issue[]): void {
  const push = at(issues, grid.sheet);
  const table = readTable(grid, specsOf(WEIGHT_COLUMNS), ['weight'], issues);
  if (!table) return;
  const projects = new Map(ctx.plan.projects.map((p) => [p.no, p]));
  const responsibilityName = new Map(ctx.plan.responsibilities.map((r) => [r.projectNo, r.projectName]));
  const judged = ctx.plan.metrics.filter((m) => m.kind !== 'city-only');
  const set = new Map<string, { weight: number; cell: string; byMetric: boolean }>();
  for (const row of table.rows) {
    const weightCell = row.get('weight');
    const weight = readNumber(weightCell, push, 'assess.col.weight', { min: 0 });
    const noCell = row.get('projectNo');
    const nameCell = row.get('projectName');
    const idCell = row.get('metricId');
    let projectNo: number | undefined;
    if (!isBlankCell(noCell)) {
      const n = parseNumber(noCell!);
      if (!n.ok || !Number.isInteger(n.value) || !projects.has(n.value)) {
        push('assess-unknown-project', noCell!.cell, msg('issue.assess-unknown-project', { value: noCell!.text, count: ctx.plan.projects.length }));
        continue;
      }
      projectNo = n.value;
    }
    if (!isBlankCell(nameCell)) {
      const key = matchKey(nameCell!.text);
      const named = ctx.plan.projects.filter((p) => matchKey(p.name) === key || matchKey(responsibilityName.get(p.no) ?? '') === key);
      if (projectNo !== undefined && !named.some((p) => p.no === projectNo)) {
        push('assess-unknown-project', nameCell!.cell, msg('issue.assess-unknown-project.name-differs', { no: projectNo, name: projects.get(projectNo)!.name, written: nameCell!.text }), { value: projects.get(projectNo)!.name, description: msg('fix.assess-replace', { value: projects.get(projectNo)!.name }) });
        continue;
      }
      if (projectNo === undefined) {
        if (named.length !== 1) {
          push('assess-unknown-project', nameCell!.cell, msg('issue.assess-unknown-project.name', { value: nameCell!.text }));
          continue;
        }
        projectNo = named[0].no;
      }
    }
    let metrics = judged.filter((m) => m.projectNo === projectNo);
    if (!isBlankCell(idCell)) {
      const id = toHalfWidth(idCell!.text).replace(/[−–—‐－_]/g, '-').replace(/\s+/g, '');
      const metric = judged.find((m) => m.id === id);
      if (!metric || (projectNo !== undefined && metric.projectNo !== projectNo)) {
        push('assess-unknown-metric', idCell!.cell, msg(projectNo !== undefined && metric ? 'issue.assess-unknown-metric.project' : 'issue.assess-unknown-metric', { value: idCell!.text, project: projectNo ?? '' }));
        continue;
      }
      metrics = [metric];
    } else if (projectNo === undefined) {
      if (weight !== undefined) push('assess-unknown-project', weightCell!.cell, msg('issue.assess-unknown-project.none'));
      continue;
    }
    if (weight === undefined) {
      if (isBlankCell(weightCell)) push('assess-missing-parameter', weightCell?.cell, msg('issue.assess-missing-parameter', { column: msg('assess.col.weight'), what: idCell?.text || String(projectNo) }));
      continue;
    }
    const byMetric = !isBlankCell(idCell);
    for (const m of metrics) {
      const before = set.get(m.id);
      if (before && before.byMetric === byMetric) {
        push('assess-duplicate', (byMetric ? idCell : noCell ?? nameCell)!.cell, msg('issue.assess-duplicate.weight', { metric: m.id, cell: before.cell }));
        continue;
      }
      // A row for one metric is more specific than a row for its whole project.
      if (before && before.byMetric && !byMetric) continue;
      set.set(m.id, { weight, cell: weightCell!.cell, byMetric });
    }
  }
  rules.weights = [...set.entries()].map(([metricId, w]): Weight => ({ metricId, weight: w.weight }));
}

/** Across sheets: a bands or rank component needs its rows, without gaps or overlaps, covering every value. */
function checkMethodTables(sheet: string, rules: RuleSet, cellsOf: Map<Component, Record<string, TableCell | undefined>>, rowCells: RowCells, issues: Issue[]): void {
  const bandsSheet = t('zh-TW', RULE_SHEETS.bands);
  const rankSheet = t('zh-TW', RULE_SHEETS.rankPoints);
  const drop = new Set<Component>();
  for (const component of rules.components) {
    const methodCell = cellsOf.get(component)?.method?.cell;
    if (component.method === 'bands') {
      const own = rules.bands.filter((b) => b.type === component.type && b.component === component.name);
      if (own.length === 0) {
        at(issues, sheet)('assess-missing-parameter', methodCell, msg('issue.assess-missing-parameter.table', { component: component.name, sheet: msg(RULE_SHEETS.bands) }));
        drop.add(component);
        continue;
      }
      if (!checkBands(own, RATIO_SOURCES.includes(component.source), rowCells, at(issues, bandsSheet))) drop.add(component);
    }
    if (component.method === 'rank') {
      const own = rules.rankPoints.filter((r) => r.type === component.type && r.component === component.name);
      if (own.length === 0) {
        at(issues, sheet)('assess-missing-parameter', methodCell, msg('issue.assess-missing-parameter.table', { component: component.name, sheet: msg(RULE_SHEETS.rankPoints) }));
        drop.add(component);
        continue;
      }
      if (!checkRanks(own, rowCells, at(issues, rankSheet))) drop.add(component);
    }
  }
  // A component whose table is wrong is not applied (the file is refused anyway: these are errors).
  rules.components = rules.components.filter((c) => !drop.has(c));
}

/** Bands sorted by lower bound: from 0 or below (or open), each starting where the one before ends, the last open. */
function checkBands(bands: Band[], ratio: boolean, rowCells: RowCells, push: ReturnType<typeof at>): boolean {
  const shown = (v: number | undefined) => (v === undefined ? '' : ratio ? `${Math.round(v * 1e8) / 1e6}%` : v);
  const sorted = [...bands].sort((a, b) => (a.lower ?? -Infinity) - (b.lower ?? -Infinity));
  let ok = true;
  const first = sorted[0];
  const cells = (b: Band) => rowCells.get(b)!;
  if (first.lower !== undefined && first.lower > 0) {
    push('assess-band-gap', cells(first).lower, msg('issue.assess-band-gap.start', { component: first.component, value: shown(first.lower) }));
    ok = false;
  }
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1];
    const band = sorted[i];
    if (before.upper === undefined) {
      push('assess-band-overlap', cells(band).lower ?? cells(band).row, msg('issue.assess-band-overlap.open', { component: band.component }));
      ok = false;
    } else if (band.lower === undefined || band.lower < before.upper) {
      push('assess-band-overlap', cells(band).lower ?? cells(band).row, msg('issue.assess-band-overlap', { component: band.component, lower: shown(band.lower), upper: shown(before.upper) }));
      ok = false;
    } else if (band.lower > before.upper) {
      push('assess-band-gap', cells(band).lower, msg('issue.assess-band-gap', { component: band.component, from: shown(before.upper), to: shown(band.lower) }));
      ok = false;
    }
    if (band.points < before.points) push('assess-points-decrease', cells(band).points, msg('issue.assess-points-decrease', { component: band.component }));
    if (band.upper !== undefined && band.lower !== undefined && band.upper <= band.lower) {
      push('assess-band-overlap', cells(band).upper, msg('issue.assess-parameter-range.order', { component: band.component, lower: shown(band.lower), upper: shown(band.upper) }));
      ok = false;
    }
  }
  const last = sorted[sorted.length - 1];
  if (last.upper !== undefined) {
    push('assess-band-gap', cells(last).upper, msg('issue.assess-band-gap.end', { component: last.component, value: shown(last.upper) }));
    ok = false;
  }
  return ok;
}

/** Rank ranges from 1, each starting right after the one before, the last open ("and below"). */
function checkRanks(entries: RankPoints[], rowCells: RowCells, push: ReturnType<typeof at>): boolean {
  const sorted = [...entries].sort((a, b) => a.from - b.from);
  const cells = (r: RankPoints) => rowCells.get(r)!;
  let ok = true;
  if (sorted[0].from !== 1) {
    push('assess-band-gap', cells(sorted[0]).lower, msg('issue.assess-band-gap.rank-start', { component: sorted[0].component, from: sorted[0].from }));
    ok = false;
  }
  for (let i = 1; i < sorted.length; i++) {
    const before = sorted[i - 1];
    const entry = sorted[i];
    const expected = before.to === undefined ? undefined : before.to + 1;
    if (expected === undefined || entry.from < expected) {
      push('assess-band-overlap', cells(entry).lower, msg('issue.assess-band-overlap.rank', { component: entry.component, from: entry.from }));
      ok = false;
    } else if (entry.from > expected) {
      push('assess-band-gap', cells(entry).lower, msg('issue.assess-band-gap.rank', { component: entry.component, from: expected, to: entry.from - 1 }));
      ok = false;
    }
    if (entry.points > before.points) push('assess-points-decrease', cells(entry).points, msg('issue.assess-points-decrease.rank', { component: entry.component }));
  }
  const last = sorted[sorted.length - 1];
  if (last.to !== undefined) {
    push('assess-band-gap', cells(last).upper, msg('issue.assess-band-gap.rank-end', { component: last.component, to: last.to }));
    ok = false;
  }
  return ok;
}

/** The components of each type assessed add up to its 滿分; a type with components but no 滿分 is an error. */
function checkTotals(sheet: string, rules: RuleSet, declared: readonly Declared[], cells: Map<AssesseeType, string>, issues: Issue[]): void {
  for (const type of ['district', 'lead_unit'] as const) {
    const own = declared.filter((c) => c.type === type);
    const setting = rules.settings.find((s) => s.type === type);
    if (!setting) {
      if (own.length > 0) at(issues, sheet)('assess-points-total', undefined, msg('issue.assess-points-total.no-setting', { type: msg(TYPE_ID[type]) }));
      continue;
    }
    const sum = Math.round(own.reduce((s, c) => s + c.points, 0) * 1e6) / 1e6;
    if (Math.abs(sum - setting.fullPoints) > 1e-6) {
      at(issues, sheet)('assess-points-total', cells.get(type), msg('issue.assess-points-total', { type: msg(TYPE_ID[type]), sum, full: setting.fullPoints, parts: own.map((c) => `${c.name}${c.points}`).join('＋') || '—' }));
    }
  }
}
