// A minimal structural logger: a Powertools `Logger` satisfies it, and so do the
// silent, console and in-memory ones below.

export type LogAttributes = Record<string, unknown>;

export interface StoreLogger {
  info(message: string, attributes: LogAttributes): void;
  warn(message: string, attributes: LogAttributes): void;
  error(message: string, attributes: LogAttributes): void;
}

export const silentLogger: StoreLogger = { info: () => {}, warn: () => {}, error: () => {} };

const line = (level: string, message: string, attributes: LogAttributes): string =>
  JSON.stringify({ level, message, timestamp: new Date().toISOString(), ...attributes });

/** JSON lines on stderr (for the CLI and local runs). */
export const consoleLogger: StoreLogger = {
  info: (m, a) => process.stderr.write(`${line('INFO', m, a)}\n`),
  warn: (m, a) => process.stderr.write(`${line('WARN', m, a)}\n`),
  error: (m, a) => process.stderr.write(`${line('ERROR', m, a)}\n`),
};

export type LogEntry = {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes: LogAttributes;
};

/** Records every entry (tests assert on them). */
export const memoryLogger = (): StoreLogger & { readonly entries: LogEntry[] } => {
  const entries: LogEntry[] = [];
  const push = (level: LogEntry['level']) => (message: string, attributes: LogAttributes) => {
    entries.push({ level, message, attributes });
  };
  return { entries, info: push('info'), warn: push('warn'), error: push('error') };
};
