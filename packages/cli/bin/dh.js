#!/usr/bin/env node
// `dh`, the package's bin: the built launcher (dist/dh.js, written by `pnpm build`, which runs
// the bundle dist/dh.cjs through a code cache: src/kit/codeCache.ts). This file
// is in the source tree so that `pnpm install` can link the bin before the first build (a
// bin pointing into dist/ made a fresh install warn that it could not create it).
try {
  await import('../dist/dh.js');
} catch (e) {
  // only dist/dh.js itself missing; anything else is dh's own failure, reported by dh
  if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('dist/dh.js')) throw e;
  process.stderr.write('dh: not built yet: run "pnpm build" (or "pnpm dh:link") in the checkout\n');
  process.exit(3);
}
