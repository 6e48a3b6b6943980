import type { PutEventsRequestEntry, PutEventsResultEntry } from '@aws-sdk/client-eventbridge';
import { type AttemptItem, operatorEventsOf } from '@delivery-history/core';
import { eventBridgePublisher, type PutEvents } from '@delivery-history/projector/testing';
import * as E from 'fp-ts/lib/Either.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { attempts } from './support/projectorFixtures.js';

const eventsFor = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const a = attempts(`eb-${i}`, 1, 'final')[0] as AttemptItem;
    return operatorEventsOf({ kind: 'attempt', sortKey: 'ATTEMPT#000001', attempt: a });
  }).flat();

/** A scripted PutEvents: each call answers with the next script step (throw, or which entries to reject). */
const scripted = (steps: Array<'throw' | ((i: number) => boolean)>) => {
  const calls: PutEventsRequestEntry[][] = [];
  const putEvents: PutEvents = async (entries) => {
    calls.push(entries);
    const step = steps.shift() ?? (() => false);
    if (step === 'throw') throw Object.assign(new Error('rate exceeded'), { name: 'ThrottlingException' });
    const Entries: PutEventsResultEntry[] = entries.map((_, i) =>
      step(i) ? { ErrorCode: 'InternalFailure', ErrorMessage: 'try again' } : { EventId: `id-${calls.length}-${i}` },
    );
    return { Entries };
  };
  return { calls, putEvents };
};

const options = (putEvents: PutEvents, sleeps: number[] = []) => ({
  busName: 'delivery-events',
  putEvents,
  maxRetries: 3,
  backoff: { baseMs: 100, maxMs: 1000 },
  sleep: async (ms: number) => {
    sleeps.push(ms);
  },
  random: () => 0.5,
});

test('entries: bus, source, detail type, JSON detail with the stable event id, time; 10 per call', async () => {
  const s = scripted([]);
  const events = eventsFor(23);
  const r = await eventBridgePublisher(options(s.putEvents)).publish(events);
  assert.equal(r, E.right({ published: 23, failed: [] }));
  assert.equal(
    s.calls.map((c) => c.length),
    [10, 10, 3],
  );
  const first = s.calls[0]?.[0];
  assert.is(first?.EventBusName, 'delivery-events');
  assert.is(first?.Source, 'delivery-history');
  assert.is(first?.DetailType, 'delivery.failed');
  assert.equal(JSON.parse(first?.Detail ?? '{}'), events[0]?.detail);
  assert.equal(first?.Time, new Date(events[0]?.detail.time ?? ''));
});

test('a thrown call is retried with core backoff; FailedEntryCount retries only the rejected entries', async () => {
  const sleeps: number[] = [];
  const s = scripted(['throw', (i) => i === 1 || i === 3, () => false]);
  const events = eventsFor(4);
  const r = await eventBridgePublisher(options(s.putEvents, sleeps)).publish(events);
  assert.equal(r, E.right({ published: 4, failed: [] }));
  assert.equal(
    s.calls.map((c) => c.map((e) => JSON.parse(e.Detail ?? '{}').messageId)),
    [
      ['eb-0', 'eb-1', 'eb-2', 'eb-3'],
      ['eb-0', 'eb-1', 'eb-2', 'eb-3'],
      ['eb-1', 'eb-3'],
    ],
  );
  assert.equal(sleeps, [50, 100], 'full jitter over 100 * 2^(retry-1), random 0.5');
});

test('still rejected after the retries: reported as failed (Left when nothing went out)', async () => {
  const partial = scripted([(i) => i === 0, (i) => i === 0, (i) => i === 0, (i) => i === 0]);
  const events = eventsFor(2);
  const r = await eventBridgePublisher(options(partial.putEvents)).publish(events);
  assert.ok(E.isRight(r));
  if (E.isRight(r)) {
    assert.is(r.right.published, 1);
    assert.equal(r.right.failed, [events[0]]);
  }
  assert.is(partial.calls.length, 4, 'first try + 3 retries');
  const down = scripted(['throw', 'throw', 'throw', 'throw']);
  const l = await eventBridgePublisher(options(down.putEvents)).publish(events);
  assert.ok(E.isLeft(l));
  if (E.isLeft(l)) {
    assert.is(l.left.failed, 2);
    assert.match(l.left.message, 'ThrottlingException');
  }
});

test.run();
