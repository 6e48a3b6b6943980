import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { HttpMethod } from './enums.js';
import { CorrelationId, HttpUrl, intRange, MessageId, nullable, StringMap, withDefault } from './primitives.js';

// ---------------------------------------------------------------------------
// The delivery target: the ONE parse of a request URL, used by this codec (a URL the HTTP
// client cannot use is refused here, before any claim: the record is poison) and by the
// worker's HTTP client (which turns a Left into an INVALID_URL observation, never a throw).
// ---------------------------------------------------------------------------

export type DeliveryTarget = {
  readonly origin: string;
  /** Path and query, as sent on the request line. */
  readonly path: string;
  /** `user:password` percent-decoded (sent as Basic auth), null when the URL has none. */
  readonly userInfo: string | null;
};

const decodeComponent = (s: string, what: string): E.Either<string, string> =>
  E.tryCatch(
    () => decodeURIComponent(s),
    () => `malformed %-escape in the URL's ${what}`,
  );

/** Never throws: every way a URL can be unusable is a Left with a short reason. */
export const parseDeliveryTarget = (url: string): E.Either<string, DeliveryTarget> => {
  if (!URL.canParse(url)) return E.left('not a URL');
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return E.left(`unsupported scheme ${u.protocol}`);
  if (u.hostname === '') return E.left('no host');
  const target = { origin: u.origin, path: `${u.pathname}${u.search}` };
  if (u.username === '' && u.password === '') return E.right({ ...target, userInfo: null });
  const user = decodeComponent(u.username, 'user name');
  const password = decodeComponent(u.password, 'password');
  if (E.isLeft(user)) return user;
  if (E.isLeft(password)) return password;
  return E.right({ ...target, userInfo: `${user.right}:${password.right}` });
};

/** An http(s) URL the HTTP client can deliver to (its user-info percent-decodes). */
const DeliveryUrl = new t.Type<string, string, unknown>(
  'http(s) URL',
  (u): u is string => HttpUrl.is(u) && E.isRight(parseDeliveryTarget(u)),
  (u, c) => {
    const base = HttpUrl.validate(u, c);
    if (E.isLeft(base)) return base;
    const target = parseDeliveryTarget(base.right);
    return E.isRight(target) ? t.success(base.right) : t.failure(u, c, `expected deliverable URL (${target.left})`);
  },
  t.identity,
);

// ---------------------------------------------------------------------------
// DeliveryRequest: the SQS body. Defaults are applied on decode:
// method POST, headers {}, body '', correlationId = messageId, maxAttempts null.
// ---------------------------------------------------------------------------

export const MaxAttempts = intRange(1, 100);

const DeliveryRequestInput = t.type(
  {
    messageId: MessageId,
    url: DeliveryUrl,
    method: withDefault(HttpMethod, 'POST'),
    headers: withDefault(StringMap, {}),
    body: withDefault(t.string, ''),
    correlationId: withDefault(nullable(CorrelationId), null),
    maxAttempts: withDefault(nullable(MaxAttempts), null),
  },
  'DeliveryRequest',
);

/** The decoded shape: every field present, `maxAttempts: null` when not given. */
const DeliveryRequestShape = t.type(
  {
    messageId: MessageId,
    url: DeliveryUrl,
    method: HttpMethod,
    headers: StringMap,
    body: t.string,
    correlationId: CorrelationId,
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
