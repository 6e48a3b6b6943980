// The Lambda entry: the handler and nothing else, so the bundle holds only what it reaches
// (the package's index also exports the local poller, which reads streams).
export { handler } from './handler.js';
