// The 點位 sheet a district fills in (docs/design.md, "The supervision loop"), as pure layout like the
// progress template (core/templateLayout.ts): cells, styles, merges, data validation (a metric list, a
// status list, dates in the plan year, coordinates in the city), print setup and protection. Two writers
// draw it — pipeline/sites/siteTemplate.ts with ExcelJS and the add-in with Office.js — and
// core/sites/readSites.ts reads it back. A second sheet lists the district's metrics (the drop-down's
// source and the lookup of project and metric names); a third holds the instructions.
import { isoDateToSerial } from '../dates';
import { canonicalDistrict } from '../districtMatch';
import { shownDistrict } from '../districtNames';
import { a1, columnLetter, type CellRange } from '../grid';
import { translator, type Lang } from '../messages';
import { MessageError } from '../messages/messageError';
import type { Plan } from '../model';
import { districtMetrics } from '../submission';
import { HEADER_FILL, INPUT_FILL, landscapePrint, type CellStyle, type LayoutCell, type LayoutValue, type SheetLayout } from '../templateLayout';
import { CITY_BOUNDS, sitesNeeded } from './siteMetrics';
import type { SiteRow } from './readSites';
import { SITE_STATUSES } from './siteColumns';

/** Columns of the 點位 sheet, in order (readSites finds them by label, in any order). */
export const SITE_SHEET_COLUMNS = ['serial', 'metric_id', 'project', 'label', 'name', 'address', 'planned_start', 'planned_finish', 'status', 'finished_on', 'longitude', 'latitude', 'note'] as const;
export type SiteSheetColumn = (typeof SITE_SHEET_COLUMNS)[number];
const COL = Object.fromEntries(SITE_SHEET_COLUMNS.map((c, i) => [c, i + 1])) as Record<SiteSheetColumn, number>;
const WIDTHS: Record<SiteSheetColumn, number> = {
  serial: 6,
  metric_id: 10,
  project: 28,
  label: 18,
  name: 26,
  address: 30,
  planned_start: 12,
  planned_finish: 12,
  status: 8,
  finished_on: 12,
  longitude: 10,
  latitude: 10,
  note: 22,
};
const INPUT_COLUMNS: readonly SiteSheetColumn[] = ['metric_id', 'name', 'address', 'planned_start', 'planned_finish', 'status', 'finished_on', 'longitude', 'latitude', 'note'];
const DATE_COLUMNS: readonly SiteSheetColumn[] = ['planned_start', 'planned_finish', 'finished_on'];
export const SITE_HEADER_ROW = 4;
const DATE_FORMAT = 'yyyy-mm-dd';
const HINT_COLOR = '595959';

/** A site as a clerk (or the demo) might have typed it, for a filled template: a row of a list, wherever it goes. */
export type SiteFill = Omit<SiteRow, 'row'>;

/** A data-validation rule over a range, in words both writers map to their own API. */
export type SiteRule =
  | { kind: 'list'; range: string; source: string; title: string; prompt: string; error: string }
  | { kind: 'date'; range: string; from: string; to: string; title: string; prompt: string; error: string }
  | { kind: 'decimal'; range: string; min: number; max: number; title: string; prompt: string; error: string };

export interface SiteSheetLayout extends SheetLayout {
  district: string;
  year: number;
  rules: SiteRule[];
  /** Rows open for sites: SITE_HEADER_ROW + 1 .. lastRow. */
  lastRow: number;
  /** The district's metrics: the drop-down's source and the lookup's table. */
  metricsSheet: { name: string; cells: LayoutCell[]; columnWidths: number[] };
  /** Metrics counted in sites and how many sites they need in all. */
  siteMetrics: number;
  sitesNeeded: number;
  help: { sheet: string; lines: string[] };
}

/**
 * The 點位 sheet for one district. Throws a MessageError when the district is not recognised or has
 * nothing in the plan that sites could be listed for.
 */
export function siteSheetLayout(plan: Plan, district: string, lang: Lang, options: { fill?: readonly SiteFill[]; city?: string } = {}): SiteSheetLayout {
  const say = translator(lang);
  const name = canonicalDistrict(district);
  // The sheet names its district as the plan writes it; the layout keeps the canonical name, the key.
  const shown = shownDistrict(plan.districtNames, name);
  const metrics = districtMetrics(plan, name).filter((dm) => dm.metric.kind === 'count' || dm.metric.kind === 'compound');
  if (metrics.length === 0) throw new MessageError({ id: 'sites.template.nothing', params: { district: shown, year: plan.year } });
  const metricsSheetName = say('sites.sheet.metrics');
  const needed = metrics.map((dm) => sitesNeeded(dm.metric, dm.target));
  const totalNeeded = needed.reduce<number>((a, n) => a + (n ?? 0), 0);
  const fill = options.fill ?? [];
  const rows = Math.min(3000, Math.max(30, totalNeeded + Math.max(20, Math.ceil(totalNeeded * 0.2)), fill.length + 10));
  const first = SITE_HEADER_ROW + 1;
  const lastRow = SITE_HEADER_ROW + rows;

  const cells: LayoutCell[] = [];
  const merges: CellRange[] = [];
  const last = SITE_SHEET_COLUMNS.length;
  merges.push({ top: 1, left: 1, bottom: 1, right: last }, { top: 2, left: 1, bottom: 2, right: 6 }, { top: 3, left: 1, bottom: 3, right: last });
  cells.push({ row: 1, col: 1, value: say('sites.title', { year: plan.year, city: options.city ?? '杭州市' }), style: { font: { size: 16, bold: true }, alignment: { horizontal: 'center', vertical: 'middle' } } });
  cells.push({ row: 2, col: 1, value: say('sites.district', { district: shown }), style: { font: { size: 12, bold: true } } });
  cells.push({ row: 3, col: 1, value: say('sites.hint', { year: plan.year }), style: { font: { size: 10, italic: true, color: HINT_COLOR }, alignment: { wrapText: true, vertical: 'middle' } } });
  SITE_SHEET_COLUMNS.forEach((c, i) =>
    cells.push({
      row: SITE_HEADER_ROW,
      col: i + 1,
      value: say(`sites.col.${c}`),
      style: { font: { size: 11, bold: true }, fill: HEADER_FILL, border: 'thin', alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } },
    }),
  );

  const lookupRange = `'${metricsSheetName}'!$A$2:$C$${metrics.length + 1}`;
  for (let r = first; r <= lastRow; r++) {
    const site = fill[r - first];
    const put = (col: SiteSheetColumn, value: LayoutValue, numberFormat?: string) => {
      const input = INPUT_COLUMNS.includes(col);
      const style: CellStyle = {
        border: 'thin',
        font: { size: 11 },
        alignment: { vertical: 'middle', ...(col === 'serial' || col === 'metric_id' || col === 'status' ? { horizontal: 'center' as const } : {}) },
        ...(input ? { fill: INPUT_FILL, unlocked: true } : {}),
      };
      cells.push(numberFormat ? { row: r, col: COL[col], value, numberFormat, style } : { row: r, col: COL[col], value, style });
    };
    const id = a1(r, COL.metric_id);
    const known = site ? metrics.find((dm) => dm.metric.id === site.metricId) : undefined;
    put('serial', r - SITE_HEADER_ROW);
    put('metric_id', site?.metricId ?? null, '@');
    put('project', { formula: `IF(${id}="","",IFERROR(VLOOKUP(${id},${lookupRange},2,FALSE),""))`, result: known?.project?.name ?? '' });
    put('label', { formula: `IF(${id}="","",IFERROR(VLOOKUP(${id},${lookupRange},3,FALSE),""))`, result: known?.metric.label ?? '' });
    put('name', site?.name ?? null, '@');
    put('address', site?.address ?? null, '@');
    put('planned_start', site ? isoDateToSerial(site.plannedStart) : null, DATE_FORMAT);
    put('planned_finish', site ? isoDateToSerial(site.plannedFinish) : null, DATE_FORMAT);
    put('status', site ? say(`sites.status.${site.status}`) : null, '@');
    put('finished_on', site?.finishedOn ? isoDateToSerial(site.finishedOn) : null, DATE_FORMAT);
    put('longitude', site?.longitude ?? null, '0.000000');
    put('latitude', site?.latitude ?? null, '0.000000');
    put('note', site?.note ?? null, '@');
  }

  const column = (c: SiteSheetColumn) => `${columnLetter(COL[c])}${first}:${columnLetter(COL[c])}${lastRow}`;
  const yearFrom = `${plan.year}-01-01`;
  const yearTo = `${plan.year}-12-31`;
  const b = CITY_BOUNDS;
  const rules: SiteRule[] = [
    {
      kind: 'list',
      range: column('metric_id'),
      source: `='${metricsSheetName}'!$A$2:$A$${metrics.length + 1}`,
      title: say('sites.rule.metric.title'),
      prompt: say('sites.rule.metric.prompt', { sheet: metricsSheetName }),
      error: say('sites.rule.metric.error'),
    },
    {
      kind: 'list',
      range: column('status'),
      source: SITE_STATUSES.map((s) => say(`sites.status.${s}`)).join(','),
      title: say('sites.rule.status.title'),
      prompt: say('sites.rule.status.prompt'),
      error: say('sites.rule.status.error'),
    },
    ...DATE_COLUMNS.map(
      (c): SiteRule => ({
        kind: 'date',
        range: column(c),
        from: yearFrom,
        to: yearTo,
        title: say('sites.rule.date.title'),
        prompt: say('sites.rule.date.prompt', { year: plan.year }),
        error: say('sites.rule.date.error', { year: plan.year }),
      }),
    ),
    {
      kind: 'decimal',
      range: column('longitude'),
      min: b.minLongitude,
      max: b.maxLongitude,
      title: say('sites.rule.longitude.title'),
      prompt: say('sites.rule.longitude.prompt', { min: b.minLongitude, max: b.maxLongitude }),
      error: say('sites.rule.coordinate.error'),
    },
    {
      kind: 'decimal',
      range: column('latitude'),
      min: b.minLatitude,
      max: b.maxLatitude,
      title: say('sites.rule.latitude.title'),
      prompt: say('sites.rule.latitude.prompt', { min: b.minLatitude, max: b.maxLatitude }),
      error: say('sites.rule.coordinate.error'),
    },
  ];

  const metricsCells: LayoutCell[] = [];
  const headerStyle: CellStyle = { font: { size: 11, bold: true }, fill: HEADER_FILL, border: 'thin', alignment: { horizontal: 'center', vertical: 'middle' } };
  (['metric_id', 'project', 'label', 'unit', 'target', 'sites_needed'] as const).forEach((c, i) => metricsCells.push({ row: 1, col: i + 1, value: say(`sites.col.${c}`), style: headerStyle }));
  metrics.forEach((dm, i) => {
    const style: CellStyle = { font: { size: 11 }, border: 'thin', alignment: { vertical: 'middle' } };
    const row = i + 2;
    metricsCells.push(
      { row, col: 1, value: dm.metric.id, numberFormat: '@', style },
      { row, col: 2, value: dm.project?.name ?? '', style },
      { row, col: 3, value: dm.metric.label, style },
      { row, col: 4, value: dm.metric.unit, style },
      { row, col: 5, value: dm.total, style },
      { row, col: 6, value: needed[i] ?? say('sites.sites_needed.none'), style },
    );
  });

  return {
    sheet: say('sites.sheet.list'),
    district: name,
    year: plan.year,
    cells,
    merges,
    rowHeights: { 1: 32, 2: 22, 3: 44, [SITE_HEADER_ROW]: 24 },
    columnWidths: SITE_SHEET_COLUMNS.map((c) => WIDTHS[c]),
    frozenRows: SITE_HEADER_ROW,
    activeCell: a1(first, COL.metric_id),
    rules,
    print: landscapePrint(SITE_HEADER_ROW, `A1:${a1(lastRow, last)}`, '&P / &N'),
    lastRow,
    metricsSheet: { name: metricsSheetName, cells: metricsCells, columnWidths: [10, 36, 24, 8, 10, 12] },
    siteMetrics: needed.filter((n) => n !== undefined).length,
    sitesNeeded: totalNeeded,
    help: {
      sheet: say('sites.sheet.help'),
      lines: [
        say('sites.sheet.help'),
        say('sites.instructions.1', { district: shown, year: plan.year }),
        say('sites.instructions.2', { sheet: metricsSheetName }),
        say('sites.instructions.3'),
        say('sites.instructions.4'),
        say('sites.instructions.5', { year: plan.year }),
        say('sites.instructions.6'),
        say('sites.instructions.7'),
      ],
    },
  };
}
