// Logging and metrics as small structural ports: the Lambda wires Powertools to them, the
// local poller counts into its stats, tests use `silentTelemetry` or `memoryTelemetry`.

export type LogAttributes = Record<string, unknown>;

/** A Powertools `Logger` satisfies this. */
export type ProjectorLogger = {
  debug(message: string, attributes: LogAttributes): void;
  info(message: string, attributes: LogAttributes): void;
  warn(message: string, attributes: LogAttributes): void;
  error(message: string, attributes: LogAttributes): void;
};

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
] as const;
export type ProjectorMetric = (typeof PROJECTOR_METRICS)[number];

export type Telemetry = {
  readonly logger: ProjectorLogger;
  count(metric: ProjectorMetric, value?: number): void;
};

const noop = (): void => undefined;

export const silentLogger: ProjectorLogger = { debug: noop, info: noop, warn: noop, error: noop };

export const silentTelemetry: Telemetry = { logger: silentLogger, count: noop };

export type LogEntry = {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes: LogAttributes;
};

/** For tests: keeps every log line and metric total. */
export const memoryTelemetry = (): Telemetry & {
  readonly entries: LogEntry[];
  readonly counts: Partial<Record<ProjectorMetric, number>>;
} => {
  const entries: LogEntry[] = [];
  const counts: Partial<Record<ProjectorMetric, number>> = {};
  const at =
    (level: LogEntry['level']) =>
    (message: string, attributes: LogAttributes): void => {
      entries.push({ level, message, attributes });
    };
  return {
    entries,
    counts,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    count: (metric, value = 1) => {
      counts[metric] = (counts[metric] ?? 0) + value;
    },
  };
};
