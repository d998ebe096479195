// The external inputs of the assessment (docs/design.md, "The year-end assessment"): 滿意度測評 and 第三方評價
// results (per project, or per project and district) and 參與監督 records (per district or lead unit), as
// workbooks: the template to fill (`minsheng assess template`) and its reading, validated with located
// issues like a progress report. A file with an error is refused whole
// (pipeline/assessment/loadFiles.ts).
import { parseDateValue } from '../dates';
import { resolveDistrict } from '../districts';
import type { Grid } from '../grid';
import type { Issue } from '../issues';
import { resolveLeadUnit } from '../leadUnits';
import { listOf, msg, t, type Lang, type PlainMessageId } from '../messages';
import { matchKey, toHalfWidth } from '../text';
import type { LayoutSheet, LayoutWorkbook } from './layout';
import type { AssesseeType, InputKind } from './rules';
import { districtName, leadUnitName, type RulesContext } from './rulesWorkbook';
import { at, isBlankCell, labelledValue, parseNumber, parseWord, readTable, type TableCell } from './table';
import { inBothScripts, TYPE_ID, TYPE_WORDS } from './vocabulary';

export interface ScoreRow {
  projectNo: number;
  /** Canonical district; undefined for the project as a whole. */
  district?: string;
  score: number;
  note?: string;
  cell: string;
}

export interface ParticipationRow {
  type: AssesseeType;
  assessee: string;
  /** ISO date. */
  date: string;
  activity: string;
  times: number;
  note?: string;
  cell: string;
}

export type InputRows =
  | { kind: 'satisfaction' | 'third_party'; year: number; source?: string; scale: number; scores: ScoreRow[] }
  | { kind: 'participation'; year: number; source?: string; records: ParticipationRow[] };

export const INPUT_KIND_ID: Record<InputKind, PlainMessageId> = {
  satisfaction: 'assess.input.satisfaction',
  third_party: 'assess.input.third_party',
  participation: 'assess.input.participation',
};

const KIND_WORDS = [
  { value: 'satisfaction' as const, words: [...inBothScripts('assess.input.satisfaction'), 'satisfaction', '滿意度', '人大滿意度測評', '滿意度測評結果'] },
  { value: 'third_party' as const, words: [...inBothScripts('assess.input.third_party'), 'third-party', 'third_party', '第三方', '第三方評估', '第三方評價結果'] },
  { value: 'participation' as const, words: [...inBothScripts('assess.input.participation'), 'participation', 'supervision', '參與監督積極性', '監督記錄', '參與監督記錄'] },
];

type ScoreKey = 'projectNo' | 'projectName' | 'district' | 'score' | 'note';
type RecordKey = 'type' | 'assessee' | 'date' | 'activity' | 'times' | 'note';

const SCORE_COLUMNS: { key: ScoreKey; id: PlainMessageId; synonyms: string[] }[] = [
  { key: 'projectNo', id: 'assess.col.projectNo', synonyms: ['序號', '項目編號'] },
  { key: 'projectName', id: 'assess.col.projectName', synonyms: ['項目', '民生實事項目'] },
  { key: 'district', id: 'assess.type.district', synonyms: ['區縣(市)', '區、縣(市)', '地區'] },
  { key: 'score', id: 'assess.col.score', synonyms: ['分數', '測評得分', '評價得分', '滿意度'] },
  { key: 'note', id: 'assess.col.remark', synonyms: ['說明'] },
];
const RECORD_COLUMNS: { key: RecordKey; id: PlainMessageId; synonyms: string[] }[] = [
  { key: 'type', id: 'assess.col.type', synonyms: ['類別'] },
  { key: 'assessee', id: 'assess.col.unit', synonyms: ['名稱', '單位名稱', '區縣', '牽頭單位', '參與單位'] },
  { key: 'date', id: 'assess.col.date', synonyms: ['時間', '參與日期'] },
  { key: 'activity', id: 'assess.col.activity', synonyms: ['監督事項', '活動', '內容'] },
  { key: 'times', id: 'assess.col.times', synonyms: ['次數(次)', '參與次數'] },
  { key: 'note', id: 'assess.col.remark', synonyms: ['說明'] },
];

const specs = <K extends string>(cols: readonly { key: K; id: PlainMessageId; synonyms: string[] }[]) =>
  cols.map((c) => ({ key: c.key, label: t('zh-TW', c.id), synonyms: [t('zh-CN', c.id), ...c.synonyms] }));

// ---------------------------------------------------------------------------------------------
// Templates

/** The sheet a 滿意度測評, 第三方評價 or 參與監督 file is filled in: every project listed for scores. */
export function inputTemplateLayout(kind: InputKind, ctx: RulesContext, lang: Lang): LayoutWorkbook {
  const tr = (id: PlainMessageId) => t(lang, id);
  const year = ctx.plan.year;
  const fields = [
    { label: tr('assess.label.kind'), value: tr(INPUT_KIND_ID[kind]) },
    { label: tr('assess.label.year'), value: year },
    { label: tr(kind === 'participation' ? 'assess.label.reporter' : 'assess.label.source'), value: null },
  ];
  if (kind === 'participation') {
    const sheet: LayoutSheet = {
      name: tr(INPUT_KIND_ID[kind]),
      title: t(lang, 'assess.input.title', { year, kind: tr(INPUT_KIND_ID[kind]) }),
      fields,
      lines: [{ text: tr('assess.input.participation-hint'), tone: 'hint' }],
      header: RECORD_COLUMNS.map((c) => tr(c.id)),
      rows: [],
      widths: [12, 24, 14, 40, 8, 30],
      lists: [{ col: 1, values: [tr(TYPE_ID.district), tr(TYPE_ID.lead_unit)] }],
      inputCols: [1, 2, 3, 4, 5, 6],
    };
    return { sheets: [sheet] };
  }
  const sheet: LayoutSheet = {
    name: tr(INPUT_KIND_ID[kind]),
    title: t(lang, 'assess.input.title', { year, kind: tr(INPUT_KIND_ID[kind]) }),
    fields: [...fields, { label: tr('assess.label.scale'), value: 100 }],
    lines: [{ text: tr('assess.input.score-hint'), tone: 'hint' }],
    header: SCORE_COLUMNS.map((c) => tr(c.id)),
    rows: ctx.plan.projects.map((p) => [p.no, p.name, null, null, null]),
    widths: [8, 50, 20, 10, 30],
    inputCols: [3, 4, 5],
  };
  return { sheets: [sheet] };
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface InputReading {
  /** Undefined when the file is not an input file at all, or nothing could be read. */
  input?: InputRows;
  issues: Issue[];
  /** The sheet read. */
  sheet?: string;
}

/** The kind a sheet declares (評價類別), or its name or title names; undefined for other sheets. */
export function inputKindOf(grid: Grid): InputKind | undefined {
  const declared = labelledValue(grid, inBothScripts('assess.label.kind'), 12);
  if (declared && declared.text) return parseWord(declared, KIND_WORDS);
  const byName = parseWord({ value: grid.sheet, format: 'General', cell: '', text: grid.sheet }, KIND_WORDS);
  if (byName) return byName;
  const title = grid.values[0]?.find((v) => typeof v === 'string') as string | undefined;
  if (!title) return undefined;
  const key = matchKey(title);
  if (/满意度/.test(key)) return 'satisfaction';
  if (/第三方/.test(key)) return 'third_party';
  if (/参与监督|监督记录/.test(key)) return 'participation';
  return undefined;
}

export function isInputSheet(grid: Grid): boolean {
  return inputKindOf(grid) !== undefined || labelledValue(grid, inBothScripts('assess.label.kind'), 12) !== undefined;
}

/** Reads the first input sheet of a workbook. */
export function readInputWorkbook(grids: readonly Grid[], ctx: RulesContext): InputReading {
  const grid = grids.find(isInputSheet);
  if (!grid) return { issues: [] };
  const issues: Issue[] = [];
  const push = at(issues, grid.sheet);
  const kindCell = labelledValue(grid, inBothScripts('assess.label.kind'), 12);
  const kind = inputKindOf(grid);
  if (!kind) {
    push('assess-input-kind', kindCell?.cell, msg('issue.assess-input-kind', { allowed: listOf(Object.values(INPUT_KIND_ID).map((id) => msg(id))) }));
    return { issues, sheet: grid.sheet };
  }
  const year = readYear(grid, ctx, push);
  const sourceCell = labelledValue(grid, [...inBothScripts('assess.label.source'), ...inBothScripts('assess.label.reporter'), '評價機構', '測評機構'], 12);
  const source = sourceCell && !isBlankCell(sourceCell) ? sourceCell.text : undefined;
  const base = { year, ...(source ? { source } : {}) };
  if (kind === 'participation') {
    const records = readRecords(grid, ctx, year, issues);
    if (records && records.length === 0 && !issues.some((i) => i.severity === 'error')) push('assess-no-rows', undefined, msg('issue.assess-no-rows'));
    return { issues, sheet: grid.sheet, ...(records ? { input: { kind, ...base, records } } : {}) };
  }
  const scaleCell = labelledValue(grid, [...inBothScripts('assess.label.scale'), '分值', '總分', '滿分值'], 12);
  const scale = scaleCell && !isBlankCell(scaleCell) ? parseNumber(scaleCell) : undefined;
  if (!scale || !scale.ok || scale.value <= 0) {
    push('assess-scale', scaleCell?.cell, msg('issue.assess-scale', { value: scaleCell?.text ?? '' }));
    return { issues, sheet: grid.sheet };
  }
  const scores = readScores(grid, ctx, scale.value, issues);
  if (scores && scores.length === 0 && !issues.some((i) => i.severity === 'error')) push('assess-no-rows', undefined, msg('issue.assess-no-rows'));
  return { issues, sheet: grid.sheet, ...(scores ? { input: { kind, ...base, scale: scale.value, scores } } : {}) };
}

function readYear(grid: Grid, ctx: RulesContext, push: ReturnType<typeof at>): number {
  const cell = labelledValue(grid, [...inBothScripts('assess.label.year'), '年度'], 12);
  if (!cell || isBlankCell(cell)) {
    push('assess-year', cell?.cell, msg('issue.assess-year.missing', { year: ctx.plan.year }));
    return ctx.plan.year;
  }
  const year = parseNumber({ ...cell, value: toHalfWidth(String(cell.value)).replace(/年$/, '') });
  if (!year.ok || !Number.isInteger(year.value)) {
    push('assess-year', cell.cell, msg('issue.assess-year.missing', { year: ctx.plan.year }));
    return ctx.plan.year;
  }
  if (year.value !== ctx.plan.year) {
    push('assess-year-mismatch', cell.cell, msg('issue.assess-year-mismatch', { year: year.value, planYear: ctx.plan.year }), { value: ctx.plan.year, description: msg('fix.assess-year', { year: ctx.plan.year }) });
  }
  return year.value;
}

/** The project a row names by 項目序號 and/or 項目名稱 (either attachment's spelling, either script). */
function projectOf(no: TableCell | undefined, name: TableCell | undefined, ctx: RulesContext, push: ReturnType<typeof at>): number | undefined {
  const projects = new Map(ctx.plan.projects.map((p) => [p.no, p]));
  const altName = new Map(ctx.plan.responsibilities.map((r) => [r.projectNo, r.projectName]));
  let projectNo: number | undefined;
  if (!isBlankCell(no)) {
    const n = parseNumber(no!);
    if (!n.ok || !Number.isInteger(n.value) || !projects.has(n.value)) {
      push('assess-unknown-project', no!.cell, msg('issue.assess-unknown-project', { value: no!.text, count: projects.size }));
      return undefined;
    }
    projectNo = n.value;
  }
  if (!isBlankCell(name)) {
    const key = matchKey(name!.text);
    const named = ctx.plan.projects.filter((p) => matchKey(p.name) === key || matchKey(altName.get(p.no) ?? '') === key);
    if (projectNo !== undefined && !named.some((p) => p.no === projectNo)) {
      const planned = projects.get(projectNo)!.name;
      push('assess-unknown-project', name!.cell, msg('issue.assess-unknown-project.name-differs', { no: projectNo, name: planned, written: name!.text }), { value: planned, description: msg('fix.assess-replace', { value: planned }) });
      return undefined;
    }
    if (projectNo === undefined) {
      if (named.length !== 1) {
        push('assess-unknown-project', name!.cell, msg('issue.assess-unknown-project.name', { value: name!.text }));
        return undefined;
      }
      projectNo = named[0].no;
    }
  }
  if (projectNo === undefined) push('assess-unknown-project', no?.cell ?? name?.cell, msg('issue.assess-unknown-project.none'));
  return projectNo;
}

function readScores(grid: Grid, ctx: RulesContext, scale: number, issues: Issue[]): ScoreRow[] | undefined {
  const push = at(issues, grid.sheet);
  const table = readTable(grid, specs(SCORE_COLUMNS), ['score'], issues);
  if (!table) return undefined;
  if (table.cols.projectNo === undefined && table.cols.projectName === undefined) {
    push('assess-column-missing', undefined, msg('issue.assess-column-missing', { column: msg('assess.col.projectNo'), row: table.headerRow }));
    return undefined;
  }
  const targeted = new Set(ctx.plan.targets.map((x) => `${ctx.plan.metrics.find((m) => m.id === x.metricId)?.projectNo}\u0000${x.district}`));
  const rows: ScoreRow[] = [];
  const seen = new Map<string, string>();
  for (const row of table.rows) {
    const scoreCell = row.get('score')!;
    // A project left without a score is a project this file does not evaluate.
    if (isBlankCell(scoreCell)) continue;
    const projectNo = projectOf(row.get('projectNo'), row.get('projectName'), ctx, push);
    const districtCell = row.get('district');
    const district = isBlankCell(districtCell) ? undefined : districtName(districtCell!, push);
    const score = parseNumber(scoreCell);
    if (!score.ok) {
      push('assess-not-number', scoreCell.cell, msg('issue.assess-not-number', { value: scoreCell.text, column: msg('assess.col.score') }));
      continue;
    }
    if (score.value < 0 || score.value > scale) {
      push('assess-score-range', scoreCell.cell, msg('issue.assess-score-range', { value: scoreCell.text, scale }));
      continue;
    }
    if (projectNo === undefined || (!isBlankCell(districtCell) && district === undefined)) continue;
    const key = `${projectNo}\u0000${district ?? ''}`;
    const before = seen.get(key);
    if (before) {
      push('assess-duplicate', scoreCell.cell, msg('issue.assess-duplicate.score', { project: projectNo, district: district ?? msg('assess.input.whole-project'), cell: before }));
      continue;
    }
    seen.set(key, scoreCell.cell);
    if (district && !targeted.has(`${projectNo}\u0000${district}`)) {
      push('assess-no-target', districtCell!.cell, msg('issue.assess-no-target', { district, project: projectNo }));
    }
    const note = row.get('note')?.text;
    rows.push({ projectNo, score: score.value, cell: scoreCell.cell, ...(district ? { district } : {}), ...(note ? { note } : {}) });
  }
  return rows;
}

function readRecords(grid: Grid, ctx: RulesContext, year: number, issues: Issue[]): ParticipationRow[] | undefined {
  const push = at(issues, grid.sheet);
  const table = readTable(grid, specs(RECORD_COLUMNS), ['assessee', 'date'], issues);
  if (!table) return undefined;
  const rows: ParticipationRow[] = [];
  const seen = new Map<string, string>();
  for (const row of table.rows) {
    const unitCell = row.get('assessee');
    const typeCell = row.get('type');
    if (isBlankCell(unitCell)) {
      push('assess-missing-parameter', unitCell?.cell, msg('issue.assess-missing-parameter', { column: msg('assess.col.unit'), what: msg('assess.input.participation') }));
      continue;
    }
    const declared = isBlankCell(typeCell) ? undefined : parseWord(typeCell!, TYPE_WORDS);
    if (!isBlankCell(typeCell) && !declared) {
      push('assess-unknown-word', typeCell!.cell, msg('issue.assess-unknown-word', { value: typeCell!.text, column: msg('assess.col.type'), allowed: listOf([msg(TYPE_ID.district), msg(TYPE_ID.lead_unit)]) }));
      continue;
    }
    const resolved = resolveUnit(unitCell!, declared, ctx, push);
    const dateCell = row.get('date');
    const date = isBlankCell(dateCell) ? undefined : parseDateValue(dateCell!.value, dateCell!.format, year, grid.date1904);
    if (!date || Number(date.slice(0, 4)) !== year) {
      push('assess-date', dateCell?.cell, msg(date ? 'issue.assess-date.year' : 'issue.assess-date', { value: dateCell?.text ?? '', year }));
      continue;
    }
    const activity = row.get('activity')?.text ?? '';
    if (activity === '') {
      push('assess-missing-parameter', row.get('activity')?.cell, msg('issue.assess-missing-parameter', { column: msg('assess.col.activity'), what: unitCell!.text }));
      continue;
    }
    const timesCell = row.get('times');
    let times = 1;
    if (!isBlankCell(timesCell)) {
      const n = parseNumber(timesCell!);
      if (!n.ok || !Number.isInteger(n.value) || n.value < 1) {
        push('assess-not-number', timesCell!.cell, msg('issue.assess-not-number.times', { value: timesCell!.text }));
        continue;
      }
      times = n.value;
    }
    if (!resolved) continue;
    const key = [resolved.type, resolved.name, date, matchKey(activity)].join('\u0000');
    const before = seen.get(key);
    if (before) {
      push('assess-duplicate', unitCell!.cell, msg('issue.assess-duplicate.record', { cell: before }));
      continue;
    }
    seen.set(key, unitCell!.cell);
    const note = row.get('note')?.text;
    rows.push({ type: resolved.type, assessee: resolved.name, date, activity, times, cell: unitCell!.cell, ...(note ? { note } : {}) });
  }
  return rows;
}

/** A district or a lead unit: as declared, or whichever the name is (district names and 市…局 never collide). */
function resolveUnit(cell: TableCell, declared: AssesseeType | undefined, ctx: RulesContext, push: ReturnType<typeof at>): { type: AssesseeType; name: string } | undefined {
  if (declared === 'district') {
    const name = districtName(cell, push);
    return name ? { type: 'district', name } : undefined;
  }
  if (declared === 'lead_unit') {
    const name = leadUnitName(cell, ctx.leadUnits, push);
    return name ? { type: 'lead_unit', name } : undefined;
  }
  const district = resolveDistrict(cell.text);
  if (district.kind === 'exact' || district.kind === 'alias') return { type: 'district', name: district.district.name };
  const unit = resolveLeadUnit(cell.text, ctx.leadUnits);
  if (unit.kind === 'found') return { type: 'lead_unit', name: unit.unit.name };
  push('assess-unknown-assessee', cell.cell, msg('issue.assess-unknown-assessee.unit', { value: cell.text }));
  return undefined;
}
