import type { StateItem } from '@delivery-history/core';
import type { StoreError } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { Repaired, RepairConflict, RepairFailed, RepairLeased, type RepairOutcome } from './repairOutcome.js';

// store.repairProjection as a RepairOutcome (the replay loop's vocabulary).

export const storeRepair =
  (repair: (messageId: string, expected: StateItem, observed: StateItem) => TE.TaskEither<StoreError, unknown>) =>
  async (messageId: string, expected: StateItem, observed: StateItem): Promise<RepairOutcome> => {
    const r = await repair(messageId, expected, observed)();
    if (E.isRight(r)) return Repaired;
    switch (r.left._tag) {
      case 'Conflict':
        return RepairConflict;
      case 'Leased':
        return RepairLeased(r.left.expiresAt);
      default:
        return RepairFailed(r.left.message);
    }
  };
