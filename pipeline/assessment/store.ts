// Stores an assessment file (a rules workbook or an external input) in the assessment tables
// (queries/schema.sql), whole, in one transaction: the same file again changes nothing; a later file
// supersedes an earlier one (queries/assessment.sql decides which rows are current); nothing is deleted.
import type { InputRows } from '../../core/assessment/inputs';
import type { RuleSet } from '../../core/assessment/rules';
import { appendRows, isoDay } from '../db/appender';
import { inTransaction, queryObjects, type Store } from '../db/store';

export interface AssessmentFile {
  fileName: string;
  sha256: string;
}

export type AssessmentContent = { kind: 'rules'; rules: RuleSet } | InputRows;

export interface StoredAssessmentFile {
  status: 'loaded' | 'duplicate';
  fileId: number;
  kind: string;
  year: number;
  /** Earlier files of the same kind and year whose rows this one (partly) supersedes. */
  supersedes: number[];
  rows: number;
}

export async function storeAssessmentFile(store: Store, content: AssessmentContent, file: AssessmentFile, loadedAt: Date = new Date()): Promise<StoredAssessmentFile> {
  const year = content.kind === 'rules' ? content.rules.year : content.year;
  return inTransaction(store, async () => {
    const existing = await queryObjects(store, 'SELECT id, kind, year FROM assessment_files WHERE sha256 = $1', [file.sha256]);
    if (existing.length > 0) {
      return { status: 'duplicate', fileId: Number(existing[0].id), kind: String(existing[0].kind), year: Number(existing[0].year), supersedes: [], rows: 0 };
    }
    const earlier = (await queryObjects(store, 'SELECT id FROM assessment_files WHERE kind = $1 AND year = $2 ORDER BY id', [content.kind, year])).map((r) => Number(r.id));
    const inserted = await queryObjects(
      store,
      `INSERT INTO assessment_files (kind, year, file_name, sha256, loaded_at, source)
       VALUES ($1, $2, $3, $4, CAST($5 AS TIMESTAMP), $6) RETURNING id`,
      [content.kind, year, file.fileName, file.sha256, loadedAt.toISOString().replace('T', ' ').replace('Z', ''), content.kind === 'rules' ? null : (content.source ?? null)],
    );
    const fileId = Number(inserted[0].id);
    const rows = content.kind === 'rules' ? await appendRules(store, fileId, content.rules) : await appendInputs(store, fileId, content);
    return { status: 'loaded', fileId, kind: content.kind, year, supersedes: earlier, rows };
  });
}

async function appendRules(store: Store, fileId: number, rules: RuleSet): Promise<number> {
  const c = store.connection;
  let rows = 0;
  rows += await appendRows(c, 'assessment_settings', rules.settings.map((s) => [fileId, s.type, s.fullPoints, s.awardQuota]));
  rows += await appendRows(c, 'assessment_assessees', rules.assessees.map((a) => [fileId, a.type, a.name, a.included]));
  rows += await appendRows(
    c,
    'assessment_components',
    rules.components.map((x) => [
      fileId,
      x.type,
      x.no,
      x.name,
      x.points,
      x.source,
      x.method,
      x.lower ?? null,
      x.upper ?? null,
      x.basePoints ?? null,
      x.plusPoints ?? null,
      x.minusPoints ?? null,
      x.minPoints ?? null,
      x.caseDeduction ?? null,
      x.whenMissing,
      x.note ?? null,
    ]),
  );
  rows += await appendRows(c, 'assessment_bands', rules.bands.map((b) => [fileId, b.type, b.component, b.lower ?? null, b.upper ?? null, b.points]));
  rows += await appendRows(c, 'assessment_rank_points', rules.rankPoints.map((r) => [fileId, r.type, r.component, r.from, r.to ?? null, r.points]));
  rows += await appendRows(c, 'assessment_tiers', rules.tiers.map((t) => [fileId, t.type, t.order, t.name, t.minTotal ?? null, t.awardEligible]));
  rows += await appendRows(c, 'assessment_weights', rules.weights.map((w) => [fileId, w.metricId, w.weight]));
  return rows;
}

async function appendInputs(store: Store, fileId: number, input: InputRows): Promise<number> {
  if (input.kind === 'participation') {
    return appendRows(
      store.connection,
      'participation_records',
      input.records.map((r) => [fileId, r.type, r.assessee, isoDay(r.date), r.activity, r.times, r.note ?? null]),
    );
  }
  return appendRows(store.connection, 'assessment_scores', input.scores.map((s) => [fileId, s.projectNo, s.district ?? null, s.score, input.scale, s.note ?? null]));
}

/** Does the database hold rules for the year? */
export async function hasRules(store: Store, year: number): Promise<boolean> {
  const rows = await queryObjects(store, "SELECT count(*) AS n FROM assessment_files WHERE kind = 'rules' AND year = $1", [year]);
  return Number(rows[0].n) > 0;
}
