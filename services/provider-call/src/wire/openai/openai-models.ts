import type { ModelListing } from '../../adapters/provider-adapter.js';
import { modelId, pageArray, pageObject, upstreamModel } from '../../adapters/model-entries.js';
import { joinUrl, listHeaders } from '../../adapters/upstream-headers.js';
import { asCount, asRecord } from '../../ir/json-shape.js';

/**
 * OpenAI-compatible `GET {base}/models`: `{object:"list", data:[{id, created, owned_by}]}`, all at once.
 * Some compatible servers (vLLM, LiteLLM) add `max_model_len` or `context_window`; taken when present.
 */
export const openAiModelListing: ModelListing = {
  pageRequest: (target) => ({ method: 'GET', url: joinUrl(target.baseUrl, '/models'), headers: listHeaders(target), body: '' }),
  readPage(body) {
    const models = [];
    for (const entry of pageArray(pageObject(body, 'OpenAI'), 'data', 'OpenAI')) {
      const model = asRecord(entry);
      const id = modelId(model?.id);
      if (model === undefined || id === undefined) continue;
      models.push(upstreamModel(id, { inputTokenLimit: model.max_model_len ?? model.context_window, createdAt: asCount(model.created) }));
    }
    return { models };
  },
};
