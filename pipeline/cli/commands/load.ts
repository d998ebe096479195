// `minsheng plan load` and `minsheng load`: the plan and the districts' progress reports into DuckDB.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { hasErrors, issueText, renderIssue, severityLabel } from '../../../core/issues';
import { render, t, type Lang } from '../../../core/messages';
import { keepLoadedFiles, storePlanAndKeep } from '../../archive/keepStored';
import { defaultReceivedDir, ReceivedFiles } from '../../archive/receivedFiles';
import { readPlan } from '../../db/plan';
import { openStore } from '../../db/store';
import { resolveDbPath } from '../../parameters';
import { expandInputs, loadFiles, type FileLoad, type FileVerdict } from '../../loadFiles';
import { exitCodeFor, issueReportJson, renderIssueReport, withDistrictsShownIn } from '../../output/issueReport';
import { issueWithDistrictShown, messageWithDistrictShown, withDistrictShown, type DistrictNames } from '../../../core/districtNames';
import type { CliContext } from '../context';
import { dbOption } from '../options';
import { helpTranslator, readerLang } from '../lang';
import { mark, phase, phaseSync } from '../../phaseTimes';

export function registerLoadCommands(program: Command, ctx: CliContext): void {
  const help = helpTranslator();
  const plan = program.command('plan').description(help('plan.help'));
  plan
    .command('load')
    .description(help('plan.load.help'))
    .argument('<files...>', help('plan.load.files.help'))
    .addOption(dbOption())
    .option('--json', help('json.help'))
    .option('--received <dir>', help('received.help'))
    .option('--no-archive', help('received.no-archive.help'))
    .action(async (files: string[], opts: ArchiveOptions & { db?: string; json?: boolean }) => {
      // Plan workbooks are read with ExcelJS, loaded here only: `minsheng load` does not need it.
      const { readPlanFiles, combinedPlan } = await import('../../planFiles');
      const read = await readPlanFiles(files, { lang: readerLang(ctx) });
      const assembled = combinedPlan(read);
      // The districts its issues name, as this plan writes them.
      const reports = withDistrictsShownIn(
        read.map((f) => f.report),
        assembled.plan.districtNames,
      );
      const code = exitCodeFor(reports);
      const lang = readerLang(ctx, [assembled.plan]);
      const missing = !read.some((f) => f.analysis?.breakdown)
        ? t(lang, 'plan.load.no-breakdown')
        : !read.some((f) => f.analysis?.responsibility)
          ? t(lang, 'plan.load.no-responsibility')
          : undefined;
      if (code !== 0 || missing) {
        ctx.out(opts.json ? JSON.stringify({ loaded: false, reason: missing, ...issueReportJson(reports, lang) }, null, 2) : renderIssueReport(reports, lang));
        ctx.err(t(lang, 'plan.load.refused', { reason: missing ?? t(lang, 'plan.load.has-errors') }));
        ctx.setExitCode(Math.max(code, 1));
        return;
      }
      const store = await openStore(resolveDbPath(opts.db));
      try {
        const kept = files.map((f) => ({ fileName: path.basename(f), bytes: fs.readFileSync(f) }));
        const counts = await storePlanAndKeep(store, assembled.plan, kept, new Date(), receivedFiles(opts, store.path));
        if (opts.json) ctx.out(JSON.stringify({ loaded: true, db: store.path, year: assembled.plan.year, counts, ...issueReportJson(reports, lang) }, null, 2));
        else {
          const warnings = reports.flatMap((r) => r.issues).filter((i) => i.severity === 'warning').length;
          ctx.out(
            t(lang, 'plan.load.loaded', {
              year: assembled.plan.year,
              db: store.path,
              categories: counts.categories,
              projects: counts.projects,
              metrics: counts.metrics,
              targets: counts.targets,
              milestones: counts.milestones,
              warnings: warnings ? t(lang, 'plan.load.warnings', { count: warnings }) : '',
            }),
          );
        }
      } finally {
        store.close();
      }
    });

  program
    .command('load')
    .description(help('load.help'))
    .argument('<inputs...>', help('load.inputs.help'))
    .addOption(dbOption())
    .option('--json', help('json.help'))
    .option('--received <dir>', help('received.help'))
    .option('--no-archive', help('received.no-archive.help'))
    .action(async (inputs: string[], opts: ArchiveOptions & { db?: string; json?: boolean }) => {
      mark('load.start');
      const files = expandInputs(inputs);
      const store = await phase('db.open', () => openStore(resolveDbPath(opts.db)));
      const results: FileLoad[] = [];
      let lang = readerLang(ctx);
      let planNames: DistrictNames | undefined;
      // The bar fills its own placeholders: the catalogue puts them back in as they are.
      const barFormat = t(lang, 'load.progress', { bar: '{bar}', value: '{value}', total: '{total}', file: '{file}' });
      const received = receivedFiles(opts, store.path);
      // Files stored are kept in the folder of received files, in the order they were stored.
      const keep = async () => {
        if (received) for (const note of await keepLoadedFiles(store, received, results)) ctx.err(render(lang, note));
      };
      const bar = ctx.isTTY && !opts.json && files.length > 1 ? new SingleBar({ format: barFormat, hideCursor: true }, Presets.shades_classic) : undefined;
      try {
        const planData = await phase('plan.read', () => readPlan(store));
        lang = readerLang(ctx, [planData]);
        planNames = planData.districtNames;
        bar?.start(files.length, 0, { file: '' });
        await loadFiles(store, planData, files, {
          onFile: (result) => {
            results.push(result);
            bar?.increment({ file: path.basename(result.file) });
          },
        });
        await keep();
      } catch (error) {
        // Stopped part way (a full disk): say which files are in before the error itself.
        bar?.stop();
        await keep().catch(() => undefined);
        const shown = results.map((r) => loadShown(r, planNames));
        ctx.out(opts.json ? JSON.stringify({ files: loadJson(shown, lang), stoppedAt: files[results.length] }, null, 2) : renderLoadReport(shown, lang));
        throw error;
      } finally {
        bar?.stop();
        phaseSync('db.close', () => store.close());
      }
      mark('output');
      const shown = results.map((r) => loadShown(r, planNames));
      if (opts.json) ctx.out(JSON.stringify({ files: loadJson(shown, lang) }, null, 2));
      else ctx.out(renderLoadReport(shown, lang));
      ctx.setExitCode(results.some((r) => r.verdict === 'unreadable') ? 2 : results.some((r) => hasErrors(r.issues)) ? 1 : 0);
    });
}

interface ArchiveOptions {
  received?: string;
  /** false with --no-archive. */
  archive: boolean;
}

/** The folder of received files a loading command keeps its files in (none with --no-archive). */
function receivedFiles(opts: ArchiveOptions, dbPath: string): ReceivedFiles | undefined {
  if (!opts.archive || dbPath === ':memory:') return undefined;
  return new ReceivedFiles(opts.received ? path.resolve(opts.received) : defaultReceivedDir(dbPath));
}

/** A file's verdict as shown: the districts of its submissions, reason and issues as the plan writes them. */
function loadShown(result: FileLoad, names: DistrictNames | undefined): FileLoad {
  return {
    ...result,
    ...(result.reason ? { reason: messageWithDistrictShown(result.reason, names) } : {}),
    submissions: result.submissions.map((s) => withDistrictShown(s, names)),
    issues: result.issues.map((i) => issueWithDistrictShown(i, names)),
  };
}

/** Each file's verdict with its issues rendered in `lang`, next to their ASCII codes. */
function loadJson(results: FileLoad[], lang: Lang) {
  return results.map((r) => ({ ...r, reason: r.reason && render(lang, r.reason), issues: r.issues.map((i) => renderIssue(i, lang)) }));
}

function renderLoadReport(results: FileLoad[], lang: Lang): string {
  const lines: string[] = [];
  for (const r of results.filter((x) => x.verdict === 'rejected' || x.verdict === 'unreadable' || x.issues.length > 0)) {
    const verdict = t(lang, `load.verdict.${r.verdict}`);
    lines.push(r.reason ? t(lang, 'load.file-reason', { file: r.file, verdict, reason: r.reason }) : t(lang, 'load.file', { file: r.file, verdict }));
    for (const issue of r.issues) lines.push(`  ${severityLabel(issue.severity, lang)} ${issue.sheet}!${issue.cell ?? ''} ${issueText(issue, lang)}`);
  }
  const count = (v: FileVerdict) => results.filter((r) => r.verdict === v).length;
  const rows = results.filter((r) => r.verdict === 'loaded' || r.verdict === 'superseded-earlier').reduce((n, r) => n + r.submissions.reduce((m, s) => m + s.rows, 0), 0);
  lines.push(
    t(lang, 'load.summary', {
      files: results.length,
      loaded: count('loaded') + count('superseded-earlier'),
      superseded: count('superseded-earlier'),
      duplicate: count('duplicate'),
      rejected: count('rejected'),
      unreadable: count('unreadable'),
      rows,
    }),
  );
  return lines.join('\n');
}
