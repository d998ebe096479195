// The folder of received files and `minsheng rebuild` (docs/design.md, "The folder of received files"),
// as a user meets them: files sent to the real service and loaded with `minsheng load` are kept beside
// the database (refused ones never); a damaged database file makes every command say so in Chinese with
// the rebuild command to run, leaving the file as it was; that command makes a database whose ranking,
// lag and history are the original's.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Plan } from '../core/model';
import type { RunningService } from '../pipeline/server/service';
import { addToken } from '../pipeline/server/tokens';
import { combinedPlan, readPlanFiles } from '../pipeline/planFiles';
import { folderName } from '../pipeline/archive/receivedFiles';
import { runCli, runCliWith, type CliResult } from './helpers/cli';
import { BREAKDOWN_FILE, COMBINED_FILE, RESPONSIBILITY_FILE, SUBMISSIONS_DIR } from './helpers/samples';
import { filledTemplate, request, sampleSubmission, uploadHeaders } from './helpers/server';
import { removeTempDirs, tempDir } from './helpers/tempDir';

let dir: string;
let db: string;
let received: string;
let plan: Plan;
/** What each upload answered, by name. */
const status: Record<string, number> = {};
const uploaded: Record<string, Buffer> = {};

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const json = (result: CliResult) => {
  expect({ code: result.code, stderr: result.stderr }).toMatchObject({
    code: 0,
  });
  return JSON.parse(result.stdout);
};

/** Every kept record in the folder (the .json beside each kept file), in file-name order. */
function records(folder: string): { path: string; record: Record<string, unknown> }[] {
  return (fs.readdirSync(folder, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      path: path.join(folder, f),
      record: JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8')) as Record<string, unknown>,
    }));
}

beforeAll(async () => {
  dir = tempDir('minsheng-rebuild-');
  db = path.join(dir, 'minsheng.duckdb');
  received = `${db}.received`;
  plan = combinedPlan(await readPlanFiles([COMBINED_FILE])).plan;
  expect((await runCli('plan', 'load', RESPONSIBILITY_FILE, BREAKDOWN_FILE, '--db', db)).code).toBe(0);
  // A clerk's folder, loaded from the command line: March and July (with 餘杭區's correction).
  for (const month of ['2024-03', '2024-07']) expect((await runCli('load', path.join(SUBMISSIONS_DIR, month), '--db', db)).code).toBe(0);

  const tokens = path.join(dir, 'tokens.json');
  const yuhang = addToken(tokens, { district: '餘杭區' }).token;
  const shangcheng = addToken(tokens, { district: '上城區' }).token;
  const correction = await filledTemplate(plan, '餘杭區', '2024-09-30', tempDir(), 0.8);
  const served = await runCliWith(
    {
      serve: {
        until: async (service: RunningService) => {
          const upload = async (name: string, token: string, header: string, bytes: Buffer) => {
            uploaded[name] = bytes;
            status[name] = (
              await request(service.url, '/api/submissions', {
                method: 'POST',
                headers: uploadHeaders(token, header),
                body: bytes,
              })
            ).status;
          };
          // A name that tries to leave the folder and hides its extension: it names nothing on disk.
          await upload('yuhang', yuhang, '../../..\u202Exslx.餘杭區.xlsx', sampleSubmission('餘杭區'));
          await upload('shangcheng', shangcheng, '上城區.xlsx', sampleSubmission('上城區'));
          await upload('correction', yuhang, '餘杭區（更正）.xlsx', correction);
          await upload('again', yuhang, '餘杭區（再傳）.xlsx', correction);
          await upload('other district', yuhang, '西湖區.xlsx', sampleSubmission('西湖區'));
          await upload('unreadable', yuhang, '壞檔.xlsx', Buffer.from('PK\u0003\u0004 not really a workbook'));
        },
      },
    },
    'serve',
    '--db',
    db,
    '--tokens',
    tokens,
    '--port',
    '0',
    '--log',
    path.join(dir, 'requests.log'),
  );
  expect({ code: served.code, stderr: served.stderr }).toMatchObject({
    code: 0,
  });
}, 300_000);

afterAll(removeTempDirs);

describe('the folder of received files', () => {
  test('every file the service accepted is kept byte for byte beside the database, by district and date; refused ones are not', () => {
    expect(status).toEqual({
      yuhang: 200,
      shangcheng: 200,
      correction: 200,
      again: 200,
      'other district': 403,
      unreadable: 422,
    });
    // The loads before were of March and July: what the service kept is dated 2024-09-30.
    const fromService = records(received).filter((r) => r.record.kind === 'submission' && (r.record.reports as { asOf: string }[])[0].asOf === '2024-09-30');
    const kept = fromService.map((r) => ({
      folder: path.relative(received, path.dirname(r.path)),
      fileName: r.record.fileName,
      bytes: sha(fs.readFileSync(path.join(path.dirname(r.path), String(r.record.file)))),
    }));
    // The same correction sent twice is kept once; the other district's file and the unreadable one not at all.
    expect(kept).toEqual([
      {
        folder: path.join('上城區', '2024-09-30'),
        fileName: '上城區.xlsx',
        bytes: sha(uploaded.shangcheng),
      },
      {
        folder: path.join('餘杭區', '2024-09-30'),
        fileName: '..xslx.餘杭區.xlsx',
        bytes: sha(uploaded.yuhang),
      },
      {
        folder: path.join('餘杭區', '2024-09-30'),
        fileName: '餘杭區（更正）.xlsx',
        bytes: sha(uploaded.correction),
      },
    ]);
    const all = records(received).filter((r) => r.record.kind === 'submission');
    const shas = all.map((r) => r.record.sha256);
    expect(new Set(shas).size).toBe(shas.length);
    expect(shas).not.toContain(sha(uploaded['other district']));
    expect(shas).not.toContain(sha(uploaded.unreadable));
    // Nothing was written outside the folder: the database's folder holds only what it held.
    expect(fs.readdirSync(dir).sort()).toEqual(['minsheng.duckdb', 'minsheng.duckdb.received', 'requests.log', 'tokens.json']);
    for (const r of all) expect(path.relative(received, r.path).startsWith('..')).toBe(false);
  });

  test('`minsheng load` keeps what it stored, and `plan load` the plan workbooks', () => {
    const all = records(received);
    const plans = all.filter((r) => r.record.kind === 'plan');
    expect(plans).toHaveLength(1);
    expect((plans[0].record.files as { fileName: string }[]).map((f) => f.fileName)).toEqual(['附件1-責任清單.xlsx', '附件2-任務分解表.xlsx']);
    const loaded = all.filter((r) => r.record.kind === 'submission' && ['2024-03-31', '2024-07-31'].includes((r.record.reports as { asOf: string }[])[0].asOf));
    // 15 districts in March, 15 in July and 餘杭區's correction.
    expect(loaded).toHaveLength(31);
    expect(loaded.map((r) => r.record.fileName)).toContain('餘杭區（更正）.xlsx');
  });

  test('--received puts the folder elsewhere; load --no-archive keeps nothing', async () => {
    const elsewhere = tempDir();
    const other = path.join(elsewhere, 'other.duckdb');
    const folder = path.join(elsewhere, '收件');
    expect((await runCli('plan', 'load', COMBINED_FILE, '--db', other, '--received', folder)).code).toBe(0);
    expect((await runCli('load', path.join(SUBMISSIONS_DIR, '2024-08', '上城區.xlsx'), '--db', other, '--no-archive')).code).toBe(0);
    expect((await runCli('load', path.join(SUBMISSIONS_DIR, '2024-08', '西湖區.xlsx'), '--db', other, '--received', folder)).code).toBe(0);
    expect(records(folder).map((r) => [r.record.kind, r.record.kind === 'plan' ? (r.record.files as { fileName: string }[])[0].fileName : r.record.fileName])).toEqual([
      ['plan', '附件1+2.xlsx'],
      ['submission', '西湖區.xlsx'],
    ]);
    expect(fs.existsSync(`${other}.received`)).toBe(false);
  }, 120_000);

  test('a folder name is safe for any district text', () => {
    for (const text of ['..', '../../etc', 'a/b\\c', 'CON', 'x\u202Eyz', '', '. .', '西湖區:*?"<>|']) {
      const name = folderName(text);
      expect(name).not.toMatch(/[\\/:*?"<>|\u202e]/);
      expect(name).not.toMatch(/^\./);
      expect(name.length).toBeGreaterThan(0);
      expect(name.toUpperCase()).not.toBe('CON');
    }
  });
});

describe('a damaged database', () => {
  /** Each command a user may run on the database, with what it needs besides --db. */
  const commands = (file: string): string[][] => [
    ['load', path.join(SUBMISSIONS_DIR, '2024-08'), '--db', file],
    ['plan', 'load', COMBINED_FILE, '--db', file],
    ['rank', '--db', file],
    ['lag', '--db', file],
    ['history', '--db', file],
    ['forecast', '--db', file],
    ['sql', 'SELECT 1', '--db', file],
    ['report', '--db', file, '-o', path.join(dir, 'report.xlsx')],
    ['supervise', 'list', '--db', file],
    ['serve', '--db', file, '--tokens', path.join(dir, 'tokens.json'), '--port', '0'],
  ];
  let reference: Record<string, unknown>;
  let july: Record<string, unknown>;

  beforeAll(async () => {
    reference = {
      ranking: json(await runCli('rank', '--as-of', '2024-09-30', '--json', '--db', db)),
      lag: json(await runCli('lag', '--as-of', '2024-09-30', '--json', '--db', db)),
      history: json(await runCli('history', '--json', '--db', db)),
    };
    july = {
      ranking: json(await runCli('rank', '--as-of', '2024-07-31', '--json', '--db', db)),
      lag: json(await runCli('lag', '--as-of', '2024-07-31', '--json', '--db', db)),
    };
  }, 120_000);

  /** Runs every command on `file` and checks what the user sees; the file (and its log) stay as they were. */
  async function expectDamaged(file: string, why: RegExp): Promise<string> {
    const before = [file, `${file}.wal`].map((f) => (fs.existsSync(f) ? sha(fs.readFileSync(f)) : 'absent'));
    let message = '';
    for (const args of commands(file)) {
      const result = await runCliWith({ serve: { until: async () => undefined } }, '--lang', 'zh-TW', ...args);
      expect({ command: args[0], code: result.code }).toEqual({
        command: args[0],
        code: 2,
      });
      expect(result.stderr).toContain(`資料庫檔案「${file}」已損壞`);
      expect(result.stderr).toMatch(why);
      expect(result.stderr).toContain('這個檔案沒有被修改，也沒有被刪除');
      expect(result.stderr).toMatch(/\n {2}minsheng rebuild --db \S+/);
      // No English from DuckDB, no stack trace.
      expect(result.stderr).not.toMatch(/IO Error|Error:|\n\s+at /);
      message = result.stderr;
    }
    expect([file, `${file}.wal`].map((f) => (fs.existsSync(f) ? sha(fs.readFileSync(f)) : 'absent'))).toEqual(before);
    return message;
  }

  test('a file of garbage, or one with a damaged write-ahead log: every command says so in Chinese and changes nothing', async () => {
    const garbage = path.join(tempDir(), 'garbage.duckdb');
    fs.writeFileSync(garbage, Buffer.alloc(64 * 1024, 'x'));
    const said = await expectDamaged(garbage, /不是有效的 DuckDB 資料庫檔案/);
    // No folder of received files beside it: the command says what to put in its place.
    expect(said).toContain(`沒有找到收件資料夾「${garbage}.received」`);
    expect(said).toContain('minsheng rebuild --db');
    expect(said).toContain('--plan <附件1.xlsx>');

    // A copy of the database with changes left in its write-ahead log, one entry of which is then overwritten.
    const walDb = path.join(tempDir(), 'wal.duckdb');
    fs.copyFileSync(db, walDb);
    const instance = await DuckDBInstance.create(walDb);
    const connection = await instance.connect();
    await connection.run('PRAGMA disable_checkpoint_on_shutdown');
    await connection.run("SET wal_autocheckpoint = '1GB'");
    await connection.run('CREATE TABLE scratch AS SELECT range AS n FROM range(1000)');
    connection.closeSync();
    instance.closeSync();
    const wal = `${walDb}.wal`;
    const fd = fs.openSync(wal, 'r+');
    fs.writeSync(fd, Buffer.alloc(64, 0x41), 0, 64, 40);
    fs.closeSync(fd);
    await expectDamaged(walDb, /預寫日誌「.*wal\.duckdb\.wal」已損壞/);

    // The simplified script says the same.
    const simplified = await runCli('--lang', 'zh-CN', 'rank', '--db', garbage);
    expect(simplified.stderr).toContain(`数据库文件「${garbage}」已损坏`);
  }, 300_000);

  test('a truncated database: the command it offers rebuilds ranking, lag and history exactly, from the folder beside it', async () => {
    const pristine = fs.readFileSync(db);
    fs.truncateSync(db, Math.floor(pristine.length / 2));
    const said = await expectDamaged(db, /像是被截斷了/);
    expect(said).toContain(`收件資料夾「${received}」中存有 1 份計劃和 34 份報送檔案`);
    expect(said).toMatch(/掛牌督辦/); // what a rebuild cannot bring back is said
    const command = /\n {2}(minsheng rebuild .*)\n/.exec(said)![1];
    const args = command.split(' ').slice(1);
    expect(args).toEqual(['rebuild', '--db', path.join(dir, 'minsheng.rebuilt.duckdb'), '--from', received]);

    const rebuilt = await runCli(...args);
    expect({ code: rebuilt.code, stderr: rebuilt.stderr }).toEqual({
      code: 0,
      stderr: '',
    });
    expect(rebuilt.stdout).toContain('載入計劃 1 次，重放報送檔案 34 份（新載入 34，其中更正前一份 2；重複 0；未載入 0；內容不符 0）');
    expect(rebuilt.stdout).toContain('掛牌督辦的案件和記錄');
    const newDb = args[2];
    expect({
      ranking: json(await runCli('rank', '--as-of', '2024-09-30', '--json', '--db', newDb)),
      lag: json(await runCli('lag', '--as-of', '2024-09-30', '--json', '--db', newDb)),
      history: json(await runCli('history', '--json', '--db', newDb)),
    }).toEqual(reference);
    // The damaged file is still there as it was; the new database has its own folder of received files.
    expect(fs.statSync(db).size).toBe(Math.floor(pristine.length / 2));
    expect(records(`${newDb}.received`).filter((r) => r.record.kind === 'submission')).toHaveLength(records(received).filter((r) => r.record.kind === 'submission').length);

    // Run again, it refuses to overwrite the new database without --force.
    const again = await runCli(...args);
    expect({ code: again.code, stderr: again.stderr }).toEqual({
      code: 2,
      stderr: expect.stringContaining('已存在，未覆蓋；如要覆蓋請加 --force'),
    });
  }, 300_000);

  test("without a folder of received files: the plan workbook and the clerk's own folders, in file-name order; --force replaces an existing file", async () => {
    const target = path.join(tempDir(), 'from-folders.duckdb');
    fs.writeFileSync(target, 'not a database yet');
    const folders = ['2024-03', '2024-07'].flatMap((month) => ['--from', path.join(SUBMISSIONS_DIR, month)]);
    const rebuilt = await runCli('rebuild', '--db', target, '--plan', COMBINED_FILE, ...folders, '--force');
    expect({ code: rebuilt.code, stderr: rebuilt.stderr }).toEqual({ code: 0, stderr: '' });
    // 餘杭區（更正）.xlsx follows 餘杭區.xlsx and supersedes it, as `minsheng load` of the folder does.
    expect(rebuilt.stdout).toContain('重放報送檔案 31 份（新載入 31，其中更正前一份 1；');
    const at = (file: string) => ['--as-of', '2024-07-31', '--json', '--db', file];
    expect({ ranking: json(await runCli('rank', ...at(target))), lag: json(await runCli('lag', ...at(target))) }).toEqual(july);
  }, 300_000);
});
