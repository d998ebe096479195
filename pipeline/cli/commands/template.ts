// `minsheng template`: writes a district's 進度報送表 (docs/design.md, "Progress submissions") from the loaded
// plan, ready to send out.
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { render } from '../../../core/messages';
import { MessageError } from '../../../core/messages/messageError';
import type { Plan } from '../../../core/model';
import { templateRequest, type TemplateRequest } from '../../../core/templateLayout';
import { checkOutputFile } from '../../output/outputGuard';
import { resolveDbPath } from '../../parameters';
import { writeTemplate } from '../../template';
import { dbOption } from '../options';
import type { CliContext } from '../context';
import { readerLang } from '../lang';

interface TemplateOptions {
  district: string;
  asOf: string;
  output: string;
  db?: string;
  force?: boolean;
}

export function registerTemplateCommand(program: Command, ctx: Pick<CliContext, 'lang'>, loadPlan: (dbPath?: string) => Promise<Plan>): Command {
  return program
    .command('template')
    .description('生成某區縣的進度報送表（填報模板）：只列該區有任務的指標，目標已填好，只能在「累計完成」「備註」中填寫')
    .requiredOption('--district <name>', '區縣（繁體、簡體或簡稱均可，如 上城區、上城区、上城）')
    .requiredOption('--as-of <date>', '截至日期，如 2024-09-30 或 2024年9月30日')
    .requiredOption('-o, --output <file>', '寫出的 .xlsx 文件')
    .addOption(dbOption())
    .option('--force', '文件已存在時覆蓋')
    .action(async (opts: TemplateOptions, cmd: Command) => {
      const fail: (message: string) => never = (message) => cmd.error(message, { exitCode: 2, code: 'minsheng.template' });
      const output = resolve(opts.output);
      if (extname(output).toLowerCase() !== '.xlsx') fail(`輸出文件「${opts.output}」應以 .xlsx 結尾。`);
      if (!existsSync(dirname(output)) || !statSync(dirname(output)).isDirectory()) fail(`目錄「${dirname(opts.output)}」不存在，請先建立。`);
      checkOutputFile(output, { db: resolveDbPath(opts.db), force: opts.force });

      let plan: Plan;
      try {
        plan = await loadPlan(opts.db);
      } catch (err) {
        return fail(`讀取計劃失敗：${err instanceof Error ? err.message : String(err)}。請先用「minsheng plan load 附件1.xlsx 附件2.xlsx」載入計劃。`);
      }
      // The district, the date and that there is something to report: checked once, by the template itself.
      let request: TemplateRequest;
      try {
        request = templateRequest(plan, opts.district, opts.asOf);
      } catch (err) {
        if (err instanceof MessageError) return fail(render(readerLang(ctx, [plan]), err.ref));
        throw err;
      }
      const { district, asOf: date } = request;
      const count = request.metrics.length;

      // Written next to the target and renamed into place, so a failure never leaves half a file.
      const partial = resolve(dirname(output), `.${basename(output)}.${process.pid}.partial`);
      try {
        await writeTemplate(plan, district, date, partial);
        renameSync(partial, output);
      } catch (err) {
        rmSync(partial, { force: true });
        return fail(`寫出「${opts.output}」失敗：${err instanceof Error ? err.message : String(err)}`);
      }
      say(cmd, `已生成${district}截至${date}的進度報送表「${opts.output}」：${count}個指標。請填寫「累計完成」和「備註」兩列後報送。`);
    });
}

/** Prints through the program's configured output (the CLI routes it to its context; tests capture it). */
function say(cmd: Command, text: string): void {
  let root = cmd;
  while (root.parent) root = root.parent;
  const write = root.configureOutput().writeOut ?? ((s: string) => process.stdout.write(s));
  write(`${text}\n`);
}
