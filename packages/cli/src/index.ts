// The CLI's reusable parts (the bench and tests call them without the command line).
export { main } from './main.js';
export { type Io, memoryIo, processIo } from './kit/io.js';
export { EXIT, type ExitCode } from './kit/exitCodes.js';
export { type Config, readConfig } from './kit/config/readConfig.js';
export { openContext, projectorTrailOf } from './kit/context.js';
export { createProgress, type Progress, silentProgress } from './kit/format/progress.js';
export { tableReader, type TableReader, type RawItem } from './kit/table/tableReader.js';
export { decodePartition, type DecodedMessage } from './kit/table/decodePartition.js';
export {
  DEFAULT_PAGE_BUDGET,
  forEachParallel,
  listSource,
  type Page,
  type PagedSource,
} from './kit/table/forEachParallel.js';
export {
  type MessageReplay,
  type ReplayAction,
  type ReplayDeps,
  type ReplayOptions,
  type ReplayReport,
  replayProjections,
} from './replay/replayProjections.js';
export { measureReplay, type ReplayMeasurement } from './replay/measureReplay.js';
export {
  DEFAULT_ITEM_BUDGET,
  type VerifyDeps,
  type VerifyOptions,
  type VerifyReport,
  verifyTable,
} from './verify/verifyTable.js';
export { CHECKS, type CheckName, type TrailReader, type Violation, verifyMessage } from './verify/verifyMessage.js';
export { checkProjection, checkDenseAttempts, type FieldDrift } from './verify/projectionDrift.js';
export { checkTrail, type TrailDrift } from './verify/trailDrift.js';
export { findSecrets, type SecretFinding } from './verify/findSecrets.js';
export { storeRepair } from './replay/storeRepair.js';
export { trailWriter } from './replay/writeTrail.js';
export type { RepairOutcome } from './replay/repairOutcome.js';
export {
  type RedriveAction,
  type RedriveDeps,
  type RedriveOptions,
  type RedriveQueue,
  type RedriveReport,
  redrive,
} from './redrive/redrive.js';
export { sqsQueue } from './redrive/sqsQueue.js';
export { localRedriveQueue } from './redrive/localQueue.js';
export { seedSynthetic, syntheticMessage, type SeedOptions } from './kit/table/seedSynthetic.js';
export { TableError } from './kit/table/tableError.js';
export { DEFAULT_DRAIN_RATE, type DrainReport, drainHeld } from './endpoints/drainHeld.js';
export { DEFAULT_MAX_HELD_MS, expireHeld } from './endpoints/expireHeld.js';
