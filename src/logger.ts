/** Log levels, least severe first; `silent` logs nothing. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** Severity of a log line. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Minimal leveled logger writing plain lines to stderr (stdout stays for command output). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/**
 * Creates a logger that drops lines below `level`.
 * @param write where lines go. @default process.stderr
 */
export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  const emit = (lineLevel: Exclude<LogLevel, 'silent'>, message: string) => {
    if (ORDER[lineLevel] >= ORDER[level]) write(`${new Date().toISOString()} ${lineLevel.toUpperCase().padEnd(5)} ${message}`);
  };
  return {
    debug: (m) => emit('debug', m),
    info: (m) => emit('info', m),
    warn: (m) => emit('warn', m),
    error: (m) => emit('error', m),
  };
}
