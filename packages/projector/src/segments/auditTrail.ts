import { decodeAuditTrail, type StoreResult } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { CorruptItem } from '../errors.js';

type AuditTrail = StoreResult<'readAuditTrail'>;

export type { AuditTrail };

/**
 * The audit trail from a message's items (any mix: a whole-partition read, `getHistory`'s
 * `audit`, or just the AUDIT# items), by the store's one decoder; a segment that does not
 * decode is a `CorruptItem` naming its sort key.
 */
export const auditTrailOf = (messageId: string, items: readonly unknown[]): E.Either<CorruptItem, AuditTrail> =>
  E.mapLeft((e: { readonly item?: string; readonly message: string }) =>
    CorruptItem(messageId, e.item ?? '?', e.message),
  )(decodeAuditTrail(messageId, items));
