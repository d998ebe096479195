// Renders a ResultTable as an aligned plain-text table for the terminal: headers (often Chinese),
// numbers right-aligned, widths measured in display columns so CJK text lines up.
import type { DistrictNames } from '../../core/districtNames';
import { t, type Lang } from '../../core/messages';
import { DEFAULT_LANG } from '../../core/messages/lang';
import { displayWidth, padDisplay, truncateDisplay } from './displayWidth';
import type { Cell, ColumnKind, ResultTable } from './resultTable';

export interface ColumnFormat {
  /** Header to show instead of the column name. */
  header?: string;
  /** How to show a value; the default depends on the column kind. */
  format?: (cell: Cell) => string;
  align?: 'left' | 'right';
}

export interface TableOptions {
  /** Per-column presentation, by column name. */
  columns?: Record<string, ColumnFormat>;
  /** Show only these columns, in this order (default: all). */
  only?: readonly string[];
  /** Longer cells are cut with '…' (default 40 columns). */
  maxCellWidth?: number;
  /** A line printed above the table. */
  title?: string;
  /** The reader's language, for the words the table adds itself (是/否, 沒有資料). */
  lang?: Lang;
  /** The plan's spelling of districts, shown in the `district` column in every format (emit.ts). */
  districtNames?: DistrictNames;
}

/** Up to `digits` decimals, no trailing zeros: 0.5 → "0.5", 858000 → "858000". */
export function formatNumber(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = value.toFixed(digits);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** A fraction as a percentage: 0.8345 → "83.5%". */
export function formatPercent(cell: Cell): string {
  return typeof cell === 'number' ? `${(cell * 100).toFixed(1)}%` : defaultText(cell, 'other');
}

export function defaultText(cell: Cell, kind: ColumnKind, lang: Lang = DEFAULT_LANG): string {
  if (cell === null) return '';
  if (Array.isArray(cell)) return cell.map((c) => defaultText(c, 'text', lang)).join('、');
  if (typeof cell === 'boolean') return t(lang, cell ? 'table.yes' : 'table.no');
  if (typeof cell === 'number') return kind === 'float' ? formatNumber(cell) : String(cell);
  return cell.replace(/\r\n?|\n/g, ' ');
}

function isNumeric(kind: ColumnKind): boolean {
  return kind === 'int32' || kind === 'int64' || kind === 'float';
}

export function renderTable(table: ResultTable, options: TableOptions = {}): string {
  const maxWidth = options.maxCellWidth ?? 40;
  const picked = (options.only ?? table.columns.map((c) => c.name))
    .map((name) => table.columns.findIndex((c) => c.name === name))
    .filter((i) => i >= 0);
  const specs = picked.map((i) => {
    const column = table.columns[i];
    const custom = options.columns?.[column.name] ?? {};
    return {
      index: i,
      header: custom.header ?? column.name,
      align: custom.align ?? (isNumeric(column.kind) ? 'right' : 'left'),
      format: custom.format ?? ((cell: Cell) => defaultText(cell, column.kind, options.lang)),
    };
  });
  const body = table.rows.map((row) => specs.map((s) => truncateDisplay(s.format(row[s.index]), maxWidth)));
  const widths = specs.map((s, j) => Math.max(displayWidth(s.header), ...body.map((cells) => displayWidth(cells[j]))));
  const line = (cells: string[], aligns: ('left' | 'right')[]) =>
    cells
      .map((text, j) => padDisplay(text, widths[j], aligns[j]))
      .join('  ')
      .replace(/\s+$/, '');
  const aligns = specs.map((s) => s.align);
  const out = [
    ...(options.title ? [options.title] : []),
    line(
      specs.map((s) => s.header),
      aligns,
    ),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map((cells) => line(cells, aligns)),
  ];
  return out.join('\n') + '\n';
}
