import type { UpstreamTarget } from '../../adapters/provider-adapter.js';
import { joinUrl, upstreamHeaders } from '../../adapters/upstream-headers.js';

// Where Anthropic requests go and with which headers; shared by translation and pass-through.

export const ANTHROPIC_VERSION = '2023-06-01';

/** `${base}/v1/messages`; a base URL that already ends in /v1 gets only `/messages`. */
export function anthropicMessagesUrl(baseUrl: string): string {
  return joinUrl(baseUrl, /\/v1\/*$/.test(baseUrl) ? '/messages' : '/v1/messages');
}

/** JSON headers, the account's credential (x-api-key from auth) and the API version. */
export function anthropicHeaders(target: UpstreamTarget, stream: boolean): Record<string, string> {
  return { ...upstreamHeaders(target, stream), 'anthropic-version': ANTHROPIC_VERSION };
}
