import { Logger } from '@aws-lambda-powertools/logger';

// ---------------------------------------------------------------------------
// A structural logger port: a Powertools Logger fits it, so do the helpers below.
// It is also what `store` expects (info/warn/error with attributes).
// ---------------------------------------------------------------------------

export type LogAttributes = Record<string, unknown>;

export type WorkerLogger = {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
};

type Level = 'debug' | 'info' | 'warn' | 'error';

/** A logger that adds `keys` (messageId, attempt, correlationId...) to every entry. */
export const withKeys = (logger: WorkerLogger, keys: LogAttributes): WorkerLogger => {
  const at =
    (level: Level) =>
    (message: string, attributes: LogAttributes = {}): void =>
      logger[level](message, { ...keys, ...attributes });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};

/** Powertools JSON logs (service `delivery-worker` unless POWERTOOLS_SERVICE_NAME says otherwise). */
export const powertoolsLogger = (): WorkerLogger => {
  const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'delivery-worker' });
  return {
    debug: (m, a = {}) => logger.debug(m, a),
    info: (m, a = {}) => logger.info(m, a),
    warn: (m, a = {}) => logger.warn(m, a),
    error: (m, a = {}) => logger.error(m, a),
  };
};

export const silentLogger: WorkerLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export type LogEntry = { readonly level: Level; readonly message: string; readonly attributes: LogAttributes };

/** Keeps every entry (tests assert on them). */
export const memoryLogger = (): WorkerLogger & { readonly entries: LogEntry[] } => {
  const entries: LogEntry[] = [];
  const at =
    (level: Level) =>
    (message: string, attributes: LogAttributes = {}): void => {
      entries.push({ level, message, attributes });
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};
