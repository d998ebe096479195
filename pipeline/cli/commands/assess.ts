// `minsheng assess`: the year-end assessment (docs/design.md, "The year-end assessment").
//   assess --year 2024 [--as-of D] [--rules F] [--json|--csv|--arrow]   scores, from queries/assessment.sql
//   assess rules -o 考核細則.xlsx                                        the example rules workbook to edit
//   assess template --input satisfaction|third-party|supervision -o F    an input sheet to fill
//   assess load F…                                                      rules or inputs into the database
//   assess explain --district X | --lead-unit Y                          component by component, why
import * as path from 'node:path';
import type { Command } from 'commander';
import { inputTemplateLayout, INPUT_KIND_ID } from '../../../core/assessment/inputs';
import { exampleRules, rulesWorkbookLayout, type RulesContext } from '../../../core/assessment/rulesWorkbook';
import type { InputKind } from '../../../core/assessment/rules';
import { issueWithDistrictShown, type DistrictNames } from '../../../core/districtNames';
import { issueText, renderIssue, severityLabel } from '../../../core/issues';
import { withoutYearWord } from '../../../core/dates';
import { leadUnitsOf } from '../../../core/leadUnits';
import { render, t, type Lang, type MessageRef, type PlainMessageId } from '../../../core/messages';
import { explainAssessee } from '../../assessment/explain';
import { loadAssessmentFile, type AssessmentFileLoad } from '../../assessment/loadFiles';
import { assessmentRows, assessmentShown, assessmentTableShown, nestAssessment, queryAssessment } from '../../assessment/queries';
import { renderAssessment } from '../../assessment/present';
import { hasRules } from '../../assessment/store';
import { writeLayoutWorkbook } from '../../assessment/writeWorkbook';
import { planSampleText, readPlan } from '../../db/plan';
import { DEFAULT_LANG } from '../../../core/messages/lang';
import type { Store } from '../../db/store';
import { emitResult } from '../../output/emit';
import { parameter, TypedDate } from '../../parameters';
import type { CliContext } from '../context';
import { helpTranslator, withPlanScript } from '../lang';
import { dbOption, withDatabase } from '../options';

const INPUT_OPTIONS: Record<string, InputKind> = { satisfaction: 'satisfaction', 'third-party': 'third_party', third_party: 'third_party', supervision: 'participation', participation: 'participation' };

interface ScoreOptions {
  year?: string;
  asOf?: string;
  rules?: string;
  db?: string;
  json?: boolean;
  csv?: string;
  arrow?: string;
  force?: boolean;
}

/** The plan, its lead units and the reader's language (the plan's script when nothing else chose). */
async function context(store: Store, ctx: CliContext): Promise<RulesContext & { lang: Lang }> {
  const plan = await readPlan(store);
  const lang = ctx.lang ? withPlanScript(ctx.lang, await planSampleText(store)) : DEFAULT_LANG;
  return { plan, leadUnits: leadUnitsOf(plan).units, lang };
}

function xlsxOut(file: string, lang: Lang): string {
  if (path.extname(file).toLowerCase() !== '.xlsx') throw new Error(t(lang, 'assess.cli.xlsx', { file }));
  return file;
}

function yearOf(text: string | undefined, planYear: number, lang: Lang): number {
  if (text === undefined) return planYear;
  const year = Number(withoutYearWord(text));
  if (!Number.isInteger(year) || year < 1900 || year > 9999) throw new Error(t(lang, 'assess.cli.bad-year', { value: text }));
  return year;
}

const shown = (reason: MessageRef | string | undefined, lang: Lang) => (reason === undefined ? '' : typeof reason === 'string' ? reason : render(lang, reason));

function renderLoads(loads: readonly AssessmentFileLoad[], lang: Lang, names: DistrictNames | undefined): string {
  const lines: string[] = [];
  for (const load of loads) {
    const kind = load.kind ? t(lang, load.kind === 'rules' ? 'assess.kind.rules' : INPUT_KIND_ID[load.kind as InputKind]) : '';
    const verdict = t(lang, `assess.load.verdict.${load.verdict}` as PlainMessageId);
    const superseding = load.stored && load.stored.status === 'loaded' && load.stored.supersedes.length > 0 ? t(lang, 'assess.load.supersedes', { count: load.stored.supersedes.length }) : '';
    lines.push(`${load.file}：${kind ? `${kind}，` : ''}${verdict}${superseding}${load.reason ? `（${shown(load.reason, lang)}）` : ''}`);
    for (const issue of load.issues) {
      lines.push(`  ${severityLabel(issue.severity, lang)} ${issue.sheet}${issue.cell ? `!${issue.cell}` : ''} ${issueText(issueWithDistrictShown(issue, names), lang)}`);
    }
  }
  return lines.join('\n');
}

export function registerAssessCommands(program: Command, ctx: CliContext): void {
  const help = helpTranslator();
  const assess = program
    .command('assess')
    .description(help('assess.help'))
    .option('--year <year>', help('assess.opt.year'))
    .option('--as-of <date>', help('assess.opt.as-of'))
    .option('--rules <file>', help('assess.opt.rules'))
    .addOption(dbOption())
    .option('--json', help('output.json.help'))
    .option('--csv <file>', help('assess.opt.csv'))
    .option('--arrow <file>', help('assess.opt.arrow'))
    .option('--force', help('output.force.help'))
    .action(async (options: ScoreOptions) => {
      await withDatabase(options.db, { readOnly: options.rules === undefined }, async (store) => {
        const { lang, ...rulesContext } = await context(store, ctx);
        if (options.rules !== undefined) {
          const load = await loadAssessmentFile(store, options.rules, rulesContext);
          if (load.verdict === 'rejected' || load.verdict === 'unreadable' || load.kind !== 'rules') {
            ctx.err(renderLoads([load], lang, rulesContext.plan.districtNames));
            throw new Error(t(lang, 'assess.cli.rules-refused', { file: options.rules }));
          }
          ctx.err(renderLoads([load], lang, rulesContext.plan.districtNames));
        }
        const year = yearOf(options.year, rulesContext.plan.year, lang);
        if (!(await hasRules(store, year))) throw new Error(t(lang, 'assess.cli.no-rules', { year }));
        const asOf = options.asOf !== undefined ? parameter(TypedDate, options.asOf) : undefined;
        const stored = await queryAssessment(store, year, asOf);
        // Districts as the plan writes them, once the rows are nested by their canonical names.
        const names = rulesContext.plan.districtNames;
        const table = assessmentTableShown(stored, names);
        const result = assessmentShown(nestAssessment(assessmentRows(stored), year, asOf ?? `${year}-12-31`), names);
        if (options.json && options.csv === '-') throw new Error(t(lang, 'table.json-and-csv'));
        if (options.csv || options.arrow) emitResult(table, { csv: options.csv, arrow: options.arrow, guard: { db: store.path, inputs: options.rules !== undefined ? [options.rules] : [], force: options.force } }, { lang }, { stdout: { write: (s) => ctx.out(s.replace(/\n$/, '')) }, stderr: { write: (s) => ctx.err(s.replace(/\n$/, '')) } });
        if (options.json) ctx.out(JSON.stringify(result, null, 2));
        if (!options.json && !options.csv && !options.arrow) ctx.out(renderAssessment(result, lang).replace(/\n$/, ''));
      });
    });

  assess
    .command('rules')
    .description(help('assess.help.rules'))
    .requiredOption('-o, --output <file>', help('assess.opt.output'))
    .option('--force', help('output.force.help'))
    .addOption(dbOption())
    .action(async (_: unknown, cmd: Command) => {
      const options = cmd.optsWithGlobals() as { output: string; db?: string; force?: boolean };
      await withDatabase(options.db, { readOnly: true }, async (store) => {
        const { lang, ...rulesContext } = await context(store, ctx);
        const out = xlsxOut(options.output, lang);
        const rules = exampleRules(rulesContext, lang);
        await writeLayoutWorkbook(rulesWorkbookLayout(rules, rulesContext, lang, true), out, { db: store.path, force: options.force }, new Date(`${rules.year}-01-01T00:00:00Z`));
        ctx.out(
          t(lang, 'assess.cli.rules-written', {
            file: out,
            components: rules.components.length,
            assessees: rules.assessees.filter((a) => a.included).length,
            weights: rules.weights.length,
          }),
        );
      });
    });

  assess
    .command('template')
    .description(help('assess.help.template'))
    .requiredOption('--input <kind>', help('assess.opt.input'))
    .requiredOption('-o, --output <file>', help('assess.opt.output'))
    .option('--force', help('output.force.help'))
    .addOption(dbOption())
    .action(async (_: unknown, cmd: Command) => {
      const options = cmd.optsWithGlobals() as { input: string; output: string; db?: string; force?: boolean };
      await withDatabase(options.db, { readOnly: true }, async (store) => {
        const { lang, ...rulesContext } = await context(store, ctx);
        const kind = INPUT_OPTIONS[options.input.trim().toLowerCase()];
        if (!kind) throw new Error(t(lang, 'assess.cli.bad-input', { value: options.input }));
        const out = xlsxOut(options.output, lang);
        await writeLayoutWorkbook(inputTemplateLayout(kind, rulesContext, lang), out, { db: store.path, force: options.force }, new Date(`${rulesContext.plan.year}-01-01T00:00:00Z`));
        ctx.out(t(lang, 'assess.cli.template-written', { kind: t(lang, INPUT_KIND_ID[kind]), file: out }));
      });
    });

  assess
    .command('load')
    .description(help('assess.help.load'))
    .argument('<files...>', help('assess.opt.files'))
    .addOption(dbOption())
    .option('--json', help('assess.opt.json'))
    .action(async (files: string[], _: unknown, cmd: Command) => {
      const options = cmd.optsWithGlobals() as { db?: string; json?: boolean };
      await withDatabase(options.db, {}, async (store) => {
        const { lang, ...rulesContext } = await context(store, ctx);
        const loads: AssessmentFileLoad[] = [];
        for (const file of files) loads.push(await loadAssessmentFile(store, file, rulesContext));
        if (options.json) {
          ctx.out(JSON.stringify({ files: loads.map((l) => ({ ...l, reason: l.reason === undefined ? undefined : shown(l.reason, lang), issues: l.issues.map((i) => renderIssue(issueWithDistrictShown(i, rulesContext.plan.districtNames), lang)) })) }, null, 2));
        } else ctx.out(renderLoads(loads, lang, rulesContext.plan.districtNames));
        ctx.setExitCode(loads.some((l) => l.verdict === 'unreadable') ? 2 : loads.some((l) => l.verdict === 'rejected') ? 1 : 0);
      });
    });

  assess
    .command('explain')
    .description(help('assess.help.explain'))
    .option('--district <name>', help('assess.opt.district'))
    .option('--lead-unit <name>', help('assess.opt.lead-unit'))
    .option('--year <year>', help('assess.opt.year'))
    .option('--as-of <date>', help('assess.opt.as-of'))
    .addOption(dbOption())
    .option('--json', help('assess.opt.json'))
    .action(async (_: unknown, cmd: Command) => {
      const options = cmd.optsWithGlobals() as { district?: string; leadUnit?: string; year?: string; asOf?: string; db?: string; json?: boolean };
      await withDatabase(options.db, { readOnly: true }, async (store) => {
        const { lang, ...rulesContext } = await context(store, ctx);
        if ((options.district === undefined) === (options.leadUnit === undefined)) throw new Error(t(lang, 'assess.cli.explain-who'));
        const year = yearOf(options.year, rulesContext.plan.year, lang);
        if (!(await hasRules(store, year))) throw new Error(t(lang, 'assess.cli.no-rules', { year }));
        const asOf = options.asOf !== undefined ? parameter(TypedDate, options.asOf) : undefined;
        const explanation = await explainAssessee(store, rulesContext, {
          year,
          ...(asOf ? { asOf } : {}),
          ...(options.district !== undefined ? { district: options.district } : { leadUnit: options.leadUnit! }),
          lang,
        });
        ctx.out(options.json ? JSON.stringify(explanation.json, null, 2) : explanation.text);
      });
    });
}
