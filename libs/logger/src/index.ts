export { createLogger, type CreateLoggerOptions, type Logger } from './create-logger.js';
export { REDACT_PATHS } from './redact-paths.js';
export { dependencyError } from './dependency-error.js';
