// What a 晾曬通報 publishes, read from the store: the ranking and lag of the leaders' report (one reader,
// pipeline/report/reportData.ts, so the bulletin never disagrees with `minsheng report`), the cases told
// since the previous bulletin (queries/supervision.sql), and who is praised and named (core).
import { z } from 'zod';
import { ISODate } from '../../core/model';
import { bulletinMentions, type BulletinCase, type BulletinInput, type BulletinLaggingMetric } from '../../core/supervision/bulletin';
import { rowsFrom } from '../db/rows';
import { isSupervisionCandidate } from '../../core/lagStatus';
import { runQuery } from '../db/queries';
import type { Store } from '../db/store';
import { readReportData, type ReportData } from '../report/reportData';
import { shownDistrict } from '../../core/districtNames';

export interface BulletinData {
  input: BulletinInput;
  report: ReportData;
}

const PreviousRow = z.object({ as_of: ISODate.nullable(), issued: z.number().int() });
const EventCount = z.object({ event: z.string(), n: z.number().int() });
const ActiveCase = z.object({ district: z.string(), metric_id: z.string(), label: z.string().nullable(), due_on: ISODate, status: z.string() });

export async function readBulletinData(store: Store, asOf: string, counts: { praised: number; named: number }): Promise<BulletinData> {
  const report = await readReportData(store, asOf);
  const [previous] = rowsFrom(
    PreviousRow,
    await runQuery(
      store,
      `SELECT max(as_of) AS as_of, count(*) AS issued FROM bulletins
       WHERE superseded_by IS NULL AND as_of < CAST($1 AS DATE) AND year(as_of) = year(CAST($1 AS DATE))`,
      [asOf],
    ),
  );
  const since = previous.as_of ?? undefined;
  const events = rowsFrom(
    EventCount,
    await runQuery(store, 'SELECT event, count(*) AS n FROM case_events(CAST($1 AS DATE), CAST($2 AS DATE)) GROUP BY event', [since ?? null, asOf]),
  );
  const eventCount = (event: string) => events.find((e) => e.event === event)?.n ?? 0;
  const active = rowsFrom(
    ActiveCase,
    await runQuery(
      store,
      `SELECT district, metric_id, label, due_on, status FROM cases_at(CAST($1 AS DATE))
       WHERE status IN ('open', 'overdue', 'reopened') ORDER BY district_order NULLS LAST, district, project_no, k NULLS LAST, metric_id`,
      [asOf],
    ),
  );
  const overdueCases: BulletinCase[] = active
    .filter((c) => c.status === 'overdue')
    .map(({ district, metric_id, label, due_on }) => ({ district: shownDistrict(report.districtNames, district), metric_id, label, due_on }));

  const mentions = bulletinMentions(report.ranking, counts);
  const lagging = new Map<string, BulletinLaggingMetric[]>();
  for (const row of report.lag) {
    if (!isSupervisionCandidate(row)) continue;
    const list = lagging.get(row.district) ?? [];
    list.push({ metric_id: row.metric_id, label: row.label, completion: row.completion, expected_ratio: row.expected_ratio });
    lagging.set(row.district, list);
  }
  const statusCounts = { on_track: 0, behind: 0, seriously_behind: 0, overdue: 0, stalled: 0, missing: 0 };
  for (const row of report.lag) statusCounts[row.lag_status]++;

  return {
    report,
    input: {
      year: report.planYear,
      asOf,
      issueNo: previous.issued + 1,
      ...(since ? { since } : {}),
      ranking: report.ranking,
      mentions,
      statusCounts,
      expectedDistricts: report.expectedDistricts,
      receivedDistricts: report.receivedDistricts,
      lagging,
      caseCounts: { opened: eventCount('opened'), closed: eventCount('closed'), reopened: eventCount('reopened') },
      activeCases: active.length,
      overdueCases,
    },
  };
}
