import type { ModelListing } from '../../adapters/provider-adapter.js';
import { isoSeconds, modelId, pageArray, pageObject, upstreamModel } from '../../adapters/model-entries.js';
import { joinUrl, listHeaders } from '../../adapters/upstream-headers.js';
import { asRecord, asString } from '../../ir/json-shape.js';
import { ANTHROPIC_VERSION, isOAuthAccount, OAUTH_BETA } from './anthropic-upstream.js';

/** Anthropic's largest page: fewer round trips for the whole list. */
const PAGE_LIMIT = 1000;

/**
 * Anthropic `GET {base}/v1/models?limit=&after_id=`: `{data:[{type:"model", id, display_name, created_at}],
 * has_more, first_id, last_id}`; the next page starts after `last_id` while `has_more`.
 */
export const anthropicModelListing: ModelListing = {
  pageRequest(target, pageToken) {
    const path = /\/v1\/*$/.test(target.baseUrl) ? '/models' : '/v1/models';
    const query = new URLSearchParams({ limit: String(PAGE_LIMIT) });
    if (pageToken !== undefined) query.set('after_id', pageToken);
    return {
      method: 'GET',
      url: `${joinUrl(target.baseUrl, path)}?${query.toString()}`,
      headers: { ...listHeaders(target), 'anthropic-version': ANTHROPIC_VERSION, ...(isOAuthAccount(target) ? { 'anthropic-beta': OAUTH_BETA } : {}) },
      body: '',
    };
  },
  readPage(body) {
    const page = pageObject(body, 'Anthropic');
    const models = [];
    for (const entry of pageArray(page, 'data', 'Anthropic')) {
      const model = asRecord(entry);
      const id = modelId(model?.id);
      if (model === undefined || id === undefined) continue;
      models.push(upstreamModel(id, { displayName: model.display_name, createdAt: isoSeconds(model.created_at) }));
    }
    const last = asString(page.last_id) ?? models.at(-1)?.id;
    return page.has_more === true && last !== undefined && models.length > 0 ? { models, nextPageToken: last } : { models };
  },
};
