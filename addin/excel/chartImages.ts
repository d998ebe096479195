/// <reference types="office-js" />
// The service's charts as pictures in a 圖表 sheet (shapes.addImage, ExcelApi 1.9). Our pictures carry
// names starting with CHART_SHAPE_PREFIX, so inserting again replaces them and leaves anything else the
// clerk put on the sheet alone.

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

/** Base64 of the bytes, without a "data:" prefix (what addImage takes). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

/** Widest a picture is drawn, in points: an A4 landscape page's printable width. */
const MAX_WIDTH_PT = 720;
const LEFT_PT = 8;
/** Pictures start below the two heading rows. */
const FIRST_TOP_PT = 40;
const GAP_PT = 36;

/**
 * Puts the pictures on the 圖表 sheet (made if missing), one under the other below a heading, after
 * deleting the pictures inserted before; activates the sheet. Three syncs.
 */
export async function insertChartPictures(context: Excel.RequestContext, pictures: readonly ChartPicture[], heading: string): Promise<ChartOutcome> {
  const sheets = context.workbook.worksheets;
  sheets.load('items/name');
  await context.sync();
  const existing = sheets.items.find((s) => s.name.toLowerCase() === CHART_SHEET.toLowerCase());
  const ws = existing ?? sheets.add(CHART_SHEET);
  ws.shapes.load('items/name');
  await context.sync();
  const ours = ws.shapes.items.filter((s) => s.name.startsWith(CHART_SHAPE_PREFIX));
  for (const shape of ours) shape.delete();

  ws.getRange('A1').values = [[heading]];
  ws.getRange('A1').format.font.size = 14;
  ws.getRange('A1').format.font.bold = true;
  ws.getRange('A2').values = [['由民生實事加載項插入；再次插入圖表會替換這些圖片。']];
  ws.getRange('A2').format.font.color = '#595959';
  let top = FIRST_TOP_PT;
  const inserted: string[] = [];
  for (const picture of pictures) {
    const size = pngSize(picture.png);
    if (!size) throw new Error(`圖表「${picture.title}」不是PNG圖片`);
    const naturalWidth = size.width * 0.75;
    const scale = Math.min(1, MAX_WIDTH_PT / naturalWidth);
    const width = Math.round(naturalWidth * scale);
    const height = Math.round(size.height * 0.75 * scale);
    const image = ws.shapes.addImage(toBase64(picture.png));
    const name = `${CHART_SHAPE_PREFIX}${picture.name}`;
    image.name = name;
    image.left = LEFT_PT;
    image.top = top;
    image.lockAspectRatio = true;
    // The aspect ratio is locked, so the height follows the width.
    image.width = width;
    inserted.push(name);
    top += height + GAP_PT;
  }
  ws.activate();
  ws.getRange('A1').select();
  await context.sync();
  return { sheet: ws === existing ? existing.name : CHART_SHEET, inserted, replaced: ours.length, syncs: 3 };
}
