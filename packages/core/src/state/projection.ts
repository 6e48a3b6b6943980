import type { StateItem } from '../codecs/items.js';

/** The STATE fields that `fold` determines (what replay/verify compare). */
export const PROJECTION_FIELDS = [
  'status',
  'attempts',
  'deliveryResult',
  'lastDeliveryAttempt',
  'retryEligible',
  'nextAttemptAt',
  'maxAttempts',
  'redrives',
  'holds',
] as const satisfies ReadonlyArray<keyof StateItem>;

export type ProjectionField = (typeof PROJECTION_FIELDS)[number];
export type Projection = Pick<StateItem, ProjectionField>;

export const projectionFields = (s: Projection): Projection => ({
  status: s.status,
  attempts: s.attempts,
  deliveryResult: s.deliveryResult,
  lastDeliveryAttempt: s.lastDeliveryAttempt,
  retryEligible: s.retryEligible,
  nextAttemptAt: s.nextAttemptAt,
  maxAttempts: s.maxAttempts,
  redrives: s.redrives,
  ...(s.holds === undefined ? {} : { holds: s.holds }),
});

/** Structural equality of JSON-like values (key order ignored). */
export const deepEqual = (a: unknown, b: unknown): boolean => {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
};

/** Names of projection fields whose values differ (empty = no drift). */
export const diffProjection = (a: Projection, b: Projection): ProjectionField[] =>
  PROJECTION_FIELDS.filter((f) => !deepEqual(a[f], b[f]));
