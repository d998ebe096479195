// Any failure as one sentence a clerk can act on: the service's and the workbook's problems say so
// already; Excel's own errors are translated by their code.
import { ServiceError } from '../service';
import { WorkbookProblem } from '../workflows';

const EXCEL_CODES: Record<string, string> = {
  InvalidOperationInCellEditMode: 'Excel正在編輯單元格：請先按Enter或Esc結束編輯，再點按鈕。',
  AccessDenied: '工作表受保護或工作簿為只讀，Excel拒絕了修改。請撤銷保護或另存一份後再試。',
  ItemAlreadyExists: '已有同名的工作表或表格，Excel拒絕了新建。請改名或刪除舊的後再試。',
  ItemNotFound: '找不到要處理的工作表或單元格（可能剛被刪除或改名），請再試一次。',
  InsertDeleteConflict: '表格或合併單元格擋住了修改，請檢查後再試。',
  MergedRangeConflict: '合併單元格擋住了修改：請先取消相關的合併單元格，再試一次。',
  RequestPayloadSizeLimitExceeded: '工作表太大，Excel網頁版一次處理不了：請刪除多餘的行列後再試，或改用Excel桌面版。',
  ResponsePayloadSizeLimitExceeded: '工作表太大，Excel網頁版一次處理不了：請刪除多餘的行列後再試，或改用Excel桌面版。',
  ApiNotFound: '此版本Excel不支持這項操作，請更新Office後再試。',
  UnsupportedOperation: '此版本Excel不支持這項操作，請更新Office後再試。',
};

export function explain(error: unknown): string {
  if (error instanceof ServiceError || error instanceof WorkbookProblem) return error.message;
  const e = error as { code?: string; message?: string; name?: string };
  if (e && typeof e.code === 'string' && EXCEL_CODES[e.code]) return EXCEL_CODES[e.code];
  const message = typeof e?.message === 'string' ? e.message : String(error);
  // Core's and the layout's own errors are already Chinese sentences.
  if (/[\u4e00-\u9fff]/.test(message)) return message;
  return `操作沒有完成：${message || '未知錯誤'}。請再試一次；如一直出錯，請把這句話發給督查室。`;
}
