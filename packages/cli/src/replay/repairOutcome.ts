// What a conditional repair write reports back (adapters map store/projector errors here).

export type RepairOutcome =
  | { readonly _tag: 'Repaired' }
  /** The item moved since it was read (a live write won): read again and re-check. */
  | { readonly _tag: 'Conflict' }
  /** A delivery holds a live lease: leave it to the worker. */
  | { readonly _tag: 'Leased'; readonly expiresAt: string | null }
  | { readonly _tag: 'Failed'; readonly message: string };

export const Repaired: RepairOutcome = { _tag: 'Repaired' };
export const RepairConflict: RepairOutcome = { _tag: 'Conflict' };
export const RepairLeased = (expiresAt: string | null): RepairOutcome => ({ _tag: 'Leased', expiresAt });
export const RepairFailed = (message: string): RepairOutcome => ({ _tag: 'Failed', message });
