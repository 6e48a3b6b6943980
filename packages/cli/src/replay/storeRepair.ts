import type { StateItem } from '@delivery-history/core';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { Repaired, RepairConflict, RepairFailed, RepairLeased, type RepairOutcome } from './repairOutcome.js';

// store.repairProjection as a RepairOutcome (the replay loop's vocabulary).

type RepairError = { readonly _tag: string; readonly message: string; readonly expiresAt?: string };

export const storeRepair =
  (repair: (messageId: string, expected: StateItem, observed: StateItem) => TE.TaskEither<RepairError, unknown>) =>
  async (messageId: string, expected: StateItem, observed: StateItem): Promise<RepairOutcome> => {
    const r = await repair(messageId, expected, observed)();
    if (E.isRight(r)) return Repaired;
    switch (r.left._tag) {
      case 'Conflict':
        return RepairConflict;
      case 'Leased':
        return RepairLeased(r.left.expiresAt ?? null);
      default:
        return RepairFailed(r.left.message);
    }
  };
