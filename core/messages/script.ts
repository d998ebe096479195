// The catalogue is written once, in traditional script with Taiwan's computing vocabulary; simplified
// text (zh-CN, mainland vocabulary) is produced from it by OpenCC plus the short list of words below,
// where character conversion alone gives a word mainland users do not say. tests/messages.test.ts
// checks every message in both languages. Only templates are converted, never the data put into them.
import { simplify } from '../text';
import type { Lang } from './lang';

/**
 * Traditional (Taiwan) word → mainland word. Longest first matters only where one contains another.
 * 欄 is a column in Taiwan's Excel and 列 in mainland Excel; rows are 行 in both of our catalogues.
 */
export const MAINLAND_WORDS: readonly (readonly [string, string])[] = [
  ['資料庫', '数据库'],
  ['資料夾', '文件夹'],
  ['資料', '数据'],
  ['文字檔案', '文本文件'],
  ['Word文件', 'Word文档'],
  ['檔案', '文件'],
  ['預設', '默认'],
  ['設定', '设置'],
  ['列印', '打印'],
  ['伺服器', '服务器'],
  ['網路', '网络'],
  ['連結', '链接'],
  ['程式', '程序'],
  ['訊息', '信息'],
  ['登入', '登录'],
  ['支援', '支持'],
  ['儲存格', '单元格'],
  // Excel's menu names differ: Taiwan's 校閱 → 取消保護工作表 is mainland's 审阅 → 撤销工作表保护.
  ['校閱', '审阅'],
  ['取消保護工作表', '撤销工作表保护'],
  ['位元組', '字节'],
  ['二進位', '二进制'],
  ['壓縮檔', '压缩包'],
  ['簡報', '演示文稿'],
  ['匯出', '导出'],
  ['儲存', '保存'],
  ['欄位', '列'],
  ['欄', '列'],
  ['簡體', '简体'],
  ['繁體', '繁体'],
  // A file by its kind is a 檔 in Taiwan and a 文件 on the mainland (分檔, a scoring band, stays).
  ['CSV 檔', 'CSV 文件'],
  ['IPC 檔', 'IPC 文件'],
  ['Arrow 檔', 'Arrow 文件'],
  ['.sql 檔', '.sql 文件'],
  ['唯讀', '只读'],
  ['存取令牌', '访问令牌'],
  ['透過', '通过'],
  ['使用者', '用户'],
  ['著色', '着色'],
  // Making a file, a token, a database: 建立 in Taiwan, 创建 on the mainland (the catalogue uses it for nothing else).
  ['建立', '创建'],
];

/** Mainland words that must not appear in the traditional catalogue (its vocabulary is Taiwan's). */
export const NOT_IN_TRADITIONAL: readonly string[] = ['數據庫', '文件夾', '默認', '服務器', '鏈接', '打印', '網絡'];

/** Taiwan words, in simplified characters, that must not appear in the simplified catalogue (its vocabulary is the mainland's). */
export const NOT_IN_SIMPLIFIED: readonly string[] = ['档案', '资料', '预设', '伺服器', '网路', '程式', '讯息', '登入', '支援', '储存格', '汇出', '透过', '使用者', '唯读', '建立'];

const simplifiedTemplates = new Map<string, string>();

/** A catalogue template in the reader's script. */
export function inScript(template: string, lang: Lang): string {
  if (lang === 'zh-TW') return template;
  const hit = simplifiedTemplates.get(template);
  if (hit !== undefined) return hit;
  let text = template;
  for (const [from, to] of MAINLAND_WORDS) text = text.split(from).join(to);
  text = simplify(text);
  simplifiedTemplates.set(template, text);
  return text;
}
