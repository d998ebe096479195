/// <reference types="office-js" />
// The service's charts as pictures in a 圖表 sheet (shapes.addImage, ExcelApi 1.9). Our pictures carry
// names starting with CHART_SHAPE_PREFIX, so inserting again replaces them and leaves anything else the
// clerk put on the sheet alone. Each picture travels in a request of its own (Excel on the web refuses
// one above 5 MB), and one that cannot fit is refused by name before anything changes.
import { say } from '../paneLang';
import { isPayloadError, PAYLOAD_BUDGET_BYTES } from './readSheets';

export const CHART_SHEET = '圖表';
export const CHART_SHAPE_PREFIX = 'minsheng-chart-';

export interface ChartPicture {
  /** Shape name without the prefix, e.g. "ranking". */
  name: string;
  /** What the picture shows, for messages (the picture carries its own title). */
  title: string;
  png: Uint8Array;
}

export interface ChartOutcome {
  sheet: string;
  inserted: string[];
  replaced: number;
  syncs: number;
}

/** Width and height in pixels from a PNG's IHDR chunk; undefined when the bytes are not a PNG. */
export function pngSize(png: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.length < 24 || signature.some((b, i) => png[i] !== b)) return undefined;
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const BASE64 = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
const PAD = 61; // "="

/** How long the base64 of `n` bytes is. */
export const base64Length = (n: number) => Math.ceil(n / 3) * 4;

/** Base64 of the bytes, without a "data:" prefix (what addImage takes); fast for pictures of megabytes. */
export function toBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(base64Length(n));
  let k = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[k++] = BASE64[v >>> 18];
    out[k++] = BASE64[(v >>> 12) & 63];
    out[k++] = BASE64[(v >>> 6) & 63];
    out[k++] = BASE64[v & 63];
  }
  if (i < n) {
    const v = (bytes[i] << 16) | ((i + 1 < n ? bytes[i + 1] : 0) << 8);
    out[k++] = BASE64[v >>> 18];
    out[k++] = BASE64[(v >>> 12) & 63];
    out[k++] = i + 1 < n ? BASE64[(v >>> 6) & 63] : PAD;
    out[k++] = PAD;
  }
  return new TextDecoder().decode(out);
}

/** Widest a picture is drawn, in points: an A4 landscape page's printable width. */
const MAX_WIDTH_PT = 720;
const LEFT_PT = 8;
/** Pictures start below the two heading rows. */
const FIRST_TOP_PT = 40;
const GAP_PT = 36;

/** A chart picture Excel cannot take: too large for one request, or refused as such. Its message is for the clerk. */
export class ChartPictureProblem extends Error {
  override readonly name = 'ChartPictureProblem';
}

const megabytes = (bytes: number) => (bytes / 1_000_000).toFixed(1);

/**
 * Puts the pictures on the 圖表 sheet (made if missing), one under the other below a heading, after
 * deleting the pictures inserted before; activates the sheet. Two syncs to look, then one per picture,
 * so that each request carries one picture and stays under Excel on the web's 5 MB.
 */
export async function insertChartPictures(context: Excel.RequestContext, pictures: readonly ChartPicture[], heading: string): Promise<ChartOutcome> {
  // Every picture is checked before anything changes: a refusal leaves the sheet as it was.
  const prepared = pictures.map((picture) => {
    const size = pngSize(picture.png);
    if (!size) throw new Error(say('addin.charts.notPng', { title: picture.title }));
    const length = base64Length(picture.png.length);
    if (length > PAYLOAD_BUDGET_BYTES) {
      throw new ChartPictureProblem(say('addin.chart.tooLarge', { title: picture.title, size: megabytes(length), limit: megabytes(PAYLOAD_BUDGET_BYTES) }));
    }
    return { picture, size };
  });
  const sheets = context.workbook.worksheets;
  sheets.load('items/name');
  await context.sync();
  const existing = sheets.items.find((s) => s.name.toLowerCase() === CHART_SHEET.toLowerCase());
  const ws = existing ?? sheets.add(CHART_SHEET);
  ws.shapes.load('items/name');
  await context.sync();
  let syncs = 2;
  const ours = ws.shapes.items.filter((s) => s.name.startsWith(CHART_SHAPE_PREFIX));
  for (const shape of ours) shape.delete();

  ws.getRange('A1').values = [[heading]];
  ws.getRange('A1').format.font.size = 14;
  ws.getRange('A1').format.font.bold = true;
  ws.getRange('A2').values = [[say('addin.charts.note')]];
  ws.getRange('A2').format.font.color = '#595959';
  let top = FIRST_TOP_PT;
  const inserted: string[] = [];
  for (const [index, { picture, size }] of prepared.entries()) {
    const base64 = toBase64(picture.png);
    const naturalWidth = size.width * 0.75;
    const scale = Math.min(1, MAX_WIDTH_PT / naturalWidth);
    const width = Math.round(naturalWidth * scale);
    const height = Math.round(size.height * 0.75 * scale);
    const image = ws.shapes.addImage(base64);
    const name = `${CHART_SHAPE_PREFIX}${picture.name}`;
    image.name = name;
    image.left = LEFT_PT;
    image.top = top;
    image.lockAspectRatio = true;
    // The aspect ratio is locked, so the height follows the width.
    image.width = width;
    if (index === prepared.length - 1) {
      ws.activate();
      ws.getRange('A1').select();
    }
    syncs++;
    try {
      // One picture a request: the sum of several would pass Excel on the web's limit.
      // eslint-disable-next-line office-addins/no-context-sync-in-loop
      await context.sync();
    } catch (error) {
      if (!isPayloadError(error)) throw error;
      throw new ChartPictureProblem(say('addin.chart.refused', { title: picture.title, size: megabytes(base64.length), done: inserted.length }));
    }
    inserted.push(name);
    top += height + GAP_PT;
  }
  if (prepared.length === 0) {
    ws.activate();
    ws.getRange('A1').select();
    syncs++;
    await context.sync();
  }
  return { sheet: ws === existing ? existing.name : CHART_SHEET, inserted, replaced: ours.length, syncs };
}
