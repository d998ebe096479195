// The CLI from the sources, started exactly as bin/minsheng.js starts the build (runAsCommand), for tests
// about how the installed command ends: exit codes set rather than forced, streams left to drain.
import { runAsCommand } from '../../pipeline/cli/main';

void runAsCommand(process.argv);
