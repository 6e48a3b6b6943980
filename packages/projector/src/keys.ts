// Key shapes of the items the projector reads and writes: the store's (one layout for all).
export {
  ATTEMPT_PREFIX,
  AUDIT_PREFIX,
  attemptSk,
  auditKey,
  auditSk,
  type Key,
  messagePk,
  REDRIVE_PREFIX,
  redriveSk,
  STATE_SK,
} from '@delivery-history/store';
