// 晾曬通報 as content (docs/design.md, "The supervision loop"): who is praised and who is named, and the
// bulletin's sentences as catalogue messages built from the data. Pure: the pipeline reads the data and
// lays the messages out as a Word document in the reader's language.
import type { LagStatus } from '../lagStatus';
import { msg, type Message } from '../messages';

/** A row of ranking(as_of) (queries/ranking.sql), as much as the bulletin uses. */
export interface BulletinRankingRow {
  rank: number;
  district: string;
  schedule_attainment: number | null;
  completion: number;
  tie_rank: number;
  metric_count: number;
  missing_count: number;
  seriously_behind_count: number;
}

export type MentionKind = 'praised' | 'named';

export interface BulletinMention {
  district: string;
  mention: MentionKind;
  rank: number;
  schedule_attainment: number | null;
  completion: number;
  seriously_behind_count: number;
}

/**
 * Who the bulletin praises and names, from the ranking alone:
 * - praised: the first `praised` places (competition rank, so a tie at the cut is praised whole) among
 *   districts that have a schedule to be judged on (schedule_attainment not NULL);
 * - named: the last `named` places the same way, among the districts behind schedule
 *   (schedule_attainment < 1) that are not praised.
 * In rank order, praised first.
 */
export function bulletinMentions(ranking: readonly BulletinRankingRow[], counts: { praised: number; named: number }): BulletinMention[] {
  const judged = [...ranking].filter((r) => r.schedule_attainment !== null).sort((a, b) => a.rank - b.rank);
  const mention = (r: BulletinRankingRow, kind: MentionKind): BulletinMention => ({
    district: r.district,
    mention: kind,
    rank: r.rank,
    schedule_attainment: r.schedule_attainment,
    completion: r.completion,
    seriously_behind_count: r.seriously_behind_count,
  });
  const praised = counts.praised > 0 ? judged.filter((r) => r.tie_rank <= counts.praised) : [];
  const praisedSet = new Set(praised.map((r) => r.district));
  let named: BulletinRankingRow[] = [];
  if (counts.named > 0 && judged.length > 0) {
    const cut = judged[Math.max(0, judged.length - counts.named)].tie_rank;
    named = judged.filter((r) => r.tie_rank >= cut && (r.schedule_attainment ?? 1) < 1 && !praisedSet.has(r.district));
  }
  return [...praised.map((r) => mention(r, 'praised')), ...named.map((r) => mention(r, 'named'))];
}

/** A seriously behind metric of a named district, as the bulletin lists it. */
export interface BulletinLaggingMetric {
  metric_id: string;
  label: string;
  completion: number | null;
  expected_ratio: number;
}

export interface BulletinCase {
  district: string;
  metric_id: string;
  label: string | null;
  due_on: string;
}

/** Everything a bulletin says, as data; the messages are built from it by bulletinSections. */
export interface BulletinInput {
  year: number;
  asOf: string;
  /** 第n期: this bulletin's number among the year's current bulletins. */
  issueNo: number;
  /** The previous bulletin's as_of (cases are told since then); undefined for the first. */
  since?: string;
  ranking: readonly BulletinRankingRow[];
  mentions: readonly BulletinMention[];
  /** lag statuses over every judged (district, metric): how many have each. */
  statusCounts: Readonly<Record<LagStatus, number>>;
  expectedDistricts: readonly string[];
  receivedDistricts: readonly string[];
  /** By district: the seriously behind metrics of each named district. */
  lagging: ReadonlyMap<string, readonly BulletinLaggingMetric[]>;
  /** Events since `since` (or all up to asOf for the first bulletin). */
  caseCounts: { opened: number; closed: number; reopened: number };
  activeCases: number;
  overdueCases: readonly BulletinCase[];
}

export interface BulletinSection {
  heading: Message;
  paragraphs: Message[];
}

/** "2024年10月31日", as a message so it follows the reader's script. */
export function dateMessage(iso: string): Message {
  const [year, month, day] = iso.split('-').map(Number);
  return msg('bulletin.date', { year, month, day });
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** Joins items with 、 as the bulletin's sentences list them. */
function list(items: readonly Message[]): Message {
  return items.reduce<Message>((acc, item, i) => (i === 0 ? item : msg('bulletin.join', { a: acc, b: item })), msg('bulletin.none'));
}

/** The body of the bulletin: five numbered sections, each with its sentences from the data. */
export function bulletinSections(input: BulletinInput): BulletinSection[] {
  const { asOf, ranking, mentions, statusCounts: s } = input;
  const judged = ranking.filter((r) => r.schedule_attainment !== null);
  const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
  const overall: Message[] = [
    msg('bulletin.overall', {
      date: dateMessage(asOf),
      districts: ranking.length,
      pairs: Object.values(s).reduce((a, b) => a + b, 0),
      onTrack: s.on_track,
      behind: s.behind,
      serious: s.seriously_behind,
      overdue: s.overdue,
      stalled: s.stalled,
      missing: s.missing,
      completion: pct(mean(ranking.map((r) => r.completion))),
      attainment: pct(mean(judged.map((r) => r.schedule_attainment as number))),
    }),
  ];
  const late = input.expectedDistricts.filter((d) => !input.receivedDistricts.includes(d));
  overall.push(
    late.length === 0
      ? msg('bulletin.reports.all', { expected: input.expectedDistricts.length })
      : msg('bulletin.reports.late', { expected: input.expectedDistricts.length, received: input.receivedDistricts.length, names: late.join('、') }),
  );

  const praised = mentions.filter((m) => m.mention === 'praised');
  const praise: Message[] =
    praised.length === 0
      ? [msg('bulletin.praised.none')]
      : [
          msg('bulletin.praised', {
            list: list(praised.map((m) => msg('bulletin.praised.item', { district: m.district, rank: m.rank, attainment: pct(m.schedule_attainment), completion: pct(m.completion) }))),
          }),
        ];

  const named = mentions.filter((m) => m.mention === 'named');
  const name: Message[] = [];
  for (const m of named) {
    const row = ranking.find((r) => r.district === m.district);
    const metrics = input.lagging.get(m.district) ?? [];
    name.push(
      msg('bulletin.named.head', { district: m.district, attainment: pct(m.schedule_attainment), completion: pct(m.completion), rank: m.rank, total: ranking.length }),
    );
    if (metrics.length > 0) {
      name.push(
        msg('bulletin.named.serious', {
          count: metrics.length,
          metrics: list(metrics.map((x) => msg('bulletin.metric', { metric: x.metric_id, label: x.label, completion: pct(x.completion ?? 0), expected: pct(x.expected_ratio) }))),
        }),
      );
    }
    if (row && row.missing_count > 0) name.push(msg('bulletin.named.missing', { count: row.missing_count }));
  }
  if (named.length === 0) name.push(msg('bulletin.named.none'));
  else name.push(msg('bulletin.named.close'));

  const c = input.caseCounts;
  const cases: Message[] = [
    input.since
      ? msg('bulletin.cases.since', { since: dateMessage(input.since), opened: c.opened, closed: c.closed, reopened: c.reopened })
      : msg('bulletin.cases.first', { date: dateMessage(asOf), opened: c.opened, closed: c.closed, reopened: c.reopened }),
  ];
  if (input.activeCases === 0) cases.push(msg('bulletin.cases.none'));
  else if (input.overdueCases.length === 0) cases.push(msg('bulletin.cases.active', { active: input.activeCases }));
  else {
    cases.push(
      msg('bulletin.cases.overdue', {
        active: input.activeCases,
        overdue: input.overdueCases.length,
        list: list(input.overdueCases.map((x) => msg('bulletin.case.item', { district: x.district, metric: x.metric_id, label: x.label ?? '', due: dateMessage(x.due_on) }))),
      }),
    );
  }

  return [
    { heading: msg('bulletin.h.overall'), paragraphs: overall },
    { heading: msg('bulletin.h.praised'), paragraphs: praise },
    { heading: msg('bulletin.h.named'), paragraphs: name },
    { heading: msg('bulletin.h.cases'), paragraphs: cases },
    { heading: msg('bulletin.h.next'), paragraphs: [msg('bulletin.next')] },
  ];
}
