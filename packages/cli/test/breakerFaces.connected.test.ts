// The breaker's faces (issue 27) through `dh`, the real worker handler and DynamoDB Local: a
// paused endpoint's state, reason, since and held count in `dh endpoints` (table fitted to 80
// columns, and --json), its held messages in `dh failed --held` (and not in `dh failed`),
// `dh endpoint --status HELD`, and the hold events in `dh history` (text and --json); then a
// receiver's `webhook-delivery: disable` shows as paused by `receiver`.
import { memoryIo, main } from '@delivery-history/cli/testing';
import { endpointOf, display } from '@delivery-history/core';
import * as assert from 'uvu/assert';
import { suiteWith } from '@delivery-history/testkit/suiteWith';
import { sqsEvent, sqsRecord, uniqueId } from '../../worker/test/support/workerRig.js';
import { dhIn, disablingReceiver, gatedWorker, type OperatorRig, startOperatorRig } from './support/operatorRig.js';

type Ctx = { rig: OperatorRig };
const Faces = suiteWith(
  'breaker faces: dh endpoints, failed --held, endpoint --status HELD, history',
  'rig',
  () => startOperatorRig('cli-breaker-faces'),
  (rig) => rig.close(),
);

const dh = (ctx: Ctx, args: string[]) => dhIn(ctx.rig.env, args);

/** As on an 80-column terminal (no pager, no colour): tables are fitted to the width. */
const dh80 = async (ctx: Ctx, args: string[]) => {
  const base = memoryIo({ ...ctx.rig.env, NO_COLOR: '1' });
  const io = { ...base, stdout: { write: (s: string) => base.stdout.write(s), isTTY: true, columns: 80 } };
  const code = await main([...args, '--no-pager'], io);
  return { code, out: base.out(), err: base.err() };
};

type Breaker = { state: string; reason: string | null; by: string | null; since: string | null; held: number };
type EndpointsDoc = { endpoints: Array<{ endpoint: string; deliveries: number; breaker: Breaker }> };

Faces('a paused endpoint: state, reason, since and held count; held messages listed apart', async (ctx) => {
  const url = ctx.rig.rx.url('/ok');
  const endpoint = endpointOf(url);
  const paused = await dh(ctx, ['endpoints', 'pause', endpoint, '--reason', 'INC-9 maintenance \u202eevil']);
  assert.is(paused.code, 0, paused.err);
  const h = gatedWorker(ctx.rig.store);
  const ids = [uniqueId('held-a'), uniqueId('held-b')];
  for (const messageId of ids) await h.handler(sqsEvent([sqsRecord({ messageId, url, body: '{}' })]));
  await h.http.close();

  // --json: the breaker object; the endpoint has a row though nothing was delivered in the window
  const json = await dh(ctx, ['endpoints', '--json']);
  assert.is(json.code, 0, json.err);
  const row = (JSON.parse(json.out) as EndpointsDoc).endpoints.find((e) => e.endpoint === endpoint);
  assert.ok(row !== undefined, 'a quiet row for the paused endpoint');
  assert.is(row?.deliveries, 0);
  assert.equal(
    [row?.breaker.state, row?.breaker.by, row?.breaker.reason, row?.breaker.held],
    ['paused', 'ops@example.com', 'INC-9 maintenance \u202eevil', 2],
  );
  assert.ok(row?.breaker.since !== null && !Number.isNaN(Date.parse(row?.breaker.since ?? '')));

  // the table on an 80-column terminal: state and held count kept, every line fits
  const narrow = await dh80(ctx, ['endpoints']);
  assert.is(narrow.code, 0, narrow.err);
  assert.match(narrow.out, /BREAKER\s+HELD/, 'kept at 80 columns');
  assert.match(narrow.out.split('\n').find((l) => l.startsWith(endpoint)) ?? '', /\spaused\s+2(\s|$)/);
  const wide = await dh(ctx, ['endpoints']);
  assert.match(wide.out, /BREAKER\s+HELD\s+BREAKER SINCE\s+BREAKER REASON/);
  const line = wide.out.split('\n').find((l) => l.startsWith(endpoint)) ?? '';
  assert.match(line, /\spaused\s+2\s/);
  assert.match(line, /by ops@example\.com: INC-9 maintenance \S+evil/, 'the reason, its control made visible');
  assert.not.match(wide.out, /\u202e/, 'the reason passes the output rule: no raw bidi control');

  // dh failed --held lists them; dh failed leaves them out
  const since = ['--since', '-1h'];
  const held = await dh(ctx, ['failed', ...since, '--held', '--output', 'json']);
  assert.is(held.code, 0, held.err);
  const heldIds = (JSON.parse(held.out) as { items: Array<{ messageId: string; status: string }> }).items
    .filter((i) => ids.includes(i.messageId))
    .map((i) => [i.messageId, i.status]);
  assert.equal(heldIds.sort(), ids.map((id) => [id, 'HELD']).sort());
  const failed = await dh(ctx, ['failed', ...since, '--output', 'json']);
  const failedIds = failed.code === 0 ? (JSON.parse(failed.out) as { items: Array<{ messageId: string }> }).items : [];
  assert.not.ok(
    failedIds.some((i) => ids.includes(i.messageId)),
    'not failed: they wait',
  );
  const both = await dh(ctx, ['failed', ...since, '--held', '--exhausted']);
  assert.is(both.code, 2, 'a usage error');
  const status = await dh(ctx, ['endpoint', endpoint, '--status', 'HELD', '--output', 'json']);
  assert.is(status.code, 0, status.err);
  assert.is((JSON.parse(status.out) as { items: unknown[] }).items.length, 2);

  // dh history: the Holds section and `holds` in --json
  const text = await dh(ctx, ['history', ids[0] ?? '']);
  assert.match(text.out, /Status\s+HELD \(its endpoint's breaker holds it: no attempt spent\)/);
  assert.match(text.out, /Holds \(1\)/);
  assert.match(text.out, /1\s+held\s+.*paused/);
  const doc = JSON.parse((await dh(ctx, ['history', ids[0] ?? '', '--json'])).out) as {
    holds: Array<{ kind: string; mode: string; reason: string; by: string }>;
  };
  assert.equal(
    doc.holds.map((x) => [x.kind, x.mode, x.reason, x.by]),
    [['held', 'paused', 'INC-9 maintenance \u202eevil', 'breaker']],
  );

  // resume: released and delivered; the history says so, the breaker row is closed again
  const resumed = await dh(ctx, ['endpoints', 'resume', endpoint, '--rate', '50']);
  assert.is(resumed.code, 0, resumed.err);
  const after = JSON.parse((await dh(ctx, ['history', ids[0] ?? '', '--json'])).out) as {
    state: { status: string; attempts: number };
    holds: Array<{ kind: string }>;
  };
  assert.equal([after.state.status, after.state.attempts], ['SUCCESS', 1]);
  assert.equal(
    after.holds.map((x) => x.kind),
    ['held', 'released'],
  );
  const closed = (JSON.parse((await dh(ctx, ['endpoints', '--json'])).out) as EndpointsDoc).endpoints.find(
    (e) => e.endpoint === endpoint,
  );
  assert.equal([closed?.breaker.state, closed?.breaker.held], ['closed', 0]);
});

Faces("the receiver's disable header: dh endpoints shows it paused by the receiver, with the evidence", async (ctx) => {
  const rx = await disablingReceiver();
  const url = rx.url;
  try {
    const h = gatedWorker(ctx.rig.store, true);
    await h.handler(sqsEvent([sqsRecord({ messageId: uniqueId('asks-disable'), url, body: '{}' })]));
    await h.http.close();
  } finally {
    await rx.close();
  }
  const doc = JSON.parse((await dh(ctx, ['endpoints', '--json'])).out) as EndpointsDoc;
  const row = doc.endpoints.find((e) => e.endpoint === endpointOf(url));
  assert.equal([row?.breaker.state, row?.breaker.by], ['paused', 'receiver']);
  assert.match(row?.breaker.reason ?? '', /webhook-delivery: disable \(HTTP 410 to message asks-disable/);
});

Faces('an 80-column terminal: every line of dh endpoints fits', async (ctx) => {
  const r = await dh80(ctx, ['endpoints']);
  assert.is(r.code, 0, r.err);
  for (const l of r.out.split('\n')) assert.ok(display.width(l) <= 80, `${display.width(l)}: ${l}`);
});

Faces.run();
