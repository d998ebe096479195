// `minsheng plan load` and `minsheng load`: the plan and the districts' progress reports into DuckDB.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { hasErrors, issueText, renderIssue, severityLabel } from '../../../core/issues';
import type { Lang } from '../../../core/messages';
import { readPlan, replacePlan } from '../../db/plan';
import { openStore } from '../../db/store';
import { resolveDbPath } from '../../parameters';
import { expandInputs, loadFiles, type FileLoad, type FileVerdict } from '../../loadFiles';
import { exitCodeFor, issueReportJson, renderIssueReport } from '../../output/issueReport';
import type { CliContext } from '../context';
import { dbOption } from '../options';
import { readerLang } from '../lang';

const VERDICT_LABEL: Record<FileVerdict, string> = {
  loaded: '已載入',
  duplicate: '相同文件已載入過，未重複載入',
  'superseded-earlier': '已載入，取代同一區縣同一日期的早先報送',
  rejected: '未載入',
  unreadable: '無法讀取',
};

export function registerLoadCommands(program: Command, ctx: CliContext): void {
  const plan = program.command('plan').description('年度計劃（附件1、附件2）');
  plan
    .command('load')
    .description('校驗並載入附件1、附件2到數據庫（取代已有的計劃，已載入的進度保留）')
    .argument('<files...>', '附件1、附件2 的 .xlsx 文件（或含兩張表的一個文件）')
    .addOption(dbOption())
    .option('--json', '輸出 JSON')
    .action(async (files: string[], opts: { db?: string; json?: boolean }) => {
      // Plan workbooks are read with ExcelJS, loaded here only: `minsheng load` does not need it.
      const { readPlanFiles, combinedPlan } = await import('../../planFiles');
      const read = await readPlanFiles(files);
      const reports = read.map((f) => f.report);
      const code = exitCodeFor(reports);
      const assembled = combinedPlan(read);
      const lang = readerLang(ctx, [assembled.plan]);
      const missing = !read.some((f) => f.analysis?.breakdown) ? '找不到附件2（任務分解表）' : !read.some((f) => f.analysis?.responsibility) ? '找不到附件1（責任清單）' : undefined;
      if (code !== 0 || missing) {
        ctx.out(opts.json ? JSON.stringify({ loaded: false, reason: missing, ...issueReportJson(reports, lang) }, null, 2) : renderIssueReport(reports, lang));
        ctx.err(`計劃未載入：${missing ?? '文件有錯誤，請按上面的報告修改後再載入。'}`);
        ctx.setExitCode(Math.max(code, 1));
        return;
      }
      const store = await openStore(resolveDbPath(opts.db));
      try {
        const sources = files.map((f) => ({ fileName: path.basename(f), sha256: createHash('sha256').update(fs.readFileSync(f)).digest('hex') }));
        const counts = await replacePlan(store, assembled.plan, sources);
        if (opts.json) ctx.out(JSON.stringify({ loaded: true, db: store.path, year: assembled.plan.year, counts, ...issueReportJson(reports, lang) }, null, 2));
        else {
          const warnings = reports.flatMap((r) => r.issues).filter((i) => i.severity === 'warning').length;
          ctx.out(
            `已載入${assembled.plan.year}年計劃到 ${store.path}：${counts.categories} 個類別、${counts.projects} 個項目、${counts.metrics} 個指標、` +
              `${counts.targets} 個區縣任務、${counts.milestones} 個進度節點${warnings ? `（${warnings} 個警告，可用 minsheng validate 查看）` : ''}。`,
          );
        }
      } finally {
        store.close();
      }
    });

  program
    .command('load')
    .description('載入各區縣的進度報送表（文件或文件夾）；有錯誤的文件整份不載入，其餘照常載入')
    .argument('<inputs...>', '.xlsx 文件或文件夾')
    .addOption(dbOption())
    .option('--json', '輸出 JSON')
    .action(async (inputs: string[], opts: { db?: string; json?: boolean }) => {
      const files = expandInputs(inputs);
      const store = await openStore(resolveDbPath(opts.db));
      const results: FileLoad[] = [];
      let lang = readerLang(ctx);
      const bar = ctx.isTTY && !opts.json && files.length > 1 ? new SingleBar({ format: '載入 {bar} {value}/{total} {file}', hideCursor: true }, Presets.shades_classic) : undefined;
      try {
        const planData = await readPlan(store);
        lang = readerLang(ctx, [planData]);
        bar?.start(files.length, 0, { file: '' });
        await loadFiles(store, planData, files, {
          onFile: (result) => {
            results.push(result);
            bar?.increment({ file: path.basename(result.file) });
          },
        });
      } catch (error) {
        // Stopped part way (a full disk): say which files are in before the error itself.
        bar?.stop();
        ctx.out(opts.json ? JSON.stringify({ files: loadJson(results, lang), stoppedAt: files[results.length] }, null, 2) : renderLoadReport(results, lang));
        throw error;
      } finally {
        bar?.stop();
        store.close();
      }
      if (opts.json) ctx.out(JSON.stringify({ files: loadJson(results, lang) }, null, 2));
      else ctx.out(renderLoadReport(results, lang));
      ctx.setExitCode(results.some((r) => r.verdict === 'unreadable') ? 2 : results.some((r) => hasErrors(r.issues)) ? 1 : 0);
    });
}

/** Each file's verdict with its issues rendered in `lang`, next to their ASCII codes. */
function loadJson(results: FileLoad[], lang: Lang) {
  return results.map((r) => ({ ...r, issues: r.issues.map((i) => renderIssue(i, lang)) }));
}

function renderLoadReport(results: FileLoad[], lang: Lang): string {
  const lines: string[] = [];
  for (const r of results.filter((x) => x.verdict === 'rejected' || x.verdict === 'unreadable' || x.issues.length > 0)) {
    lines.push(`${r.file}：${VERDICT_LABEL[r.verdict]}${r.reason ? `（${r.reason}）` : ''}`);
    for (const issue of r.issues) lines.push(`  ${severityLabel(issue.severity, lang)} ${issue.sheet}!${issue.cell ?? ''} ${issueText(issue, lang)}`);
  }
  const count = (v: FileVerdict) => results.filter((r) => r.verdict === v).length;
  const rows = results.filter((r) => r.verdict === 'loaded' || r.verdict === 'superseded-earlier').reduce((n, r) => n + r.submissions.reduce((m, s) => m + s.rows, 0), 0);
  lines.push(
    `共 ${results.length} 個文件：載入 ${count('loaded') + count('superseded-earlier')}（其中 ${count('superseded-earlier')} 個取代早先報送），` +
      `重複 ${count('duplicate')}，有錯未載入 ${count('rejected')}，無法讀取 ${count('unreadable')}；${rows} 行進度。`,
  );
  return lines.join('\n');
}
