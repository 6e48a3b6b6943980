import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Store } from './createStore.js';
import type { StoreError } from './errors/storeError.js';

// The operations are Store methods (one door); their shapes follow from the Store type, so
// the index names the door once instead of a type per operation's input and result.

/** What a Store operation yields on success: `StoreResult<'claim'>` is the claim's ticket. */
export type StoreResult<K extends Operation> = Store[K] extends (...args: never) => TE.TaskEither<StoreError, infer A>
  ? A
  : never;

/** The Store's operations (its other members are its table name and policies). */
type Operation = { [K in keyof Store]: Store[K] extends (...args: never) => unknown ? K : never }[keyof Store];

/** Argument `N` of a Store operation: `StoreInput<'writeAuditStep', 1>` is an audit step. */
export type StoreInput<K extends Operation, N extends number = 0> = Parameters<Store[K]>[N];
