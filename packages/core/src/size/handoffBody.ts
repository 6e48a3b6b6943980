import * as E from 'fp-ts/lib/Either.js';
import type { DeliveryRequest } from '../codecs/deliveryRequest.js';
import type { ObservedExchange } from '../codecs/observedExchange.js';
import { TRUNCATION_MARKER, truncateUtf8 } from './truncateUtf8.js';

// ---------------------------------------------------------------------------
// The worker's hand-off (docs/model.md, protocol 7): the request plus the observed exchange,
// sent to the worker's own queue while DynamoDB cannot take the outcome. The request fitted
// the queue when its producer sent it; the observed part grows it, so the body is bounded
// below SQS's limit here, trimming the observed parts that are bounded copies anyway, in order:
// the response snippet, a transport error's message, the response headers (Retry-After kept:
// it decides a 429's retry time), the sent headers. What still does not fit (a request within
// a few KB of the limit) is refused: the worker then leaves the record to SQS, and the claim's
// takeover records the attempt as `lost` (invariant 5), as when SQS is unreachable.
// ---------------------------------------------------------------------------

/** SQS's largest message body (1 MiB since August 2025; the queues infra creates use it). */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;

const bytesOf = (request: DeliveryRequest, observed: ObservedExchange): number =>
  Buffer.byteLength(JSON.stringify({ ...request, observed }), 'utf8');

/** `s` shortened by at least `excess` UTF-8 bytes (cutting raw bytes cuts at least as many JSON bytes), marked. */
const shorten = (s: string, excess: number): string => {
  const keep = Buffer.byteLength(s, 'utf8') - excess - Buffer.byteLength(TRUNCATION_MARKER, 'utf8');
  return keep <= 0 ? '' : `${truncateUtf8(s, keep)}${TRUNCATION_MARKER}`;
};

const RETRY_AFTER = 'retry-after';

const onlyRetryAfter = (h: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(h).filter(([k]) => k.toLowerCase() === RETRY_AFTER));

type Trim = (o: ObservedExchange, excess: number) => ObservedExchange;

const TRIMS: ReadonlyArray<Trim> = [
  (o, excess) =>
    o.observation.kind === 'response'
      ? { ...o, observation: { ...o.observation, bodySnippet: shorten(o.observation.bodySnippet, excess) } }
      : { ...o, observation: { ...o.observation, message: shorten(o.observation.message, excess) } },
  (o) => ({
    ...o,
    observation:
      o.observation.kind === 'response'
        ? { ...o.observation, headers: onlyRetryAfter(o.observation.headers) }
        : o.observation,
    responseHeaders: o.responseHeaders === null ? null : onlyRetryAfter(o.responseHeaders),
  }),
  ({ sentHeaders: _dropped, ...o }) => o,
];

export type HandoffBody = {
  readonly body: string;
  readonly bytes: number;
  /** True when an observed part was cut to fit. */
  readonly trimmed: boolean;
};

/**
 * The hand-off body at most `maxBytes` (UTF-8), observed parts trimmed as needed; Left (one
 * line) when the request alone leaves no room.
 */
export const boundHandoffBody = (
  request: DeliveryRequest,
  observed: ObservedExchange,
  maxBytes: number = SQS_MAX_MESSAGE_BYTES,
): E.Either<string, HandoffBody> => {
  let current = observed;
  let bytes = bytesOf(request, current);
  for (const trim of TRIMS) {
    if (bytes <= maxBytes) break;
    current = trim(current, bytes - maxBytes);
    bytes = bytesOf(request, current);
  }
  if (bytes > maxBytes)
    return E.left(
      `hand-off of ${bytes} bytes exceeds the queue's ${maxBytes} even with the observed exchange trimmed (the request alone is ${Buffer.byteLength(JSON.stringify(request), 'utf8')} bytes)`,
    );
  return E.right({ body: JSON.stringify({ ...request, observed: current }), bytes, trimmed: current !== observed });
};
