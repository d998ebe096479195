/// <reference types="office-js" />
// What this Excel can do, asked at run time (docs/design.md, "Dependencies"): the manifest asks for
// ExcelApi 1.9; newer features are used only where the requirement set is there, and the add-in degrades
// without them.

export interface Capabilities {
  /** Range.getMergedAreasOrNullObject (ExcelApi 1.13): without it, merged cells read as blanks. */
  merges: boolean;
  /** Worksheet notes (ExcelApi 1.18), the preferred way to explain a marked cell. */
  notes: boolean;
  /** Threaded comments (ExcelApi 1.10), used for the explanation when notes are missing. */
  comments: boolean;
}

function supported(version: string): boolean {
  try {
    return Office.context.requirements.isSetSupported('ExcelApi', version);
  } catch {
    return false;
  }
}

export function detectCapabilities(): Capabilities {
  return { merges: supported('1.13'), notes: supported('1.18'), comments: supported('1.10') };
}
