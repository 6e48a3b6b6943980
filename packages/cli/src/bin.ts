#!/usr/bin/env node
// `dh` from the sources (`pnpm dh`): everything is in cli.ts. The installed binary (package.json
// "bin" -> bin/dh.js -> dist/dh.js, launch.ts built) runs cli.ts bundled into dist/dh.cjs
// (scripts/bundleCli.ts) through a V8 code cache.
// Every command runs in this very process: a launcher that re-ran `dh` in a child (for a heap
// cap) made one Ctrl-C arrive twice, so a heap cap is NODE_OPTIONS=--max-old-space-size=N.
const { runProcess } = await import('./cli.js');
runProcess(process.argv.slice(2));
