// Test-only door (`@delivery-history/cli/testing`): what tests, here or in test/, call that no
// other package's source does. No package's source imports it (test/dependencyDirection.test.ts),
// so it is in no bundle; the index (`@delivery-history/cli`) stays what other packages call.
// The CLI's reusable parts (the bench and tests call them without the command line).
export { main } from './main.js';
export { memoryIo } from './io.js';
export { EXIT } from './exitCodes.js';
export { projectorTrailOf } from './context.js';
export { tableReader } from './replay/tableReader.js';
export { replayProjections } from './replay/replayProjections.js';
export { measureReplay } from './replay/measureReplay.js';
export { verifyTable } from './replay/verifyTable.js';
export { storeRepair } from './replay/storeRepair.js';
export { trailWriter } from './replay/writeTrail.js';
export { seedSynthetic } from './replay/seedSynthetic.js';
export { drainHeld } from './replay/drainHeld.js';
export { expireHeld } from './replay/expireHeld.js';
