import { type AttemptItem, itemSize, type RedriveItem, type StateItem } from '@delivery-history/core';
import { classifyPartition, kindOf, type RawItem } from '@delivery-history/store';

// A message's raw items as replay and verify see them: the store's one classifier
// (decoded STATE / attempts / redrives, raw audit segments, corrupt items collected), plus
// every item's stored size and the items that carry request data.

export type DecodedMessage = {
  readonly messageId: string;
  readonly state: StateItem | null;
  readonly attempts: AttemptItem[];
  readonly redrives: RedriveItem[];
  readonly auditItems: RawItem[];
  /** Items that did not decode, or are of no known kind (sk and a one-line message). */
  readonly corrupt: Array<{ readonly sk: string; readonly message: string }>;
  readonly sizes: Array<{ readonly sk: string; readonly bytes: number }>;
  /** STATE and ATTEMPT items as stored, for the secret scan. */
  readonly requestItems: Array<{ readonly sk: string; readonly item: RawItem }>;
};

const carriesRequest = (sk: string): boolean => kindOf(sk) === 'state' || kindOf(sk) === 'attempt';

export const decodePartition = (messageId: string, items: ReadonlyArray<RawItem>): DecodedMessage => {
  const p = classifyPartition(messageId, items);
  return {
    messageId,
    state: p.state,
    attempts: p.attempts,
    redrives: p.redrives,
    auditItems: p.audit,
    corrupt: [
      ...p.corrupt.map((c) => ({ sk: c.sk, message: c.message })),
      ...p.unknown.map((item) => ({ sk: String(item.sk), message: 'unknown item type' })),
    ],
    sizes: items.map((item) => ({ sk: String(item.sk), bytes: itemSize(item) })),
    requestItems: items.flatMap((item) => {
      const sk = String(item.sk);
      return carriesRequest(sk) ? [{ sk, item }] : [];
    }),
  };
};
