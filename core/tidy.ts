// The tidy sheet 規範數據: one row per (metric, district), written by normalisation and readable back
// into the plan's metrics and targets.
import { DISTRICTS, resolveDistrict } from './districts';
import { GridView, type CellValue, type Grid } from './grid';
import { MetricKind, type Metric, type Plan, type Target } from './model';
import { matchKey, tidyText } from './text';

export const TIDY_SHEET = '規範數據';
/** 區縣 of a city-only metric's row: the target belongs to the whole city, not to a district. */
export const WHOLE_CITY = '全市';

export const TIDY_HEADER = ['指標編號', '序號', '項目名稱', '指標', '區縣', '目標值', '提升值', '計量單位', '指標類型'] as const;

/** `districtName` writes a canonical district name as the sheet shows it (the plan's script). */
export function tidyRows(plan: Plan, districtName: (canonical: string) => string = (d) => d): CellValue[][] {
  const order = new Map(DISTRICTS.map((d) => [d.name, d.order]));
  const orderOf = (t: Target) => order.get(t.district) ?? 99;
  const rows: CellValue[][] = [];
  const projectByNo = new Map(plan.projects.map((p) => [p.no, p]));
  const targetsOf = new Map<string, Target[]>();
  for (const t of plan.targets) {
    const list = targetsOf.get(t.metricId);
    if (list) list.push(t);
    else targetsOf.set(t.metricId, [t]);
  }
  for (const metric of plan.metrics) {
    const project = projectByNo.get(metric.projectNo);
    const name = project?.name ?? '';
    if (metric.kind === 'city-only') {
      rows.push([metric.id, metric.projectNo, name, metric.label, WHOLE_CITY, metric.cityTarget, metric.cityTargetExtra ?? null, metric.unit, metric.kind]);
      continue;
    }
    const targets = targetsOf.get(metric.id) ?? [];
    // Targets come in 附件2's column order, which is usually the districts' own: sorted only when not.
    if (!inOrder(targets, orderOf)) targets.sort((a, b) => orderOf(a) - orderOf(b));
    for (const t of targets) rows.push([metric.id, metric.projectNo, name, metric.label, districtName(t.district), t.target, t.targetExtra ?? null, metric.unit, metric.kind]);
  }
  return rows;
}

function inOrder(targets: Target[], orderOf: (t: Target) => number): boolean {
  for (let i = 1; i < targets.length; i++) if (orderOf(targets[i - 1]) > orderOf(targets[i])) return false;
  return true;
}

export function isTidySheet(grid: Grid): boolean {
  const first = grid.values[0] ?? [];
  return TIDY_HEADER.every((label, i) => matchKey(String(first[i] ?? '')) === matchKey(label));
}

/**
 * Reads a tidy sheet back into metrics and targets. The city targets of district-level metrics are the
 * sums of their rows (that is what 附件2 validation guarantees); rate metrics take the 市本級-free common rate.
 */
export function readTidy(grid: Grid): { metrics: Metric[]; targets: Target[] } {
  const view = new GridView(grid);
  const metrics = new Map<string, Metric>();
  const targets: Target[] = [];
  for (let row = view.firstRow + 1; row <= view.lastRow; row++) {
    const cell = (i: number) => view.value(row, view.firstCol + i);
    const id = tidyText(String(cell(0) ?? ''));
    if (!/^\d+-\d+$/.test(id)) continue;
    const kind = MetricKind.safeParse(cell(8));
    const target = Number(cell(5));
    const extra = cell(6) === null || cell(6) === '' ? undefined : Number(cell(6));
    if (!kind.success || !Number.isFinite(target)) continue;
    const [projectNo, k] = id.split('-').map(Number);
    const metric = metrics.get(id) ?? {
      id,
      projectNo,
      k,
      label: String(cell(3) ?? ''),
      unit: String(cell(7) ?? ''),
      kind: kind.data,
      cityTarget: 0,
    };
    // Written in the plan's script (临平区 in a simplified plan); the target is keyed by the canonical name.
    const written = tidyText(String(cell(4) ?? ''));
    const match = resolveDistrict(written);
    const district = match.kind === 'exact' || match.kind === 'alias' ? match.district.name : written;
    if (kind.data === 'city-only' || district === WHOLE_CITY) {
      metric.cityTarget = target;
      if (extra !== undefined) metric.cityTargetExtra = extra;
    } else {
      targets.push({ metricId: id, district, target, ...(extra !== undefined ? { targetExtra: extra } : {}) });
      // Rounded: decimal targets (84.3公裏 + 69.7公裏 ...) must add up to the written 677, not 676.9999999999999.
      metric.cityTarget = kind.data === 'rate' ? target : Math.round((metric.cityTarget + target + (extra ?? 0)) * 1e6) / 1e6;
    }
    metrics.set(id, metric);
  }
  return { metrics: [...metrics.values()], targets };
}

