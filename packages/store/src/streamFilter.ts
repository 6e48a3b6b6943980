import { ATTEMPT_PREFIX, HOLD_PREFIX, MOVE_PREFIX, REDRIVE_PREFIX, REQUEUE_PREFIX } from './keys.js';

// ---------------------------------------------------------------------------
// The one definition of which stream records drive the projector: new ATTEMPT#, REDRIVE#,
// HOLD# and REQUEUE# items (a message's events) and MOVE# items (an operator's or receiver's breaker
// change, for its operator event). On AWS, infra passes it as the event source mapping's filter criteria, so
// the function is not even invoked for STATE updates, its own AUDIT# writes or poller
// checkpoints; the local poller evaluates the very same patterns in code.
// ---------------------------------------------------------------------------

type Matcher = string | { readonly prefix: string };
type Pattern = { readonly [key: string]: Pattern | readonly Matcher[] };

/** Lambda event filter patterns (OR-ed). Keys hold only pk/sk, so `Keys.sk` is always present. */
export const STREAM_FILTER_PATTERNS = [
  {
    eventName: ['INSERT'],
    dynamodb: {
      Keys: {
        sk: {
          S: [
            { prefix: ATTEMPT_PREFIX },
            { prefix: REDRIVE_PREFIX },
            { prefix: HOLD_PREFIX },
            { prefix: REQUEUE_PREFIX },
            { prefix: MOVE_PREFIX },
          ],
        },
      },
    },
  },
] as const satisfies readonly Pattern[];

/** As CloudFormation's `AWS::Lambda::EventSourceMapping.FilterCriteria` wants it. */
export const STREAM_FILTER_CRITERIA: { readonly Filters: readonly { readonly Pattern: string }[] } = {
  Filters: STREAM_FILTER_PATTERNS.map((p) => ({ Pattern: JSON.stringify(p) })),
};

const matchesLeaf = (value: unknown, matchers: readonly Matcher[]): boolean =>
  matchers.some((m) => (typeof m === 'string' ? value === m : typeof value === 'string' && value.startsWith(m.prefix)));

const matchesPattern = (value: unknown, pattern: Pattern): boolean =>
  typeof value === 'object' &&
  value !== null &&
  Object.entries(pattern).every(([key, sub]) => {
    const v = (value as Record<string, unknown>)[key];
    return Array.isArray(sub) ? matchesLeaf(v, sub as readonly Matcher[]) : matchesPattern(v, sub as Pattern);
  });

/** Whether a raw stream record passes the filter (the subset of the filter syntax used above). */
export const matchesStreamFilter = (record: unknown): boolean =>
  STREAM_FILTER_PATTERNS.some((p) => matchesPattern(record, p));
