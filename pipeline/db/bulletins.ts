// Recording a 晾曬通報 (schema.sql: bulletins, bulletin_mentions): when it is written, in the same
// transaction as writing its file, so a bulletin on disk is recorded and a recorded one was written. A
// second bulletin for the same date supersedes the first (kept, no longer counted).
import type { Lang } from '../../core/messages';
import type { BulletinMention } from '../../core/supervision/bulletin';
import { isoDay } from './appender';
import { inTransaction, queryObjects, type Store } from './store';

export interface BulletinRecord {
  asOf: string;
  since?: string;
  fileName: string;
  sha256: string;
  lang: Lang;
  mentions: readonly BulletinMention[];
}

export interface RecordedBulletin {
  bulletinId: number;
  /** Ids of the bulletins for the same date that this one superseded. */
  superseded: number[];
}

/** Records the bulletin, then runs `write` (the file); if writing fails, nothing is recorded. */
export async function recordBulletin(store: Store, record: BulletinRecord, write: () => Promise<void>, writtenAt: Date = new Date()): Promise<RecordedBulletin> {
  isoDay(record.asOf);
  return inTransaction(store, async () => {
    const inserted = await queryObjects(
      store,
      `INSERT INTO bulletins (as_of, since, file_name, sha256, lang, written_at)
       VALUES (CAST($1 AS DATE), CAST($2 AS DATE), $3, $4, $5, CAST($6 AS TIMESTAMP)) RETURNING bulletin_id`,
      [record.asOf, record.since ?? null, record.fileName, record.sha256, record.lang, writtenAt.toISOString().replace('T', ' ').replace('Z', '')],
    );
    const bulletinId = Number(inserted[0].bulletin_id);
    const superseded = await queryObjects(
      store,
      `UPDATE bulletins SET superseded_by = $1
       WHERE as_of = CAST($2 AS DATE) AND superseded_by IS NULL AND bulletin_id <> $1 RETURNING bulletin_id`,
      [bulletinId, record.asOf],
    );
    for (const m of record.mentions) {
      await store.connection.run(
        `INSERT INTO bulletin_mentions (bulletin_id, district, mention, rank, schedule_attainment, completion, seriously_behind_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [bulletinId, m.district, m.mention, m.rank, m.schedule_attainment, m.completion, m.seriously_behind_count],
      );
    }
    await write();
    return { bulletinId, superseded: superseded.map((r) => Number(r.bulletin_id)).sort((a, b) => a - b) };
  });
}
