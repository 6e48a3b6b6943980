// The Lambda entry: the handler and nothing else, so the bundle holds only what it reaches
// (the package's index also exports local tooling and helpers for tests).
export { handler } from './handler/lambdaHandler.js';
