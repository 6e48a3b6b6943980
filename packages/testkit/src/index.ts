// The one test kit: used by every test folder and the bench, never by a package's src (so never
// in a Lambda bundle; test/dependencyDirection.test.ts checks it) and never published.
export { type FakeClock, fakeClock } from './fakeClock.js';
export { mapLimit } from './mapLimit.js';
export { pick, seededRandom, seedFromEnv } from './seededRandom.js';
export { stopOwnDynamo, type TestTable, testEndpoint, useTestTable } from './testTable.js';
export { cpuOf, type Progress, reaches, StalledError, type WaitOptions, waitFor } from './waitFor.js';
export { type RawItem, writeItems, writeRawItems } from './writeItems.js';
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
} from './items.js';
