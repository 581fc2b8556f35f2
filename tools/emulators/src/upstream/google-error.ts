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

/**
 * The 429 Cloud Code Assist answers when an account's quota for a model is used up (the shape CLIProxyAPI and
 * Antigravity-Manager read): ErrorInfo QUOTA_EXHAUSTED with `quotaResetDelay` and `quotaResetTimeStamp`, and
 * RetryInfo with the same delay. The Gemini API sends the same RetryInfo.
 */
export function renderGoogleQuotaError(resetSeconds: number, model: string, now = Date.now()): string {
  const resetAt = new Date(now + resetSeconds * 1000);
  resetAt.setUTCMilliseconds(0);
  return JSON.stringify({
    error: {
      code: 429,
      message: `You have exhausted your capacity on this model. Your quota will reset after ${resetSeconds}s.`,
      status: 'RESOURCE_EXHAUSTED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'QUOTA_EXHAUSTED',
          domain: 'cloudcode-pa.googleapis.com',
          metadata: { uiMessage: 'true', model, quotaResetDelay: `${resetSeconds}s`, quotaResetTimeStamp: resetAt.toISOString().replace('.000Z', 'Z') },
        },
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${resetSeconds}s` },
      ],
    },
  });
}
