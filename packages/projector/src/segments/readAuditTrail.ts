import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { type StoreIo, storeOf } from '../apply/storeOf.js';
import { type ProjectorError, storeFailure } from '../errors.js';
import type { AuditTrail } from './auditTrail.js';

/** A message's audit trail as stored (the store's `readAuditTrail`, strongly consistent). */
export const readAuditTrail = (deps: StoreIo, messageId: string): TE.TaskEither<ProjectorError, AuditTrail> =>
  pipe(storeOf(deps).readAuditTrail(messageId), TE.mapLeft(storeFailure(messageId)));
