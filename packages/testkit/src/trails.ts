import {
  AttemptItem,
  type AuditEntry,
  decodeWith,
  HoldItem,
  RedriveItem,
  RequeueItem,
  rebuildAuditTrail,
} from '@delivery-history/core';
import { type AuditTrail, auditTrailOf } from '@delivery-history/projector/testing';
import type { DocumentClient } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import { partition } from './storedPartition.js';

export type Compared = {
  readonly trail: AuditTrail;
  readonly expected: AuditEntry[];
  readonly items: Record<string, unknown>[];
};

/** The stored trail of a message next to `rebuildAuditTrail` of its stored attempts, redrives, holds and requeues. */
export const compareTrail = async (doc: DocumentClient, tableName: string, messageId: string): Promise<Compared> => {
  const items = await partition(doc, tableName, messageId);
  const of = (prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix));
  const must = <A>(d: E.Either<{ message: string }, A>): A => {
    if (E.isLeft(d)) throw new Error(d.left.message);
    return d.right;
  };
  const attempts = of('ATTEMPT#').map((i) => must(decodeWith(AttemptItem, i)));
  const redrives = of('REDRIVE#').map((i) => must(decodeWith(RedriveItem, i)));
  const holds = of('HOLD#').map((i) => must(decodeWith(HoldItem, i)));
  const requeues = of('REQUEUE#').map((i) => must(decodeWith(RequeueItem, i)));
  const trail = auditTrailOf(messageId, items);
  if (E.isLeft(trail)) throw new Error(trail.left.message);
  return { trail: trail.right, expected: rebuildAuditTrail(attempts, redrives, holds, requeues), items };
};
