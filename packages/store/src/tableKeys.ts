import {
  ATTEMPT_PREFIX,
  attemptKey,
  attemptSk,
  DEFAULT_HEALTH_SHARDS,
  HOLD_PREFIX,
  healthKey,
  healthShardOf,
  holdSk,
  MOVE_PREFIX,
  messagePk,
  moveKey,
  redriveSk,
  STATE_SK,
  stateIndexAttributes,
  stateKey,
} from './keys.js';

/**
 * The table's key layout (docs/model.md) as one door, for what other packages address
 * directly: the projector reading stream records, seeding and verify tools, tests. The store's
 * own operations use keys.ts whole.
 */
export const tableKeys = {
  messagePk,
  STATE_SK,
  stateKey,
  stateIndexAttributes,
  ATTEMPT_PREFIX,
  attemptSk,
  attemptKey,
  redriveSk,
  HOLD_PREFIX,
  holdSk,
  MOVE_PREFIX,
  moveKey,
  DEFAULT_HEALTH_SHARDS,
  healthShardOf,
  healthKey,
} as const;
