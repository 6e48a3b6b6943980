// dist/dh.js, the binary (bin/dh.js imports it): runs the CLI bundle, dist/dh.cjs, through the
// code cache (kit/codeCache.ts). `pnpm dh` runs bin.ts from the sources instead.
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { codeCacheDir, commandKey, loadBundle } from './kit/codeCache.js';

type Cli = { readonly runProcess: (argv: ReadonlyArray<string>) => void };

const isCli = (x: unknown): x is Cli => typeof (x as Partial<Cli> | null)?.runProcess === 'function';

const argv = process.argv.slice(2);
const { exports } = loadBundle(fileURLToPath(new URL('./dh.cjs', import.meta.url)), {
  dir: codeCacheDir(process.env, process.platform, homedir()),
  key: commandKey(argv),
});
if (!isCli(exports)) throw new Error('dist/dh.cjs does not export runProcess: run "pnpm build" again');
exports.runProcess(argv);
