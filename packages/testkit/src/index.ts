// The one test kit: used by every test folder and the bench, never by a package's src (so never
// in a Lambda bundle; test/dependencyDirection.test.ts checks it) and never published.
export { type FakeClock, fakeClock } from './fakeClock.js';
export { mapLimit } from './mapLimit.js';
export { pick, seededRandom, seedFromEnv } from './seededRandom.js';
export { stopOwnDynamo, type TestTable, testEndpoint, useTestTable } from './testTable.js';
export { cpuOf, type Progress, reaches, StalledError, type WaitOptions, waitFor } from './waitFor.js';
export { writeItems } from './writeItems.js';
export {
  applyEvents,
  attempt,
  type History,
  historyArb,
  historyFrom,
  hold,
  iso,
  type Kind,
  redrive,
  result,
  seedState,
  stepArb,
  T0,
} from './itemBuilders.js';
export { type CallCounter, countCalls } from './callCounter.js';
export { type Fault, type FaultController, installFaults } from './faults.js';
export { type GateReceiver, startGateReceiver } from './gateReceiver.js';
export { attemptsOf, expectedBuckets, normalize, storedBuckets } from './healthBuckets.js';
export { partition } from './storedPartition.js';
export { type Compared, compareTrail } from './trails.js';
export { type RawServer, type Recipe, rawResponse, type Step, startRawServer } from './rawHttpServer.js';
