// Assembles the domain Plan from the two attachments' sheet structures: projects, metrics with ids
// "<project>-<k>", district targets, responsibilities and milestones, with the two attachments linked.
import type { BreakdownRow, BreakdownSheet } from './breakdown';
import { districtNamesOf } from './districtNames';
import { planText } from './messages/lang';
import { parseDeadline, parseMilestones, type ParsedPlan } from './milestone';
import { metricId, type Category, type Metric, type MetricKind, type Milestone, type Plan, type Project, type Quantity, type Responsibility, type Target } from './model';
import type { ResponsibilityRow, ResponsibilitySheet } from './responsibility';
import { matchKey, splitList, splitPersonNames, tidyText, toHalfWidth } from './text';

export interface PlanSources {
  breakdown?: BreakdownSheet;
  responsibility?: ResponsibilitySheet;
  /** Used when neither sheet's title names a year. */
  year?: number;
}

/** How a 附件1 row was matched to a 附件2 project. */
export interface ProjectLink {
  responsibilityRow: ResponsibilityRow;
  projectNo?: number;
  by: 'name' | 'order' | 'none';
}

export interface AssembledPlan {
  plan: Plan;
  /** The metric rows of 附件2, by metric id, for locating issues. */
  metricRows: Map<string, BreakdownRow>;
  links: ProjectLink[];
  /** Parsed 工作計劃和進度安排 per 附件1 row (keyed by the row number). */
  schedules: Map<number, ParsedPlan>;
}

export function assemblePlan(sources: PlanSources): AssembledPlan {
  const year = sources.breakdown?.year ?? sources.responsibility?.year ?? sources.year ?? new Date().getFullYear();
  const { projects, metrics, targets, metricRows } = sources.breakdown
    ? fromBreakdown(sources.breakdown)
    : { projects: [] as Project[], metrics: [] as Metric[], targets: [] as Target[], metricRows: new Map<string, BreakdownRow>() };
  const rRows = sources.responsibility?.rows ?? [];
  const links = linkProjects(rRows, projects);
  const categories = categoriesOf(rRows);
  const categoryNoOf = (row: ResponsibilityRow) => categories.find((c) => c.name === row.categoryName)?.no ?? row.categoryNo ?? 0;
  const responsibilities: Responsibility[] = [];
  const milestones: Milestone[] = [];
  const schedules = new Map<number, ParsedPlan>();
  const metricsOf = new Map<number, Metric[]>();
  for (const m of metrics) {
    const list = metricsOf.get(m.projectNo);
    if (list) list.push(m);
    else metricsOf.set(m.projectNo, [m]);
  }
  const projectByNo = new Map(projects.map((p) => [p.no, p]));
  for (const link of links) {
    const row = link.responsibilityRow;
    const projectNo = link.projectNo ?? row.projectNo;
    const deadline = parseDeadline(row.deadline.text, year);
    responsibilities.push({
      projectNo,
      categoryNo: categoryNoOf(row),
      projectName: row.name.text,
      leaders: splitPersonNames(row.leaders.text),
      leadUnit: row.leadUnit.text,
      leadUnitLeaders: splitPersonNames(row.leadUnitLeaders.text),
      coordinatingUnits: splitList(row.coordinatingUnits.text),
      deadline,
      deadlineText: row.deadline.text,
      planText: row.planText.text,
    });
    const schedule = parseMilestones(row.planText.text, {
      year,
      projectNo,
      metrics: metricsOf.get(projectNo) ?? [],
      deadline,
    });
    schedules.set(row.row, schedule);
    milestones.push(...schedule.milestones);
    const project = projectByNo.get(projectNo);
    if (project) project.categoryNo = categoryNoOf(row);
  }
  if (projects.length === 0) {
    // 附件1 alone: its rows are the projects.
    for (const link of links) {
      projects.push({ no: link.responsibilityRow.projectNo, name: link.responsibilityRow.name.text, categoryNo: categoryNoOf(link.responsibilityRow) });
    }
  }
  const districtNames = districtNamesOf(sources.breakdown, planText({ projects }));
  const plan: Plan = { year, categories, projects, metrics, targets, responsibilities, milestones, districtNames };
  return { plan, metricRows, links, schedules };
}

function fromBreakdown(sheet: BreakdownSheet) {
  const projects: Project[] = [];
  const metrics: Metric[] = [];
  const targets: Target[] = [];
  const metricRows = new Map<string, BreakdownRow>();
  const byProject = new Map<number, BreakdownRow[]>();
  for (const row of sheet.rows) {
    if (row.projectNo === undefined) continue;
    const list = byProject.get(row.projectNo) ?? [];
    list.push(row);
    byProject.set(row.projectNo, list);
  }
  for (const [projectNo, rows] of byProject) {
    const first = rows[0];
    const note = rows.find((r) => r.note)?.note?.text;
    projects.push({ no: projectNo, name: first.projectName, leadUnit: first.leadUnit?.text, note });
    // Every row that states a target is a metric, numbered in row order; an unreadable target keeps
    // its number (so later ids do not shift) but stays out of the plan until it is fixed.
    const withTarget = rows.filter(statesTarget);
    for (let i = 0; i < withTarget.length; i++) {
      const row = withTarget[i];
      const id = metricId(projectNo, i + 1);
      metricRows.set(id, row);
      const metric = metricOf(projectNo, i + 1, row, first.projectName, withTarget.length);
      if (!metric) continue;
      metrics.push(metric);
      if (metric.kind === 'city-only') continue;
      for (const cell of row.cells) {
        const t = targetOf(id, cell.district, cell.quantity);
        if (t) targets.push(t);
      }
    }
  }
  return { projects, metrics, targets, metricRows };
}

/** Whether a row states a target: in its 量化目標, or in a district cell when that is empty. */
function statesTarget(row: BreakdownRow): boolean {
  if (row.target.quantity?.kind !== 'none') return true;
  for (const c of row.cells) {
    const kind = c.quantity?.kind;
    if (kind === 'count' || kind === 'rate' || kind === 'compound') return true;
  }
  return false;
}

function metricOf(projectNo: number, k: number, row: BreakdownRow, projectName: string, metricCount: number): Metric | undefined {
  const q = row.target.quantity;
  if (!q || q.kind === 'none') return undefined;
  const anyCompound = row.cells.some((c) => c.quantity?.kind === 'compound');
  const kind: MetricKind = row.note ? 'city-only' : q.kind === 'rate' ? 'rate' : q.kind === 'compound' || anyCompound ? 'compound' : 'count';
  const label = metricLabel(row, q, projectName, metricCount);
  const unit = q.kind === 'rate' ? '%' : unitOf(q) || row.cells.map((c) => unitOf(c.quantity)).find((u) => u) || unitFromText(label, q.value);
  return {
    id: metricId(projectNo, k),
    projectNo,
    k,
    label,
    unit,
    kind,
    cityTarget: q.value,
    cityTargetExtra: q.kind === 'compound' ? q.extra : undefined,
  };
}

function unitOf(q: Quantity | undefined): string {
  return q && (q.kind === 'count' || q.kind === 'compound') ? q.unit : '';
}

function targetOf(id: string, district: string, q: Quantity | undefined): Target | undefined {
  if (!q || q.kind === 'none') return undefined;
  if (q.kind === 'compound') return { metricId: id, district, target: q.value, targetExtra: q.extra };
  return { metricId: id, district, target: q.value };
}

/**
 * What a metric measures, in words: the label in the target cell ("20條(城鄉公交)" → 城鄉公交), the row's
 * own name, or the clause of the project name that states the target's number.
 */
export function metricLabel(row: BreakdownRow, q: Quantity, projectName: string, metricCount: number): string {
  if (q.kind === 'count' && q.label) return q.label;
  if (row.ownName) return row.ownName;
  if (metricCount <= 1 || q.kind === 'none') return projectName;
  const clauses = toHalfWidth(projectName).split(/[,;]/).map((c) => c.trim()).filter(Boolean);
  const hit = clausesStating(clauses, q.value);
  if (hit.length === 1) return hit[0];
  const parts = clauses.flatMap((c) => c.split('、'));
  const unit = unitOf(q);
  const fine = clausesStating(parts, q.value).filter((p) => !unit || matchKey(p).includes(matchKey(unit)));
  return fine.length >= 1 ? fine[0] : projectName;
}

function clausesStating(clauses: string[], value: number): string[] {
  return clauses.filter((c) => numbersIn(c).some((n) => Math.abs(n - value) < 1e-9));
}

/** Numbers written in a text, 萬 expanded ("6萬個" → 60000, "85.8萬人次" → 858000). */
function numbersIn(text: string): number[] {
  const out: number[] = [];
  for (const m of toHalfWidth(text).matchAll(/(\d+(?:\.\d+)?)\s*([萬万])?/g)) {
    out.push(Number(m[1]) * (m[2] ? 10000 : 1));
  }
  return out;
}

/** "全市長期護理保險投保人數達到859萬人" states the unit the target cell "859萬" leaves out. */
function unitFromText(text: string, value: number): string {
  for (const m of toHalfWidth(text).matchAll(/(\d+(?:\.\d+)?)\s*([萬万])?\s*([^\d\s,、()]{1,2})/g)) {
    if (Math.abs(Number(m[1]) * (m[2] ? 10000 : 1) - value) < 1e-9) return m[3].replace(/[的以上]$/, '');
  }
  return '';
}

/** Categories in order of first appearance; a category repeated after a page break is one category. */
function categoriesOf(rows: ResponsibilityRow[]): Category[] {
  const categories: Category[] = [];
  for (const row of rows) {
    if (!row.categoryName) continue;
    const key = matchKey(row.categoryName);
    if (categories.some((c) => matchKey(c.name) === key)) continue;
    categories.push({ no: row.categoryNo ?? categories.length + 1, name: tidyText(row.categoryName) });
  }
  return categories;
}

/** Comparable form of a project name: folded, without punctuation. */
export function projectNameKey(name: string): string {
  return matchKey(name).replace(/[()（）,，、;；:：.。!！?？\-—]/g, '');
}

/**
 * Links 附件1 rows to 附件2 projects: by name first, then by order where the names are still alike
 * (the two attachments word some projects slightly differently).
 */
function linkProjects(rows: ResponsibilityRow[], projects: Project[]): ProjectLink[] {
  const taken = new Set<number>();
  const byName = new Map(projects.map((p) => [projectNameKey(p.name), p.no]));
  const byNo = new Map(projects.map((p) => [p.no, p]));
  const links: ProjectLink[] = rows.map((r) => {
    const no = byName.get(projectNameKey(r.name.text));
    if (no !== undefined && !taken.has(no)) {
      taken.add(no);
      return { responsibilityRow: r, projectNo: no, by: 'name' as const };
    }
    return { responsibilityRow: r, by: 'none' as const };
  });
  for (const link of links) {
    if (link.by !== 'none') continue;
    const candidate = byNo.get(link.responsibilityRow.projectNo);
    if (candidate && !taken.has(candidate.no) && similarity(projectNameKey(candidate.name), projectNameKey(link.responsibilityRow.name.text)) >= 0.5) {
      taken.add(candidate.no);
      link.projectNo = candidate.no;
      link.by = 'order';
    }
  }
  return links;
}

/** Share of character bigrams two texts have in common (Dice coefficient). */
export function similarity(a: string, b: string): number {
  const grams = (s: string) => {
    const chars = [...s];
    const out = new Map<string, number>();
    for (let i = 0; i + 1 < chars.length; i++) out.set(chars[i] + chars[i + 1], (out.get(chars[i] + chars[i + 1]) ?? 0) + 1);
    return out;
  };
  const ga = grams(a);
  const gb = grams(b);
  let common = 0;
  for (const [g, n] of ga) common += Math.min(n, gb.get(g) ?? 0);
  const total = [...ga.values()].reduce((x, y) => x + y, 0) + [...gb.values()].reduce((x, y) => x + y, 0);
  return total === 0 ? 0 : (2 * common) / total;
}
