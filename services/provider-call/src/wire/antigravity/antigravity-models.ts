import { AppError } from '@aigw/errors';
import type { ModelListing } from '../../adapters/provider-adapter.js';
import { modelId, pageObject, upstreamModel } from '../../adapters/model-entries.js';
import { joinUrl, upstreamHeaders } from '../../adapters/upstream-headers.js';
import { asRecord, asString } from '../../ir/json-shape.js';

/**
 * Editor-internal entries of the Cloud Code list (tab completion, numbered chat experiments): not models a
 * client can ask for by name, so they are left out, by shape rather than by a list of ids that would age.
 */
export function isInternalCloudCodeModel(id: string): boolean {
  return id.startsWith('tab_') || /^chat_\d+$/.test(id);
}

/**
 * Cloud Code's `POST {base}/v1internal:fetchAvailableModels` with `{project}` (the account's, when it has one):
 * `{models:{"<id>":{displayName, maxTokens, maxOutputTokens, quotaInfo, …}}}`, a map keyed by model id, all at once.
 */
export const antigravityModelListing: ModelListing = {
  pageRequest(target) {
    const project = asString(target.settings.project);
    return {
      url: joinUrl(target.baseUrl, '/v1internal:fetchAvailableModels'),
      headers: upstreamHeaders(target, false),
      body: JSON.stringify(project === undefined || project === '' ? {} : { project }),
    };
  },
  readPage(body) {
    const page = pageObject(body, 'Cloud Code');
    if (page.models === undefined) return { models: [] };
    const entries = asRecord(page.models);
    if (entries === undefined) throw new AppError('UPSTREAM_ERROR', 'Cloud Code model list has no "models" object');
    const models = [];
    for (const [key, value] of Object.entries(entries)) {
      const id = modelId(key);
      const model = asRecord(value) ?? {};
      if (id === undefined || isInternalCloudCodeModel(id)) continue;
      models.push(upstreamModel(id, { displayName: model.displayName, inputTokenLimit: model.maxTokens, outputTokenLimit: model.maxOutputTokens }));
    }
    return { models };
  },
};
