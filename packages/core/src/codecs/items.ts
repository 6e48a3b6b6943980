import * as t from 'io-ts';
import { AttemptStatus, HttpMethod, Status } from './enums.js';
import { eventItem, eventItemWith } from './eventItem.js';
import { HoldKind } from './holdItem.js';
import { DeliveryResult, Truncations } from './outcome.js';
import { IsoTimestamp, NonNegativeInt, nullable, PositiveInt, StringMap } from './primitives.js';

// ---------------------------------------------------------------------------
// Table items. Decoding strips attributes core does not know (pk, sk, gsi keys),
// so a decoded item compares cleanly with a folded one.
// ---------------------------------------------------------------------------

/** What removed content from an item: `content` (dh expunge) or `secrets` (the current policy re-applied). */
export const ExpungeScope = t.keyof({ content: null, secrets: null }, 'content|secrets');
export type ExpungeScope = t.TypeOf<typeof ExpungeScope>;

/**
 * The marker on a STATE or ATTEMPT item whose content an expunge removed (the one audited
 * exception to immutability): the EXPUNGE#n event that did it, when, and its scope.
 */
export const ExpungeMark = t.type({ n: PositiveInt, at: IsoTimestamp, scope: ExpungeScope }, 'ExpungeMark');
export type ExpungeMark = t.TypeOf<typeof ExpungeMark>;

/** Who asked for an operator's action (re-drive, requeue, expunge), why, and when (audited). */
const operatorAction = { requestedBy: t.string, reason: t.string, at: IsoTimestamp };

/** Optional on STATE and ATTEMPT: absent on every item no expunge touched. */
const expungeMarkProps = { expunged: ExpungeMark };

/** Optional on STATE: hold events applied (absent = 0, every item written before holds existed). */
const holdProps = { holds: NonNegativeInt };

/**
 * Optional on STATE: requeues recorded (absent = 0). Not a fold field (a requeue changes no
 * status): it numbers REQUEUE# items, so the projector knows when the table holds one it lacks.
 */
const requeueProps = { requeues: NonNegativeInt };

export const AttemptRequest = t.intersection(
  [
    t.type({
      method: HttpMethod,
      url: t.string,
      headers: StringMap,
      bodyBytes: NonNegativeInt,
      bodySha256: t.string,
    }),
    // every header as the worker sent it (its own added: content-type, user-agent, webhook-*),
    // credentials redacted; absent on attempts that sent nothing or were recorded before it
    t.partial({ sentHeaders: StringMap }),
  ],
  'AttemptRequest',
);
export type AttemptRequest = t.TypeOf<typeof AttemptRequest>;

export const AttemptResponse = t.intersection(
  [
    t.type({ headers: StringMap }),
    // a success's body snippet, kept only when the worker's DELIVERY_SUCCESS_SNIPPET is on
    // (a failure's is in deliveryResult.errorDetails.responseSnippet)
    t.partial({ snippet: t.string }),
  ],
  'AttemptResponse',
);
export type AttemptResponse = t.TypeOf<typeof AttemptResponse>;

export const AttemptItem = eventItemWith(
  'ATTEMPT',
  'AttemptItem',
  {
    attemptNumber: PositiveInt,
    attemptId: t.string,
    leaseId: t.string,
    startedAt: IsoTimestamp,
    completedAt: IsoTimestamp,
    request: AttemptRequest,
    response: nullable(AttemptResponse),
    deliveryResult: DeliveryResult,
    status: AttemptStatus,
    nextAttemptAt: nullable(IsoTimestamp),
    superseded: t.boolean,
    truncated: Truncations,
  },
  expungeMarkProps,
);
export type AttemptItem = t.TypeOf<typeof AttemptItem>;

/**
 * A lost attempt's real outcome, arriving after the takeover recorded it as `lost`
 * (`sk=RESOLVED#<n padded to 6>`, n = the lost attempt's number), immutable, one per lost
 * attempt. It explains the lost attempt (history, audit) and never counts: fold ignores it,
 * STATE is not touched (the message moved on under the new lease).
 */
export const ResolutionItem = eventItem('RESOLUTION', 'ResolutionItem', {
  /** The lost attempt this resolves. */
  attemptNumber: PositiveInt,
  /** The observed exchange's attemptId (idempotency key of the write). */
  attemptId: t.string,
  /** The expired lease the exchange was made under (= the lost attempt's leaseId). */
  leaseId: t.string,
  startedAt: IsoTimestamp,
  completedAt: IsoTimestamp,
  response: nullable(AttemptResponse),
  /** What the receiver answered, classified as attempt n (informational: no decision). */
  deliveryResult: DeliveryResult,
  recordedAt: IsoTimestamp,
  truncated: Truncations,
});
export type ResolutionItem = t.TypeOf<typeof ResolutionItem>;

export const RedriveItem = eventItem('REDRIVE', 'RedriveItem', {
  redriveNumber: PositiveInt,
  afterAttempt: NonNegativeInt,
  maxAttempts: PositiveInt,
  ...operatorAction,
});
export type RedriveItem = t.TypeOf<typeof RedriveItem>;

/**
 * REQUEUE#<at>#<id> (`sk`): an operator pushed a stalled message to the queue again (`dh replay
 * redrive --stalled`): who, why, when, and what it was waiting for. An audit record only: a
 * requeue changes nothing in STATE (fold and replay ignore it), the takeover or claim that
 * follows is recorded as usual.
 */
export const RequeueItem = eventItemWith(
  'REQUEUE',
  'RequeueItem',
  {
    ...operatorAction,
    /** STATE's status when it was requeued (PENDING, PROCESSING or a retrying FAILED). */
    status: Status,
    /** Since when it had waited for a worker. */
    waitingSince: IsoTimestamp,
  },
  // its place among the events (STATE.requeues, attempts, redrives and holds when it was
  // written, in one transaction): the audit trail's order. Absent on requeues recorded
  // before they reached the trail (history still lists those).
  {
    requeueNumber: PositiveInt,
    afterAttempt: NonNegativeInt,
    afterRedrive: NonNegativeInt,
    afterHold: NonNegativeInt,
  },
);
export type RequeueItem = t.TypeOf<typeof RequeueItem>;

/**
 * EXPUNGE#k (`sk=EXPUNGE#<k padded to 4>`): the audit record of one expunge of a message.
 * Written before any content is removed (`completedAt` null), completed after every item
 * is done; an incomplete one is resumed by the next run with the same scope.
 */
export const ExpungeItem = eventItem('EXPUNGE', 'ExpungeItem', {
  expungeNumber: PositiveInt,
  scope: ExpungeScope,
  ...operatorAction,
  completedAt: nullable(IsoTimestamp),
  /** Items whose content this expunge changed (set when completed). */
  items: NonNegativeInt,
});
export type ExpungeItem = t.TypeOf<typeof ExpungeItem>;

export const StateRequest = t.intersection(
  [
    t.type({
      method: HttpMethod,
      url: t.string,
      headers: StringMap,
      body: nullable(t.string),
      bodyBytes: NonNegativeInt,
      bodySha256: t.string,
      fingerprint: t.string,
    }),
    // the request's own limit (null: it named none), kept so a re-drive rebuilds the exact
    // SQS body; absent on items written before it was stored (see deliveryRequestOf)
    t.partial({ maxAttempts: nullable(PositiveInt) }),
  ],
  'StateRequest',
);
export type StateRequest = t.TypeOf<typeof StateRequest>;

export const Lease = t.type({ leaseId: t.string, expiresAt: IsoTimestamp, claimedAt: IsoTimestamp }, 'Lease');
export type Lease = t.TypeOf<typeof Lease>;

export const StateItem = eventItemWith(
  'STATE',
  'StateItem',
  {
    status: Status,
    createdAt: IsoTimestamp,
    lastUpdatedAt: IsoTimestamp,
    lastDeliveryAttempt: nullable(IsoTimestamp),
    attempts: NonNegativeInt,
    maxAttempts: PositiveInt,
    correlationId: t.string,
    endpoint: t.string,
    request: StateRequest,
    deliveryResult: nullable(DeliveryResult),
    retryEligible: t.boolean,
    nextAttemptAt: nullable(IsoTimestamp),
    lease: nullable(Lease),
    redrives: NonNegativeInt,
    truncated: Truncations,
  },
  {
    ...expungeMarkProps,
    ...holdProps,
    ...requeueProps,
    // the request's credentials, sealed for the worker alone (core seal/); absent when the
    // request carried none, and destroyed by an expunge (crypto-shredding)
    sealed: t.string,
  },
);
export type StateItem = t.TypeOf<typeof StateItem>;

// ---------------------------------------------------------------------------
// Audit trail entries (compact). Attempt entries have no `kind`; redrive entries
// have kind 'redrive'. Use `isEntry` to tell them apart.
// ---------------------------------------------------------------------------

export const AttemptAuditEntry = t.type(
  {
    n: PositiveInt,
    at: IsoTimestamp,
    status: AttemptStatus,
    statusCode: nullable(t.number),
    category: DeliveryResult.props.category,
    responseTime: NonNegativeInt,
    retry: t.keyof({ final: null, retry: null, superseded: null }, 'final|retry|superseded'),
    nextAttemptAt: nullable(IsoTimestamp),
  },
  'AttemptAuditEntry',
);
export type AttemptAuditEntry = t.TypeOf<typeof AttemptAuditEntry>;

/** A trail entry other than an attempt's: `n` (the attempt it followed or resolves), when, and its `kind`. */
const trailEvent = <K extends string, N extends t.Mixed, P extends t.Props>(kind: K, name: string, n: N, props: P) =>
  t.type({ n, at: IsoTimestamp, kind: t.literal(kind), ...props }, name);

export const RedriveAuditEntry = trailEvent('redrive', 'RedriveAuditEntry', NonNegativeInt, {
  by: t.string,
  reason: t.string,
});
export type RedriveAuditEntry = t.TypeOf<typeof RedriveAuditEntry>;

/** The real outcome of lost attempt `n`, arrived after the takeover (never a count). */
export const ResolutionAuditEntry = trailEvent('resolution', 'ResolutionAuditEntry', PositiveInt, {
  statusCode: nullable(t.number),
  category: DeliveryResult.props.category,
  responseTime: NonNegativeInt,
});
export type ResolutionAuditEntry = t.TypeOf<typeof ResolutionAuditEntry>;

/**
 * HOLD#k in the trail (invariant 11): held by its endpoint's breaker or an operator, released
 * by a drain or resume, or expired (held past its retention: final, held_expired). `n` is the
 * attempt it followed; `hold` its number (dense per message, the projector's position).
 */
export const HoldAuditEntry = trailEvent('hold', 'HoldAuditEntry', NonNegativeInt, {
  hold: PositiveInt,
  event: HoldKind,
  mode: t.string,
  by: t.string,
  reason: t.string,
});
export type HoldAuditEntry = t.TypeOf<typeof HoldAuditEntry>;

/** A requeue in the trail (who pushed a stalled message again, why, what it waited for). */
export const RequeueAuditEntry = trailEvent('requeue', 'RequeueAuditEntry', NonNegativeInt, {
  requeue: PositiveInt,
  by: t.string,
  reason: t.string,
  status: Status,
  waitingSince: IsoTimestamp,
});

export const AuditEntry = t.union(
  [RedriveAuditEntry, ResolutionAuditEntry, HoldAuditEntry, RequeueAuditEntry, AttemptAuditEntry],
  'AuditEntry',
);
export type AuditEntry = t.TypeOf<typeof AuditEntry>;

/** Each entry kind and its entry (an attempt's is the only kind without `kind`). */
type EntryOfKind = {
  readonly attempt: AttemptAuditEntry;
  readonly redrive: RedriveAuditEntry;
  readonly resolution: ResolutionAuditEntry;
  readonly hold: HoldAuditEntry;
  readonly requeue: t.TypeOf<typeof RequeueAuditEntry>;
};

/** Tells a trail's entries apart: `isEntry(e, 'redrive')` narrows `e` to a re-drive's entry. */
export const isEntry = <K extends keyof EntryOfKind>(e: AuditEntry, kind: K): e is AuditEntry & EntryOfKind[K] =>
  ('kind' in e ? e.kind : 'attempt') === kind;
