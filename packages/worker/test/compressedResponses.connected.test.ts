// Compressed and binary answers through the real worker handler against DynamoDB Local
// (issue 23): a gzip, deflate or br error body is stored as its readable text; a binary,
// undecodable or unknown-coding body as the marker `[binary, N bytes, <type>, <encoding>]`,
// never as U+FFFD noise with raw control bytes.
import { makeRetryPolicy } from '@delivery-history/core';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import type { Store } from '@delivery-history/store';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { harness, run, sqsEvent, sqsRecord, testStore, uniqueId } from './support/workerRig.js';

const TEXT = JSON.stringify({ error: 'upstream unavailable', detail: 'retry in a minute '.repeat(20) });
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

type Answer = { readonly body: Buffer; readonly headers: Record<string, string> };

const ANSWERS: Readonly<Record<string, Answer>> = {
  gzip: { body: gzipSync(TEXT), headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' } },
  deflate: { body: deflateSync(TEXT), headers: { 'content-encoding': 'deflate', 'content-type': 'application/json' } },
  'raw-deflate': {
    body: deflateRawSync(TEXT),
    headers: { 'content-encoding': 'deflate', 'content-type': 'application/json' },
  },
  br: { body: brotliCompressSync(TEXT), headers: { 'content-encoding': 'br', 'content-type': 'application/json' } },
  png: { body: PNG, headers: { 'content-type': 'image/png' } },
  'gzip-png': { body: gzipSync(PNG), headers: { 'content-encoding': 'gzip', 'content-type': 'image/png' } },
  'bad-gzip': {
    body: Buffer.from('this is not gzip'),
    headers: { 'content-encoding': 'gzip', 'content-type': 'text/plain' },
  },
  zstd: {
    body: Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58]),
    headers: { 'content-encoding': 'zstd', 'content-type': 'text/plain' },
  },
};

const EXPECTED: Readonly<Record<string, string>> = {
  gzip: TEXT,
  deflate: TEXT,
  'raw-deflate': TEXT,
  br: TEXT,
  png: `[binary, ${PNG.length} bytes, image/png, identity]`,
  'gzip-png': `[binary, ${gzipSync(PNG).length} bytes, image/png, gzip]`,
  'bad-gzip': '[binary, 16 bytes, text/plain, gzip]',
  zstd: '[binary, 6 bytes, text/plain, zstd]',
};

type Ctx = { t: TestTable; store: Store; port: number; close: () => Promise<void> };
const Compressed = suite<Ctx>('worker: compressed and binary answers');

Compressed.before(async (ctx) => {
  ctx.t = await useTestTable('worker-compressed');
  ctx.store = testStore(ctx.t);
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const a = ANSWERS[(req.url ?? '').slice(1)];
      if (a === undefined) return void res.writeHead(404).end();
      res.writeHead(500, { ...a.headers, 'content-length': String(a.body.length) }).end(a.body);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  ctx.port = (server.address() as AddressInfo).port;
  ctx.close = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    });
});
Compressed.after(async (ctx) => {
  await ctx.close();
  await ctx.t.drop();
});

Compressed('gzip, deflate (zlib and raw) and br snippets are stored decoded; binary ones as a marker', async (ctx) => {
  const h = harness(
    testStore(ctx.t, { retryPolicy: makeRetryPolicy({ maxAttempts: 1, baseMs: 1_000, maxMs: 4_000 }) }),
  );
  const names = Object.keys(ANSWERS);
  const ids = names.map((n) => uniqueId(`enc-${n}`));
  await h.handler(
    sqsEvent(
      names.map((n, i) => sqsRecord({ messageId: ids[i], url: `http://127.0.0.1:${ctx.port}/${n}`, body: '{}' })),
    ),
  );
  for (const [i, name] of names.entries()) {
    const state = await run(ctx.store.getState(ids[i] ?? ''));
    const snippet = state.deliveryResult?.errorDetails?.responseSnippet ?? null;
    assert.is(state.deliveryResult?.statusCode, 500, name);
    assert.is(snippet, EXPECTED[name], name);
    const noise = [...(snippet ?? '')].filter((c) => c === '\uFFFD' || c.charCodeAt(0) < 9);
    assert.equal(noise, [], `${name}: no noise`);
  }
});

Compressed.run();
