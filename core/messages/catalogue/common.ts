// Words and sentences shared by every surface: severities, languages, generic failures.
export const COMMON = {
  'severity.error': '錯誤',
  'severity.warning': '警告',
  'severity.info': '提示',
  'lang.zh-CN': '簡體中文',
  'lang.zh-TW': '繁體中文',
  'list.and': '{left}、{right}',
  'list.or': '{left}或{right}',
  'quoted': '「{text}」',
  'lang.invalid': '不認識的語言「{value}」：可用 zh-CN（簡體）或 zh-TW（繁體）。',
} as const;
