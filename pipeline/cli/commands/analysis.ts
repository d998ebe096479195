// The analysts' commands: rank, lag, forecast, history, sql, export. Each opens the database
// read-only, calls the macro its queries/*.sql file defines, and prints the result as a table with
// headers in the reader's language, or as JSON / CSV / Arrow. Errors are thrown as Error with a message
// from the catalogue.
import * as fs from 'fs';
import { Command } from 'commander';
import { LAG_STATUSES } from '../../../core/lagStatus';
import { runAdhocSql } from '../../db/adhoc';
import { exportParquet } from '../../db/export';
import { t } from '../../../core/messages';
import { DEFAULT_LANG, type Lang } from '../../../core/messages/lang';
import { rankingSubjectOf } from '../../../core/leadUnits';
import { leadUnitNamed, queryLeadUnitLag, queryLeadUnitRanking } from '../../db/leadUnits';
import { planSampleText, readDistrictNames } from '../../db/plan';
import type { Store } from '../../db/store';
import { helpTranslator, withPlanScript } from '../lang';
import { queryForecast, queryHistory, queryLag, queryRanking } from '../../db/queries';
import { canonicalDistrict } from '../../../core/districtMatch';
import { shownDistrict } from '../../../core/districtNames';
import { analysisColumnFormats } from '../../output/columnLabels';
import { emitResult, type OutputOptions, type OutputStreams } from '../../output/emit';
import type { ResultTable } from '../../output/resultTable';
import type { TableOptions } from '../../output/table';
import { LagStatusList, parameter, resolveDbPath } from '../../parameters';
import type { OutputGuard } from '../../output/outputGuard';
import type { CliContext } from '../context';
import { asOfOrLatest, dbOption, withDatabase } from '../options';

interface CommonOptions extends OutputOptions {
  db?: string;
  force?: boolean;
}

interface DatedOptions extends CommonOptions {
  asOf?: string;
}

/** Adds --db, --json, --csv and --arrow to a query command. */
function withOutputOptions(command: Command): Command {
  const help = helpTranslator();
  return command.addOption(dbOption())
    .option('--json', help('output.json.help'))
    .option('--csv <file>', help('output.csv.help'))
    .option('--arrow <file>', help('output.arrow.help'))
    .option('--force', help('output.force.help'));
}

/** The reader's language: the choice made, refined by the plan's script when nothing explicit chose. */
async function readerLang(store: Store, ctx: CliContext | undefined): Promise<Lang> {
  return ctx?.lang ? withPlanScript(ctx.lang, await planSampleText(store)) : DEFAULT_LANG;
}

/** How results are shown: in the reader's language, districts as the plan writes them. */
async function readerView(store: Store, ctx: CliContext | undefined): Promise<Pick<TableOptions, 'lang' | 'districtNames'> & { lang: Lang }> {
  return { lang: await readerLang(store, ctx), districtNames: await readDistrictNames(store) };
}

/** --by: false for districts (the default), true for lead units; either script, or the codes. */
function rankByLeadUnit(by: string | undefined, lang: Lang): boolean {
  if (by === undefined) return false;
  const subject = rankingSubjectOf(by);
  if (subject === undefined) throw new Error(t(lang, 'leadunit.by.invalid', { value: by }));
  return subject === 'lead_unit';
}

/** Headers of the lead-unit columns, in the reader's language. */
function leadUnitColumnFormats(lang: Lang): TableOptions['columns'] {
  const right = { align: 'right' as const };
  return {
    lead_unit: { header: t(lang, 'leadunit.col.lead_unit') },
    project_count: { header: t(lang, 'leadunit.col.project_count'), ...right },
    district_count: { header: t(lang, 'leadunit.col.district_count'), ...right },
    metric_count: { header: t(lang, 'leadunit.col.metric_count'), ...right },
    pair_count: { header: t(lang, 'leadunit.col.pair_count'), ...right },
    expected_pair_count: { header: t(lang, 'leadunit.col.expected_pair_count'), ...right },
  };
}

function present(view: { lang: Lang } & TableOptions, only: string[], title: string): TableOptions {
  return { ...view, columns: analysisColumnFormats(view.lang), only, title };
}

/** Text goes through the CLI context when there is one (it adds the line end), else to the process. */
function streamsFor(ctx: CliContext | undefined): OutputStreams {
  if (!ctx) return { stdout: process.stdout, stderr: process.stderr };
  return {
    stdout: { write: (text: string) => ctx.out(text.replace(/\n$/, '')) },
    stderr: { write: (text: string) => ctx.err(text.replace(/\n$/, '')) },
  };
}

/**
 * Registers rank, lag, forecast, history, sql and export. Output goes through `ctx` when given
 * (pipeline/cli/context.ts), else to process.stdout/stderr. Failures are thrown as Error with a
 * Chinese message for the caller to print.
 */
export function registerAnalysisCommands(program: Command, ctx?: CliContext): void {
  const streams = streamsFor(ctx);
  const tell = (line: string): void => void streams.stderr.write(`${line}\n`);
  const help = helpTranslator();
  const show = (table: ResultTable, options: CommonOptions & { file?: string }, presentation: TableOptions): void =>
    emitResult(table, { json: options.json, csv: options.csv, arrow: options.arrow, guard: outputGuard(options) }, presentation, streams);

  withOutputOptions(
    program
      .command('rank')
      .description(help('rank.help'))
      .option('--as-of <date>', help('as-of.help'))
      .option('--by <what>', help('rank.by.help')),
  ).action(async (options: DatedOptions & { by?: string }) => {
    const byLeadUnit = rankByLeadUnit(options.by, ctx?.lang?.lang ?? DEFAULT_LANG);
    await withDatabase(options.db, { readOnly: true }, async (store) => {
      const view = await readerView(store, ctx);
      const { lang } = view;
      const asOf = await asOfOrLatest(store, options.asOf, tell, lang);
      if (byLeadUnit) {
        show(await queryLeadUnitRanking(store, asOf), options, {
          lang,
          columns: { ...analysisColumnFormats(lang), ...leadUnitColumnFormats(lang) },
          only: ['rank', 'lead_unit', 'schedule_attainment', 'completion', 'tied', 'tie_rank', 'project_count', 'district_count', 'pair_count', 'missing_count', 'seriously_behind_count'],
          title: t(lang, 'leadunit.rank.title', { asOf }),
        });
        return;
      }
      const table = await queryRanking(store, asOf);
      show(
        table,
        options,
        present(
          view,
          ['rank', 'district', 'schedule_attainment', 'completion', 'tied', 'tie_rank', 'metric_count', 'missing_count', 'seriously_behind_count'],
          t(lang, 'rank.title', { asOf }),
        ),
      );
    });
  });

  withOutputOptions(
    program
      .command('lag')
      .description(help('lag.help'))
      .option('--as-of <date>', help('as-of.help'))
      .option('--status <statuses>', help('lag.status.help', { statuses: LAG_STATUSES.join(', ') }))
      .option('--lead-unit <name>', help('lag.lead-unit.help')),
  ).action(async (options: DatedOptions & { status?: string; leadUnit?: string }) => {
    const statuses = options.status !== undefined ? parameter(LagStatusList, options.status) : undefined;
    await withDatabase(options.db, { readOnly: true }, async (store) => {
      const view = await readerView(store, ctx);
      const { lang } = view;
      const asOf = await asOfOrLatest(store, options.asOf, tell, lang);
      if (options.leadUnit !== undefined) {
        const leadUnit = await leadUnitNamed(store, options.leadUnit, lang);
        show(await queryLeadUnitLag(store, asOf, leadUnit, statuses), options, {
          ...view,
          columns: { ...analysisColumnFormats(lang), ...leadUnitColumnFormats(lang) },
          only: ['project_no', 'metric_id', 'label', 'district', 'target_total', 'completed', 'completion', 'expected_ratio', 'gap', 'lag_status', 'milestone_text', 'last_report_date'],
          title: t(lang, 'leadunit.lag.title', { asOf, leadUnit }),
        });
        return;
      }
      const table = await queryLag(store, asOf, statuses);
      show(
        table,
        options,
        present(
          view,
          ['district', 'metric_id', 'label', 'target_total', 'completed', 'completion', 'expected_ratio', 'gap', 'lag_status', 'milestone_text', 'last_report_date'],
          t(lang, 'lag.title', { asOf }),
        ),
      );
    });
  });

  withOutputOptions(
    program
      .command('forecast')
      .description(help('forecast.help'))
      .option('--as-of <date>', help('as-of.help')),
  ).action(async (options: DatedOptions) => {
    await withDatabase(options.db, { readOnly: true }, async (store) => {
      const view = await readerView(store, ctx);
      const { lang } = view;
      const asOf = await asOfOrLatest(store, options.asOf, tell, lang);
      const table = await queryForecast(store, asOf);
      show(
        table,
        options,
        present(
          view,
          ['district', 'metric_id', 'label', 'completion', 'pace_per_day', 'forecast_date', 'deadline', 'after_deadline', 'forecast_status'],
          t(lang, 'forecast.title', { asOf }),
        ),
      );
    });
  });

  withOutputOptions(
    program
      .command('history')
      .description(help('history.help'))
      .option('--district <name>', help('history.district.help')),
  ).action(async (options: CommonOptions & { district?: string }) => {
    const district = options.district !== undefined ? canonicalDistrict(options.district) : undefined;
    await withDatabase(options.db, { readOnly: true }, async (store) => {
      const table = await queryHistory(store, district);
      const view = await readerView(store, ctx);
      const { lang } = view;
      show(
        table,
        options,
        present(
          view,
          ['district', 'as_of', 'submission_id', 'file_name', 'loaded_at', 'is_current', 'superseded_by', 'row_count'],
          district ? t(lang, 'history.title.district', { district: shownDistrict(view.districtNames, district) }) : t(lang, 'history.title'),
        ),
      );
    });
  });

  withOutputOptions(
    program
      .command('sql')
      .description(help('sql.help'))
      .argument('[query]', help('sql.query.help'))
      .option('-f, --file <file>', help('sql.file.help')),
  ).action(async (query: string | undefined, options: CommonOptions & { file?: string }) => {
    const lang = ctx?.lang?.lang ?? DEFAULT_LANG;
    if ((query === undefined) === (options.file === undefined)) {
      throw new Error(t(lang, 'sql.query-or-file'));
    }
    const sqlText = options.file !== undefined ? readSqlFile(options.file, lang) : query!;
    await withDatabase(options.db, { readOnly: true }, async (store) => {
      show(await runAdhocSql(store, sqlText), options, { lang: await readerLang(store, ctx) });
    });
  });

  program
    .command('export')
    .description(help('export.help'))
    .requiredOption('--parquet <dir>', help('export.parquet.help'))
    .addOption(dbOption())
    .action(async (options: { parquet: string; db?: string }) => {
      await withDatabase(options.db, { readOnly: true }, async (store) => {
        const exported = await exportParquet(store, options.parquet);
        const lang = await readerLang(store, ctx);
        for (const e of exported) streams.stdout.write(`${t(lang, 'export.written', { table: e.table, rows: e.rows, directory: e.directory })}\n`);
      });
    });
}

/** What a query command's --csv and --arrow may not overwrite: its database, its .sql file; existing files without --force. */
function outputGuard(options: CommonOptions & { file?: string }): OutputGuard {
  return { db: resolveDbPath(options.db), inputs: options.file !== undefined ? [options.file] : [], force: options.force };
}

function readSqlFile(file: string, lang: Lang): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(t(lang, 'sql.file-unreadable', { file }));
  }
}
