import type { Store, StoreError } from '@delivery-history/store';

// ---------------------------------------------------------------------------
// The part of `@delivery-history/store` the worker uses (packages/store/API.md);
// a Pick so test doubles only implement these four operations.
// ---------------------------------------------------------------------------

export type DeliveryStore = Pick<Store, 'createMessage' | 'claim' | 'appendAttempt' | 'appendObserved'>;

export type StoreFailure = StoreError;

export type {
  AppendAttemptInput,
  AppendResult,
  AttemptTicket,
  Claimed,
} from '@delivery-history/store';
