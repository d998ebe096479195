// What several commands share on the command line: the --db option, its help and the database it names,
// and the report date (--as-of, or the latest report in the database). Parsing is pipeline/parameters.ts's.
import { Option } from 'commander';
import { render, type Message } from '../../core/messages';
import { DEFAULT_LANG, type Lang } from '../../core/messages/lang';
import { withStore, type OpenOptions, type Store } from '../db/store';
import { defaultReportDate, parameter, resolveDbPath, TypedDate } from '../parameters';
import { helpTranslator } from './lang';

/** `--db <path>`, for `.addOption(dbOption())` (resolved by resolveDbPath); a `description` when the command uses it its own way. */
export function dbOption(description = helpTranslator()('param.db.help')): Option {
  return new Option('--db <path>', description);
}

/** Opens the database --db (or $MINSHENG_DB, or ./minsheng.duckdb) names for `work`, and closes it after. */
export function withDatabase<T>(dbOption: string | undefined, options: OpenOptions, work: (store: Store) => Promise<T>): Promise<T> {
  return withStore(resolveDbPath(dbOption), options, work);
}

/**
 * The date --as-of names, or when it is not given the default report date (defaultReportDate), whose
 * rule and date are told to the reader on stderr (`note`), so stdout stays machine-readable.
 */
export async function asOfOrLatest(store: Store, text: string | undefined, note?: (line: string) => void, lang: Lang = DEFAULT_LANG): Promise<string> {
  if (text !== undefined) return parameter(TypedDate, text);
  const chosen = await defaultReportDate(store);
  note?.(render(lang, chosen.rule as Message));
  return chosen.asOf;
}
