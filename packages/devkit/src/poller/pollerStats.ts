import type { ProjectorMetric, Telemetry } from '@delivery-history/projector';

export type PollerStats = {
  batches: number;
  records: number;
  ignored: number;
  malformed: number;
  appended: number;
  duplicates: number;
  healed: number;
  failedMessages: number;
  skippedRecords: number;
  checkpoints: number;
  iteratorRenewals: number;
  trimmedResets: number;
  shardsSeen: number;
  shardsDone: number;
  errors: number;
};

export const emptyStats = (): PollerStats => ({
  batches: 0,
  records: 0,
  ignored: 0,
  malformed: 0,
  appended: 0,
  duplicates: 0,
  healed: 0,
  failedMessages: 0,
  skippedRecords: 0,
  checkpoints: 0,
  iteratorRenewals: 0,
  trimmedResets: 0,
  shardsSeen: 0,
  shardsDone: 0,
  errors: 0,
});

const METRIC_STATS: Partial<Record<ProjectorMetric, keyof PollerStats>> = {
  RecordsIgnored: 'ignored',
  MalformedRecords: 'malformed',
  EntriesAppended: 'appended',
  DuplicatesSkipped: 'duplicates',
  AttemptsHealed: 'healed',
  MessageFailures: 'failedMessages',
};

/** The given telemetry, also counted into the poller's stats. */
export const countingTelemetry = (inner: Telemetry, stats: PollerStats): Telemetry => ({
  logger: inner.logger,
  count: (metric, value = 1) => {
    const key = METRIC_STATS[metric];
    if (key !== undefined) stats[key] += value;
    inner.count(metric, value);
  },
});
