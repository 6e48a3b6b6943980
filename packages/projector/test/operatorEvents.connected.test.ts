// Operator events end to end against DynamoDB Local: the handler over a mixed batch, fed twice,
// with the devkit sink (EventBridge's local stand-in) and with a failing publisher.
import { createStateItem, DeliveryRequest, fold, type OperatorEvent, seedOf } from '@delivery-history/core';
import { isDeliveryEvent, operatorEventId } from '@delivery-history/core/testing';
import { memoryEventSink } from '@delivery-history/devkit';
import {
  eventBridgePublisher,
  makeHandler,
  memoryTelemetry,
  type PutEvents,
} from '@delivery-history/projector/testing';
import { makeProjectorDeps } from '@delivery-history/projector';
import * as E from 'fp-ts/lib/Either.js';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  attempt,
  attemptKeyed,
  attemptRecord,
  attempts,
  redrive,
  redriveKeyed,
  redriveRecord,
} from './support/projectorFixtures.js';
import { writeItems } from '@delivery-history/testkit/writeItems';
import { type TestTable, useTestTable } from '@delivery-history/testkit/testTable';
import { compareTrail } from '@delivery-history/testkit/trails';

type Ctx = { t: TestTable };
const Events = suite<Ctx>('operator events against DynamoDB Local');

Events.before(async (ctx) => {
  ctx.t = await useTestTable('projector-events');
});
Events.after(async ({ t }) => {
  await t.drop();
});

type StreamEvent = Parameters<ReturnType<typeof makeHandler>>[0];
const event = (records: unknown[]): StreamEvent => ({ Records: records }) as StreamEvent;

const stateOf = (id: string, n: number, redrives: number): Record<string, unknown> => {
  const request = DeliveryRequest.decode({
    messageId: id,
    url: 'https://hooks.example.com/in',
    body: 'hi',
    correlationId: `corr-${id}`,
  });
  if (E.isLeft(request)) throw new Error('bad request fixture');
  const created = createStateItem(request.right, { now: new Date(Date.UTC(2025, 0, 1)), defaultMaxAttempts: 8 });
  const folded = fold(seedOf(created), attempts(id, n, 'final'), []);
  if (E.isLeft(folded)) throw new Error('fixture does not fold');
  return { pk: `MSG#${id}`, sk: 'STATE', ...folded.right, redrives };
};

/** A mixed workload (with a prefix per run): its items and its stream records. */
const workload = (p: string) => {
  const failed = attempts(`${p}-failed`, 3, 'final');
  const base = attempt(`${p}-lost`, 1, 'retry');
  const lost = {
    ...base,
    deliveryResult: {
      ...base.deliveryResult,
      category: 'lost' as const,
      statusCode: null,
      statusText: null,
      errorDetails: {
        code: 'LEASE_EXPIRED',
        message: 'lease expired',
        category: 'lost' as const,
        responseSnippet: null,
      },
    },
  };
  const lostThenOk = [lost, attempt(`${p}-lost`, 2, 'success')];
  const redriven = [...attempts(`${p}-rd`, 3, 'final'), attempt(`${p}-rd`, 4, 'success')];
  const rd = redrive(`${p}-rd`, 1, 3, 6);
  const ok = attempts(`${p}-ok`, 2);
  const all = [...failed, ...lostThenOk, ...redriven, ...ok];
  return {
    items: [...all.map(attemptKeyed), redriveKeyed(rd), stateOf(`${p}-rd`, 3, 1)],
    records: [...all.map((a) => attemptRecord(a)), redriveRecord(rd)],
    expected: [
      operatorEventId(`${p}-failed`, 'ATTEMPT#000003', 'failed'),
      operatorEventId(`${p}-lost`, 'ATTEMPT#000001', 'lost'),
      operatorEventId(`${p}-rd`, 'ATTEMPT#000003', 'failed'),
      operatorEventId(`${p}-rd`, 'REDRIVE#0001', 'redriven'),
    ].sort(),
    ids: [`${p}-failed`, `${p}-lost`, `${p}-rd`, `${p}-ok`],
  };
};

const idsOf = (events: readonly OperatorEvent[]): string[] => events.map((e) => e.detail.eventId).sort();

Events(
  'one event id per final failure, lost attempt and re-drive, also when the stream is fed twice',
  async ({ t }) => {
    const w = workload('twice');
    await writeItems(t.doc, t.tableName, w.items);
    const sink = memoryEventSink();
    const deps = makeProjectorDeps({ doc: t.doc, tableName: t.tableName }, { events: sink });
    const first = await makeHandler(deps)(event(w.records));
    assert.equal(first.batchItemFailures, []);
    const once = idsOf(sink.events);
    assert.equal(once, w.expected, 'one event per failure, lost attempt and re-drive; none for successes');
    const second = await makeHandler(deps)(event([...w.records].reverse()));
    assert.equal(second.batchItemFailures, []);
    assert.equal(idsOf(sink.unique()), w.expected, 'after dedupe by id: one per event');
    assert.equal(idsOf(sink.events.slice(once.length)), once, 'the second feed gives the same ids (at-least-once)');
    assert.equal(sink.counts(), { 'delivery.failed': 2, 'delivery.lost': 1, 'delivery.redriven': 1 });
    const rd = sink
      .unique()
      .filter(isDeliveryEvent)
      .find((e) => e.detailType === 'delivery.redriven');
    assert.equal(rd?.detail.correlationId, 'corr-twice-rd');
    assert.equal(rd?.detail.endpoint, 'hooks.example.com');
    assert.equal(rd?.detail.attempts, 3);
    const failed = sink
      .unique()
      .filter(isDeliveryEvent)
      .find((e) => e.detail.messageId === 'twice-failed');
    assert.equal(
      { ...failed?.detail, eventId: '' },
      {
        eventId: '',
        messageId: 'twice-failed',
        endpoint: 'hooks.example.com',
        category: 'client_error',
        statusCode: 404,
        attempts: 3,
        correlationId: 'twice-failed',
        time: attempts('twice-failed', 3, 'final')[2]?.completedAt,
        errorCode: 'HTTP_404',
        redrive: null,
        hold: null,
      },
    );
  },
);

Events(
  'a failing publisher never blocks the audit trail: logged and counted, then a redelivery publishes',
  async ({ t }) => {
    const w = workload('fault');
    await writeItems(t.doc, t.tableName, w.items);
    const sink = memoryEventSink();
    sink.failNext(1);
    const telemetry = memoryTelemetry();
    const deps = makeProjectorDeps({ doc: t.doc, tableName: t.tableName }, { events: sink, telemetry });
    const r = await makeHandler(deps)(event(w.records));
    assert.equal(r.batchItemFailures, [], 'a publish failure is not a batch item failure');
    for (const id of w.ids) {
      const c = await compareTrail(t.doc, t.tableName, id);
      assert.equal(c.trail.entries, c.expected, `${id}: the trail is written`);
    }
    assert.is(sink.events.length, 0);
    assert.is(telemetry.counts.EventPublishFailures, 4);
    assert.ok(telemetry.entries.some((e) => e.level === 'error' && e.message === 'operator events not published'));
    // the same records again (a redelivery, a replayed stream): the events go out, same ids
    await makeHandler(deps)(event(w.records));
    assert.equal(idsOf(sink.unique()), w.expected);
    assert.is(telemetry.counts.EventsPublished, 4);
  },
);

Events(
  'EventBridge fault injection: throttled calls and rejected entries are retried, the trail is written first',
  async ({ t }) => {
    const w = workload('eb');
    await writeItems(t.doc, t.tableName, w.items);
    const accepted: string[] = [];
    const trailsAtFirstCall: number[] = [];
    let calls = 0;
    const putEvents: PutEvents = async (entries) => {
      calls += 1;
      if (calls === 1) {
        // publishing starts only after the batch's trail writes
        for (const id of w.ids)
          trailsAtFirstCall.push((await compareTrail(t.doc, t.tableName, id)).trail.entries.length);
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      // second call: the first entry is rejected (FailedEntryCount 1), the rest accepted
      return {
        Entries: entries.map((e, i) => {
          if (calls === 2 && i === 0) return { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' };
          accepted.push(JSON.parse(e.Detail ?? '{}').eventId);
          return { EventId: `eb-${calls}-${i}` };
        }),
      };
    };
    const telemetry = memoryTelemetry();
    const events = eventBridgePublisher({
      busName: 'delivery-events',
      putEvents,
      maxRetries: 4,
      backoff: { baseMs: 1, maxMs: 5 },
      sleep: async () => undefined,
      random: () => 0.5,
    });
    const deps = makeProjectorDeps({ doc: t.doc, tableName: t.tableName }, { events, telemetry });
    const r = await makeHandler(deps)(event(w.records));
    assert.equal(r.batchItemFailures, []);
    assert.ok(
      trailsAtFirstCall.every((n) => n > 0),
      'every trail was written before the first PutEvents',
    );
    assert.is(calls, 3, 'a thrown call, a partial failure, the rejected entry alone');
    assert.equal(accepted.sort(), w.expected);
    assert.is(telemetry.counts.EventsPublished, 4);
    assert.is(telemetry.counts.EventPublishFailures ?? 0, 0);
  },
);

Events('events off (no publisher): nothing is published, the trail is the same', async ({ t }) => {
  const w = workload('off');
  await writeItems(t.doc, t.tableName, w.items);
  const deps = makeProjectorDeps({ doc: t.doc, tableName: t.tableName });
  const r = await makeHandler(deps)(event(w.records));
  assert.equal(r.batchItemFailures, []);
  const c = await compareTrail(t.doc, t.tableName, 'off-rd');
  assert.equal(c.trail.entries, c.expected);
});

Events.run();
