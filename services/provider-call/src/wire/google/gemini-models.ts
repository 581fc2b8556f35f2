import type { ModelListing } from '../../adapters/provider-adapter.js';
import { modelId, pageArray, pageObject, upstreamModel } from '../../adapters/model-entries.js';
import { joinUrl, listHeaders } from '../../adapters/upstream-headers.js';
import { asArray, asRecord, asString } from '../../ir/json-shape.js';
import { bareModelName } from './gemini-upstream.js';

/** The Gemini API's largest page. */
const PAGE_SIZE = 1000;

/**
 * The Gemini API's `GET {base}/v1beta/models?pageSize=&pageToken=`: `{models:[{name:"models/…", displayName,
 * inputTokenLimit, outputTokenLimit, supportedGenerationMethods}], nextPageToken}`. Only models that answer
 * generateContent (chat) and embedContent (embeddings, served through POST /v1/embeddings) are models the
 * gateway can call (the list also holds image and other models); `models/` is dropped, as clients send the bare name.
 */
export const geminiModelListing: ModelListing = {
  pageRequest(target, pageToken) {
    const version = /\/v1(beta\d*|alpha)?\/*$/.test(target.baseUrl) ? '' : '/v1beta';
    const query = new URLSearchParams({ pageSize: String(PAGE_SIZE) });
    if (pageToken !== undefined) query.set('pageToken', pageToken);
    return { method: 'GET', url: `${joinUrl(target.baseUrl, `${version}/models`)}?${query.toString()}`, headers: listHeaders(target), body: '' };
  },
  readPage(body) {
    const page = pageObject(body, 'Gemini');
    const models = [];
    // An empty list comes without the field at all, as protobuf JSON leaves out empty repeated fields.
    for (const entry of page.models === undefined ? [] : pageArray(page, 'models', 'Gemini')) {
      const model = asRecord(entry);
      const name = modelId(model?.name);
      if (model === undefined || name === undefined) continue;
      const methods = asArray(model.supportedGenerationMethods) ?? [];
      if (!methods.includes('generateContent') && !methods.includes('embedContent')) continue;
      models.push(upstreamModel(bareModelName(name), model));
    }
    const next = asString(page.nextPageToken);
    return next === undefined || next === '' ? { models } : { models, nextPageToken: next };
  },
};
