import type { Store, StoreError, StoreResult } from '@delivery-history/store';

// ---------------------------------------------------------------------------
// The part of `@delivery-history/store` the worker uses (packages/store/API.md);
// a Pick so test doubles only implement these four operations and the policies. The hot path
// is createAndClaim + appendAttempt; createMessage only precedes an observed outcome's append.
// ---------------------------------------------------------------------------

export type DeliveryStore = Pick<
  Store,
  'createMessage' | 'createAndClaim' | 'appendAttempt' | 'appendObserved' | 'policies'
>;

export type StoreFailure = StoreError;

export type AppendResult = StoreResult<'appendAttempt'>;
export type Claimed = StoreResult<'claim'>;
