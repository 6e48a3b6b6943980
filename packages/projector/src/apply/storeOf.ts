import { createStore, type Store } from '@delivery-history/store';
import type { ProjectorDeps } from './deps.js';

/** What the projector's table reads and writes need from its deps. */
export type StoreIo = Pick<ProjectorDeps, 'doc' | 'tableName' | 'retry' | 'random' | 'sleep'> &
  Partial<Pick<ProjectorDeps, 'clock' | 'telemetry' | 'retentionDays'>>;

/**
 * The store over the projector's deps (its one door): every table call goes through the
 * store's funnel (its retries, its error mapping) with the projector's retry budget, jitter,
 * sleep and logger. Built per apply, so a test's `{ ...deps, doc }` takes effect.
 */
export const storeOf = (deps: StoreIo): Store =>
  createStore({
    doc: deps.doc,
    tableName: deps.tableName,
    retry: deps.retry,
    random: deps.random,
    sleep: deps.sleep,
    ...(deps.clock !== undefined ? { clock: deps.clock } : {}),
    ...(deps.telemetry !== undefined ? { logger: deps.telemetry.logger } : {}),
    retentionDays: deps.retentionDays ?? null,
  });
