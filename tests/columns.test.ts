// The 序號 column: one key (serial) and one parser for 附件2, 附件1 and the 進度報送表.
import { BREAKDOWN_COLUMNS, parseSerial, RESPONSIBILITY_COLUMNS } from '../core/columns';
import { SUBMISSION_COLUMNS } from '../core/submission';

describe('parseSerial: 序號 as clerks write it', () => {
  test.each([
    [1, 1],
    [48, 48],
    [1.0, 1],
    ['1', 1],
    ['１', 1],
    [' 1 ', 1],
    ['1.', 1],
    ['1、', 1],
    ['１２．', 12],
    ['1.0', 1],
    ['\u200B3', 3],
    ['12\n', 12],
    ['10000', 10000],
  ])('%j is project %d', (value, no) => {
    expect(parseSerial(value)).toBe(no);
  });

  // "一" and "（一）" head a category in Chinese tables; "1-1" is a metric id; 0 and fractions number nothing.
  test.each([null, '', '一', '（一）', '一、', '1-1', '1.5', 1.5, 0, '0', -1, '-1', '合計', '#REF!', true, '1234567', 1e6])('%j is not a project number', (value) => {
    expect(parseSerial(value)).toBeUndefined();
  });

  test('every sheet names the column by the same key', () => {
    for (const columns of [BREAKDOWN_COLUMNS, RESPONSIBILITY_COLUMNS, SUBMISSION_COLUMNS]) {
      expect(columns.find((c) => c.label === '序號')?.key).toBe('serial');
    }
  });
});
