// Message templates are plain strings with named placeholders ("指標{metric}合計{sum}"). The types below
// read the placeholders out of a template's literal type, so a call that forgets or misnames a
// parameter does not compile. See docs/design.md, "Messages and languages".

/** The placeholder names of a template: "a{x}b{y}" → "x" | "y". */
export type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}` ? Name | Placeholders<Rest> : never;

/** A parameter: a value from the data (kept as written) or a nested message (shown in the same language). */
export type ParamValue = string | number | MessageRef;

/** A message to be shown later, in whatever language the reader chose: its id and parameters. */
export interface MessageRef {
  id: string;
  params?: Readonly<Record<string, ParamValue>>;
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The placeholder names of a template at run time (for the catalogue's own checks). */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * Fills a template. Parameters are inserted as they are (data keeps its own script); a nested message is
 * rendered first by `renderNested`. A placeholder without a value is left visible rather than dropped.
 */
export function fill(template: string, params: Readonly<Record<string, ParamValue>> | undefined, renderNested: (m: MessageRef) => string): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params?.[name];
    if (value === undefined) return whole;
    if (typeof value === 'object') return renderNested(value);
    return String(value);
  });
}
