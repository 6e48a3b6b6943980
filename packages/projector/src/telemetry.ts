// Logging and metrics as small structural ports: the Lambda wires Powertools to them, the
// local poller counts into its stats, tests use `silentTelemetry` or `memoryTelemetry`.

import { type LogEntry, type Logger, memoryLogger, silentLogger } from '@delivery-history/core';

/** Metric names (CloudWatch, unit Count). */
export const PROJECTOR_METRICS = [
  'RecordsReceived',
  'RecordsIgnored',
  'MalformedRecords',
  'EntriesAppended',
  'DuplicatesSkipped',
  'AttemptsHealed',
  'SegmentsCreated',
  'WriteConflicts',
  'MessageFailures',
  'ProjectionDrift',
  'DriftChecks',
  'EventsPublished',
  'EventPublishFailures',
  'BreakerTransitions',
  'BreakerWriteFailures',
] as const;
export type ProjectorMetric = (typeof PROJECTOR_METRICS)[number];

export type Telemetry = {
  readonly logger: Logger;
  count(metric: ProjectorMetric, value?: number): void;
};

export const silentTelemetry: Telemetry = { logger: silentLogger, count: () => undefined };

/** For tests: keeps every log line and metric total. */
export const memoryTelemetry = (): Telemetry & {
  readonly entries: LogEntry[];
  readonly counts: Partial<Record<ProjectorMetric, number>>;
} => {
  const logger = memoryLogger();
  const counts: Partial<Record<ProjectorMetric, number>> = {};
  return {
    entries: logger.entries,
    counts,
    logger,
    count: (metric, value = 1) => {
      counts[metric] = (counts[metric] ?? 0) + value;
    },
  };
};
