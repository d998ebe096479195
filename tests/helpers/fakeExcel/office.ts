// The fake host as a browser script: the browser test bundles this file and serves it in place of
// https://appsforoffice.microsoft.com/lib/1/hosted/office.js. It builds the fake workbook from
// window.__MINSHENG_FAKE_WORKBOOK__ (set by the test before the page loads), installs Excel, Office and
// OfficeExtension as office.js would, and leaves the workbook at window.__MINSHENG_FAKE__ for the test
// to look at. Office's display language is window.__MINSHENG_DISPLAY_LANGUAGE__ when a page sets one (a page
// of its own in the test), else the setup's. getFileAsync asks the test (window.__minshengXlsx, exposed from Node) for the .xlsx bytes.
import type { CellRange } from '../../../core/grid';
import { createFakeHost, installFakeHost, serializeWorkbook, workbookFromGrids, type HostOptions, type SerializedSheet, type SheetContent } from './host';

interface FakeSetup {
  grids: SheetContent[];
  url?: string;
  apiVersion?: string;
  platform?: HostOptions['platform'];
  partitionKey?: string;
  displayLanguage?: string;
}

interface Page {
  __MINSHENG_FAKE_WORKBOOK__?: FakeSetup;
  __minshengXlsx?: (sheets: SerializedSheet[]) => Promise<string>;
  __MINSHENG_FAKE__?: unknown;
  __MINSHENG_DISPLAY_LANGUAGE__?: string;
}

// The page's window (globalThis, so that this file type-checks without the DOM library).
const page = globalThis as unknown as Page;
const setup: FakeSetup = page.__MINSHENG_FAKE_WORKBOOK__ ?? { grids: [{ sheet: 'Sheet1', origin: { row: 1, col: 1 }, values: [], formats: [], merges: [] as CellRange[] }] };
const workbook = workbookFromGrids(setup.grids);
workbook.url = setup.url ?? '';

function bytesOf(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const host = createFakeHost(workbook, {
  apiVersion: setup.apiVersion,
  platform: setup.platform,
  partitionKey: setup.partitionKey,
  displayLanguage: page.__MINSHENG_DISPLAY_LANGUAGE__ ?? setup.displayLanguage,
  fileBytes: async (wb) => {
    if (!page.__minshengXlsx) throw new Error('fake host: the test did not expose __minshengXlsx');
    return bytesOf(await page.__minshengXlsx(serializeWorkbook(wb)));
  },
});
installFakeHost(host, page as unknown as Record<string, unknown>);
page.__MINSHENG_FAKE__ = { workbook, host };
