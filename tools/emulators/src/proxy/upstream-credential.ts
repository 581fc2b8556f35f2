import type { IncomingHttpHeaders } from 'node:http';

/**
 * The upstream credential a request carries, as the providers take it: the Authorization bearer
 * token (OpenAI, Cloud Code), else x-api-key (Anthropic), else x-goog-api-key (Gemini); undefined for none.
 */
export function upstreamCredential(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth !== undefined && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') return auth.slice(7).trim();
  const apiKey = headers['x-api-key'] ?? headers['x-goog-api-key'];
  if (typeof apiKey === 'string' && apiKey !== '') return apiKey;
  return undefined;
}
