// Test-only door (`@delivery-history/cli/testing`): what tests, here or in test/, call that no
// other package's source does. No package's source imports it (test/dependencyDirection.test.ts),
// so it is in no bundle; the index (`@delivery-history/cli`) stays what other packages call.
// The CLI's reusable parts (the bench and tests call them without the command line).
export { main } from './main.js';
export { memoryIo } from './kit/io.js';
export { EXIT } from './kit/exitCodes.js';
export { projectorTrailOf } from './kit/context.js';
export { tableReader } from './kit/table/tableReader.js';
export { replayProjections } from './replay/replayProjections.js';
export { measureReplay } from './replay/measureReplay.js';
export { verifyTable } from './verify/verifyTable.js';
export { storeRepair } from './replay/storeRepair.js';
export { trailWriter } from './replay/writeTrail.js';
export { seedSynthetic } from './kit/table/seedSynthetic.js';
export { drainHeld } from './endpoints/drainHeld.js';
export { expireHeld } from './endpoints/expireHeld.js';
