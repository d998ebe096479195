import { syntheticBreakdown } from './bench/plan';
import { gridFromRows } from '../core/grid';
import { readBreakdown } from '../core/breakdown';
import { assemblePlan } from '../core/plan';
import { validatePlan } from '../core/validate';
import { normalisePlan } from '../core/normalise';
const grid = gridFromRows('附件2', syntheticBreakdown(10000));
for (let i = 0; i < 4; i++) {
  const t0 = performance.now();
  const b = readBreakdown(grid)!;
  const t1 = performance.now();
  const a = assemblePlan({ breakdown: b });
  const t2 = performance.now();
  const issues = validatePlan({ breakdown: b, assembled: a });
  const t3 = performance.now();
  normalisePlan({ grids: [grid], breakdown: b, plan: a.plan });
  const t4 = performance.now();
  console.log(`read ${(t1-t0).toFixed(0)} assemble ${(t2-t1).toFixed(0)} validate ${(t3-t2).toFixed(0)} normalise ${(t4-t3).toFixed(0)} issues ${issues.length}`);
}
