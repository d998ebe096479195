// The 2024 Hangzhou sample attachments (附件1 責任清單, 附件2 任務分解表) as transcribed from the seed notice:
// zod-validated, typed loaders of data/responsibility.json and data/breakdown.json, and the merge structure
// (category blocks, shared lead-unit cells, shared project-name cells) the distributed workbooks show.
// Every text is kept exactly as the seed has it ("1000 人次", "方 毅", "--"); "\n" marks a line break in a cell.
import { z } from 'zod';
import { DISTRICTS } from '../../core/districts';
import responsibilityJson from './data/responsibility.json';
import breakdownJson from './data/breakdown.json';

const No = z.number().int().positive();

/** Checks that items are numbered 1, 2, 3 ... in order (the seed's 序號 never skips). */
function numberedInOrder(items: { no: number }[], what: string, ctx: z.RefinementCtx): void {
  items.forEach((item, i) => {
    if (item.no !== i + 1) ctx.addIssue({ code: 'custom', message: `${what} ${i + 1} is numbered ${item.no}` });
  });
}

// ---------------------------------------------------------------------------------------------------
// 附件1 責任清單

/** One row of 附件1. Texts are the raw cell texts. */
export const ResponsibilityProject = z
  .object({
    /** Position in 附件1's list, which is the project's 序號 in 附件2 (附件1 itself does not number projects). */
    no: No,
    /** 項目名稱 as 附件1 writes it. */
    name: z.string().min(1),
    /** 分管市領導 ("方 毅": two-character names are padded with a space). */
    cityLeader: z.string().min(1),
    /** 牽頭單位 ("市衛生健康\n委員會": the cell wraps there). */
    leadUnit: z.string().min(1),
    /** 牽頭單位分管領導 ("漆憲忠 鄧偉民" holds two people). */
    leadUnitLeader: z.string().min(1),
    /** 配合單位. */
    coordinatingUnits: z.string().min(1),
    /** 預計完成時間 ("11月底"). */
    expectedCompletion: z.string().min(1),
    /** 工作計劃和進度安排, the free-text milestone plan. */
    plan: z.string().min(1),
  })
  .strict();
export type ResponsibilityProject = z.infer<typeof ResponsibilityProject>;

export const ResponsibilityCategory = z
  .object({
    /** 序號 of the category, 1..10. */
    no: No,
    /** 類別 ("“幸福助老”在杭州"). */
    name: z.string().min(1),
    /**
     * How many projects each merged 序號/類別 block covers, in order. More than one block where the seed
     * repeats the category after a page break (categories 3, 4 and 10): still one category.
     */
    groupSizes: z.array(No).min(1),
    projects: z.array(ResponsibilityProject).min(1),
  })
  .strict()
  .refine((c) => c.groupSizes.reduce((a, b) => a + b, 0) === c.projects.length, {
    message: 'groupSizes must add up to the number of projects',
  });
export type ResponsibilityCategory = z.infer<typeof ResponsibilityCategory>;

export const ResponsibilityList = z
  .object({
    document: z.string(),
    attachment: z.literal('附件1'),
    title: z.string().min(1),
    categories: z.array(ResponsibilityCategory).min(1),
  })
  .strict()
  .superRefine((list, ctx) => {
    numberedInOrder(list.categories, 'category', ctx);
    numberedInOrder(
      list.categories.flatMap((c) => c.projects),
      'project',
      ctx,
    );
  });
export type ResponsibilityList = z.infer<typeof ResponsibilityList>;

// ---------------------------------------------------------------------------------------------------
// 附件2 任務分解表

/** The lead-unit cell of this project is part of the merged cell that starts at a project above. */
export const MergedWithAbove = z.object({ mergedWithAbove: z.literal(true) }).strict();
export type MergedWithAbove = z.infer<typeof MergedWithAbove>;

/** One target row of 附件2. */
export const BreakdownRow = z
  .object({
    /** The row's own 項目名稱 cell, where it is not covered by the project's merged name (project 24, row 3). */
    name: z.string().min(1).optional(),
    /** 量化目標 ("227個", "20條(城鄉公交)", "--"). */
    target: z.string().min(1),
    /** 市本級 then the 14 districts, in the order of `districts`; "" for an empty cell. */
    values: z.array(z.string()).length(DISTRICTS.length),
    /** Text merged across the value columns in place of district targets (projects 11 and 12). */
    note: z.string().min(1).optional(),
  })
  .strict()
  .refine((row) => row.note === undefined || row.values.every((v) => v === ''), {
    message: 'a note row has no district values: the note covers those cells',
  });
export type BreakdownRow = z.infer<typeof BreakdownRow>;

export const BreakdownProject = z
  .object({
    /** 序號 1..48. */
    no: No,
    /** 項目名稱 as 附件2 writes it. */
    name: z.string().min(1),
    /** 牽頭單位, or a marker that the merged cell of a project above covers this project too. */
    leadUnit: z.union([z.string().min(1), MergedWithAbove]),
    rows: z.array(BreakdownRow).min(1),
  })
  .strict();
export type BreakdownProject = z.infer<typeof BreakdownProject>;

export const BreakdownTable = z
  .object({
    document: z.string(),
    attachment: z.literal('附件2'),
    title: z.string().min(1),
    /** Column order of `values`: the registry's districts, 市本級 first. */
    districts: z.array(z.string()).length(DISTRICTS.length),
    projects: z.array(BreakdownProject).min(1),
  })
  .strict()
  .superRefine((table, ctx) => {
    numberedInOrder(table.projects, 'project', ctx);
    table.districts.forEach((name, i) => {
      if (name !== DISTRICTS[i].name) ctx.addIssue({ code: 'custom', message: `column ${i} is ${name}, expected ${DISTRICTS[i].name}` });
    });
    if (typeof table.projects[0]?.leadUnit !== 'string') {
      ctx.addIssue({ code: 'custom', message: 'the first project cannot share a lead-unit cell with a project above' });
    }
  });
export type BreakdownTable = z.infer<typeof BreakdownTable>;

// ---------------------------------------------------------------------------------------------------
// Loaders: each call returns a fresh copy, so a caller may alter it (to make test variants) freely.

export function parseResponsibilityList(json: unknown): ResponsibilityList {
  return ResponsibilityList.parse(json);
}

export function parseBreakdownTable(json: unknown): BreakdownTable {
  return BreakdownTable.parse(json);
}

/** 附件1 of the 2024 Hangzhou plan. */
export function loadResponsibilityList(): ResponsibilityList {
  return parseResponsibilityList(responsibilityJson);
}

/** 附件2 of the 2024 Hangzhou plan. */
export function loadBreakdownTable(): BreakdownTable {
  return parseBreakdownTable(breakdownJson);
}

// ---------------------------------------------------------------------------------------------------
// Merge structure

/** One merged 序號/類別 block of 附件1 and the projects beside it. */
export interface CategoryBlock {
  category: ResponsibilityCategory;
  projects: ResponsibilityProject[];
}

/** The merged 序號/類別 blocks of 附件1 in sheet order (a category split by a page break gives two). */
export function categoryBlocks(list: ResponsibilityList): CategoryBlock[] {
  return list.categories.flatMap((category) => {
    let start = 0;
    return category.groupSizes.map((size) => {
      const projects = category.projects.slice(start, start + size);
      start += size;
      return { category, projects };
    });
  });
}

/** Projects sharing one merged 牽頭單位 cell of 附件2. */
export interface LeadUnitBlock {
  leadUnit: string;
  projects: BreakdownProject[];
}

/** The merged 牽頭單位 cells of 附件2 in order: e.g. 市民政局 over projects 1–2, 市殘聯 over 6–8. */
export function leadUnitBlocks(table: BreakdownTable): LeadUnitBlock[] {
  const blocks: LeadUnitBlock[] = [];
  for (const project of table.projects) {
    const last = blocks[blocks.length - 1];
    if (typeof project.leadUnit === 'string') blocks.push({ leadUnit: project.leadUnit, projects: [project] });
    else if (last) last.projects.push(project);
    else throw new Error(`項目${project.no}的牽頭單位與上方合併，但上方沒有項目`);
  }
  return blocks;
}

/** The lead unit of a project of 附件2, whether its cell starts the merge or is covered by it. */
export function leadUnitOf(table: BreakdownTable, projectNo: number): string | undefined {
  return leadUnitBlocks(table).find((b) => b.projects.some((p) => p.no === projectNo))?.leadUnit;
}

/** Rows of one project sharing one 項目名稱 cell: 0-based row indices within the project, inclusive. */
export interface NameBlock {
  name: string;
  firstRow: number;
  lastRow: number;
}

/**
 * The 項目名稱 cells of a project in 附件2: the project's name covers its rows up to the first row that
 * has a name of its own; such a row starts a new block (project 24: rows 1–2, then row 3).
 */
export function projectNameBlocks(project: BreakdownProject): NameBlock[] {
  const blocks: NameBlock[] = [];
  project.rows.forEach((row, i) => {
    const last = blocks[blocks.length - 1];
    if (i === 0) blocks.push({ name: row.name ?? project.name, firstRow: 0, lastRow: 0 });
    else if (row.name !== undefined) blocks.push({ name: row.name, firstRow: i, lastRow: i });
    else last.lastRow = i;
  });
  return blocks;
}
