// 晾曬通報 (`minsheng bulletin`) on the small hand-made year: who is praised and named (ties at the cut
// included), the Word document's ranking table, text and pictures, what is recorded for the assessment,
// and LibreOffice turning the document into a PDF with its text intact.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { bulletinMentions, type BulletinRankingRow } from '../core/supervision/bulletin';
import { runQuery } from '../pipeline/db/queries';
import { openStore } from '../pipeline/db/store';
import { rowObjects } from '../pipeline/output/resultTable';
import { runCli } from './helpers/cli';
import { allOf, located, machine, testIf } from './helpers/machine';
import { storeWith } from './helpers/store';
import { removeTempDirs, tempDir } from './helpers/tempDir';
import { SMALL_LOADS, SMALL_PLAN } from './helpers/reference/fixtures';

afterAll(removeTempDirs);

const run = promisify(execFile);
let dir: string;
let db: string;

beforeAll(async () => {
  dir = tempDir('minsheng-bulletin-');
  db = path.join(dir, 'm.duckdb');
  const { store } = await storeWith(SMALL_PLAN, SMALL_LOADS, db);
  store.close();
});

const cli = (...args: string[]) => runCli(...args, '--db', db);

async function query(sql: string) {
  const store = await openStore(db, { readOnly: true });
  try {
    return rowObjects(await runQuery(store, sql));
  } finally {
    store.close();
  }
}

/** The text of each paragraph of word/document.xml, and the cells of each table row. */
async function readDocx(file: string) {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const xml = await zip.file('word/document.xml')!.async('string');
  const text = (fragment: string) => [...fragment.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
  const paragraphs = [...xml.matchAll(/<w:p[ >].*?<\/w:p>/gs)].map((m) => text(m[0]));
  const tables = [...xml.matchAll(/<w:tbl>.*?<\/w:tbl>/gs)].map((t) => [...t[0].matchAll(/<w:tr[ >].*?<\/w:tr>/gs)].map((r) => [...r[0].matchAll(/<w:tc>.*?<\/w:tc>/gs)].map((c) => text(c[0]))));
  const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
  const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
  const fonts = await zip.file('word/fontTable.xml')!.async('string');
  return { zip, xml, paragraphs, tables, media, rels, fonts };
}

describe('who is praised and who is named', () => {
  const row = (rank: number, district: string, attainment: number | null, tieRank = rank): BulletinRankingRow => ({
    rank,
    district,
    schedule_attainment: attainment,
    completion: attainment ?? 0,
    tie_rank: tieRank,
    metric_count: 5,
    missing_count: 0,
    seriously_behind_count: 0,
  });
  const ranking = [row(1, 'A', 1), row(2, 'B', 0.9), row(3, 'C', 0.8), row(4, 'D', 0.8, 3), row(5, 'E', 0.7), row(6, 'F', 0.6), row(7, 'G', null)];
  const who = (rows: BulletinRankingRow[], praised: number, named: number) =>
    bulletinMentions(rows, { praised, named }).map((m) => `${m.mention}:${m.district}`);

  test('the front and the back of the ranking, a tie at the cut taken whole, districts without a schedule left out', () => {
    expect(who(ranking, 2, 2)).toEqual(['praised:A', 'praised:B', 'named:E', 'named:F']);
    expect(who(ranking, 3, 3)).toEqual(['praised:A', 'praised:B', 'praised:C', 'praised:D', 'named:E', 'named:F']);
    expect(who(ranking, 1, 3)).toEqual(['praised:A', 'named:C', 'named:D', 'named:E', 'named:F']);
  });

  test('nobody is named who keeps to schedule, and nobody is both', () => {
    expect(who([row(1, 'A', 1), row(2, 'B', 1, 1), row(3, 'C', 1, 1)], 1, 2)).toEqual(['praised:A', 'praised:B', 'praised:C']);
    // B keeps to schedule (attainment 1) but ranks behind A on completion: at the back, still not named.
    expect(who([row(1, 'A', 1), { ...row(2, 'B', 1), completion: 0.8 }, row(3, 'C', 0.5)], 1, 2)).toEqual(['praised:A', 'named:C']);
    expect(who(ranking, 0, 0)).toEqual([]);
  });
});

describe('minsheng bulletin', () => {
  let first: Awaited<ReturnType<typeof readDocx>>;
  let second: Awaited<ReturnType<typeof readDocx>>;

  beforeAll(async () => {
    expect((await cli('supervise', 'open', '--as-of', '2024-06-30')).code).toBe(0);
    const one = await cli('bulletin', '--as-of', '2024-06-30', '--praised', '1', '--named', '2', '-o', path.join(dir, '通報-0630.docx'), '--lang', 'zh-TW');
    expect(one.stderr).toBe('');
    expect(one.stdout).toBe(`已寫出通報 ${path.join(dir, '通報-0630.docx')}：截至2024-06-30，第1期，表揚上城區，點名拱墅區、濱江區、西湖區（通報編號 1，已記錄）。`);
    expect((await cli('supervise', 'review', '--as-of', '2024-09-30')).code).toBe(0);
    expect((await cli('supervise', 'open', '--as-of', '2024-09-30')).code).toBe(0);
    const two = await cli('bulletin', '--as-of', '2024-09-30', '-o', path.join(dir, '通報-0930.docx'), '--lang', 'zh-TW');
    expect(two.code).toBe(0);
    first = await readDocx(path.join(dir, '通報-0630.docx'));
    second = await readDocx(path.join(dir, '通報-0930.docx'));
  });

  test('the ranking table has each district of the ranking once, in rank order, with its mention', async () => {
    const ranking = await query("SELECT rank, district FROM ranking(DATE '2024-09-30') ORDER BY rank");
    const [table] = second.tables;
    expect(table[0]).toEqual(['名次', '區縣', '進度達成率', '完成率', '指標數', '嚴重滯後', '未報送', '通報']);
    expect(table.slice(1).map((cells) => cells[1])).toEqual(ranking.map((r) => r.district));
    expect(table.slice(1).map((cells) => [cells[0], cells[2], cells[7]])).toEqual([
      ['1', '100.0%', '表揚'],
      ['2', '85.6%', '表揚'],
      ['3', '84.2%', '表揚'],
      ['4', '53.7%', '點名'],
    ]);
    // 6/30: 拱墅區 and 濱江區 share a score (separated by district order only) and are named together.
    expect(first.tables[0].slice(1).map((cells) => [cells[0], cells[1], cells[7]])).toEqual([
      ['1', '上城區', '表揚'],
      ['2（並列）', '拱墅區', '點名'],
      ['3（並列）', '濱江區', '點名'],
      ['4', '西湖區', '點名'],
    ]);
  });

  test('the praised and named in the text and in the record are the ranking\'s', async () => {
    const mentions = await query('SELECT bulletin_id, district, mention, rank FROM bulletin_mentions ORDER BY bulletin_id, mention DESC, rank');
    expect(mentions.map((m) => `${m.bulletin_id}:${m.mention}:${m.district}:${m.rank}`)).toEqual([
      '1:praised:上城區:1',
      '1:named:拱墅區:2',
      '1:named:濱江區:3',
      '1:named:西湖區:4',
      '2:praised:上城區:1',
      '2:praised:拱墅區:2',
      '2:praised:濱江區:3',
      '2:named:西湖區:4',
    ]);
    const body = second.paragraphs.join('\n');
    expect(body).toContain('上城區（第1名，進度達成率100.0%，完成率90.8%）、拱墅區（第2名，進度達成率85.6%，完成率71.5%）、濱江區（第3名，進度達成率84.2%，完成率71.7%）進度達成率居全市前列，予以通報表揚。');
    expect(body).toContain('西湖區：進度達成率53.7%，完成率49.0%，居第4名（共4名）。');
    expect(body).toMatch(/嚴重滯後的指標3項：1-1新增老年助餐服務點（完成40\.0%，應完成80\.0%）、2-1食品抽檢合格率（完成73\.7%，應完成94\.7%）、3-1口袋公園（完成33\.3%，應完成100\.0%）。/);
  });

  test('cases are told since the previous bulletin; the bulletin has its title, number, 文號 placeholder and date', async () => {
    const firstBody = first.paragraphs.join('\n');
    expect(firstBody).toContain('截至2024年6月30日，累計掛牌督辦3件，銷號0件');
    expect(firstBody).toContain('目前在督辦3件，均在整改期限內。');
    const body = second.paragraphs.join('\n');
    expect(second.paragraphs.slice(0, 4)).toEqual(['民生實事工作通報', '第2期', '〔2024〕　　號', '杭州市人民政府督查室2024年9月30日']);
    expect(body).toContain('關於2024年民生實事項目推進情況的通報');
    expect(body).toMatch(/2024年6月30日以來，新掛牌督辦\d+件，銷號\d+件/);
    const recorded = await query('SELECT bulletin_id, CAST(as_of AS VARCHAR) AS as_of, CAST(since AS VARCHAR) AS since, lang, superseded_by FROM bulletins ORDER BY bulletin_id');
    expect(recorded).toEqual([
      { bulletin_id: 1, as_of: '2024-06-30', since: null, lang: 'zh-TW', superseded_by: null },
      { bulletin_id: 2, as_of: '2024-09-30', since: '2024-06-30', lang: 'zh-TW', superseded_by: null },
    ]);
  });

  test('both charts are embedded as pictures, and the fonts are named with their alternates', async () => {
    expect(second.media).toHaveLength(2);
    for (const file of second.media) {
      const png = await second.zip.file(file)!.async('nodebuffer');
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      expect(png.readUInt32BE(16)).toBeGreaterThan(500);
      expect(second.rels).toContain(`Target="${file.replace('word/', '')}"`);
    }
    expect([...second.xml.matchAll(/<wp:docPr [^>]*name="([^"]*)"/g)].map((m) => m[1])).toEqual(['ranking', 'lag-heatmap']);
    expect(second.xml).toContain('w:eastAsia="仿宋"');
    expect(second.xml).toContain('w:eastAsia="黑体"');
    expect(second.fonts).toContain('<w:font w:name="仿宋"><w:altName w:val="FangSong"/>');
    expect(second.fonts).toContain('<w:font w:name="黑体"><w:altName w:val="SimHei"/>');
  });

  test('a bulletin rewritten for the same date replaces the earlier one, in the reader\'s script', async () => {
    const again = await runCli('bulletin', '--as-of', '2024-09-30', '-o', path.join(dir, '通报-0930.docx'), '--db', db, '--lang', 'zh-CN');
    expect(again.stdout).toContain('第2期');
    expect(again.stdout).toContain('同一截至日期的第2号通报由这份取代');
    const doc = await readDocx(path.join(dir, '通报-0930.docx'));
    const body = doc.paragraphs.join('\n');
    expect(body).toContain('关于2024年民生实事项目推进情况的通报');
    // Data keeps the plan's script.
    expect(body).toContain('上城區（第1名，进度达成率100.0%');
    const current = await query('SELECT DISTINCT bulletin_id FROM current_mentions() ORDER BY bulletin_id');
    expect(current.map((r) => r.bulletin_id)).toEqual([1, 3]);
  });

  testIf(allOf(machine.writer(), machine.poppler()))('LibreOffice converts the document to PDF with its text intact', async () => {
    const soffice = located(machine.writer());
    const pdfDir = path.join(dir, 'pdf');
    const input = path.join(dir, 'bulletin.docx');
    fs.copyFileSync(path.join(dir, '通報-0930.docx'), input);
    const profile = `file://${path.join(dir, 'lo-profile')}`;
    await run(soffice, [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', pdfDir, input], { timeout: 180_000 });
    const { stdout } = await run('pdftotext', ['-layout', path.join(pdfDir, 'bulletin.pdf'), '-']);
    const text = stdout.replace(/[ \t]+/g, '');
    for (const words of ['民生實事工作通報', '關於2024年民生實事項目推進情況的通報', '三、進度滯後的區縣', '予以通報表揚', '附件1：各區縣民生實事項目進度排名', '圖2']) {
      expect([words, text.includes(words)]).toEqual([words, true]);
    }
    for (const district of ['上城區', '拱墅區', '濱江區', '西湖區']) expect(text).toMatch(new RegExp(`\\d${district}\\d`));
    const { stdout: pages } = await run('pdfinfo', [path.join(pdfDir, 'bulletin.pdf')]);
    expect(Number(/Pages:\s+(\d+)/.exec(pages)![1])).toBeGreaterThanOrEqual(4);
  }, 240_000);
});
