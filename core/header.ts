// Finding a table's header wherever it starts: the row whose cells name the most known columns.
import { matchColumn, type ColumnSpec } from './columns';
import { GridView } from './grid';

export interface HeaderCell<K extends string> {
  key: K;
  col: number;
  /** The row the label is written in (the header may span two rows). */
  row: number;
  text: string;
}

export interface HeaderFound<K extends string> {
  /** First header row. */
  row: number;
  /** Last header row: a two-row header has its fixed labels merged down over both. */
  bottom: number;
  cells: HeaderCell<K>[];
}

/**
 * Scans the first rows for the one that names at least `minMatches` of the columns. The label of a
 * merged header cell counts once, at its top-left; a label written twice is reported by the caller.
 */
export function findHeader<K extends string>(
  view: GridView,
  specs: readonly ColumnSpec<K>[],
  options: { minMatches: number; scanRows?: number },
): HeaderFound<K> | undefined {
  const lastScan = Math.min(view.lastRow, view.firstRow + (options.scanRows ?? 40));
  let best: HeaderFound<K> | undefined;
  for (let row = view.firstRow; row <= lastScan; row++) {
    const cells: HeaderCell<K>[] = [];
    for (let col = view.firstCol; col <= view.lastCol; col++) {
      if (view.isMergedCopy(row, col)) continue;
      const text = view.text(row, col);
      if (!text || text.length > 40) continue;
      const spec = matchColumn(specs, text);
      if (spec) cells.push({ key: spec.key, col, row, text });
    }
    const distinct = new Set(cells.map((c) => c.key)).size;
    if (distinct >= options.minMatches && (!best || distinct > new Set(best.cells.map((c) => c.key)).size)) {
      const bottom = cells.reduce((b, c) => Math.max(b, view.mergeAt(c.row, c.col)?.bottom ?? c.row), row);
      best = { row, bottom, cells };
    }
  }
  return best;
}

