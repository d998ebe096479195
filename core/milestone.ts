// The free-text 工作計劃和進度安排 of 附件1 read into dated steps and per-metric milestones (docs/design.md,
// "Milestones"): "3月底前完成20%; 6月底前累計開工保障房不少於50萬平方米; 11月底前全麵完成" → due dates
// with expected completion ratios. Works on either script, full-width forms and stray spaces. Never throws.
//
// How a step's expectation is found (first that applies, per metric):
// - rate metrics: a rate "保障率達到81%" → expectedRate 0.81, expectedRatio 0.81 / target rate;
// - an amount in the metric's unit ("不少於100個", "6萬人") → amount / city target;
// - a percentage ("完成20%", "占比進度30%", "完成率達50%以上") → that ratio; "任務過半" → 0.5;
// - completion words ("全麵完成", "完成全部…", "確保完成目標任務") → 1; "基本完成" → 0.9;
// - otherwise the step is qualitative: a milestone with its text and no ratio.
// Numbers that do not measure progress are skipped: per-month cadences ("每月完成250堂"), numbers whose
// object is a plan or list ("完成100條公交線路方案"), amounts after start verbs ("進場施工60個") unless the
// metric itself counts starts ("新開工保障房"), ranges ("1-5星"). Only Arabic digits count as amounts in
// plan text (Chinese numerals there are ordinals and names: "第二劑次", "五個等級").
import { isoDate, monthEnd, parseDateText } from './dates';
import { msg, type Message } from './messages';
import type { Metric, Milestone } from './model';
import { parseChineseNumber } from './quantity';
import { matchKey, stripInvisible, tidyText, toHalfWidth } from './text';

export interface MilestoneContext {
  year: number;
  projectNo: number;
  /** This project's metrics (label, unit, kind, cityTarget). */
  metrics: Metric[];
  /** ISO date of 預計完成時間; not used for parsing (validation compares steps against it). */
  deadline?: string;
}

export interface MilestoneStep {
  dueDate: string;
  /** First month's end, for recurring steps ("4月-8月…"). */
  fromDate?: string;
  /** The step as written, tidied. */
  text: string;
  /** What the step's expectation is made of; 'qualitative' when it gives no number. */
  kind: 'ratio' | 'amount' | 'completion' | 'rate' | 'qualitative';
  /** Metrics the step applies to (a bracketed sub-plan's metric, else all the project's metrics). */
  metricIds: string[];
  /** Which labelled sub-plan it belongs to (0, 1, …), when the text has them: each is its own sequence. */
  subPlan?: number;
}

export interface ParsedPlan {
  steps: MilestoneStep[];
  /** One per (step, metric), qualitative steps included (no ratio). */
  milestones: Milestone[];
  /** The labelled sub-plan each milestone belongs to, when the text has them (see MilestoneStep.subPlan). */
  subPlanOf: Map<Milestone, number>;
  /** Text that is not a dated step: preambles, notes, dateless sentences. */
  undated: string[];
  /** Steps that do not count, and why (a catalogue message). */
  problems: { message: Message; text: string }[];
}

// ---------------------------------------------------------------------------------------------------
// Dates (written in a step; calendar arithmetic is core/dates.ts)

const MONTH = '(\\d{1,2}|十[一二]?|[一二三四五六七八九])';
const DAY = '(\\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])';
const YEAR = '(?:(\\d{4})\\s*年\\s*)?';
const MONTH_END = '(?:\\s*(?:份|底|末))?(?:\\s*(?:之前|以前|前))?';
const NOT_AFTER_NUMBER = '(?<![\\d.一二三四五六七八九十第])';

// One alternation, most specific first; group numbers are read in findDates.
const DATE_PATTERN = new RegExp(
  [
    // 1: range "4月-8月", "1-3月", "2024年10月至11月底"
    `${NOT_AFTER_NUMBER}${YEAR}${MONTH}\\s*(?:月(?:\\s*(?:份|初|底|末))?)?\\s*[-~～至到—–]+\\s*${YEAR}${MONTH}\\s*月${MONTH_END}`,
    // 2: day "5月18日"
    `${NOT_AFTER_NUMBER}${YEAR}${MONTH}\\s*月\\s*${DAY}\\s*[日号號](?:\\s*(?:之前|以前|前))?`,
    // 3: month "11月底前", "9月份", "4月"
    `${NOT_AFTER_NUMBER}${YEAR}${MONTH}\\s*月${MONTH_END}`,
    // 4: year end, first half, quarter end
    `(?:年底|年末)(?:\\s*(?:之前|以前|前))?`,
    `上半年(?:\\s*(?:之前|以前|前))?`,
    `第?([一二三四1-4])\\s*季度(?:\\s*(?:末|底))?(?:\\s*(?:之前|以前|前))?`,
  ]
    .map((p) => `(${p})`)
    .join('|'),
  'g',
);

interface FoundDate {
  start: number;
  end: number;
  dueDate?: string;
  fromDate?: string;
  /** Why the date cannot exist, when it cannot. */
  problem?: Message;
}

function numberOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  return parseChineseNumber(text);
}

function monthEndOrProblem(year: number, month: number | undefined, written: string): { date?: string; problem?: Message } {
  if (month === undefined || !Number.isInteger(month) || month < 1 || month > 12) {
    return { problem: msg('milestone.bad-month', { written }) };
  }
  return { date: monthEnd(year, month) };
}

/** Dates in a half-width text, with positions in that text. */
function findDates(text: string, planYear: number): FoundDate[] {
  const found: FoundDate[] = [];
  for (const m of text.matchAll(DATE_PATTERN)) {
    const start = m.index ?? 0;
    const written = m[0];
    const base = { start, end: start + written.length };
    // Group layout: 1 range(2 y1, 3 m1, 4 y2, 5 m2), 6 day(7 y, 8 m, 9 d), 10 month(11 y, 12 m), 13 year end, 14 half, 15 quarter(16 q).
    if (m[1] !== undefined) {
      const y1 = m[2] ? Number(m[2]) : planYear;
      const y2 = m[4] ? Number(m[4]) : y1;
      const from = monthEndOrProblem(y1, numberOf(m[3]), written);
      const to = monthEndOrProblem(y2, numberOf(m[5]), written);
      const problem = from.problem ?? to.problem ?? (from.date! > to.date! ? msg('milestone.range-reversed', { written }) : undefined);
      found.push(problem ? { ...base, problem } : { ...base, fromDate: from.date, dueDate: to.date });
    } else if (m[6] !== undefined) {
      const year = m[7] ? Number(m[7]) : planYear;
      const month = numberOf(m[8]);
      const dayOfMonth = numberOf(m[9]);
      const day = month !== undefined && dayOfMonth !== undefined ? isoDate(year, month, dayOfMonth) : undefined;
      found.push(day ? { ...base, dueDate: day } : { ...base, problem: msg('milestone.bad-day', { written }) });
    } else if (m[10] !== undefined) {
      const year = m[11] ? Number(m[11]) : planYear;
      const r = monthEndOrProblem(year, numberOf(m[12]), written);
      found.push(r.problem ? { ...base, problem: r.problem } : { ...base, dueDate: r.date });
    } else if (m[13] !== undefined) {
      found.push({ ...base, dueDate: monthEnd(planYear, 12) });
    } else if (m[14] !== undefined) {
      found.push({ ...base, dueDate: monthEnd(planYear, 6) });
    } else if (m[15] !== undefined) {
      const q = numberOf(m[16]);
      found.push(q ? { ...base, dueDate: monthEnd(planYear, q * 3) } : { ...base, problem: msg('milestone.bad-quarter', { written }) });
    }
  }
  return found;
}

/**
 * The date a deadline cell means: "11月底" → "2024-11-30", "12月" → "2024-12-31", "5月18日" → that day.
 * Not a date (or a date that cannot exist) → undefined.
 */
export function parseDeadline(text: string, year: number): string | undefined {
  if (typeof text !== 'string' || !Number.isInteger(year)) return undefined;
  const clean = toHalfWidth(stripInvisible(text));
  const date = findDates(clean, year)[0];
  if (date) return date.dueDate;
  // A whole date (2024-11-30, 2024/11/30, 20241130, or a date cell read as such): that day, in the plan's year only.
  const day = parseDateText(clean.trim());
  return day?.startsWith(`${year}-`) ? day : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Reading numbers in a step (on matchKey text: simplified, half-width, no spaces or quotes)

const COMPLETION_VERBS = ['完成', '完工', '建成', '竣工', '达到', '达'];
const START_VERBS = ['进场', '启动', '开工', '开始'];
const PLAN_OBJECTS = /方案|名单|清单|计划|选点/;
const PER_PERIOD = /每月|每个月|每周|每季|每年|月均/;
const RATE_BEFORE = /率(?:达到|达|为|至|提高到|提高至|提升到|提升至)?$/;

interface NumberHit {
  start: number;
  end: number;
  value: number;
  percent: boolean;
  /** The 、-delimited piece of text around it, split at the number. */
  before: string;
  after: string;
  /** The comma-delimited clause, for finding which metric a label names. */
  clauseStart: number;
  clauseEnd: number;
}

function boundsIn(text: string, pos: number, delimiters: RegExp): [number, number] {
  let s = pos;
  while (s > 0 && !delimiters.test(text[s - 1])) s--;
  let e = pos;
  while (e < text.length && !delimiters.test(text[e])) e++;
  return [s, e];
}

const PIECE_DELIMITERS = /[,;:、@。]/;
const CLAUSE_DELIMITERS = /[,;:@。]/;

function numberHits(folded: string): NumberHit[] {
  const hits: NumberHit[] = [];
  const add = (start: number, end: number, value: number, percent: boolean) => {
    const [ps, pe] = boundsIn(folded, start, PIECE_DELIMITERS);
    const [cs, ce] = boundsIn(folded, start, CLAUSE_DELIMITERS);
    hits.push({ start, end, value, percent, before: folded.slice(ps, start), after: folded.slice(end, pe), clauseStart: cs, clauseEnd: ce });
  };
  for (const m of folded.matchAll(/(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])/g)) {
    const start = m.index ?? 0;
    let end = start + m[0].length;
    const prev = folded.slice(Math.max(0, start - 2), start);
    const next = folded.slice(end, end + 2);
    if (/^[-~至到]\d/.test(next) || /\d[-~至到]$/.test(prev) || prev.endsWith('第')) continue; // ranges, ordinals
    const multipliers = /^[万亿]*/.exec(folded.slice(end))![0];
    let exp = 0;
    for (const c of multipliers) exp += c === '亿' ? 8 : 4;
    end += multipliers.length;
    const approx = /^(?:余|多)/.exec(folded.slice(end))?.[0] ?? '';
    const value = Number(`${m[1]}e${exp}`);
    if (folded[end + approx.length] === '%' && exp === 0) {
      add(start, end + approx.length + 1, value / 100, true);
    } else {
      add(start, end + approx.length, value, false);
    }
  }
  for (const m of folded.matchAll(/百分之([\d.]+|[零〇一二两三四五六七八九十百]+)/g)) {
    const n = parseChineseNumber(m[1]);
    if (n !== undefined) add(m.index ?? 0, (m.index ?? 0) + m[0].length, n / 100, true);
  }
  return hits;
}

function lastVerb(before: string): string | undefined {
  let best: { at: number; verb: string } | undefined;
  for (const verb of [...COMPLETION_VERBS, ...START_VERBS]) {
    const at = before.lastIndexOf(verb);
    if (at >= 0 && (!best || at + verb.length > best.at + best.verb.length)) best = { at, verb };
  }
  return best?.verb;
}

/** Whether a number measures progress of a metric with this label (see the header for the exclusions). */
function measuresProgress(hit: NumberHit, labelKey: string): boolean {
  if (PER_PERIOD.test(hit.before)) return false;
  if (PLAN_OBJECTS.test(hit.after)) return false;
  const verb = lastVerb(hit.before);
  if (verb && START_VERBS.includes(verb) && !labelKey.includes(verb)) return false;
  return true;
}

function afterCompletionVerb(hit: NumberHit): boolean {
  return COMPLETION_VERBS.some((v) => hit.before.includes(v));
}

/** Picks the number a step means: one after a completion verb if any, else the first. */
function preferred<T extends NumberHit>(hits: T[]): T | undefined {
  return hits.find(afterCompletionVerb) ?? hits[0];
}

// ---------------------------------------------------------------------------------------------------
// Metrics: units, labels, targets

interface MetricInfo {
  metric: Metric;
  labelKey: string;
  /** matchKey of the unit amounts are written in; "" when unknown. */
  unitKey: string;
  /** City target as the denominator of amounts (a compound's both parts). */
  total: number;
}

const UNIT_SYNONYMS: Record<string, string[]> = { 公里: ['千米', 'km'], 平方米: ['平米', '㎡', 'm2', 'm²'] };

function metricInfo(metric: Metric): MetricInfo {
  const labelKey = matchKey(typeof metric.label === 'string' ? metric.label : '');
  let unitKey = metric.kind === 'rate' ? '' : matchKey(typeof metric.unit === 'string' ? metric.unit : '');
  if (unitKey === '' && metric.kind !== 'rate') {
    // "859萬" leaves the unit out; the label "…達到859萬人" says it.
    unitKey = /\d+(?:\.\d+)?[万亿]?([\p{Script=Han}]{1,2})/u.exec(labelKey)?.[1]?.replace(/[的以及和]$/, '') ?? '';
  }
  const total = (Number.isFinite(metric.cityTarget) ? metric.cityTarget : 0) + (metric.kind === 'compound' ? metric.cityTargetExtra ?? 0 : 0);
  return { metric, labelKey, unitKey, total };
}

/** Length of the unit of `info` written at the start of `text`, or 0. */
function unitAt(text: string, info: MetricInfo): number {
  if (!info.unitKey) return 0;
  for (const spelling of [info.unitKey, ...(UNIT_SYNONYMS[info.unitKey] ?? [])]) {
    if (!text.startsWith(spelling)) continue;
    if (spelling === '人' && text[1] === '次') return 0; // 人次 is another unit
    return spelling.length;
  }
  return 0;
}

/** Two-character pieces of a label, numbers and brackets left out. */
function bigrams(key: string): Set<string> {
  const words = key.replace(/[\d.]+[万亿]?/g, ' ').replace(/[()[\]【】%]/g, '');
  const out = new Set<string>();
  for (let i = 0; i + 1 < words.length; i++) {
    const pair = words.slice(i, i + 2);
    if (!/\s/.test(pair)) out.add(pair);
  }
  return out;
}

/**
 * Among metrics sharing a unit, the one whose label a clause names closest to the number: each metric is
 * known by the label pieces no other candidate has ("養護" vs "新改建"). Undefined when no single one wins.
 */
function namedByLabel(candidates: MetricInfo[], folded: string, hit: NumberHit): MetricInfo | undefined {
  const grams = candidates.map((c) => bigrams(c.labelKey));
  const distances = candidates.map((_, i) => {
    const own = [...grams[i]].filter((g) => grams.every((other, j) => j === i || !other.has(g)));
    let distance = Infinity;
    for (const g of own) {
      for (let at = folded.indexOf(g, hit.clauseStart); at >= 0 && at < hit.clauseEnd; at = folded.indexOf(g, at + 1)) {
        const d = at + 2 <= hit.start ? hit.start - (at + 2) : at >= hit.end ? at - hit.end : 0;
        distance = Math.min(distance, d);
      }
    }
    return distance;
  });
  const nearest = Math.min(...distances);
  if (nearest === Infinity) return undefined;
  const winners = candidates.filter((_, i) => distances[i] === nearest);
  return winners.length === 1 ? winners[0] : undefined;
}

/** The metrics an amount measures: by unit, then label, then an exact target; else all of them together. */
function measuredMetrics(infos: MetricInfo[], folded: string, hit: NumberHit): MetricInfo[] {
  const rest = folded.slice(hit.end);
  let longest = 0;
  for (const info of infos) longest = Math.max(longest, unitAt(rest, info));
  if (longest === 0) return [];
  const candidates = infos.filter((info) => unitAt(rest, info) === longest);
  if (candidates.length === 1) return candidates;
  const named = namedByLabel(candidates, folded, hit);
  if (named) return [named];
  const exact = candidates.filter((c) => Math.abs(c.total - hit.value) < 1e-9);
  if (exact.length === 1) return exact;
  return candidates;
}

// ---------------------------------------------------------------------------------------------------
// Completion words

const FULL_COMPLETION = [
  /全面完成/,
  /全部完成/,
  /完成全部/,
  /完成所有/,
  /所有项目(?:全部)?(?:完工|完成|建成)/,
  /全部(?:完工|建成|竣工)/,
  /完成[^,;:]*?(?:目标任务|年度任务|任务目标|目标值|指标任务)/,
];

/** 1 for "全麵完成", 0.9 for "基本完成", 0.5 for "任務過半"; undefined when the step says none of these. */
function completionRatio(folded: string): number | undefined {
  let ratio: number | undefined;
  const note = (r: number, at: number, length: number) => {
    const [, pieceEnd] = boundsIn(folded, at, PIECE_DELIMITERS);
    if (PLAN_OBJECTS.test(folded.slice(at + length, pieceEnd))) return; // "全部完成方案編製" is about a plan
    ratio = Math.max(ratio ?? 0, r);
  };
  for (const m of folded.matchAll(/基本完成/g)) note(0.9, m.index ?? 0, m[0].length);
  const withoutBasic = folded.replace(/基本完成/g, '@@@@');
  for (const pattern of FULL_COMPLETION) {
    for (const m of withoutBasic.matchAll(new RegExp(pattern.source, 'g'))) note(1, m.index ?? 0, m[0].length);
  }
  for (const m of folded.matchAll(/任务过半/g)) note(0.5, m.index ?? 0, m[0].length);
  return ratio;
}

// ---------------------------------------------------------------------------------------------------
// Splitting the text

interface Block {
  /** Start and end in the whole text. */
  start: number;
  end: number;
  metrics: MetricInfo[];
  /** The labelled sub-plan's number; absent for text before the first label, or when there are none. */
  subPlan?: number;
}

/** A sub-plan's label at the start of a line: "（一）", "(二)", "三、", "1.", "2、", "(3)", "④". */
const LINE_LABEL = /(?:^|\n)[ \t]*(?:\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、|\d{1,2}(?:[.、)](?!\d))|\(\d{1,2}\)|[\u2460-\u2473])[ \t]*([^\n:;,。]*)/g;

/**
 * Labelled sub-plans, each owning the text after its label: bracketed headings anywhere ("[新開工保障房
 * 100萬平方米] …; 【分配公租房…6000套】 …"), or, with no brackets, two or more lines that start with an
 * enumeration ("（一）…", "1.…"); the heading names the metric the sub-plan measures, if it can.
 */
function splitBlocks(half: string, infos: MetricInfo[], problems: ParsedPlan['problems']): Block[] {
  const bracketed = [...half.matchAll(/\[([^[\]]*)\]|【([^【】]*)】/g)].map((h) => ({ at: h.index ?? 0, start: (h.index ?? 0) + h[0].length, heading: h[1] ?? h[2] ?? '', shown: `[${tidyText(h[1] ?? h[2] ?? '')}]` }));
  const lines = [...half.matchAll(LINE_LABEL)].map((h) => {
    const at = (h.index ?? 0) + (h[0].startsWith('\n') ? 1 : 0);
    const label = h[0].slice(h[0].startsWith('\n') ? 1 : 0, h[0].length - h[1].length);
    return { at, start: at + label.length, heading: h[1], shown: tidyText(h[0]) };
  });
  // A numbered list of single steps is one sequence; numbered lines are sub-plans when each holds a sequence.
  const datesIn = (i: number) => findDates(half.slice(lines[i].start, i + 1 < lines.length ? lines[i + 1].at : half.length), 2000).length;
  const subPlanLines = lines.length >= 2 && lines.filter((_, i) => datesIn(i) >= 2).length >= 2;
  const headings = bracketed.length > 0 ? bracketed : subPlanLines ? lines : [];
  if (headings.length === 0) return [{ start: 0, end: half.length, metrics: infos }];
  const blocks: Block[] = [];
  const firstAt = headings[0].at;
  if (half.slice(0, firstAt).trim() !== '') blocks.push({ start: 0, end: firstAt, metrics: infos });
  headings.forEach((h, i) => {
    const end = i + 1 < headings.length ? headings[i + 1].at : half.length;
    const named = headingMetrics(h.heading, infos);
    if (named.length === 0 && infos.length > 0 && bracketed.length > 0) {
      problems.push({ message: msg('milestone.block-unassigned'), text: h.shown });
    }
    blocks.push({ start: h.start, end, metrics: named.length > 0 ? named : infos, subPlan: i });
  });
  return blocks;
}

/** The metrics a heading names: by its number and unit equal to a target, else by label. */
function headingMetrics(heading: string, infos: MetricInfo[]): MetricInfo[] {
  const folded = matchKey(heading);
  const byTarget = new Set<MetricInfo>();
  for (const hit of numberHits(folded)) {
    if (hit.percent) continue;
    const rest = folded.slice(hit.end);
    for (const info of infos) {
      if (unitAt(rest, info) > 0 && Math.abs(info.total - hit.value) < 1e-9) byTarget.add(info);
    }
  }
  if (byTarget.size > 0) return [...byTarget];
  const whole: NumberHit = { start: folded.length, end: folded.length, value: 0, percent: false, before: folded, after: '', clauseStart: 0, clauseEnd: folded.length };
  const named = namedByLabel(infos, folded, whole);
  return named ? [named] : [];
}

interface Piece {
  start: number;
  end: number;
  date?: FoundDate;
}

/**
 * Splits a block into segments (; 。 line breaks), then each segment into dated steps: a comma-separated
 * part that holds a further date starts a new step there. Text before a segment's first date, and
 * segments without dates, are undated.
 */
function splitPieces(half: string, block: Block, year: number): Piece[] {
  const pieces: Piece[] = [];
  const segments: [number, number][] = [];
  let segStart = block.start;
  for (let i = block.start; i <= block.end; i++) {
    if (i === block.end || /[;。\n\r]/.test(half[i])) {
      if (i > segStart) segments.push([segStart, i]);
      segStart = i + 1;
    }
  }
  for (const [s0, e] of segments) {
    let s = s0;
    // "…推進計劃為: 3月底前…": what precedes a colon that introduces dated steps is a preamble.
    const colonAt = lastColonBeforeDates(half, s, e, year);
    if (colonAt !== undefined) {
      pieces.push({ start: s, end: colonAt + 1 });
      s = colonAt + 1;
    }
    const dates = findDates(half.slice(s, e), year).map((d) => ({ ...d, start: d.start + s, end: d.end + s }));
    if (dates.length === 0) {
      pieces.push({ start: s, end: e });
      continue;
    }
    let cursor = s;
    dates.forEach((date, i) => {
      const lowerBound = i === 0 ? s : dates[i - 1].end;
      const comma = half.lastIndexOf(',', date.start - 1);
      const stepStart = comma >= lowerBound ? comma + 1 : i === 0 ? s : date.start;
      if (stepStart > cursor) {
        if (i === 0) pieces.push({ start: cursor, end: stepStart });
        else pieces[pieces.length - 1].end = stepStart;
      }
      pieces.push({ start: stepStart, end: e, date });
      cursor = stepStart;
    });
  }
  return pieces;
}

function lastColonBeforeDates(half: string, s: number, e: number, year: number): number | undefined {
  // lastIndexOf(':', -1) would find position 0 again: stop at the segment start.
  for (let at = half.lastIndexOf(':', e - 1); at >= s; at = at > 0 ? half.lastIndexOf(':', at - 1) : -1) {
    if (findDates(half.slice(at + 1, e), year).length > 0) return at;
  }
  return undefined;
}

function tidyStep(text: string): string {
  return tidyText(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/^[\s,，;；:：、。]+|[\s,，;；:：、。]+$/g, '');
}

// ---------------------------------------------------------------------------------------------------
// Expectations of one step

interface Expectation {
  ratio?: number;
  rate?: number;
  source: MilestoneStep['kind'];
}

function expectationsOf(folded: string, infos: MetricInfo[]): Map<MetricInfo, Expectation> {
  const hits = numberHits(folded);
  const percents = hits.filter((h) => h.percent);
  const rateHits = percents.filter((h) => RATE_BEFORE.test(h.before) && !/完成率(?:达到|达|为|至)?$/.test(h.before));
  const ratioHits = percents.filter((h) => !rateHits.includes(h));
  const amountHits = hits.filter((h) => !h.percent).map((h) => ({ ...h, metrics: measuredMetrics(infos, folded, h) }));
  const completion = completionRatio(folded);

  const out = new Map<MetricInfo, Expectation>();
  for (const info of infos) {
    const counts = (h: NumberHit) => measuresProgress(h, info.labelKey);
    if (info.metric.kind === 'rate') {
      const rate = preferred(rateHits.filter(counts));
      const target = info.metric.cityTarget;
      if (rate) {
        out.set(info, { rate: rate.value, ratio: target > 0 ? rate.value / target : undefined, source: 'rate' });
        continue;
      }
    } else {
      const amount = preferred(amountHits.filter((h) => h.metrics.includes(info) && counts(h)));
      if (amount) {
        const total = amount.metrics.reduce((sum, m) => sum + m.total, 0);
        out.set(info, { ratio: total > 0 ? amount.value / total : undefined, source: 'amount' });
        continue;
      }
    }
    const percent = preferred(ratioHits.filter(counts));
    if (percent) {
      out.set(info, { ratio: percent.value, source: 'ratio' });
    } else if (completion !== undefined) {
      const rate = info.metric.kind === 'rate' && completion === 1 ? info.metric.cityTarget : undefined;
      out.set(info, rate === undefined ? { ratio: completion, source: 'completion' } : { ratio: 1, rate, source: 'completion' });
    } else {
      out.set(info, { source: 'qualitative' });
    }
  }
  return out;
}

const KIND_ORDER: MilestoneStep['kind'][] = ['rate', 'amount', 'ratio', 'completion', 'qualitative'];

// ---------------------------------------------------------------------------------------------------

/**
 * Parses a 工作計劃和進度安排 text into dated steps and per-metric milestones of the plan year.
 * Never throws; what it cannot read goes to `undated` or `problems`.
 */
export function parseMilestones(planText: string, ctx: MilestoneContext): ParsedPlan {
  const result: ParsedPlan = { steps: [], milestones: [], subPlanOf: new Map(), undated: [], problems: [] };
  if (typeof planText !== 'string') return result;
  const year = Number.isInteger(ctx?.year) ? ctx.year : new Date().getFullYear();
  const metrics = Array.isArray(ctx?.metrics) ? ctx.metrics : [];
  const infos = metrics.map(metricInfo);
  // stripInvisible first: every later position refers to this text, and toHalfWidth keeps lengths.
  const original = stripInvisible(planText);
  const half = toHalfWidth(original);

  const blocks = splitBlocks(half, infos, result.problems);
  const labelled = blocks.some((b) => b.subPlan !== undefined);
  for (const block of blocks) {
    const subPlan = labelled ? (block.subPlan ?? -1) : undefined;
    for (const piece of splitPieces(half, block, year)) {
      const text = tidyStep(original.slice(piece.start, piece.end));
      if (text === '') continue;
      if (!piece.date) {
        result.undated.push(text);
        continue;
      }
      if (piece.date.problem || !piece.date.dueDate) {
        result.problems.push({ message: msg('milestone.step-skipped', { problem: piece.date.problem ?? msg('milestone.date-unreadable') }), text });
        continue;
      }
      // The step's own date must not be read as an amount.
      const local = { start: piece.date.start - piece.start, end: piece.date.end - piece.start };
      const masked = half.slice(piece.start, piece.end);
      const folded = matchKey(masked.slice(0, local.start) + '@' + masked.slice(local.end));
      const expectations = expectationsOf(folded, block.metrics);

      const sources = new Set([...expectations.values()].map((e) => e.source));
      const kind = KIND_ORDER.find((k) => sources.has(k)) ?? 'qualitative';
      const step: MilestoneStep = {
        dueDate: piece.date.dueDate,
        ...(piece.date.fromDate ? { fromDate: piece.date.fromDate } : {}),
        text,
        kind,
        metricIds: block.metrics.map((i) => i.metric.id),
        ...(subPlan !== undefined ? { subPlan } : {}),
      };
      result.steps.push(step);

      for (const info of block.metrics) {
        const e = expectations.get(info);
        let ratio = e?.ratio;
        if (ratio !== undefined && (!Number.isFinite(ratio) || ratio > 1.5 || ratio < 0)) {
          result.problems.push({ message: msg('milestone.ratio-out-of-range', { metric: info.metric.id, percent: Math.round(ratio * 100) }), text });
          ratio = undefined;
        }
        const milestone: Milestone = {
          metricId: info.metric.id,
          projectNo: ctx.projectNo,
          dueDate: step.dueDate,
          ...(step.fromDate ? { fromDate: step.fromDate } : {}),
          ...(ratio !== undefined ? { expectedRatio: ratio } : {}),
          ...(e?.rate !== undefined ? { expectedRate: e.rate } : {}),
          text,
        };
        result.milestones.push(milestone);
        if (subPlan !== undefined) result.subPlanOf.set(milestone, subPlan);
      }
    }
  }
  return result;
}
