// `minsheng sites template|load|check|export`: 點位 lists (docs/design.md, "The supervision loop").
// template writes a district's sheet; load validates each file (a file with an error is refused whole)
// and stores it, then reconciles the district; check reconciles every loaded list; export writes the
// current sites for the provincial 民生地圖 system.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { canonicalDistrict } from '../../../core/districtMatch';
import { issueWithDistrictShown, shownDistrict, withDistrictShown, type DistrictNames } from '../../../core/districtNames';
import { hasErrors, issueText, renderIssue, severityLabel, type Issue } from '../../../core/issues';
import { render, translator, type Lang, type MessageId, type Translate } from '../../../core/messages';
import { MessageError } from '../../../core/messages/messageError';
import type { Plan } from '../../../core/model';
import { readSiteWorkbook } from '../../../core/sites/readSites';
import type { SiteStatus } from '../../../core/sites/siteColumns';
import { siteMetricIds } from '../../../core/sites/siteMetrics';
import { readPlan } from '../../db/plan';
import { latestAsOf } from '../../db/queries';
import { checkSites, querySitesForExport, storeSiteList, type SiteCheckRow } from '../../db/sites';
import type { Store } from '../../db/store';
import { expandInputs } from '../../loadFiles';
import { toCsv } from '../../output/csv';
import { withDistrictsAsWritten } from '../../output/resultTable';
import { checkOutputFile } from '../../output/outputGuard';
import { formatNumber } from '../../output/table';
import { parameter, resolveDbPath, TypedDate } from '../../parameters';
import { writeSiteTemplate } from '../../sites/siteTemplate';
import { readWorkbookBytes, UnreadableWorkbookError } from '../../xlsx/readWorkbook';
import type { CliContext } from '../context';
import { helpTranslator, withPlanScript } from '../lang';
import { dbOption, withDatabase } from '../options';

/** The export's columns (README, "點位"): the query's names → the headers written. */
const EXPORT_HEADERS = {
  district: 'sites.col.district_name',
  metric_id: 'sites.col.metric_id',
  project: 'sites.col.project',
  label: 'sites.col.label',
  name: 'sites.col.name',
  address: 'sites.col.address',
  planned_start: 'sites.col.planned_start',
  planned_finish: 'sites.col.planned_finish',
  status: 'sites.col.status',
  finished_on: 'sites.col.finished_on',
  longitude: 'sites.col.longitude',
  latitude: 'sites.col.latitude',
  note: 'sites.col.note',
} as const satisfies Record<string, MessageId>;

function planLang(ctx: CliContext, plan: Plan): Lang {
  return withPlanScript(ctx.lang ?? { lang: 'zh-CN', source: 'default' }, plan.projects.map((p) => p.name).join(''));
}

async function requirePlan(store: Store): Promise<Plan> {
  const plan = await readPlan(store).catch(() => undefined);
  if (!plan || plan.metrics.length === 0) throw new MessageError({ id: 'sites.no-plan' });
  return plan;
}

/** The date to reconcile at: as given, else the latest report, else the plan year's end. */
async function checkDate(store: Store, plan: Plan, text: string | undefined): Promise<string> {
  if (text !== undefined) return parameter(TypedDate, text);
  return (await latestAsOf(store)) ?? `${plan.year}-12-31`;
}

/** One sentence per problem the reconciliation found, districts as the plan writes them. */
export function checkMessages(rows: readonly SiteCheckRow[], say: Translate, names?: DistrictNames): string[] {
  const lines: string[] = [];
  for (const r of rows) {
    const common = { district: shownDistrict(names, r.district), metric: r.metric_id, label: r.label, unit: r.unit };
    for (const flag of r.check_flags) {
      lines.push(
        say(`sites.check.${flag}`, {
          ...common,
          target: formatNumber(r.target_total),
          sites: r.site_count,
          finished: r.finished_count,
          completed: r.completed === null ? '—' : formatNumber(r.completed),
        }),
      );
    }
  }
  return lines;
}

function issueLine(issue: Issue, lang: Lang, names: DistrictNames | undefined): string {
  const where = `${issue.sheet}${issue.cell ? `!${issue.cell}` : ''}`;
  return translator(lang)('sites.load.issue', { severity: severityLabel(issue.severity, lang), where, text: issueText(issueWithDistrictShown(issue, names), lang) });
}

export function registerSitesCommands(program: Command, ctx: CliContext): void {
  const help = helpTranslator();
  const sites = program.command('sites').description(help('sites.help'));

  sites
    .command('template')
    .description(help('sites.help.template'))
    .requiredOption('--district <name>', help('sites.opt.district'))
    .requiredOption('-o, --output <file>', help('sites.opt.output'))
    .option('--force', help('output.force.help'))
    .addOption(dbOption())
    .action(async (options: { district: string; output: string; db?: string; force?: boolean }) => {
      if (path.extname(options.output).toLowerCase() !== '.xlsx') throw new MessageError({ id: 'sites.output.xlsx', params: { file: options.output } });
      checkOutputFile(options.output, { db: resolveDbPath(options.db), force: options.force });
      const plan = await withDatabase(options.db, { readOnly: true }, requirePlan);
      const lang = planLang(ctx, plan);
      const layout = await writeSiteTemplate(plan, options.district, lang, options.output);
      ctx.out(
        translator(lang)('sites.template.written', {
          file: options.output,
          district: shownDistrict(plan.districtNames, layout.district),
          rows: layout.lastRow - 4,
          metrics: layout.siteMetrics,
          sites: layout.sitesNeeded,
        }),
      );
    });

  sites
    .command('load')
    .description(help('sites.help.load'))
    .argument('<inputs...>', '.xlsx')
    .option('--as-of <date>', help('sites.opt.as-of'))
    .addOption(dbOption())
    .option('--json', help('sites.opt.json'))
    .action(async (inputs: string[], options: { asOf?: string; db?: string; json?: boolean }) => {
      await withDatabase(options.db, {}, async (store) => {
        const plan = await requirePlan(store);
        const lang = planLang(ctx, plan);
        const say = translator(lang);
        const names = plan.districtNames;
        const shownList = (districts: Iterable<string>) => [...districts].map((d) => shownDistrict(names, d)).join('、');
        const report: { file: string; verdict: string; districts: string[]; sites: number; issues: Issue[]; reason?: string }[] = [];
        const districts = new Set<string>();
        let code = 0;
        for (const file of expandInputs(inputs)) {
          const name = path.basename(file);
          let bytes: Buffer;
          let grids;
          try {
            bytes = fs.readFileSync(file);
            grids = (await readWorkbookBytes(bytes, name)).sheets;
          } catch (err) {
            const reason = err instanceof UnreadableWorkbookError ? render(lang, err.reasonMessage) : (err as Error).message;
            report.push({ file, verdict: 'unreadable', districts: [], sites: 0, issues: [], reason });
            code = 2;
            continue;
          }
          const readings = readSiteWorkbook(grids, plan);
          const issues = readings.flatMap((r) => r.issues.map((i) => ({ ...i, file: name })));
          if (hasErrors(issues) || readings.some((r) => !r.district)) {
            report.push({ file, verdict: 'rejected', districts: [], sites: 0, issues });
            code = Math.max(code, 1);
            continue;
          }
          const sha256 = createHash('sha256').update(bytes).digest('hex');
          let verdict = 'duplicate';
          for (const r of readings) {
            const stored = await storeSiteList(store, { district: r.district!, sites: r.sites }, { fileName: name, sha256 });
            if (stored.status !== 'duplicate') verdict = stored.status === 'superseded-earlier' || verdict === 'superseded-earlier' ? 'superseded-earlier' : 'loaded';
            districts.add(r.district!);
          }
          report.push({ file, verdict, districts: readings.map((r) => r.district!), sites: readings.reduce((n, r) => n + r.sites.length, 0), issues });
        }
        const asOf = await checkDate(store, plan, options.asOf);
        const checked: SiteCheckRow[] = [];
        for (const d of districts) checked.push(...(await checkSites(store, asOf, siteMetricIds(plan), d)));
        if (options.json) {
          ctx.out(
            JSON.stringify(
              {
                files: report.map((r) => ({ ...r, districts: r.districts.map((d) => shownDistrict(names, d)), issues: r.issues.map((i) => renderIssue(issueWithDistrictShown(i, names), lang)) })),
                as_of: asOf,
                check: checked.map((row) => withDistrictShown(row, names)),
              },
              null,
              2,
            ),
          );
        } else {
          for (const r of report) {
            const line =
              r.verdict === 'unreadable'
                ? say('sites.load.unreadable', { file: r.file, reason: r.reason ?? '' })
                : r.verdict === 'rejected'
                  ? say('sites.load.rejected', { file: r.file })
                  : r.verdict === 'duplicate'
                    ? say('sites.load.duplicate', { file: r.file })
                    : say(r.verdict === 'superseded-earlier' ? 'sites.load.superseded' : 'sites.load.loaded', { file: r.file, district: shownList(r.districts), count: r.sites });
            ctx.out(line);
            for (const issue of r.issues) ctx.out(issueLine(issue, lang, names));
          }
          if (districts.size > 0) {
            const problems = checkMessages(checked, say, names);
            if (problems.length === 0) ctx.out(say('sites.check.ok', { date: asOf, districts: shownList(districts) }));
            else {
              ctx.out(say('sites.check.title', { date: asOf, count: problems.length }));
              for (const p of problems) ctx.out(`  ${p}`);
            }
          }
        }
        ctx.setExitCode(code);
      });
    });

  sites
    .command('check')
    .description(help('sites.help.check'))
    .option('--district <name>', help('sites.opt.district'))
    .option('--as-of <date>', help('sites.opt.as-of'))
    .addOption(dbOption())
    .option('--json', help('sites.opt.json'))
    .action(async (options: { district?: string; asOf?: string; db?: string; json?: boolean }) => {
      await withDatabase(options.db, { readOnly: true }, async (store) => {
        const plan = await requirePlan(store);
        const lang = planLang(ctx, plan);
        const say = translator(lang);
        const district = options.district !== undefined ? canonicalDistrict(options.district) : undefined;
        const asOf = await checkDate(store, plan, options.asOf);
        const rows = await checkSites(store, asOf, siteMetricIds(plan), district);
        const names = plan.districtNames;
        if (options.json) {
          ctx.out(JSON.stringify(rows.map((row) => withDistrictShown(row, names)), null, 2));
          return;
        }
        if (rows.length === 0) {
          ctx.out(say('sites.check.none'));
          return;
        }
        const problems = checkMessages(rows, say, names);
        if (problems.length === 0) ctx.out(say('sites.check.ok', { date: asOf, districts: [...new Set(rows.map((r) => shownDistrict(names, r.district)))].join('、') }));
        else {
          ctx.out(say('sites.check.title', { date: asOf, count: problems.length }));
          for (const p of problems) ctx.out(`  ${p}`);
        }
      });
    });

  sites
    .command('export')
    .description(help('sites.help.export'))
    .requiredOption('--csv <file>', help('sites.opt.csv'))
    .option('--district <name>', help('sites.opt.district'))
    .addOption(dbOption())
    .option('--force', help('output.force.help'))
    .action(async (options: { csv: string; district?: string; db?: string; force?: boolean }) => {
      await withDatabase(options.db, { readOnly: true }, async (store) => {
        const plan = await requirePlan(store);
        const lang = planLang(ctx, plan);
        const say = translator(lang);
        const district = options.district !== undefined ? canonicalDistrict(options.district) : undefined;
        const table = withDistrictsAsWritten(await querySitesForExport(store, district), plan.districtNames ?? {});
        const status = table.columns.findIndex((c) => c.name === 'status');
        const rows = table.rows.map((row) => row.map((cell, i) => (i === status && typeof cell === 'string' ? say(`sites.status.${cell as SiteStatus}`) : cell)));
        const headers = Object.fromEntries(Object.entries(EXPORT_HEADERS).map(([column, id]) => [column, say(id)]));
        const csv = toCsv({ columns: table.columns, rows }, { bom: options.csv !== '-', headers });
        if (options.csv === '-') ctx.out(csv.replace(/\r\n$/, ''));
        else {
          checkOutputFile(options.csv, { db: store.path, force: options.force });
          fs.writeFileSync(options.csv, csv);
          ctx.out(say('sites.export.written', { file: options.csv, count: rows.length }));
        }
      });
    });
}
