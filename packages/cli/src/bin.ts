#!/usr/bin/env node
// `dh`: everything is in cli.ts. The installed binary (package.json "bin" -> dist/dh.js) is
// this file bundled with what it imports (scripts/bundleCli.ts), commands in lazy chunks.
// Every command runs in this very process: a launcher that re-ran `dh` in a child (for a heap
// cap) made one Ctrl-C arrive twice, so a heap cap is NODE_OPTIONS=--max-old-space-size=N.
const { runProcess } = await import('./cli.js');
runProcess(process.argv.slice(2));
