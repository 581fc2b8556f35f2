import { describe, expect, it } from 'vitest';
import { compilePattern, RouteTable, type RouteRule } from './route-table.js';

let nextId = 1;
const rule = (pattern: string, extra: Partial<RouteRule> = {}): RouteRule => ({
  id: nextId++,
  pattern,
  providerId: 1,
  providerName: 'p1',
  upstreamModel: null,
  priority: 0,
  fallbackModel: null,
  sessionAffinity: true,
  providerHasAccounts: true,
  createdAtMs: 0,
  ...extra,
});

describe('compilePattern', () => {
  it('treats * as any run of characters and everything else literally', () => {
    expect(compilePattern('gpt-*')('gpt-4o')).toBe(true);
    expect(compilePattern('gpt-*')('gpt-')).toBe(true);
    expect(compilePattern('gpt-*')('xgpt-4')).toBe(false);
    expect(compilePattern('*-mini')('o4-mini')).toBe(true);
    expect(compilePattern('gpt-4.1')('gpt-4x1')).toBe(false);
    expect(compilePattern('a*b*c')('a-b-c')).toBe(true);
    expect(compilePattern('*')('anything')).toBe(true);
    expect(compilePattern('gpt-4o')('gpt-4o-mini')).toBe(false);
  });
});

describe('RouteTable', () => {
  it('picks the highest priority, then the longest pattern', () => {
    const table = new RouteTable([
      rule('*', { providerId: 9 }),
      rule('gpt-*', { providerId: 1 }),
      rule('gpt-4o*', { providerId: 2 }),
      rule('gpt-4o-mini', { providerId: 3, priority: -1 }),
    ]);
    expect(table.resolve('gpt-4o')?.providerId).toBe(2);
    expect(table.resolve('gpt-4o-mini')?.providerId).toBe(2);
    expect(table.resolve('gpt-3.5')?.providerId).toBe(1);
    expect(table.resolve('llama')?.providerId).toBe(9);
  });

  it('lets a higher priority wildcard beat an exact pattern', () => {
    const table = new RouteTable([rule('claude-sonnet-4', { providerId: 1 }), rule('claude-*', { providerId: 2, priority: 10 })]);
    expect(table.resolve('claude-sonnet-4')?.providerId).toBe(2);
  });

  it('maps to the upstream model when set and keeps the client model otherwise', () => {
    const table = new RouteTable([rule('fast', { upstreamModel: 'gpt-4o-mini', fallbackModel: 'slow', sessionAffinity: false }), rule('gpt-*')]);
    expect(table.resolve('fast')).toMatchObject({ model: 'fast', upstreamModel: 'gpt-4o-mini', fallbackModel: 'slow', sessionAffinity: false });
    expect(table.resolve('gpt-5')).toMatchObject({ model: 'gpt-5', upstreamModel: 'gpt-5', fallbackModel: null, sessionAffinity: true });
  });

  it('finds nothing when no pattern matches', () => {
    expect(new RouteTable([rule('gpt-*')]).resolve('claude-3')).toBeUndefined();
    expect(new RouteTable([]).resolve('x')).toBeUndefined();
  });

  it('lists concrete models: exact patterns and routable upstream models', () => {
    const table = new RouteTable([
      rule('gpt-*', { providerName: 'openai' }),
      rule('fast', { upstreamModel: 'gpt-4o-mini', providerName: 'openai' }),
      rule('claude-opus', { upstreamModel: 'internal-opus', providerName: 'antigravity' }),
    ]);
    expect(table.listModels().map(({ id, ownedBy }) => ({ id, ownedBy }))).toEqual([
      { id: 'claude-opus', ownedBy: 'antigravity' },
      { id: 'fast', ownedBy: 'openai' },
      { id: 'gpt-4o-mini', ownedBy: 'openai' },
    ]);
  });

  it('lists a wildcard route only through its upstream model', () => {
    const table = new RouteTable([rule('gemini-*', { upstreamModel: 'gemini-2.5-pro', providerName: 'gemini' }), rule('claude-*')]);
    expect(table.listModels().map((m) => m.id)).toEqual(['gemini-2.5-pro']);
  });

  it('leaves out providers without an active account, and names the provider that really serves a model', () => {
    const table = new RouteTable([
      rule('gpt-4o', { providerId: 1, providerName: 'openai', createdAtMs: 5_000 }),
      rule('glm-4.6', { providerId: 2, providerName: 'glm', providerHasAccounts: false }),
      rule('claude-sonnet-4', { providerId: 3, providerName: 'anthropic' }),
      rule('claude-*', { providerId: 4, providerName: 'antigravity', priority: 10 }),
    ]);
    expect(table.listModels()).toEqual([
      { id: 'claude-sonnet-4', providerId: 4, ownedBy: 'antigravity', createdAtMs: 0 },
      { id: 'gpt-4o', providerId: 1, ownedBy: 'openai', createdAtMs: 5_000 },
    ]);
    expect(table.describe('glm-4.6')).toBeUndefined();
    expect(table.describe('claude-3-haiku')).toEqual({ id: 'claude-3-haiku', providerId: 4, ownedBy: 'antigravity', createdAtMs: 0 });
    expect(table.describe('mistral')).toBeUndefined();
    // Routing itself does not care about accounts: selector answers NO_ACCOUNT.
    expect(table.resolve('glm-4.6')?.providerId).toBe(2);
  });

  it('lists the names an operator put on a route, and those on a provider where routes send them to it', () => {
    const table = new RouteTable([
      rule('claude-*', { providerId: 1, providerName: 'antigravity', models: ['claude-sonnet-4-5'], providerModels: ['gemini-2.5-pro', 'gpt-4o'] }),
      rule('gemini-*', { providerId: 1, providerName: 'antigravity' }),
      rule('gpt-*', { providerId: 2, providerName: 'openai' }),
    ]);
    expect(table.listModels().map((m) => [m.id, m.ownedBy])).toEqual([
      ['claude-sonnet-4-5', 'antigravity'],
      ['gemini-2.5-pro', 'antigravity'],
    ]);
  });

  it('names the providers with an active account that routes point to, once each', () => {
    const table = new RouteTable([
      rule('gemini-*', { providerId: 1, providerName: 'antigravity' }),
      rule('claude-*', { providerId: 1, providerName: 'antigravity' }),
      rule('glm-*', { providerId: 3, providerName: 'glm', providerHasAccounts: false }),
      rule('gpt-*', { providerId: 2, providerName: 'openai' }),
    ]);
    expect(table.providersWithAccounts()).toEqual([
      { providerId: 1, providerName: 'antigravity' },
      { providerId: 2, providerName: 'openai' },
    ]);
  });

  it('sorts by code unit, the same everywhere', () => {
    const table = new RouteTable([rule('b'), rule('a-2'), rule('B'), rule('a-10')]);
    expect(table.listModels().map((m) => m.id)).toEqual(['B', 'a-10', 'a-2', 'b']);
  });
});
