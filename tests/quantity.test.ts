// Quantity cells as clerks type them in 附件2 and in progress reports (docs/design.md, "Quantities").
import type { CellValue } from '../core/grid';
import { render } from '../core/messages';
import type { Quantity } from '../core/model';
import { formatQuantityCell, isNoTarget, parseChineseNumber, parseQuantity, quantityText, sameUnit } from '../core/quantity';

function quantity(value: CellValue, numberFormat?: string): Quantity {
  const r = parseQuantity(value, numberFormat);
  if (!r.ok) throw new Error(`expected a quantity for ${JSON.stringify(value)}, got: ${render('zh-TW', r.message)}`);
  return r.quantity;
}

function message(value: CellValue, numberFormat?: string): string {
  const r = parseQuantity(value, numberFormat);
  if (r.ok) throw new Error(`expected an error for ${JSON.stringify(value)}, got ${JSON.stringify(r.quantity)}`);
  return render('zh-TW', r.message);
}

describe('parseQuantity: text cells of 附件2', () => {
  test.each<[string, Quantity]>([
    ['10個', { kind: 'count', value: 10, unit: '個' }],
    ['85.8萬人次', { kind: 'count', value: 858000, unit: '人次' }],
    ['89萬', { kind: 'count', value: 890000, unit: '' }],
    ['3 萬', { kind: 'count', value: 30000, unit: '' }],
    ['1000 人次', { kind: 'count', value: 1000, unit: '人次' }],
    ['4萬 平方米', { kind: 'count', value: 40000, unit: '平方米' }],
    ['100萬平方米', { kind: 'count', value: 1000000, unit: '平方米' }],
    ['500 套(間)', { kind: 'count', value: 500, unit: '套(間)' }],
    ['80套(間)', { kind: 'count', value: 80, unit: '套(間)' }],
    ['6 個', { kind: 'count', value: 6, unit: '個' }],
    ['1.1萬個', { kind: 'count', value: 11000, unit: '個' }],
    ['13.5公裏', { kind: 'count', value: 13.5, unit: '公裏' }],
    ['748 公裏', { kind: 'count', value: 748, unit: '公裏' }],
    ['1,000人次', { kind: 'count', value: 1000, unit: '人次' }],
    ['0個', { kind: 'count', value: 0, unit: '個' }],
    ['10', { kind: 'count', value: 10, unit: '' }],
  ])('%s', (text, expected) => {
    expect(quantity(text)).toEqual(expected);
  });

  test('longer parenthesised text after the unit is a label, a single character is part of the unit', () => {
    expect(quantity('20條(城鄉公交)')).toEqual({ kind: 'count', value: 20, unit: '條', label: '城鄉公交' });
    expect(quantity('40條(地鐵接駁線)')).toEqual({ kind: 'count', value: 40, unit: '條', label: '地鐵接駁線' });
    expect(quantity('500套(間)(青荷驛站)')).toEqual({ kind: 'count', value: 500, unit: '套(間)', label: '青荷驛站' });
  });

  test('compound "new(upgraded)" targets keep both parts', () => {
    expect(quantity('5(4)個')).toEqual({ kind: 'compound', value: 5, extra: 4, unit: '個' });
    expect(quantity('6(13)個')).toEqual({ kind: 'compound', value: 6, extra: 13, unit: '個' });
    expect(quantity('５（４）个')).toEqual({ kind: 'compound', value: 5, extra: 4, unit: '个' });
  });

  test('percentages are rates', () => {
    expect(quantity('83%')).toEqual({ kind: 'rate', value: 0.83 });
    expect(quantity('100%')).toEqual({ kind: 'rate', value: 1 });
    expect(quantity('８３％')).toEqual({ kind: 'rate', value: 0.83 });
    expect(quantity('83.5 %')).toEqual({ kind: 'rate', value: 0.835 });
    expect(quantity('百分之八十三')).toEqual({ kind: 'rate', value: 0.83 });
  });

  test('Chinese numerals', () => {
    expect(quantity('十五個')).toEqual({ kind: 'count', value: 15, unit: '個' });
    expect(quantity('一百二十人')).toEqual({ kind: 'count', value: 120, unit: '人' });
    expect(quantity('兩千張')).toEqual({ kind: 'count', value: 2000, unit: '張' });
    expect(quantity('三萬人次')).toEqual({ kind: 'count', value: 30000, unit: '人次' });
  });

  test('simplified script and full width: unit kept as written, tidied', () => {
    expect(quantity('１０个')).toEqual({ kind: 'count', value: 10, unit: '个' });
    expect(quantity('85.8万人次')).toEqual({ kind: 'count', value: 858000, unit: '人次' });
    expect(quantity('500 套（间）')).toEqual({ kind: 'count', value: 500, unit: '套(间)' });
    expect(quantity(' 10 \n 個 ')).toEqual({ kind: 'count', value: 10, unit: '個' });
    expect(quantity('\u200B10個')).toEqual({ kind: 'count', value: 10, unit: '個' });
  });

  test.each(['--', '—', '－', '-', '——', '/', '', '   ', '\n', '－－', '／', '無'])('%j means no target, not zero', (text) => {
    expect(quantity(text)).toEqual({ kind: 'none' });
  });

  test('null (an empty cell) means no target', () => {
    expect(quantity(null)).toEqual({ kind: 'none' });
  });

  test('negative values are read (a validator flags them)', () => {
    expect(quantity('-5個')).toEqual({ kind: 'count', value: -5, unit: '個' });
    expect(quantity('－5個')).toEqual({ kind: 'count', value: -5, unit: '個' });
    expect(quantity(-5, '0"個"')).toEqual({ kind: 'count', value: -5, unit: '個' });
  });
});

describe('parseQuantity: number cells and their number formats', () => {
  test.each<[number, string | undefined, Quantity]>([
    [10, '0"個"', { kind: 'count', value: 10, unit: '個' }],
    [858000, '#,##0"人次"', { kind: 'count', value: 858000, unit: '人次' }],
    [2.5, '0.0"公裏"', { kind: 'count', value: 2.5, unit: '公裏' }],
    [500, '0"套(間)"', { kind: 'count', value: 500, unit: '套(間)' }],
    [10, '#,##0" 個"', { kind: 'count', value: 10, unit: '個' }],
    [10, '0\\個', { kind: 'count', value: 10, unit: '個' }],
    [10, '[Red]0"個";-0"個"', { kind: 'count', value: 10, unit: '個' }],
    [20, '0"條(城鄉公交)"', { kind: 'count', value: 20, unit: '條', label: '城鄉公交' }],
    [0.83, '0%', { kind: 'rate', value: 0.83 }],
    [0.835, '0.0%', { kind: 'rate', value: 0.835 }],
    // A percent sign written as text in the format: the cell holds the percentage itself (83 shown as 83%).
    [83, '0"%"', { kind: 'rate', value: 0.83 }],
    [83.5, '0.0\\%', { kind: 'rate', value: 0.835 }],
    [10, 'General', { kind: 'count', value: 10, unit: '' }],
    [10, undefined, { kind: 'count', value: 10, unit: '' }],
    [0, 'General', { kind: 'count', value: 0, unit: '' }],
  ])('%p with %p', (value, format, expected) => {
    expect(quantity(value, format)).toEqual(expected);
  });

  test('a date-formatted number is not a quantity', () => {
    expect(message(45382, 'yyyy-mm-dd')).toContain('日期');
  });

  test('NaN and infinities are not quantities', () => {
    expect(message(Number.NaN)).toContain('數值');
    expect(message(Number.POSITIVE_INFINITY)).toContain('數值');
  });
});

describe('parseQuantity: what is not a quantity is an error, never a silent zero', () => {
  test('the brief example message', () => {
    expect(message('待定')).toBe('「待定」不是數量：應為數字加單位，如「10個」，或「--」表示無任務');
  });

  test.each(['見附件', '若干', '個', '萬人', 'abc', '套（间）'])('%s', (text) => {
    const m = message(text);
    expect(m).toContain(`「${text}」`);
    expect(m).toContain('如「10個」');
  });

  test('approximations are errors that say why and suggest the exact form', () => {
    const m = message('10個左右');
    expect(m).toContain('「10個左右」');
    expect(m).toContain('約數');
    expect(m).toContain('左右');
    expect(m).toContain('完成率');
    expect(m).toContain('「10個」');
    expect(message('約10個')).toContain('「10個」');
    expect(message('1000餘場')).toContain('「1000場」');
    expect(message('10個以上')).toContain('「10個」');
    expect(message('約')).toContain('約數');
  });

  test('two numbers that are not a compound name what was found', () => {
    const m = message('5個10個');
    expect(m).toContain('「5個10個」');
    expect(m).toContain('5、10');
    expect(m).toContain('5(4)個');
    expect(message('10個(含2個提升)')).toContain('10、2');
  });

  test('booleans and Excel error values', () => {
    expect(message(true)).toContain('TRUE');
    expect(message(false)).toContain('FALSE');
    expect(message('#REF!')).toContain('公式錯誤');
    expect(message('#N/A')).toContain('公式錯誤');
    expect(message('#DIV/0!')).toContain('公式錯誤');
  });

  test('a unit that is really a note, and an ambiguous 千', () => {
    expect(message('10個待定')).toContain('單位');
    expect(message('3千人')).toContain('3000人');
  });

  test('messages are in traditional script', () => {
    for (const m of [message('待定'), message('10個左右'), message('5個10個'), message(true), message('#REF!')]) {
      expect(m).toMatch(/數量|數字/);
      expect(m).not.toMatch(/数量|数字|单位|约数/);
    }
  });
});

describe('parseChineseNumber', () => {
  test.each<[string, number]>([
    ['十五', 15],
    ['十', 10],
    ['一百二十', 120],
    ['一千零五', 1005],
    ['兩千', 2000],
    ['两千', 2000],
    ['三萬', 30000],
    ['三万五千', 35000],
    ['三萬五', 35000],
    ['十萬', 100000],
    ['〇', 0],
    ['零', 0],
    ['1.5萬', 15000],
    ['85.8萬', 858000],
    ['1萬5千', 15000],
    ['二〇二四', 2024],
    ['15', 15],
    ['１５', 15],
    ['壹佰', 100],
  ])('%s → %d', (text, n) => {
    expect(parseChineseNumber(text)).toBe(n);
  });

  test.each(['', '萬', '幾', '若干', '十十', '百十百', 'abc', '一二三四五六七八九十萬萬萬人'])('%j is not a number', (text) => {
    expect(parseChineseNumber(text)).toBeUndefined();
  });
});

describe('sameUnit', () => {
  test('same unit across scripts, widths and spaces', () => {
    expect(sameUnit('個', '个')).toBe(true);
    expect(sameUnit('公裏', '公里')).toBe(true);
    expect(sameUnit('套(間)', '套（间）')).toBe(true);
    expect(sameUnit(' 人次', '人次')).toBe(true);
    expect(sameUnit('臺', '台')).toBe(true);
    expect(sameUnit('㎡', '平方米')).toBe(true);
    expect(sameUnit('km', '公里')).toBe(true);
  });
  test('a remark in brackets after the unit does not make another unit: the plan says 套(間), a report says 套', () => {
    // Validation of 附件2 and the reading of 進度報送表 both decide by this one rule.
    expect(sameUnit('套(間)', '套')).toBe(true);
    expect(sameUnit('套', '套（間）')).toBe(true);
    expect(sameUnit('套（间）', ' 套 ')).toBe(true);
    expect(sameUnit('個(處)', '个')).toBe(true);
    expect(sameUnit('公里(km)', 'km')).toBe(true);
  });
  test('different units', () => {
    expect(sameUnit('個', '人')).toBe(false);
    expect(sameUnit('人', '人次')).toBe(false);
    expect(sameUnit('套(間)', '間')).toBe(false);
    expect(sameUnit('(間)', '套')).toBe(false);
    expect(sameUnit('', '個')).toBe(false);
  });
});

describe('isNoTarget: what a cell says when a district has nothing', () => {
  test.each([null, '', '   ', '\n', '--', '—', '——', '－', '－－', '-', '/', '／', '\\', '_', '~', '～', '無', '无', '不涉及', ' 無 ', '\u200B--'])('%j means nothing here', (value) => {
    expect(isNoTarget(value)).toBe(true);
    expect(parseQuantity(value)).toEqual({ ok: true, quantity: { kind: 'none' } });
  });
  test.each([0, '0', '0個', '-5', '--5', '無償', '不涉及的', '暫無', true, 12])('%j is not "nothing"', (value) => {
    expect(isNoTarget(value)).toBe(false);
  });
});

describe('formatQuantityCell', () => {
  test('counts become numbers with the unit as a format literal', () => {
    expect(formatQuantityCell({ kind: 'count', value: 10, unit: '個' })).toEqual({ value: 10, numberFormat: '0"個"' });
    expect(formatQuantityCell({ kind: 'count', value: 2.5, unit: '公裏' })).toEqual({ value: 2.5, numberFormat: '0.0"公裏"' });
    expect(formatQuantityCell({ kind: 'count', value: 500, unit: '套(間)' })).toEqual({ value: 500, numberFormat: '0"套(間)"' });
    expect(formatQuantityCell({ kind: 'count', value: 890000, unit: '' })).toEqual({ value: 890000, numberFormat: 'General' });
  });
  test('a label rides in the format literal, so the cell stays a number', () => {
    expect(formatQuantityCell({ kind: 'count', value: 20, unit: '條', label: '城鄉公交' })).toEqual({ value: 20, numberFormat: '0"條(城鄉公交)"' });
  });
  test('rates, compounds, none', () => {
    expect(formatQuantityCell({ kind: 'rate', value: 0.83 })).toEqual({ value: 0.83, numberFormat: '0%' });
    expect(formatQuantityCell({ kind: 'rate', value: 0.835 })).toEqual({ value: 0.835, numberFormat: '0.0%' });
    expect(formatQuantityCell({ kind: 'compound', value: 5, extra: 4, unit: '个' })).toEqual({ value: '5(4)个' });
    expect(formatQuantityCell({ kind: 'compound', value: 5, extra: 4, unit: ' 個 ' })).toEqual({ value: '5(4)個' });
    expect(formatQuantityCell({ kind: 'none' })).toEqual({ value: null });
  });

  const kinds: Quantity[] = [
    { kind: 'count', value: 10, unit: '個' },
    { kind: 'count', value: 858000, unit: '人次' },
    { kind: 'count', value: 2.5, unit: '公裏' },
    { kind: 'count', value: 84.35, unit: '公裏' },
    { kind: 'count', value: 500, unit: '套(間)' },
    { kind: 'count', value: 890000, unit: '' },
    { kind: 'count', value: 12.5, unit: '' },
    { kind: 'count', value: -5, unit: '個' },
    { kind: 'count', value: 0, unit: '個' },
    { kind: 'count', value: 20, unit: '條', label: '城鄉公交' },
    { kind: 'count', value: 20, unit: '', label: '城鄉公交' },
    { kind: 'count', value: 500, unit: '套(間)', label: '青荷驛站' },
    { kind: 'rate', value: 0.83 },
    { kind: 'rate', value: 1 },
    { kind: 'rate', value: 0.835 },
    { kind: 'compound', value: 5, extra: 4, unit: '個' },
    { kind: 'none' },
  ];
  test.each(kinds)('round trip %j', (q) => {
    const cell = formatQuantityCell(q);
    expect(parseQuantity(cell.value, cell.numberFormat)).toEqual({ ok: true, quantity: q });
  });

  test('quantityText writes what a clerk would type', () => {
    expect(quantityText({ kind: 'compound', value: 5, extra: 4, unit: '個' })).toBe('5(4)個');
    expect(quantityText({ kind: 'count', value: 20, unit: '條', label: '城鄉公交' })).toBe('20條(城鄉公交)');
    expect(quantityText({ kind: 'rate', value: 0.83 })).toBe('83%');
  });
});

describe('never throws', () => {
  // A fixed pseudo-random sequence so a failure can be replayed.
  function* randomTexts(count: number): Generator<string> {
    const pool = [...'0123456789.,%％()（）[]萬万億十百千零〇一二兩五個个人次套間公裏-－—/ 　\n約左右餘多以上#REF!"\\', '\uD800', '\uDFFF', '😀', '\u200B'];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < count; i++) {
      const length = Math.floor(next() * 12);
      yield Array.from({ length }, () => pool[Math.floor(next() * pool.length)]).join('');
    }
  }
  test('on any string, format, or odd value', () => {
    const formats = [undefined, 'General', '0"個"', '"', '\\', '[', '0%', ';;;', '0"(4)個"', 'yyyy', '@'];
    for (const text of randomTexts(3000)) {
      expect(() => parseQuantity(text)).not.toThrow();
      expect(() => parseChineseNumber(text)).not.toThrow();
      expect(() => sameUnit(text, '個')).not.toThrow();
      for (const f of formats) expect(() => parseQuantity(text.length, f ?? text)).not.toThrow();
    }
    expect(() => parseQuantity(undefined as unknown as CellValue)).not.toThrow();
    expect(() => parseQuantity({} as unknown as CellValue)).not.toThrow();
    expect(() => parseQuantity(1e300, '0"個"')).not.toThrow();
  });
});

describe('thousands separators other than the comma, and absurd magnitudes, are errors', () => {
  test.each<[string, string]>([
    ['1.234', '1234'],
    ['1.234個', '1234個'],
    ['66.635', '66635'],
    ['1.234.567', '1234567'],
    ['1 234', '1234'],
    ['1\u00a0234人次', '1234人次'],
    ['12\u2009345', '12345'],
    ['1\u3000234', '1234'],
    ["1'234", '1234'],
    ['1’234個', '1234個'],
  ])('%j is never read as a number; the message offers %j', (text, plain) => {
    const m = message(text);
    expect(m).toContain('千位只能用逗號分隔');
    expect(m).toContain(`「${plain}」`);
  });

  test.each<[string, Quantity]>([
    ['1,234', { kind: 'count', value: 1234, unit: '' }],
    ['1，234個', { kind: 'count', value: 1234, unit: '個' }],
    ['0.125', { kind: 'count', value: 0.125, unit: '' }],
    ['1.5萬人', { kind: 'count', value: 15000, unit: '人' }],
    ['85.8萬人次', { kind: 'count', value: 858000, unit: '人次' }],
    ['12.5公里', { kind: 'count', value: 12.5, unit: '公里' }],
    ['1000 人次', { kind: 'count', value: 1000, unit: '人次' }],
    ['1.234%', { kind: 'rate', value: 0.01234 }],
  ])('%j still reads as before', (text, q) => {
    expect(quantity(text)).toEqual(q);
  });

  test('a decimal with three places can still be typed as a number', () => {
    expect(quantity(1.234, '0.000"公里"')).toEqual({ kind: 'count', value: 1.234, unit: '公里' });
  });

  test.each<[CellValue]>([[1e308], [-1e300], [1e16], ['1e308'], ['2000000000000000000個']])('%j is not a quantity', (v) => {
    expect(parseQuantity(v).ok).toBe(false);
  });

  test('magnitudes a plan may hold still read', () => {
    expect(quantity(2_500_000_000)).toEqual({ kind: 'count', value: 2_500_000_000, unit: '' });
    expect(quantity('25億元')).toEqual({ kind: 'count', value: 2_500_000_000, unit: '元' });
  });
});
