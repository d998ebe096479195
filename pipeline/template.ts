// Writes the 進度報送表 (design §3) a district fills in: its metrics from the plan with targets filled in,
// 累計完成 and 備註 the only cells a clerk can type in (sheet protected, no password), a 完成率 formula,
// data validation, print setup; plus a 填報說明 sheet. core/submission.ts reads the filled file back.
import { writeFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { resolveDistrict } from '../core/districts';
import { a1 } from '../core/grid';
import type { Plan } from '../core/model';
import { districtMetrics, parseDateText, showTarget, SUBMISSION_COLUMNS, type DistrictMetric } from '../core/submission';

export const TEMPLATE_SHEET = '進度報送表';
export const INSTRUCTIONS_SHEET = '填報說明';
/** Row of the column labels; data rows follow it. */
export const HEADER_ROW = 4;

/** What to type into a template before it is written (demo submissions, tests): by metric id. */
export interface TemplateFill {
  /** 累計完成: a number (rate metrics: the fraction, 0.82), or text as a clerk might type it; null leaves it blank. */
  completed?: Record<string, number | string | null>;
  notes?: Record<string, string>;
}

export interface TemplateOptions {
  fill?: TemplateFill;
  /** City named in the title; the plan does not carry one. */
  city?: string;
}

export interface TemplateRow {
  metricId: string;
  row: number;
  completedCell: string;
  noteCell: string;
}

export interface TemplateLayout {
  district: string;
  asOf: string;
  sheet: string;
  rows: TemplateRow[];
}

// Column letters follow SUBMISSION_COLUMNS: 序號 指標編號 項目名稱 指標 年度目標 單位 累計完成 完成率 備註.
const COL = { projectNo: 1, metricId: 2, projectName: 3, metricLabel: 4, target: 5, unit: 6, completed: 7, completionRate: 8, note: 9 } as const;
const LAST_COL = 9;
const WIDTHS = [6, 10, 34, 24, 13, 8.5, 13, 10, 30];
const INPUT_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const FONT = 'SimSun';

/** Writes the template workbook for one district to outPath and returns where each metric's row is. */
export async function writeTemplate(plan: Plan, district: string, asOf: string, outPath: string, options: TemplateOptions = {}): Promise<TemplateLayout> {
  const { workbook, layout } = buildTemplate(plan, district, asOf, options);
  await protect(workbook);
  const bytes = Buffer.from((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
  await writeFile(outPath, stampZipEntries(bytes, workbook.created));
  return layout;
}

/**
 * Sets every zip entry's modification time to one moment (ExcelJS stamps them with the clock), so the
 * same template gives the same bytes: committed samples do not churn, and a reload is recognised by hash.
 */
function stampZipEntries(zip: Buffer, at: Date): Buffer {
  const time = (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | (at.getUTCSeconds() >> 1);
  const day = ((at.getUTCFullYear() - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate();
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) return zip;
  const entries = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  for (let i = 0; i < entries && p + 46 <= zip.length && zip.readUInt32LE(p) === 0x02014b50; i++) {
    zip.writeUInt16LE(time, p + 12);
    zip.writeUInt16LE(day, p + 14);
    const local = zip.readUInt32LE(p + 42);
    if (local + 30 <= zip.length && zip.readUInt32LE(local) === 0x04034b50) {
      zip.writeUInt16LE(time, local + 10);
      zip.writeUInt16LE(day, local + 12);
    }
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
  }
  return zip;
}

/** The template as an ExcelJS workbook (not yet protected: writeTemplate protects it before writing). */
export function buildTemplate(plan: Plan, district: string, asOf: string, options: TemplateOptions = {}): { workbook: ExcelJS.Workbook; layout: TemplateLayout } {
  const name = canonicalDistrict(district);
  const date = parseDateText(asOf, plan.year);
  if (!date) throw new Error(`截至日期「${asOf}」無法識別，請寫成 ${plan.year}-09-30 這樣的日期。`);
  if (Number(date.slice(0, 4)) !== plan.year) throw new Error(`截至日期${date}不在計劃年度${plan.year}年內。`);
  const metrics = districtMetrics(plan, name);
  if (metrics.length === 0) throw new Error(`${name}在${plan.year}年計劃中沒有分解到的量化任務，無需報送進度。`);

  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'minsheng';
  // A fixed timestamp keeps generated files the same from one run to the next.
  workbook.created = workbook.modified = new Date(`${date}T00:00:00Z`);
  const ws = workbook.addWorksheet(TEMPLATE_SHEET, {
    views: [{ state: 'frozen', xSplit: 0, ySplit: HEADER_ROW, topLeftCell: a1(HEADER_ROW + 1, 1), activeCell: a1(HEADER_ROW + 1, COL.completed) }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}`,
    },
  });
  ws.headerFooter.oddFooter = '&C第 &P 頁，共 &N 頁';
  WIDTHS.forEach((w, i) => (ws.getColumn(i + 1).width = w));

  writeHeading(ws, plan.year, name, date, options.city ?? '杭州市');
  const rows = metrics.map((dm, i) => writeMetricRow(ws, HEADER_ROW + 1 + i, dm, date, options.fill));
  const lastDataRow = HEADER_ROW + metrics.length;
  writeSignature(ws, lastDataRow + 2);
  ws.pageSetup.printArea = `A1:${a1(lastDataRow + 2, LAST_COL)}`;
  writeInstructions(workbook, name, date);
  return { workbook, layout: { district: name, asOf: date, sheet: TEMPLATE_SHEET, rows } };
}

function canonicalDistrict(text: string): string {
  const match = resolveDistrict(text);
  if (match.kind === 'exact' || match.kind === 'alias') return match.district.name;
  if (match.kind === 'ambiguous') throw new Error(`區縣「${text}」有歧義，可能是${match.candidates.map((c) => `「${c}」`).join('或')}，請寫全稱。`);
  if (match.kind === 'misspelled') throw new Error(`區縣「${text}」無法識別，是否為「${match.suggestion.name}」？`);
  throw new Error(`區縣「${text}」無法識別。`);
}

function writeHeading(ws: ExcelJS.Worksheet, year: number, district: string, asOf: string, city: string): void {
  ws.mergeCells(1, 1, 1, LAST_COL);
  const title = ws.getCell(1, 1);
  title.value = `${year}年${city}民生實事項目進度報送表`;
  title.font = { name: FONT, size: 16, bold: true };
  title.alignment = { horizontal: 'center', vertical: 'middle' };
  ws.getRow(1).height = 32;

  ws.mergeCells(2, 1, 2, 4);
  const unit = ws.getCell(2, 1);
  unit.value = `填報單位：${district}`;
  unit.font = { name: FONT, size: 12, bold: true };
  ws.mergeCells(2, 5, 2, LAST_COL);
  const date = ws.getCell(2, 5);
  date.value = `截至日期：${asOf}`;
  date.font = { name: FONT, size: 12, bold: true };
  date.alignment = { horizontal: 'right' };
  ws.getRow(2).height = 22;

  ws.mergeCells(3, 1, 3, LAST_COL);
  const hint = ws.getCell(3, 1);
  hint.value =
    '請只在黃色單元格填寫：「累計完成」填截至上述日期自年初起的累計數（只填數字，單位見「單位」列；比率類指標填達到的比率，如82%），「備註」填需要說明的情況。尚無數據的請留空（留空表示未報送，不按0計算）。';
  hint.font = { name: FONT, size: 10, italic: true, color: { argb: 'FF595959' } };
  hint.alignment = { wrapText: true, vertical: 'middle' };
  ws.getRow(3).height = 30;

  const header = ws.getRow(HEADER_ROW);
  SUBMISSION_COLUMNS.forEach((spec, i) => {
    const cell = header.getCell(i + 1);
    cell.value = spec.label;
    cell.font = { name: FONT, size: 11, bold: true };
    cell.fill = HEADER_FILL;
    cell.border = THIN;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  header.height = 24;
}

function writeMetricRow(ws: ExcelJS.Worksheet, row: number, dm: DistrictMetric, asOf: string, fill: TemplateFill | undefined): TemplateRow {
  const { metric, target, project } = dm;
  const r = ws.getRow(row);
  const set = (col: number, value: ExcelJS.CellValue, numFmt?: string) => {
    const cell = r.getCell(col);
    cell.value = value;
    if (numFmt) cell.numFmt = numFmt;
    cell.border = THIN;
    cell.font = { name: FONT, size: 11 };
    cell.alignment = { vertical: 'middle', wrapText: col === COL.projectName || col === COL.metricLabel || col === COL.note };
    return cell;
  };
  const isRate = metric.kind === 'rate';
  set(COL.projectNo, metric.projectNo).alignment = { horizontal: 'center', vertical: 'middle' };
  set(COL.metricId, metric.id, '@').alignment = { horizontal: 'center', vertical: 'middle' };
  set(COL.projectName, project?.name ?? '');
  set(COL.metricLabel, metric.label);
  if (isRate) set(COL.target, target.target, percentFormat(target.target));
  else if (target.targetExtra !== undefined) set(COL.target, showTarget(metric, target), '@');
  else set(COL.target, target.target, Number.isInteger(target.target) ? '#,##0' : '#,##0.0##');
  set(COL.unit, isRate ? '%' : metric.unit).alignment = { horizontal: 'center', vertical: 'middle' };

  const typed = fill?.completed?.[metric.id];
  const completed = set(COL.completed, typed ?? null, isRate ? '0.0%' : 'General');
  completed.fill = INPUT_FILL;
  completed.protection = { locked: false };
  completed.dataValidation = completedValidation(isRate, metric.unit, asOf, target.targetExtra !== undefined);

  const g = a1(row, COL.completed);
  // Compound targets are text ("5(4)個"), so 完成率 divides by their total.
  const divisor = target.targetExtra !== undefined ? String(dm.total) : a1(row, COL.target);
  const result = typeof typed === 'number' && dm.total !== 0 ? typed / dm.total : '';
  set(COL.completionRate, dm.total === 0 ? '' : { formula: `IF(${g}="","",${g}/${divisor})`, result }, '0.0%');

  const note = set(COL.note, fill?.notes?.[metric.id] ?? null);
  note.fill = INPUT_FILL;
  note.protection = { locked: false };
  return { metricId: metric.id, row, completedCell: g, noteCell: a1(row, COL.note) };
}

function percentFormat(rate: number): string {
  return Number.isInteger(Math.round(rate * 1e6) / 1e4) ? '0%' : '0.0%';
}

function completedValidation(isRate: boolean, unit: string, asOf: string, compound: boolean): ExcelJS.DataValidation {
  const common = {
    type: 'decimal' as const,
    allowBlank: true,
    showInputMessage: true,
    showErrorMessage: true,
    errorStyle: 'stop',
    promptTitle: '累計完成',
    errorTitle: '累計完成填寫有誤',
  };
  if (isRate) {
    return {
      ...common,
      operator: 'between',
      formulae: [0, 1],
      prompt: `填寫截至${asOf}達到的比率，如82%（輸入82%或0.82）。尚無數據請留空。`,
      error: '比率應在0%到100%之間，只填數字或百分數，不要帶文字。',
    };
  }
  return {
    ...common,
    operator: 'greaterThanOrEqual',
    formulae: [0],
    prompt: `填寫截至${asOf}自年初起的累計完成數${unit ? `（單位：${unit}）` : ''}${compound ? '，新增與提升的合計' : ''}，只填數字。尚無數據請留空，不要填0。`,
    error: `累計完成只能填不小於0的數字，不要帶單位或文字${unit ? `（單位已是「${unit}」）` : ''}。`,
  };
}

/** 填報人 / 聯繫電話 / 審核人 under the table: labels locked, the blanks beside them open. */
function writeSignature(ws: ExcelJS.Worksheet, row: number): void {
  const fields: [number, number, string, number, number][] = [
    [1, 2, '填報人：', 3, 3],
    [4, 4, '聯繫電話：', 5, 6],
    [8, 8, '審核人：', 9, 9],
  ];
  for (const [from, to, label, inputFrom, inputTo] of fields) {
    if (to > from) ws.mergeCells(row, from, row, to);
    const cell = ws.getCell(row, from);
    cell.value = label;
    cell.font = { name: FONT, size: 11 };
    cell.alignment = { horizontal: 'right' };
    if (inputTo > inputFrom) ws.mergeCells(row, inputFrom, row, inputTo);
    const input = ws.getCell(row, inputFrom);
    input.protection = { locked: false };
    input.border = { bottom: { style: 'thin' } };
    input.font = { name: FONT, size: 11 };
  }
}

function writeInstructions(workbook: ExcelJS.Workbook, district: string, asOf: string): void {
  const ws = workbook.addWorksheet(INSTRUCTIONS_SHEET);
  ws.getColumn(1).width = 110;
  const lines = [
    '填報說明',
    `1. 本表是${district}截至${asOf}的民生實事項目進度報送表，由督查系統按年度計劃生成，只列出${district}有年度任務的指標。`,
    '2. 只需填寫「進度報送表」中的黃色單元格：「累計完成」和「備註」。其他單元格已鎖定，請勿增刪行列、調整順序或修改指標編號。',
    '3. 「累計完成」填截至日期自年初起的累計數（不是當月新增數），只填數字，不要帶單位；單位見「單位」列。確實為0的填0。',
    '4. 年度目標為百分比的是比率類指標，「累計完成」填達到的比率，如82%（可輸入82%或0.82）。',
    '5. 年度目標寫作「5(4)個」的，表示新增5個、提升4個，「累計完成」填兩者合計完成數。',
    '6. 尚未統計或無法提供的請留空，並在「備註」中說明原因。留空表示該指標本次未報送，不會按0計算。',
    '7. 「完成率」由公式自動計算（累計完成 ÷ 年度目標），無需填寫。',
    '8. 如需更正已報送的數據：按原截至日期重新填寫整張表再次報送，後報送的表替代先前報送的表。',
    '9. 工作表保護未設密碼（審閱 → 撤銷工作表保護）。如確需調整列寬或打印設置可撤銷保護，但請勿改動表格結構和已填的表頭。',
  ];
  lines.forEach((text, i) => {
    const cell = ws.getCell(i + 1, 1);
    cell.value = text;
    cell.font = { name: FONT, size: i === 0 ? 14 : 11, bold: i === 0 };
    cell.alignment = { wrapText: true, vertical: 'top' };
  });
}

/** Protects the template sheet with no password: the clerk can select everything and type only where cells are unlocked. */
async function protect(workbook: ExcelJS.Workbook): Promise<void> {
  const ws = workbook.getWorksheet(TEMPLATE_SHEET);
  if (!ws) return;
  await ws.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatColumns: true,
    formatRows: true,
    formatCells: false,
    insertRows: false,
    insertColumns: false,
    deleteRows: false,
    deleteColumns: false,
    sort: false,
    autoFilter: false,
  });
}
