// What several commands share on the command line: the --db option, its help and the database it names,
// and the report date (--as-of, or the latest report in the database). Parsing is pipeline/parameters.ts's.
import { Option } from 'commander';
import { msg } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';
import { latestAsOf } from '../db/queries';
import { withStore, type OpenOptions, type Store } from '../db/store';
import { parameter, resolveDbPath, TypedDate } from '../parameters';
import { helpTranslator } from './lang';

/** `--db <path>`, for `.addOption(dbOption())` (resolved by resolveDbPath); a `description` when the command uses it its own way. */
export function dbOption(description = helpTranslator()('param.db.help')): Option {
  return new Option('--db <path>', description);
}

/** Opens the database --db (or $MINSHENG_DB, or ./minsheng.duckdb) names for `work`, and closes it after. */
export function withDatabase<T>(dbOption: string | undefined, options: OpenOptions, work: (store: Store) => Promise<T>): Promise<T> {
  return withStore(resolveDbPath(dbOption), options, work);
}

/** The date --as-of names, or the latest report date in the database when it is not given. */
export async function asOfOrLatest(store: Store, text: string | undefined): Promise<string> {
  if (text !== undefined) return parameter(TypedDate, text);
  const latest = await latestAsOf(store);
  if (!latest) throw new MessageError(msg('param.as-of.no-reports'));
  return latest;
}
