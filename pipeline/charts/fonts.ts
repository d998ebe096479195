// The CJK font every chart is drawn with, shipped from npm (@expo-google-fonts/noto-sans-sc), and the
// text measurement Vega lays charts out with. resvg loads no system fonts, and Vega in Node has no canvas
// to measure text: without this, Vega guesses 0.8 em per character, which is too narrow for Chinese
// (1 em each), so axis labels would be clipped and titles misplaced. Measuring with the very font
// resvg draws with makes the layout match the picture on any machine, fonts installed or not.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vega from 'vega';

/** The family name inside the shipped TTF files (name table ID 1), used in every chart's config. */
export const CHART_FONT_FAMILY = 'Noto Sans SC';

const FONT_PACKAGE = '@expo-google-fonts/noto-sans-sc';

function fontPackageDir(): string {
  return path.dirname(require.resolve(`${FONT_PACKAGE}/package.json`));
}

/** Absolute paths of the shipped Regular and Bold faces (titles and legend titles are bold). */
export function chartFontFiles(): { regular: string; bold: string } {
  const dir = fontPackageDir();
  return {
    regular: path.join(dir, '400Regular', 'NotoSansSC_400Regular.ttf'),
    bold: path.join(dir, '700Bold', 'NotoSansSC_700Bold.ttf'),
  };
}

/** Horizontal advances of one font face, in em, by code point. */
export interface FaceMetrics {
  advance(codePoint: number): number;
}

/**
 * Reads the advance widths of a TrueType/OpenType face: cmap (format 12 or 4) maps code points to
 * glyphs, hmtx gives each glyph's advance in font units, head gives the units per em.
 */
export function readFaceMetrics(font: Buffer): FaceMetrics {
  const tables = new Map<string, number>();
  const tableCount = font.readUInt16BE(4);
  for (let i = 0; i < tableCount; i++) {
    const record = 12 + 16 * i;
    tables.set(font.toString('latin1', record, record + 4), font.readUInt32BE(record + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = font.readUInt16BE(table('head') + 18);
  const hmetricCount = font.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');
  const glyphAdvance = (glyph: number) => font.readUInt16BE(hmtx + 4 * Math.min(glyph, hmetricCount - 1));

  const glyphs = new Map<number, number>();
  const cmap = table('cmap');
  const subtables: { format: number; at: number }[] = [];
  for (let i = 0; i < font.readUInt16BE(cmap + 2); i++) {
    const at = cmap + font.readUInt32BE(cmap + 4 + 8 * i + 4);
    subtables.push({ format: font.readUInt16BE(at), at });
  }
  const full = subtables.find((s) => s.format === 12);
  const bmp = subtables.find((s) => s.format === 4);
  if (full) {
    const groups = font.readUInt32BE(full.at + 12);
    for (let g = 0; g < groups; g++) {
      const at = full.at + 16 + 12 * g;
      const [start, end, firstGlyph] = [font.readUInt32BE(at), font.readUInt32BE(at + 4), font.readUInt32BE(at + 8)];
      for (let c = start; c <= end; c++) glyphs.set(c, firstGlyph + c - start);
    }
  } else if (bmp) {
    const segments = font.readUInt16BE(bmp.at + 6) / 2;
    const ends = bmp.at + 14;
    const starts = ends + 2 * segments + 2;
    const deltas = starts + 2 * segments;
    const rangeOffsets = deltas + 2 * segments;
    for (let s = 0; s < segments; s++) {
      const start = font.readUInt16BE(starts + 2 * s);
      const end = font.readUInt16BE(ends + 2 * s);
      const delta = font.readInt16BE(deltas + 2 * s);
      const rangeOffset = font.readUInt16BE(rangeOffsets + 2 * s);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let glyph: number;
        if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
        else {
          const raw = font.readUInt16BE(rangeOffsets + 2 * s + rangeOffset + 2 * (c - start));
          glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
        }
        glyphs.set(c, glyph);
      }
    }
  } else {
    throw new Error('font has no Unicode cmap (format 4 or 12)');
  }
  // A character the font lacks is drawn by nobody (resvg drops it): the .notdef advance is the honest guess.
  return { advance: (codePoint) => glyphAdvance(glyphs.get(codePoint) ?? 0) / unitsPerEm };
}

let faces: { regular: FaceMetrics; bold: FaceMetrics } | undefined;

function chartFaces(): { regular: FaceMetrics; bold: FaceMetrics } {
  if (!faces) {
    const files = chartFontFiles();
    faces = { regular: readFaceMetrics(fs.readFileSync(files.regular)), bold: readFaceMetrics(fs.readFileSync(files.bold)) };
  }
  return faces;
}

function isBold(weight: unknown): boolean {
  if (typeof weight === 'number') return weight >= 600;
  return typeof weight === 'string' && (weight === 'bold' || weight === 'bolder' || Number(weight) >= 600);
}

/** Width in px of `text` set in the chart font at `fontSize` px. */
export function measureText(text: string, fontSize: number, bold = false): number {
  const face = bold ? chartFaces().bold : chartFaces().regular;
  let ems = 0;
  for (const ch of text) ems += face.advance(ch.codePointAt(0)!);
  return ems * fontSize;
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  text?: unknown;
  limit?: number;
}

/** The slot Vega reads text widths from (untyped in vega-typings); Vega supports replacing it. */
interface VegaTextMetrics {
  width: (item: TextItem, text: unknown) => number;
}

let installed = false;

/**
 * Makes Vega measure text with the shipped font. Called before every render; process-wide and
 * idempotent (Vega keeps one text measurer per process).
 */
export function useChartFontMetrics(): void {
  if (installed) return;
  const metrics = (vega as unknown as { textMetrics: VegaTextMetrics }).textMetrics;
  metrics.width = (item, text) => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    // The full width, also for text with a `limit`: Vega's truncation calls this measurer for each
    // candidate cut, so it must see raw widths. Bounds of cut text are then a little generous, never
    // too small; the charts cut or wrap long text themselves before it reaches Vega.
    const value = text == null ? '' : String(text).trim();
    return size <= 0 || !value ? 0 : measureText(value, size, isBold(item.fontWeight));
  };
  installed = true;
}
