import { consoleArgs } from './console/consoleArgs.js';
import { correlationArgs } from './correlation/correlationArgs.js';
import { demoArgs } from './demo/demoArgs.js';
import { endpointArgs } from './endpoint/endpointArgs.js';
import { endpointsArgs } from './endpoints/endpointsArgs.js';
import { pauseArgs } from './endpoints/pauseArgs.js';
import { resumeArgs } from './endpoints/resumeArgs.js';
import { expungeArgs } from './expunge/expungeArgs.js';
import { failedArgs } from './failed/failedArgs.js';
import { historyArgs } from './history/historyArgs.js';
import type { Declaration } from './kit/args/declaration.js';
import { localArgs } from './local/localArgs.js';
import { redriveArgs } from './redrive/redriveArgs.js';
import { replayEndpointsArgs } from './replay/replayEndpointsArgs.js';
import { replayProjectionsArgs } from './replay/replayProjectionsArgs.js';
import { tailArgs } from './tail/tailArgs.js';
import { verifyArgs } from './verify/verifyArgs.js';

// Every command's declaration, by the name `dh help` knows it by: help, "did you mean" for
// help topics, and the tests that check help, parser and types come from one declaration.
// Light on purpose (flags and prose only): main loads it for help without loading a command.

export const DECLARATIONS: Readonly<Record<string, Declaration>> = Object.fromEntries(
  [
    localArgs,
    demoArgs,
    historyArgs,
    failedArgs,
    endpointArgs,
    correlationArgs,
    endpointsArgs,
    pauseArgs,
    resumeArgs,
    tailArgs,
    replayProjectionsArgs,
    redriveArgs,
    replayEndpointsArgs,
    expungeArgs,
    consoleArgs,
    verifyArgs,
  ].map((d) => [d.name, d]),
);
