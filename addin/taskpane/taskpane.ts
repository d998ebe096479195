/// <reference types="office-js" />
// The task pane's behaviour: buttons → workflows (addin/workflows.ts), results → lists a clerk can
// click through. Only one Excel operation runs at a time; every slow step says what it is doing.
import { DISTRICTS } from '../../core/districts';
import { fixText, issueText, severityLabel, type Issue, type Severity } from '../../core/issues';
import { isMessageId, render, t, translator } from '../../core/messages';
import type { Plan } from '../../core/model';
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
// Dates

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
    throw new Error('請先在「設置」中填寫服務網址和令牌。');
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
    $<HTMLInputElement>('template-date').value = defaultAsOf(health.planYear);
    $<HTMLInputElement>('chart-date').value = health.latestAsOf ?? defaultAsOf(health.planYear);
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
        $('sheet-kind').textContent = '無法讀取';
        $('sheet-detail').textContent = 'Excel正忙（例如正在編輯單元格），稍後切換工作表時會再識別。';
      }
    } while (describeAgain);
  })();
  await describing;
  describing = undefined;
}

// ---------------------------------------------------------------------------------------------
// Issue lists

function displayMessage(issue: Issue): string {
  // Messages start with their cell ("C7：…"), which the list shows beside them already.
  const text = issueText(issue, 'zh-TW');
  return issue.cell && text.startsWith(`${issue.cell}：`) ? text.slice(issue.cell.length + 1) : text;
}

function issueItem(issue: Issue, canGo: boolean): HTMLElement {
  const where = issue.cell ? `${issue.sheet} ${issue.cell}` : issue.sheet;
  const parts: (Node | string)[] = [el('span', { className: 'where', text: where }), displayMessage(issue)];
  if (issue.fix) parts.push(el('span', { className: 'fix', text: `建議：${fixText(issue.fix, 'zh-TW')}` }));
  if (!canGo || !issue.cell) return el('li', {}, el('div', { className: 'issue' }, ...parts));
  const button = el('button', { className: 'issue', title: `選中 ${where}` }, ...parts);
  button.type = 'button';
  button.addEventListener('click', () => void run(`正在跳到 ${where}…`, () => goToCell(issue.sheet, issue.cell!)));
  return el('li', {}, button);
}

function issueGroups(issues: readonly Issue[], canGo: (issue: Issue) => boolean): HTMLElement {
  const box = el('div');
  for (const severity of ['error', 'warning', 'info'] as Severity[]) {
    const group = issues.filter((i) => i.severity === severity);
    if (group.length === 0) continue;
    const details = el('details', { className: `group ${severity}` });
    details.open = severity !== 'info';
    details.append(el('summary', {}, severityLabel(severity, 'zh-TW'), el('span', { className: `count ${severity}`, text: String(group.length) })));
    const list = el('ul', { className: 'issues' });
    for (const issue of group.slice(0, SHOWN_PER_GROUP)) list.append(issueItem(issue, canGo(issue)));
    details.append(list);
    if (group.length > SHOWN_PER_GROUP) details.append(el('div', { className: 'more', text: `另有${group.length - SHOWN_PER_GROUP}條未列出（單元格上都有標記）。` }));
    box.append(details);
  }
  return box;
}

function counts(issues: readonly Issue[]): HTMLElement {
  const row = el('div', { className: 'summary-counts' });
  for (const severity of ['error', 'warning', 'info'] as Severity[]) {
    const n = issues.filter((i) => i.severity === severity).length;
    if (n > 0) row.append(el('span', { className: `count ${severity}`, text: `${n}個${severityLabel(severity, 'zh-TW')}` }));
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
    box.append(el('p', { text: '本工作簿中沒有附件1、附件2或進度報送表，沒有可校驗的內容。' }));
  } else {
    const names = recognised.map((s) => `「${s.sheet}」`).join('、');
    box.append(el('p', { text: outcome.issues.length === 0 ? `已校驗${names}：沒有發現問題。` : `已校驗${names}：` }));
    if (outcome.issues.length > 0) box.append(counts(outcome.issues));
    const markText = [
      outcome.marked > 0 ? `已在${outcome.marked}個單元格上標記（紅色為錯誤，黃色為警告），點下方的問題可跳到該單元格。` : '',
      outcome.cleared > 0 ? `上次的${outcome.cleared}處標記已清除。` : '',
    ].join('');
    if (markText) box.append(el('p', { className: 'small muted', text: markText }));
    for (const s of outcome.submissions) box.append(el('p', { className: 'small', text: `報送表：${s.district}，截至${s.asOf}，已填${s.rows.length}項。` }));
  }
  for (const notice of outcome.notices) box.append(el('p', { className: 'small hint warn', text: notice }));
  out.append(box);
  if (outcome.issues.length > 0) out.append(issueGroups(outcome.issues, () => true));
}

function show(value: unknown): string {
  if (value === null || value === '') return '（空）';
  return typeof value === 'string' ? `「${value.replace(/\n/g, '↵')}」` : String(value);
}

const CHANGES_LISTED = 30;

function renderNormalise(outcome: NormaliseOutcome): void {
  const out = $('check-result');
  out.replaceChildren();
  if (outcome.noPlanSheets) {
    out.append(el('div', { className: 'result' }, el('p', { text: '本工作簿中沒有附件1或附件2，無需規範化。進度報送表填好後直接校驗、提交即可。' })));
    return;
  }
  const box = el('div', { className: 'result ok' });
  out.append(box);
  const changed = outcome.edits.reduce((n, e) => n + e.changeCount, 0);
  if (changed === 0 && outcome.newSheets.length === 0) {
    box.append(el('p', { text: '已經是規範格式，沒有需要改動的地方。' }));
    return;
  }
  box.append(el('p', { text: '規範化完成：' }));
  const summary = el('ul', { className: 'summary' });
  for (const edit of outcome.edits) {
    summary.append(
      el(
        'li',
        {},
        `「${edit.sheet}」改動${edit.changeCount}處${edit.backupAs ? `，原表已完整備份為「${edit.backupAs}」` : ''}。`,
        el('span', { className: 'reasons', text: Object.entries(edit.reasonCounts).map(([reason, n]) => `${reason}（${n}處）`).join('；') }),
      ),
    );
  }
  for (const sheet of outcome.newSheets) summary.append(el('li', { text: `已生成「${sheet.name}」表：${sheet.rows}行，每個指標、每個區縣一行（Excel表格，可篩選）。` }));
  box.append(summary);
  if (outcome.errorsLeft > 0) {
    box.append(el('p', { className: 'small hint warn', text: `還有${outcome.errorsLeft}個錯誤需要人工修改（如無法識別的數量、對不上的合計）：請點「校驗」查看並逐一修改。` }));
  }
  for (const edit of outcome.edits) {
    const details = el('details', { className: 'group' });
    details.append(el('summary', {}, `「${edit.sheet}」改動明細`, el('span', { className: 'count info', text: String(edit.changeCount) })));
    const list = el('ul', { className: 'issues' });
    for (const c of edit.firstChanges.slice(0, CHANGES_LISTED)) {
      const link = el(
        'button',
        { className: 'issue change', title: `選中 ${edit.sheet} ${c.cell}` },
        el('span', { className: 'where', text: c.cell }),
        show(c.before),
        el('span', { className: 'arrow', text: ' → ' }),
        show(c.after),
      );
      link.type = 'button';
      link.addEventListener('click', () => void run(`正在跳到 ${c.cell}…`, () => goToCell(edit.sheet, c.cell)));
      list.append(el('li', {}, link));
    }
    details.append(list);
    if (edit.changeCount > CHANGES_LISTED) details.append(el('div', { className: 'more', text: `另有${edit.changeCount - CHANGES_LISTED}處未列出；原表備份在「${edit.backupAs ?? ''}」，可以對照查看。` }));
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

const VERDICT_TEXT: Record<string, string> = {
  loaded: '已提交，督查室已收到。',
  duplicate: '這份文件之前已經提交過（內容相同），無需重複提交。',
  'superseded-earlier': '已提交，並替代了先前報送的同一日期的數據。',
};

async function renderSubmit(outcome: SubmitOutcome & { fileName: string }): Promise<void> {
  const out = $('submit-result');
  out.replaceChildren();
  const names = await sheetNames();
  const canGo = (issue: Issue) => Boolean(issue.cell) && names.has(issue.sheet);
  if (outcome.kind === 'accepted') {
    const box = el('div', { className: 'result ok' }, el('p', { text: VERDICT_TEXT[outcome.verdict] ?? `已提交（${outcome.verdict}）。` }));
    for (const s of outcome.submissions) box.append(el('p', { className: 'small', text: `${s.district}，截至${s.asOf}，報送了${s.rows}項指標的進度。` }));
    out.append(box);
    if (outcome.issues.length > 0) {
      box.append(el('p', { className: 'small muted', text: '以下提示不影響提交，請核實：' }));
      out.append(issueGroups(outcome.issues, canGo));
    }
    return;
  }
  const box = el('div', { className: 'result bad' }, el('p', { text: `未被接收：${outcome.reason}` }));
  if (outcome.issues.length > 0) {
    box.append(counts(outcome.issues));
    box.append(el('p', { className: 'small muted', text: '請按下列問題修改後再提交；點擊可跳到對應單元格。' }));
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
  }
}

function saveFromForm(): boolean {
  const result = $('settings-result');
  const url = normaliseServiceUrl($<HTMLInputElement>('service-url').value);
  if (!url) {
    result.hidden = false;
    result.textContent = '服務網址不正確，應形如 https://minsheng.example.gov.cn:8080';
    return false;
  }
  settings = saveSettings({ serviceUrl: url, token: $<HTMLInputElement>('token').value });
  configureClient();
  result.hidden = false;
  result.textContent = settings.token ? '已保存。' : '已保存；還需要填寫令牌才能報送和取得圖表。';
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

/** The pane's language until it has a setting of its own: the traditional script its other text is in. */
const PANE_LANG = 'zh-TW';

function renderCases(answer: CasesAnswer): void {
  const say = translator(PANE_LANG);
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
  for (const node of Array.from(document.querySelectorAll<HTMLElement>('[data-text]'))) {
    const id = node.dataset.text ?? '';
    if (isMessageId(id)) node.textContent = render(PANE_LANG, { id });
  }
  const district = $<HTMLSelectElement>('sites-district');
  for (const d of DISTRICTS) district.append(new Option(d.name, d.name));
  if (settings.district) district.value = settings.district;
  $('load-cases').addEventListener('click', () =>
    run(t(PANE_LANG, 'cases.pane.loading'), async () => renderCases(await requireClient().cases()), 'cases-result'),
  );
  $('make-sites').addEventListener('click', () =>
    run('正在取得年度計劃…', async (progress) => {
      const plan = await yearPlan();
      progress(t(PANE_LANG, 'sites.pane.making'));
      const made = await createSiteSheet(plan, district.value, PANE_LANG);
      settings = saveSettings({ district: made.district });
      $('sites-result').replaceChildren(
        el('div', { className: 'result ok' }, el('p', { text: t(PANE_LANG, 'sites.pane.made', { sheet: made.sheet, district: made.district, rows: made.rows, metrics: made.metricsSheet }) })),
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

  const district = $<HTMLSelectElement>('district');
  for (const d of DISTRICTS) district.append(new Option(d.name, d.name));
  if (settings.district) district.value = settings.district;
  $<HTMLInputElement>('template-date').value = defaultAsOf();
  $<HTMLInputElement>('chart-date').value = defaultAsOf();

  $('validate').addEventListener('click', () =>
    run('正在讀取工作表…', async (progress) => {
      const outcome = await validateWorkbook({ onProgress: progress, memory, plan: async () => (client ? yearPlan() : undefined) });
      renderValidation(outcome);
    }, 'check-result'),
  );
  $('normalise').addEventListener('click', () =>
    run('正在讀取工作表…', async (progress) => {
      const outcome = await normaliseWorkbook({ onProgress: progress, memory });
      renderNormalise(outcome);
      await describeSheet();
    }, 'check-result'),
  );
  $('make-template').addEventListener('click', () =>
    run('正在取得年度計劃…', async (progress) => {
      const plan = await yearPlan();
      progress('正在生成報送表…');
      const made = await createTemplate(plan, district.value, $<HTMLInputElement>('template-date').value);
      settings = saveSettings({ district: made.district });
      $('template-result').replaceChildren(
        el(
          'div',
          { className: 'result ok' },
          el('p', { text: `已新建工作表「${made.sheet}」：${made.district}，截至${made.asOf}，共${made.rows}項指標。` }),
          el('p', { className: 'small muted', text: `請在黃色的「累計完成」列填寫數字${made.addedInstructions ? '，填報方法見「填報說明」工作表' : ''}。填好後點「檢查」頁的「校驗」，再回到這裡「提交」。` }),
        ),
      );
      await describeSheet();
    }, 'template-result'),
  );
  $('submit').addEventListener('click', () =>
    run('正在讀取工作簿文件…', async (progress) => {
      const outcome = await submitWorkbook(requireClient(), { onProgress: progress });
      await renderSubmit(outcome);
    }, 'submit-result'),
  );
  $('insert-charts').addEventListener('click', () =>
    run('正在從服務取得圖表…', async (progress) => {
      const asOf = $<HTMLInputElement>('chart-date').value;
      if (!asOf) throw new Error('請先選擇截至日期。');
      const done = await insertCharts(requireClient(), asOf, { onProgress: progress, assessment: $<HTMLInputElement>('chart-assessment').checked });
      $('chart-result').replaceChildren(
        el(
          'div',
          { className: 'result ok' },
          el('p', { text: `已在「${done.sheet}」工作表插入${done.pictures.length}張圖（截至${asOf}）${done.replaced > 0 ? `，替換了上次插入的${done.replaced}張` : ''}。` }),
        ),
      );
      await describeSheet();
    }, 'chart-result'),
  );
  $('save-settings').addEventListener('click', () => {
    if (!saveFromForm()) return;
    openSettings(false);
    showMessage(settings.token ? '設置已保存。' : '設置已保存；還需要填寫令牌才能報送和取得圖表。', true);
    void loadHealth();
  });
  $('test-connection').addEventListener('click', () =>
    run('正在連接服務…', async () => {
      if (!saveFromForm()) return;
      const result = $('settings-result');
      const c = requireClient();
      health = await c.health();
      await c.plan();
      result.textContent = `連接成功：${health.planYear}年計劃${health.latestAsOf ? `，最近一次報送截至${health.latestAsOf}` : '，尚無區縣報送'}。令牌有效。`;
      $<HTMLInputElement>('template-date').value = defaultAsOf(health.planYear);
      $<HTMLInputElement>('chart-date').value = health.latestAsOf ?? defaultAsOf(health.planYear);
    }),
  );
}

async function start(): Promise<void> {
  settings = loadSettings();
  $('app').hidden = false;
  $('chart-assessment-label').textContent = t('zh-TW', 'assess.addin.include');
  wire();
  if (!canSendWorkbook()) {
    // Excel on iPad: said before the clerk fills a report in to send from here.
    $('no-file').textContent = t('zh-TW', 'addin.submit.noFile');
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
  else $('not-excel').hidden = false;
});
