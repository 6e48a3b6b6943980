import { rebuildAuditSegments, type SegmentBudget } from '@delivery-history/store';
import {
  createStore,
  type DocumentClient,
  decodeAuditTrail,
  type StoreError,
  type StoreResult,
} from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { DecodedMessage } from '../kit/table/decodePartition.js';
import { Repaired, RepairConflict, RepairFailed, type RepairOutcome } from './repairOutcome.js';

type AuditWrite = StoreResult<'writeAuditStep'>;

// Rewrites a message's audit trail from its attempts, redrives, holds and requeues, packed exactly as the
// projector packs it (its rebuildAuditSegments), through the store's one AUDIT writer
// (`rewriteAuditTrail`): one transaction under the same head guard as the projector's
// appends, so if the projector (or another replay) wrote meanwhile nothing is written and
// the caller reads again. Segments past the new end are deleted in the same transaction.

export type TrailWriterDeps = {
  readonly doc: DocumentClient;
  readonly tableName: string;
  readonly budget?: SegmentBudget;
  readonly clock?: () => Date;
};

const outcomeOf = (r: E.Either<StoreError, AuditWrite>): RepairOutcome => {
  if (E.isLeft(r)) return RepairFailed(r.left.message);
  return r.right === 'written' ? Repaired : RepairConflict;
};

export const trailWriter = (deps: TrailWriterDeps) => {
  const clock = deps.clock ?? (() => new Date());
  const store = createStore({ doc: deps.doc, tableName: deps.tableName, clock });
  return async (m: DecodedMessage): Promise<RepairOutcome> => {
    const read = decodeAuditTrail(m.messageId, m.auditItems);
    if (E.isLeft(read)) return RepairFailed(`audit trail does not decode (${read.left.message}); fix by hand`);
    const now = clock().toISOString();
    const rebuilt = rebuildAuditSegments(m.messageId, m.attempts, m.redrives, deps.budget, {
      now,
      holds: m.holds,
      requeues: m.requeues,
    });
    if (E.isLeft(rebuilt)) return RepairFailed(`audit entry too large: ${JSON.stringify(rebuilt.left)}`);
    return outcomeOf(
      await store.rewriteAuditTrail({ messageId: m.messageId, segments: rebuilt.right, read: read.right })(),
    );
  };
};
