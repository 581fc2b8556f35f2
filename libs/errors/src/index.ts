export { AppError, toAppError, type AppErrorOptions } from './app-error.js';
export { ERROR_CODES, isErrorCode, type ErrorCode } from './codes.js';
