import { describe, expect, it } from 'vitest';
import { thrownAppError as failure } from '../../test/support/thrown-app-error.js';
import type { ListedModel } from '../routing/route-table.js';
import { anthropicModelPage, geminiModel, geminiModelPage, openAiModelList } from './model-list-shape.js';

const models: ListedModel[] = ['m1', 'm2', 'm3', 'm4', 'm5'].map((id, i) => ({ id, providerId: 1, ownedBy: 'openai', createdAtMs: Date.UTC(2025, 0, 1 + i) }));
const ids = (list: { id: string }[]) => list.map((m) => m.id);

describe('model list shapes', () => {
  it('OpenAI: every model, created in unix seconds', () => {
    expect(openAiModelList(models.slice(0, 1))).toEqual({
      object: 'list',
      data: [{ id: 'm1', object: 'model', created: 1_735_689_600, owned_by: 'openai' }],
    });
  });

  it('Anthropic: pages with has_more, first_id and last_id, forwards and backwards', () => {
    expect(anthropicModelPage(models.slice(0, 1), {})).toEqual({
      data: [{ type: 'model', id: 'm1', display_name: 'm1', created_at: '2025-01-01T00:00:00.000Z' }],
      has_more: false,
      first_id: 'm1',
      last_id: 'm1',
    });
    const first = anthropicModelPage(models, { limit: '2' });
    expect([ids(first.data), first.has_more, first.first_id, first.last_id]).toEqual([['m1', 'm2'], true, 'm1', 'm2']);
    const next = anthropicModelPage(models, { limit: '2', after_id: 'm4' });
    expect([ids(next.data), next.has_more]).toEqual([['m5'], false]);
    const back = anthropicModelPage(models, { limit: '2', before_id: 'm4' });
    expect([ids(back.data), back.has_more]).toEqual([['m2', 'm3'], true]);
    expect(anthropicModelPage([], {})).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
  });

  it('Anthropic: rejects a bad limit', () => {
    for (const limit of ['0', '1001', 'x', '1.5', ['1', '2']]) expect(failure(() => anthropicModelPage(models, { limit })).details.param).toBe('limit');
  });

  it('Gemini: models/<id> resources, paged by an opaque token', () => {
    expect(geminiModel(models[0]!)).toMatchObject({
      name: 'models/m1',
      displayName: 'm1',
      supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
    });
    const first = geminiModelPage(models, { pageSize: '3' });
    expect(first.models.map((m) => m.name)).toEqual(['models/m1', 'models/m2', 'models/m3']);
    const second = geminiModelPage(models, { pageSize: '3', pageToken: first.nextPageToken });
    expect(second.models.map((m) => m.name)).toEqual(['models/m4', 'models/m5']);
    expect(second.nextPageToken).toBeUndefined();
    expect(geminiModelPage(models, {}).models).toHaveLength(5);
    expect(geminiModelPage(models, { pageSize: '0' }).models).toHaveLength(5);
  });

  it('Gemini: rejects a page token it did not issue and a negative page size', () => {
    expect(failure(() => geminiModelPage(models, { pageToken: 'bm9wZQ' })).details.param).toBe('pageToken');
    expect(failure(() => geminiModelPage(models, { pageSize: '-1' })).details.param).toBe('pageSize');
  });
});
