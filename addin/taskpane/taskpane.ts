/// <reference types="office-js" />
// The task pane's behaviour: buttons → workflows (addin/workflows.ts), results → lists a clerk can
// click through. Only one Excel operation runs at a time; every slow step says what it is doing.
import { DISTRICTS } from '../../core/districts';
import { severityLabel, type RenderedIssue, type Severity } from '../../core/issues';
import { isIsoDate, parseDateText } from '../../core/dates';
import { isMessageId, render, type Lang } from '../../core/messages';
import type { Plan } from '../../core/model';
import { changeReasonText } from '../../core/normalise';
import type { SheetMemory } from '../excel/readSheets';
import { canSendWorkbook } from '../excel/workbookFile';
import { ServiceClient, type CasesAnswer, type Health, type SubmitOutcome } from '../service';
import { loadSettings, normaliseServiceUrl, saveSettings, type PaneSettings } from '../settings';
import {
  createSiteSheet,
  createTemplate,
  describeActiveSheet,
  goToCell,
  insertCharts,
  normaliseWorkbook,
  submitWorkbook,
  validateWorkbook,
  watchActiveSheet,
  type NormaliseOutcome,
  type ValidationOutcome,
} from '../workflows';
import { choosePaneLang, nameInPaneScript, officeDisplayLanguage, paneLang, say, setPaneLang } from '../paneLang';
import { explain } from './explain';

// The page's ES5 fallback (taskpane.html) looks for this when the page has loaded: set, the bundle runs
// in this web view. (Imports run first: one that fails in an old web view leaves it unset too.)
(window as unknown as { __minshengBundleRan?: boolean }).__minshengBundleRan = true;

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Issues shown per group; the marks in the sheet still cover all of them. */
const SHOWN_PER_GROUP = 200;

/** The workbook's sheets as the pane last saw them: 校驗 and 規範化 then read everything in one sync. */
const memory: SheetMemory = {};

/** Loaded in start(): the storage key needs Office's partition key, known after Office.onReady. */
let settings: PaneSettings;
let client: ServiceClient | undefined;
let planRequest: Promise<Plan> | undefined;
let health: Health | undefined;
let busy = false;

// ---------------------------------------------------------------------------------------------
// Small DOM helpers

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string; title?: string } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title) node.title = props.title;
  for (const child of children) node.append(child);
  return node;
}

function setStatus(text: string | undefined): void {
  $('status').hidden = !text;
  $('status-text').textContent = text ?? '';
}

function showMessage(text: string | undefined, ok = false): void {
  const box = $('message');
  box.hidden = !text;
  box.textContent = text ?? '';
  box.classList.toggle('ok', ok);
}

/** Where actions show what they did. */
const RESULT_AREAS = ['check-result', 'template-result', 'submit-result', 'chart-result', 'cases-result', 'sites-result'];

const ACTION_BUTTONS = ['validate', 'normalise', 'make-template', 'submit', 'insert-charts', 'load-cases', 'make-sites', 'test-connection'];

/**
 * Runs one operation at a time, with its progress shown and its failure explained. `resultId`: where the
 * operation shows its result, emptied first so an old success never stands next to a new failure.
 */
async function run(firstStep: string, task: (progress: (step: string) => void) => Promise<void>, resultId?: string): Promise<void> {
  if (busy) return;
  busy = true;
  showMessage(undefined);
  $('announce').textContent = '';
  if (resultId) $(resultId).replaceChildren();
  setStatus(firstStep);
  for (const id of ACTION_BUTTONS) $<HTMLButtonElement>(id).disabled = true;
  try {
    await task((step) => setStatus(step));
    // The result's summary is read out (a failure is: #message is an alert); the list below it is not.
    const summary = resultId ? $(resultId).querySelector('.result')?.textContent : undefined;
    if (summary) $('announce').textContent = summary.replace(/\s+/g, ' ').trim();
  } catch (error) {
    showMessage(explain(error));
  } finally {
    busy = false;
    setStatus(undefined);
    for (const id of ACTION_BUTTONS) $<HTMLButtonElement>(id).disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Dates: the fields show 2024年9月30日 whatever the web view's locale (a date input would show
// 09/30/2024 in an English Windows); they accept what parseDateText reads (2024-09-30, 2024/9/30 …).

function chineseDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  return say('addin.date', { year, month, day });
}

function setDate(id: string, iso: string): void {
  $<HTMLInputElement>(id).value = chineseDate(iso);
}

/** The date in a field as YYYY-MM-DD; a clear error when it is empty or not a date. */
function dateOf(id: string): string {
  const text = $<HTMLInputElement>(id).value.trim();
  if (!text) throw new Error(say('addin.date.missing'));
  const iso = isIsoDate(text) ? text : parseDateText(text);
  if (!iso) throw new Error(say('addin.date.unreadable', { text }));
  return iso;
}

/** Rewrites a field's date in the pane's form when the clerk leaves it (what cannot be read stays as typed). */
function tidyDateField(id: string): void {
  const input = $<HTMLInputElement>(id);
  input.addEventListener('change', () => {
    const text = input.value.trim();
    const iso = isIsoDate(text) ? text : parseDateText(text);
    if (iso) input.value = chineseDate(iso);
  });
}

/**
 * The calendar button beside a date field: it opens the web view's own date picker (a date input kept
 * out of sight) on the field's date, and writes the chosen day back in the pane's form.
 */
function wireDatePicker(id: string): void {
  const field = $<HTMLInputElement>(id);
  const picker = $<HTMLInputElement>(`${id}-picker`);
  $(`${id}-pick`).addEventListener('click', () => {
    const text = field.value.trim();
    const iso = isIsoDate(text) ? text : parseDateText(text);
    if (iso) picker.value = iso;
    try {
      picker.showPicker();
    } catch {
      // A web view without showPicker (older WebView2, Safari < 16): the clerk types the date instead.
      field.focus();
    }
  });
  picker.addEventListener('change', () => {
    if (picker.value) setDate(id, picker.value);
  });
}

function isoDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The last month end before today, moved into the plan year when today is outside it. */
function defaultAsOf(planYear?: number): string {
  const today = new Date();
  const lastMonthEnd = new Date(today.getFullYear(), today.getMonth(), 0);
  if (planYear === undefined || lastMonthEnd.getFullYear() === planYear) return isoDate(lastMonthEnd);
  return lastMonthEnd.getFullYear() > planYear ? `${planYear}-12-31` : `${planYear}-01-31`;
}

// ---------------------------------------------------------------------------------------------
// The service

function configureClient(): void {
  client = settings.serviceUrl && settings.token ? new ServiceClient({ url: settings.serviceUrl, token: settings.token }) : undefined;
  planRequest = undefined;
  for (const banner of Array.from(document.querySelectorAll<HTMLElement>('.needs-service'))) banner.hidden = client !== undefined;
}

function requireClient(): ServiceClient {
  if (!client) {
    openSettings(true);
    throw new Error(say('addin.settings.needed'));
  }
  return client;
}

function yearPlan(): Promise<Plan> {
  const c = requireClient();
  planRequest ??= c.plan().catch((error) => {
    planRequest = undefined;
    throw error;
  });
  return planRequest;
}

async function loadHealth(): Promise<void> {
  if (!client) return;
  try {
    health = await client.health();
    setDate('template-date', defaultAsOf(health.planYear));
    setDate('chart-date', health.defaultAsOf ?? health.latestAsOf ?? defaultAsOf(health.planYear));
  } catch {
    // Said when the clerk uses the service; the pane works without it.
  }
}

// ---------------------------------------------------------------------------------------------
// The active sheet

let describing: Promise<void> | undefined;
let describeAgain = false;

async function describeSheet(): Promise<void> {
  // Switching sheets quickly: one reading at a time, and one more after it.
  if (describing) {
    describeAgain = true;
    return describing;
  }
  describing = (async () => {
    do {
      describeAgain = false;
      try {
        const d = await describeActiveSheet({ memory });
        $('sheet-name').textContent = d.sheet;
        const badge = $('sheet-kind');
        badge.textContent = d.label;
        badge.className = `badge kind-${d.own ? 'own' : d.kind}`;
        $('sheet-detail').textContent = d.detail;
      } catch {
        $('sheet-kind').textContent = say('addin.kind.unreadable');
        $('sheet-detail').textContent = say('addin.detail.busy');
      }
    } while (describeAgain);
  })();
  await describing;
  describing = undefined;
}

// ---------------------------------------------------------------------------------------------
// Issue lists

function displayMessage(issue: RenderedIssue): string {
  // Messages start with their cell ("C7：…"), which the list shows beside them already.
  const text = issue.message;
  return issue.cell && text.startsWith(`${issue.cell}：`) ? text.slice(issue.cell.length + 1) : text;
}

function issueItem(issue: RenderedIssue, canGo: boolean): HTMLElement {
  const where = issue.cell ? `${issue.sheet} ${issue.cell}` : issue.sheet;
  const parts: (Node | string)[] = [el('span', { className: 'where', text: where }), displayMessage(issue)];
  if (issue.fix) parts.push(el('span', { className: 'fix', text: say('addin.issue.fix', { fix: issue.fix.description }) }));
  if (!canGo || !issue.cell) return el('li', {}, el('div', { className: 'issue' }, ...parts));
  const button = el('button', { className: 'issue', title: say('addin.issue.select', { where }) }, ...parts);
  button.type = 'button';
  button.addEventListener('click', () => void run(say('addin.step.goTo', { where }), () => goToCell(issue.sheet, issue.cell!)));
  return el('li', {}, button);
}

function issueGroups(issues: readonly RenderedIssue[], canGo: (issue: RenderedIssue) => boolean): HTMLElement {
  const box = el('div');
  for (const severity of ['error', 'warning', 'info'] as Severity[]) {
    const group = issues.filter((i) => i.severity === severity);
    if (group.length === 0) continue;
    const details = el('details', { className: `group ${severity}` });
    details.open = severity !== 'info';
    details.append(el('summary', {}, severityLabel(severity, paneLang()), el('span', { className: `count ${severity}`, text: String(group.length) })));
    const list = el('ul', { className: 'issues' });
    for (const issue of group.slice(0, SHOWN_PER_GROUP)) list.append(issueItem(issue, canGo(issue)));
    details.append(list);
    if (group.length > SHOWN_PER_GROUP) details.append(el('div', { className: 'more', text: say('addin.issue.more', { count: group.length - SHOWN_PER_GROUP }) }));
    box.append(details);
  }
  return box;
}

function counts(issues: readonly RenderedIssue[]): HTMLElement {
  const row = el('div', { className: 'summary-counts' });
  for (const severity of ['error', 'warning', 'info'] as Severity[]) {
    const n = issues.filter((i) => i.severity === severity).length;
    if (n > 0) row.append(el('span', { className: `count ${severity}`, text: say('addin.issue.count', { count: n, severity: severityLabel(severity, paneLang()) }) }));
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// 校驗 and 規範化

function renderValidation(outcome: ValidationOutcome): void {
  const out = $('check-result');
  out.replaceChildren();
  const recognised = outcome.sheets.filter((s) => s.kind === 'responsibility' || s.kind === 'breakdown' || s.kind === 'submission');
  const errors = outcome.issues.filter((i) => i.severity === 'error').length;
  const box = el('div', { className: `result ${errors > 0 ? 'bad' : 'ok'}` });
  if (recognised.length === 0) {
    box.append(el('p', { text: say('addin.validate.nothing') }));
  } else {
    const names = recognised.map((s) => `「${s.sheet}」`).join('、');
    box.append(el('p', { text: say(outcome.issues.length === 0 ? 'addin.validate.clean' : 'addin.validate.found', { sheets: names }) }));
    if (outcome.issues.length > 0) box.append(counts(outcome.issues));
    const markText = [
      outcome.marked > 0 ? say('addin.validate.marked', { count: outcome.marked }) : '',
      outcome.cleared > 0 ? say('addin.validate.cleared', { count: outcome.cleared }) : '',
    ].join('');
    if (markText) box.append(el('p', { className: 'small muted', text: markText }));
    for (const s of outcome.submissions) box.append(el('p', { className: 'small', text: say('addin.validate.submission', { district: s.district, date: s.asOf, count: s.rows.length }) }));
  }
  for (const notice of outcome.notices) box.append(el('p', { className: 'small hint warn', text: notice }));
  out.append(box);
  if (outcome.issues.length > 0) out.append(issueGroups(outcome.issues, () => true));
}

function show(value: unknown): string {
  if (value === null || value === '') return say('addin.normalise.empty');
  return typeof value === 'string' ? `「${value.replace(/\n/g, '↵')}」` : String(value);
}

const CHANGES_LISTED = 30;

function renderNormalise(outcome: NormaliseOutcome): void {
  const out = $('check-result');
  out.replaceChildren();
  if (outcome.noPlanSheets) {
    out.append(el('div', { className: 'result' }, el('p', { text: say('addin.normalise.noPlan') })));
    return;
  }
  const box = el('div', { className: 'result ok' });
  out.append(box);
  const changed = outcome.edits.reduce((n, e) => n + e.changeCount, 0);
  if (changed === 0 && outcome.newSheets.length === 0) {
    box.append(el('p', { text: say('addin.normalise.nothing') }));
    return;
  }
  box.append(el('p', { text: say('addin.normalise.done') }));
  const summary = el('ul', { className: 'summary' });
  for (const edit of outcome.edits) {
    summary.append(
      el(
        'li',
        {},
        edit.backupAs
          ? say('addin.normalise.sheetBackedUp', { sheet: edit.sheet, count: edit.changeCount, backup: edit.backupAs })
          : say('addin.normalise.sheet', { sheet: edit.sheet, count: edit.changeCount }),
        el('span', { className: 'reasons', text: Object.entries(edit.reasonCounts).map(([reason, n]) => say('addin.normalise.reason', { reason: changeReasonText(reason, paneLang()), count: n })).join('；') }),
      ),
    );
  }
  for (const sheet of outcome.newSheets) summary.append(el('li', { text: say('addin.normalise.newSheet', { sheet: sheet.name, rows: sheet.rows }) }));
  box.append(summary);
  if (outcome.errorsLeft > 0) {
    box.append(el('p', { className: 'small hint warn', text: say('addin.normalise.errorsLeft', { count: outcome.errorsLeft }) }));
  }
  for (const edit of outcome.edits) {
    const details = el('details', { className: 'group' });
    details.append(el('summary', {}, say('addin.normalise.details', { sheet: edit.sheet }), el('span', { className: 'count info', text: String(edit.changeCount) })));
    const list = el('ul', { className: 'issues' });
    for (const c of edit.firstChanges.slice(0, CHANGES_LISTED)) {
      const link = el(
        'button',
        { className: 'issue change', title: say('addin.issue.select', { where: `${edit.sheet} ${c.cell}` }) },
        el('span', { className: 'where', text: c.cell }),
        show(c.before),
        el('span', { className: 'arrow', text: ' → ' }),
        show(c.after),
      );
      link.type = 'button';
      link.addEventListener('click', () => void run(say('addin.step.goTo', { where: c.cell }), () => goToCell(edit.sheet, c.cell)));
      list.append(el('li', {}, link));
    }
    details.append(list);
    if (edit.changeCount > CHANGES_LISTED) details.append(el('div', { className: 'more', text: say('addin.normalise.more', { count: edit.changeCount - CHANGES_LISTED, backup: edit.backupAs ?? '' }) }));
    out.append(details);
  }
}

// ---------------------------------------------------------------------------------------------
// 報送 and 圖表

async function sheetNames(): Promise<Set<string>> {
  try {
    return await Excel.run(async (context) => {
      const sheets = context.workbook.worksheets;
      sheets.load('items/name');
      await context.sync();
      return new Set(sheets.items.map((s) => s.name));
    });
  } catch {
    return new Set();
  }
}

const VERDICT_TEXT = {
  loaded: 'addin.submit.loaded',
  duplicate: 'addin.submit.duplicate',
  'superseded-earlier': 'addin.submit.superseded',
} as const;

function verdictText(verdict: string): string {
  const id = (VERDICT_TEXT as Record<string, (typeof VERDICT_TEXT)[keyof typeof VERDICT_TEXT]>)[verdict];
  return id ? say(id) : say('addin.submit.other', { verdict });
}

async function renderSubmit(outcome: SubmitOutcome & { fileName: string }): Promise<void> {
  const out = $('submit-result');
  out.replaceChildren();
  const names = await sheetNames();
  const canGo = (issue: RenderedIssue) => Boolean(issue.cell) && names.has(issue.sheet);
  if (outcome.kind === 'accepted') {
    const box = el('div', { className: 'result ok' }, el('p', { text: verdictText(outcome.verdict) }));
    for (const s of outcome.submissions) box.append(el('p', { className: 'small', text: say('addin.submit.summary', { district: s.district, date: s.asOf, count: s.rows }) }));
    out.append(box);
    if (outcome.issues.length > 0) {
      box.append(el('p', { className: 'small muted', text: say('addin.submit.warnings') }));
      out.append(issueGroups(outcome.issues, canGo));
    }
    return;
  }
  const box = el('div', { className: 'result bad' }, el('p', { text: say('addin.submit.refused', { reason: outcome.reason }) }));
  if (outcome.issues.length > 0) {
    box.append(counts(outcome.issues));
    box.append(el('p', { className: 'small muted', text: say('addin.submit.fixThese') }));
  }
  out.append(box);
  if (outcome.issues.length > 0) out.append(issueGroups(outcome.issues, canGo));
}

// ---------------------------------------------------------------------------------------------
// Settings

function openSettings(open: boolean): void {
  $('panel-settings').hidden = !open;
  $('settings-toggle').setAttribute('aria-expanded', String(open));
  if (open) {
    $<HTMLInputElement>('service-url').value = settings.serviceUrl;
    $<HTMLInputElement>('token').value = settings.token;
    $<HTMLSelectElement>('pane-lang').value = settings.lang;
  }
}

function saveFromForm(): boolean {
  const result = $('settings-result');
  const url = normaliseServiceUrl($<HTMLInputElement>('service-url').value);
  if (!url) {
    result.hidden = false;
    result.textContent = say('addin.settings.badUrl');
    return false;
  }
  settings = saveSettings({ serviceUrl: url, token: $<HTMLInputElement>('token').value });
  configureClient();
  result.hidden = false;
  result.textContent = say(settings.token ? 'addin.settings.saved' : 'addin.settings.savedNoToken');
  return true;
}

// ---------------------------------------------------------------------------------------------
// Wiring

const tabs = () => Array.from(document.querySelectorAll<HTMLButtonElement>('.tabs [role=tab]'));

/** Shows a tab's panel. The tabs are one stop for Tab (roving tabindex): the selected one. */
function selectTab(id: string): void {
  for (const tab of tabs()) {
    const selected = tab.id === id;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(tab.getAttribute('aria-controls')!).hidden = !selected;
  }
}

/** The arrow keys move between the tabs (and wrap), Home and End go to the first and last; each shows its panel. */
function onTabKey(event: KeyboardEvent): void {
  const all = tabs();
  const at = all.findIndex((tab) => tab === document.activeElement);
  if (at < 0) return;
  const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 }[event.key];
  if (next === undefined) return;
  event.preventDefault();
  const tab = all[(next + all.length) % all.length];
  selectTab(tab.id);
  tab.focus();
}

// ---------------------------------------------------------------------------------------------
// 督辦: the district's 掛牌督辦 cases, and its 點位 sheet

function renderCases(answer: CasesAnswer): void {
    const out = $('cases-result');
  const who = answer.district ?? '';
  if (answer.cases.length === 0) {
    out.replaceChildren(el('div', { className: 'result ok' }, el('p', { text: say('cases.pane.none', { district: who }) })));
    return;
  }
  const head = answer.district
    ? say('cases.pane.count', { district: answer.district, date: answer.asOf ?? '', count: answer.cases.length })
    : say('cases.pane.city-wide', { count: answer.cases.length });
  const list = el('ul', { className: 'summary' });
  for (const c of answer.cases) {
    const item = el(
      'li',
      { className: `case ${c.status}` },
      say('cases.pane.item', {
        metric: answer.district ? c.metric_id : `${c.district} ${c.metric_id}`,
        label: c.label ?? '',
        status: say(`case.status.${c.status}`),
        opened: c.opened_on,
        due: c.due_on,
        gap: c.gap === null ? '—' : `${(c.gap * 100).toFixed(1)}%`,
      }),
    );
    if (c.notes.length > 0) item.append(el('span', { className: 'reasons', text: say('cases.pane.notes', { notes: c.notes.join('；') }) }));
    list.append(item);
  }
  out.replaceChildren(el('div', { className: `result ${answer.cases.some((c) => c.status === 'overdue') ? 'bad' : 'ok'}` }, el('p', { text: head }), list));
}

function wireSupervision(): void {
  const district = $<HTMLSelectElement>('sites-district');
  for (const d of DISTRICTS) district.append(new Option(nameInPaneScript(d.name), d.name));
  if (settings.district) district.value = settings.district;
  $('load-cases').addEventListener('click', () =>
    run(say('cases.pane.loading'), async () => renderCases(await requireClient().cases()), 'cases-result'),
  );
  $('make-sites').addEventListener('click', () =>
    run(say('addin.step.plan'), async (progress) => {
      const plan = await yearPlan();
      progress(say('sites.pane.making'));
      const made = await createSiteSheet(plan, district.value, paneLang());
      settings = saveSettings({ district: made.district });
      $('sites-result').replaceChildren(
        el('div', { className: 'result ok' }, el('p', { text: say('sites.pane.made', { sheet: made.sheet, district: made.districtAsWritten, rows: made.rows, metrics: made.metricsSheet }) })),
      );
      await describeSheet();
    }, 'sites-result'),
  );
}

function wire(): void {
  wireSupervision();
  for (const tab of tabs()) tab.addEventListener('click', () => selectTab(tab.id));
  document.querySelector<HTMLElement>('.tabs')!.addEventListener('keydown', onTabKey);
  $('settings-toggle').addEventListener('click', () => openSettings($('panel-settings').hidden));
  $('pane-lang').addEventListener('change', () => {
    // Kept like the token (this computer, Office's partition); the page changes at once.
    settings = saveSettings({ lang: $<HTMLSelectElement>('pane-lang').value });
    choosePaneLanguage();
    // Results already shown are in the other language: they go, so the pane reads in one script.
    for (const id of RESULT_AREAS) $(id).replaceChildren();
    showMessage(undefined);
    $('settings-result').hidden = true;
    void describeSheet();
  });

  const district = $<HTMLSelectElement>('district');
  for (const d of DISTRICTS) district.append(new Option(nameInPaneScript(d.name), d.name));
  if (settings.district) district.value = settings.district;
  setDate('template-date', defaultAsOf());
  setDate('chart-date', defaultAsOf());
  tidyDateField('template-date');
  tidyDateField('chart-date');
  wireDatePicker('template-date');
  wireDatePicker('chart-date');

  $('validate').addEventListener('click', () =>
    run(say('addin.step.reading'), async (progress) => {
      const outcome = await validateWorkbook({ onProgress: progress, memory, plan: async () => (client ? yearPlan() : undefined) });
      renderValidation(outcome);
    }, 'check-result'),
  );
  $('normalise').addEventListener('click', () =>
    run(say('addin.step.reading'), async (progress) => {
      const outcome = await normaliseWorkbook({ onProgress: progress, memory });
      renderNormalise(outcome);
      await describeSheet();
    }, 'check-result'),
  );
  $('make-template').addEventListener('click', () =>
    run(say('addin.step.plan'), async (progress) => {
      const asOf = dateOf('template-date');
      const plan = await yearPlan();
      progress(say('addin.step.template'));
      const made = await createTemplate(plan, district.value, asOf, paneLang());
      settings = saveSettings({ district: made.district });
      $('template-result').replaceChildren(
        el(
          'div',
          { className: 'result ok' },
          el('p', { text: say('addin.template.made', { sheet: made.sheet, district: made.districtAsWritten, date: made.asOf, count: made.rows }) }),
          el('p', { className: 'small muted', text: say(made.addedInstructions ? 'addin.template.fillWithInstructions' : 'addin.template.fill') }),
        ),
      );
      await describeSheet();
    }, 'template-result'),
  );
  $('submit').addEventListener('click', () =>
    run(say('addin.step.readingFile'), async (progress) => {
      const outcome = await submitWorkbook(requireClient(), { onProgress: progress });
      await renderSubmit(outcome);
    }, 'submit-result'),
  );
  $('insert-charts').addEventListener('click', () =>
    run(say('addin.step.charts'), async (progress) => {
      const asOf = dateOf('chart-date');
      const done = await insertCharts(requireClient(), asOf, { onProgress: progress, assessment: $<HTMLInputElement>('chart-assessment').checked });
      $('chart-result').replaceChildren(
        el(
          'div',
          { className: 'result ok' },
          el('p', {
            text:
              done.replaced > 0
                ? say('addin.charts.doneReplaced', { sheet: done.sheet, count: done.pictures.length, date: asOf, replaced: done.replaced })
                : say('addin.charts.done', { sheet: done.sheet, count: done.pictures.length, date: asOf }),
          }),
        ),
      );
      await describeSheet();
    }, 'chart-result'),
  );
  $('save-settings').addEventListener('click', () => {
    if (!saveFromForm()) return;
    openSettings(false);
    showMessage(say(settings.token ? 'addin.settings.saved' : 'addin.settings.savedNoToken'), true);
    void loadHealth();
  });
  $('test-connection').addEventListener('click', () =>
    run(say('addin.step.connecting'), async () => {
      if (!saveFromForm()) return;
      const result = $('settings-result');
      const c = requireClient();
      health = await c.health();
      await c.plan();
      result.textContent = health.latestAsOf
        ? say('addin.settings.connected', { year: health.planYear, date: health.latestAsOf })
        : say('addin.settings.connectedNone', { year: health.planYear });
      setDate('template-date', defaultAsOf(health.planYear));
      setDate('chart-date', health.defaultAsOf ?? health.latestAsOf ?? defaultAsOf(health.planYear));
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// The pane's language

/** The page's own text from the catalogue, in the pane's language: data-text, data-title, data-placeholder, data-label. */
function applyPaneText(): void {
  const lang: Lang = paneLang();
  document.documentElement.lang = lang;
  const attributes = [
    ['text', (node: HTMLElement, text: string) => void (node.textContent = text)],
    ['title', (node: HTMLElement, text: string) => void (node.title = text)],
    ['placeholder', (node: HTMLElement, text: string) => void node.setAttribute('placeholder', text)],
    ['label', (node: HTMLElement, text: string) => void node.setAttribute('aria-label', text)],
  ] as const;
  for (const [name, put] of attributes) {
    for (const node of Array.from(document.querySelectorAll<HTMLElement>(`[data-${name}]`))) {
      const id = node.dataset[name] ?? '';
      if (isMessageId(id)) put(node, render(lang, { id }));
    }
  }
  // The district lists: shown in the pane's script, valued by the registry's name.
  for (const option of Array.from(document.querySelectorAll<HTMLOptionElement>('#district option, #sites-district option'))) option.text = nameInPaneScript(option.value);
  const office = officeDisplayLanguage();
  $('pane-lang-auto').textContent = say('addin.settings.lang.auto', { lang: office ?? '—' });
  if (!canSendWorkbook()) $('no-file').textContent = say('addin.submit.noFile');
}

/** Chooses the pane's language from 設定 and Office's display language, and shows the page in it. */
function choosePaneLanguage(): void {
  setPaneLang(choosePaneLang(settings?.lang ?? '', officeDisplayLanguage()).lang);
  applyPaneText();
}

async function start(): Promise<void> {
  settings = loadSettings();
  choosePaneLanguage();
  $('app').hidden = false;
  wire();
  if (!canSendWorkbook()) {
    // Excel on iPad: said before the clerk fills a report in to send from here.
    $('no-file').hidden = false;
  }
  configureClient();
  if (!client) openSettings(true);
  await describeSheet();
  try {
    await watchActiveSheet(() => void describeSheet());
  } catch {
    // Without the event, the sheet is described after each action instead.
  }
  await loadHealth();
}

Office.onReady((info) => {
  if (info.host === Office.HostType.Excel) void start();
  else {
    choosePaneLanguage();
    $('not-excel').hidden = false;
  }
});
