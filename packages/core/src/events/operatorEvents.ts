import type * as E from 'fp-ts/lib/Either.js';
import type { OutcomeCategory } from '../codecs/enums.js';
import type { HoldItem } from '../codecs/holdItem.js';
import type { AttemptItem, RedriveItem } from '../codecs/items.js';
import { HELD_EXPIRED_CODE } from '../state/applyHold.js';
import { endpointOf } from '../request/endpointIdentity.js';
import { sha256Hex } from '../request/requestDigest.js';
import type { EndpointEvent } from '../breaker/endpointEvents.js';

// ---------------------------------------------------------------------------
// Operator events: the one rule deciding which stored event (an ATTEMPT#, REDRIVE# or HOLD# item)
// tells an operator something. The projector publishes them (EventBridge on AWS, a local
// sink in devkit); consumers dedupe by `eventId`, stable per (messageId, sort key, kind).
// ---------------------------------------------------------------------------

export const OPERATOR_EVENT_SOURCE = 'delivery-history';

export type OperatorEventKind = 'failed' | 'lost' | 'redriven' | 'held_expired';
export type OperatorDetailType = `delivery.${OperatorEventKind}`;

export type OperatorEventDetail = {
  /** Stable across redeliveries and replays of the same item: dedupe by it. */
  readonly eventId: string;
  readonly messageId: string;
  /** `host[:port]` of the target ('' when unknown). */
  readonly endpoint: string;
  /** The attempt's category; null for a re-drive (not an attempt). */
  readonly category: OutcomeCategory | null;
  readonly statusCode: number | null;
  /** Attempts made: the attempt's number, or the re-drive's `afterAttempt`. */
  readonly attempts: number;
  readonly correlationId: string;
  /** The attempt's `completedAt` or the re-drive's `at`. */
  readonly time: string;
  /** failed/lost: the error code (`LEASE_EXPIRED` for lost, `HTTP_503`, ...); null for a re-drive. */
  readonly errorCode: string | null;
  /** redriven only: who, why and the new limit. */
  readonly redrive: { readonly requestedBy: string; readonly reason: string; readonly maxAttempts: number } | null;
  /** held_expired only: why it was held (the breaker mode, or `operator`), and who made it final. */
  readonly hold: { readonly mode: string; readonly reason: string; readonly by: string } | null;
};

/** A message's event (`delivery.*`). */
export type DeliveryEvent = {
  readonly source: typeof OPERATOR_EVENT_SOURCE;
  readonly detailType: OperatorDetailType;
  readonly detail: OperatorEventDetail;
};

/** What an operator is told, about a message or about an endpoint (`breaker/endpointEvents.ts`). */
export type OperatorEvent = DeliveryEvent | EndpointEvent;

export const isDeliveryEvent = (e: OperatorEvent): e is DeliveryEvent => e.detailType.startsWith('delivery.');

/** What the message's STATE knows and a REDRIVE# item does not carry (null: STATE unreadable). */
export type RedriveContext = { readonly endpoint: string; readonly correlationId: string };

/** A stored event as a stream change, with its item's sort key. */
export type OperatorChange =
  | { readonly kind: 'attempt'; readonly sortKey: string; readonly attempt: AttemptItem }
  | {
      readonly kind: 'redrive';
      readonly sortKey: string;
      readonly redrive: RedriveItem;
      readonly context: RedriveContext | null;
    }
  | {
      readonly kind: 'hold';
      readonly sortKey: string;
      readonly hold: HoldItem;
      /** STATE's endpoint and correlation id (a HOLD# item carries neither); null: unreadable. */
      readonly context: RedriveContext | null;
      /** The `held` event this one ended (its mode and reason), when known. */
      readonly heldFor: HoldItem | null;
    };

/** The outcome of one publish: how many went out; the rest failed after the publisher's retries. */
export type PublishReport = { readonly published: number; readonly failed: readonly OperatorEvent[] };
export type PublishError = { readonly _tag: 'PublishError'; readonly message: string; readonly failed: number };

/** The port the projector publishes through (never throws: a rejection is a `Left`). */
export type OperatorEventPublisher = {
  publish(events: readonly OperatorEvent[]): Promise<E.Either<PublishError, PublishReport>>;
};

/** Stable id of the event `kind` of the item `sortKey` of `messageId` (32 hex chars). */
export const operatorEventId = (messageId: string, sortKey: string, kind: OperatorEventKind): string =>
  sha256Hex(JSON.stringify([messageId, sortKey, kind])).slice(0, 32);

const attemptEvent = (kind: 'failed' | 'lost', sortKey: string, a: AttemptItem): DeliveryEvent => ({
  source: OPERATOR_EVENT_SOURCE,
  detailType: `delivery.${kind}`,
  detail: {
    eventId: operatorEventId(a.messageId, sortKey, kind),
    messageId: a.messageId,
    endpoint: endpointOf(a.request.url),
    category: a.deliveryResult.category,
    statusCode: a.deliveryResult.statusCode,
    attempts: a.attemptNumber,
    correlationId: a.deliveryResult.correlationId,
    time: a.completedAt,
    errorCode: a.deliveryResult.errorDetails?.code ?? null,
    redrive: null,
    hold: null,
  },
});

/** `delivery.held_expired`: held past its retention and made final, never silently dropped. */
const heldExpiredEvent = (change: Extract<OperatorChange, { kind: 'hold' }>): DeliveryEvent[] => {
  const h = change.hold;
  if (h.kind !== 'expired') return [];
  const why = change.heldFor ?? h;
  return [
    {
      source: OPERATOR_EVENT_SOURCE,
      detailType: 'delivery.held_expired',
      detail: {
        eventId: operatorEventId(h.messageId, change.sortKey, 'held_expired'),
        messageId: h.messageId,
        endpoint: change.context?.endpoint ?? '',
        category: 'held_expired',
        statusCode: null,
        attempts: h.afterAttempt,
        correlationId: change.context?.correlationId ?? '',
        time: h.at,
        errorCode: HELD_EXPIRED_CODE,
        redrive: null,
        hold: { mode: why.mode, reason: why.reason, by: h.by },
      },
    },
  ];
};

/** Final FAILED: a live (not superseded) failure that is not retried (permanent or exhausted). */
const isFinalFailure = (a: AttemptItem): boolean =>
  !a.superseded && a.status === 'FAILED' && !a.deliveryResult.retryEligible;

/**
 * The operator events one stored event produces: `delivery.lost` for an attempt recorded as
 * `lost`, `delivery.failed` for one that made the message final FAILED (a lost attempt that
 * exhausts the message gives both), `delivery.redriven` for a re-drive, `delivery.held_expired`
 * for a hold that ended in expiry; none otherwise.
 */
export const operatorEventsOf = (change: OperatorChange): DeliveryEvent[] => {
  if (change.kind === 'hold') return heldExpiredEvent(change);
  if (change.kind === 'redrive') {
    const r = change.redrive;
    return [
      {
        source: OPERATOR_EVENT_SOURCE,
        detailType: 'delivery.redriven',
        detail: {
          eventId: operatorEventId(r.messageId, change.sortKey, 'redriven'),
          messageId: r.messageId,
          endpoint: change.context?.endpoint ?? '',
          category: null,
          statusCode: null,
          attempts: r.afterAttempt,
          correlationId: change.context?.correlationId ?? '',
          time: r.at,
          errorCode: null,
          redrive: { requestedBy: r.requestedBy, reason: r.reason, maxAttempts: r.maxAttempts },
          hold: null,
        },
      },
    ];
  }
  const a = change.attempt;
  return [
    ...(a.deliveryResult.category === 'lost' ? [attemptEvent('lost', change.sortKey, a)] : []),
    ...(isFinalFailure(a) ? [attemptEvent('failed', change.sortKey, a)] : []),
  ];
};

/** One event per id (first wins): what a consumer keeps after deduplication. */
export const dedupeOperatorEvents = (events: readonly OperatorEvent[]): OperatorEvent[] => {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.detail.eventId) && seen.add(e.detail.eventId) !== undefined);
};
