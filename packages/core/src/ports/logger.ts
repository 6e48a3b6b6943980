// The one logger port. A Powertools `Logger` satisfies it structurally, and so do the
// silent and in-memory loggers here; every package takes a `Logger` and never builds its own.

export type LogAttributes = Record<string, unknown>;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

// Attributes as a rest parameter: that is the shape Powertools' `Logger` methods accept.
export interface Logger {
  debug(message: string, ...attributes: LogAttributes[]): void;
  info(message: string, ...attributes: LogAttributes[]): void;
  warn(message: string, ...attributes: LogAttributes[]): void;
  error(message: string, ...attributes: LogAttributes[]): void;
}

const merged = (attributes: LogAttributes[]): LogAttributes => Object.assign({}, ...attributes);

const noop = (): void => {};

export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/** A logger that adds `keys` (messageId, attempt, correlationId...) to every entry. */
export const withKeys = (logger: Logger, keys: LogAttributes): Logger => {
  const at =
    (level: LogLevel) =>
    (message: string, ...attributes: LogAttributes[]): void =>
      logger[level](message, { ...keys, ...merged(attributes) });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};

export type LogEntry = { readonly level: LogLevel; readonly message: string; readonly attributes: LogAttributes };

/** Keeps every entry (tests assert on them). */
export const memoryLogger = (): Logger & { readonly entries: LogEntry[] } => {
  const entries: LogEntry[] = [];
  const at =
    (level: LogLevel) =>
    (message: string, ...attributes: LogAttributes[]): void => {
      entries.push({ level, message, attributes: merged(attributes) });
    };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
};
