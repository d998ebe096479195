// The message catalogue: one definition per id, both scripts clean, and the language chosen in the
// documented order (docs/design.md, "Messages and languages").
import { CATALOGUE, MESSAGE_AREAS, isMessageId, msg, render, t, translator } from '../core/messages';
import { chooseLang, langFromLocale, langOfText, parseLangChoice } from '../core/messages/lang';
import { MAINLAND_WORDS, NOT_IN_SIMPLIFIED, NOT_IN_TRADITIONAL, inScript } from '../core/messages/script';
import { placeholdersOf } from '../core/messages/template';
import { simplify } from '../core/text';

describe('catalogue', () => {
  test('every id is defined in exactly one area', () => {
    const seen = new Map<string, string>();
    for (const [area, messages] of Object.entries(MESSAGE_AREAS)) {
      for (const id of Object.keys(messages)) {
        expect([id, seen.get(id)]).toEqual([id, undefined]);
        seen.set(id, area);
      }
    }
    expect(seen.size).toBe(Object.keys(CATALOGUE).length);
  });

  test('simplified messages hold no traditional-only character and keep their placeholders', () => {
    for (const [id, template] of Object.entries(CATALOGUE)) {
      const simplified = inScript(template, 'zh-CN');
      const leftovers = [...simplified].filter((ch) => simplify(ch) !== ch);
      expect([id, leftovers]).toEqual([id, []]);
      expect([id, placeholdersOf(simplified)]).toEqual([id, placeholdersOf(template)]);
    }
  });

  test('traditional messages use one vocabulary (資料庫, 資料夾, 預設), not the mainland words', () => {
    for (const [id, template] of Object.entries(CATALOGUE)) {
      const mainland = NOT_IN_TRADITIONAL.filter((w) => template.includes(w));
      expect([id, mainland]).toEqual([id, []]);
    }
  });

  test('simplified messages use the mainland vocabulary (数据库, 文件, 默认, 创建), not Taiwan words in simplified characters', () => {
    for (const [id, template] of Object.entries(CATALOGUE)) {
      const taiwan = NOT_IN_SIMPLIFIED.filter((w) => inScript(template, 'zh-CN').includes(w));
      expect([id, taiwan]).toEqual([id, []]);
    }
  });

  test('mainland vocabulary replaces the Taiwan words before character conversion', () => {
    expect(inScript('請指定資料庫檔案或資料夾，預設為目前資料夾。第C欄。', 'zh-CN')).toBe('请指定数据库文件或文件夹，默认为目前文件夹。第C列。');
    expect(MAINLAND_WORDS.every(([from, to]) => inScript(from, 'zh-CN') === to)).toBe(true);
  });

  test('parameters keep the script they were written in; nested messages follow the reader', () => {
    const nested = msg('severity.error');
    expect(render('zh-CN', { id: 'lang.invalid', params: { value: '上城區' } })).toBe('不认识的语言「上城區」：可用 zh-CN（简体）或 zh-TW（繁体）。');
    expect(render('zh-TW', { id: 'lang.invalid', params: { value: nested } })).toContain('「錯誤」');
    expect(render('zh-CN', { id: 'lang.invalid', params: { value: nested } })).toContain('「错误」');
    expect(t('zh-TW', 'severity.warning')).toBe('警告');
    expect(translator('zh-CN')('lang.zh-TW')).toBe('繁体中文');
  });

  test('an unknown id renders as itself and a missing parameter stays visible', () => {
    expect(isMessageId('no.such.message')).toBe(false);
    expect(render('zh-TW', { id: 'no.such.message' })).toBe('no.such.message');
    expect(render('zh-TW', { id: 'lang.invalid' })).toContain('{value}');
  });
});

describe('language choice', () => {
  test('locales as systems spell them', () => {
    expect(langFromLocale('zh_CN.UTF-8')).toBe('zh-CN');
    expect(langFromLocale('zh_SG')).toBe('zh-CN');
    expect(langFromLocale('zh-Hans')).toBe('zh-CN');
    expect(langFromLocale('zh_TW.UTF-8')).toBe('zh-TW');
    expect(langFromLocale('zh_HK.Big5HKSCS')).toBe('zh-TW');
    expect(langFromLocale('zh-Hant-CN')).toBe('zh-TW');
    expect(langFromLocale('zh-mo')).toBe('zh-TW');
    expect(langFromLocale('en_US.UTF-8')).toBeUndefined();
    expect(langFromLocale('C.UTF-8')).toBeUndefined();
    expect(parseLangChoice('zh-TW')).toBe('zh-TW');
    expect(parseLangChoice('klingon')).toBeUndefined();
  });

  test('option, then MINSHENG_LANG, then the first locale variable set, then the plan, then simplified', () => {
    const planTW = '上城區 拱墅區 新增老年助餐服務點';
    const planCN = '上城区 拱墅区 新增老年助餐服务点';
    expect(chooseLang({ option: 'zh-TW', env: 'zh-CN', locales: ['zh_CN.UTF-8'], planText: planCN })).toEqual({ lang: 'zh-TW', source: 'option' });
    expect(chooseLang({ env: 'zh_TW', locales: ['zh_CN.UTF-8'] })).toEqual({ lang: 'zh-TW', source: 'env' });
    expect(chooseLang({ locales: [undefined, '', 'zh_HK.UTF-8'], planText: planCN })).toEqual({ lang: 'zh-TW', source: 'locale' });
    // LC_ALL=C outranks LANG=zh_CN (POSIX), and names no script: the plan decides.
    expect(chooseLang({ locales: ['C', undefined, 'zh_CN.UTF-8'], planText: planTW })).toEqual({ lang: 'zh-TW', source: 'plan' });
    expect(chooseLang({ locales: ['en_US.UTF-8'], planText: planCN })).toEqual({ lang: 'zh-CN', source: 'plan' });
    expect(chooseLang({ planText: '100人次' })).toEqual({ lang: 'zh-CN', source: 'default' });
    expect(chooseLang({ option: 'fr' })).toEqual({ invalid: 'fr' });
  });

  test('the script of a text', () => {
    expect(langOfText('杭州西湖風景名勝區')).toBe('zh-TW');
    expect(langOfText('杭州西湖风景名胜区')).toBe('zh-CN');
    expect(langOfText('1000人次 83%')).toBeUndefined();
  });
});
