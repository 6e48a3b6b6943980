import * as t from 'io-ts';
import { TRANSPORT_RULES } from '../outcome/outcomeTable.js';
import { IsoTimestamp, NonNegativeInt, nullable, PositiveInt, StringMap } from './primitives.js';

// ---------------------------------------------------------------------------
// The optional `observed` field of the SQS body (DESIGN.md "SQS body", docs/model.md
// protocol 7): an HTTP exchange whose append failed after the store's retries, sent back
// through the queue by the worker so a later receive records it with its real outcome.
// Producers other than the worker never set it; a body without it is a plain delivery.
// ---------------------------------------------------------------------------

const TransportCode = t.keyof(
  Object.fromEntries(Object.keys(TRANSPORT_RULES).map((k) => [k, null])) as {
    [K in keyof typeof TRANSPORT_RULES]: null;
  },
  'transport error code',
);

const ObservedResponse = t.intersection(
  [
    t.type({
      kind: t.literal('response'),
      statusCode: t.number,
      statusText: t.string,
      /** Response headers as kept by the redaction policy (Retry-After is one of them). */
      headers: StringMap,
      responseTimeMs: NonNegativeInt,
      bodySnippet: t.string,
      bodyBytes: NonNegativeInt,
    }),
    // the receiver asked `webhook-delivery: abort-message` with receiver control on
    t.partial({ receiverAbort: t.boolean }),
  ],
  'ObservedResponse',
);

const ObservedError = t.type(
  {
    kind: t.literal('error'),
    code: TransportCode,
    message: t.string,
    responseTimeMs: NonNegativeInt,
  },
  'ObservedError',
);

export const ObservedExchange = t.intersection(
  [
    t.type({
      /** The number it was made as (the claim's), and the lease it was made under. */
      attemptNumber: PositiveInt,
      leaseId: t.string,
      /** Fixed at the first try: every later write of this exchange is idempotent by it. */
      attemptId: t.string,
      startedAt: IsoTimestamp,
      completedAt: IsoTimestamp,
      observation: t.union([ObservedResponse, ObservedError], 'observation'),
      /** Redacted response headers, null when no response arrived. */
      responseHeaders: nullable(StringMap),
    }),
    // the headers it was sent with, redacted (the attempt's `request.sentHeaders`)
    t.partial({ sentHeaders: StringMap }),
  ],
  'ObservedExchange',
);
export type ObservedExchange = t.TypeOf<typeof ObservedExchange>;
