// A generated 附件2 (BreakdownSheet) of any length, for the add-in's sync-count test and the addin-sync
// bench: both run 校驗 and 規範化 on the same sheet at 20 and at 10,000 rows.
import { gridFromRows, type CellValue, type Grid } from '../../core/grid';

/**
 * A 附件2 of `n` metric rows, two to a project (序號 on the first; 序號 has at most four digits), the
 * target given to 上城區, one value unreadable (「待定」 in F4).
 */
export function breakdownOf(n: number): Grid {
  const districts = ['上城區', '拱墅區', '西湖區', '濱江區', '蕭山區', '餘杭區', '臨平區', '錢塘區', '富陽區', '臨安區', '桐廬縣', '淳安縣', '建德市', '杭州西湖風景名勝區'];
  const rows: CellValue[][] = [['2024年市政府民生實事項目區、縣(市)任務分解表'], ['序號', '項目名稱', '量化目標', '牽頭單位', '市本級', ...districts]];
  for (let i = 1; i <= n; i++) {
    const t = (i % 9) + 1;
    const row: CellValue[] = [i % 2 === 1 ? (i + 1) / 2 : null, `新增服務點項目${i}`, `${t}個`, '市民政局', null, `${t}個`];
    rows.push(row);
  }
  rows[3][5] = '待定';
  return gridFromRows('附件2', rows);
}
