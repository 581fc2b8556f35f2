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
  return geminiMethodUrl(target, stream ? 'streamGenerateContent?alt=sse' : 'generateContent');
}

/** `${base}/v1beta/models/{model}:{method}` (e.g. countTokens), with the same version rule. */
export function geminiMethodUrl(target: UpstreamTarget, method: string): string {
  const version = /\/v1(beta\d*|alpha)?\/*$/.test(target.baseUrl) ? '' : '/v1beta';
  return joinUrl(target.baseUrl, `${version}/models/${encodeURIComponent(bareModelName(target.model))}:${method}`);
}
