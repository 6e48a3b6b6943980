import * as O from 'fp-ts/lib/Option.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { AttemptStatus } from '../codecs/enums.js';
import type { DeliveryResult, ErrorDetails } from '../codecs/outcome.js';
import {
  classifyStatus,
  classifyTransportError,
  LOST_CODE,
  LOST_RULE,
  type TransportErrorCode,
} from './outcomeTable.js';
import { nextAttemptAt, nextDelayMs, parseRetryAfter, type RetryPolicy, retryAfterDelayMs } from './retryPolicy.js';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

/** What the worker observed: an HTTP response ... */
export interface ResponseObservation {
  readonly kind: 'response';
  readonly statusCode: number;
  readonly statusText: string;
  /** Response headers (any case; looked up case-insensitively). */
  readonly headers: Readonly<Record<string, string>>;
  readonly responseTimeMs: number;
  /** The first bytes of the body as text (the worker bounds it). */
  readonly bodySnippet: string;
  /** Bytes of body read. */
  readonly bodyBytes: number;
  /**
   * The receiver answered `webhook-delivery: abort-message` and receiver control is on (the
   * worker's setting decides; core never reads headers as control): a failure is then final.
   */
  readonly receiverAbort?: boolean;
}

/** ... or a transport failure (no response). */
export interface ErrorObservation {
  readonly kind: 'error';
  readonly code: TransportErrorCode;
  readonly message: string;
  readonly responseTimeMs: number;
}

/**
 * ... or nothing: a claim whose lease expired before any result was recorded (invariant 5).
 * Observed by the next claimer, not by the worker that held the lease.
 */
export interface LostObservation {
  readonly kind: 'lost';
  /** The lease that expired without a recorded attempt. */
  readonly leaseId: string;
  readonly claimedAt: string;
  readonly expiresAt: string;
}

/** What an HTTP client can observe. */
export type OutcomeInput = ResponseObservation | ErrorObservation;

/** Everything an attempt can be classified from. */
export type AttemptObservation = OutcomeInput | LostObservation;

export interface OutcomeContext {
  readonly now: Date;
  readonly correlationId: string;
  readonly attemptNumber: number;
  /** The message's limit (request.maxAttempts, or the policy default). */
  readonly maxAttempts: number;
  readonly policy: RetryPolicy;
  /** In [0, 1); used for jitter only. */
  readonly random: () => number;
}

/** The classified result plus the retry decision (recorded on the attempt). */
export interface Outcome {
  readonly deliveryResult: DeliveryResult;
  readonly status: AttemptStatus;
  /** Equals `deliveryResult.retryEligible`. */
  readonly retryEligible: boolean;
  /** Set iff status is FAILED and retryEligible. */
  readonly nextAttemptAt: string | null;
  /** The delay behind `nextAttemptAt` (ms), null when there is no next attempt. */
  readonly delayMs: number | null;
  /** A retryable failure that became final because attemptNumber >= maxAttempts. */
  readonly exhausted: boolean;
}

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

const headerValue = (headers: Readonly<Record<string, string>>, name: string): string | undefined => {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
};

interface Classified {
  readonly category: DeliveryResult['category'];
  readonly retryable: boolean;
  readonly statusCode: number | null;
  readonly statusText: string | null;
  readonly errorDetails: ErrorDetails | null;
  readonly retryAfter: O.Option<number>;
}

/** What the error message says when the receiver asked for no more retries of this message. */
const RECEIVER_ABORT_NOTE = 'the receiver asked: webhook-delivery: abort-message; not retried';

const classifyResponse = (input: ResponseObservation, ctx: OutcomeContext): Classified => {
  const rule = classifyStatus(input.statusCode);
  const success = rule.category === 'success';
  const aborted = !success && input.receiverAbort === true;
  return {
    category: rule.category,
    retryable: rule.retryable && !aborted,
    statusCode: input.statusCode,
    statusText: input.statusText,
    errorDetails: success
      ? null
      : {
          code: `HTTP_${input.statusCode}`,
          message:
            `HTTP ${input.statusCode}${input.statusText === '' ? '' : ` ${input.statusText}`}` +
            (aborted ? ` (${RECEIVER_ABORT_NOTE})` : ''),
          category: rule.category,
          responseSnippet: input.bodySnippet,
        },
    retryAfter: rule.honoursRetryAfter
      ? pipe(
          parseRetryAfter(headerValue(input.headers, 'retry-after'), ctx.now, ctx.policy.retryAfterMaxMs),
          O.map((ms) => retryAfterDelayMs(ms, ctx.policy)),
        )
      : O.none,
  };
};

const classifyError = (input: ErrorObservation): Classified => {
  const rule = classifyTransportError(input.code);
  return {
    category: rule.category,
    retryable: rule.retryable,
    statusCode: null,
    statusText: null,
    errorDetails: { code: input.code, message: input.message, category: rule.category, responseSnippet: null },
    retryAfter: O.none,
  };
};

const classifyLost = (input: LostObservation): Classified => ({
  category: LOST_RULE.category,
  retryable: LOST_RULE.retryable,
  statusCode: null,
  statusText: null,
  errorDetails: {
    code: LOST_CODE,
    message: `no result recorded: lease ${input.leaseId} expired at ${input.expiresAt}; the request may have been sent`,
    category: LOST_RULE.category,
    responseSnippet: null,
  },
  // the claimer that records it takes the next attempt at once
  retryAfter: O.some(0),
});

const classify = (input: AttemptObservation, ctx: OutcomeContext): Classified => {
  switch (input.kind) {
    case 'response':
      return classifyResponse(input, ctx);
    case 'error':
      return classifyError(input);
    case 'lost':
      return classifyLost(input);
  }
};

const responseTimeOf = (input: AttemptObservation): number => {
  // unknown for a lost attempt: nobody saw it end
  if (input.kind === 'lost') return 0;
  return Number.isFinite(input.responseTimeMs) ? Math.max(0, Math.round(input.responseTimeMs)) : 0;
};

/**
 * Classify an HTTP observation and decide what happens next. A retryable failure
 * on attempt >= maxAttempts is final (`exhausted`), its message says so.
 * The delay is Retry-After (clamped) when the status honours it, else full jitter.
 */
export const determineDeliveryOutcome = (input: AttemptObservation, ctx: OutcomeContext): Outcome => {
  const c = classify(input, ctx);
  const success = c.category === 'success';
  const exhausted = !success && c.retryable && ctx.attemptNumber >= ctx.maxAttempts;
  const retryEligible = !success && c.retryable && !exhausted;
  const delayMs = retryEligible
    ? O.getOrElse(() => nextDelayMs(ctx.attemptNumber, ctx.policy, ctx.random))(c.retryAfter)
    : null;
  const errorDetails =
    c.errorDetails !== null && exhausted
      ? {
          ...c.errorDetails,
          message: `${c.errorDetails.message} (retries exhausted: attempt ${ctx.attemptNumber} of ${ctx.maxAttempts})`,
        }
      : c.errorDetails;
  return {
    deliveryResult: {
      success,
      retryEligible,
      category: c.category,
      statusCode: c.statusCode,
      statusText: c.statusText,
      responseTime: responseTimeOf(input),
      errorDetails,
      timestamp: ctx.now.toISOString(),
      correlationId: ctx.correlationId,
    },
    status: success ? 'SUCCESS' : 'FAILED',
    retryEligible,
    nextAttemptAt: delayMs === null ? null : nextAttemptAt(ctx.now, delayMs),
    delayMs,
    exhausted,
  };
};
