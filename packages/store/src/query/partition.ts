import {
  AttemptItem,
  type DecodeError,
  decodeWith,
  ExpungeItem,
  HoldItem,
  isExpired,
  RedriveItem,
  RequeueItem,
  ResolutionItem,
  StateItem,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import {
  ATTEMPT_PREFIX,
  AUDIT_PREFIX,
  EXPUNGE_PREFIX,
  HOLD_PREFIX,
  REDRIVE_PREFIX,
  REQUEUE_PREFIX,
  RESOLVED_PREFIX,
  STATE_SK,
} from '../keys.js';
import { TTL_ATTRIBUTE } from '../tableDefinition.js';

// ---------------------------------------------------------------------------
// The ONE classifier of a message's partition: every reader of a whole partition
// (getHistory, replay, verify, the demo) sorts its items here. Pure; corrupt items are
// collected, not thrown, so a reader decides what one bad item means for it.
// ---------------------------------------------------------------------------

/** An item exactly as stored (keys and index attributes included). */
export type RawItem = Readonly<Record<string, unknown>>;

export type ItemKind =
  | 'state'
  | 'attempt'
  | 'redrive'
  | 'hold'
  | 'resolution'
  | 'audit'
  | 'expunge'
  | 'requeue'
  | 'unknown';

/**
 * An audit segment as stored: sort key, segment number, its attributes. Decoded as a whole
 * trail by `decodeAuditTrail` (a segment that does not decode is a trail problem: history
 * still shows STATE and attempts, verify reports the trail).
 */
export type AuditItem = { readonly sk: string; readonly segment: number } & Readonly<Record<string, unknown>>;

/** An item that failed its codec: its sort key and the decoder's one-line message. */
export type CorruptEntry = { readonly sk: string; readonly message: string; readonly cause: DecodeError | null };

export type Partition = {
  readonly messageId: string;
  /** null: no STATE, or one that does not decode (then it is in `corrupt`). */
  readonly state: StateItem | null;
  /** In sort-key order (= attemptNumber). */
  readonly attempts: AttemptItem[];
  /** In sort-key order (= redriveNumber). */
  readonly redrives: RedriveItem[];
  /** HOLD#k events (held, released, expired), in sort-key order (= holdNumber). */
  readonly holds: HoldItem[];
  /** Real outcomes of lost attempts, in sort-key order (= the lost attempt's number). */
  readonly resolutions: ResolutionItem[];
  /** In sort-key order (= segment). */
  readonly audit: AuditItem[];
  /** EXPUNGE#k events, in sort-key order (= expungeNumber). */
  readonly expunges: ExpungeItem[];
  /** REQUEUE# events (who pushed a stalled message again, and why), by time. */
  readonly requeues: RequeueItem[];
  /** Past its retention at the reader's `now`: gone as a whole (every list above is empty). */
  readonly expired: boolean;
  readonly corrupt: CorruptEntry[];
  /** Items under the message's key that are none of the kinds above. */
  readonly unknown: RawItem[];
};

/** What an item is, by its sort key (the layout of keys.ts). */
export const kindOf = (sk: string): ItemKind => {
  if (sk === STATE_SK) return 'state';
  if (sk.startsWith(ATTEMPT_PREFIX)) return 'attempt';
  if (sk.startsWith(REDRIVE_PREFIX)) return 'redrive';
  if (sk.startsWith(HOLD_PREFIX)) return 'hold';
  if (sk.startsWith(RESOLVED_PREFIX)) return 'resolution';
  if (sk.startsWith(AUDIT_PREFIX)) return 'audit';
  if (sk.startsWith(EXPUNGE_PREFIX)) return 'expunge';
  if (sk.startsWith(REQUEUE_PREFIX)) return 'requeue';
  return 'unknown';
};

// ---------------------------------------------------------------------------
// Retention, the readers' rule (docs/model.md, "Lifecycle"): a partition expires as a
// whole, when its STATE's TTL passes. An item's own TTL never hides it alone, so a
// partition is never shown half-expired while DynamoDB deletes its items one by one (days
// later, in any order). Without a STATE (TTL deletion took it first), the leftovers are
// gone once any of them is past its TTL.
// ---------------------------------------------------------------------------

/** An item's own TTL attribute (epoch seconds), or null. */
export const ttlOf = (item: RawItem): number | null => {
  const v = item[TTL_ATTRIBUTE];
  return typeof v === 'number' ? v : null;
};

/** The TTL (epoch seconds) of a whole partition, from its items as stored; null: none. */
export const partitionExpiry = (items: ReadonlyArray<RawItem>): number | null => {
  const state = items.find((i) => i.sk === STATE_SK);
  if (state !== undefined) return ttlOf(state);
  const ttls = items.map(ttlOf).filter((x): x is number => x !== null);
  return ttls.length === 0 ? null : Math.min(...ttls);
};

/** Gone to every reader at `now` (DynamoDB may not have deleted it yet). */
export const isPartitionExpired = (items: ReadonlyArray<RawItem>, now: Date): boolean =>
  isExpired(partitionExpiry(items), now);

const SortKeyed = t.type({ sk: t.string });

// code-unit order, as DynamoDB orders string sort keys (not the locale's)
const bySortKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const auditItemOf = (sk: string, item: RawItem): AuditItem => ({
  ...item,
  sk,
  segment: Number(sk.slice(AUDIT_PREFIX.length)),
});

type Mutable = { -readonly [K in keyof Partition]: Partition[K] };

const emptyPartition = (messageId: string, expired: boolean): Mutable => ({
  messageId,
  state: null,
  attempts: [],
  redrives: [],
  holds: [],
  resolutions: [],
  audit: [],
  expunges: [],
  requeues: [],
  expired,
  corrupt: [],
  unknown: [],
});

/**
 * Sorts a partition's items (any order) into its kinds, decoding STATE, attempts, redrives,
 * hold and expunge events. With `now` (every reader that shows or checks a message), a partition
 * past its retention is returned empty with `expired: true`; without it, as stored.
 */
export const classifyPartition = (messageId: string, items: ReadonlyArray<RawItem>, now?: Date): Partition => {
  if (now !== undefined && isPartitionExpired(items, now)) return emptyPartition(messageId, true);
  const out = emptyPartition(messageId, false);
  const take = <A>(sk: string, decoded: E.Either<DecodeError, A>, keep: (a: A) => void): void => {
    if (E.isRight(decoded)) keep(decoded.right);
    else out.corrupt.push({ sk, message: decoded.left.message, cause: decoded.left });
  };
  // a Query returns sort-key order already; a caller's items may not be (attempts must be, for fold)
  const sorted = [...items].sort((a, b) => bySortKey(String(a.sk), String(b.sk)));
  for (const item of sorted) {
    const keyed = SortKeyed.decode(item);
    if (E.isLeft(keyed)) {
      out.unknown.push(item);
      continue;
    }
    const sk = keyed.right.sk;
    switch (kindOf(sk)) {
      case 'state':
        take(sk, decodeWith(StateItem, item), (s) => {
          out.state = s;
        });
        break;
      case 'attempt':
        take(sk, decodeWith(AttemptItem, item), (a) => out.attempts.push(a));
        break;
      case 'redrive':
        take(sk, decodeWith(RedriveItem, item), (r) => out.redrives.push(r));
        break;
      case 'hold':
        take(sk, decodeWith(HoldItem, item), (h) => out.holds.push(h));
        break;
      case 'resolution':
        take(sk, decodeWith(ResolutionItem, item), (r) => out.resolutions.push(r));
        break;
      case 'audit':
        out.audit.push(auditItemOf(sk, item));
        break;
      case 'expunge':
        take(sk, decodeWith(ExpungeItem, item), (x) => out.expunges.push(x));
        break;
      case 'requeue':
        take(sk, decodeWith(RequeueItem, item), (x) => out.requeues.push(x));
        break;
      case 'unknown':
        out.unknown.push(item);
    }
  }
  return out;
};
