// Reading a 進度報送表 against the plan: finds the layout, then hands the sheet to the template or the
// wide reader.
import { readBreakdown } from '../breakdown';
import { GridView, type Grid } from '../grid';
import { issue } from '../issues';
import { msg } from '../messages';
import type { Plan } from '../model';
import { Context } from './context';
import { findTemplateHeader } from './layout';
import type { SubmissionReading } from './schema';
import { readTemplate } from './template';
import { readWide } from './wide';

/**
 * Reads what a sheet reports. A submission comes back whenever its district and date are known, with
 * the rows that could be read; the issues say what is wrong (a loader rejects a file with errors).
 */
export function readSubmissions(grid: Grid, plan: Plan): SubmissionReading {
  const view = new GridView(grid);
  const ctx = new Context(grid.sheet, view, plan);
  const header = grid.values.length ? findTemplateHeader(view) : undefined;
  if (header) return readTemplate(ctx, header);
  // Not the template: whatever reads as 附件2 is read as the wide layout (findWideSheet's test only decides detection).
  const wide = grid.values.length ? readBreakdown(grid) : undefined;
  if (wide && wide.districtColumns.some((d) => d.district)) return readWide(ctx, wide);
  return {
    submissions: [],
    issues: [issue('not-a-submission', { sheet: grid.sheet }, msg('issue.not-a-submission', { sheet: grid.sheet }))],
  };
}
