// Issue 15, "the observed outcome survives a DynamoDB outage": the receiver cuts DynamoDB (the
// TCP hop, as faultsDynamoRestart does) as soon as a request arrives, answers, and restores
// the hop a moment later, for the first request of each of 100 messages, while the local SQS queue stays up. The worker's
// appends fail after the store's retries; it sends each exchange back through SQS, and a later
// receive records it. Afterwards every attempt carries the receiver's real status code,
// requests received == attempts recorded, and nothing is recorded as `lost`. A second run with
// SQS refusing SendMessage too shows the other branch: the record's redelivery records `lost`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@delivery-history/devkit/testing';
import { ensureTable, makeClients, makeStreamClients } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { testEndpoint } from '@delivery-history/testkit/testTable';
import { requestTo, type Rig, startRig } from './support/rig.js';
import { printSummary } from './support/reliabilitySummary.js';
import { startTcpCut, type TcpCut } from './support/tcpCut.js';

type Rx = { server: Server; url: string; sent: Map<string, number[]> };
type Ctx = { net: TcpCut; rig: Rig; rx: Rx; cuts: number; destroy: () => void };
const Outage = suite<Ctx>('reliability: DynamoDB cut after the HTTP request, outcomes back through SQS');

const MESSAGES = 100;
const OUTAGE_MS = 300;

Outage.before(async (ctx) => {
  const upstream = new URL(await testEndpoint());
  ctx.net = await startTcpCut(await freePort(), Number(upstream.port));
  const direct = makeClients({ endpoint: upstream.origin });
  const tableName = `rel-outage-${process.pid}`;
  await ensureTable(direct.client, tableName);
  direct.client.destroy();
  const clients = makeStreamClients({ endpoint: ctx.net.endpoint });
  ctx.destroy = () => clients.client.destroy();
  ctx.rig = startRig({
    table: { ...clients, tableName, endpoint: ctx.net.endpoint, streamArn: undefined },
    withPoller: false,
    // a lease far longer than any outage: only SQS brings the outcome back, no takeover
    config: { leaseMs: 120_000, maxAttempts: 5 },
    storeRetry: { maxRetries: 2, baseMs: 20, maxMs: 60 },
    visibilityTimeoutMs: 1_000,
    maxReceiveCount: 1_000,
  });
  ctx.cuts = 0;
  let cutUntil = 0;
  const sent = new Map<string, number[]>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      const id = req.headers['webhook-id']?.toString() ?? '?';
      const k = Number(id.split('-').at(-1));
      const seen = sent.get(id) ?? [];
      // every fifth message: 503 first (a retry follows), then 200
      const status = k % 5 === 0 && seen.length === 0 ? 503 : 200;
      sent.set(id, [...seen, status]);
      if (seen.length === 0 && Date.now() > cutUntil) {
        // the request is in; the outcome must now wait for DynamoDB
        cutUntil = Date.now() + OUTAGE_MS;
        ctx.cuts++;
        await ctx.net.cut();
        setTimeout(() => void ctx.net.restore(), OUTAGE_MS);
      }
      res.writeHead(status).end(String(status));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  ctx.rx = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sent };
});
Outage.after(async (ctx) => {
  await ctx.rig.close();
  ctx.destroy();
  await ctx.net.close();
  ctx.rx.server.closeAllConnections();
  await new Promise((ok) => ctx.rx.server.close(ok));
});

const count = (rig: Rig, prefix: string): number =>
  rig.logger.entries.filter((e) => e.message.startsWith(prefix)).length;

Outage('100 messages, DynamoDB cut right after each first request: every outcome recorded, 0 lost', async (ctx) => {
  const { rig, rx } = ctx;
  const started = Date.now();
  const ids = Array.from({ length: MESSAGES }, (_, k) => `outage-${process.pid}-${k}`);
  for (const id of ids) rig.worker.driver.send(requestTo(id, `${rx.url}/hook`));
  // one record at a time: the cut falls between a request and its append, never on a claim
  rig.worker.driver.start({ concurrency: 1, batchSize: 1 });
  await rig.worker.driver.drain({ timeoutMs: 150_000 });
  await rig.worker.driver.stop();

  let attempts = 0;
  let lost = 0;
  let wrongStatus = 0;
  let notFinal = 0;
  for (const id of ids) {
    const h = await rig.store.getHistory(id)();
    if (E.isLeft(h)) {
      notFinal++;
      continue;
    }
    attempts += h.right.attempts.length;
    lost += h.right.attempts.filter((a) => a.deliveryResult.category === 'lost').length;
    const recorded = h.right.attempts.map((a) => a.deliveryResult.statusCode);
    if (JSON.stringify(recorded) !== JSON.stringify(rx.sent.get(id) ?? [])) wrongStatus++;
    if (h.right.state.status !== 'SUCCESS') notFinal++;
  }
  const requests = [...rx.sent.values()].reduce((n, s) => n + s.length, 0);
  const recovered = rig.recovered();
  const handedOff = count(rig, 'append failed after an HTTP request was sent; observed outcome sent back through SQS');
  printSummary({
    file: 'outageThroughSqs',
    operationsSent: MESSAGES,
    faultsInjected: ctx.cuts,
    inputsTried: 0,
    lost: notFinal,
    doubleCounted: Math.max(0, attempts - requests),
    accounting: {
      requestsReceived: requests,
      attemptsRecorded: attempts,
      lostAttempts: lost,
      recoveredThroughSqs: recovered,
    },
    details: {
      'handed off to SQS': handedOff,
      'wrong status recorded': wrongStatus,
      'DynamoDB cuts': ctx.cuts,
      'duration s': Math.round((Date.now() - started) / 100) / 10,
    },
  });
  assert.ok(handedOff > 0, 'some appends failed after the request and went through SQS');
  assert.is(notFinal, 0, 'every message SUCCESS');
  assert.is(lost, 0, 'no lost attempt while SQS is up');
  assert.is(wrongStatus, 0, "every attempt has the receiver's real status");
  assert.is(attempts, requests, 'requests received == attempts recorded');
  assert.ok(recovered >= handedOff, 'every handed-off outcome was recorded from SQS');
});

Outage('SQS down too: the log says so, the redelivered record records the attempt as lost', async (ctx) => {
  const { rig, rx } = ctx;
  // a rig with a short lease for this case
  const short = startRig({
    table: {
      ...makeStreamClients({ endpoint: ctx.net.endpoint }),
      tableName: rig.store.tableName,
      endpoint: ctx.net.endpoint,
      streamArn: undefined,
    },
    withPoller: false,
    config: { leaseMs: 2_000, maxAttempts: 5 },
    storeRetry: { maxRetries: 1, baseMs: 20, maxMs: 40 },
    visibilityTimeoutMs: 500,
    maxReceiveCount: 1_000,
  });
  try {
    short.worker.queue.setSendFailing(true);
    const id = `outage-sqsdown-${process.pid}-1`;
    short.worker.driver.send(requestTo(id, `${rx.url}/hook`));
    short.worker.driver.start({ concurrency: 1, batchSize: 1 });
    await short.worker.driver.drain({ timeoutMs: 60_000 });
    const h = await short.store.getHistory(id)();
    assert.ok(E.isRight(h));
    if (E.isLeft(h)) return;
    assert.is(
      count(short, 'attempt not recorded after an HTTP request was sent; SQS unreachable too'),
      1,
      'the log line says which case happened',
    );
    assert.equal(
      h.right.attempts.map((a) => a.deliveryResult.category),
      ['lost', 'success'],
    );
    assert.is(h.right.attempts.length, rx.sent.get(id)?.length, 'requests received == attempts recorded');
  } finally {
    await short.close();
  }
});

Outage.run();
