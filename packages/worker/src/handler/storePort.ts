import type { AttemptItem, DeliveryRequest, Lease, Outcome, StateItem } from '@delivery-history/core';
import type * as TE from 'fp-ts/lib/TaskEither.js';

// ---------------------------------------------------------------------------
// The part of `@delivery-history/store` the worker uses (see packages/store/API.md).
// Structural, so the real store and test doubles both fit.
// ---------------------------------------------------------------------------

export type StoreErrorTag =
  | 'NotFound'
  | 'AlreadyFinal'
  | 'Leased'
  | 'NotDue'
  | 'Conflict'
  | 'Duplicate'
  | 'NotRedrivable'
  | 'Throttled'
  | 'Transient'
  | 'TooLarge'
  | 'Invalid'
  | 'Corrupt'
  | 'Unexpected';

export type StoreFailure = {
  readonly _tag: StoreErrorTag;
  readonly code: string;
  readonly message: string;
  readonly awsCode?: string;
  readonly expiresAt?: string;
  readonly nextAttemptAt?: string;
};

export type AttemptTicket = {
  readonly messageId: string;
  readonly leaseId: string;
  readonly attemptNumber: number;
  readonly maxAttempts: number;
  readonly correlationId: string;
};

export type Claimed = { readonly state: StateItem; readonly lease: Lease; readonly ticket: AttemptTicket };

export type AppendAttemptInput = {
  readonly ticket: AttemptTicket;
  readonly request: DeliveryRequest;
  readonly startedAt: Date;
  readonly completedAt: Date;
  readonly responseHeaders: Record<string, string> | null;
  readonly outcome: (at: { attemptNumber: number; maxAttempts: number }) => Outcome;
};

export type AppendResult = {
  readonly attempt: AttemptItem;
  readonly attemptNumber: number;
  readonly status: 'SUCCESS' | 'FAILED';
  readonly retryEligible: boolean;
  readonly nextAttemptAt: string | null;
  readonly final: boolean;
  readonly superseded: boolean;
  readonly duplicate: boolean;
};

export type DeliveryStore = {
  createMessage(request: DeliveryRequest): TE.TaskEither<StoreFailure, { state: StateItem; created: boolean }>;
  claim(messageId: string, options?: { leaseMs?: number }): TE.TaskEither<StoreFailure, Claimed>;
  appendAttempt(input: AppendAttemptInput): TE.TaskEither<StoreFailure, AppendResult>;
};

/** Throttled, Transient, Unexpected: worth another go later (the SQS record comes back). */
export const isRetryableStoreFailure = (e: StoreFailure): boolean =>
  e._tag === 'Throttled' || e._tag === 'Transient' || e._tag === 'Unexpected';
