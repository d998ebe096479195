// Runs the CLI from the TypeScript sources (development; the installed `minsheng` runs the build).
import { main } from '../pipeline/cli/main';
main(process.argv).then((code) => process.exit(code));
