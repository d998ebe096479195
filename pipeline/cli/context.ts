// What commands need from the process, injected so that tests can run the CLI in-process.
import type { LangChoice } from '../../core/messages/lang';

export interface CliContext {
  out(text: string): void;
  err(text: string): void;
  setExitCode(code: number): void;
  /** Whether stdout is a terminal (progress bars only then). */
  isTTY: boolean;
  /**
   * The reader's language, set before a command's action runs (pipeline/cli/lang.ts). A command with a
   * plan at hand refines it with `withPlanScript` when nothing explicit chose it.
   */
  lang?: LangChoice;
}
