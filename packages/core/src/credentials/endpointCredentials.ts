import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { DeliveryRequest } from '../codecs/deliveryRequest.js';
import { decodeWith } from '../codecs/decodeWith.js';
import { rule } from '../config/envCodecs.js';
import { isWorkerOwnedHeader } from '../redaction/request.js';
import { isSecretHeader, isSecretParam, type SecretPolicy } from '../redaction/policy.js';
import { endpointOf, normalizeEndpoint, parseEndpointFilter } from '../request/endpointIdentity.js';

// ---------------------------------------------------------------------------
// Per-endpoint credentials (issue 28): an operator maps an endpoint (core's one identity,
// `host[:port]`) to a secret and to where its value goes (a header, with an optional prefix
// such as `Bearer `, or a query parameter). The worker fetches the value at send time and
// puts it on the request that goes out, so producers never put a secret in a message.
// The configuration names secrets, never holds them.
//
//   DELIVERY_ENDPOINT_CREDENTIALS='{"api.partner.example":
//     {"secret":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:partner-AbCdEf",
//      "header":"Authorization","prefix":"Bearer "}}'
// ---------------------------------------------------------------------------

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

export type CredentialPlacement =
  | { readonly kind: 'header'; readonly name: string; readonly prefix: string }
  | { readonly kind: 'query'; readonly name: string };

export type EndpointCredential = {
  /** The endpoint in its normal form (`endpointOf`). */
  readonly endpoint: string;
  /** A Secrets Manager secret ARN or name (locally: a key of the devkit's secrets file). */
  readonly secretId: string;
  readonly placement: CredentialPlacement;
};

/** By endpoint (normal form). */
export type EndpointCredentials = ReadonlyMap<string, EndpointCredential>;

// ---------------------------------------------------------------------------
// codecs
// ---------------------------------------------------------------------------

/** Secrets Manager's own forms: a secret ARN, or a name of 1..512 of `[A-Za-z0-9/_+=.@-]`. */
const SECRET_ID =
  /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+|[A-Za-z0-9/_+=.@-]{1,512})$/;
const SecretId = rule('secret ARN or name', (s) => SECRET_ID.test(s));
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HeaderName = rule('header name', (s) => TOKEN.test(s));
const ParamName = rule('query parameter name', (s) => /^[A-Za-z0-9._~-]{1,128}$/.test(s));
/** Printable ASCII: it goes on the wire in front of the secret. */
const Prefix = rule('prefix of printable ASCII', (s) => /^[\x20-\x7e]{0,64}$/.test(s));

const HeaderEntry = t.exact(
  t.intersection([t.type({ secret: SecretId, header: HeaderName }), t.partial({ prefix: Prefix })]),
);
const QueryEntry = t.exact(t.type({ secret: SecretId, query: ParamName }));
const Entry = t.union([HeaderEntry, QueryEntry], '{secret, header[, prefix]} or {secret, query}');
const EntryMap = t.record(t.string, Entry, 'endpoint credentials');

type Entry = t.TypeOf<typeof Entry>;

const placementOf = (e: Entry): CredentialPlacement =>
  'header' in e
    ? { kind: 'header', name: e.header.toLowerCase(), prefix: e.prefix ?? '' }
    : { kind: 'query', name: e.query };

const endpointKey = (key: string): E.Either<string, string> =>
  pipe(
    parseEndpointFilter(key),
    E.map(() => normalizeEndpoint(key)),
  );

const collect = (entries: ReadonlyArray<[string, Entry]>): E.Either<string, EndpointCredentials> => {
  const out = new Map<string, EndpointCredential>();
  for (const [key, e] of entries) {
    const endpoint = endpointKey(key);
    if (E.isLeft(endpoint)) return E.left(`endpoint ${JSON.stringify(key.slice(0, 80))}: ${endpoint.left}`);
    if (out.has(endpoint.right)) return E.left(`endpoint ${endpoint.right} is listed twice`);
    out.set(endpoint.right, { endpoint: endpoint.right, secretId: e.secret, placement: placementOf(e) });
  }
  return E.right(out);
};

/** The JSON text of DELIVERY_ENDPOINT_CREDENTIALS; Left: one line, no secret in it (it holds none). */
export const parseEndpointCredentials = (text: string): E.Either<string, EndpointCredentials> => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return E.left('not JSON (expected {"<host[:port]>": {"secret": ..., "header"|"query": ...}})');
  }
  return pipe(
    decodeWith(EntryMap, json),
    E.mapLeft((e) => e.message),
    E.chain((m) => collect(Object.entries(m))),
  );
};

/**
 * The placement must be one the secret policy redacts, so the value is `[REDACTED]` in the
 * stored request as sent, scrubbed from logs and echoes, and `dh verify` agrees: one policy.
 * The worker's own headers (Standard Webhooks) cannot be taken.
 */
export const checkCredentialPlacements = (
  creds: EndpointCredentials,
  policy: SecretPolicy,
): E.Either<string, EndpointCredentials> => {
  for (const c of creds.values()) {
    const p = c.placement;
    if (p.kind === 'header' && (isWorkerOwnedHeader(p.name) || !isSecretHeader(policy, p.name)))
      return E.left(
        `endpoint ${c.endpoint}: header ${p.name} is not one the secret policy redacts (add it to DELIVERY_REDACT_HEADERS)`,
      );
    if (p.kind === 'query' && !isSecretParam(policy, p.name))
      return E.left(
        `endpoint ${c.endpoint}: query parameter ${p.name} is not one the secret policy redacts (add it to DELIVERY_REDACT_PARAMS)`,
      );
  }
  return E.right(creds);
};

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/** The credential configured for a request's endpoint, if any. */
export const endpointCredentialFor = (creds: EndpointCredentials, url: string): EndpointCredential | undefined =>
  creds.size === 0 ? undefined : creds.get(endpointOf(url));

/** `url` with `name=value` as its only `name` parameter (other parameters kept byte for byte). */
const withQueryParam = (url: string, name: string, value: string): string => {
  const hashAt = url.indexOf('#');
  const [head, hash] = hashAt < 0 ? [url, ''] : [url.slice(0, hashAt), url.slice(hashAt)];
  const qAt = head.indexOf('?');
  const [path, query] = qAt < 0 ? [head, ''] : [head.slice(0, qAt), head.slice(qAt + 1)];
  const kept = query.split('&').filter((pair) => pair !== '' && pair.split('=')[0] !== name);
  return `${path}?${[...kept, `${name}=${encodeURIComponent(value)}`].join('&')}${hash}`;
};

/**
 * The request with the endpoint's credential in place. It wins over the same header (any
 * case) or parameter the message carried, sealed or not; the message's other credentials stay.
 */
export const withEndpointCredential = (
  request: DeliveryRequest,
  placement: CredentialPlacement,
  value: string,
): DeliveryRequest => {
  if (placement.kind === 'query') return { ...request, url: withQueryParam(request.url, placement.name, value) };
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([k]) => k.toLowerCase() !== placement.name),
  );
  return { ...request, headers: { ...headers, [placement.name]: `${placement.prefix}${value}` } };
};
