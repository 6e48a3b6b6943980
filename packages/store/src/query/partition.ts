import {
  AttemptItem,
  type DecodeError,
  decodeWith,
  RedriveItem,
  ResolutionItem,
  StateItem,
} from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { ATTEMPT_PREFIX, AUDIT_PREFIX, REDRIVE_PREFIX, RESOLVED_PREFIX, STATE_SK } from '../keys.js';

// ---------------------------------------------------------------------------
// The ONE classifier of a message's partition: every reader of a whole partition
// (getHistory, replay, verify, the demo) sorts its items here. Pure; corrupt items are
// collected, not thrown, so a reader decides what one bad item means for it.
// ---------------------------------------------------------------------------

/** An item exactly as stored (keys and index attributes included). */
export type RawItem = Readonly<Record<string, unknown>>;

export type ItemKind = 'state' | 'attempt' | 'redrive' | 'resolution' | 'audit' | 'unknown';

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
  /** Real outcomes of lost attempts, in sort-key order (= the lost attempt's number). */
  readonly resolutions: ResolutionItem[];
  /** In sort-key order (= segment). */
  readonly audit: AuditItem[];
  readonly corrupt: CorruptEntry[];
  /** Items under the message's key that are none of the kinds above. */
  readonly unknown: RawItem[];
};

/** What an item is, by its sort key (the layout of keys.ts). */
export const kindOf = (sk: string): ItemKind => {
  if (sk === STATE_SK) return 'state';
  if (sk.startsWith(ATTEMPT_PREFIX)) return 'attempt';
  if (sk.startsWith(REDRIVE_PREFIX)) return 'redrive';
  if (sk.startsWith(RESOLVED_PREFIX)) return 'resolution';
  if (sk.startsWith(AUDIT_PREFIX)) return 'audit';
  return 'unknown';
};

const SortKeyed = t.type({ sk: t.string });

// code-unit order, as DynamoDB orders string sort keys (not the locale's)
const bySortKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const auditItemOf = (sk: string, item: RawItem): AuditItem => ({
  ...item,
  sk,
  segment: Number(sk.slice(AUDIT_PREFIX.length)),
});

/** Sorts a partition's items (any order) into its kinds, decoding STATE, attempts and redrives. */
export const classifyPartition = (messageId: string, items: ReadonlyArray<RawItem>): Partition => {
  const out = {
    messageId,
    state: null as StateItem | null,
    attempts: [] as AttemptItem[],
    redrives: [] as RedriveItem[],
    resolutions: [] as ResolutionItem[],
    audit: [] as AuditItem[],
    corrupt: [] as CorruptEntry[],
    unknown: [] as RawItem[],
  };
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
      case 'resolution':
        take(sk, decodeWith(ResolutionItem, item), (r) => out.resolutions.push(r));
        break;
      case 'audit':
        out.audit.push(auditItemOf(sk, item));
        break;
      case 'unknown':
        out.unknown.push(item);
    }
  }
  return out;
};
