import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsCommandOutput,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import {
  type Backoff,
  backoffDelayMs,
  type OperatorEvent,
  type OperatorEventPublisher,
  type PublishError,
  type PublishReport,
  type Sleep,
  sleep,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';

/** The one SDK call, as a port (tests script it; fault injection). */
export type PutEvents = (entries: PutEventsRequestEntry[]) => Promise<Pick<PutEventsCommandOutput, 'Entries'>>;

export type EventBridgePublisherOptions = {
  readonly busName: string;
  readonly putEvents: PutEvents;
  /** Retries of a failed call or of rejected entries (FailedEntryCount) after the first try. */
  readonly maxRetries: number;
  readonly backoff: Backoff;
  readonly sleep: Sleep;
  readonly random: () => number;
};

/** PutEvents takes at most 10 entries per request. */
const MAX_ENTRIES = 10;

export const DEFAULT_PUBLISH_RETRIES = 4;
export const DEFAULT_PUBLISH_BACKOFF: Backoff = { baseMs: 100, maxMs: 2000 };

const entryOf = (busName: string, e: OperatorEvent): PutEventsRequestEntry => ({
  EventBusName: busName,
  Source: e.source,
  DetailType: e.detailType,
  Detail: JSON.stringify(e.detail),
  Time: new Date(e.detail.time),
});

const chunks = <A>(xs: readonly A[], n: number): A[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

type Try = { readonly rejected: OperatorEvent[]; readonly error: string | null };

/** One PutEvents call: the entries it did not take (all of them when the call failed). */
const putOnce = async (o: EventBridgePublisherOptions, events: readonly OperatorEvent[]): Promise<Try> => {
  try {
    const out = await o.putEvents(events.map((e) => entryOf(o.busName, e)));
    // result entries are in request order; one with an ErrorCode was not accepted
    const rejected = events.filter((_, i) => {
      const r = out.Entries?.[i];
      return r === undefined || r.ErrorCode !== undefined || r.EventId === undefined;
    });
    const first = out.Entries?.find((r) => r.ErrorCode !== undefined);
    return { rejected, error: first === undefined ? null : `${first.ErrorCode}: ${first.ErrorMessage ?? ''}` };
  } catch (e) {
    return { rejected: [...events], error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
};

/** Up to 10 events: retried with core's backoff, only what was not taken (partial failures). */
const putChunk = async (o: EventBridgePublisherOptions, chunk: readonly OperatorEvent[]): Promise<Try> => {
  let last = await putOnce(o, chunk);
  for (let retry = 1; retry <= o.maxRetries && last.rejected.length > 0; retry++) {
    await o.sleep(backoffDelayMs(retry, o.backoff, o.random));
    last = await putOnce(o, last.rejected);
  }
  return last;
};

/**
 * Operator events to EventBridge: chunks of 10 per PutEvents, each retried (a thrown call
 * and FailedEntryCount > 0 alike: only the rejected entries go again). Never rejects; what
 * is still not taken after the retries is `failed` (a `Left` when nothing was taken).
 */
export const eventBridgePublisher = (o: EventBridgePublisherOptions): OperatorEventPublisher => ({
  publish: async (events): Promise<E.Either<PublishError, PublishReport>> => {
    const failed: OperatorEvent[] = [];
    let error: string | null = null;
    for (const chunk of chunks(events, MAX_ENTRIES)) {
      const r = await putChunk(o, chunk);
      failed.push(...r.rejected);
      error = r.error ?? error;
    }
    if (failed.length > 0 && failed.length === events.length)
      return E.left({ _tag: 'PublishError', message: error ?? 'no entry accepted', failed: failed.length });
    return E.right({ published: events.length - failed.length, failed });
  },
});

/** `putEvents` over an SDK client (region and endpoint from the standard AWS variables). */
export const sdkPutEvents =
  (client: EventBridgeClient = new EventBridgeClient({})): PutEvents =>
  async (entries) =>
    client.send(new PutEventsCommand({ Entries: entries }));

/**
 * The EventBridge publisher `DELIVERY_EVENT_BUS_NAME` asks for (null: events off), with the
 * default retries; the Lambda and the local poller process both use it.
 */
export const eventsFromConfig = (c: {
  readonly eventBusName: string | null;
  readonly region: string | undefined;
}): OperatorEventPublisher | null =>
  c.eventBusName === null
    ? null
    : eventBridgePublisher({
        busName: c.eventBusName,
        putEvents: sdkPutEvents(new EventBridgeClient(c.region !== undefined ? { region: c.region } : {})),
        maxRetries: DEFAULT_PUBLISH_RETRIES,
        backoff: DEFAULT_PUBLISH_BACKOFF,
        sleep,
        random: Math.random,
      });
