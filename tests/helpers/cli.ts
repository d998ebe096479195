// Runs the minsheng CLI in-process and captures what a user would see.
import { main } from '../../pipeline/cli/main';

export async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'minsheng', ...args], {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    setExitCode: () => undefined,
    isTTY: false,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
