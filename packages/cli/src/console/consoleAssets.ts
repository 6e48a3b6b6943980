import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The console's files, served by itself (works offline, CSP 'self'): its stylesheet and chart
// script (packages/cli/assets/console) and uPlot's build from its pinned package. A fixed list:
// no path from a request ever reaches the file system.

/** packages/cli/assets/console, found upwards from this module (src/console/ or the bundle's dist/). */
const assetDir = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i += 1) {
    const candidate = join(dir, 'assets', 'console');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('dh console: its assets directory (packages/cli/assets/console) is missing');
};

const TYPES = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' } as const;

export type Asset = { readonly body: Buffer; readonly type: string };

/** Every asset by its public name, read once at start. */
export const loadAssets = (): ReadonlyMap<string, Asset> => {
  const own = assetDir();
  const require = createRequire(import.meta.url);
  const files: ReadonlyArray<[string, string]> = [
    ['console.css', join(own, 'console.css')],
    ['endpointChart.js', join(own, 'endpointChart.js')],
    ['liveMessages.js', join(own, 'liveMessages.js')],
    ['jobProgress.js', join(own, 'jobProgress.js')],
    ['uPlot.iife.min.js', require.resolve('uplot/dist/uPlot.iife.min.js')],
    ['uPlot.min.css', require.resolve('uplot/dist/uPlot.min.css')],
  ];
  return new Map(
    files.map(([name, path]) => [
      name,
      { body: readFileSync(path), type: name.endsWith('.css') ? TYPES.css : TYPES.js },
    ]),
  );
};
