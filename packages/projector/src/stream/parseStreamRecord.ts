import { AttemptItem, BreakerMoveItem, decodeWith, HoldItem, RedriveItem, RequeueItem } from '@delivery-history/core';
import { unmarshallStreamImage, tableKeys } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { kindOf, matchesStreamFilter } from '@delivery-history/store';

// ---------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------

/** A decoded event the projector applies. */
export type Change =
  | {
      readonly kind: 'attempt';
      readonly sequenceNumber: string;
      readonly messageId: string;
      readonly attempt: AttemptItem;
    }
  | {
      readonly kind: 'redrive';
      readonly sequenceNumber: string;
      readonly messageId: string;
      readonly redrive: RedriveItem;
    }
  | {
      readonly kind: 'hold';
      readonly sequenceNumber: string;
      readonly messageId: string;
      readonly hold: HoldItem;
    }
  | {
      readonly kind: 'requeue';
      readonly sequenceNumber: string;
      readonly messageId: string;
      readonly requeue: RequeueItem;
    };

/** A change `applyMessage` writes into the audit trail (hold events also give operator events). */
export type MessageChange = Change;

export type ParsedRecord =
  | { readonly _tag: 'Change'; readonly change: Change }
  /** An operator's or receiver's breaker change (MOVE#): published as an endpoint event. */
  | { readonly _tag: 'Move'; readonly sequenceNumber: string; readonly move: BreakerMoveItem }
  /** Not for the projector (STATE updates, AUDIT# writes, checkpoints, removals). */
  | { readonly _tag: 'Ignored'; readonly sequenceNumber: string | null }
  /** Passes the filter but cannot be decoded. */
  | { readonly _tag: 'Malformed'; readonly sequenceNumber: string | null; readonly reason: string };

// ---------------------------------------------------------------------------
// operations
// ---------------------------------------------------------------------------

/** The fields the projector reads from a stream record (Lambda event and SDK shapes agree). */
const Envelope = t.type(
  {
    eventName: t.string,
    dynamodb: t.type({
      SequenceNumber: t.string,
      Keys: t.type({ pk: t.type({ S: t.string }), sk: t.type({ S: t.string }) }),
      NewImage: t.UnknownRecord,
    }),
  },
  'StreamRecord',
);

const sequenceNumberOf = (record: unknown): string | null => {
  const seq = (record as { dynamodb?: { SequenceNumber?: unknown } } | null)?.dynamodb?.SequenceNumber;
  return typeof seq === 'string' ? seq : null;
};

const malformed = (sequenceNumber: string | null, reason: string): ParsedRecord => ({
  _tag: 'Malformed',
  sequenceNumber,
  reason,
});

const keysAgree = (pk: string, sk: string, messageId: string, expectedSk: string): boolean =>
  pk === tableKeys.messagePk(messageId) && sk === expectedSk;

const decodeHold = (seq: string, pk: string, sk: string, item: Record<string, unknown>): ParsedRecord => {
  const d = decodeWith(HoldItem, item);
  if (E.isLeft(d)) return malformed(seq, d.left.message);
  if (!keysAgree(pk, sk, d.right.messageId, tableKeys.holdSk(d.right.holdNumber)))
    return malformed(seq, `keys ${pk}/${sk} do not match hold ${d.right.messageId}#${d.right.holdNumber}`);
  return {
    _tag: 'Change',
    change: { kind: 'hold', sequenceNumber: seq, messageId: d.right.messageId, hold: d.right },
  };
};

const decodeRequeue = (seq: string, pk: string, item: Record<string, unknown>): ParsedRecord => {
  const d = decodeWith(RequeueItem, item);
  if (E.isLeft(d)) return malformed(seq, d.left.message);
  // its sort key carries a random id the item does not: the partition must agree
  if (pk !== tableKeys.messagePk(d.right.messageId))
    return malformed(seq, `key ${pk} does not match requeue of ${d.right.messageId}`);
  return {
    _tag: 'Change',
    change: { kind: 'requeue', sequenceNumber: seq, messageId: d.right.messageId, requeue: d.right },
  };
};

const decodeMove = (seq: string, pk: string, sk: string, item: Record<string, unknown>): ParsedRecord => {
  const d = decodeWith(BreakerMoveItem, item);
  if (E.isLeft(d)) return malformed(seq, d.left.message);
  const key = tableKeys.moveKey(d.right.endpoint, d.right.version);
  if (key.pk !== pk || key.sk !== sk)
    return malformed(seq, `keys ${pk}/${sk} do not match move ${d.right.endpoint}#${d.right.version}`);
  return { _tag: 'Move', sequenceNumber: seq, move: d.right };
};

const decodeItem = (seq: string, pk: string, sk: string, item: Record<string, unknown>): ParsedRecord => {
  if (sk.startsWith(tableKeys.HOLD_PREFIX)) return decodeHold(seq, pk, sk, item);
  if (kindOf(sk) === 'requeue') return decodeRequeue(seq, pk, item);
  if (sk.startsWith(tableKeys.MOVE_PREFIX)) return decodeMove(seq, pk, sk, item);
  if (sk.startsWith(tableKeys.ATTEMPT_PREFIX)) {
    const d = decodeWith(AttemptItem, item);
    if (E.isLeft(d)) return malformed(seq, d.left.message);
    if (!keysAgree(pk, sk, d.right.messageId, tableKeys.attemptSk(d.right.attemptNumber)))
      return malformed(seq, `keys ${pk}/${sk} do not match attempt ${d.right.messageId}#${d.right.attemptNumber}`);
    return {
      _tag: 'Change',
      change: { kind: 'attempt', sequenceNumber: seq, messageId: d.right.messageId, attempt: d.right },
    };
  }
  const d = decodeWith(RedriveItem, item);
  if (E.isLeft(d)) return malformed(seq, d.left.message);
  if (!keysAgree(pk, sk, d.right.messageId, tableKeys.redriveSk(d.right.redriveNumber)))
    return malformed(seq, `keys ${pk}/${sk} do not match redrive ${d.right.messageId}#${d.right.redriveNumber}`);
  return {
    _tag: 'Change',
    change: { kind: 'redrive', sequenceNumber: seq, messageId: d.right.messageId, redrive: d.right },
  };
};

/**
 * One raw stream record (Lambda `DynamoDBRecord` or SDK `_Record`) to a change, `Ignored`
 * (fails the filter) or `Malformed` (passes the filter but does not decode).
 */
export const parseStreamRecord = (record: unknown): ParsedRecord => {
  const seq = sequenceNumberOf(record);
  if (!matchesStreamFilter(record)) return { _tag: 'Ignored', sequenceNumber: seq };
  const env = decodeWith(Envelope, record);
  if (E.isLeft(env)) return malformed(seq, env.left.message);
  const { SequenceNumber, Keys, NewImage } = env.right.dynamodb;
  const item = unmarshallStreamImage(NewImage);
  if (E.isLeft(item)) return malformed(SequenceNumber, item.left);
  return decodeItem(SequenceNumber, Keys.pk.S, Keys.sk.S, item.right);
};
