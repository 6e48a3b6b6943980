// The CLI's reusable parts (the bench and tests call them without the command line).
export { main } from './main.js';
export { type Io, memoryIo, processIo } from './io.js';
export { EXIT, type ExitCode } from './exitCodes.js';
export { type Config, readConfig } from './config/readConfig.js';
export { openContext, projectorTrailOf } from './context.js';
export { createProgress, type Progress, silentProgress } from './format/progress.js';
export { tableReader, type TableReader, type RawItem } from './replay/tableReader.js';
export { decodePartition, type DecodedMessage } from './replay/decodePartition.js';
export {
  DEFAULT_PAGE_BUDGET,
  forEachParallel,
  listSource,
  type Page,
  type PagedSource,
} from './replay/forEachParallel.js';
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
} from './replay/verifyTable.js';
export { CHECKS, type CheckName, type TrailReader, type Violation, verifyMessage } from './replay/verifyMessage.js';
export { checkProjection, checkDenseAttempts, type FieldDrift } from './replay/projectionDrift.js';
export { checkTrail, type TrailDrift } from './replay/trailDrift.js';
export { findSecrets, type SecretFinding } from './replay/findSecrets.js';
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
} from './replay/redrive.js';
export { sqsQueue } from './replay/sqsQueue.js';
export { localRedriveQueue } from './replay/localQueue.js';
export { seedSynthetic, syntheticMessage, type SeedOptions } from './replay/seedSynthetic.js';
export { TableError } from './replay/tableError.js';
