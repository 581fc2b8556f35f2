import type { UpstreamTarget } from '../../adapters/provider-adapter.js';
import { joinUrl, upstreamHeaders } from '../../adapters/upstream-headers.js';

// Where Anthropic requests go and with which headers; shared by translation and pass-through.

export const ANTHROPIC_VERSION = '2023-06-01';

/**
 * The beta Anthropic requires before it takes an OAuth access token (a Claude Pro/Max subscription logged in
 * as Claude Code does) as `Authorization: Bearer`; without it the API answers 401 "OAuth authentication is
 * currently not supported.".
 */
export const OAUTH_BETA = 'oauth-2025-04-20';

/**
 * The first system block Claude Code sends. Anthropic serves some models to a subscription's OAuth token only
 * when the system prompt starts with it, so requests through such an account begin with it, as Claude Code's do.
 */
export const CLAUDE_CODE_IDENTITY = "You are Claude Code, Anthropic's official CLI for Claude.";

/** True when the account is a subscription's OAuth token (auth sends it as a bearer), not an API key or static bearer. */
export function isOAuthAccount(target: UpstreamTarget): boolean {
  return target.oauth === true && target.credential?.headerName.toLowerCase() === 'authorization';
}

/** `${base}/v1/messages`; a base URL that already ends in /v1 gets only `/messages`. */
export function anthropicMessagesUrl(baseUrl: string): string {
  return joinUrl(baseUrl, /\/v1\/*$/.test(baseUrl) ? '/messages' : '/v1/messages');
}

/**
 * JSON headers, the account's credential (x-api-key for an API key, `Authorization: Bearer` for an OAuth
 * token, from auth) and the API version; an OAuth account also names the OAuth beta (a client's own betas
 * are merged in by plan-exchange).
 */
export function anthropicHeaders(target: UpstreamTarget, stream: boolean): Record<string, string> {
  const headers = { ...upstreamHeaders(target, stream), 'anthropic-version': ANTHROPIC_VERSION };
  return isOAuthAccount(target) ? { ...headers, 'anthropic-beta': OAUTH_BETA } : headers;
}

/**
 * The body an OAuth account sends: the system prompt starting with Claude Code's identity block (added in front
 * of the client's system prompt, string or blocks, unless it already starts so). Other accounts: unchanged.
 */
export function withClaudeCodeSystem(body: Record<string, unknown>, target: UpstreamTarget): Record<string, unknown> {
  if (!isOAuthAccount(target)) return body;
  const identity = { type: 'text', text: CLAUDE_CODE_IDENTITY };
  const system = body.system;
  if (system === undefined || system === null || system === '') return { ...body, system: [identity] };
  if (typeof system === 'string') return system.startsWith(CLAUDE_CODE_IDENTITY) ? body : { ...body, system: [identity, { type: 'text', text: system }] };
  if (Array.isArray(system)) {
    const first = system[0] as { text?: unknown } | undefined;
    if (typeof first?.text === 'string' && first.text.startsWith(CLAUDE_CODE_IDENTITY)) return body;
    return { ...body, system: [identity, ...system] };
  }
  return body;
}
