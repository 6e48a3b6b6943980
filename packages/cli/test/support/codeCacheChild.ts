// One run of kit/codeCache.ts in its own process (V8's in-process compilation cache would
// answer a second load in the same process before the code cache is looked at):
// argv: bundle, cache dir ('-': none), key, exit code. Prints what the load did and 2 + 3 by the bundle.
import { loadBundle } from '../../src/kit/codeCache.js';

const [bundle = '', dir = '-', key = 'history', code = '0'] = process.argv.slice(2);
const r = loadBundle(bundle, { dir: dir === '-' ? null : dir, key });
const add = (r.exports as { add: (a: number, b: number) => number }).add;
process.stdout.write(`${JSON.stringify({ cache: r.cache, sum: add(2, 3) })}\n`);
process.exit(Number(code));
