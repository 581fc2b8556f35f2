// Google APIs answer errors as {error:{code,message,status}} with a canonical status name per HTTP code.
// Shared by every Google wire format (Gemini, Cloud Code Assist).

const GOOGLE_ERRORS: Readonly<Record<number, readonly [status: string, message: string]>> = {
  400: ['INVALID_ARGUMENT', 'Request contains an invalid argument.'],
  401: [
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  ],
  403: ['PERMISSION_DENIED', 'The caller does not have permission.'],
  404: ['NOT_FOUND', 'Requested entity was not found.'],
  409: ['ABORTED', 'The operation was aborted.'],
  413: ['INVALID_ARGUMENT', 'Request payload size exceeds the limit.'],
  429: ['RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'],
  499: ['CANCELLED', 'The operation was cancelled.'],
  500: ['INTERNAL', 'Internal error encountered.'],
  501: ['NOT_IMPLEMENTED', 'Method not implemented.'],
  503: ['UNAVAILABLE', 'The service is currently unavailable.'],
  504: ['DEADLINE_EXCEEDED', 'Deadline expired before operation could complete.'],
};

/** Canonical status name for an HTTP status. */
export function googleStatusName(httpStatus: number): string {
  const known = GOOGLE_ERRORS[httpStatus];
  if (known !== undefined) return known[0];
  if (httpStatus >= 500) return 'INTERNAL';
  return httpStatus >= 400 ? 'FAILED_PRECONDITION' : 'UNKNOWN';
}

/** `{"error":{"code","message","status"}}` for an HTTP status. */
export function renderGoogleError(httpStatus: number, message?: string): string {
  const fallback = GOOGLE_ERRORS[httpStatus]?.[1] ?? `Request failed with status ${httpStatus}.`;
  return JSON.stringify({ error: { code: httpStatus, message: message ?? fallback, status: googleStatusName(httpStatus) } });
}
