import { AppError } from '@aigw/errors';
import { compareIds, type ListedModel } from '../routing/route-table.js';

/** A parsed query string (express's simple parser: strings, or arrays of them for repeated keys). */
export type Query = Record<string, unknown>;

const GEMINI_METHODS = ['generateContent', 'streamGenerateContent', 'countTokens'] as const;
const PAGE_TOKEN_PREFIX = 'after:';

function invalidParam(param: string, message: string): AppError {
  return new AppError('INVALID_REQUEST', message, { details: { param } });
}

/** An optional non-empty string parameter. */
function stringParam(query: Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw invalidParam(name, `\`${name}\` must be given once`);
  return value;
}

/** An optional integer parameter within [min, max]. */
function intParam(query: Query, name: string, min: number, max: number): number | undefined {
  const text = stringParam(query, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw invalidParam(name, `\`${name}\` must be an integer from ${min} to ${max}`);
  return value;
}

/** OpenAI's model object. */
export function openAiModel(model: ListedModel) {
  return { id: model.id, object: 'model', created: Math.floor(model.createdAtMs / 1000), owned_by: model.ownedBy };
}

/** GET /v1/models, OpenAI's shape: every model at once. */
export function openAiModelList(models: readonly ListedModel[]) {
  return { object: 'list', data: models.map(openAiModel) };
}

/** Anthropic's model object. */
export function anthropicModel(model: ListedModel) {
  return { type: 'model', id: model.id, display_name: model.displayName ?? model.id, created_at: new Date(model.createdAtMs).toISOString() };
}

/** GET /v1/models, Anthropic's shape: pages of `limit` (1–1000, default 20) after `after_id` or before `before_id`. */
export function anthropicModelPage(models: readonly ListedModel[], query: Query) {
  const limit = intParam(query, 'limit', 1, 1000) ?? 20;
  const beforeId = stringParam(query, 'before_id');
  const afterId = stringParam(query, 'after_id');
  let page: readonly ListedModel[];
  let hasMore: boolean;
  if (beforeId !== undefined) {
    const before = models.filter((model) => compareIds(model.id, beforeId) < 0);
    page = before.slice(-limit);
    hasMore = before.length > limit;
  } else {
    const after = afterId === undefined ? models : models.filter((model) => compareIds(model.id, afterId) > 0);
    page = after.slice(0, limit);
    hasMore = after.length > limit;
  }
  return { data: page.map(anthropicModel), has_more: hasMore, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null };
}

/** Gemini's model resource (token limits when the provider's own list gave them). */
export function geminiModel(model: ListedModel) {
  return {
    name: `models/${model.id}`,
    baseModelId: model.id,
    displayName: model.displayName ?? model.id,
    description: `Served by AIGateway through ${model.ownedBy}`,
    ...(model.inputTokenLimit === undefined ? {} : { inputTokenLimit: model.inputTokenLimit }),
    ...(model.outputTokenLimit === undefined ? {} : { outputTokenLimit: model.outputTokenLimit }),
    supportedGenerationMethods: [...GEMINI_METHODS],
  };
}

/** GET /v1beta/models, Gemini's shape: pages of `pageSize` (default 50, at most 1000) from an opaque `pageToken`. */
export function geminiModelPage(models: readonly ListedModel[], query: Query) {
  const pageSize = Math.min(intParam(query, 'pageSize', 0, Number.MAX_SAFE_INTEGER) || 50, 1000);
  const token = stringParam(query, 'pageToken');
  let rest = models;
  if (token !== undefined) {
    const decoded = Buffer.from(token, 'base64url').toString('utf8');
    if (!decoded.startsWith(PAGE_TOKEN_PREFIX)) throw invalidParam('pageToken', '`pageToken` is not a token this gateway issued');
    const afterId = decoded.slice(PAGE_TOKEN_PREFIX.length);
    rest = models.filter((model) => compareIds(model.id, afterId) > 0);
  }
  const page = rest.slice(0, pageSize);
  const last = page.at(-1);
  const body: { models: ReturnType<typeof geminiModel>[]; nextPageToken?: string } = { models: page.map(geminiModel) };
  if (rest.length > pageSize && last) body.nextPageToken = Buffer.from(`${PAGE_TOKEN_PREFIX}${last.id}`).toString('base64url');
  return body;
}
