// Anthropic answers errors as {type:"error", error:{type, message}}, the type naming the HTTP status;
// 529 overloaded_error is Anthropic's own. A stream that fails after its 200 sends the same object as
// an `event: error`.

const ERRORS: Readonly<Record<number, readonly [type: string, message: string]>> = {
  400: ['invalid_request_error', 'Invalid request.'],
  401: ['authentication_error', 'invalid x-api-key'],
  402: ['billing_error', 'Your credit balance is too low to access the Anthropic API.'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'The requested resource could not be found.'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: ['rate_limit_error', 'Number of request tokens has exceeded your rate limit.'],
  500: ['api_error', 'Internal server error'],
  504: ['timeout_error', 'Request timed out'],
  529: ['overloaded_error', 'Overloaded'],
};

/** Anthropic's error type for an HTTP status (other 4xx: invalid_request_error, other 5xx: api_error). */
export function anthropicErrorType(status: number): string {
  return ERRORS[status]?.[0] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** `{"type":"error","error":{"type","message"}}` for an HTTP status. */
export function renderAnthropicError(status: number, message?: string): string {
  const text = message ?? ERRORS[status]?.[1] ?? `Request failed with status ${status}.`;
  return JSON.stringify({ type: 'error', error: { type: anthropicErrorType(status), message: text } });
}
