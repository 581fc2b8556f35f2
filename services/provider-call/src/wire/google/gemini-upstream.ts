import type { UpstreamTarget } from '../../adapters/provider-adapter.js';
import { joinUrl } from '../../adapters/upstream-headers.js';

/** Gemini model names may come as `models/<name>`; the URL wants the bare name. */
export function bareModelName(model: string): string {
  return model.startsWith('models/') ? model.slice('models/'.length) : model;
}

/**
 * `${base}/v1beta/models/{model}:generateContent` or `:streamGenerateContent?alt=sse`; a base URL
 * that already names the API version (…/v1beta, …/v1) gets only the `/models/…` part.
 */
export function geminiModelUrl(target: UpstreamTarget, stream: boolean): string {
  const version = /\/v1(beta\d*|alpha)?\/*$/.test(target.baseUrl) ? '' : '/v1beta';
  const method = stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
  return joinUrl(target.baseUrl, `${version}/models/${encodeURIComponent(bareModelName(target.model))}:${method}`);
}
