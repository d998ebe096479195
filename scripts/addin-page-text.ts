// The task pane's text that the page itself carries, outside the bundle: the message of the ES5
// fallback shown where the bundle cannot run (an old web view). The catalogue is TypeScript and the
// fallback must not depend on the bundle, so webpack.config.js runs this script at build time and
// puts its output, both scripts, into taskpane.html.
// Run: npx tsx scripts/addin-page-text.ts (prints JSON).
import { t } from '../core/messages';

export function pageText(): Record<'zh-CN' | 'zh-TW', { oldWebview: string }> {
  return {
    'zh-CN': { oldWebview: t('zh-CN', 'addin.oldWebview') },
    'zh-TW': { oldWebview: t('zh-TW', 'addin.oldWebview') },
  };
}

if (require.main === module) process.stdout.write(JSON.stringify(pageText()));
