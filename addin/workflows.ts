/// <reference types="office-js" />
// What each button of the task pane does, without the pane: read the workbook through the adapter,
// ask core, write back through the adapter. No domain rule lives here — core decides what a sheet is,
// what is wrong and what to change; this file only puts the steps in order and reports them.
import type { SubmissionReading } from '../core/submission';
import { detectSubmissionLayout, readSubmissions, type Submission } from '../core/submission';
import type { Grid } from '../core/grid';
import { renderIssue, sortIssues, type Issue, type RenderedIssue } from '../core/issues';
import { issueWithDistrictShown, shownDistrict, withDistrictShown } from '../core/districtNames';
import type { Lang } from '../core/messages';
import type { Plan } from '../core/model';
import { isBackupSheet, normalisePlan } from '../core/normalise';
import { INSTRUCTIONS_SHEET_NAMES, templateLayout } from '../core/templateLayout';
import { detectSiteList } from '../core/sites/readSites';
import { siteSheetLayout } from '../core/sites/siteLayout';
import { analysePlanSheets, detectSheet, type SheetKind, type SheetSummary } from '../core/workbook';
import type { Change } from '../core/editPlan';
import { applyEditPlan } from './excel/applyEditPlan';
import { detectCapabilities } from './excel/capabilities';
import { CHART_SHEET, insertChartPictures, type ChartPicture } from './excel/chartImages';
import { marksForIssues, queueClearMarks, queueMarkLook, replaceMarks, type MarkLook } from './excel/marks';
import { listSheets, readActiveSheet, readBook, type SheetInfo, type SheetMemory } from './excel/readSheets';
import { insertSiteSheet } from './excel/siteSheet';
import { insertTemplateSheet } from './excel/templateSheet';
import { canSendWorkbook, workbookBytes, workbookFileName } from './excel/workbookFile';
import { paneLang, say } from './paneLang';
import type { ServiceClient, SubmitOutcome } from './service';

export type Progress = (step: string) => void;

const quiet: Progress = () => undefined;

/** Our backups stand in as empty grids, so core knows their names without their contents being read. */
function placeholdersFor(sheets: readonly SheetInfo[]): Grid[] {
  return sheets.filter((s) => isBackupSheet(s.name)).map((s) => ({ sheet: s.name, origin: { row: 1, col: 1 }, values: [], formats: [], merges: [] }));
}

/** Grids in the workbook's tab order. */
function inTabOrder(sheets: readonly SheetInfo[], grids: Grid[]): Grid[] {
  const byName = new Map(grids.map((g) => [g.sheet, g]));
  return sheets.map((s) => byName.get(s.name)).filter((g): g is Grid => g !== undefined);
}

// ---------------------------------------------------------------------------------------------
// What the active sheet is

export interface SheetDescription {
  sheet: string;
  kind: SheetKind;
  /** What the pane shows as the sheet's kind. */
  label: string;
  detail: string;
  /** One of the add-in's own sheets (圖表, 填報說明). */
  own?: boolean;
}

/** What the pane calls each kind of sheet: the same catalogue ids as the CLI's `validate` (one name per kind). */
export const KIND_LABEL = {
  responsibility: 'sheet-kind.responsibility',
  breakdown: 'sheet-kind.breakdown',
  submission: 'sheet-kind.submission',
  tidy: 'sheet-kind.tidy',
  backup: 'sheet-kind.backup',
  unknown: 'sheet-kind.unknown',
} as const satisfies Record<SheetKind, string>;

/** Sheets the add-in itself makes that core does not read: named, so the pane does not call them foreign. */
const OWN_SHEETS: Record<string, 'addin.detail.charts' | 'addin.detail.instructions'> = {
  [CHART_SHEET]: 'addin.detail.charts',
  ...Object.fromEntries(INSTRUCTIONS_SHEET_NAMES.map((name) => [name, 'addin.detail.instructions' as const])),
};

export function describeGrid(grid: Grid): SheetDescription {
  const found = detectSheet(grid);
  if (found.kind === 'unknown' && detectSiteList(grid)) return { sheet: grid.sheet, kind: 'unknown', label: say('sites.pane.kind'), detail: say('sites.pane.kind-detail'), own: true };
  if (found.kind === 'unknown' && OWN_SHEETS[grid.sheet]) return { sheet: grid.sheet, kind: 'unknown', label: say('addin.kind.own'), detail: say(OWN_SHEETS[grid.sheet]), own: true };
  const base = { sheet: grid.sheet, kind: found.kind, label: say(KIND_LABEL[found.kind]) };
  switch (found.kind) {
    case 'responsibility':
      return { ...base, detail: say('addin.detail.responsibility', { projects: found.responsibility!.rows.length }) };
    case 'breakdown': {
      const b = found.breakdown!;
      const projects = new Set(b.rows.map((r) => r.projectNo).filter((n) => n !== undefined)).size;
      const districts = b.districtColumns.filter((d) => d.district).length;
      return { ...base, detail: say('addin.detail.breakdown', { projects, rows: b.rows.length, districts }) };
    }
    case 'submission':
      return {
        ...base,
        detail: say(detectSubmissionLayout(grid) === 'wide' ? 'addin.detail.submission.wide' : 'addin.detail.submission.long'),
      };
    case 'tidy':
      return { ...base, detail: say('addin.detail.tidy') };
    case 'backup':
      return { ...base, detail: say('addin.detail.backup') };
    default:
      return {
        ...base,
        detail: say(grid.values.length === 0 ? 'addin.detail.blank' : 'addin.detail.unknown'),
      };
  }
}

/** One sync; `memory` (the pane's) learns the workbook's sheets on the way, for the next 校驗 or 規範化. */
export async function describeActiveSheet(options: { memory?: SheetMemory } = {}): Promise<SheetDescription> {
  return Excel.run(async (context) => describeGrid((await readActiveSheet(context, detectCapabilities(), options.memory)).grid));
}

// ---------------------------------------------------------------------------------------------
// 校驗

export interface ValidationOutcome {
  sheets: SheetSummary[];
  /** Errors first, then by sheet and cell; rendered in the pane's language. */
  issues: RenderedIssue[];
  /** Progress reports read (when the workbook holds 進度報送表 and a plan was at hand). */
  submissions: Submission[];
  marked: number;
  cleared: number;
  notices: string[];
  syncs: number;
}

/**
 * The workbook's sheets as grids in tab order (placeholders for our backups), with a look at the cells
 * of the earlier marks queued in the same sync: one sync when `memory` knows the sheets, two otherwise.
 */
async function readWorkbookSheets(context: Excel.RequestContext, caps: ReturnType<typeof detectCapabilities>, progress: Progress, memory: SheetMemory | undefined) {
  progress(say('addin.step.reading'));
  const read = await readBook<MarkLook>(context, caps, {
    wanted: (name) => !isBackupSheet(name),
    also: (sheets) => queueMarkLook(context, sheets, caps),
    memory,
  });
  const names = read.grids.map((g) => g.sheet);
  return { book: read.book, read: names, grids: read, look: read.also, all: inTabOrder(read.book.sheets, [...read.grids, ...placeholdersFor(read.book.sheets)]) };
}

export interface ValidateOptions {
  /** The year's plan, for 進度報送表 in a workbook without 附件2 (from the service). */
  plan?: () => Promise<Plan | undefined>;
  onProgress?: Progress;
  /** The sheets the pane saw last (describeActiveSheet fills it): the read then takes one sync, not two. */
  memory?: SheetMemory;
}

export async function validateWorkbook(options: ValidateOptions = {}): Promise<ValidationOutcome> {
  const progress = options.onProgress ?? quiet;
  const caps = detectCapabilities();
  return Excel.run(async (context) => {
    const { book, read, grids, look, all } = await readWorkbookSheets(context, caps, progress, options.memory);
    progress(say('addin.step.validating'));
    const analysis = analysePlanSheets(all);
    const notices = [...grids.notices];
    const issues: Issue[] = analysis.breakdown || analysis.responsibility ? [...analysis.issues] : [];
    const submissions: Submission[] = [];
    const reports = all.filter((_, i) => analysis.sheets[i].kind === 'submission');
    // The districts the issues and reports name, as the plan writes them (the workbook's own, else the service's).
    let districtNames = analysis.breakdown ? analysis.assembled.plan.districtNames : undefined;
    if (reports.length > 0) {
      let plan: Plan | undefined = analysis.breakdown ? analysis.assembled.plan : undefined;
      let unreachable = false;
      if (!plan) {
        try {
          plan = await options.plan?.();
        } catch (error) {
          // The plan sheets are still checked and marked; the reports wait for the service.
          unreachable = true;
          notices.push(say('addin.validate.reportsUnchecked', { reason: (error as Error).message }));
        }
      }
      if (!plan) {
        if (!unreachable) notices.push(say('addin.validate.needsPlan'));
      } else {
        districtNames ??= plan.districtNames;
        for (const grid of reports) {
          const reading: SubmissionReading = readSubmissions(grid, plan);
          issues.push(...reading.issues);
          submissions.push(...reading.submissions);
        }
      }
    }
    progress(say('addin.step.marking'));
    const shownIssues = issues.map((i) => issueWithDistrictShown(i, districtNames));
    const marks = await replaceMarks(context, book.sheets, marksForIssues(shownIssues, read), caps, look);
    return {
      sheets: analysis.sheets,
      issues: sortIssues(shownIssues).map((i) => renderIssue(i, paneLang())),
      submissions: submissions.map((s) => withDistrictShown(s, districtNames)),
      marked: marks.marked,
      cleared: marks.cleared,
      notices: [...notices, ...marks.notices],
      syncs: grids.syncs + marks.syncs,
    };
  });
}

/** Takes the validation marks away (after the clerk has fixed things, or before sending the file). */
export async function clearValidationMarks(options: { memory?: SheetMemory } = {}): Promise<number> {
  return Excel.run(async (context) => {
    const book = await listSheets(context, options.memory);
    return (await replaceMarks(context, book.sheets, [], detectCapabilities())).cleared;
  });
}

// ---------------------------------------------------------------------------------------------
// 規範化

export interface NormaliseOutcome {
  /** Nothing to normalise: no 附件1 or 附件2 in the workbook. */
  noPlanSheets: boolean;
  edits: { sheet: string; backupAs?: string; changeCount: number; reasonCounts: Record<string, number>; firstChanges: Change[] }[];
  newSheets: { name: string; rows: number }[];
  /** Errors validation still finds (normalisation fixes only what a machine can). */
  errorsLeft: number;
  syncs: number;
}

/** Raised for what stops normalisation before anything changed, in words for the clerk. */
export class WorkbookProblem extends Error {
  override readonly name = 'WorkbookProblem';
}

/**
 * 規範化 in place: the read (one sync when `memory` knows the sheets, two otherwise), then one sync that
 * takes away the earlier marks on the sheets it changes (so the backups are clean), copies those
 * sheets, writes the changes and the new sheets — more only when a request would pass 5 MB.
 */
export async function normaliseWorkbook(options: { onProgress?: Progress; memory?: SheetMemory } = {}): Promise<NormaliseOutcome> {
  const progress = options.onProgress ?? quiet;
  const caps = detectCapabilities();
  return Excel.run(async (context) => {
    const { book, grids, look, all } = await readWorkbookSheets(context, caps, progress, options.memory);
    let syncs = grids.syncs;
    const analysis = analysePlanSheets(all);
    const errorsLeft = (issues: Issue[]) => issues.filter((i) => i.severity === 'error').length;
    if (!analysis.breakdown && !analysis.responsibility) {
      return { noPlanSheets: true, edits: [], newSheets: [], errorsLeft: 0, syncs };
    }
    const plan = normalisePlan({ grids: all, breakdown: analysis.breakdown, responsibility: analysis.responsibility, plan: analysis.assembled.plan });
    // A new sheet replaces one of its name only if we made that one (a 規範數據 with our header).
    for (const sheet of plan.newSheets) {
      const same = analysis.sheets.find((s) => s.sheet.toLowerCase() === sheet.name.toLowerCase());
      if (same && same.kind !== 'tidy') {
        throw new WorkbookProblem(say('addin.normalise.nameTaken', { sheet: same.sheet }));
      }
    }
    const locked = plan.edits.map((e) => book.sheets.find((s) => s.name === e.sheet)).filter((s) => s?.protected);
    if (locked.length > 0) {
      throw new WorkbookProblem(say('addin.normalise.protected', { sheets: locked.map((s) => `「${s!.name}」`).join('') }));
    }
    const changes = plan.edits.reduce((n, e) => n + e.changeCount, 0);
    if (changes > 0 || plan.newSheets.length > 0) {
      // Marks of an earlier 校驗 describe the sheets before normalisation; they go first, in the same
      // sync, so the backups are clean.
      const clearing = await queueClearMarks(context, new Set(plan.edits.map((e) => e.sheet)), caps, look);
      syncs += clearing.syncs;
      progress(say('addin.step.writing', { count: changes }));
      const positions = new Map(book.sheets.map((s) => [s.name, s.position]));
      syncs += (await applyEditPlan(context, plan, all, { positions })).syncs;
      await clearing.commit();
    }
    return {
      noPlanSheets: false,
      edits: plan.edits.map(({ sheet, backupAs, changeCount, reasonCounts, firstChanges }) => ({ sheet, backupAs, changeCount, reasonCounts, firstChanges })),
      newSheets: plan.newSheets.map((s) => ({ name: s.name, rows: s.rows.length })),
      errorsLeft: errorsLeft(analysis.issues),
      syncs,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// 生成報送表, 提交, 插入圖表

export interface TemplateCreated {
  sheet: string;
  /** The canonical name (what the pane's district list chooses by). */
  district: string;
  /** The district as the plan writes it: what the pane shows. */
  districtAsWritten: string;
  asOf: string;
  rows: number;
  addedInstructions: boolean;
}

/**
 * A district's 進度報送表 for a date, in a new sheet written in `lang` (the pane's). The layout throws a
 * MessageError for a bad district or date.
 */
export async function createTemplate(plan: Plan, district: string, asOf: string, lang: Lang): Promise<TemplateCreated> {
  const layout = templateLayout(plan, district, asOf, { lang });
  return Excel.run(async (context) => {
    const book = await listSheets(context);
    const made = await insertTemplateSheet(context, layout, book.sheets.map((s) => s.name));
    return { sheet: made.sheet, district: layout.district, districtAsWritten: layout.districtAsWritten, asOf: layout.asOf, rows: made.rows, addedInstructions: made.addedInstructions };
  });
}

export interface SiteSheetCreated {
  sheet: string;
  metricsSheet: string;
  district: string;
  /** The district as the plan writes it (core/districtNames.ts): what the pane says. */
  districtAsWritten: string;
  rows: number;
}

/** A district's 點位 sheet (core/sites/siteLayout.ts) in new sheets; throws a MessageError for a district without count metrics. */
export async function createSiteSheet(plan: Plan, district: string, lang: Lang): Promise<SiteSheetCreated> {
  const layout = siteSheetLayout(plan, district, lang);
  return Excel.run(async (context) => {
    const book = await listSheets(context);
    const made = await insertSiteSheet(context, layout, book.sheets.map((s) => s.name));
    return { sheet: made.sheet, metricsSheet: made.metricsSheet, district: layout.district, districtAsWritten: shownDistrict(plan.districtNames, layout.district), rows: made.rows };
  });
}

export async function submitWorkbook(client: ServiceClient, options: { onProgress?: Progress } = {}): Promise<SubmitOutcome & { fileName: string }> {
  const progress = options.onProgress ?? quiet;
  if (!canSendWorkbook()) throw new WorkbookProblem(say('addin.submit.noFile'));
  progress(say('addin.step.readingFile'));
  const bytes = await workbookBytes();
  const fileName = workbookFileName();
  progress(say('addin.step.submitting', { size: Math.max(1, Math.round(bytes.length / 1024)) }));
  return { ...(await client.submit(bytes, fileName)), fileName };
}

export interface ChartsInserted {
  sheet: string;
  pictures: string[];
  replaced: number;
}

export async function insertCharts(client: ServiceClient, asOf: string, options: { onProgress?: Progress; assessment?: boolean } = {}): Promise<ChartsInserted> {
  const progress = options.onProgress ?? quiet;
  progress(say('addin.step.charts'));
  const [ranking, lag] = await Promise.all([client.chartPng('ranking', asOf), client.chartPng('lag-heatmap', asOf)]);
  const pictures: ChartPicture[] = [
    { name: 'ranking', title: say('addin.charts.ranking'), png: ranking },
    { name: 'lag-heatmap', title: say('addin.charts.lag'), png: lag },
  ];
  if (options.assessment) {
    // The 年度考核 charts of the date's year: the service refuses (with the reason) when it has no rules.
    const [districts, units] = await Promise.all([client.chartPng('assessment-districts', asOf), client.chartPng('assessment-lead-units', asOf)]);
    pictures.push(
      { name: 'assessment-districts', title: say('assess.addin.picture.district'), png: districts },
      { name: 'assessment-lead-units', title: say('assess.addin.picture.lead_unit'), png: units },
    );
  }
  progress(say('addin.step.pictures'));
  return Excel.run(async (context) => {
    const done = await insertChartPictures(context, pictures, say('addin.charts.heading', { date: asOf }));
    return { sheet: done.sheet, pictures: done.inserted, replaced: done.replaced };
  });
}

/** Goes to a cell an issue names: activates its sheet and selects it. */
export async function goToCell(sheet: string, cell: string): Promise<void> {
  await Excel.run(async (context) => {
    const ws = context.workbook.worksheets.getItemOrNullObject(sheet);
    await context.sync();
    if (ws.isNullObject) throw new WorkbookProblem(say('addin.goTo.missing', { sheet }));
    ws.activate();
    ws.getRange(cell).select();
    await context.sync();
  });
}

/** Calls `onChange` whenever the clerk switches sheets (and once the handler is in place). */
export async function watchActiveSheet(onChange: () => void): Promise<void> {
  await Excel.run(async (context) => {
    context.workbook.worksheets.onActivated.add(async () => onChange());
    await context.sync();
  });
}
