// `minsheng report` (the leaders' workbook) and `minsheng annotate` (a district's submission copy with
// its lagging rows marked). Both open the database read-only; errors are thrown as Error with a
// Chinese message for main() to print.
import * as path from 'node:path';
import type { Command } from 'commander';
import { t } from '../../../core/messages';
import { DEFAULT_LANG } from '../../../core/messages/lang';
import { leadUnitNamed } from '../../db/leadUnits';
import { planSampleText } from '../../db/plan';
import { withPlanScript } from '../lang';
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
}

interface AnnotateOptions {
  asOf?: string;
  output: string;
  db?: string;
}

function xlsxPath(file: string): string {
  if (path.extname(file).toLowerCase() !== '.xlsx') throw new Error(`輸出文件「${file}」應以 .xlsx 結尾`);
  return file;
}

export function registerReportCommands(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .description('生成給領導的工作簿：概覽、排名、滯後預警（掛牌督辦候選在前）和各類別項目節點進度圖')
    .requiredOption('-o, --output <file>', '寫出的 .xlsx 文件')
    .option('--as-of <date>', '截至日期（預設為最近一次報送的日期）')
    .addOption(dbOption())
    .option('--charts <dir>', '另把每張圖寫成 PNG 和 .vl.json 到這個目錄')
    .option('--lead-unit <name>', '改為寫出這個牽頭單位自己的工作簿：它牽頭的項目、在這些項目上滯後的區縣和圖表')
    .action(async (options: ReportOptions) => {
      const out = xlsxPath(options.output);
      await withDatabase(options.db, { readOnly: true }, async (store) => {
        const asOf = await asOfOrLatest(store, options.asOf);
        if (options.leadUnit !== undefined) {
          const lang = ctx.lang ? withPlanScript(ctx.lang, await planSampleText(store)) : DEFAULT_LANG;
          const leadUnit = await leadUnitNamed(store, options.leadUnit, lang);
          const report = await writeLeadUnitReport(store, { asOf, leadUnit, out, lang, ...(options.charts ? { chartsDir: options.charts } : {}) });
          const standing = report.rank
            ? t(lang, report.rank.tied ? 'leadunit.report.rank-tied' : 'leadunit.report.rank', { rank: report.rank.tied ? report.rank.tie_rank : report.rank.rank, of: report.rank.of })
            : t(lang, 'leadunit.report.no-rank');
          ctx.out(t(lang, 'leadunit.report.written', { file: out, leadUnit, projects: report.projects, districts: report.districts.length, lagging: report.lagging.length, standing }));
          return;
        }
        const lang = ctx.lang ? withPlanScript(ctx.lang, await planSampleText(store)) : undefined;
        const report = await writeReport(store, { asOf, out, ...(lang ? { lang } : {}), ...(options.charts ? { chartsDir: options.charts } : {}) });
        ctx.out(reportSummary(report));
        if (report.chartFiles.length > 0) ctx.out(`圖表（PNG + .vl.json）：${options.charts}（${report.chartFiles.length} 張）`);
      });
    });

  program
    .command('annotate')
    .description('為區縣的進度報送表生成標注副本：滯後的行按狀態著色，「累計完成」單元格加備註，另附走勢和排名圖（原文件不改動）')
    .argument('<submission>', '區縣的進度報送表 .xlsx')
    .requiredOption('-o, --output <file>', '寫出的副本 .xlsx（不能是原文件）')
    .option('--as-of <date>', '按這個日期判斷（預設為報送表的截至日期）')
    .addOption(dbOption())
    .action(async (submission: string, options: AnnotateOptions) => {
      const out = xlsxPath(options.output);
      await withDatabase(options.db, { readOnly: true }, async (store) => {
        const result = await annotateSubmission(store, {
          input: submission,
          out,
          ...(options.asOf !== undefined ? { asOf: parameter(TypedDate, options.asOf) } : {}),
        });
        ctx.out(
          `已寫出 ${result.out}：${result.districts.join('、')}截至 ${result.asOf}，標出 ${result.marked.length} 行滯後指標，圖表在工作表「${result.chartSheet}」。`,
        );
        for (const w of result.warnings) ctx.err(`注意：${w}`);
      });
    });
}
