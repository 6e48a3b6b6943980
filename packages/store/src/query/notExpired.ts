import { epochSeconds } from '@delivery-history/core';
import { TTL_ATTRIBUTE } from '../tableDefinition.js';

/**
 * Retention in a Query or Scan: STATE items (and their index copies) past their TTL are
 * filtered out, as the partition reader hides the whole partition (query/partition.ts).
 * Combined with a filter of the caller's with AND.
 */
export const notExpiredFilter = (
  now: Date,
  and?: { readonly expression: string; readonly values?: Record<string, unknown> },
): { FilterExpression: string; ExpressionAttributeNames: Record<string, string>; values: Record<string, unknown> } => {
  const own = '(attribute_not_exists(#ttl) OR #ttl > :ttlNow)';
  return {
    FilterExpression: and === undefined ? own : `${own} AND (${and.expression})`,
    ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
    values: { ':ttlNow': epochSeconds(now), ...and?.values },
  };
};

/**
 * The filter of a query over a support index: the TTL one, except on a KEYS_ONLY index with no
 * filter of its own, which has no TTL to filter on (DynamoDB refuses the filter): its pages
 * drop expired rows when they read the STATE items, and a COUNT of it includes them.
 */
export const indexQueryFilter = (
  now: Date,
  plan: {
    readonly keysOnly?: boolean;
    readonly filter?: { readonly expression: string; readonly values?: Record<string, unknown> };
  },
): {
  FilterExpression: string | undefined;
  ExpressionAttributeNames: Record<string, string>;
  values: Record<string, unknown>;
} =>
  plan.keysOnly === true && plan.filter === undefined
    ? { FilterExpression: undefined, ExpressionAttributeNames: {}, values: {} }
    : notExpiredFilter(now, plan.filter);
