import { deepEqual, type ExpungeMark, isFinal, retentionExpiry, type StateItem } from '@delivery-history/core';
import type { Env } from '../env.js';
import { failedIndexKeys, inFailedIndex, stateKey } from '../keys.js';
import { TTL_ATTRIBUTE } from '../tableDefinition.js';

// The STATE half of an append (an attempt or a re-drive), built from core's transition:
// `after = transition(before, e)` decides every field; this module only turns the difference
// into an UpdateExpression and conditions it on `before`, so the live path and `fold` cannot
// disagree.

/** The STATE fields `transition` may change (projection fields plus bookkeeping). */
const TRANSITION_FIELDS = [
  'status',
  'attempts',
  'deliveryResult',
  'lastDeliveryAttempt',
  'lastUpdatedAt',
  'retryEligible',
  'nextAttemptAt',
  'lease',
  'holds',
  'maxAttempts',
  'redrives',
] as const satisfies ReadonlyArray<keyof StateItem>;

/**
 * Who may write: the live lease holder, a superseded writer that only counts its request,
 * a claimer taking over an expired lease (`leaseId` of that lease; null for a lease-less
 * PROCESSING item) that records it as lost, or an operator's re-drive (`expunged`: the
 * STATE's expunge mark as read).
 */
export type Guard =
  | { readonly kind: 'live'; readonly leaseId: string }
  | { readonly kind: 'superseded' }
  | { readonly kind: 'takeover'; readonly leaseId: string | null }
  | { readonly kind: 'hold' }
  | { readonly kind: 'redrive'; readonly redrives: number; readonly expunged: ExpungeMark | undefined };

const leaseCondition = (guard: Guard): { readonly expr: string; readonly values: Record<string, unknown> } => {
  switch (guard.kind) {
    case 'redrive':
      // nobody re-drove it first, and no expunge emptied it since the read (issue 23's race)
      return guard.expunged === undefined
        ? {
            expr: ' AND redrives = :prevRedrives AND attribute_not_exists(expunged)',
            values: { ':prevRedrives': guard.redrives },
          }
        : {
            expr: ' AND redrives = :prevRedrives AND expunged.n = :expungeN',
            values: { ':prevRedrives': guard.redrives, ':expungeN': guard.expunged.n },
          };
    case 'superseded':
    case 'hold': // no lease: only an unleased message is held or released (core's transition)
      return { expr: '', values: {} };
    case 'live':
      return { expr: ' AND lease.leaseId = :leaseId', values: { ':leaseId': guard.leaseId } };
    case 'takeover':
      // the expired lease is still the one we saw: nobody appended for it or took it over since
      return guard.leaseId === null
        ? { expr: ' AND attribute_type(lease, :nullType)', values: { ':nullType': 'NULL' } }
        : { expr: ' AND lease.leaseId = :leaseId', values: { ':leaseId': guard.leaseId } };
  }
};

/**
 * Only the failed index follows the new status and time (it holds FAILED and HELD messages);
 * byEndpoint and byCorrelation are keyed at creation and never rewritten here. Removing
 * absent gsi1 keys (a success after a claim) writes no index.
 */
const indexParts = (after: StateItem) => {
  const failed = inFailedIndex(after.status) ? failedIndexKeys(after.messageId, after.lastUpdatedAt) : undefined;
  return {
    set: failed !== undefined ? ['gsi1pk = :gsi1pk', 'gsi1sk = :gsi1sk'] : [],
    remove: failed === undefined ? ['gsi1pk', 'gsi1sk'] : [],
    values: failed !== undefined ? { ':gsi1pk': failed.gsi1pk, ':gsi1sk': failed.gsi1sk } : {},
  };
};

/**
 * Retention: the TTL attribute every item written by this append carries (the attempt put
 * spreads it). Core decides the value from `after`; a message that is not final has none.
 */
export const expiryAttribute = (env: Env, after: StateItem): Record<string, number> => {
  const expiresAt = retentionExpiry(after, env.retentionDays);
  return expiresAt === null ? {} : { [TTL_ATTRIBUTE]: expiresAt };
};

/**
 * STATE gets its TTL in the transaction that makes the message final (later appends keep
 * it), and loses it in the one that re-opens it (a re-drive: syncRetention clears the rest).
 */
const expiryParts = (env: Env, before: StateItem, after: StateItem) => {
  const reopened = isFinal(before) && !isFinal(after);
  const ttl = isFinal(before) ? {} : expiryAttribute(env, after);
  const set = TTL_ATTRIBUTE in ttl;
  return {
    set: set ? ['#ttl = :ttl'] : [],
    remove: reopened ? ['#ttl'] : [],
    names: set || reopened ? { '#ttl': TTL_ATTRIBUTE } : {},
    values: set ? { ':ttl': ttl[TTL_ATTRIBUTE] } : {},
  };
};

/**
 * `Update` of STATE from `before` to `after`. The condition is `before` as far as any other
 * writer can change it: the attempt count (nobody appended since), the status (nobody made
 * it final or re-drove it), and for the live writer its lease (nobody took the message over).
 */
export const stateUpdate = (env: Env, before: StateItem, after: StateItem, guard: Guard) => {
  const changed = TRANSITION_FIELDS.filter((f) => !deepEqual(before[f], after[f]));
  const index = indexParts(after);
  const expiry = expiryParts(env, before, after);
  const names = Object.fromEntries(changed.map((f) => [`#${f}`, f]));
  const values = Object.fromEntries(changed.map((f) => [`:${f}`, after[f]]));
  const lease = leaseCondition(guard);
  const remove = [...index.remove, ...expiry.remove];
  return {
    Update: {
      TableName: env.tableName,
      Key: stateKey(after.messageId),
      UpdateExpression: `SET ${[...changed.map((f) => `#${f} = :${f}`), ...index.set, ...expiry.set].join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: `attempts = :prev AND #status = :beforeStatus${lease.expr}`,
      ExpressionAttributeNames: { ...names, ...expiry.names, '#status': 'status' },
      ExpressionAttributeValues: {
        ...values,
        ...index.values,
        ...expiry.values,
        ':prev': before.attempts,
        ':beforeStatus': before.status,
        ...lease.values,
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    },
  };
};
