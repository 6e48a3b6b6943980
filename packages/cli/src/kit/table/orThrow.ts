import { describeStoreError, type StoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';

// The replay/verify loops and the demo talk to the table through promise-shaped ports
// (TableReader, the repair callbacks); a store error crosses them as this rejection, and
// replay/verify turn it back into a value once (TableError), keeping the StoreError.

export class StoreFailureError extends Error {
  override readonly name = 'StoreFailure';
  constructor(readonly error: StoreError) {
    super(describeStoreError(error));
  }
}

/** Runs a store operation; its StoreError becomes a `StoreFailureError` rejection. */
export const orThrow = async <A>(te: TE.TaskEither<StoreError, A>): Promise<A> => {
  const r = await te();
  if (E.isLeft(r)) throw new StoreFailureError(r.left);
  return r.right;
};
