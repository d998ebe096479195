// The year-end assessment's rules (考核細則) as data (docs/design.md, "The year-end assessment"): who is
// assessed, the components with their points, each component's scoring method from a small closed set,
// tiers, the 行政獎勵 quota and per-metric weights. Read from the workbook the 督查室 edits
// (rulesWorkbook.ts), stored in the assessment tables, applied by queries/assessment.sql. Nothing here is
// a weight or a threshold: those only ever come from a rules workbook.
import { z } from 'zod';

/** Who is assessed: the districts, and the city's lead departments (牽頭單位). */
export const ASSESSEE_TYPES = ['district', 'lead_unit'] as const;
export const AssesseeType = z.enum(ASSESSEE_TYPES);
export type AssesseeType = z.infer<typeof AssesseeType>;

/**
 * What a component measures. Ratios (0..1): completion (year-end completion of the targets), schedule
 * (schedule attainment over the year's month ends), satisfaction and third_party (scores ÷ their scale).
 * Counts: workload (the (district, metric) targets a lead unit carries), participation (recorded
 * participations in supervision). Events: bulletins (times praised, times named).
 */
export const SOURCES = ['completion', 'schedule', 'satisfaction', 'third_party', 'bulletins', 'participation', 'workload'] as const;
export const Source = z.enum(SOURCES);
export type Source = z.infer<typeof Source>;

/**
 * How a measure becomes points. linear: the points × where the measure sits between 下限 (0 points) and
 * 上限 (full points); bands: the points of the band the measure falls in; rank: the points of its rank
 * among those assessed; per_event: 基礎分 + 每次加分 × good events − 每次扣分 × bad events.
 */
export const METHODS = ['linear', 'bands', 'rank', 'per_event'] as const;
export const Method = z.enum(METHODS);
export type Method = z.infer<typeof Method>;

/** When a component's input is missing: rescale (the others are scaled up to the full points) or omit (it counts for nothing). */
export const WHEN_MISSING = ['rescale', 'omit'] as const;
export const WhenMissing = z.enum(WHEN_MISSING);
export type WhenMissing = z.infer<typeof WhenMissing>;

export const RATIO_SOURCES: readonly Source[] = ['completion', 'schedule', 'satisfaction', 'third_party'];

/** Which assessees a source can measure: bulletins name districts, workload is what a department led. */
export const SOURCE_ASSESSEES: Record<Source, readonly AssesseeType[]> = {
  completion: ASSESSEE_TYPES,
  schedule: ASSESSEE_TYPES,
  satisfaction: ASSESSEE_TYPES,
  third_party: ASSESSEE_TYPES,
  bulletins: ['district'],
  participation: ASSESSEE_TYPES,
  workload: ['lead_unit'],
};

/** The methods that make sense for a source: events are counted per event, measures are placed on a scale. */
export const SOURCE_METHODS: Record<Source, readonly Method[]> = {
  completion: ['linear', 'bands', 'rank'],
  schedule: ['linear', 'bands', 'rank'],
  satisfaction: ['linear', 'bands', 'rank'],
  third_party: ['linear', 'bands', 'rank'],
  bulletins: ['per_event'],
  participation: ['per_event', 'linear', 'bands', 'rank'],
  workload: ['linear', 'bands', 'rank'],
};

export const Setting = z.object({
  type: AssesseeType,
  /** 滿分: the components' points must add up to it. */
  fullPoints: z.number().positive(),
  /** 行政獎勵名額: at most this many (ties at the edge all count) of an award-eligible tier are candidates. */
  awardQuota: z.number().int().nonnegative(),
});
export type Setting = z.infer<typeof Setting>;

export const Assessee = z.object({
  type: AssesseeType,
  /** Canonical district name, or the lead unit's tidied name. */
  name: z.string(),
  included: z.boolean(),
});
export type Assessee = z.infer<typeof Assessee>;

export const Component = z.object({
  type: AssesseeType,
  /** 1-based order within the type, as listed. */
  no: z.number().int().positive(),
  /** 考核項目 as written: 完成情況, 滿意度測評 … */
  name: z.string(),
  /** 分值: full points. */
  points: z.number().positive(),
  source: Source,
  method: Method,
  /** linear: the measure at which it scores 0 (下限) and full points (上限). */
  lower: z.number().optional(),
  upper: z.number().optional(),
  /** per_event: 基礎分, 每次加分, 每次扣分, and the lowest it can fall to (最低得分, default 0). */
  basePoints: z.number().optional(),
  plusPoints: z.number().optional(),
  minusPoints: z.number().optional(),
  minPoints: z.number().optional(),
  /** 每件督辦扣分: points off per 掛牌督辦 case on the assessee's metrics, when cases are recorded. */
  caseDeduction: z.number().optional(),
  whenMissing: WhenMissing,
  note: z.string().optional(),
});
export type Component = z.infer<typeof Component>;

/** A band of a bands component: measures in [lower, upper) score `points`; an open end is undefined. */
export const Band = z.object({
  type: AssesseeType,
  component: z.string(),
  lower: z.number().optional(),
  upper: z.number().optional(),
  points: z.number(),
});
export type Band = z.infer<typeof Band>;

/** Ranks from..to (to undefined: and below) of a rank component score `points`. */
export const RankPoints = z.object({
  type: AssesseeType,
  component: z.string(),
  from: z.number().int().positive(),
  to: z.number().int().positive().optional(),
  points: z.number(),
});
export type RankPoints = z.infer<typeof RankPoints>;

/** 等次: the highest tier whose 最低分 the total reaches (the lowest tier has none). */
export const Tier = z.object({
  type: AssesseeType,
  /** 1 = the best tier. */
  order: z.number().int().positive(),
  name: z.string(),
  minTotal: z.number().optional(),
  awardEligible: z.boolean(),
});
export type Tier = z.infer<typeof Tier>;

/** A metric's weight in completion and schedule (評價細則); a metric not listed weighs 1. */
export const Weight = z.object({
  metricId: z.string().regex(/^\d+-\d+$/),
  weight: z.number().nonnegative(),
});
export type Weight = z.infer<typeof Weight>;

export const RuleSet = z.object({
  year: z.number().int(),
  settings: z.array(Setting),
  assessees: z.array(Assessee),
  components: z.array(Component),
  bands: z.array(Band),
  rankPoints: z.array(RankPoints),
  tiers: z.array(Tier),
  weights: z.array(Weight),
});
export type RuleSet = z.infer<typeof RuleSet>;

/** The kinds of external input (外部評價), loaded from workbooks like the progress reports. */
export const INPUT_KINDS = ['satisfaction', 'third_party', 'participation'] as const;
export const InputKind = z.enum(INPUT_KINDS);
export type InputKind = z.infer<typeof InputKind>;
