import { syntheticBreakdown } from './bench/plan';
import { gridFromRows } from '../core/grid';
import { analysePlanSheets } from '../core/workbook';
import { normalisePlan } from '../core/normalise';
const grid = gridFromRows('附件2', syntheticBreakdown(10000));
for (let i = 0; i < 4; i++) {
let t = Date.now();
const a = analysePlanSheets([grid]);
const t1 = Date.now() - t;
t = Date.now();
normalisePlan({ grids: [grid], breakdown: a.breakdown, plan: a.assembled.plan });
console.log('analyse', t1, 'normalise', Date.now() - t);
}
