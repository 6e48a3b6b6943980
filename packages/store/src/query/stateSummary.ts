import { StateItem } from '@delivery-history/core';
import * as t from 'io-ts';

// the required part of STATE (its optional `expunged` mark is not projected)
const p = StateItem.type.types[0].props;

/** What the support indexes project (tableDefinition's SUMMARY_ATTRIBUTES), decoded. */
export const StateSummary = t.exact(
  t.type(
    {
      messageId: p.messageId,
      status: p.status,
      attempts: p.attempts,
      maxAttempts: p.maxAttempts,
      createdAt: p.createdAt,
      lastUpdatedAt: p.lastUpdatedAt,
      lastDeliveryAttempt: p.lastDeliveryAttempt,
      endpoint: p.endpoint,
      correlationId: p.correlationId,
      retryEligible: p.retryEligible,
      nextAttemptAt: p.nextAttemptAt,
      deliveryResult: p.deliveryResult,
    },
    'StateSummary',
  ),
  'StateSummary',
);
export type StateSummary = t.TypeOf<typeof StateSummary>;

export type Page<A> = {
  readonly items: A[];
  readonly cursor: string | null;
  /** Every row of the query's window, when the query was asked to count (index queries' `count`). */
  readonly total?: number;
};
