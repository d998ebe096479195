/// <reference types="office-js" />
// The clerk's own settings: the service's address and the token the supervision office gave them. Kept
// in the browser's local storage of the add-in's origin — never in the workbook, which travels (and is
// itself submitted to the service). Where Office partitions an add-in's storage (Office on the web), the
// keys start with Office.context.partitionKey, as Office's documentation asks; settings saved before
// without it are moved under it. A webview without storage keeps them for the session only. Read only
// after Office.onReady: the partition key is not known before.

export interface PaneSettings {
  serviceUrl: string;
  token: string;
  /** The district last chosen for a template. */
  district: string;
  /** The pane's language chosen in 設定 ('zh-CN', 'zh-TW'), or '' to follow Office's display language. */
  lang: string;
}

declare const __DEFAULT_SERVICE_URL__: string | undefined;

/** Set at build time (SERVICE_URL); the service's own default otherwise. */
export const DEFAULT_SERVICE_URL = typeof __DEFAULT_SERVICE_URL__ === 'string' && __DEFAULT_SERVICE_URL__ ? __DEFAULT_SERVICE_URL__ : 'https://localhost:8080';

const KEYS: Record<keyof PaneSettings, string> = {
  serviceUrl: 'minsheng.serviceUrl',
  token: 'minsheng.token',
  district: 'minsheng.district',
  lang: 'minsheng.lang',
};

const memory = new Map<string, string>();

function storage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  try {
    const s = window.localStorage;
    s.setItem('minsheng.probe', '1');
    s.removeItem('minsheng.probe');
    return s;
  } catch {
    return {
      getItem: (k: string) => memory.get(k) ?? null,
      setItem: (k: string, v: string) => void memory.set(k, v),
      removeItem: (k: string) => void memory.delete(k),
    };
  }
}

/** Office.context.partitionKey, or '' where storage is not partitioned (or Office is not there). */
function partitionKey(): string {
  try {
    return typeof Office !== 'undefined' ? (Office.context?.partitionKey ?? '') : '';
  } catch {
    return '';
  }
}

/** The storage key of a setting, in this partition; a value saved unpartitioned before is moved into it. */
function keyOf(s: ReturnType<typeof storage>, name: keyof PaneSettings): string {
  const prefix = partitionKey();
  const key = `${prefix}${KEYS[name]}`;
  if (prefix && s.getItem(key) === null) {
    const earlier = s.getItem(KEYS[name]);
    if (earlier !== null) s.setItem(key, earlier);
  }
  if (prefix) s.removeItem(KEYS[name]);
  return key;
}

export function loadSettings(): PaneSettings {
  const s = storage();
  return {
    serviceUrl: s.getItem(keyOf(s, 'serviceUrl')) || DEFAULT_SERVICE_URL,
    token: s.getItem(keyOf(s, 'token')) ?? '',
    district: s.getItem(keyOf(s, 'district')) ?? '',
    lang: s.getItem(keyOf(s, 'lang')) ?? '',
  };
}

export function saveSettings(changes: Partial<PaneSettings>): PaneSettings {
  const s = storage();
  for (const [name, value] of Object.entries(changes) as [keyof PaneSettings, string][]) {
    const text = value.trim();
    if (text) s.setItem(keyOf(s, name), text);
    else s.removeItem(keyOf(s, name));
  }
  return loadSettings();
}

/** "localhost:8080/" → "https://localhost:8080"; undefined when it is not a web address. */
export function normaliseServiceUrl(text: string): string | undefined {
  const t = text.trim();
  if (!t) return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `https://${t}`);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return undefined;
  }
}
