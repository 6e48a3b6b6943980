import type { AppendPathOptions } from './appendPath.js';
import type { BreakerBenchOptions } from './breakerBench.js';
import type { BundleOptions } from './bundles.js';
import type { CliHistoryOptions } from './cliHistory.js';
import type { ConsoleBenchOptions } from './console.js';
import type { ProjectorOptions } from './projector.js';
import type { ScaleOptions } from './scaleBench.js';
import type { WorkerE2eOptions } from './workerE2e.js';

// Run sizes: `default` is what the README quotes (under 15 minutes on 2 cores); `quick` is
// for development and smoke runs.

export type BenchSizes = {
  readonly append: AppendPathOptions;
  readonly worker: WorkerE2eOptions;
  readonly breaker: BreakerBenchOptions;
  readonly projector: ProjectorOptions;
  readonly scale: ScaleOptions;
  readonly bundles: BundleOptions;
  readonly cliHistory: CliHistoryOptions;
  /** `--console-large` adds 100,000 messages (README figures). */
  readonly console: ConsoleBenchOptions;
};

const DEFAULT: BenchSizes = {
  append: { concurrencies: [1, 8, 32], rounds: 6, opsPerRound: 60 },
  worker: {
    concurrencies: [
      { c: 1, deliveries: 200 },
      { c: 32, deliveries: 480 },
    ],
    rounds: 4,
    warmupRequests: 1500,
    scenarioMessages: 20,
  },
  breaker: { messages: 100 },
  projector: {
    backlogMessages: 400,
    attemptsPerMessage: 4,
    coalesceMessages: 80,
    steadyRatePerSec: 10,
    steadySeconds: 15,
    applyMessages: 600,
    applyRounds: 3,
  },
  scale: { small: 10_000, large: 100_000, queries: 100, drifted: 100 },
  bundles: { coldRuns: 7 },
  cliHistory: { runs: 11 },
  console: { sizes: [10_000], runs: 7 },
};

// quick: the same runs, smaller (what is not named here is as in the default)
const QUICK: BenchSizes = {
  breaker: { messages: 30 },
  scale: { small: 1_000, large: 10_000, queries: 50, drifted: 20 },
  bundles: { coldRuns: 3 },
  cliHistory: { runs: 5 },
  console: { sizes: [2_000], runs: 3 },
  append: { ...DEFAULT.append, rounds: 3, opsPerRound: 40 },
  worker: {
    ...DEFAULT.worker,
    concurrencies: [
      { c: 1, deliveries: 60 },
      { c: 32, deliveries: 128 },
    ],
    rounds: 2,
    scenarioMessages: 10,
  },
  projector: {
    ...DEFAULT.projector,
    backlogMessages: 150,
    coalesceMessages: 40,
    steadySeconds: 6,
    applyMessages: 200,
    applyRounds: 2,
  },
};

export const SIZES: Record<'default' | 'quick', BenchSizes> = { default: DEFAULT, quick: QUICK };
