// The task pane's text that pages carry themselves, outside the bundle: the message of the ES5 fallback
// shown where the bundle cannot run (an old web view), and the support page (help.html). The catalogue
// is TypeScript and these pages must not depend on the bundle, so webpack.config.js runs this script at
// build time and puts its output, both scripts, into taskpane.html and help.html / help.zh-TW.html.
// Run: npx tsx scripts/addin-page-text.ts (prints JSON).
import { t, type Lang, type PlainMessageId } from '../core/messages';

const HELP = {
  title: 'addin.help.title',
  openTitle: 'addin.help.open.title',
  open: 'addin.help.open',
  checkTitle: 'addin.tab.check',
  validate: 'addin.help.validate',
  normalise: 'addin.help.normalise',
  reportTitle: 'addin.tab.report',
  report: 'addin.help.report',
  chartsTitle: 'addin.tab.charts',
  charts: 'addin.help.charts',
  supervisionTitle: 'cases.pane.tab',
  supervision: 'addin.help.supervision',
  settingsTitle: 'addin.settings',
  settings: 'addin.help.settings',
} as const satisfies Record<string, PlainMessageId>;

export type HelpText = Record<keyof typeof HELP, string>;

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The support page's text in one script, HTML-escaped, for the help.html template. */
export function helpText(lang: Lang): HelpText {
  return Object.fromEntries(Object.entries(HELP).map(([key, id]) => [key, escapeHtml(t(lang, id))])) as HelpText;
}

export function pageText(): Record<Lang, { oldWebview: string; help: HelpText }> {
  return {
    'zh-CN': { oldWebview: t('zh-CN', 'addin.oldWebview'), help: helpText('zh-CN') },
    'zh-TW': { oldWebview: t('zh-TW', 'addin.oldWebview'), help: helpText('zh-TW') },
  };
}

if (require.main === module) process.stdout.write(JSON.stringify(pageText()));
