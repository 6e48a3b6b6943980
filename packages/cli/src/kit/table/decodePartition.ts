import {
  type AttemptItem,
  type ExpungeItem,
  type HoldItem,
  type RedriveItem,
  type RequeueItem,
  type StateItem,
  size,
} from '@delivery-history/core';
import { classifyPartition, kindOf, ttlOf, type StoreResult, tableKeys } from '@delivery-history/store';

type RawItem = StoreResult<'readPartition'>[number];

// A message's raw items as replay and verify see them: the store's one classifier
// (decoded STATE / attempts / redrives, raw audit segments, corrupt items collected), plus
// every item's stored size and the items that carry request data.

export type DecodedMessage = {
  readonly messageId: string;
  readonly state: StateItem | null;
  readonly attempts: AttemptItem[];
  readonly redrives: RedriveItem[];
  /** HOLD#k events (invariant 11): fold applies them with the attempts and redrives. */
  readonly holds: HoldItem[];
  /** REQUEUE# events: in the audit trail (the numbered ones), nothing to fold. */
  readonly requeues: RequeueItem[];
  /** EXPUNGE#k events: content removed on purpose (verify accepts it, and checks it completed). */
  readonly expunges: ExpungeItem[];
  /** Past its retention: gone as a whole (every list is empty; verify accepts it). */
  readonly expired: boolean;
  readonly auditItems: RawItem[];
  /** Items that did not decode, or are of no known kind (sk and a one-line message). */
  readonly corrupt: Array<{ readonly sk: string; readonly message: string }>;
  readonly sizes: Array<{ readonly sk: string; readonly bytes: number }>;
  /** Items whose TTL differs from STATE's (retention: DynamoDB would keep them, or delete them early). */
  readonly ttlDrift: Array<{ readonly sk: string; readonly expiresAt: number | null }>;
  /** STATE's TTL (epoch seconds); null: none. */
  readonly expiresAt: number | null;
  /** STATE and ATTEMPT items as stored, for the secret scan. */
  readonly requestItems: Array<{ readonly sk: string; readonly item: RawItem }>;
};

const carriesRequest = (sk: string): boolean => kindOf(sk) === 'state' || kindOf(sk) === 'attempt';

/** With `now`, retention applies: a partition past its TTL is read as gone (the store's one rule); without, as stored. */
const ttlDriftOf = (items: ReadonlyArray<RawItem>): Pick<DecodedMessage, 'ttlDrift' | 'expiresAt'> => {
  const state = items.find((i) => i.sk === tableKeys.STATE_SK);
  if (state === undefined) return { ttlDrift: [], expiresAt: null };
  const expiresAt = ttlOf(state);
  return {
    expiresAt,
    ttlDrift: items
      .filter((i) => i.sk !== tableKeys.STATE_SK && ttlOf(i) !== expiresAt)
      .map((i) => ({ sk: String(i.sk), expiresAt: ttlOf(i) })),
  };
};

export const decodePartition = (messageId: string, items: ReadonlyArray<RawItem>, now?: Date): DecodedMessage => {
  const p = classifyPartition(messageId, items, now);
  return {
    messageId,
    state: p.state,
    attempts: p.attempts,
    redrives: p.redrives,
    holds: p.holds,
    requeues: p.requeues,
    expunges: p.expunges,
    expired: p.expired,
    auditItems: p.audit,
    corrupt: [
      ...p.corrupt.map((c) => ({ sk: c.sk, message: c.message })),
      ...p.unknown.map((item) => ({ sk: String(item.sk), message: 'unknown item type' })),
    ],
    ...ttlDriftOf(p.expired ? [] : items),
    sizes: p.expired ? [] : items.map((item) => ({ sk: String(item.sk), bytes: size.item(item) })),
    requestItems: (p.expired ? [] : items).flatMap((item) => {
      const sk = String(item.sk);
      return carriesRequest(sk) ? [{ sk, item }] : [];
    }),
  };
};
