import { describe, expect, it } from 'vitest';
import { CLIENT_HEADER_RULES } from './client-header-rules.js';
import { collectClientHeaders, planClientHeaders } from './client-headers.js';

const none = () => false;

describe('collectClientHeaders', () => {
  it('takes only the listed names, never a credential, cookie or hop-by-hop header', () => {
    const collected = collectClientHeaders({
      'anthropic-beta': 'interleaved-thinking-2025-05-14,context-1m-2025-08-07',
      'anthropic-version': '2023-06-01',
      authorization: 'Bearer client-key',
      'x-api-key': 'client-key',
      'x-goog-api-key': 'client-key',
      cookie: 'session=1',
      connection: 'keep-alive',
      'x-stainless-os': 'Linux',
      'openai-beta': 'assistants=v2',
    });
    expect(collected).toEqual([
      { name: 'anthropic-beta', value: 'interleaved-thinking-2025-05-14,context-1m-2025-08-07' },
      { name: 'anthropic-version', value: '2023-06-01' },
      { name: 'openai-beta', value: 'assistants=v2' },
    ]);
  });

  it('lists no credential or hop-by-hop name in the table', () => {
    const names = CLIENT_HEADER_RULES.map((r) => r.name);
    for (const forbidden of ['authorization', 'x-api-key', 'x-goog-api-key', 'cookie', 'connection', 'host', 'content-type']) {
      expect(names).not.toContain(forbidden);
    }
    for (const name of names) expect(name).toBe(name.toLowerCase());
  });
});

describe('planClientHeaders', () => {
  const beta = { name: 'anthropic-beta', value: 'interleaved-thinking-2025-05-14' };
  const version = { name: 'anthropic-version', value: '2023-06-01' };

  it('forwards an Anthropic client’s headers to an Anthropic upstream', () => {
    expect(planClientHeaders([beta, version], 'anthropic', 'anthropic', none)).toEqual({ forward: [beta, version], dropped: [] });
  });

  it('reports anthropic-beta on a translated route, and leaves out the version the gateway honours itself', () => {
    for (const kind of ['openai', 'gemini', 'antigravity']) {
      expect(planClientHeaders([beta, version], 'anthropic', kind, none)).toEqual({ forward: [], dropped: ['header:anthropic-beta'] });
    }
  });

  it('reports a header of another protocol even when the upstream speaks it (the body is translated)', () => {
    expect(planClientHeaders([beta, version], 'openai', 'anthropic', none)).toEqual({
      forward: [],
      dropped: ['header:anthropic-beta', 'header:anthropic-version'],
    });
  });

  it('treats every OpenAI-compatible upstream as OpenAI’s protocol', () => {
    const openaiBeta = { name: 'openai-beta', value: 'assistants=v2' };
    expect(planClientHeaders([openaiBeta], 'openai', 'openai', none).forward).toEqual([openaiBeta]);
    expect(planClientHeaders([openaiBeta], 'openai', 'anthropic', none).dropped).toEqual(['header:openai-beta']);
  });

  it('reports account-scoped headers even to their own protocol', () => {
    const org = { name: 'openai-organization', value: 'org-123' };
    const project = { name: 'x-goog-user-project', value: 'p' };
    expect(planClientHeaders([org], 'openai', 'openai', none)).toEqual({ forward: [], dropped: ['header:openai-organization'] });
    expect(planClientHeaders([project], 'gemini', 'antigravity', none)).toEqual({ forward: [], dropped: ['header:x-goog-user-project'] });
  });

  it('never forwards over a header the gateway sets, nor an unlisted or unsendable one', () => {
    expect(planClientHeaders([beta], 'anthropic', 'anthropic', (name) => name === 'anthropic-beta')).toEqual({ forward: [], dropped: ['header:anthropic-beta'] });
    expect(planClientHeaders([{ name: 'x-api-key', value: 'k' }, { name: 'authorization', value: 'Bearer k' }], 'anthropic', 'anthropic', none)).toEqual({
      forward: [],
      dropped: [],
    });
    expect(planClientHeaders([{ name: 'anthropic-beta', value: 'a\u00e9' }], 'anthropic', 'anthropic', none).dropped).toEqual(['header:anthropic-beta']);
    expect(planClientHeaders([{ name: 'anthropic-beta', value: 'x'.repeat(5_000) }], 'anthropic', 'anthropic', none).dropped).toEqual(['header:anthropic-beta']);
  });

  it('leaves out a beta that the translation honours itself, and reports one it does not', () => {
    const structured = { name: 'anthropic-beta', value: 'structured-outputs-2025-11-13' };
    expect(planClientHeaders([structured], 'anthropic', 'gemini', none)).toEqual({ forward: [], dropped: [] });
    expect(planClientHeaders([{ ...structured, value: `${structured.value}, ${beta.value}` }], 'anthropic', 'openai', none).dropped).toEqual(['header:anthropic-beta']);
    expect(planClientHeaders([structured], 'anthropic', 'anthropic', none).forward).toEqual([structured]);
  });

  it('names a header once even when it came twice', () => {
    expect(planClientHeaders([beta, beta], 'anthropic', 'gemini', none).dropped).toEqual(['header:anthropic-beta']);
  });
});
