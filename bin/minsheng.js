#!/usr/bin/env node
// Entry point of the `minsheng` command: runs the compiled CLI (built by `npm install` via `prepare`).
require('../lib/pipeline/cli/main.js').runAsCommand(process.argv);
