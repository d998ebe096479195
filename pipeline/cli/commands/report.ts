// `minsheng report` (the leaders' workbook) and `minsheng annotate` (a district's submission copy with
// its lagging rows marked). Both open the database read-only; errors are thrown as Error with a
// Chinese message for main() to print.
import * as path from 'node:path';
import type { Command } from 'commander';
import { t, type Lang } from '../../../core/messages';
import { DEFAULT_LANG } from '../../../core/messages/lang';
import { leadUnitNamed } from '../../db/leadUnits';
import { planSampleText } from '../../db/plan';
import { helpTranslator, withPlanScript } from '../lang';
import { parameter, TypedDate } from '../../parameters';
import { writeLeadUnitReport } from '../../report/leadUnitReport';
import { annotateSubmission } from '../../report/annotate';
import { reportSummary, writeReport } from '../../report/writeReport';
import type { CliContext } from '../context';
import { asOfOrLatest, dbOption, withDatabase } from '../options';

interface ReportOptions {
  asOf?: string;
  output: string;
  db?: string;
  charts?: string;
  leadUnit?: string;
  force?: boolean;
}

interface AnnotateOptions {
  asOf?: string;
  output: string;
  db?: string;
  force?: boolean;
}

function xlsxPath(file: string, lang: Lang): string {
  if (path.extname(file).toLowerCase() !== '.xlsx') throw new Error(t(lang, 'report.not-xlsx', { file }));
  return file;
}

export function registerReportCommands(program: Command, ctx: CliContext): void {
  const help = helpTranslator();
  const chosenLang = (): Lang => ctx.lang?.lang ?? DEFAULT_LANG;
  program
    .command('report')
    .description(help('report.help'))
    .requiredOption('-o, --output <file>', help('report.output.help'))
    .option('--as-of <date>', help('as-of.help'))
    .addOption(dbOption())
    .option('--charts <dir>', help('report.charts.help'))
    .option('--lead-unit <name>', help('report.lead-unit.help'))
    .option('--force', help('output.force.help'))
    .action(async (options: ReportOptions) => {
      const out = xlsxPath(options.output, chosenLang());
      await withDatabase(options.db, { readOnly: true }, async (store) => {
        const lang = ctx.lang ? withPlanScript(ctx.lang, await planSampleText(store)) : DEFAULT_LANG;
        const asOf = await asOfOrLatest(store, options.asOf, (line) => ctx.err(line), lang);
        if (options.leadUnit !== undefined) {
          const leadUnit = await leadUnitNamed(store, options.leadUnit, lang);
          const report = await writeLeadUnitReport(store, { asOf, leadUnit, out, lang, force: options.force, ...(options.charts ? { chartsDir: options.charts } : {}) });
          const standing = report.rank
            ? t(lang, report.rank.tied ? 'leadunit.report.rank-tied' : 'leadunit.report.rank', { rank: report.rank.tied ? report.rank.tie_rank : report.rank.rank, of: report.rank.of })
            : t(lang, 'leadunit.report.no-rank');
          ctx.out(t(lang, 'leadunit.report.written', { file: out, leadUnit, projects: report.projects, districts: report.districts.length, lagging: report.lagging.length, standing }));
          return;
        }
        const report = await writeReport(store, { asOf, out, lang, force: options.force, ...(options.charts ? { chartsDir: options.charts } : {}) });
        ctx.out(reportSummary(report, lang));
        if (report.chartFiles.length > 0) ctx.out(t(lang, 'report.charts-written', { dir: options.charts ?? '', count: report.chartFiles.length }));
      });
    });

  program
    .command('annotate')
    .description(help('annotate.help'))
    .argument('<submission>', help('annotate.submission.help'))
    .requiredOption('-o, --output <file>', help('annotate.output.help'))
    .option('--as-of <date>', help('annotate.as-of.help'))
    .option('--force', help('output.force.help'))
    .addOption(dbOption())
    .action(async (submission: string, options: AnnotateOptions) => {
      const out = xlsxPath(options.output, chosenLang());
      await withDatabase(options.db, { readOnly: true }, async (store) => {
        const lang = ctx.lang ? withPlanScript(ctx.lang, await planSampleText(store)) : DEFAULT_LANG;
        const result = await annotateSubmission(store, {
          input: submission,
          out,
          lang,
          force: options.force,
          ...(options.asOf !== undefined ? { asOf: parameter(TypedDate, options.asOf) } : {}),
        });
        ctx.out(t(lang, 'annotate.written', { file: result.out, districts: result.districts.join('、'), asOf: result.asOf, marked: result.marked.length, sheet: result.chartSheet }));
        for (const w of result.warnings) ctx.err(t(lang, 'annotate.warning', { text: w }));
      });
    });
}
