// What commands need from the process, injected so that tests can run the CLI in-process.
export interface CliContext {
  out(text: string): void;
  err(text: string): void;
  setExitCode(code: number): void;
  /** Whether stdout is a terminal (progress bars only then). */
  isTTY: boolean;
}
