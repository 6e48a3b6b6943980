import {
  type AttemptItem,
  attemptRequestOf,
  buildAttemptItem,
  createStateItem,
  type DeliveryRequest,
  defaultRetryPolicy,
  determineDeliveryOutcome,
  fold,
  type Outcome,
  type OutcomeInput,
  type StateItem,
} from '@delivery-history/core';
import { requestFingerprint } from '@delivery-history/core/testing';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { rebuildAuditSegments } from '@delivery-history/store';
import { tableKeys } from '@delivery-history/store';
import { correlationIndexKeys, endpointIndexKeys, failedIndexKeys } from '@delivery-history/store/testing';
import * as E from 'fp-ts/lib/Either.js';

// Requests, outcomes and whole messages shaped exactly as the store and projector write
// them (keys and index attributes from the store's key builders, the projection by core's
// fold, the trail by the projector's rebuild), so bulk-loaded data is indistinguishable
// from data written through the live path.

/** A typical webhook: JSON body of ~300 bytes, one credential header the store redacts. */
export const benchRequest = (
  messageId: string,
  url = 'http://127.0.0.1:9/hooks/orders',
  idInBody = true,
): DeliveryRequest => ({
  messageId,
  url,
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: 'Bearer bench-secret-token' },
  body: JSON.stringify({
    type: 'order.updated',
    id: idInBody ? messageId : 'evt',
    data: {
      orderId: idInBody ? messageId : 'order',
      status: 'shipped',
      items: [
        { sku: 'A-1', qty: 2 },
        { sku: 'B-7', qty: 1 },
      ],
    },
    padding: 'x'.repeat(160),
  }),
  correlationId: `corr-${messageId}`,
  maxAttempts: 5,
});

export type Reply = 200 | 404 | 500;

/** What the receiver answered, as the worker hands it to the store's append. */
export const observationOf = (reply: Reply): OutcomeInput => ({
  kind: 'response',
  statusCode: reply,
  statusText: reply === 200 ? 'OK' : reply === 404 ? 'Not Found' : 'Internal Server Error',
  headers: { 'content-type': 'application/json' },
  responseTimeMs: 12,
  bodySnippet: '{"ok":true}',
  bodyBytes: 11,
});

export const outcomeOf = (
  reply: Reply,
  at: { now: Date; attemptNumber: number; maxAttempts: number; correlationId: string },
): Outcome => determineDeliveryOutcome(observationOf(reply), { ...at, policy: defaultRetryPolicy, random: () => 0.5 });

export type ShapedMessage = {
  readonly messageId: string;
  readonly state: StateItem;
  readonly attempts: ReadonlyArray<AttemptItem>;
  /** Every item to write, keys and index attributes included. */
  readonly items: ReadonlyArray<Record<string, unknown>>;
};

/** The STATE item as the store writes it: keys + item + the index attributes of its status. */
export const stateRecord = (s: StateItem): Record<string, unknown> => ({
  ...tableKeys.stateKey(s.messageId),
  ...s,
  ...(s.status === 'FAILED' ? failedIndexKeys(s.messageId, s.lastUpdatedAt) : {}),
  ...endpointIndexKeys(s.messageId, s.endpoint, s.createdAt),
  ...correlationIndexKeys(s.messageId, s.correlationId, s.createdAt),
});

/**
 * A message created at `createdAt` with one attempt per reply, one second apart; the
 * STATE is fold(seed, attempts) and the audit trail is the projector's rebuild.
 */
export const shapeMessage = (
  messageId: string,
  createdAt: Date,
  replies: ReadonlyArray<Reply>,
  options: { url?: string; withAudit?: boolean; idInBody?: boolean } = {},
): ShapedMessage => {
  const request = benchRequest(messageId, options.url, options.idInBody ?? true);
  const seed = createStateItem(request, { now: createdAt, defaultMaxAttempts: defaultRetryPolicy.maxAttempts });
  const attempts = replies.map((reply, i): AttemptItem => {
    const n = i + 1;
    const startedAt = new Date(createdAt.getTime() + n * 1000);
    const completedAt = new Date(startedAt.getTime() + 12);
    return buildAttemptItem({
      messageId,
      request: attemptRequestOf(request),
      attemptNumber: n,
      attemptId: `${messageId}-a${n}`,
      leaseId: `${messageId}-l${n}`,
      startedAt,
      completedAt,
      outcome: outcomeOf(reply, {
        now: completedAt,
        attemptNumber: n,
        maxAttempts: seed.maxAttempts,
        correlationId: seed.correlationId,
      }),
      responseHeaders: { 'content-type': 'application/json' },
      superseded: false,
    });
  });
  const folded = fold(seed, attempts, []);
  if (E.isLeft(folded)) throw new Error(`fixture does not fold: ${folded.left._tag}`);
  const state = folded.right;
  const audit = options.withAudit === false ? E.right([]) : rebuildAuditSegments(messageId, attempts, []);
  if (E.isLeft(audit)) throw new Error(`fixture audit trail does not fit: ${audit.left._tag}`);
  return {
    messageId,
    state,
    attempts,
    items: [
      stateRecord(state),
      ...attempts.map((a) => ({ ...tableKeys.attemptKey(messageId, a.attemptNumber), ...a })),
      ...audit.right.map((x) => ({ ...x })),
    ],
  };
};

// ---------------------------------------------------------------------------
// fast shaping for bulk data (100,000 messages): the real code above runs once per reply
// pattern; each message is that template, already in DynamoDB JSON, with its id and times
// substituted and its id-dependent digest and index keys recomputed. Checked against
// shapeMessage() on a sample of every pattern, so the shortcut cannot drift from what the
// store writes.
// ---------------------------------------------------------------------------

const ISO = /"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)"/g;
const TEMPLATE_BASE = Date.UTC(2000, 0, 1);
const MARSHALL = { removeUndefinedValues: true, convertClassInstanceToMap: false } as const;

export type FastShaper = (messageId: string, createdAt: Date, pattern: number) => Array<Record<string, AttributeValue>>;

/** JSON with object keys sorted: item comparisons that ignore attribute order. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_, x: unknown) =>
    x !== null && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

/** `idWidth`: every id has this many characters (sizes, hence audit accounting, stay exact). */
export const makeFastShaper = (patterns: ReadonlyArray<ReadonlyArray<Reply>>, idWidth: number): FastShaper => {
  const placeholder = 'Z'.repeat(idWidth);
  const templates = patterns.map((replies) => {
    const m = shapeMessage(placeholder, new Date(TEMPLATE_BASE), replies, { idInBody: false });
    // STATE without its index attributes: those depend on id and time and are added per message
    return JSON.stringify([
      marshall({ ...tableKeys.stateKey(placeholder), ...m.state }, MARSHALL),
      ...m.items.slice(1).map((x) => marshall(x, MARSHALL)),
    ]);
  });
  const shape: FastShaper = (messageId, createdAt, pattern) => {
    if (messageId.length !== idWidth) throw new Error(`fast shaper: id ${messageId} is not ${idWidth} characters`);
    const template = templates[pattern];
    if (template === undefined) throw new Error(`fast shaper: no pattern ${pattern}`);
    const delta = createdAt.getTime() - TEMPLATE_BASE;
    const text = template
      .split(placeholder)
      .join(messageId)
      .replace(ISO, (_, iso: string) => `"${new Date(Date.parse(iso) + delta).toISOString()}"`);
    const items = JSON.parse(text) as Array<Record<string, AttributeValue>>;
    const state = items[0] as Record<string, AttributeValue>;
    const request = (state.request as { M: Record<string, AttributeValue> }).M;
    request.fingerprint = { S: requestFingerprint(benchRequest(messageId, undefined, false)) };
    const s = (k: string) => (state[k] as { S: string }).S;
    const index = {
      ...(s('status') === 'FAILED' ? failedIndexKeys(messageId, s('lastUpdatedAt')) : {}),
      ...endpointIndexKeys(messageId, s('endpoint'), s('createdAt')),
      ...correlationIndexKeys(messageId, s('correlationId'), s('createdAt')),
    };
    for (const [k, v] of Object.entries(index)) state[k] = { S: v };
    return items;
  };
  // the shortcut must equal the real thing
  for (const [p, replies] of patterns.entries()) {
    for (const k of [0, 7, 123456]) {
      const id = `c${String(k).padStart(idWidth - 1, '0')}`.slice(0, idWidth);
      const at = new Date(Date.UTC(2026, 0, 5, 13, 0, 0) + k * 1013);
      const real = canonical(shapeMessage(id, at, replies, { idInBody: false }).items);
      const fast = canonical(shape(id, at, p).map((x) => unmarshall(x)));
      if (real !== fast)
        throw new Error(
          `fast shaper differs from shapeMessage for pattern ${p}:\n${real.slice(0, 400)}\n${fast.slice(0, 400)}`,
        );
    }
  }
  return shape;
};
