// The drain function's Lambda entry (issue 27): the handler and nothing else, so its bundle
// holds only what a sweep reaches. In its own directory: CDK caches a bundled asset by its
// source directory, and the worker's entry sits in src/.
export { drainHandler as handler } from './drainLambdaHandler.js';
