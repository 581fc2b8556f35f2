import { describe, expect, it } from 'vitest';
import { rule } from '../../test/support/fake-deps.js';
import { RouteTable } from '../routing/route-table.js';
import { describeModel, listModels, type DiscoveredLists, type DiscoveredModel } from './model-listing.js';

const found = (id: string, extra: Partial<DiscoveredModel> = {}): DiscoveredModel => ({ id, displayName: id, inputTokenLimit: 0, outputTokenLimit: 0, createdAtMs: 0, ...extra });
const lists = (byProvider: Record<number, DiscoveredModel[]>): DiscoveredLists =>
  new Map(Object.entries(byProvider).map(([id, models]) => [Number(id), new Map(models.map((m) => [m.id, m]))]));

const demo = () =>
  new RouteTable([
    rule('gemini-*', { id: 1, providerId: 1, providerName: 'antigravity' }),
    rule('claude-*', { id: 2, providerId: 1, providerName: 'antigravity' }),
    rule('gpt-*', { id: 3, providerId: 2, providerName: 'openai' }),
    rule('glm-*', { id: 4, providerId: 3, providerName: 'glm' }),
  ]);
const ids = (models: { id: string }[]) => models.map((m) => m.id);

describe('listModels', () => {
  it('lists each discovered model that a route sends to the provider that listed it', () => {
    const listed = listModels(
      demo(),
      lists({
        1: [found('gemini-2.5-pro'), found('claude-sonnet-4-5'), found('gpt-oss-120b-medium'), found('chat_20706')],
        2: [found('gpt-4o'), found('o3'), found('text-embedding-3-small')],
        3: [found('glm-4.6')],
      }),
    );
    // gpt-oss-* is routed to openai, not to antigravity which listed it; o3 and embeddings match no route.
    expect(listed.map((m) => [m.id, m.ownedBy])).toEqual([
      ['claude-sonnet-4-5', 'antigravity'],
      ['gemini-2.5-pro', 'antigravity'],
      ['glm-4.6', 'glm'],
      ['gpt-4o', 'openai'],
    ]);
  });

  it('carries what the upstream says about a model, keeping the route’s age when the upstream gives none', () => {
    const [model] = listModels(demo(), lists({ 2: [found('gpt-4o', { displayName: 'GPT-4o', inputTokenLimit: 128_000, createdAtMs: 1_715_299_200_000 })] }));
    expect(model).toEqual({ id: 'gpt-4o', providerId: 2, ownedBy: 'openai', createdAtMs: 1_715_299_200_000, displayName: 'GPT-4o', inputTokenLimit: 128_000 });
    const [aged] = listModels(demo(), lists({ 2: [found('gpt-5')] }));
    expect(aged!.createdAtMs).toBe(Date.UTC(2025, 0, 1));
  });

  it('leaves out providers without an active account, and models a higher-priority route sends elsewhere', () => {
    const table = new RouteTable([
      rule('claude-*', { id: 1, providerId: 1, providerName: 'antigravity' }),
      rule('claude-opus-*', { id: 2, providerId: 4, providerName: 'anthropic', priority: 5 }),
      rule('glm-*', { id: 3, providerId: 3, providerName: 'glm', providerHasAccounts: false }),
    ]);
    const listed = listModels(table, lists({ 1: [found('claude-opus-4-1'), found('claude-sonnet-4-5')], 3: [found('glm-4.6')], 4: [found('claude-opus-4-1')] }));
    expect(listed.map((m) => [m.id, m.ownedBy])).toEqual([
      ['claude-opus-4-1', 'anthropic'],
      ['claude-sonnet-4-5', 'antigravity'],
    ]);
  });

  it('adds names the operator put on a route or a provider, the provider’s only where routes send them to it', () => {
    const table = new RouteTable([
      rule('gpt-*', { id: 1, providerId: 2, providerName: 'openai', models: ['gpt-4o-audio'], providerModels: ['gpt-4.5-preview', 'claude-x'] }),
      rule('claude-*', { id: 2, providerId: 1, providerName: 'antigravity' }),
    ]);
    expect(listModels(table, new Map()).map((m) => [m.id, m.ownedBy])).toEqual([
      ['gpt-4.5-preview', 'openai'],
      ['gpt-4o-audio', 'openai'],
    ]);
  });

  it('keeps the routing table’s concrete names, with facts when their provider lists them', () => {
    const table = new RouteTable([rule('fast', { id: 1, providerId: 2, providerName: 'openai', upstreamModel: 'gpt-4o-mini' }), rule('gpt-*', { id: 2, providerId: 2 })]);
    const listed = listModels(table, lists({ 2: [found('gpt-4o-mini', { displayName: 'GPT-4o mini' })] }));
    expect(listed.map((m) => [m.id, m.displayName])).toEqual([
      ['fast', undefined],
      ['gpt-4o-mini', 'GPT-4o mini'],
    ]);
  });
});

describe('describeModel', () => {
  it('answers any routed name, with the provider’s facts when it listed it', () => {
    const discovered = lists({ 1: [found('gemini-2.5-pro', { displayName: 'Gemini 2.5 Pro', outputTokenLimit: 65_535 })] });
    expect(describeModel(demo(), discovered, 'gemini-2.5-pro')).toMatchObject({ ownedBy: 'antigravity', displayName: 'Gemini 2.5 Pro', outputTokenLimit: 65_535 });
    expect(describeModel(demo(), discovered, 'gemini-9-ultra')).toEqual({ id: 'gemini-9-ultra', providerId: 1, ownedBy: 'antigravity', createdAtMs: Date.UTC(2025, 0, 1) });
    expect(describeModel(demo(), discovered, 'mistral-large')).toBeUndefined();
  });
});
