// `minsheng validate` and `minsheng normalise` as a clerk uses them: reports, JSON, exit codes, bad files.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { BREAKDOWN_FILE, COMBINED_FILE, RESPONSIBILITY_FILE } from './helpers/samples';
import { runCli } from './helpers/cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minsheng-cli-'));
const file = (name: string, bytes: string | Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, bytes);
  return p;
};

async function workbookWithFault(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(BREAKDOWN_FILE);
  const ws = wb.worksheets[0];
  let target: ExcelJS.Cell | undefined;
  ws.eachRow((row) =>
    row.eachCell((cell) => {
      if (!target && cell.value === '110張') target = cell;
    }),
  );
  target!.value = '待定';
  const p = path.join(dir, '附件2-有錯.xlsx');
  await wb.xlsx.writeFile(p);
  return p;
}

describe('minsheng validate', () => {
  test('the sample validates: exit 0, a report by file and sheet', async () => {
    const r = await runCli('validate', COMBINED_FILE);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('工作表「附件2」：附件2 任務分解表');
    expect(r.stdout).toContain('共 0 個錯誤');
  });

  test('both attachments as two files are cross-checked, exit 0', async () => {
    const r = await runCli('validate', RESPONSIBILITY_FILE, BREAKDOWN_FILE, '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.files).toHaveLength(2);
    expect(json.files[0].sheets).toEqual([{ sheet: '附件1', kind: 'responsibility' }]);
  });

  test('a file with an error: exit 1, the cell named, in JSON too', async () => {
    const faulty = await workbookWithFault();
    const r = await runCli('validate', faulty, '--json');
    expect(r.code).toBe(1);
    const issue = JSON.parse(r.stdout).files[0].issues.find((i: { code: string }) => i.code === 'bad-quantity');
    expect(issue).toMatchObject({ file: faulty, sheet: '附件2', severity: 'error' });
    expect(issue.cell).toMatch(/^[A-Z]+\d+$/);
    expect(issue.message).toContain('待定');
  });

  test.each([
    ['empty.xlsx', ''],
    ['text.xlsx', '序號,項目名稱\n1,新增老年助餐服務點\n'],
    ['random.xlsx', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256))],
    ['truncated.xlsx', fs.readFileSync(COMBINED_FILE).subarray(0, 3000)],
  ])('unreadable %s: exit 2 with a one-line reason naming the file, other files still checked', async (name, bytes) => {
    const bad = file(name, bytes);
    const r = await runCli('validate', bad, COMBINED_FILE);
    expect(r.code).toBe(2);
    const line = r.stdout.split('\n').find((l) => l.includes('無法讀取'))!;
    expect(line).toContain(name);
    expect(r.stdout).not.toMatch(/\n\s+at /);
    expect(r.stdout).toContain('工作表「附件2」');
  });

  test('a workbook with nothing recognisable: exit 2', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('銷售').addRows([
      ['月份', '銷售額'],
      ['1月', 100],
    ]);
    const p = path.join(dir, 'sales.xlsx');
    await wb.xlsx.writeFile(p);
    const r = await runCli('validate', p);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('沒有可識別的表格');
  });
});

describe('minsheng normalise', () => {
  test('writes a normalised copy and leaves the input as it was', async () => {
    const before = fs.readFileSync(COMBINED_FILE);
    const out = path.join(dir, 'normalised.xlsx');
    const r = await runCli('normalise', COMBINED_FILE, '-o', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('原表已備份為「附件2(原始)」');
    expect(fs.existsSync(out)).toBe(true);
    expect(fs.readFileSync(COMBINED_FILE).equals(before)).toBe(true);
    const again = await runCli('normalise', out, '-o', path.join(dir, 'again.xlsx'));
    expect(again.stdout).toContain('已經是規範格式');
  });

  test('refuses to overwrite its input', async () => {
    const copy = path.join(dir, 'copy.xlsx');
    fs.copyFileSync(COMBINED_FILE, copy);
    const r = await runCli('normalise', copy, '-o', copy);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('就是輸入檔案');
  });
});
