/** The header that authenticates a request upstream. */
export interface CredentialHeader {
  headerName: string;
  headerValue: string;
}

/** The header each provider kind expects an API key in; kinds not listed take it as a Bearer token. */
const API_KEY_HEADERS: Record<string, string> = {
  anthropic: 'x-api-key',
  gemini: 'x-goog-api-key',
};

/** Header for an API key, by provider kind: x-api-key (anthropic), x-goog-api-key (gemini), else Bearer. */
export function apiKeyHeader(providerKind: string, apiKey: string): CredentialHeader {
  const headerName = API_KEY_HEADERS[providerKind];
  return headerName === undefined ? bearerHeader(apiKey) : { headerName, headerValue: apiKey };
}

/** `authorization: Bearer <token>`, for bearer tokens and OAuth access tokens alike. */
export function bearerHeader(token: string): CredentialHeader {
  return { headerName: 'authorization', headerValue: `Bearer ${token}` };
}
