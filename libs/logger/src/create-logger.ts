import { pino, type Logger, type LoggerOptions } from 'pino';
import { REDACT_PATHS } from './redact-paths.js';

export type { Logger };

export interface CreateLoggerOptions {
  service: string;
  level?: string;
  /** Where lines go; stdout (asynchronously buffered) when absent. Tests pass a stream to inspect output. */
  destination?: NodeJS.WritableStream;
}

/** The gateway's logger: JSON lines, fixed redaction of every credential field, never bodies. */
export function createLogger({ service, level = 'info', destination }: CreateLoggerOptions): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false, minLength: 0 }));
}
