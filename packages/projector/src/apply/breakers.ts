import {
  type AttemptItem,
  type BreakerSettings,
  type BreakerState,
  type BreakerTransition,
  breaker,
} from '@delivery-history/core';
import { describeStoreError, type Store } from '@delivery-history/store';
import * as E from 'fp-ts/lib/Either.js';
import type { ProjectorDeps } from './deps.js';
import { storeOf } from './storeOf.js';

type BreakerObservation = ReturnType<typeof breaker.observationOf>;
type BreakerWarning = ReturnType<typeof breaker.observe>['warnings'][number];

// ---------------------------------------------------------------------------
// The endpoint breaker, decided after each batch from the attempts it carried (the same
// observations as endpoint health), off the worker's hot path: read, core's breaker.observe,
// write conditioned on the version read; a lost race re-reads. Replayed records are skipped by
// the breaker's own `seen` marker. Best effort: a failure is logged and counted, never a batch
// item failure (the audit trail must not wait for the breaker).
// ---------------------------------------------------------------------------

export type BreakerReport = {
  readonly transitions: readonly BreakerTransition[];
  readonly warnings: readonly BreakerWarning[];
  /** Endpoints whose breaker could not be written (logged). */
  readonly failed: number;
};

const NONE: BreakerReport = { transitions: [], warnings: [], failed: 0 };

const byEndpoint = (attempts: readonly AttemptItem[]): Map<string, BreakerObservation[]> => {
  const out = new Map<string, BreakerObservation[]>();
  for (const a of attempts) {
    const o = breaker.observationOf(a);
    if (o.endpoint === '') continue;
    out.set(o.endpoint, [...(out.get(o.endpoint) ?? []), o]);
  }
  return out;
};

type Decided = E.Either<string, { transitions: BreakerTransition[]; warnings: BreakerWarning[] }>;

const decideOne = async (
  deps: ProjectorDeps,
  store: Pick<Store, 'readBreaker' | 'writeBreaker'>,
  settings: BreakerSettings,
  endpoint: string,
  observations: readonly BreakerObservation[],
): Promise<Decided> => {
  for (let tries = 0; tries < deps.maxApplyTries; tries++) {
    const read = await store.readBreaker(endpoint, true)();
    if (E.isLeft(read)) return E.left(describeStoreError(read.left));
    const before: BreakerState = read.right ?? breaker.initial(endpoint, deps.clock().toISOString());
    const step = breaker.observe(before, observations, settings);
    if (!step.changed) return E.right({ transitions: [], warnings: [] });
    const written = await store.writeBreaker(step.state, before.version)();
    if (E.isRight(written)) return E.right({ transitions: [...step.transitions], warnings: [...step.warnings] });
    if (written.left._tag !== 'Conflict') return E.left(describeStoreError(written.left));
  }
  return E.left(`breaker of ${endpoint}: still contended after ${deps.maxApplyTries} tries`);
};

/** Decides every endpoint the batch's attempts touched; the mode changes and warnings to publish. */
export const decideBreakers = async (deps: ProjectorDeps, attempts: readonly AttemptItem[]): Promise<BreakerReport> => {
  const settings = deps.breaker;
  if (settings === null || attempts.length === 0) return NONE;
  const store = storeOf(deps);
  const transitions: BreakerTransition[] = [];
  const warnings: BreakerWarning[] = [];
  let failed = 0;
  for (const [endpoint, observations] of byEndpoint(attempts)) {
    const r = await decideOne(deps, store, settings, endpoint, observations);
    if (E.isLeft(r)) {
      failed += 1;
      deps.telemetry.count('BreakerWriteFailures');
      deps.telemetry.logger.warn('endpoint breaker not updated', { endpoint, error: r.left });
      continue;
    }
    transitions.push(...r.right.transitions);
    warnings.push(...r.right.warnings);
  }
  for (const t of transitions) deps.telemetry.logger.info('endpoint breaker moved', { ...t });
  for (const w of warnings) deps.telemetry.logger.warn('endpoint close to the disable streak', { ...w });
  deps.telemetry.count('BreakerTransitions', transitions.length);
  return { transitions, warnings, failed };
};
