// `minsheng supervise open|review|list|note`: the 督查室's 掛牌督辦 cases (docs/design.md, "The
// supervision loop"). open and review write (one transaction each); list reads. Every sentence comes
// from the SUPERVISION catalogue area in the reader's language (ctx.lang).
import * as fs from 'node:fs';
import type { Command } from 'commander';
import { LagStatus, lagStatusLabelId } from '../../../core/lagStatus';
import { translator, type Translate } from '../../../core/messages';
import { DEFAULT_LANG } from '../../../core/messages/lang';
import { MessageError } from '../../../core/messages/messageError';
import { CASE_STATUSES, caseStatusFromText, parseCasePairs, SUPERVISION_DEFAULTS, type CaseStatus } from '../../../core/supervision/rules';
import { queryObjects, type Store } from '../../db/store';
import { canonicalDistrict } from '../../../core/districtMatch';
import { shownDistrict, withDistrictShown, type DistrictNames } from '../../../core/districtNames';
import { readDistrictNames } from '../../db/plan';
import { latestCaseDate, listCases, noteCase, openCases, reviewCases, type CaseRecord } from '../../db/supervision';
import { toCsv } from '../../output/csv';
import { checkOutputFile } from '../../output/outputGuard';
import type { ResultTable } from '../../output/resultTable';
import { formatPercent, renderTable } from '../../output/table';
import { parameter, TypedDate } from '../../parameters';
import type { CliContext } from '../context';
import { helpTranslator, sayFor, withPlanScript } from '../lang';
import { dbOption, withDatabase } from '../options';

/** The reader's language, refined by the plan's own script when nothing explicit chose one (docs/design.md, "Messages and languages"). */
export async function sayWithPlan(ctx: CliContext, store: Store): Promise<Translate> {
  const choice = ctx.lang ?? { lang: DEFAULT_LANG, source: 'default' as const };
  if (choice.source !== 'default') return translator(choice.lang);
  const rows = await queryObjects(store, "SELECT string_agg(name, '') AS text FROM (SELECT name FROM projects ORDER BY project_no LIMIT 20)");
  return translator(withPlanScript(choice, typeof rows[0]?.text === 'string' ? rows[0].text : undefined));
}

/** What a supervise command shows with: the reader's language and the districts as the plan writes them. */
async function readerOf(ctx: CliContext, store: Store): Promise<{ say: Translate; names: DistrictNames }> {
  return { say: await sayWithPlan(ctx, store), names: await readDistrictNames(store) };
}

/** A lag status's word in the reader's language; a value that is no status as it is. */
function statusWord(status: string, say: Translate): string {
  const known = LagStatus.safeParse(status);
  return known.success ? say(lagStatusLabelId(known.data)) : status;
}

const percent = (gap: number | null) => (gap === null ? '—' : formatPercent(gap));

/** Days for --due: a whole number from 1 to 366. */
export function parseDueDays(text: string | undefined): number {
  if (text === undefined) return SUPERVISION_DEFAULTS.dueDays;
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 1 || n > 366) throw new MessageError({ id: 'supervise.due.invalid', params: { value: text } });
  return n;
}

function parseCaseStatuses(text: string, say: Translate): CaseStatus[] {
  return text
    .split(/[,，、\s]+/)
    .filter((p) => p !== '')
    .map((part) => {
      const status = caseStatusFromText(part);
      if (!status) throw new Error(say('supervise.status.unknown', { value: part, known: CASE_STATUSES.map((s) => `${s}（${say(`case.status.${s}`)}）`).join('、') }));
      return status;
    });
}

function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The columns `supervise list` shows and writes to CSV, in order. */
const LIST_COLUMNS = ['case_id', 'district', 'metric_id', 'label', 'lead_unit', 'opened_on', 'due_on', 'status', 'closed_on', 'reopen_count', 'gap', 'judged_on', 'reviews', 'notes'] as const;

/** The terminal shows fewer: the reviews and the lead unit are in --json and --csv. */
const SHOWN_COLUMNS = LIST_COLUMNS.filter((c) => c !== 'reviews' && c !== 'lead_unit');

/** Cases as a table: codes and numbers as stored (CSV), or words and percentages for people (terminal). */
function caseTable(cases: readonly CaseRecord[], say: Translate, names: DistrictNames, forPeople: boolean): ResultTable {
  const review = (c: CaseRecord) =>
    c.reviews.map((r) => (forPeople ? say('supervise.review.entry', { date: r.event_on, event: say(`case.event.${r.event}`), gap: percent(r.gap) }) : `${r.event_on}:${r.event}:${r.gap ?? ''}`));
  return {
    columns: LIST_COLUMNS.map((name) => ({
      name,
      kind: name === 'case_id' || name === 'reopen_count' ? 'int32' : name === 'gap' ? 'float' : name === 'reviews' || name === 'notes' ? 'text-list' : 'text',
    })),
    rows: cases.map((c) => [
      c.case_id,
      shownDistrict(names, c.district),
      c.metric_id,
      c.label,
      c.lead_unit,
      c.opened_on,
      c.due_on,
      forPeople ? say(`case.status.${c.status}`) : c.status,
      c.closed_on,
      c.reopen_count,
      c.gap,
      c.judged_on,
      review(c),
      c.notes,
    ]),
  };
}

export function registerSuperviseCommands(program: Command, ctx: CliContext): void {
  const help = helpTranslator();
  const supervise = program.command('supervise').description(help('supervise.help'));
  const withDb = (c: Command) => c.addOption(dbOption());

  withDb(
    supervise
      .command('open')
      .description(help('supervise.help.open'))
      .requiredOption('--as-of <date>', help('supervise.opt.as-of'))
      .option('--only <pairs>', help('supervise.opt.only'))
      .option('--due <days>', help('supervise.opt.due', { days: SUPERVISION_DEFAULTS.dueDays }))
      .option('--json', help('supervise.opt.json')),
  ).action(async (options: { asOf: string; only?: string; due?: string; db?: string; json?: boolean }) => {
    const asOf = parameter(TypedDate, options.asOf);
    const dueDays = parseDueDays(options.due);
    let only: ReturnType<typeof parseCasePairs>['pairs'] | undefined;
    if (options.only !== undefined) {
      const parsed = parseCasePairs(options.only);
      if (parsed.errors.length > 0) throw new MessageError(parsed.errors[0]);
      only = parsed.pairs;
    }
    const { result, say, names } = await withDatabase(options.db, { readOnly: false }, async (store) => ({
      result: await openCases(store, { asOf, dueDays, ...(only ? { only } : {}) }),
      ...(await readerOf(ctx, store)),
    }));
    const shown = (district: string) => shownDistrict(names, district);
    if (options.json) {
      ctx.out(
        JSON.stringify(
          {
            as_of: result.asOf,
            opened: result.opened.map((o) => ({ case_id: o.caseId, district: shown(o.candidate.district), metric_id: o.candidate.metric_id, gap: o.candidate.gap, due_on: o.dueOn })),
            skipped: result.skipped.map((s) => ({ case_id: s.active_case_id, district: shown(s.district), metric_id: s.metric_id, status: s.active_case_status })),
            not_candidates: result.notCandidates.map((n) => ({ district: shown(n.district), metric_id: n.metric_id, lag_status: n.lag_status, gap: n.gap })),
          },
          null,
          2,
        ),
      );
      return;
    }
    for (const o of result.opened) {
      const c = o.candidate;
      ctx.out(say('supervise.opened', { district: shown(c.district), metric: c.metric_id, label: c.label, gap: percent(c.gap), due: o.dueOn, case: o.caseId }));
    }
    for (const s of result.skipped) {
      ctx.out(
        s.awaiting_recheck
          ? say('supervise.skip.awaiting', { district: shown(s.district), metric: s.metric_id, case: s.active_case_id! })
          : say('supervise.skip.active', { district: shown(s.district), metric: s.metric_id, case: s.active_case_id!, status: say(`case.status.${s.active_case_status as CaseStatus}`) }),
      );
    }
    for (const n of result.notCandidates) {
      ctx.out(say('supervise.only.not-candidate', { district: shown(n.district), metric: n.metric_id, label: n.label, date: asOf, status: statusWord(n.lag_status, say), gap: percent(n.gap) }));
    }
    ctx.out(
      result.candidates.length === 0 && result.notCandidates.length === 0
        ? say('supervise.open.none', { date: asOf })
        : say('supervise.open.summary', { date: asOf, candidates: result.candidates.length, opened: result.opened.length, skipped: result.skipped.length }),
    );
  });

  withDb(
    supervise
      .command('review')
      .description(help('supervise.help.review'))
      .requiredOption('--as-of <date>', help('supervise.opt.as-of'))
      .option('--due <days>', help('supervise.opt.due', { days: SUPERVISION_DEFAULTS.dueDays }))
      .option('--json', help('supervise.opt.json')),
  ).action(async (options: { asOf: string; due?: string; db?: string; json?: boolean }) => {
    const asOf = parameter(TypedDate, options.asOf);
    const { result, say, names } = await withDatabase(options.db, { readOnly: false }, async (store) => ({
      result: await reviewCases(store, { asOf, dueDays: parseDueDays(options.due) }),
      ...(await readerOf(ctx, store)),
    }));
    if (options.json) {
      ctx.out(JSON.stringify({ as_of: asOf, events: result.events.map((e) => ({ case_id: e.case_id, district: shownDistrict(names, e.district), metric_id: e.metric_id, event: e.event, gap: e.gap, due_on: e.dueAfter })) }, null, 2));
      return;
    }
    const count = (event: string) => result.events.filter((e) => e.event === event).length;
    for (const e of result.events) {
      ctx.out(say(`supervise.review.${e.event}`, { district: shownDistrict(names, e.district), metric: e.metric_id, case: e.case_id, gap: percent(e.gap), due: e.dueAfter }));
    }
    ctx.out(
      result.events.length === 0
        ? say('supervise.review.none', { date: asOf })
        : say('supervise.review.summary', {
            date: asOf,
            reviewed: result.events.length,
            closed: count('closed'),
            kept: count('kept'),
            overdue: count('overdue'),
            rechecked: count('rechecked'),
            reopened: count('reopened'),
          }),
    );
  });

  withDb(
    supervise
      .command('list')
      .description(help('supervise.help.list'))
      .option('--as-of <date>', help('supervise.opt.list-as-of'))
      .option('--status <statuses>', help('supervise.opt.status', { known: CASE_STATUSES.join(', ') }))
      .option('--district <name>', help('supervise.opt.district'))
      .option('--json', help('supervise.opt.json'))
      .option('--csv <file>', help('supervise.opt.csv'))
      .option('--force', help('output.force.help')),
  ).action(async (options: { asOf?: string; status?: string; district?: string; db?: string; json?: boolean; csv?: string; force?: boolean }) => {
    const statuses = options.status !== undefined ? parseCaseStatuses(options.status, sayFor(ctx)) : undefined;
    const district = options.district !== undefined ? canonicalDistrict(options.district) : undefined;
    await withDatabase(options.db, { readOnly: true }, async (store) => {
      const { say, names } = await readerOf(ctx, store);
      const asOf = options.asOf !== undefined ? parameter(TypedDate, options.asOf) : await latestCaseDate(store);
      if (asOf === undefined) throw new MessageError({ id: 'supervise.no-cases' });
      const cases = await listCases(store, asOf, { ...(statuses ? { statuses } : {}), ...(district ? { district } : {}) });
      if (options.json && options.csv === '-') throw new Error(say('table.json-and-csv'));
      if (options.csv !== undefined) {
        const headers = Object.fromEntries(LIST_COLUMNS.map((c) => [c, c]));
        const csv = toCsv(caseTable(cases, say, names, false), options.csv === '-' ? { headers } : { bom: true, headers });
        if (options.csv === '-') ctx.out(csv.replace(/\r\n$/, ''));
        else {
          checkOutputFile(options.csv, { db: store.path, force: options.force });
          fs.writeFileSync(options.csv, csv);
        }
      }
      if (options.json) ctx.out(JSON.stringify(cases.map((c) => withDistrictShown(c, names)), null, 2));
      if (options.json || options.csv !== undefined) return;
      if (cases.length === 0) {
        ctx.out(say('supervise.list.none', { date: asOf }));
        return;
      }
      const columns = Object.fromEntries(
        LIST_COLUMNS.map((name) => [name, { header: say(`supervise.col.${name}`), ...(name === 'gap' ? { format: (cell: unknown) => percent(typeof cell === 'number' ? cell : null), align: 'right' as const } : {}) }]),
      );
      ctx.out(renderTable(caseTable(cases, say, names, true), { columns, only: SHOWN_COLUMNS, title: say('supervise.list.title', { date: asOf, count: cases.length }), maxCellWidth: 40 }).replace(/\n$/, ''));
    });
  });

  withDb(
    supervise
      .command('note')
      .description(help('supervise.help.note'))
      .argument('<case>', help('supervise.arg.case'))
      .argument('<text>', help('supervise.arg.text'))
      .option('--on <date>', help('supervise.opt.on')),
  ).action(async (caseText: string, text: string, options: { on?: string; db?: string }) => {
    const caseId = Number(caseText.trim().replace(/^#/, ''));
    if (!Number.isInteger(caseId) || caseId < 1) throw new MessageError({ id: 'supervise.note.unknown', params: { case: caseText } });
    const on = options.on !== undefined ? parameter(TypedDate, options.on) : todayIso();
    const { done, say, names } = await withDatabase(options.db, { readOnly: false }, async (store) => ({ done: await noteCase(store, caseId, text, on), ...(await readerOf(ctx, store)) }));
    ctx.out(say('supervise.note.done', { case: done.caseId, district: shownDistrict(names, done.district), metric: done.metricId, date: done.on }));
  });
}
