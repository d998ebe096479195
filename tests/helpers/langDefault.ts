// Tests written against the traditional-script sample read traditional output: unless a test sets a
// language itself (tests/messages*.test.ts do, through --lang, MINSHENG_LANG or LANG), runs inherit
// MINSHENG_LANG=zh-TW, in process and in the child processes they start.
if (process.env.MINSHENG_LANG === undefined) process.env.MINSHENG_LANG = 'zh-TW';
