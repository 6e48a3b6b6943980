// A decompression bomb against the real worker in its own process (issue 23): 64 MiB of
// zeros, gzipped (64 KiB on the wire) and br (106 bytes), as ASCII '0's and as NUL bytes.
// The worker's peak RSS grows by a few MiB, not by the bomb; it stores a readable snippet
// capped at 4 KiB ('0' x 4096), or the binary marker for the NUL body. A control child that
// decodes the same bodies whole (zlib's one-shot API) shows the growth the bound prevents,
// so the measure can fail. The figures go in the worker README.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { Store } from '@delivery-history/store';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { run, testStore } from './support/workerRig.js';

const root = new URL('../../../', import.meta.url).pathname;
const MiB = 1024 * 1024;
const BOMB_BYTES = 64 * MiB;

type Body = { readonly body: Buffer; readonly encoding: string | null; readonly type: string; readonly status: number };

const bodies = (): Record<string, Body> => {
  const text = Buffer.alloc(BOMB_BYTES, '0');
  const nul = Buffer.alloc(BOMB_BYTES, 0);
  return {
    '/ok': { body: Buffer.from('ok'), encoding: null, type: 'text/plain', status: 200 },
    '/small-gzip': { body: gzipSync('{"error":"busy"}'), encoding: 'gzip', type: 'application/json', status: 500 },
    '/gzip-text': { body: gzipSync(text), encoding: 'gzip', type: 'text/plain', status: 503 },
    '/br-text': { body: brotliCompressSync(text), encoding: 'br', type: 'text/plain', status: 503 },
    '/gzip-zeros': { body: gzipSync(nul), encoding: 'gzip', type: 'application/octet-stream', status: 503 },
    '/br-zeros': { body: brotliCompressSync(nul), encoding: 'br', type: 'application/octet-stream', status: 503 },
  };
};

const BOMBS = ['/gzip-text', '/br-text', '/gzip-zeros', '/br-zeros'];

type Ctx = { t: TestTable; store: Store; base: string; sizes: Record<string, number>; close: () => Promise<void> };
const Bomb = suite<Ctx>('worker: decompression bomb, peak RSS in a child process');

Bomb.before(async (ctx) => {
  ctx.t = await useTestTable('worker-bomb');
  ctx.store = testStore(ctx.t);
  const answers = bodies();
  ctx.sizes = Object.fromEntries(Object.entries(answers).map(([p, b]) => [p, b.body.length]));
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const a = answers[url.pathname];
      if (a === undefined) return void res.writeHead(404).end();
      // `?raw`: the same bytes without a content-encoding (the control child decodes them itself)
      const encoding = a.encoding === null || url.searchParams.has('raw') ? {} : { 'content-encoding': a.encoding };
      res.writeHead(a.status, { 'content-type': a.type, 'content-length': String(a.body.length), ...encoding });
      res.end(a.body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  ctx.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  ctx.close = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
});
Bomb.after(async (ctx) => {
  await ctx.close();
  await ctx.t.drop();
});

type ChildReport = { baselineKiB: number; peakKiB: number; ids?: Record<string, string>; decoded?: number };

/** Runs bombChild.ts to its end (a safety kill after 5 minutes) and parses its report line. */
const runChild = (ctx: Ctx, mode: 'bounded' | 'naive', paths: ReadonlyArray<string>): Promise<ChildReport> =>
  new Promise((ok, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', `${root}packages/worker/test/support/bombChild.ts`],
      {
        cwd: root,
        env: {
          ...process.env,
          DH_CHILD_ENDPOINT: ctx.t.endpoint,
          DH_CHILD_TABLE: ctx.t.tableName,
          DH_BOMB_BASE_URL: ctx.base,
          DH_BOMB_PATHS: paths.join(','),
          DH_BOMB_MODE: mode,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (code) => {
      clearTimeout(guard);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || line === undefined) fail(new Error(`bomb child (${mode}) exit ${code}\n${out}\n${err}`));
      else ok(JSON.parse(line) as ChildReport);
    });
  });

const mib = (kib: number): number => Math.round((kib / 1024) * 10) / 10;

Bomb(
  '64 MiB of zeros, gzip and br: worker RSS bounded, a readable 4 KiB snippet (or the binary marker) stored',
  async (ctx) => {
    const bounded = await runChild(ctx, 'bounded', BOMBS);
    const naive = await runChild(
      ctx,
      'naive',
      ['/gzip-text', '/br-text'].map((p) => `${p}?raw`),
    );
    const grew = mib(bounded.peakKiB - bounded.baselineKiB);
    const naiveGrew = mib(naive.peakKiB - naive.baselineKiB);
    console.log(
      `bomb: worker peak RSS ${mib(bounded.baselineKiB)} -> ${mib(bounded.peakKiB)} MiB (+${grew}) over ${BOMBS.length} bombs` +
        ` (${BOMBS.map((p) => `${p} ${ctx.sizes[p]} B`).join(', ')});` +
        ` a whole decode: ${mib(naive.baselineKiB)} -> ${mib(naive.peakKiB)} MiB (+${naiveGrew})`,
    );
    assert.ok(naiveGrew > 60, `the control decodes ${naive.decoded} bytes and grows by ${naiveGrew} MiB`);
    assert.ok(grew < 24, `the worker grew by ${grew} MiB`);
    const ids = bounded.ids ?? {};
    for (const p of BOMBS) {
      const state = await run(ctx.store.getState(ids[p] ?? ''));
      const snippet = state.deliveryResult?.errorDetails?.responseSnippet ?? '';
      assert.is(state.deliveryResult?.statusCode, 503, p);
      if (p.endsWith('-text')) assert.is(snippet, '0'.repeat(4096), `${p}: readable, capped`);
      else
        assert.match(
          snippet,
          new RegExp(`^\\[binary, \\d+ bytes, application/octet-stream, ${p.startsWith('/br') ? 'br' : 'gzip'}\\]$`),
          p,
        );
    }
  },
);

Bomb.run();
