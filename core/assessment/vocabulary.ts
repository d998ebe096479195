// The words of the assessment workbooks' closed vocabularies (對象類別, 數據來源, 計分方法, 缺項處理, 是/否)
// and the sheet and column names, as catalogue ids: the writer shows them in the reader's script, the
// readers accept either script (matching folds scripts) and the ASCII codes.
import { t, type PlainMessageId } from '../messages';
import { ASSESSEE_TYPES, METHODS, SOURCES, WHEN_MISSING, type AssesseeType, type Method, type Source, type WhenMissing } from './rules';

export const TYPE_ID: Record<AssesseeType, PlainMessageId> = { district: 'assess.type.district', lead_unit: 'assess.type.lead_unit' };
export const SOURCE_ID: Record<Source, PlainMessageId> = {
  completion: 'assess.source.completion',
  schedule: 'assess.source.schedule',
  satisfaction: 'assess.source.satisfaction',
  third_party: 'assess.source.third_party',
  bulletins: 'assess.source.bulletins',
  participation: 'assess.source.participation',
  workload: 'assess.source.workload',
};
export const METHOD_ID: Record<Method, PlainMessageId> = {
  linear: 'assess.method.linear',
  bands: 'assess.method.bands',
  rank: 'assess.method.rank',
  per_event: 'assess.method.per_event',
};
export const MISSING_ID: Record<WhenMissing, PlainMessageId> = { rescale: 'assess.missing.rescale', omit: 'assess.missing.omit' };

/** Other words people write for the same thing (matched folded, either script). */
const SYNONYMS: Record<string, readonly string[]> = {
  district: ['區縣(市)', '區、縣(市)', '區縣市', '地區', '區'],
  lead_unit: ['牽頭部門', '市級牽頭單位', '市級牽頭部門', '部門', '單位'],
  completion: ['完成情況', '完成率', '年度完成'],
  schedule: ['進度', '進度達成率', '節點進度'],
  satisfaction: ['滿意度', '滿意度測評', '人大滿意度測評'],
  third_party: ['第三方', '第三方評價', '第三方評估'],
  bulletins: ['通報', '晾曬通報', '通報評價優劣度'],
  participation: ['參與監督積極性', '監督', '參與監督'],
  workload: ['任務量', '牽頭實施任務量'],
  linear: ['線性', '比例', '按比例'],
  bands: ['分檔計分', '檔次'],
  rank: ['名次', '按名次計分', '排名'],
  per_event: ['按次', '加減分', '按次計分'],
  rescale: ['折算', '按比例折算'],
  omit: ['不計', '不計分'],
};

export interface VocabularyEntry<T extends string> {
  value: T;
  words: readonly string[];
}

/**
 * A catalogue word as either script shows it. Matching folds characters, but the mainland vocabulary
 * also changes words (資料來源 → 数据来源), so both renderings are accepted.
 */
export function inBothScripts(id: PlainMessageId): string[] {
  return [t('zh-TW', id), t('zh-CN', id)];
}

function vocabulary<T extends string>(values: readonly T[], ids: Record<T, PlainMessageId>): VocabularyEntry<T>[] {
  return values.map((value) => ({ value, words: [...inBothScripts(ids[value] as PlainMessageId), value, ...(SYNONYMS[value] ?? [])] }));
}

export const TYPE_WORDS = vocabulary(ASSESSEE_TYPES, TYPE_ID);
export const SOURCE_WORDS = vocabulary(SOURCES, SOURCE_ID);
export const METHOD_WORDS = vocabulary(METHODS, METHOD_ID);
export const MISSING_WORDS = vocabulary(WHEN_MISSING, MISSING_ID);
export const YES_NO_WORDS: VocabularyEntry<'yes' | 'no'>[] = [
  { value: 'yes', words: [...inBothScripts('assess.yes'), 'yes', 'y', 'true', '1', '√', '✓', '參加', '可以'] },
  { value: 'no', words: [...inBothScripts('assess.no'), 'no', 'n', 'false', '0', '×', '✗', '不參加', '不可以'] },
];
