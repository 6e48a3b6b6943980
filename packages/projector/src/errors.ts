import { describeStoreError, type EntryTooLarge, isRetryable, type StoreError } from '@delivery-history/store';

export type { EntryTooLarge };

// ---------------------------------------------------------------------------
// model: what projecting a message can fail with (a closed `_tag` union)
// ---------------------------------------------------------------------------

/**
 * A table read or write failed, as the store reports it (after the store's own bounded
 * retries of Throttled/Transient; a decode failure is the store's `Corrupt`). The projector
 * never looks at AWS error names: the store's funnel classified it.
 */
export interface StoreFailure {
  readonly _tag: 'Store';
  readonly messageId: string;
  readonly error: StoreError;
}

/** The conditional write kept losing to concurrent writers (projector invocations, replay). */
export interface Contention {
  readonly _tag: 'Contention';
  readonly messageId: string;
  readonly tries: number;
}

/**
 * Attempts below ones the stream named are not in the table: not written yet (attempts
 * bulk-loaded out of order) or lost. Entries before the hole are applied; the message's
 * records are reported so they come back (retryable).
 */
export interface MissingAttempts {
  readonly _tag: 'MissingAttempts';
  readonly messageId: string;
  readonly missing: readonly number[];
}

/** A redrive sorts before entries already applied: an append cannot place it (replay rebuilds). */
export interface OutOfOrder {
  readonly _tag: 'OutOfOrder';
  readonly messageId: string;
  /** The event that sorts before the trail's end: `redrive 2`, `hold 3`. */
  readonly event: string;
  readonly afterAttempt: number;
  readonly through: number;
}

// EntryTooLarge (one audit entry alone over the segment budget) is the store's planAppend refusal

export type ProjectorError = StoreFailure | Contention | MissingAttempts | OutOfOrder | EntryTooLarge;

/**
 * An audit segment that does not decode, as `auditTrailOf` has always reported it (its
 * published contract; the store's decoder says `Corrupt` with `item` = the sort key).
 */
export interface CorruptItem {
  readonly _tag: 'CorruptItem';
  readonly messageId: string;
  readonly sk: string;
  readonly message: string;
}

// ---------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------

export const StoreFailure = (messageId: string, error: StoreError): StoreFailure => ({
  _tag: 'Store',
  messageId,
  error,
});
/** `TE.mapLeft(storeFailure(messageId))`: a store error in the projector's union. */
export const storeFailure =
  (messageId: string) =>
  (error: StoreError): ProjectorError =>
    StoreFailure(messageId, error);
export const CorruptItem = (messageId: string, sk: string, message: string): CorruptItem => ({
  _tag: 'CorruptItem',
  messageId,
  sk,
  message,
});
export const Contention = (messageId: string, tries: number): Contention => ({ _tag: 'Contention', messageId, tries });
export const MissingAttempts = (messageId: string, missing: readonly number[]): MissingAttempts => ({
  _tag: 'MissingAttempts',
  messageId,
  missing,
});
export const OutOfOrder = (f: Omit<OutOfOrder, '_tag'>): OutOfOrder => ({ _tag: 'OutOfOrder', ...f });

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/**
 * Worth another try later (Lambda redelivery, poller retry); the others need replay or a
 * fix. For store errors the store's own rule (`isRetryable`) decides.
 */
export const isRetryableProjectorError = (e: ProjectorError): boolean =>
  e._tag === 'Contention' || e._tag === 'MissingAttempts' || (e._tag === 'Store' && isRetryable(e.error));

/** One line for logs. */
export const describeProjectorError = (e: ProjectorError): string => {
  switch (e._tag) {
    case 'Store':
      return describeStoreError(e.error);
    case 'Contention':
      return `audit trail of ${e.messageId} kept moving under us (${e.tries} tries)`;
    case 'MissingAttempts':
      return `attempts ${e.missing.slice(0, 5).join(',')}${e.missing.length > 5 ? ',...' : ''} of ${e.messageId} are not in the table`;
    case 'OutOfOrder':
      return `${e.event} of ${e.messageId} (after attempt ${e.afterAttempt}) sorts before the trail's end (attempt ${e.through})`;
    case 'EntryTooLarge':
      return `audit entry ${e.n} of ${e.messageId} is ${e.bytes} bytes, over the segment budget ${e.budget}`;
  }
};
