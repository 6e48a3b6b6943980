import { OutcomeCategory } from '@delivery-history/core/testing';
import { createStore, type Store } from '@delivery-history/store';
import { memoryLogger } from '@delivery-history/core';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { seedFromEnv } from '@delivery-history/testkit/seededRandom';
import { type RawServer, type Recipe, startRawServer, type Step } from '@delivery-history/testkit/rawHttpServer';
import { projectAll } from './support/catchUp.js';
import { type DirectHandler, directHandler } from './support/directHandler.js';
import { checkItems, ITEM_BUDGET } from './support/itemBudget.js';
import { requestTo, verifyTable } from './support/rig.js';
import { scaled } from './support/reliabilityScale.js';
import { printSummary } from './support/reliabilitySummary.js';

// Generated HTTP responses from a raw TCP server, delivered to through the real worker
// handler and store: broken or odd status lines, huge / numerous / binary headers,
// redirect loops (a 3xx to itself), invalid UTF-8 and binary bodies, bodies longer than the
// read cap, bodies that stop short of their content-length, chunked garbage, slow drips,
// responses that never come, resets and plain closes. Each message has one attempt allowed:
// every request that reached the server is exactly one recorded attempt, classified in the
// closed category set (a timeout where the server stalled past the deadline); the handler
// never throws; nothing stored is over budget; `dh verify` passes.

type Ctx = { t: TestTable; store: Store; server: RawServer; direct: DirectHandler };
const Http = suite<Ctx>('reliability: generated HTTP responses');

const RUNS = scaled(30);
const RESPONSE_TIMEOUT_MS = 800;
const TOTAL_TIMEOUT_MS = 1_500;

Http.before(async (ctx) => {
  ctx.t = await useTestTable('rel-bad-http');
  ctx.store = createStore({ doc: ctx.t.doc, tableName: ctx.t.tableName });
  ctx.server = await startRawServer();
  ctx.direct = directHandler(ctx.store, memoryLogger(), {
    connectMs: 1_000,
    responseMs: RESPONSE_TIMEOUT_MS,
    totalMs: TOTAL_TIMEOUT_MS,
  });
});
Http.after(async (ctx) => {
  await ctx.direct.http.close();
  await ctx.server.close();
  await ctx.t.drop();
});

type Spec = {
  clean?: true;
  statusLine: string;
  headers: Array<[string, Buffer | string]>;
  special: 'none' | 'huge-header' | 'many-headers' | 'redirect-self' | 'binary-header';
  body:
    | { kind: 'none' }
    | { kind: 'bytes'; bytes: Uint8Array }
    | { kind: 'huge' }
    | { kind: 'drip' }
    | { kind: 'chunked-garbage' };
  length: 'exact' | 'short' | 'long' | 'missing' | 'conflicting' | 'nonsense';
  stallMs: number;
  end: Recipe['end'];
};

/** A well-formed 200 now and then, so the success path runs alongside the broken ones. */
const cleanArb: fc.Arbitrary<Spec> = fc.uint8Array({ maxLength: 500 }).map((bytes) => ({
  clean: true,
  statusLine: 'HTTP/1.1 200 OK',
  headers: [['content-type', 'application/octet-stream']],
  special: 'none',
  body: { kind: 'bytes', bytes },
  length: 'exact',
  stallMs: 0,
  end: 'close',
}));

const latin = fc.string({ unit: 'binary-ascii', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ' '));
const oddArb: fc.Arbitrary<Spec> = fc.record({
  statusLine: fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(200, 201, 204, 301, 302, 307, 400, 404, 410, 429, 500, 503), latin)
        .map(([c, r]) => `HTTP/1.1 ${c} ${r}`),
    },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 100, max: 999 }), latin).map(([c, r]) => `HTTP/1.1 ${c} ${r}`) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'HTTP/1.1 200',
        'HTTP/1.0 200 OK',
        'HTTP/2 200 OK',
        'HTTP/1.1 abc Weird',
        'ICY 200 OK',
        '',
        'garbage\u0000',
      ),
    },
  ),
  headers: fc.array(
    fc.tuple(fc.constantFrom('x-a', 'content-type', 'retry-after', 'x-b', 'set-cookie', 'server'), latin),
    { maxLength: 5 },
  ),
  special: fc.constantFrom('none', 'none', 'huge-header', 'many-headers', 'redirect-self', 'binary-header'),
  body: fc.oneof(
    fc.constant({ kind: 'none' as const }),
    fc.uint8Array({ maxLength: 3000 }).map((bytes) => ({ kind: 'bytes' as const, bytes })),
    fc.constant({
      kind: 'bytes' as const,
      bytes: Uint8Array.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xed, 0xa0, 0x80, 0xf0, 0x28, 0x8c, 0x28]),
    }),
    fc.constant({ kind: 'huge' as const }),
    fc.constant({ kind: 'drip' as const }),
    fc.constant({ kind: 'chunked-garbage' as const }),
  ),
  length: fc.constantFrom('exact', 'exact', 'exact', 'short', 'long', 'missing', 'conflicting', 'nonsense'),
  stallMs: fc.constantFrom(0, 0, 0, 0, RESPONSE_TIMEOUT_MS + 700),
  end: fc.constantFrom('close', 'close', 'reset', 'hang'),
});

const specArb: fc.Arbitrary<Spec> = fc.oneof({ weight: 4, arbitrary: oddArb }, { weight: 1, arbitrary: cleanArb });

const bodyBytes = (b: Spec['body']): Buffer =>
  b.kind === 'bytes'
    ? Buffer.from(b.bytes)
    : b.kind === 'huge'
      ? Buffer.alloc(300 * 1024, 0x61)
      : b.kind === 'drip'
        ? Buffer.from('dripdrip')
        : Buffer.alloc(0);

/** The bytes of a response for a spec; `self` is the URL of the recipe (for redirect loops). */
const recipeOf = (s: Spec, self: string): Recipe => {
  const body = bodyBytes(s.body);
  const lines: Buffer[] = [Buffer.from(`${s.statusLine}\r\n`, 'latin1')];
  const header = (name: string, value: Buffer | string) =>
    lines.push(
      Buffer.concat([
        Buffer.from(`${name}: `, 'latin1'),
        Buffer.isBuffer(value) ? value : Buffer.from(value, 'latin1'),
        Buffer.from('\r\n'),
      ]),
    );
  for (const [n, v] of s.headers) header(n, v);
  if (s.special === 'huge-header') header('x-huge', 'h'.repeat(200_000));
  if (s.special === 'many-headers') for (let i = 0; i < 2_000; i++) header(`x-h${i}`, String(i));
  if (s.special === 'redirect-self') header('location', self);
  if (s.special === 'binary-header') header('x-bin', Buffer.from([0x80, 0xff, 0x00, 0x7f, 0xc3]));
  if (s.body.kind === 'chunked-garbage') header('transfer-encoding', 'chunked');
  else if (s.length === 'exact') header('content-length', String(body.length));
  else if (s.length === 'short') header('content-length', String(body.length + 100));
  else if (s.length === 'long') header('content-length', String(Math.max(0, body.length - 1)));
  else if (s.length === 'conflicting') {
    header('content-length', String(body.length));
    header('content-length', String(body.length + 7));
  } else if (s.length === 'nonsense') header('content-length', '-12abc');
  lines.push(Buffer.from('\r\n'));
  const head: Step = { bytes: Buffer.concat(lines), delayMs: s.stallMs };
  if (s.body.kind === 'drip') {
    return { steps: [head, ...[...body].map((b) => ({ bytes: Buffer.from([b]), delayMs: 250 }))], end: s.end };
  }
  if (s.body.kind === 'chunked-garbage') {
    return { steps: [head, { bytes: Buffer.from('zz\r\nnot a chunk\r\n5\r\nab'), delayMs: 0 }], end: s.end };
  }
  return { steps: body.length > 0 ? [head, { bytes: body, delayMs: 0 }] : [head], end: s.end };
};

const CATEGORIES = new Set(Object.keys(OutcomeCategory.keys));

Http('every generated response: exactly one recorded, classified attempt per request; never a crash', async (ctx) => {
  const { store, server, direct } = ctx;
  let n = 0;
  let invocations = 0;
  let odd = 0;
  const categories: Record<string, number> = {};
  const problems: string[] = [];
  const seed = seedFromEnv();
  const run = await fc.check(
    fc.asyncProperty(fc.array(specArb, { minLength: 1, maxLength: 5 }), async (specs) => {
      invocations++;
      odd += specs.filter((s) => s.clean !== true).length;
      const ids = specs.map((s) => {
        const key = String(n++);
        server.define(key, recipeOf(s, server.url(key)));
        return { id: `http-${key}`, url: server.url(key), spec: s };
      });
      const { failed } = await direct.invoke(
        ids.map(({ id, url }) => JSON.stringify(requestTo(id, url, 1))),
        `batch-${invocations}`,
      );
      void failed;
      for (const { id, spec } of ids) {
        const h = await store.getHistory(id)();
        if (E.isLeft(h)) {
          problems.push(`${id}: no history (${h.left.message})`);
          continue;
        }
        const attempts = h.right.attempts;
        const requests = server.requestsOf(id);
        const cats = attempts.map((a) => a.deliveryResult.category);
        for (const c of cats) categories[c] = (categories[c] ?? 0) + 1;
        if (attempts.length !== 1 || requests !== 1)
          problems.push(`${id}: ${attempts.length} attempts for ${requests} requests`);
        if (cats.some((c) => !CATEGORIES.has(c))) problems.push(`${id}: category outside the closed set: ${cats}`);
        if (spec.stallMs > RESPONSE_TIMEOUT_MS && cats[0] !== 'timeout')
          problems.push(`${id}: stalled past the deadline but classified ${cats[0]}`);
        if (h.right.state.status !== 'SUCCESS' && h.right.state.status !== 'FAILED')
          problems.push(`${id}: not final (${h.right.state.status})`);
      }
      return true;
    }),
    { seed, numRuns: RUNS, interruptAfterTimeLimit: 150_000, markInterruptAsFailure: false },
  );
  await projectAll(ctx.t);
  const verify = await verifyTable(ctx.t);
  const budget = await checkItems(ctx.t.doc, ctx.t.tableName, null);

  printSummary({
    file: 'badInputHttp',
    operationsSent: n,
    faultsInjected: odd,
    inputsTried: n,
    lost: problems.filter((p) => p.includes('no history') || p.includes('not final')).length,
    doubleCounted: problems.filter((p) => p.includes('attempts for')).length,
    details: {
      seed,
      'property runs': `${run.numRuns}${run.interrupted ? ' (time limit reached)' : ''}`,
      'handler invocations': invocations,
      'attempts by category': categories,
      problems: problems.length,
      'largest item bytes': `${budget.largest} (budget ${ITEM_BUDGET})`,
      'items over budget': budget.overBudget.length,
      verify: { ok: verify.report.ok, messages: verify.report.messages },
    },
  });

  assert.is(run.failed, false, String(run.errorInstance));
  assert.ok(n > 0);
  assert.equal(problems.slice(0, 10), [], `${problems.length} problems`);
  assert.equal(budget.overBudget, [], 'no item over budget');
  assert.is(verify.report.ok, true, `dh verify: ${JSON.stringify(verify.report.violations.slice(0, 5))}`);
  assert.is(verify.report.messages, n);
});

Http.run();
