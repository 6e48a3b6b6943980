import * as t from 'io-ts';

// ---------------------------------------------------------------------------
// Closed string enumerations (t.keyof gives one clear error per field).
// ---------------------------------------------------------------------------

export const HttpMethod = t.keyof(
  { POST: null, PUT: null, PATCH: null, DELETE: null, GET: null },
  'POST|PUT|PATCH|DELETE|GET',
);
export type HttpMethod = t.TypeOf<typeof HttpMethod>;

export const OutcomeCategory = t.keyof(
  {
    success: null,
    redirect: null,
    client_error: null,
    rate_limited: null,
    server_error: null,
    timeout: null,
    network: null,
    response_too_large: null,
    invalid_target: null,
    blocked_target: null,
    // no result came back before the lease expired: the request may have been sent
    lost: null,
    // held (endpoint breaker open, or paused) until past its retention: never delivered
    held_expired: null,
  },
  'OutcomeCategory',
);
export type OutcomeCategory = t.TypeOf<typeof OutcomeCategory>;

export const Status = t.keyof(
  // HELD: its endpoint's breaker holds it (not claimable, not final; see codecs/holdItem.ts)
  { PENDING: null, PROCESSING: null, SUCCESS: null, FAILED: null, HELD: null },
  'PENDING|PROCESSING|SUCCESS|FAILED|HELD',
);
export type Status = t.TypeOf<typeof Status>;

/** The status an attempt produces. */
export const AttemptStatus = t.keyof({ SUCCESS: null, FAILED: null }, 'SUCCESS|FAILED');
export type AttemptStatus = t.TypeOf<typeof AttemptStatus>;
