import { describe, expect, it } from 'vitest';
import type { UpstreamTarget } from '../../adapters/provider-adapter.js';
import { anthropicHeaders, CLAUDE_CODE_IDENTITY, withClaudeCodeSystem } from './anthropic-upstream.js';

const target = (headerName: string, headerValue: string, oauth = false): UpstreamTarget => ({ accountId: 1, baseUrl: 'http://u', model: 'm', settings: {}, credential: { headerName, headerValue }, oauth });
const oauth = target('authorization', 'Bearer sk-ant-oat01-x', true);
const apiKey = target('x-api-key', 'sk-ant-api03-x');
/** A static bearer account (an Anthropic-compatible upstream that takes one): no subscription. */
const staticBearer = target('authorization', 'Bearer compat-key');
const identity = { type: 'text', text: CLAUDE_CODE_IDENTITY };

describe('Anthropic headers', () => {
  it('an OAuth account: the bearer and the OAuth beta; an API key: x-api-key and no beta', () => {
    expect(anthropicHeaders(oauth, false)).toMatchObject({ authorization: 'Bearer sk-ant-oat01-x', 'anthropic-beta': 'oauth-2025-04-20', 'anthropic-version': '2023-06-01' });
    const keyed = anthropicHeaders(apiKey, true);
    expect(keyed).toMatchObject({ 'x-api-key': 'sk-ant-api03-x', accept: 'text/event-stream' });
    expect(keyed['anthropic-beta']).toBeUndefined();
    expect(keyed.authorization).toBeUndefined();
    expect(anthropicHeaders(staticBearer, false)['anthropic-beta']).toBeUndefined();
  });
});

describe('Claude Code’s system block for OAuth accounts', () => {
  it('leads the system prompt, whatever its shape, once', () => {
    expect(withClaudeCodeSystem({ messages: [] }, oauth).system).toEqual([identity]);
    expect(withClaudeCodeSystem({ system: 'Be brief.' }, oauth).system).toEqual([identity, { type: 'text', text: 'Be brief.' }]);
    const blocks = [{ type: 'text', text: 'Rules', cache_control: { type: 'ephemeral' } }];
    expect(withClaudeCodeSystem({ system: blocks }, oauth).system).toEqual([identity, ...blocks]);
    const already = { system: [{ type: 'text', text: CLAUDE_CODE_IDENTITY, cache_control: { type: 'ephemeral' } }, ...blocks] };
    expect(withClaudeCodeSystem(already, oauth)).toBe(already);
    expect(withClaudeCodeSystem({ system: `${CLAUDE_CODE_IDENTITY}\nMore.` }, oauth).system).toBe(`${CLAUDE_CODE_IDENTITY}\nMore.`);
  });

  it('leaves an API-key or static bearer account’s body alone', () => {
    const body = { system: 'Be brief.' };
    expect(withClaudeCodeSystem(body, apiKey)).toBe(body);
    expect(withClaudeCodeSystem(body, staticBearer)).toBe(body);
  });
});
