// The add-in manifest, checked offline (`npm run validate` needs Microsoft's validation service on the
// network): the development and the production manifest are valid against Microsoft's published XML
// schemas (tests/fixtures/office-manifest-xsd/, xmllint compiled to WebAssembly) and carry different
// add-in ids; it parses as a TaskPane add-in for workbooks, asks for ExcelApi 1.9 and ReadWriteDocument,
// uses only HTTPS, every icon it names exists in assets/ with the pixel size it claims, every resource
// id it uses is defined; the production build points every URL at ADDIN_URL; package.json carries the
// template's `config` block, which the dev server reads; its texts are the catalogue's in both scripts,
// its DefaultLocale is the pane's default language and the page's lang.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { validateXML } from 'xmllint-wasm';
import { ICON_SIZES, renderIcon } from '../scripts/addin-icons';
import { t, type PlainMessageId } from '../core/messages';
import { DEFAULT_LANG, langFromLocale } from '../core/messages/lang';
import { ROOT } from './helpers/paths';

const MANIFEST = path.join(ROOT, 'manifest.xml');
const text = fs.readFileSync(MANIFEST, 'utf8');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { manifestFor, productionUrl, devServerPort, DEV_URL, DEV_ID, PRODUCTION_ID } = require('../webpack.config.js') as {
  manifestFor: (content: string, target?: { base: string; origin: string }) => string;
  productionUrl: () => { base: string; origin: string } | undefined;
  devServerPort: () => number;
  DEV_URL: string;
  DEV_ID: string;
  PRODUCTION_ID: string;
};

const XSD_DIR = path.join(__dirname, 'fixtures/office-manifest-xsd');

/** xmllint's verdict on a manifest against Microsoft's schema for add-in manifests (and the schemas it imports). */
async function schemaErrors(manifest: string): Promise<string[]> {
  const xsd = (name: string) => ({ fileName: name, contents: fs.readFileSync(path.join(XSD_DIR, name), 'utf8') });
  const imported = fs.readdirSync(XSD_DIR).filter((f) => f.endsWith('.xsd') && f !== 'OfficeAppManifestV1_1.xsd');
  const result = await validateXML({ xml: { fileName: 'manifest.xml', contents: manifest }, schema: xsd('OfficeAppManifestV1_1.xsd'), preload: imported.map(xsd) });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

function productionManifest(): string {
  const saved = process.env.ADDIN_URL;
  process.env.ADDIN_URL = 'https://minsheng.example.gov.cn/addin/';
  try {
    return manifestFor(text, productionUrl());
  } finally {
    if (saved === undefined) delete process.env.ADDIN_URL;
    else process.env.ADDIN_URL = saved;
  }
}

const idOf = (manifest: string) => /<Id>([^<]*)<\/Id>/.exec(manifest)?.[1];

function pngSize(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
}

/** Every element of the parsed manifest (xml2js's tree), in document order. */
function walk(node: unknown, name = '', out: XmlElement[] = []): XmlElement[] {
  if (typeof node === 'string') {
    out.push({ name, attributes: {}, text: node });
    return out;
  }
  const n = node as Record<string, unknown>;
  out.push({ name, attributes: (n.$ as Record<string, string>) ?? {}, text: typeof n._ === 'string' ? n._ : '' });
  for (const [key, value] of Object.entries(n)) {
    if (key === '$' || key === '_') continue;
    for (const child of value as unknown[]) walk(child, key, out);
  }
  return out;
}

/**
 * The manifest as office-addin-manifest parses it (strict XML, then its own reading of the fields). In a
 * child process: the package loads ES-module-only dependencies, which Node requires and jest cannot.
 */
function parsedManifest(): { xml: { OfficeApp: unknown }; info: Record<string, unknown> } {
  const script = `
    const { ManifestHandlerXml } = require('office-addin-manifest/lib/manifestHandler/manifestHandlerXml');
    const handler = new ManifestHandlerXml(process.argv[1]);
    Promise.all([handler.parseXmlAsync(), handler.parseManifest()]).then(
      ([xml, info]) => process.stdout.write(JSON.stringify({ xml, info })),
      (error) => { process.stderr.write(String(error)); process.exit(1); });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script, MANIFEST], { cwd: ROOT, encoding: 'utf8' }));
}

let elements: XmlElement[];
let info: Record<string, unknown>;
beforeAll(() => {
  const parsed = parsedManifest();
  elements = walk(parsed.xml.OfficeApp, 'OfficeApp');
  info = parsed.info;
});

const named = (name: string) => elements.filter((e) => e.name === name);

describe('Microsoft\'s schemas', () => {
  test('the development manifest and the production one are valid', async () => {
    expect(await schemaErrors(text)).toEqual([]);
    const prod = productionManifest();
    expect(prod).toContain('https://minsheng.example.gov.cn/addin/taskpane.html');
    expect(await schemaErrors(prod)).toEqual([]);
  });

  test('the check catches what Office would refuse: a missing Id, an unknown element, a wrong order', async () => {
    expect((await schemaErrors(text.replace(/<Id>[^<]*<\/Id>/, ''))).join('\n')).toMatch(/Id/);
    expect((await schemaErrors(text.replace('<Hosts>', '<Hostz/><Hosts>'))).join('\n')).toMatch(/Hostz/);
    expect((await schemaErrors(text.replace(/(<Version>[^<]*<\/Version>)(\s*)(<ProviderName>[^<]*<\/ProviderName>)/, '$3$2$1'))).length).toBeGreaterThan(0);
    expect((await schemaErrors(text.replace('<Id>', '<Id>x'))).join('\n')).toMatch(/Id/);
  });

  test('the two manifests carry different add-in ids, so a sideloaded development copy is not the deployed add-in', () => {
    expect(idOf(text)).toBe(DEV_ID);
    expect(idOf(productionManifest())).toBe(PRODUCTION_ID);
    expect(DEV_ID).not.toBe(PRODUCTION_ID);
    // Nothing else names either id: the replacement cannot miss a second place.
    expect(text.split(DEV_ID).length).toBe(2);
  });
});

test('package.json has the template\'s config block; the dev server listens where the manifest points', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { config?: Record<string, unknown> };
  expect(pkg.config).toEqual({ app_to_debug: 'excel', app_type_to_debug: expect.stringMatching(/^(desktop|web)$/), dev_server_port: expect.any(Number) });
  const saved = process.env.npm_package_config_dev_server_port;
  try {
    delete process.env.npm_package_config_dev_server_port;
    expect(devServerPort()).toBe(pkg.config!.dev_server_port);
    // Under npm the value comes from npm's environment, as office-addin-debugging reads app_to_debug.
    process.env.npm_package_config_dev_server_port = '3443';
    expect(devServerPort()).toBe(3443);
  } finally {
    if (saved === undefined) delete process.env.npm_package_config_dev_server_port;
    else process.env.npm_package_config_dev_server_port = saved;
  }
  expect(new URL(DEV_URL).port).toBe(String(pkg.config!.dev_server_port));
  expect(text).toContain(DEV_URL);
});

test('the manifest is a task pane add-in for workbooks that reads and writes the document', () => {
  expect(info).toMatchObject({
    officeAppType: 'TaskPaneApp',
    hosts: ['Workbook'],
    permissions: 'ReadWriteDocument',
    displayName: '民生实事', // DefaultLocale zh-CN
    defaultSettings: { sourceLocation: 'https://localhost:3000/taskpane.html' },
  });
  expect(info.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(info.version).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
});

test('it asks for ExcelApi 1.9 at least; newer sets are checked at run time', () => {
  expect(named('Set').map((e) => e.attributes)).toEqual([{ Name: 'ExcelApi', MinVersion: '1.9' }]);
});

test('every URL is HTTPS, on the development origin', () => {
  const urls = [...elements.map((e) => e.attributes.DefaultValue), ...named('AppDomain').map((e) => e.text)].filter((v) => v && /^\w+:\/\//.test(v));
  expect(urls.length).toBeGreaterThan(8);
  for (const url of urls) expect(url).toMatch(/^https:\/\/localhost:3000(\/|$)/);
});

test('every icon the manifest names is in assets/ with the size it claims', () => {
  const icon = (url: string) => {
    const m = /^https:\/\/localhost:3000\/(assets\/icon-(\d+)\.png)$/.exec(url);
    expect(m).not.toBeNull();
    return { file: path.join(ROOT, m![1]), size: Number(m![2]) };
  };
  const check = (url: string, size: number) => {
    const found = icon(url);
    expect(found.size).toBe(size);
    expect(pngSize(found.file)).toEqual({ width: size, height: size });
  };
  check(named('IconUrl')[0].attributes.DefaultValue, 32);
  check(named('HighResolutionIconUrl')[0].attributes.DefaultValue, 64);
  // The ribbon's images: each <bt:Image size resid> points at a picture of that size.
  const images = new Map(named('bt:Image').filter((e) => e.attributes.id).map((e) => [e.attributes.id, e.attributes.DefaultValue]));
  const uses = named('bt:Image').filter((e) => e.attributes.resid);
  expect(new Set(uses.map((e) => e.attributes.size))).toEqual(new Set(['16', '32', '80']));
  for (const use of uses) check(images.get(use.attributes.resid)!, Number(use.attributes.size));
});

test('the committed icons are what scripts/addin-icons.ts draws', () => {
  for (const size of ICON_SIZES) expect(renderIcon(size).equals(fs.readFileSync(path.join(ROOT, `assets/icon-${size}.png`)))).toBe(true);
});

test('every resource id used is defined once', () => {
  const defined = elements.filter((e) => /^bt:(Image|Url|String)$/.test(e.name) && e.attributes.id).map((e) => e.attributes.id);
  expect(new Set(defined).size).toBe(defined.length);
  const used = elements.filter((e) => e.attributes.resid).map((e) => e.attributes.resid);
  expect(used.length).toBeGreaterThan(8);
  for (const id of used) expect(defined).toContain(id);
});

/** The manifest's text for each message: DisplayName, Description and every bt:String, by element or resource id. */
const MANIFEST_TEXTS: Record<string, PlainMessageId> = {
  DisplayName: 'addin.name',
  Description: 'addin.manifest.description',
  'GetStarted.Title': 'addin.manifest.ready',
  'Group.Label': 'addin.name',
  'TaskpaneButton.Label': 'addin.name',
  'GetStarted.Description': 'addin.manifest.getStarted',
  'TaskpaneButton.Tooltip': 'addin.manifest.tooltip',
};

/** An element's DefaultValue and its Overrides by locale: <DisplayName …> or <bt:String id="…" …>. */
function localised(key: string): { defaultValue: string; overrides: Record<string, string> } | undefined {
  const open = key.includes('.') ? `<bt:String id="${key}" DefaultValue="([^"]*)"` : `<${key} DefaultValue="([^"]*)"`;
  const close = key.includes('.') ? '</bt:String>' : `</${key}>`;
  const m = new RegExp(`${open}\\s*(/>|>([\\s\\S]*?)${close})`).exec(text);
  if (!m) return undefined;
  const overrides = Object.fromEntries([...(m[3] ?? '').matchAll(/Override Locale="([^"]+)" Value="([^"]*)"/g)].map((o) => [o[1], o[2]]));
  return { defaultValue: m[1], overrides };
}

test('its texts are the catalogue’s: DefaultLocale is the pane’s default language and the page’s lang; Overrides for zh-CN, zh-TW, zh-HK, zh-MO', () => {
  const defaultLocale = /<DefaultLocale>([^<]+)<\/DefaultLocale>/.exec(text)?.[1];
  expect(defaultLocale).toBe(DEFAULT_LANG);
  const page = fs.readFileSync(path.join(ROOT, 'addin/taskpane/taskpane.html'), 'utf8');
  expect(/<html lang="([^"]+)"/.exec(page)?.[1]).toBe(defaultLocale);
  // Every localisable string is covered.
  expect(named('bt:String').map((e) => e.attributes.id).sort()).toEqual(Object.keys(MANIFEST_TEXTS).filter((k) => k.includes('.')).sort());
  for (const [key, id] of Object.entries(MANIFEST_TEXTS)) {
    const found = localised(key);
    expect([key, found?.defaultValue]).toEqual([key, t(DEFAULT_LANG, id)]);
    expect([key, Object.keys(found?.overrides ?? {}).sort()]).toEqual([key, ['zh-CN', 'zh-HK', 'zh-MO', 'zh-TW']]);
    for (const [locale, value] of Object.entries(found!.overrides)) expect([key, locale, value]).toEqual([key, locale, t(langFromLocale(locale)!, id)]);
  }
  // The support page in the reader's script (webpack.config.js builds both from the catalogue).
  for (const page of [/<SupportUrl DefaultValue="([^"]*)">([\s\S]*?)<\/SupportUrl>/, /<bt:Url id="GetStarted.LearnMoreUrl" DefaultValue="([^"]*)">([\s\S]*?)<\/bt:Url>/]) {
    const m = page.exec(text)!;
    expect(m[1]).toBe(`${DEV_URL}help.html`);
    expect([...m[2].matchAll(/Override Locale="([^"]+)" Value="([^"]*)"/g)].map((o) => [o[1], o[2]])).toEqual(['zh-TW', 'zh-HK', 'zh-MO'].map((l) => [l, `${DEV_URL}help.zh-TW.html`]));
  }
  expect(localised('Description')!.overrides['zh-TW']).toMatch(/^校驗、規範化民生實事/);
  expect(localised('Description')!.overrides['zh-CN']).toMatch(/^校验、规范化民生实事/);
});

describe('the production manifest', () => {
  const saved = process.env.ADDIN_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.ADDIN_URL;
    else process.env.ADDIN_URL = saved;
  });

  test('points every URL at ADDIN_URL, and the app domain at its origin', () => {
    process.env.ADDIN_URL = 'https://minsheng.example.gov.cn/addin';
    const prod = manifestFor(text, productionUrl());
    expect(prod).not.toMatch(/localhost/);
    expect(prod).toContain('<SourceLocation DefaultValue="https://minsheng.example.gov.cn/addin/taskpane.html"/>');
    expect(prod).toContain('<AppDomain>https://minsheng.example.gov.cn</AppDomain>');
    expect(prod).toContain('https://minsheng.example.gov.cn/addin/assets/icon-80.png');
  });

  test('refuses an ADDIN_URL that is not HTTPS; without one, keeps the development URLs', () => {
    process.env.ADDIN_URL = 'http://minsheng.example.gov.cn/';
    expect(() => productionUrl()).toThrow(/https/);
    delete process.env.ADDIN_URL;
    expect(manifestFor(text, productionUrl())).toBe(text);
  });
});
