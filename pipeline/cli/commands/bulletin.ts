// `minsheng bulletin --as-of D -o 通報.docx`: the 晾曬通報 as a Word document in the reader's language,
// recorded (who was praised, who was named) as it is written (docs/design.md, "The supervision loop").
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { canonicalOf } from '../../../core/districtNames';
import { CITY } from '../../../core/districts';
import { translator } from '../../../core/messages';
import { MessageError } from '../../../core/messages/messageError';
import { SUPERVISION_DEFAULTS } from '../../../core/supervision/rules';
import { readBulletinData } from '../../bulletin/bulletinData';
import { bulletinDocx } from '../../bulletin/writeBulletin';
import { lagHeatmap } from '../../charts/lagHeatmap';
import { rankingChart } from '../../charts/ranking';
import { recordBulletin } from '../../db/bulletins';
import { reportDates } from '../../db/queries';
import type { Store } from '../../db/store';
import { checkOutputFile } from '../../output/outputGuard';
import { parameter, TypedDate } from '../../parameters';
import { picture } from '../../report/reportCharts';
import type { CliContext } from '../context';
import { helpTranslator, withPlanScript } from '../lang';
import { asOfOrLatest, dbOption, withDatabase } from '../options';

function mentionCount(option: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 0 || n > 15) throw new MessageError({ id: 'bulletin.count.invalid', params: { option, value: text } });
  return n;
}

/** The default report date (defaultReportDate), said on stderr; the bulletin's own words when nothing is loaded. */
async function defaultBulletinDate(store: Store, ctx: CliContext): Promise<string> {
  if (!(await reportDates(store))) throw new MessageError({ id: 'bulletin.no-data' });
  return asOfOrLatest(store, undefined, (line) => ctx.err(line), ctx.lang?.lang);
}

export function registerBulletinCommand(program: Command, ctx: CliContext): void {
  const help = helpTranslator();
  program
    .command('bulletin')
    .description(help('bulletin.help'))
    .requiredOption('-o, --output <file>', help('bulletin.opt.output'))
    .option('--as-of <date>', help('bulletin.opt.as-of'))
    .option('--issuer <name>', help('bulletin.opt.issuer', { issuer: help('bulletin.issuer.default', { city: CITY }) }))
    .option('--doc-number <text>', help('bulletin.opt.doc-number', { placeholder: help('bulletin.doc-number', { prefix: '', year: 'YYYY', number: '　' }) }))
    .option('--praised <n>', help('bulletin.opt.praised', { n: SUPERVISION_DEFAULTS.praised }))
    .option('--named <n>', help('bulletin.opt.named', { n: SUPERVISION_DEFAULTS.named }))
    .option('--force', help('output.force.help'))
    .addOption(dbOption())
    .action(async (options: { output: string; asOf?: string; issuer?: string; docNumber?: string; praised?: string; named?: string; db?: string; force?: boolean }) => {
      if (path.extname(options.output).toLowerCase() !== '.docx') throw new MessageError({ id: 'bulletin.output.docx', params: { file: options.output } });
      const counts = {
        praised: mentionCount('--praised', options.praised, SUPERVISION_DEFAULTS.praised),
        named: mentionCount('--named', options.named, SUPERVISION_DEFAULTS.named),
      };
      await withDatabase(options.db, {}, async (store) => {
        const asOf = options.asOf !== undefined ? parameter(TypedDate, options.asOf) : await defaultBulletinDate(store, ctx);
        const data = await readBulletinData(store, asOf, counts);
        const lang = withPlanScript(ctx.lang ?? { lang: 'zh-CN', source: 'default' }, data.report.ranking.map((r) => r.district).join('') + data.report.lag.map((r) => r.label).join(''));
        const say = translator(lang);
        const pictures = {
          ranking: await picture('ranking', rankingChart(data.report.ranking, asOf, lang)),
          heatmap: await picture('lag-heatmap', lagHeatmap(data.report.lag, asOf, lang)),
        };
        const bytes = await bulletinDocx(data.input, pictures, {
          lang,
          issuer: options.issuer ?? say('bulletin.issuer.default', { city: CITY }),
          docNumber: options.docNumber ?? say('bulletin.doc-number', { prefix: '', year: data.input.year, number: '　　' }),
        });
        const out = path.resolve(options.output);
        checkOutputFile(out, { db: store.path, force: options.force });
        const recorded = await recordBulletin(
          store,
          {
            asOf,
            ...(data.input.since ? { since: data.input.since } : {}),
            fileName: path.basename(out),
            sha256: createHash('sha256').update(bytes).digest('hex'),
            lang,
            // Kept by canonical name, the store's key, whatever spelling the bulletin showed.
            mentions: data.input.mentions.map((m) => ({ ...m, district: canonicalOf(data.report.districtNames, m.district) })),
          },
          async () => {
            fs.mkdirSync(path.dirname(out), { recursive: true });
            fs.writeFileSync(out, bytes);
          },
        );
        const names = (kind: 'praised' | 'named') => data.input.mentions.filter((m) => m.mention === kind).map((m) => m.district).join('、') || say('bulletin.none');
        ctx.out(say('bulletin.written', { file: options.output, date: asOf, n: data.input.issueNo, praised: names('praised'), named: names('named'), id: recorded.bulletinId }));
        for (const previous of recorded.superseded) ctx.out(say('bulletin.superseded', { previous }));
      });
    });
}
