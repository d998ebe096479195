// 點位 lists in the store (schema.sql: site_lists, sites): a district's list stored whole in one
// transaction, the same file again a no-op, a later list superseding the earlier (both kept); the
// reconciliation (queries/sites.sql) and the export for the provincial 民生地圖 system.
import { z } from 'zod';
import { ISODate } from '../../core/model';
import type { SiteRow } from '../../core/sites/readSites';
import { appendRows, isoDay } from './appender';
import { runQuery } from './queries';
import { rowsFrom } from './rows';
import { inTransaction, queryObjects, type Store } from './store';

export type SiteLoadStatus = 'loaded' | 'duplicate' | 'superseded-earlier';

const STATUS_CODES = { not_started: 'not_started', in_progress: 'in_progress', finished: 'finished' } as const;

export async function storeSiteList(
  store: Store,
  list: { district: string; sites: readonly SiteRow[] },
  file: { fileName: string; sha256: string },
  loadedAt: Date = new Date(),
): Promise<{ status: SiteLoadStatus; siteListId: number }> {
  return inTransaction(store, async () => {
    const existing = await queryObjects(store, 'SELECT id FROM site_lists WHERE sha256 = $1 AND district = $2', [file.sha256, list.district]);
    if (existing.length > 0) return { status: 'duplicate', siteListId: Number(existing[0].id) };
    const inserted = await queryObjects(
      store,
      `INSERT INTO site_lists (district, file_name, sha256, loaded_at) VALUES ($1, $2, $3, CAST($4 AS TIMESTAMP)) RETURNING id`,
      [list.district, file.fileName, file.sha256, loadedAt.toISOString().replace('T', ' ').replace('Z', '')],
    );
    const siteListId = Number(inserted[0].id);
    const superseded = await queryObjects(
      store,
      'UPDATE site_lists SET superseded_by = $1 WHERE district = $2 AND superseded_by IS NULL AND id <> $1 RETURNING id',
      [siteListId, list.district],
    );
    await appendRows(
      store.connection,
      'sites',
      list.sites.map((s) => [
        siteListId,
        s.row,
        list.district,
        s.metricId,
        s.name,
        s.address,
        isoDay(s.plannedStart),
        isoDay(s.plannedFinish),
        STATUS_CODES[s.status],
        s.finishedOn ? isoDay(s.finishedOn) : null,
        s.longitude ?? null,
        s.latitude ?? null,
        s.note ?? null,
      ]),
    );
    return { status: superseded.length > 0 ? 'superseded-earlier' : 'loaded', siteListId };
  });
}

export const SiteCheckRow = z.object({
  district: z.string(),
  district_order: z.number().int().nullable(),
  project_no: z.number().int(),
  k: z.number().int(),
  metric_id: z.string(),
  label: z.string(),
  unit: z.string(),
  target_total: z.number(),
  completed: z.number().nullable(),
  last_report_date: ISODate.nullable(),
  site_list_file: z.string(),
  site_count: z.number().int(),
  finished_count: z.number().int(),
  in_progress_count: z.number().int(),
  not_started_count: z.number().int(),
  as_of: ISODate,
  check_flags: z.array(z.enum(['unlisted', 'count_mismatch', 'reported_above_finished', 'reported_below_finished'])),
});
export type SiteCheckRow = z.infer<typeof SiteCheckRow>;

/** site_check(asOf, the metrics counted in sites), district by district; optionally one district's. */
export async function checkSites(store: Store, asOf: string, siteMetricIds: readonly string[], district?: string): Promise<SiteCheckRow[]> {
  isoDay(asOf);
  return rowsFrom(
    SiteCheckRow,
    await runQuery(
      store,
      `SELECT * FROM site_check(CAST($1 AS DATE), string_split($2, ','))
       WHERE ($3 IS NULL OR district = $3)
       ORDER BY district_order NULLS LAST, district, project_no, k`,
      [asOf, siteMetricIds.join(','), district ?? null],
    ),
  );
}

/** The current sites, as the export writes them (README: "columns for 民生地圖"). */
export function querySitesForExport(store: Store, district?: string) {
  return runQuery(
    store,
    `SELECT s.district, s.metric_id, p.name AS project, m.label, s.name, s.address, s.planned_start, s.planned_finish,
            s.status, s.finished_on, s.longitude, s.latitude, s.note
     FROM sites AS s
     JOIN site_lists AS l ON l.id = s.site_list_id AND l.superseded_by IS NULL
     LEFT JOIN metrics AS m ON m.metric_id = s.metric_id
     LEFT JOIN projects AS p ON p.project_no = m.project_no
     LEFT JOIN districts AS d ON d.district = s.district
     WHERE ($1 IS NULL OR s.district = $1)
     ORDER BY d.district_order NULLS LAST, s.district, m.project_no, m.k, s.row_no`,
    [district ?? null],
  );
}
