// The copy of a workbook file that an edit plan makes (`minsheng normalise`): its parts edited in place
// (patchWorkbook.ts), fast and keeping everything the plan does not touch; through ExcelJS's workbook
// model (applyEditPlan.ts) when the parts are not in a shape the part editor knows.
import type { EditPlan } from '../../core/editPlan';
import { applyEditPlan } from './applyEditPlan';
import { EditPlanError } from './editPlanCheck';
import { patchWorkbook } from './patchWorkbook';
import { excelJsWorkbook, type WorkbookFile } from './readWorkbook';
import { PatchUnsupported, XlsxPackage } from './xlsxPackage';

export interface EditedCopy {
  bytes: Buffer;
  /** How the copy was made, and why not on the parts when it was not. */
  via: 'parts' | 'exceljs';
  reason?: string;
}

/** The bytes of the edited copy; EditPlanError (nothing made) when the plan cannot be applied. */
export async function editedCopy(read: WorkbookFile, plan: EditPlan): Promise<EditedCopy> {
  try {
    const pkg = XlsxPackage.fromBytes(read.bytes, read.file);
    patchWorkbook(pkg, plan, read.sheets);
    return { bytes: pkg.toBuffer(), via: 'parts' };
  } catch (error) {
    // A plan that cannot be applied is the plan's fault either way; anything else (a shape the part editor
    // does not know, or a fault of its own) still gets the clerk a copy, made the other way.
    if (error instanceof EditPlanError) throw error;
    const workbook = await excelJsWorkbook(read);
    applyEditPlan(workbook, plan);
    const reason = error instanceof PatchUnsupported ? error.message : `${(error as Error).name}: ${(error as Error).message}`;
    return { bytes: Buffer.from(await workbook.xlsx.writeBuffer()), via: 'exceljs', reason };
  }
}
