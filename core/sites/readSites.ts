// Reads a 點位 list (docs/design.md, "The supervision loop"): the generated sheet
// (core/sites/siteLayout.ts) or one an office made itself, found by its header labels in either script.
// Every problem is an issue at its cell; a list with any error is refused whole by the caller, so what
// the store keeps was valid as a whole.
import { isDateFormat, parseDateValue } from '../dates';
import { a1, GridView, isBlank, type CellValue, type Grid } from '../grid';
import { findHeader } from '../header';
import { issue, type Issue, type IssueCode } from '../issues';
import { msg, type Message } from '../messages';
import type { Metric, Plan } from '../model';
import { Context } from '../submission/context';
import { readDistrictLabel } from '../submission/labels';
import { matchKey, squeeze, tidyText, toHalfWidth } from '../text';
import { siteColumnSpecs, siteStatusFromText, SITE_STATUSES, type SiteColumnKey, type SiteStatus } from './siteColumns';
import { CITY_BOUNDS } from './siteMetrics';

export interface SiteRow {
  /** The sheet row it was read from. */
  row: number;
  metricId: string;
  name: string;
  address: string;
  plannedStart: string;
  plannedFinish: string;
  status: SiteStatus;
  finishedOn?: string;
  longitude?: number;
  latitude?: number;
  note?: string;
}

export interface SiteListReading {
  sheet: string;
  /** The 填報單位, when it could be read. */
  district?: string;
  sites: SiteRow[];
  issues: Issue[];
}

/** The header of a 點位 list: names and addresses, and a way to tell the metric. */
function findSiteHeader(view: GridView) {
  const found = findHeader(view, siteColumnSpecs(), { minMatches: 3 });
  if (!found) return undefined;
  const cols: Partial<Record<SiteColumnKey, number>> = {};
  for (const c of found.cells) if (cols[c.key] === undefined) cols[c.key] = c.col;
  if (cols.name === undefined || cols.address === undefined || (cols.metric_id === undefined && cols.project === undefined)) return undefined;
  return { row: found.bottom, cols };
}

/** Is this sheet a 點位 list? */
export function detectSiteList(grid: Grid): boolean {
  return grid.values.length > 0 && findSiteHeader(new GridView(grid)) !== undefined;
}

/** Every sheet of a workbook that is a 點位 list; when none is, one reading that says so. */
export function readSiteWorkbook(grids: readonly Grid[], plan: Plan): SiteListReading[] {
  const lists = grids.filter(detectSiteList).map((g) => readSiteList(g, plan));
  if (lists.length > 0) return lists;
  const sheet = grids[0]?.sheet ?? '';
  return [{ sheet, sites: [], issues: [issue('site-header-missing', { sheet }, msg('issue.site-header-missing', { sheet }))] }];
}

function number(v: CellValue): number | undefined | 'invalid' {
  if (isBlank(v)) return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? v : 'invalid';
  if (typeof v !== 'string') return 'invalid';
  const t = squeeze(toHalfWidth(v)).replace(/[°度]$/, '');
  return /^-?\d+(?:\.\d+)?$/.test(t) ? Number(t) : 'invalid';
}

export function readSiteList(grid: Grid, plan: Plan): SiteListReading {
  const view = new GridView(grid);
  const sheet = grid.sheet;
  const header = findSiteHeader(view);
  if (!header) return { sheet, sites: [], issues: [issue('site-header-missing', { sheet }, msg('issue.site-header-missing', { sheet }))] };
  const ctx = new Context(sheet, view, plan);
  const district = readDistrictLabel(ctx, header.row)?.name;
  const issues: Issue[] = [...ctx.issues];
  const add = (code: IssueCode, cell: string, message: Message) => issues.push(issue(code, { sheet, cell }, message));
  const { cols } = header;
  const metrics = new Map(plan.metrics.map((m) => [m.id, m]));
  const byProject = new Map(plan.projects.map((p) => [matchKey(p.name), p.no]));
  const statusWords = SITE_STATUSES.map((s) => msg(`sites.status.${s}`));
  const known = statusWords.reduce<Message>((acc, w, i) => (i === 0 ? w : msg('bulletin.join', { a: acc, b: w })), msg('bulletin.none'));
  const cellOf = (row: number, key: SiteColumnKey) => a1(row, cols[key] ?? cols.name!);
  const value = (row: number, key: SiteColumnKey): CellValue => (cols[key] === undefined ? null : view.value(row, cols[key]!));
  const text = (row: number, key: SiteColumnKey) => {
    const v = value(row, key);
    return isBlank(v) ? '' : tidyText(String(v));
  };
  // What a clerk types; 項目名稱 and 指標 are looked up from 指標編號 when the sheet has that column.
  const inputKeys = (Object.keys(cols) as SiteColumnKey[]).filter((k) => k !== 'label' && !(k === 'project' && cols.metric_id !== undefined));
  const sites: SiteRow[] = [];
  const names = new Map<string, number>();
  const addresses = new Map<string, { row: number; metricId: string }>();

  const metricOf = (row: number): Metric | undefined => {
    const id = squeeze(toHalfWidth(text(row, 'metric_id')));
    if (id) {
      const metric = metrics.get(id);
      if (!metric) add('site-unknown-metric', cellOf(row, 'metric_id'), msg('issue.site-unknown-metric', { cell: cellOf(row, 'metric_id'), written: text(row, 'metric_id') }));
      return metric;
    }
    const project = text(row, 'project');
    if (!project) {
      add('site-metric-missing', cellOf(row, 'metric_id'), msg('issue.site-metric-missing', { cell: cellOf(row, 'metric_id'), row, project: '' }));
      return undefined;
    }
    const projectNo = byProject.get(matchKey(project));
    if (projectNo === undefined) {
      add('site-unknown-metric', cellOf(row, 'project'), msg('issue.site-unknown-metric', { cell: cellOf(row, 'project'), written: project }));
      return undefined;
    }
    const candidates = plan.metrics.filter((m) => m.projectNo === projectNo && (!district || ctx.target(district, m.id)));
    const label = matchKey(text(row, 'label'));
    const chosen = candidates.length === 1 ? candidates[0] : candidates.find((m) => label !== '' && matchKey(m.label) === label);
    if (!chosen) add('site-metric-missing', cellOf(row, 'project'), msg('issue.site-metric-missing', { cell: cellOf(row, 'project'), row, project }));
    return chosen;
  };

  const dateOf = (row: number, key: 'planned_start' | 'planned_finish' | 'finished_on', required: boolean): string | undefined | null => {
    const v = value(row, key);
    const cell = cellOf(row, key);
    const field = msg(`sites.field.${key}`);
    if (isBlank(v)) {
      if (required) add('site-date-missing', cell, msg('issue.site-date-missing', { cell, row, field }));
      return required ? null : undefined;
    }
    const format = cols[key] !== undefined ? view.format(row, cols[key]!) : 'General';
    const iso = parseDateValue(typeof v === 'number' && !isDateFormat(format) && v < 20000 ? String(v) : v, format, plan.year, view.date1904);
    if (!iso) {
      add('site-date-invalid', cell, msg('issue.site-date-invalid', { cell, field, written: String(v), year: plan.year }));
      return null;
    }
    if (Number(iso.slice(0, 4)) !== plan.year) {
      add('site-date-outside-year', cell, msg('issue.site-date-outside-year', { cell, field, date: iso, year: plan.year }));
      return null;
    }
    return iso;
  };

  for (let row = header.row + 1; row <= view.lastRow; row++) {
    if (inputKeys.every((k) => isBlank(value(row, k)))) continue;
    const before = issues.length;
    const metric = metricOf(row);
    if (metric && district && !ctx.target(district, metric.id)) {
      const cell = cellOf(row, cols.metric_id !== undefined ? 'metric_id' : 'project');
      add('site-metric-not-targeted', cell, msg('issue.site-metric-not-targeted', { cell, district, metric: metric.id, label: metric.label }));
    }
    const name = text(row, 'name');
    const address = text(row, 'address');
    if (!name) add('site-name-missing', cellOf(row, 'name'), msg('issue.site-name-missing', { cell: cellOf(row, 'name'), row }));
    if (!address) add('site-address-missing', cellOf(row, 'address'), msg('issue.site-address-missing', { cell: cellOf(row, 'address'), row }));
    if (name) {
      const first = names.get(matchKey(name));
      if (first !== undefined) add('site-duplicate-name', cellOf(row, 'name'), msg('issue.site-duplicate-name', { cell: cellOf(row, 'name'), name, first }));
      else names.set(matchKey(name), row);
    }
    if (address && metric) {
      const seen = addresses.get(matchKey(address));
      if (!seen) addresses.set(matchKey(address), { row, metricId: metric.id });
      else if (seen.metricId === metric.id) add('site-duplicate-address', cellOf(row, 'address'), msg('issue.site-duplicate-address', { cell: cellOf(row, 'address'), address, first: seen.row, metric: metric.id }));
      else add('site-shared-address', cellOf(row, 'address'), msg('issue.site-shared-address', { cell: cellOf(row, 'address'), address, first: seen.row, other: seen.metricId }));
    }
    const start = dateOf(row, 'planned_start', true);
    const finish = dateOf(row, 'planned_finish', true);
    if (start && finish && start > finish) add('site-dates-order', cellOf(row, 'planned_start'), msg('issue.site-dates-order', { cell: cellOf(row, 'planned_start'), start, finish }));
    const statusText = text(row, 'status');
    const status = statusText ? siteStatusFromText(statusText) : undefined;
    if (!statusText) add('site-status-missing', cellOf(row, 'status'), msg('issue.site-status-missing', { cell: cellOf(row, 'status'), row, known }));
    else if (!status) add('site-status-unknown', cellOf(row, 'status'), msg('issue.site-status-unknown', { cell: cellOf(row, 'status'), written: statusText, known }));
    const finishedOn = dateOf(row, 'finished_on', false);
    if (status === 'finished' && finishedOn === undefined) add('site-finish-date-missing', cellOf(row, 'finished_on'), msg('issue.site-finish-date-missing', { cell: cellOf(row, 'finished_on') }));
    if (status && status !== 'finished' && finishedOn) {
      add('site-finish-date-unfinished', cellOf(row, 'finished_on'), msg('issue.site-finish-date-unfinished', { cell: cellOf(row, 'finished_on'), status: statusText, date: finishedOn }));
    }
    const coordinates = readCoordinates(row);
    const errorsHere = issues.slice(before).some((i) => i.severity === 'error');
    if (errorsHere || !metric || !start || !finish || !status || coordinates === null) continue;
    sites.push({
      row,
      metricId: metric.id,
      name,
      address,
      plannedStart: start,
      plannedFinish: finish,
      status,
      ...(status === 'finished' && finishedOn ? { finishedOn } : {}),
      ...coordinates,
      ...(text(row, 'note') ? { note: text(row, 'note') } : {}),
    });
  }
  if (sites.length === 0 && !issues.some((i) => i.severity === 'error')) issues.push(issue('site-list-empty', { sheet, cell: a1(header.row + 1, cols.name!) }, msg('issue.site-list-empty')));
  return { sheet, ...(district ? { district } : {}), sites, issues };

  function readCoordinates(row: number): { longitude?: number; latitude?: number } | null {
    const lon = number(value(row, 'longitude'));
    const lat = number(value(row, 'latitude'));
    const lonCell = cellOf(row, 'longitude');
    const latCell = cellOf(row, 'latitude');
    if (lon === 'invalid' || lat === 'invalid') {
      if (lon === 'invalid') add('site-coordinates-invalid', lonCell, msg('issue.site-coordinates-invalid', { cell: lonCell, field: msg('sites.field.longitude'), written: String(value(row, 'longitude')) }));
      if (lat === 'invalid') add('site-coordinates-invalid', latCell, msg('issue.site-coordinates-invalid', { cell: latCell, field: msg('sites.field.latitude'), written: String(value(row, 'latitude')) }));
      return null;
    }
    if (lon === undefined && lat === undefined) return {};
    if (lon === undefined || lat === undefined) {
      const cell = lon === undefined ? lonCell : latCell;
      add('site-coordinates-incomplete', cell, msg('issue.site-coordinates-incomplete', { cell, given: msg(lon === undefined ? 'sites.field.latitude' : 'sites.field.longitude') }));
      return null;
    }
    const b = CITY_BOUNDS;
    const inside = (x: number, y: number) => x >= b.minLongitude && x <= b.maxLongitude && y >= b.minLatitude && y <= b.maxLatitude;
    if (!inside(lon, lat)) {
      if (inside(lat, lon)) add('site-coordinates-outside', lonCell, msg('issue.site-coordinates-outside.swapped', { cell: lonCell, longitude: lon, latitude: lat }));
      else {
        add(
          'site-coordinates-outside',
          lonCell,
          msg('issue.site-coordinates-outside', { cell: lonCell, longitude: lon, latitude: lat, minLon: b.minLongitude, maxLon: b.maxLongitude, minLat: b.minLatitude, maxLat: b.maxLatitude }),
        );
      }
      return null;
    }
    return { longitude: lon, latitude: lat };
  }
}
