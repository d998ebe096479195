// The CJK font every chart is drawn with, shipped from npm (@expo-google-fonts/noto-sans-sc), and the
// text measurement Vega lays charts out with. resvg loads no system fonts, and Vega in Node has no canvas
// to measure text: without this, Vega guesses 0.8 em per character, which is too narrow for Chinese
// (1 em each), so axis labels would be clipped and titles misplaced. Measuring with the very font
// resvg draws with makes the layout match the picture on any machine, fonts installed or not. resvg
// gets per-chart subsets of the same files (fontSubset.ts), which draw the same pixels much faster.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import * as vega from 'vega';
import { readCmap, subsettableFont, table, tableDirectory, type SubsettableFont } from './fontSubset';

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
  /** Whether the face draws this character (resvg silently drops characters no font has). */
  hasGlyph(codePoint: number): boolean;
}

/**
 * Reads the advance widths of a TrueType face: cmap maps code points to glyphs, hmtx gives each
 * glyph's advance in font units, head gives the units per em.
 */
export function readFaceMetrics(font: Buffer): FaceMetrics {
  const tables = tableDirectory(font);
  const unitsPerEm = table(font, tables, 'head').readUInt16BE(18);
  const hmetricCount = table(font, tables, 'hhea').readUInt16BE(34);
  const hmtx = table(font, tables, 'hmtx');
  const glyphAdvance = (glyph: number) => hmtx.readUInt16BE(4 * Math.min(glyph, hmetricCount - 1));
  const glyphs = readCmap(table(font, tables, 'cmap'));
  // A character the font lacks is drawn by nobody (resvg drops it): the .notdef advance is the honest guess.
  return {
    advance: (codePoint) => glyphAdvance(glyphs.get(codePoint) ?? 0) / unitsPerEm,
    hasGlyph: (codePoint) => (glyphs.get(codePoint) ?? 0) !== 0,
  };
}

let faces: { regular: FaceMetrics; bold: FaceMetrics } | undefined;

export function chartFaces(): { regular: FaceMetrics; bold: FaceMetrics } {
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

let subsettable: { regular: SubsettableFont; bold: SubsettableFont } | undefined;
const subsetFiles = new Map<string, string[]>();

/**
 * The shipped Regular and Bold cut down to `characters`, as files for resvg (which takes fonts only
 * as paths): written once per character set into a cache folder in the system temp directory, named
 * by content hash, so concurrent processes and threads share them safely.
 */
export function chartFontSubsetFiles(characters: Iterable<string>): string[] {
  const chars = [...new Set(characters)].sort().join('');
  const known = subsetFiles.get(chars);
  if (known && known.every((f) => fs.existsSync(f))) return known;
  if (!subsettable) {
    const files = chartFontFiles();
    subsettable = { regular: subsettableFont(fs.readFileSync(files.regular)), bold: subsettableFont(fs.readFileSync(files.bold)) };
  }
  const dir = path.join(os.tmpdir(), 'minsheng-chart-fonts');
  fs.mkdirSync(dir, { recursive: true });
  const files = (['regular', 'bold'] as const).map((face) => {
    const bytes = subsettable![face].subset(chars);
    const file = path.join(dir, `NotoSansSC-${face}-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.ttf`);
    if (!fs.existsSync(file)) {
      // Threads of one process (the chart pool) each write their own temporary file.
      const temp = `${file}.${process.pid}.${threadId}.tmp`;
      fs.writeFileSync(temp, bytes);
      fs.renameSync(temp, file);
    }
    return file;
  });
  subsetFiles.set(chars, files);
  return files;
}
