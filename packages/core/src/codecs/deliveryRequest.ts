import * as t from 'io-ts';
import { HttpMethod } from './enums.js';
import { HttpUrl, intRange, MessageId, NonEmptyString, nullable, StringMap, withDefault } from './primitives.js';

// ---------------------------------------------------------------------------
// DeliveryRequest: the SQS body. Defaults are applied on decode:
// method POST, headers {}, body '', correlationId = messageId, maxAttempts null.
// ---------------------------------------------------------------------------

export const MaxAttempts = intRange(1, 100);

const DeliveryRequestInput = t.type(
  {
    messageId: MessageId,
    url: HttpUrl,
    method: withDefault(HttpMethod, 'POST'),
    headers: withDefault(StringMap, {}),
    body: withDefault(t.string, ''),
    correlationId: withDefault(nullable(NonEmptyString), null),
    maxAttempts: withDefault(nullable(MaxAttempts), null),
  },
  'DeliveryRequest',
);

/** The decoded shape: every field present, `maxAttempts: null` when not given. */
const DeliveryRequestShape = t.type(
  {
    messageId: MessageId,
    url: HttpUrl,
    method: HttpMethod,
    headers: StringMap,
    body: t.string,
    correlationId: NonEmptyString,
    maxAttempts: nullable(MaxAttempts),
  },
  'DeliveryRequest',
);

export type DeliveryRequest = t.TypeOf<typeof DeliveryRequestShape>;

export const DeliveryRequest: t.Type<DeliveryRequest, DeliveryRequest, unknown> = new t.Type<
  DeliveryRequest,
  DeliveryRequest,
  unknown
>(
  'DeliveryRequest',
  DeliveryRequestShape.is,
  (u, c) => {
    const r = DeliveryRequestInput.validate(u, c);
    if (r._tag === 'Left') return r;
    const v = r.right;
    return t.success({
      messageId: v.messageId,
      url: v.url,
      method: v.method,
      headers: v.headers,
      body: v.body,
      correlationId: v.correlationId ?? v.messageId,
      maxAttempts: v.maxAttempts,
    });
  },
  t.identity,
);
