// The task pane as a clerk uses it: the production bundle (webpack, as `npm run build` makes it, built
// into a temp directory) served over HTTP, opened at pane width in headless Chromium with office.js replaced by the fake Excel host
// holding the sample workbook, talking to a real `minsheng serve` (temp database with the sample plan
// and the demo September reports). Clicks 校驗, an issue, 規範化, 生成報送表, 提交, 插入圖表 and checks
// the workbook after each; screenshots of the pane go to a temp folder, or to docs/images/addin-*.png
// (the README's pictures) when MINSHENG_UPDATE_SCREENSHOTS=1, so a test run leaves the repository as it was.
// Also: the keyboard alone (arrow keys on the tabs, Tab through everything with no focus ring cut off),
// results read out by a live region, settings kept under Office's partition key, the stylesheet named
// by its content's hash, and the ES5 fallback's message when the bundle cannot run. The pane speaks
// Office's display language: the clerk's flow runs in a traditional-script Office (zh-TW), a second page
// in a simplified one (zh-CN), and 設定 switches between them; neither shows the other script's characters.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { parse } from 'acorn';
import webpack from 'webpack';
import type { BrowserContext, Page } from 'playwright-core';
import type { Grid } from '../core/grid';
import { expandInputs, loadFile } from '../pipeline/loadFiles';
import { replacePlan } from '../pipeline/db/plan';
import { openStore, queryObjects, type Store } from '../pipeline/db/store';
import { combinedPlan, readPlanFiles } from '../pipeline/planFiles';
import { startService, type RunningService } from '../pipeline/server/service';
import { openCases } from '../pipeline/db/supervision';
import { addToken, TokenRegistry } from '../pipeline/server/tokens';
import type { FakeWorkbook } from './helpers/fakeExcel/host';
import { gridsOfFile, xlsxFromSheets } from './helpers/fakeExcel/xlsx';
import { COMBINED_FILE, SAMPLE_DIR } from './helpers/samples';
import { describeIf, located, machine } from './helpers/machine';
import { ROOT } from './helpers/paths';
import { simplifiedOnly, traditionalOnly } from './helpers/script';

const CHROMIUM = machine.chromium();
const SHOTS = process.env.MINSHENG_UPDATE_SCREENSHOTS === '1' ? path.join(ROOT, 'docs/images') : fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-addin-shots-'));
const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';
const PANE = { width: 320, height: 860 };
/** Office.context.partitionKey of the fake host, as Office on the web sets one. */
const PARTITION = 'minsheng-test-partition:';


jest.setTimeout(600_000);

function compile(config: webpack.Configuration): Promise<void> {
  return new Promise((resolve, reject) =>
    webpack(config).run((error, stats) => {
      if (error) return reject(error);
      if (stats?.hasErrors()) return reject(new Error(stats.toString({ all: false, errors: true })));
      resolve();
    }),
  );
}

/**
 * The production bundle, built as `npm run build` builds it — into `dir`, so that a dist/addin/ an
 * administrator built with ADDIN_URL is never replaced by the test's.
 */
async function buildAddin(dir: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const makeConfig = require('../webpack.config.js') as (env: Record<string, unknown>, argv: { mode: string }) => Promise<webpack.Configuration>;
  const config = await makeConfig({ WEBPACK_BUILD: true }, { mode: 'production' });
  await compile({ ...config, output: { ...config.output, path: dir } });
}

/** tests/helpers/fakeExcel/office.ts as one browser script. */
async function buildFakeOffice(dir: string): Promise<string> {
  await compile({
    mode: 'development',
    devtool: false,
    target: 'web',
    entry: path.join(__dirname, 'helpers/fakeExcel/office.ts'),
    output: { path: dir, filename: 'office.js' },
    resolve: { extensions: ['.ts', '.js'] },
    module: { rules: [{ test: /\.ts$/, loader: 'ts-loader', options: { transpileOnly: true, configFile: path.join(ROOT, 'addin/tsconfig.json') } }] },
  });
  return fs.readFileSync(path.join(dir, 'office.js'), 'utf8');
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.xml': 'application/xml', '.map': 'application/json' };

function serveDir(dir: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    const file = path.join(dir, rel);
    if (!file.startsWith(dir) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

interface Service {
  running: RunningService;
  store: Store;
  token: string;
}

/** `minsheng serve` on an ephemeral port: a temp database with the sample plan and the demo September reports. */
async function startMinshengService(dir: string, addinOrigin: string): Promise<Service> {
  const files = await readPlanFiles([COMBINED_FILE]);
  const { plan } = combinedPlan(files);
  const store = await openStore(path.join(dir, 'minsheng.duckdb'));
  await replacePlan(store, plan, [{ fileName: path.basename(COMBINED_FILE), sha256: createHash('sha256').update(fs.readFileSync(COMBINED_FILE)).digest('hex') }]);
  for (const file of expandInputs([path.join(SAMPLE_DIR, 'submissions/2024-09')])) await loadFile(store, plan, file);
  const tokensFile = path.join(dir, 'tokens.json');
  const token = addToken(tokensFile, { district: '上城區' }).token;
  const running = await startService({ store, tokens: new TokenRegistry(tokensFile), host: '127.0.0.1', port: 0, allowOrigins: [addinOrigin], log: () => undefined });
  return { running, store, token };
}

/** The sample workbook as a clerk might have it: an unreadable target, a district written loosely, full-width digits. */
async function clerksWorkbook(): Promise<Grid[]> {
  const grids = await gridsOfFile(COMBINED_FILE);
  const breakdown = grids.find((g) => g.sheet === '附件2')!;
  const at = (address: string) => {
    const m = /^([A-Z]+)(\d+)$/.exec(address)!;
    return { r: Number(m[2]) - breakdown.origin.row, c: m[1].charCodeAt(0) - 64 - breakdown.origin.col };
  };
  const set = (address: string, value: string) => {
    const { r, c } = at(address);
    breakdown.values[r][c] = value;
  };
  set('G5', '待定');
  set('F4', '上 城');
  set('C6', '１０００張');
  return grids;
}

type FakeWindow = { __MINSHENG_FAKE__: { workbook: FakeWorkbook } };

describeIf(CHROMIUM)('the task pane in Chromium, against the fake Excel and a running service', () => {
  let work: string;
  let site: http.Server;
  let origin: string;
  let service: Service;
  let context: BrowserContext;
  let page: Page;

  /** Runs `f` on the fake workbook inside the page. */
  function inWorkbook<T, A = undefined>(f: (wb: FakeWorkbook, arg: A) => T, arg?: A): Promise<T> {
    return page.evaluate(
      ([source, a]) => {
        const wb = (globalThis as unknown as FakeWindow).__MINSHENG_FAKE__.workbook;
        return new Function('wb', 'arg', `return (${source})(wb, arg);`)(wb, a) as T;
      },
      [f.toString(), arg] as [string, A | undefined],
    );
  }

  /**
   * The pane's own words (not the data it shows: the sheet's name, the issues' texts with the plan's
   * names in them), with its titles, placeholders and labels; the district lists are the pane's words.
   */
  function paneText(on: Page): Promise<string> {
    return on.evaluate(`(() => {
      const clone = document.body.cloneNode(true);
      clone.querySelectorAll('#sheet-name, ul.issues, script').forEach((n) => n.remove());
      const attributes = Array.from(document.querySelectorAll('[title], [placeholder], [aria-label]'))
        .map((n) => [n.getAttribute('title'), n.getAttribute('placeholder'), n.getAttribute('aria-label')].join(' '));
      return [document.title, clone.textContent, ...attributes].join(' ');
    })()`);
  }

  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(SHOTS, `addin-${name}.png`), fullPage: true });
  }

  async function idle(): Promise<void> {
    await page.waitForFunction("document.getElementById('status').hidden", undefined, { timeout: 60_000 });
  }

  async function click(name: string): Promise<void> {
    await page.getByRole('button', { name, exact: true }).click();
    await idle();
  }

  async function waitForKind(label: string): Promise<void> {
    await page.waitForFunction(`document.getElementById('sheet-kind').textContent === ${JSON.stringify(label)}`);
  }

  async function sheetKind(): Promise<string> {
    return (await page.locator('#sheet-kind').textContent()) ?? '';
  }

  /** In the page (as source, run there): where the focused element's focus ring reaches, and which ancestors cut it off. */
  const FOCUS_RING = `(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return undefined;
    const style = getComputedStyle(el);
    const reach = parseFloat(style.outlineWidth || '0') + parseFloat(style.outlineOffset || '0');
    const box = el.getBoundingClientRect();
    const ring = { left: box.left - reach, top: box.top - reach, right: box.right + reach, bottom: box.bottom + reach };
    const clipped = [];
    if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth || '0') === 0) clipped.push('no focus ring');
    for (let a = el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      const root = a === document.documentElement;
      if (!root && s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const r = a.getBoundingClientRect();
      // The padding box, which overflow clips to; the page itself clips at the pane's sides.
      const inner = root
        ? { left: 0, top: -Infinity, right: document.documentElement.clientWidth, bottom: Infinity }
        : { left: r.left + a.clientLeft, top: r.top + a.clientTop, right: r.left + a.clientLeft + a.clientWidth, bottom: r.top + a.clientTop + a.clientHeight };
      if (ring.left < inner.left - 0.5 || ring.top < inner.top - 0.5 || ring.right > inner.right + 0.5 || ring.bottom > inner.bottom + 0.5) clipped.push(a.tagName.toLowerCase() + '.' + a.className);
    }
    return { label: el.tagName.toLowerCase() + '#' + el.id + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 20), clipped };
  })()`;

  /** Every focusable element reached with Tab from the top of the pane, each with what cuts off its focus ring. */
  async function tabThrough(): Promise<{ label: string; clipped: string[] }[]> {
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    const seen: { label: string; clipped: string[] }[] = [];
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      const here = (await page.evaluate(FOCUS_RING)) as { label: string; clipped: string[] } | undefined;
      if (!here) continue;
      if (seen.some((s) => s.label === here.label)) break;
      seen.push(here);
    }
    return seen;
  }

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-addin-browser-'));
    const dist = path.join(work, 'dist');
    const [fakeOffice] = await Promise.all([buildFakeOffice(path.join(work, 'fake')), buildAddin(dist)]);
    site = await serveDir(dist);
    origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    service = await startMinshengService(work, origin);
    fs.mkdirSync(SHOTS, { recursive: true });

    const { chromium } = await import('playwright-core');
    context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
      executablePath: located(CHROMIUM),
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
      viewport: PANE,
      deviceScaleFactor: 2,
      locale: 'zh-CN',
    });
    // Nothing leaves the machine: office.js is the fake, everything else not ours is refused.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url === OFFICE_JS) return route.fulfill({ status: 200, contentType: 'text/javascript', body: fakeOffice });
      if (url.startsWith(origin) || url.startsWith(service.running.url)) return route.continue();
      return route.abort();
    });
    const setup = { grids: await clerksWorkbook(), url: 'https://sharepoint.example/報送/上城區民生實事.xlsx', partitionKey: PARTITION, displayLanguage: 'zh-TW' };
    await context.addInitScript({ content: `window.__MINSHENG_FAKE_WORKBOOK__ = ${JSON.stringify(setup)};` });
    // A district chosen with an earlier version of the pane, saved before settings were partitioned.
    await context.addInitScript({
      content: `if (location.port === ${JSON.stringify(new URL(origin).port)} && localStorage.getItem(${JSON.stringify(`${PARTITION}minsheng.district`)}) === null) localStorage.setItem('minsheng.district', '西湖區');`,
    });
    await context.exposeFunction('__minshengXlsx', async (sheets: Parameters<typeof xlsxFromSheets>[0]) => Buffer.from(await xlsxFromSheets(sheets)).toString('base64'));
    page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${origin}/taskpane.html`);
    await page.waitForFunction("!document.getElementById('app').hidden");
    await page.waitForFunction("!['', '正在識別…'].includes(document.getElementById('sheet-kind').textContent)");
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await context?.close();
    await service?.running.close();
    service?.store.close();
    await new Promise((resolve) => site?.close(resolve));
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('the stylesheet is named by its content’s hash, and the page links that name', async () => {
    const dist = path.join(work, 'dist');
    const sheets = fs.readdirSync(dist).filter((f) => f.endsWith('.css'));
    expect(sheets).toEqual([expect.stringMatching(/^taskpane\.[0-9a-f]{8}\.css$/)]);
    // The hash of the stylesheet's source (the production build minifies what it writes).
    const source = fs.readFileSync(path.join(ROOT, 'addin/taskpane/taskpane.css'));
    expect(sheets[0]).toBe(`taskpane.${createHash('sha256').update(source).digest('hex').slice(0, 8)}.css`);
    expect(await page.evaluate("Array.from(document.querySelectorAll('link[rel=stylesheet]')).map((l) => l.getAttribute('href'))")).toEqual([sheets[0]]);
    // The support page, built in each script from the catalogue, uses the same stylesheet.
    for (const [file, lang] of [['help.html', 'zh-CN'], ['help.zh-TW.html', 'zh-TW']]) {
      const help = fs.readFileSync(path.join(dist, file), 'utf8');
      // (Minified as the build minifies pages: attribute quotes may be gone.)
      expect([file, /<html lang="?([^"\s>]+)/.exec(help)?.[1], new RegExp(`href="?${sheets[0].replace(/\./g, '\\.')}`).test(help)]).toEqual([file, lang, true]);
      expect([file, lang === 'zh-CN' ? traditionalOnly(help) : simplifiedOnly(help)]).toEqual([file, []]);
    }
    // Applied: the header has the accent colour from the stylesheet.
    expect(await page.evaluate("getComputedStyle(document.querySelector('.app-header')).backgroundColor")).toBe('rgb(16, 124, 65)');
  });

  test('opens on the active sheet and asks for the service settings first', async () => {
    expect(await sheetKind()).toBe('附件1 責任清單');
    // Office here speaks traditional Chinese: the page says so, and holds no simplified-only character.
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-TW');
    expect(simplifiedOnly(await paneText(page))).toEqual([]);
    await expect(page.locator('#panel-settings')).toBeVisibleSoon();
    expect(await page.locator('#old-webview').isVisible()).toBe(false);
    await shot('start');
    // The district saved before settings were partitioned is still the clerk's.
    expect(await page.locator('#district').inputValue()).toBe('西湖區');
    await page.fill('#service-url', service.running.url);
    await page.fill('#token', service.token);
    await click('測試連接');
    expect(await page.locator('#settings-result').textContent()).toMatch(/連接成功：2024年計劃/);
    // Kept under Office's partition key, and nothing left outside it.
    const stored = await page.evaluate('Object.fromEntries(Object.keys(localStorage).map((k) => [k, localStorage.getItem(k)]))');
    expect(stored).toEqual({ [`${PARTITION}minsheng.serviceUrl`]: service.running.url, [`${PARTITION}minsheng.token`]: service.token, [`${PARTITION}minsheng.district`]: '西湖區' });
    await shot('settings');
    await page.getByRole('button', { name: '設定' }).click();
    await expect(page.locator('#panel-settings')).toBeHiddenSoon();
  });

  test('校驗 lists the issues by severity and marks the cells; clicking an issue selects its cell', async () => {
    await click('校驗');
    const result = page.locator('#check-result');
    expect(await result.textContent()).toMatch(/已校驗「附件1」、「附件2」/);
    const errors = page.locator('details.group.error button.issue');
    expect(await errors.count()).toBeGreaterThan(0);
    expect(await inWorkbook((wb) => wb.cell('附件2', 'G5')?.fill?.color)).toBe('#FFC7CE');
    expect(await inWorkbook((wb) => wb.sheet('附件2').notes.find((n) => n.cell === 'G5')?.content ?? '')).toMatch(/^【民生實事校驗】/);
    await shot('validate');
    // A screen reader hears what was found, once, from a polite live region.
    const announce = page.locator('#announce');
    expect(await announce.getAttribute('aria-live')).toBe('polite');
    expect(await announce.textContent()).toMatch(/^已校驗「附件1」、「附件2」：\d+個錯誤/);

    // Everything can be reached with Tab, and no focus ring is cut off by the box around it.
    const reached = await tabThrough();
    expect(reached.map((r) => r.label.split(' ')[0])).toEqual(expect.arrayContaining(['button#settings-toggle.icon-button', 'button#tab-check.', 'button#validate.primary', 'button#normalise.']));
    // Every issue listed is reachable (this workbook has three, in two groups).
    expect(reached.filter((r) => r.label.includes('button#.issue')).length).toBe(await page.locator('details.group button.issue').count());
    expect(reached.filter((r) => r.label.startsWith('summary')).length).toBe(await page.locator('details.group > summary').count());
    expect(reached.filter((r) => r.clipped.length > 0)).toEqual([]);
    // The tabs are one stop: the selected one.
    expect(reached.filter((r) => r.label.startsWith('button#tab-')).map((r) => r.label.split(' ')[0])).toEqual(['button#tab-check.']);

    const first = errors.filter({ hasText: '附件2 G5' }).first();
    await first.click();
    await idle();
    expect(await inWorkbook((wb) => ({ active: wb.active.name, selection: wb.selection?.address }))).toEqual({ active: '附件2', selection: 'G5' });
    await waitForKind('附件2 任務分解表');
  });

  test('規範化 backs up, rewrites in place, adds 規範數據, and says what changed', async () => {
    await click('規範化');
    expect(await page.locator('#check-result').textContent()).toMatch(/規範化完成/);
    expect(await page.locator('#check-result').textContent()).toMatch(/原表已完整備份為「附件2\(原始\)」/);
    const after = await inWorkbook((wb) => ({
      names: wb.names(),
      header: wb.value('附件2', 'F4'),
      target: wb.value('附件2', 'C6'),
      backupTarget: wb.value('附件2(原始)', 'C6'),
      table: wb.sheet('規範數據').tables.map((t) => t.name),
      marks: wb.sheets.flatMap((s) => s.notes.filter((n) => n.content.startsWith('【民生實事校驗】'))).length,
    }));
    expect(after.names).toEqual(['附件1', '附件1(原始)', '附件2', '附件2(原始)', '規範數據']);
    expect(after).toMatchObject({ header: '上城區', target: 1000, backupTarget: '１０００張', table: ['Normalised_Targets'], marks: 0 });
    await shot('normalise');
  });

  test('生成報送表 adds the district’s template; 提交 with a mistake is refused with clickable issues, then accepted', async () => {
    await page.getByRole('tab', { name: '報送' }).click();
    await page.selectOption('#district', '上城區');
    // The date field reads dates as clerks write them and shows them in Chinese form, never MM/DD/YYYY.
    await page.fill('#template-date', '2024/9/30');
    await page.locator('#template-date').blur();
    expect(await page.locator('#template-date').inputValue()).toBe('2024年9月30日');
    // The calendar button opens the picker on the field's date; a day chosen there comes back in Chinese form.
    await page.getByRole('button', { name: '從日曆選擇日期' }).first().click();
    expect(await page.locator('#template-date-picker').inputValue()).toBe('2024-09-30');
    await page.evaluate(`(() => {
      const picker = document.getElementById('template-date-picker');
      picker.value = '2024-06-30';
      picker.dispatchEvent(new Event('change', { bubbles: true }));
    })()`);
    expect(await page.locator('#template-date').inputValue()).toBe('2024年6月30日');
    await page.keyboard.press('Escape');
    await page.fill('#template-date', '2024-09-30');
    await page.locator('#template-date').blur();
    await click('生成報送表');
    expect(await page.locator('#template-result').textContent()).toMatch(/已新建工作表「進度報送表」：上城區，截至2024-09-30/);
    const rows = await inWorkbook((wb) => {
      const sheet = wb.sheet('進度報送表');
      const out: { row: number; id: string; target: number | string }[] = [];
      for (let r = 5; wb.value('進度報送表', `B${r}`) !== ''; r++) out.push({ row: r, id: String(wb.value('進度報送表', `B${r}`)), target: wb.value('進度報送表', `E${r}`) as number });
      return { active: wb.active.name, protectedSheet: sheet.protection.protected, rows: out };
    });
    expect(rows.active).toBe('進度報送表');
    expect(rows.protectedSheet).toBe(true);
    expect(rows.rows.length).toBeGreaterThan(20);
    await waitForKind('進度報送表');

    // The clerk fills in half of every target, and mistypes one.
    await inWorkbook(
      (wb, filled: { row: number; target: number | string }[]) => {
        for (const { row, target } of filled) if (typeof target === 'number') wb.type('進度報送表', `G${row}`, target < 1 ? target / 2 : Math.round(target / 2));
        wb.type('進度報送表', `G${filled[0].row}`, '待定');
      },
      rows.rows,
    );
    await click('提交');
    const refused = page.locator('#submit-result');
    expect(await refused.textContent()).toMatch(/未被接收/);
    const issue = refused.locator('button.issue', { hasText: `進度報送表 G${rows.rows[0].row}` });
    expect(await issue.count()).toBe(1);
    await shot('submit-refused');
    await issue.click();
    await idle();
    expect(await inWorkbook((wb) => wb.selection?.address)).toBe(`G${rows.rows[0].row}`);

    await inWorkbook((wb, row: number) => wb.type('進度報送表', `G${row}`, 5), rows.rows[0].row);
    await click('提交');
    expect(await page.locator('#submit-result').textContent()).toMatch(/已提交/);
    const stored = await service.running.queue.run(() => queryObjects(service.store, "SELECT count(*)::INTEGER AS n FROM submissions WHERE district = '上城區' AND as_of = DATE '2024-09-30'"));
    expect(Number(stored[0].n)).toBeGreaterThanOrEqual(2);
    await shot('report');
  });

  test('插入圖表 puts the ranking and lag charts on 圖表, and replaces them the second time', async () => {
    await page.getByRole('tab', { name: '圖表' }).click();
    await page.fill('#chart-date', '2024-09-30');
    await click('插入圖表');
    expect(await page.locator('#chart-result').textContent()).toMatch(/已在「圖表」工作表插入2張圖/);
    const first = await inWorkbook((wb) => wb.sheet('圖表').shapes.map((s) => ({ name: s.name, width: s.width, height: s.height })));
    expect(first.map((s) => s.name).sort()).toEqual(['minsheng-chart-lag-heatmap', 'minsheng-chart-ranking']);
    for (const s of first) expect(s.width).toBeGreaterThan(200);
    await click('插入圖表');
    expect(await page.locator('#chart-result').textContent()).toMatch(/替換了上次插入的2張/);
    expect(await inWorkbook((wb) => wb.sheet('圖表').shapes.length)).toBe(2);
    expect(await sheetKind()).toBe('加載項生成');
    await shot('charts');
  });

  test('督辦 shows the district’s 掛牌督辦 cases from the service; 生成點位表 adds the 點位 sheet', async () => {
    // Half of every target by 9/30 is seriously behind: the 督查室 puts those under supervision.
    const opened = await service.running.queue.run(() => openCases(service.store, { asOf: '2024-09-30', dueDays: 30 }));
    const own = opened.opened.filter((o) => o.candidate.district === '上城區');
    expect(own.length).toBeGreaterThan(0);
    await page.getByRole('tab', { name: '督辦' }).click();
    await click('查看本區縣督辦');
    const cases = page.locator('#cases-result');
    expect(await cases.textContent()).toContain(`上城區截至2024-09-30有${own.length}件在督辦：`);
    expect(await cases.locator('li').count()).toBe(own.length);
    expect(await cases.locator('li').first().textContent()).toMatch(/^\d+-\d+ .+：督辦中，掛牌2024-09-30，整改期限2024-10-30，最近差距\d+\.\d%。$/);

    await page.selectOption('#sites-district', '上城區');
    await click('生成點位表');
    expect(await page.locator('#sites-result').textContent()).toMatch(/已新建工作表「點位清單」：上城區的點位清單，\d+行可填；本區縣的指標在「指標清單」工作表。/);
    const sheet = await inWorkbook((wb) => ({ active: wb.active.name, protectedSheet: wb.sheet('點位清單').protection.protected, header: wb.value('點位清單', 'E4'), names: wb.names() }));
    expect(sheet).toMatchObject({ active: '點位清單', protectedSheet: true, header: '點位名稱' });
    expect(sheet.names).toEqual(expect.arrayContaining(['點位清單', '指標清單', '點位填報說明']));
    await waitForKind('點位清單');
    await shot('supervision');
  });

  test('a network failure is said in words a clerk understands', async () => {
    await page.getByRole('button', { name: '設定' }).click();
    await page.fill('#service-url', 'http://127.0.0.1:9');
    await click('儲存');
    expect(await page.locator('#message').textContent()).toBe('設定已儲存。');
    await expect(page.locator('#panel-settings')).toBeHiddenSoon();
    await page.getByRole('tab', { name: '圖表' }).click();
    await click('插入圖表');
    expect(await page.locator('#message').textContent()).toMatch(/連不上民生實事服務（http:\/\/127\.0\.0\.1:9）/);
    // The success of the run before does not stand next to the failure.
    expect(await page.locator('#chart-result').textContent()).toBe('');
    await shot('error');
  });

  test('the tabs by keyboard: arrows move and wrap, Home and End, one Tab stop; the panel follows', async () => {
    await page.locator('#tab-check').click();
    const state = () =>
      page.evaluate(`({
        focused: document.activeElement && document.activeElement.id,
        selected: Array.from(document.querySelectorAll('[role=tab][aria-selected=true]')).map((t) => t.id),
        stops: Array.from(document.querySelectorAll('[role=tab]')).filter((t) => t.tabIndex === 0).map((t) => t.id),
        panels: Array.from(document.querySelectorAll('[role=tabpanel]')).filter((p) => !p.hidden).map((p) => p.id),
      })`);
    const keys: [string, string][] = [
      ['ArrowRight', 'report'],
      ['ArrowRight', 'charts'],
      ['ArrowRight', 'supervision'],
      ['ArrowRight', 'check'],
      ['ArrowLeft', 'supervision'],
      ['Home', 'check'],
      ['End', 'supervision'],
      ['ArrowLeft', 'charts'],
    ];
    for (const [key, tab] of keys) {
      await page.keyboard.press(key);
      expect([key, await state()]).toEqual([key, { focused: `tab-${tab}`, selected: [`tab-${tab}`], stops: [`tab-${tab}`], panels: [`panel-${tab}`] }]);
    }
    // Tab leaves the tab list for the panel; Shift+Tab comes back to the selected tab.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('chart-date');
    await page.keyboard.press('Shift+Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('tab-charts');
    // And a button works from the keyboard: Enter on 插入圖表 runs it (the service is unreachable now).
    for (let i = 0; i < 6 && (await page.evaluate('document.activeElement && document.activeElement.id')) !== 'insert-charts'; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('insert-charts');
    await page.keyboard.press('Enter');
    await idle();
    expect(await page.locator('#message').textContent()).toMatch(/連不上民生實事服務/);
  });

  /** Opens the pane in a page of its own whose Office speaks `displayLanguage`; the workbook is the clerk's, fresh. */
  async function openPane(displayLanguage: string): Promise<Page> {
    const other = await context.newPage();
    const problems: string[] = [];
    other.on('pageerror', (e) => problems.push(e.message));
    await other.addInitScript({ content: `window.__MINSHENG_DISPLAY_LANGUAGE__ = ${JSON.stringify(displayLanguage)};` });
    await other.goto(`${origin}/taskpane.html`);
    await other.waitForFunction("!document.getElementById('app').hidden");
    await other.waitForFunction("!['', '正在識別…', '正在识别…'].includes(document.getElementById('sheet-kind').textContent)");
    expect(problems).toEqual([]);
    return other;
  }

  test('where Office speaks simplified Chinese, so does the pane: no traditional-only character, dates in Chinese form', async () => {
    const cn = await openPane('zh-CN');
    expect(await cn.evaluate('document.documentElement.lang')).toBe('zh-CN');
    expect(await cn.title()).toBe('民生实事');
    expect(await cn.locator('#sheet-kind').textContent()).toBe('附件1 责任清单');
    expect(await cn.getByRole('tab', { name: '检查' }).count()).toBe(1);
    expect(traditionalOnly(await paneText(cn))).toEqual([]);
    // The date fields show the date in Chinese form (here the month end before today: the service is unreachable now).
    expect(await cn.locator('#chart-date').inputValue()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);

    await cn.getByRole('button', { name: '校验', exact: true }).click();
    await cn.waitForFunction("document.getElementById('status').hidden && document.getElementById('check-result').textContent !== ''", undefined, { timeout: 60_000 });
    expect(await cn.locator('#check-result').textContent()).toMatch(/^已校验「附件1」、「附件2」：\d+个错误/);
    expect(await cn.locator('#announce').textContent()).toMatch(/^已校验/);
    // The note on the cell is in the pane's language too.
    const note = (await cn.evaluate("window.__MINSHENG_FAKE__.workbook.sheet('附件2').notes.find((n) => n.cell === 'G5').content")) as string;
    expect(note).toMatch(/^【民生实事校验】\n错误：/);
    expect(traditionalOnly(await paneText(cn))).toEqual([]);
    await cn.screenshot({ path: path.join(SHOTS, 'addin-zh-CN-validate.png'), fullPage: true });

    await cn.getByRole('tab', { name: '报送' }).click();
    await cn.fill('#template-date', '2024-09-30');
    await cn.locator('#template-date').blur();
    expect(await cn.locator('#template-date').inputValue()).toBe('2024年9月30日');
    // The district list reads in the pane's script; what it chooses is the registry's name.
    const options = (await cn.evaluate("Array.from(document.querySelectorAll('#district option')).map((o) => [o.text, o.value])")) as [string, string][];
    expect(options).toContainEqual(['上城区', '上城區']);
    expect(options).toContainEqual(['杭州西湖风景名胜区', '杭州西湖風景名勝區']);
    expect(traditionalOnly(await paneText(cn))).toEqual([]);
    await cn.screenshot({ path: path.join(SHOTS, 'addin-zh-CN-report.png'), fullPage: true });

    // 生成报送表 (the service reachable again) writes the template in the pane's script; data keeps the plan's.
    await cn.getByRole('button', { name: '设置' }).click();
    await cn.fill('#service-url', service.running.url);
    await cn.getByRole('button', { name: '保存', exact: true }).click();
    await cn.getByRole('tab', { name: '报送' }).click();
    await cn.selectOption('#district', '上城區');
    await cn.getByRole('button', { name: '生成报送表', exact: true }).click();
    await cn.waitForFunction("document.getElementById('status').hidden && document.getElementById('template-result').textContent !== ''", undefined, { timeout: 60_000 });
    expect(await cn.locator('#template-result').textContent()).toMatch(/^已新建工作表「进度报送表」/);
    const made = (await cn.evaluate(`(() => {
      const wb = window.__MINSHENG_FAKE__.workbook;
      return { names: wb.sheets.map((s) => s.name), a1: wb.value('进度报送表', 'A1'), a2: wb.value('进度报送表', 'A2'), d4: wb.value('进度报送表', 'D4'), help: wb.value('填报说明', 'A3') };
    })()`)) as { names: string[]; a1: string; a2: string; d4: string; help: string };
    expect(made.names).toEqual(expect.arrayContaining(['进度报送表', '填报说明']));
    expect(made).toMatchObject({ a1: '2024年杭州市民生实事项目进度报送表', a2: '填报单位：上城區', d4: '指标' });
    expect(made.help).toMatch(/黄色单元格/);
    expect(traditionalOnly(`${made.a1}${made.help}`)).toEqual([]);
    await cn.close();
  });

  test('設定 overrides Office’s language, is kept under the partition key, and can follow Office again', async () => {
    const cn = await openPane('zh-CN');
    await cn.getByRole('button', { name: '设置' }).click();
    expect(await cn.locator('#pane-lang option').allTextContents()).toEqual(['跟随Office（zh-CN）', '简体中文', '繁体中文']);
    await cn.selectOption('#pane-lang', 'zh-TW');
    await cn.waitForFunction("document.documentElement.lang === 'zh-TW'");
    expect(await cn.locator('#sheet-kind').textContent()).toBe('附件1 責任清單');
    expect(await cn.getByRole('tab', { name: '檢查' }).count()).toBe(1);
    expect(simplifiedOnly(await paneText(cn))).toEqual([]);
    expect(await cn.evaluate(`localStorage.getItem(${JSON.stringify(`${PARTITION}minsheng.lang`)})`)).toBe('zh-TW');
    expect(await cn.evaluate("localStorage.getItem('minsheng.lang')")).toBeNull();
    await cn.screenshot({ path: path.join(SHOTS, 'addin-zh-TW-settings.png'), fullPage: true });

    // Opened again (another workbook, the next day), the pane keeps the clerk's choice.
    await cn.reload();
    await cn.waitForFunction("!document.getElementById('app').hidden && document.documentElement.lang === 'zh-TW'");
    await cn.waitForFunction("document.getElementById('sheet-kind').textContent === '附件1 責任清單'");

    // Back to following Office.
    await cn.getByRole('button', { name: '設定' }).click();
    await cn.selectOption('#pane-lang', '');
    await cn.waitForFunction("document.documentElement.lang === 'zh-CN'");
    expect(await cn.getByRole('tab', { name: '检查' }).count()).toBe(1);
    expect(traditionalOnly(await paneText(cn))).toEqual([]);
    expect(await cn.evaluate(`localStorage.getItem(${JSON.stringify(`${PARTITION}minsheng.lang`)})`)).toBeNull();
    await cn.close();
  });

  test('an Office in another language (en-US) gets simplified Chinese, the default', async () => {
    const en = await openPane('en-US');
    expect(await en.evaluate('document.documentElement.lang')).toBe('zh-CN');
    expect(await en.locator('#sheet-kind').textContent()).toBe('附件1 责任清单');
    await en.close();
  });

  test('where the bundle cannot run (an old web view), the page says why in Chinese instead of staying blank', async () => {
    const old = await context.newPage();
    const problems: string[] = [];
    old.on('pageerror', (e) => problems.push(e.message));
    // Served with a syntax this page cannot parse, as ES2019 is to Internet Explorer's web view.
    await old.route(/\/taskpane\.[0-9a-f]+\.js$/, async (route) => {
      const real = await route.fetch();
      await route.fulfill({ response: real, body: `@@ ${await real.text()}` });
    });
    await old.goto(`${origin}/taskpane.html`);
    await old.waitForFunction("!document.getElementById('old-webview').hidden");
    expect(problems.join()).toMatch(/SyntaxError|Invalid|Unexpected/i);
    expect(await old.locator('#old-webview').textContent()).toMatch(/^民生实事加载项无法在这个版本的Office中运行.*Office 2021.*WebView2/);
    expect(await old.locator('#app').isVisible()).toBe(false);
    await old.close();
    // The fallback itself is ES5, which Internet Explorer parses; the bundle is not (acorn, webpack's own parser).
    const html = fs.readFileSync(path.join(work, 'dist/taskpane.html'), 'utf8');
    const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(inline.length).toBe(1);
    expect(() => parse(inline[0], { ecmaVersion: 5 })).not.toThrow();
    const bundle = fs.readdirSync(path.join(work, 'dist')).find((f) => /^taskpane\.[0-9a-f]+\.js$/.test(f))!;
    expect(() => parse(fs.readFileSync(path.join(work, 'dist', bundle), 'utf8'), { ecmaVersion: 5 })).toThrow();
  });
});


// Small matchers that wait for the pane to show or hide an element (Playwright watches the page), never a sleep.
type Waitable = { waitFor(options: { state: 'visible' | 'hidden'; timeout: number }): Promise<void> };
const settles = async (locator: Waitable, state: 'visible' | 'hidden') => {
  try {
    await locator.waitFor({ state, timeout: 60_000 });
    return { pass: true, message: () => state };
  } catch {
    return { pass: false, message: () => `expected the element to become ${state}` };
  }
};
expect.extend({
  toBeVisibleSoon: (locator: Waitable) => settles(locator, 'visible'),
  toBeHiddenSoon: (locator: Waitable) => settles(locator, 'hidden'),
});

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toBeVisibleSoon(): Promise<R>;
      toBeHiddenSoon(): Promise<R>;
    }
  }
}
