// The chart font machinery: reading advances from the shipped TTF, and cutting per-chart subsets that
// keep the family name, the glyphs and the metrics of the characters they are cut for.
import * as fs from 'node:fs';
import { chartFontFiles, chartFontSubsetFiles, measureText, readFaceMetrics } from '../pipeline/charts/fonts';
import { subsettableFont } from '../pipeline/charts/fontSubset';

const files = chartFontFiles();
const full = fs.readFileSync(files.regular);
const fullMetrics = readFaceMetrics(full);

describe('shipped font metrics', () => {
  test('Chinese characters are 1 em wide, digits narrower; traditional and simplified both present', () => {
    expect(measureText('杭州西湖風景名勝區', 10)).toBeCloseTo(90, 9);
    expect(measureText('2024', 10)).toBeLessThan(30);
    for (const ch of '區区縣县濱滨錢钱廬庐①％，') expect(fullMetrics.hasGlyph(ch.codePointAt(0)!)).toBe(true);
  });

  test('bold is measured with the bold face', () => {
    expect(measureText('100%', 20, true)).not.toBeCloseTo(measureText('100%', 20, false), 3);
  });
});

describe('font subsets', () => {
  const text = '上城區進度達成率 100%（第1名）';
  const subset = subsettableFont(full).subset(text);
  const metrics = readFaceMetrics(subset);

  test('draw exactly the characters asked for, with the full font’s advances', () => {
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      expect(metrics.hasGlyph(cp)).toBe(true);
      expect(metrics.advance(cp)).toBe(fullMetrics.advance(cp));
    }
    expect(metrics.hasGlyph('下'.codePointAt(0)!)).toBe(false);
  });

  test('are small and keep the family name resvg looks fonts up by', () => {
    expect(subset.length).toBeLessThan(full.length / 20);
    expect(subset.includes(Buffer.from('Noto Sans SC', 'utf16le').swap16())).toBe(true);
  });

  test('are written once per character set, regular and bold', () => {
    const first = chartFontSubsetFiles('第1名');
    expect(chartFontSubsetFiles('名1第')).toEqual(first);
    expect(first).toHaveLength(2);
    for (const file of first) expect(fs.statSync(file).size).toBeGreaterThan(1000);
  });
});
