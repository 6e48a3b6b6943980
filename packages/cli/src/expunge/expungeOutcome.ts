import type { ExpungeScope } from '@delivery-history/core';
import type { Store, StoreError, StoreResult } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';

type Expunged = StoreResult<'expungeMessage'>;

// `dh expunge`'s step for one message: the store's audited expunge, its answer classified.
// The CLI's loop and the console's confirmation both call it (one run, two faces).

export type ExpungeOutcome =
  | {
      readonly messageId: string;
      readonly outcome: 'expunged' | 'unchanged' | 'would-expunge';
      readonly result: Expunged;
    }
  | { readonly messageId: string; readonly outcome: 'not-found' | 'refused' | 'failed'; readonly error: string };

const outcomeOf = (messageId: string, r: E.Either<StoreError, Expunged>): ExpungeOutcome => {
  if (E.isLeft(r)) {
    const tag = r.left._tag;
    const outcome = tag === 'NotFound' ? 'not-found' : tag === 'Invalid' ? 'refused' : 'failed';
    return { messageId, outcome, error: r.left.message };
  }
  const x = r.right;
  const outcome = x.expungeNumber === null ? 'unchanged' : x.dryRun ? 'would-expunge' : 'expunged';
  return { messageId, outcome, result: x };
};

export type ExpungeRequest = {
  readonly messageId: string;
  readonly scope: ExpungeScope;
  /** Who asked and why: stored on the EXPUNGE event (the audit trail shows them). */
  readonly requestedBy: string;
  readonly reason: string;
  readonly dryRun: boolean;
};

/** One message expunged (or, dry, what would be); `secrets` re-applies the policy the worker runs with. */
export const expungeOutcome = async (store: Store, r: ExpungeRequest): Promise<ExpungeOutcome> =>
  outcomeOf(
    r.messageId,
    await store.expungeMessage({
      messageId: r.messageId,
      scope: r.scope,
      requestedBy: r.requestedBy,
      reason: r.reason,
      policy: store.policies.secrets,
      dryRun: r.dryRun,
    })(),
  );
