// Finds and reads the analysts' SQL in queries/: the schema and the files that define the table macros.
// The .sql files are the single source of truth; the store runs them, the CLI calls the macros.
import * as fs from 'fs';
import * as path from 'path';
import { msg } from '../../core/messages';
import { MessageError } from '../../core/messages/messageError';

/** Macro files in dependency order (ranking, forecast, supervision, sites and the assessment are built on lag). */
export const MACRO_FILES = ['lag.sql', 'ranking.sql', 'forecast.sql', 'history.sql', 'supervision.sql', 'sites.sql', 'lead_units.sql', 'assessment.sql'] as const;

/**
 * The queries/ directory: found by walking up from this module, so it works from the TypeScript
 * sources (pipeline/db) and from the compiled CLI (lib/pipeline/db) alike.
 */
export function queriesDir(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'queries');
    if (fs.existsSync(path.join(candidate, 'schema.sql'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new MessageError(msg('store.no-schema', { dir: __dirname }));
    dir = parent;
  }
}

export function readQueryFile(name: string): string {
  return fs.readFileSync(path.join(queriesDir(), name), 'utf8');
}
