import type { OutcomeCategory } from '../codecs/enums.js';

// ---------------------------------------------------------------------------
// The classification table (mirrored in packages/core/README.md; a test checks
// that the two agree). First matching row wins.
// ---------------------------------------------------------------------------

export interface StatusRule {
  /** Inclusive range of HTTP status codes. */
  readonly from: number;
  readonly to: number;
  readonly category: OutcomeCategory;
  readonly retryable: boolean;
  /** Whether a `Retry-After` header on such a response sets the delay. */
  readonly honoursRetryAfter: boolean;
  readonly why: string;
}

export const STATUS_RULES: ReadonlyArray<StatusRule> = [
  { from: 200, to: 299, category: 'success', retryable: false, honoursRetryAfter: false, why: 'delivered' },
  {
    from: 300,
    to: 399,
    category: 'redirect',
    retryable: true,
    honoursRetryAfter: false,
    why: 'redirects are not followed (SSRF); like Svix/Stripe any non-2xx is a failure and retried',
  },
  {
    from: 408,
    to: 408,
    category: 'timeout',
    retryable: true,
    honoursRetryAfter: true,
    why: 'receiver timed out reading the request',
  },
  {
    from: 425,
    to: 425,
    category: 'rate_limited',
    retryable: true,
    honoursRetryAfter: true,
    why: 'Too Early: try again later',
  },
  { from: 429, to: 429, category: 'rate_limited', retryable: true, honoursRetryAfter: true, why: 'Too Many Requests' },
  {
    from: 400,
    to: 499,
    category: 'client_error',
    retryable: false,
    honoursRetryAfter: false,
    why: 'the receiver rejects this request; repeating it cannot help (redrive after a fix)',
  },
  {
    from: 501,
    to: 501,
    category: 'server_error',
    retryable: false,
    honoursRetryAfter: false,
    why: 'Not Implemented: permanent',
  },
  {
    from: 505,
    to: 505,
    category: 'server_error',
    retryable: false,
    honoursRetryAfter: false,
    why: 'HTTP Version Not Supported: permanent',
  },
  {
    from: 511,
    to: 511,
    category: 'server_error',
    retryable: false,
    honoursRetryAfter: false,
    why: 'Network Authentication Required: a proxy wants credentials we will never send',
  },
  {
    from: 503,
    to: 503,
    category: 'server_error',
    retryable: true,
    honoursRetryAfter: true,
    why: 'Service Unavailable',
  },
  {
    from: 500,
    to: 599,
    category: 'server_error',
    retryable: true,
    honoursRetryAfter: false,
    why: 'transient server failure',
  },
  {
    from: 100,
    to: 999,
    category: 'server_error',
    retryable: true,
    honoursRetryAfter: false,
    why: '1xx as a final answer or a non-standard code: a broken server, treated like 5xx',
  },
];

/** Transport-level failures the worker reports instead of a response. */
export type TransportErrorCode =
  | 'CONNECT_TIMEOUT'
  | 'RESPONSE_TIMEOUT'
  | 'BODY_TIMEOUT'
  | 'ETIMEDOUT'
  | 'ECONNREFUSED'
  | 'ECONNRESET'
  | 'ENOTFOUND'
  | 'EAI_AGAIN'
  | 'EHOSTUNREACH'
  | 'ENETUNREACH'
  | 'EPIPE'
  | 'TLS_ERROR'
  | 'NETWORK_ERROR'
  | 'RESPONSE_TOO_LARGE'
  | 'INVALID_URL'
  | 'BLOCKED_TARGET'
  /** The request's sealed credentials could not be opened now (key service unreachable or throttled). */
  | 'UNSEAL_UNAVAILABLE'
  /** ... nor ever (key refused, blob altered or for another message): nothing was sent. */
  | 'UNSEAL_REFUSED'
  /** The endpoint's configured credential could not be read (secret store down, denied, missing): nothing was sent. */
  | 'CREDENTIALS_UNAVAILABLE';

export interface TransportRule {
  readonly category: OutcomeCategory;
  readonly retryable: boolean;
}

const timeout: TransportRule = { category: 'timeout', retryable: true };
const network: TransportRule = { category: 'network', retryable: true };

export const TRANSPORT_RULES: { readonly [K in TransportErrorCode]: TransportRule } = {
  CONNECT_TIMEOUT: timeout,
  RESPONSE_TIMEOUT: timeout,
  BODY_TIMEOUT: timeout,
  ETIMEDOUT: timeout,
  ECONNREFUSED: network,
  ECONNRESET: network,
  ENOTFOUND: network,
  EAI_AGAIN: network,
  EHOSTUNREACH: network,
  ENETUNREACH: network,
  EPIPE: network,
  TLS_ERROR: network,
  NETWORK_ERROR: network,
  // permanent: see README "Outcome table" (deterministic receiver behaviour, costly to repeat)
  RESPONSE_TOO_LARGE: { category: 'response_too_large', retryable: false },
  INVALID_URL: { category: 'invalid_target', retryable: false },
  BLOCKED_TARGET: { category: 'blocked_target', retryable: false },
  // nothing was sent: the key service may come back (retried), a refusal or a bad blob never changes
  UNSEAL_UNAVAILABLE: network,
  UNSEAL_REFUSED: { category: 'invalid_target', retryable: false },
  // retried: an outage heals, and a missing secret or grant is the operator's to fix meanwhile
  CREDENTIALS_UNAVAILABLE: network,
};

/**
 * A claim that ended without a result (the worker died, overran or could not record it):
 * written by whoever takes the expired lease over. Retryable, since nothing says the
 * receiver got it, and it counts toward maxAttempts, since the request may have gone out.
 */
export const LOST_RULE: TransportRule = { category: 'lost', retryable: true };
export const LOST_CODE = 'LEASE_EXPIRED';

export const TRANSPORT_ERROR_CODES = Object.keys(TRANSPORT_RULES) as ReadonlyArray<TransportErrorCode>;

export const isTransportErrorCode = (s: string): s is TransportErrorCode => Object.hasOwn(TRANSPORT_RULES, s);

const FALLBACK: StatusRule = {
  from: 0,
  to: 0,
  category: 'server_error',
  retryable: true,
  honoursRetryAfter: false,
  why: 'out of range',
};

/** The first `STATUS_RULES` row whose range contains `statusCode`. */
export const classifyStatus = (statusCode: number): StatusRule =>
  STATUS_RULES.find((r) => statusCode >= r.from && statusCode <= r.to) ?? FALLBACK;

/** Category and retryability of a transport error code (unknown codes count as `network`). */
export const classifyTransportError = (code: string): TransportRule =>
  isTransportErrorCode(code) ? TRANSPORT_RULES[code] : network;
