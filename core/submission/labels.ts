// 填報單位 and 截至日期: the labels written above a submission's header ("填報單位：上城區", "截至日期：
// 2024-09-30", or the date in a title such as "（截至2024年9月30日）").
import { parseDateValue, dateInText } from '../dates';
import { districtMatchIssue } from '../districtMatch';
import { DISTRICTS, resolveDistrict } from '../districts';
import { a1, isBlank, type CellValue, type GridView } from '../grid';
import { listOf, msg } from '../messages';
import { matchKey, squeeze, tidyText, toHalfWidth } from '../text';
import { atCell, type Context } from './context';

const DISTRICT_LABELS = ['填報單位', '報送單位', '填報單位名稱', '單位名稱', '填報區縣', '填報地區'].map(matchKey);
const DATE_LABELS = ['截至日期', '截止日期', '統計截至日期', '數據截至日期', '統計截至', '數據截至', '截至時間', '截止時間', '統計日期', '截至', '截止']
  .map(matchKey)
  .sort((a, b) => b.length - a.length);

interface LabelledValue {
  /** The value, as written (script kept). */
  value: CellValue;
  format: string;
  row: number;
  col: number;
  /** Label and value share the cell. */
  inLabelCell: boolean;
  labelText: string;
}

/** Cells above the header, with their text. */
export function textsAbove(view: GridView, headerRow: number): { row: number; col: number; text: string }[] {
  const out: { row: number; col: number; text: string }[] = [];
  for (let row = view.firstRow; row < headerRow; row++) {
    for (let col = view.firstCol; col <= view.lastCol; col++) {
      if (view.isMergedCopy(row, col)) continue;
      const v = view.raw(row, col);
      if (typeof v === 'string' && v.trim()) out.push({ row, col, text: v });
    }
  }
  return out;
}

/** "填報單位：上城區" in one cell, or "填報單位：" with the value in the next filled cell to the right. */
function findLabelled(
  view: GridView,
  headerRow: number,
  labels: string[],
  /** What must follow a label written without a colon for the rest of the cell to count as its value. */
  valueStart: RegExp,
): LabelledValue | { labelOnly: { row: number; col: number } } | undefined {
  for (const { row, col, text } of textsAbove(view, headerRow)) {
    const t = squeeze(toHalfWidth(text));
    const colon = t.search(/[:：]/);
    const head = colon >= 0 ? t.slice(0, colon) : t;
    const headKey = matchKey(head).replace(/\([^()]*\)$/, '');
    let label: string | undefined;
    let rest = '';
    if (colon >= 0) {
      label = labels.find((l) => headKey === l);
      rest = t.slice(colon + 1);
    } else {
      label = labels.find((l) => headKey === l);
      if (!label) {
        label = labels.find((l) => headKey.startsWith(l) && valueStart.test(t.slice(l.length)));
        if (label) rest = t.slice(label.length);
      }
    }
    if (!label) continue;
    if (rest) return { value: rest, format: 'General', row, col, inLabelCell: true, labelText: t.slice(0, t.length - rest.length) };
    for (let c = col + 1; c <= Math.min(view.lastCol, col + 8); c++) {
      if (view.isMergedCopy(row, c)) continue;
      const v = view.raw(row, c);
      if (isBlank(v)) continue;
      // Another "label：value" cell: this label was left empty.
      if (typeof v === 'string' && /[:：]/.test(v)) break;
      return { value: v, format: view.format(row, c), row, col: c, inLabelCell: false, labelText: t };
    }
    return { labelOnly: { row, col } };
  }
  return undefined;
}

export function readDistrictLabel(ctx: Context, headerRow: number): { name: string } | undefined {
  const found = findLabelled(ctx.view, headerRow, DISTRICT_LABELS, /^\S/);
  if (!found || 'labelOnly' in found) {
    const cell = found && 'labelOnly' in found ? a1(found.labelOnly.row, found.labelOnly.col) : undefined;
    ctx.add('district-missing', cell, msg('issue.district-missing', { at: atCell(cell), districts: listOf(DISTRICTS.map((d) => d.name)) }));
    return undefined;
  }
  const written = tidyText(String(found.value));
  const match = resolveDistrict(written);
  if (match.kind === 'exact' || match.kind === 'alias') return { name: match.district.name };
  const cell = a1(found.row, found.col);
  const fixValue = (name: string) => (found.inLabelCell ? `${found.labelText.replace(/[:：]?$/, '')}：${name}` : name);
  const problem = districtMatchIssue(match, written, { sheet: ctx.sheet, cell }, 'label', fixValue);
  if (problem) ctx.issues.push(problem);
  return undefined;
}

/** 截至日期 from its label, else from a title such as "（截至2024年9月30日）". */
export function readAsOf(ctx: Context, headerRow: number): { iso: string } | undefined {
  const { view, plan } = ctx;
  const found = findLabelled(view, headerRow, DATE_LABELS, /^\d/);
  let iso: string | undefined;
  let cell: string | undefined;
  if (found && !('labelOnly' in found)) {
    cell = a1(found.row, found.col);
    iso = parseDateValue(found.value, found.format, plan.year, view.date1904);
    if (!iso) {
      const shown = typeof found.value === 'number' ? String(found.value) : tidyText(String(found.value));
      ctx.add('date-unreadable', cell, msg('issue.date-unreadable', { cell, written: shown, year: plan.year }));
      return undefined;
    }
  } else {
    for (const t of textsAbove(view, headerRow)) {
      const inTitle = dateInText(t.text, plan.year);
      if (inTitle) {
        iso = inTitle;
        cell = a1(t.row, t.col);
        break;
      }
    }
  }
  if (!iso) {
    const labelCell = found && 'labelOnly' in found ? a1(found.labelOnly.row, found.labelOnly.col) : undefined;
    ctx.add('date-missing', labelCell, msg('issue.date-missing', { at: atCell(labelCell), year: plan.year }));
    return undefined;
  }
  if (Number(iso.slice(0, 4)) !== plan.year) {
    ctx.add('date-outside-year', cell, msg('issue.date-outside-year', { at: atCell(cell), date: iso, year: plan.year }));
    return undefined;
  }
  return { iso };
}
