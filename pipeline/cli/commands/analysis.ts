// The analysts' commands: rank, lag, forecast, history, sql, export. Each opens the database
// read-only, calls the macro its queries/*.sql file defines, and prints the result as a table with
// Chinese headers, or as JSON / CSV / Arrow. Errors are thrown as Error with a Chinese message.
import * as fs from 'fs';
import { Command } from 'commander';
import { LAG_STATUSES } from '../../../core/lagStatus';
import { runAdhocSql } from '../../db/adhoc';
import { exportParquet } from '../../db/export';
import { t } from '../../../core/messages';
import { DEFAULT_LANG, type Lang } from '../../../core/messages/lang';
import { matchKey } from '../../../core/text';
import { leadUnitNamed, queryLeadUnitLag, queryLeadUnitRanking } from '../../db/leadUnits';
import { planSampleText } from '../../db/plan';
import type { Store } from '../../db/store';
import { withPlanScript } from '../lang';
import { queryForecast, queryHistory, queryLag, queryRanking } from '../../db/queries';
import { canonicalDistrict } from '../../db/submissions';
import { analysisColumnFormats } from '../../output/columnLabels';
import { emitResult, type OutputOptions, type OutputStreams } from '../../output/emit';
import type { ResultTable } from '../../output/resultTable';
import type { TableOptions } from '../../output/table';
import { LagStatusList, parameter } from '../../parameters';
import type { CliContext } from '../context';
import { asOfOrLatest, dbOption, withDatabase } from '../options';

interface CommonOptions extends OutputOptions {
  db?: string;
}

interface DatedOptions extends CommonOptions {
  asOf?: string;
}

/** Adds --db, --json, --csv and --arrow to a query command. */
function withOutputOptions(command: Command): Command {
  return command.addOption(dbOption())
    .option('--json', '以 JSON 輸出到標準輸出')
    .option('--csv <file>', '寫出 CSV 檔（- 為標準輸出），可直接用 Excel 開啟')
    .option('--arrow <file>', '寫出 Arrow IPC 檔（pandas、polars、R 可直接讀取）');
}

/** The reader's language: the choice made, refined by the plan's script when nothing explicit chose. */
async function readerLang(store: Store, ctx: CliContext | undefined): Promise<Lang> {
  return ctx?.lang ? withPlanScript(ctx.lang, await planSampleText(store)) : DEFAULT_LANG;
}

/** --by: false for districts (the default), true for lead units; either script, or the codes. */
function rankByLeadUnit(by: string | undefined, lang: Lang): boolean {
  if (by === undefined) return false;
  const key = matchKey(by).replace(/[-_\s]/g, '');
  if (['district', matchKey('區縣')].includes(key)) return false;
  if (['leadunit', 'unit', 'department', matchKey('牽頭單位'), matchKey('牽頭部門')].includes(key)) return true;
  throw new Error(t(lang, 'leadunit.by.invalid', { value: by }));
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

function present(only: string[], title: string): TableOptions {
  return { columns: analysisColumnFormats(), only, title };
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
  const show = (table: ResultTable, options: OutputOptions, presentation: TableOptions): void =>
    emitResult(table, { json: options.json, csv: options.csv, arrow: options.arrow }, presentation, streams);

  withOutputOptions(
    program
      .command('rank')
      .description('區縣排名：按進度達成率、完成率、區縣順序排列（並列者標明）；--by lead-unit 排牽頭單位')
      .option('--as-of <date>', '截至日期（預設為最近一次報送的日期）')
      .option('--by <what>', 'district（區縣，預設）或 lead-unit（牽頭單位：按所牽頭項目在各區縣的進度）'),
  ).action(async (options: DatedOptions & { by?: string }) => {
    const byLeadUnit = rankByLeadUnit(options.by, ctx?.lang?.lang ?? DEFAULT_LANG);
    await withDatabase(options.db, { readOnly: true }, async (store) => {
      const asOf = await asOfOrLatest(store, options.asOf);
      if (byLeadUnit) {
        const lang = await readerLang(store, ctx);
        show(await queryLeadUnitRanking(store, asOf), options, {
          columns: { ...analysisColumnFormats(), ...leadUnitColumnFormats(lang) },
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
          ['rank', 'district', 'schedule_attainment', 'completion', 'tied', 'tie_rank', 'metric_count', 'missing_count', 'seriously_behind_count'],
          `截至 ${asOf} 各區縣民生實事進度排名`,
        ),
      );
    });
  });

  withOutputOptions(
    program
      .command('lag')
      .description('滯後檢測：每個區縣每項指標的完成率、應完成比例、差距與狀態')
      .option('--as-of <date>', '截至日期（預設為最近一次報送的日期）')
      .option('--status <statuses>', `只列出這些狀態（逗號分隔）：${LAG_STATUSES.join(', ')}`)
      .option('--lead-unit <name>', '只看這個牽頭單位牽頭的項目（各區縣）'),
  ).action(async (options: DatedOptions & { status?: string; leadUnit?: string }) => {
    const statuses = options.status !== undefined ? parameter(LagStatusList, options.status) : undefined;
    await withDatabase(options.db, { readOnly: true }, async (store) => {
      const asOf = await asOfOrLatest(store, options.asOf);
      if (options.leadUnit !== undefined) {
        const lang = await readerLang(store, ctx);
        const leadUnit = await leadUnitNamed(store, options.leadUnit, lang);
        show(await queryLeadUnitLag(store, asOf, leadUnit, statuses), options, {
          columns: { ...analysisColumnFormats(), ...leadUnitColumnFormats(lang) },
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
          ['district', 'metric_id', 'label', 'target_total', 'completed', 'completion', 'expected_ratio', 'gap', 'lag_status', 'milestone_text', 'last_report_date'],
          `截至 ${asOf} 的滯後檢測`,
        ),
      );
    });
  });

  withOutputOptions(
    program
      .command('forecast')
      .description('完成預測：按最近兩次報送的進度推算完成日期，並標出將逾期者')
      .option('--as-of <date>', '截至日期（預設為最近一次報送的日期）'),
  ).action(async (options: DatedOptions) => {
    await withDatabase(options.db, { readOnly: true }, async (store) => {
      const asOf = await asOfOrLatest(store, options.asOf);
      const table = await queryForecast(store, asOf);
      show(
        table,
        options,
        present(
          ['district', 'metric_id', 'label', 'completion', 'pace_per_day', 'forecast_date', 'deadline', 'after_deadline', 'forecast_status'],
          `截至 ${asOf} 的完成預測`,
        ),
      );
    });
  });

  withOutputOptions(
    program
      .command('history')
      .description('報送記錄：每次載入的檔案，含被後來檔案取代者')
      .option('--district <name>', '只看這個區縣（可寫簡稱或簡體）'),
  ).action(async (options: CommonOptions & { district?: string }) => {
    const district = options.district !== undefined ? canonicalDistrict(options.district, '區縣') : undefined;
    await withDatabase(options.db, { readOnly: true }, async (store) => {
      const table = await queryHistory(store, district);
      show(
        table,
        options,
        present(
          ['district', 'as_of', 'submission_id', 'file_name', 'loaded_at', 'is_current', 'superseded_by', 'row_count'],
          district ? `${district}報送記錄` : '報送記錄',
        ),
      );
    });
  });

  withOutputOptions(
    program
      .command('sql')
      .description('以唯讀方式執行自己的 SQL 查詢（可用 ranking(日期)、lag(日期)、forecast(日期)、history()）')
      .argument('[query]', 'SQL 語句，多條以分號分隔，輸出最後一條的結果')
      .option('-f, --file <file>', '從 .sql 檔讀取查詢'),
  ).action(async (query: string | undefined, options: CommonOptions & { file?: string }) => {
    if ((query === undefined) === (options.file === undefined)) {
      throw new Error('請給出一條 SQL 查詢，或用 -f 指定 .sql 檔（二者擇一）');
    }
    const sqlText = options.file !== undefined ? readSqlFile(options.file) : query!;
    await withDatabase(options.db, { readOnly: true }, async (store) => {
      show(await runAdhocSql(store, sqlText), options, {});
    });
  });

  program
    .command('export')
    .description('匯出為 Hive 分區的 Parquet（year=…/district=…），供 Spark、Trino 或 DuckDB 查詢')
    .requiredOption('--parquet <dir>', '輸出目錄')
    .addOption(dbOption())
    .action(async (options: { parquet: string; db?: string }) => {
      await withDatabase(options.db, { readOnly: true }, async (store) => {
        const exported = await exportParquet(store, options.parquet);
        for (const t of exported) streams.stdout.write(`${t.table}\t${t.rows} 行\t${t.directory}\n`);
      });
    });
}

function readSqlFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new Error(`無法讀取 SQL 檔：${file}`);
  }
}
