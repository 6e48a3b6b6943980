import { AttemptItem, decodeWith, itemSize, RedriveItem, StateItem } from '@delivery-history/core';
import { ATTEMPT_PREFIX, AUDIT_PREFIX, REDRIVE_PREFIX, STATE_SK } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { RawItem } from './tableReader.js';

// A message's raw items, sorted into decoded STATE / attempts / redrives and raw audit
// segments (the projector owns their codec), with every item's stored size.

export type DecodedMessage = {
  readonly messageId: string;
  readonly state: StateItem | null;
  readonly attempts: AttemptItem[];
  readonly redrives: RedriveItem[];
  readonly auditItems: RawItem[];
  /** Items that did not decode (sk and the decoder's one-line message). */
  readonly corrupt: Array<{ readonly sk: string; readonly message: string }>;
  readonly sizes: Array<{ readonly sk: string; readonly bytes: number }>;
  /** STATE and ATTEMPT items as stored, for the secret scan. */
  readonly requestItems: Array<{ readonly sk: string; readonly item: RawItem }>;
};

export const decodePartition = (messageId: string, items: ReadonlyArray<RawItem>): DecodedMessage => {
  const out: DecodedMessage = {
    messageId,
    state: null,
    attempts: [],
    redrives: [],
    auditItems: [],
    corrupt: [],
    sizes: [],
    requestItems: [],
  };
  let state: StateItem | null = null;
  for (const item of items) {
    const sk = String(item.sk);
    out.sizes.push({ sk, bytes: itemSize(item) });
    const take = <A>(decoded: E.Either<{ message: string }, A>, keep: (a: A) => void) =>
      E.isRight(decoded) ? keep(decoded.right) : out.corrupt.push({ sk, message: decoded.left.message });
    if (sk === STATE_SK) {
      out.requestItems.push({ sk, item });
      take(decodeWith(StateItem, item), (s) => {
        state = s;
      });
    } else if (sk.startsWith(ATTEMPT_PREFIX)) {
      out.requestItems.push({ sk, item });
      take(decodeWith(AttemptItem, item), (a) => out.attempts.push(a));
    } else if (sk.startsWith(REDRIVE_PREFIX)) {
      take(decodeWith(RedriveItem, item), (r) => out.redrives.push(r));
    } else if (sk.startsWith(AUDIT_PREFIX)) {
      out.auditItems.push(item);
    } else {
      out.corrupt.push({ sk, message: 'unknown item type' });
    }
  }
  return { ...out, state };
};
