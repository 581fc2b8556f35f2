// What each emulated upstream says it serves, with the ids, names and limits the real APIs list (late 2025),
// and the pages each API cuts its list into. The emulator answers a chat for any model name; these lists are
// what a gateway discovers, so they hold what a real account of each provider would see, non-chat models
// included where the real list has them (the gateway must leave those out itself).

export interface CatalogModel {
  id: string;
  displayName: string;
  /** Unix seconds. */
  created: number;
  inputTokenLimit?: number;
  outputTokenLimit?: number;
  /** Gemini's supportedGenerationMethods; chat models have generateContent. */
  methods?: readonly string[];
  /** A reasoning model (OpenAI): it takes `reasoning` and answers with reasoning items. */
  reasoning?: boolean;
  /** An embedding model: its vectors' length, and whether a request may ask for fewer (`dimensions`). */
  embedding?: { dimensions: number; shortens: boolean };
}

const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 1000;

/**
 * OpenAI `GET /v1/models`: chat, reasoning and non-chat models alike. The codex models are served by the
 * Responses API only; the Responses endpoint keeps a listed model's rules (reasoning or not).
 */
export const OPENAI_MODELS: readonly CatalogModel[] = [
  { id: 'gpt-4o', displayName: 'GPT-4o', created: day('2024-05-10') },
  { id: 'gpt-4o-mini', displayName: 'GPT-4o mini', created: day('2024-07-16') },
  { id: 'gpt-4.1', displayName: 'GPT-4.1', created: day('2025-04-10') },
  { id: 'gpt-4.1-mini', displayName: 'GPT-4.1 mini', created: day('2025-04-10') },
  { id: 'gpt-5', displayName: 'GPT-5', created: day('2025-08-05'), reasoning: true },
  { id: 'gpt-5-mini', displayName: 'GPT-5 mini', created: day('2025-08-05'), reasoning: true },
  { id: 'gpt-5-codex', displayName: 'GPT-5-Codex', created: day('2025-09-15'), reasoning: true },
  { id: 'gpt-5.1', displayName: 'GPT-5.1', created: day('2025-11-13'), reasoning: true },
  { id: 'gpt-5.1-codex', displayName: 'GPT-5.1-Codex', created: day('2025-11-13'), reasoning: true },
  { id: 'gpt-5.1-codex-mini', displayName: 'GPT-5.1-Codex-Mini', created: day('2025-11-13'), reasoning: true },
  { id: 'o3', displayName: 'o3', created: day('2025-04-09'), reasoning: true },
  { id: 'o4-mini', displayName: 'o4-mini', created: day('2025-04-09'), reasoning: true },
  { id: 'text-embedding-3-small', displayName: 'text-embedding-3-small', created: day('2024-01-22'), embedding: { dimensions: 1536, shortens: true } },
  { id: 'text-embedding-3-large', displayName: 'text-embedding-3-large', created: day('2024-01-22'), embedding: { dimensions: 3072, shortens: true } },
  { id: 'text-embedding-ada-002', displayName: 'text-embedding-ada-002', created: day('2022-12-16'), embedding: { dimensions: 1536, shortens: false } },
];

/** Z.ai / Zhipu GLM (OpenAI-compatible) `GET /api/paas/v4/models`. */
export const GLM_MODELS: readonly CatalogModel[] = [
  { id: 'glm-4.6', displayName: 'GLM-4.6', created: day('2025-09-30') },
  { id: 'glm-4.5', displayName: 'GLM-4.5', created: day('2025-07-28') },
  { id: 'glm-4.5-air', displayName: 'GLM-4.5-Air', created: day('2025-07-28') },
  { id: 'glm-4.5-flash', displayName: 'GLM-4.5-Flash', created: day('2025-07-28') },
];

/** Anthropic `GET /v1/models`, newest first as Anthropic lists them. */
export const ANTHROPIC_MODELS: readonly CatalogModel[] = [
  { id: 'claude-haiku-4-5-20251001', displayName: 'Claude Haiku 4.5', created: day('2025-10-15') },
  { id: 'claude-sonnet-4-5-20250929', displayName: 'Claude Sonnet 4.5', created: day('2025-09-29') },
  { id: 'claude-opus-4-1-20250805', displayName: 'Claude Opus 4.1', created: day('2025-08-05') },
  { id: 'claude-opus-4-20250514', displayName: 'Claude Opus 4', created: day('2025-05-22') },
  { id: 'claude-sonnet-4-20250514', displayName: 'Claude Sonnet 4', created: day('2025-05-22') },
  { id: 'claude-3-7-sonnet-20250219', displayName: 'Claude Sonnet 3.7', created: day('2025-02-24') },
  { id: 'claude-3-5-haiku-20241022', displayName: 'Claude Haiku 3.5', created: day('2024-10-22') },
];

const CHAT = ['generateContent', 'countTokens', 'createCachedContent', 'batchGenerateContent'] as const;

/** Gemini API `GET /v1beta/models`: chat models and an embedding model (embedContent only). */
export const GEMINI_MODELS: readonly CatalogModel[] = [
  { id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', created: 0, inputTokenLimit: 1_048_576, outputTokenLimit: 65_536, methods: CHAT },
  { id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', created: 0, inputTokenLimit: 1_048_576, outputTokenLimit: 65_536, methods: CHAT },
  { id: 'gemini-2.5-flash-lite', displayName: 'Gemini 2.5 Flash-Lite', created: 0, inputTokenLimit: 1_048_576, outputTokenLimit: 65_536, methods: CHAT },
  { id: 'gemini-2.0-flash', displayName: 'Gemini 2.0 Flash', created: 0, inputTokenLimit: 1_048_576, outputTokenLimit: 8_192, methods: CHAT },
  {
    id: 'gemini-embedding-001',
    displayName: 'Gemini Embedding 001',
    created: 0,
    inputTokenLimit: 2_048,
    outputTokenLimit: 1,
    methods: ['embedContent', 'countTextTokens'],
    embedding: { dimensions: 3072, shortens: true },
  },
];

/** Cloud Code `v1internal:fetchAvailableModels`: Gemini, Claude and GPT-OSS models, plus editor-internal entries. */
export const CLOUD_CODE_MODELS: readonly CatalogModel[] = [
  { id: 'gemini-2.5-pro', displayName: 'Gemini 2.5 Pro', created: 0, inputTokenLimit: 1_048_576, outputTokenLimit: 65_535 },
  { id: 'gemini-2.5-flash', displayName: 'Gemini 2.5 Flash', created: 0, inputTokenLimit: 1_048_576, outputTokenLimit: 65_535 },
  { id: 'gemini-2.5-flash-lite', displayName: 'Gemini 2.5 Flash Lite', created: 0, inputTokenLimit: 1_048_576, outputTokenLimit: 65_535 },
  { id: 'gemini-3-pro-high', displayName: 'Gemini 3 Pro (High)', created: 0, inputTokenLimit: 1_048_576, outputTokenLimit: 65_535 },
  { id: 'gemini-3-pro-low', displayName: 'Gemini 3 Pro (Low)', created: 0, inputTokenLimit: 1_048_576, outputTokenLimit: 65_535 },
  { id: 'claude-sonnet-4-5', displayName: 'Claude Sonnet 4.5', created: 0, inputTokenLimit: 200_000, outputTokenLimit: 64_000 },
  { id: 'claude-sonnet-4-5-thinking', displayName: 'Claude Sonnet 4.5 (Thinking)', created: 0, inputTokenLimit: 200_000, outputTokenLimit: 64_000 },
  { id: 'claude-opus-4-1-thinking', displayName: 'Claude Opus 4.1 (Thinking)', created: 0, inputTokenLimit: 200_000, outputTokenLimit: 32_000 },
  { id: 'gpt-oss-120b-medium', displayName: 'GPT-OSS 120B (Medium)', created: 0, inputTokenLimit: 131_072, outputTokenLimit: 32_768 },
  { id: 'chat_20706', displayName: '', created: 0 },
  { id: 'tab_flash_lite_preview', displayName: '', created: 0 },
];

/** OpenAI's list shape (also GLM's): every model at once, no pages. */
export function openAiModelList(models: readonly CatalogModel[], ownedBy: string): object {
  return { object: 'list', data: models.map((m) => ({ id: m.id, object: 'model', created: m.created, owned_by: ownedBy })) };
}

/** Anthropic's page: `limit` (1-1000, default 20) after `after_id` or before `before_id`, in list order. */
export function anthropicModelPage(models: readonly CatalogModel[], query: URLSearchParams): object | { error: string } {
  const limitText = query.get('limit');
  const limit = limitText === null ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return { error: 'limit: Input should be between 1 and 1000' };
  const afterId = query.get('after_id');
  const beforeId = query.get('before_id');
  let page: readonly CatalogModel[];
  let hasMore: boolean;
  if (beforeId !== null) {
    const end = models.findIndex((m) => m.id === beforeId);
    const before = end < 0 ? [] : models.slice(0, end);
    page = before.slice(-limit);
    hasMore = before.length > limit;
  } else {
    const start = afterId === null ? 0 : models.findIndex((m) => m.id === afterId) + 1;
    const after = afterId !== null && start === 0 ? [] : models.slice(start);
    page = after.slice(0, limit);
    hasMore = after.length > limit;
  }
  const data = page.map((m) => ({ type: 'model', id: m.id, display_name: m.displayName, created_at: new Date(m.created * 1000).toISOString() }));
  return { data, has_more: hasMore, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null };
}

/** Gemini's page: `pageSize` (default 50, at most 1000) from an opaque `pageToken`. */
export function geminiModelPage(models: readonly CatalogModel[], query: URLSearchParams): object | { error: string } {
  const sizeText = query.get('pageSize');
  const size = sizeText === null || sizeText === '' || sizeText === '0' ? 50 : Number(sizeText);
  if (!Number.isInteger(size) || size < 0) return { error: 'Invalid value at \'page_size\'' };
  const token = query.get('pageToken');
  let start = 0;
  if (token !== null && token !== '') {
    start = Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, ''));
    if (!Number.isInteger(start) || start < 0 || start > models.length) return { error: 'Invalid page token.' };
  }
  const end = start + Math.min(size, 1000);
  const body: { models: object[]; nextPageToken?: string } = {
    models: models.slice(start, end).map((m) => ({
      name: `models/${m.id}`,
      version: '001',
      displayName: m.displayName,
      description: m.displayName,
      inputTokenLimit: m.inputTokenLimit ?? 0,
      outputTokenLimit: m.outputTokenLimit ?? 0,
      supportedGenerationMethods: [...(m.methods ?? [])],
    })),
  };
  if (end < models.length) body.nextPageToken = Buffer.from(`offset:${end}`).toString('base64url');
  return body;
}

/** Cloud Code's map keyed by model id, with the quota each model has left. */
export function cloudCodeModelMap(models: readonly CatalogModel[], now: number): object {
  const resetTime = new Date(now + 5 * 3_600_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const entries = models.map((m) => {
    if (m.displayName === '') return [m.id, {}];
    const info: Record<string, unknown> = { displayName: m.displayName, quotaInfo: { remainingFraction: 1, resetTime } };
    if (m.inputTokenLimit !== undefined) info.maxTokens = m.inputTokenLimit;
    if (m.outputTokenLimit !== undefined) info.maxOutputTokens = m.outputTokenLimit;
    return [m.id, info];
  });
  return { models: Object.fromEntries(entries) };
}
