// The README's table reference is generated from queries/schema.sql: it must not drift from it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { schemaMarkdown } from '../scripts/schema-doc';

test('README documents every column of every table, as schema.sql says', () => {
  const root = path.resolve(__dirname, '..');
  const sql = fs.readFileSync(path.join(root, 'queries/schema.sql'), 'utf8');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const doc = schemaMarkdown(sql);
  expect(readme).toContain(doc);
  const tables = [...sql.matchAll(/CREATE TABLE IF NOT EXISTS (\w+)/g)].map((m) => m[1]);
  expect(tables).toEqual(expect.arrayContaining(['districts', 'categories', 'projects', 'metrics', 'targets', 'responsibilities', 'milestones', 'plan_meta', 'submissions', 'progress', 'judged_pairs', 'supervision_cases', 'supervision_events', 'bulletins', 'bulletin_mentions', 'site_lists', 'sites']));
  expect(tables).toEqual(expect.arrayContaining(['lead_units', 'project_lead_units', 'assessment_files', 'assessment_components', 'assessment_weights', 'assessment_scores', 'participation_records']));
  // Every table is documented, every column has a meaning.
  for (const table of tables) expect(doc).toContain(`**${table}**: `);
  for (const column of ['superseded_by', 'expected_ratio', 'coordinating_units', 'completed', 'target_extra', 'due_on', 'event', 'mention', 'finished_on', 'lead_unit_order', 'when_missing', 'case_deduction', 'award_quota', 'previous_submission_id']) {
    expect(doc).toMatch(new RegExp(`\\| ${column} \\| [A-Z]+(\\[\\])? \\| \\S`));
  }
});
