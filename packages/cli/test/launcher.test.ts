import { spawnSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_MAX_OLD_SPACE_MB, heapCapFor } from '../src/launcher.js';

const Launcher = suite('dh launcher: replay and verify run with a capped heap');

Launcher('replay and verify get the cap; other commands, flags already set and the child do not', () => {
  assert.is(heapCapFor(['replay', 'projections', '--all'], [], {}), DEFAULT_MAX_OLD_SPACE_MB);
  assert.is(heapCapFor(['verify'], [], {}), DEFAULT_MAX_OLD_SPACE_MB);
  assert.is(heapCapFor(['history', 'x'], [], {}), null);
  assert.is(heapCapFor([], [], {}), null);
  assert.is(heapCapFor(['verify'], ['--max-old-space-size=512'], {}), null);
  assert.is(heapCapFor(['verify'], [], { NODE_OPTIONS: '--max-old-space-size=512' }), null);
  assert.is(heapCapFor(['verify'], [], { DH_LAUNCHED: '1' }), null);
  assert.is(heapCapFor(['verify'], [], { DH_MAX_OLD_SPACE_MB: '160' }), 160);
  assert.is(heapCapFor(['verify'], [], { DH_MAX_OLD_SPACE_MB: '0' }), null);
});

Launcher('the re-run process has the cap (dh verify, its heap limit as V8 reports it)', () => {
  const bin = new URL('../src/bin.ts', import.meta.url).pathname;
  // an unreachable endpoint: verify fails fast (exit 3 or 4), in the capped child
  const probe = `${new URL('./support/heapProbe.ts', import.meta.url).pathname}`;
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      probe,
      '--conditions=source',
      bin,
      'verify',
      '--endpoint-url',
      'http://127.0.0.1:1',
    ],
    { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DH_MAX_OLD_SPACE_MB: '100' } },
  );
  const limits = [...r.stderr.matchAll(/heap-limit-mib (\d+)/g)].map((m) => Number(m[1]));
  assert.ok(limits.length >= 2, `both processes report: ${r.stderr.slice(-400)}`);
  assert.ok(
    limits.some((mib) => mib <= 160),
    `the child runs under the cap: ${limits.join(', ')}`,
  );
  assert.ok(r.status !== 0, 'the unreachable endpoint fails the command');
});

Launcher.run();
