// The admin API's JSON shapes the console reads (CONTRACT: issue 15).

export interface List<T> {
  data: T[];
}

/** The operator's price (USD per million tokens) on a provider or route; null: the price table's. */
export interface Price {
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok?: number;
  cacheWritePerMTok?: number;
}

export interface Provider {
  id: number;
  name: string;
  kind: string;
  wire: string | null;
  baseUrl: string;
  models: string[] | null;
  isActive: boolean;
  price: Price | null;
}

export interface ModelRoute {
  id: number;
  pattern: string;
  providerId: number;
  provider: string;
  upstreamModel: string | null;
  priority: number;
  fallbackModel: string | null;
  sessionAffinity: boolean;
  isActive: boolean;
  price: Price | null;
}

export interface Account {
  id: number;
  providerId: number;
  provider: string;
  label: string;
  authType: string;
  baseUrl: string | null;
  proxyId: number | null;
  egress: 'pool' | 'direct';
  waitingForProxy: boolean;
  isActive: boolean;
  rateLimitPerMin: number | null;
  lastUsedAt: string | null;
  usageCount: number;
  createdAt: string;
}

export interface Cooldown {
  model: string | null;
  reason: string;
  until: string;
  retryAfterSource: string;
}

export interface AccountState {
  accountId: number;
  label: string;
  providerId: number;
  provider: string;
  isActive: boolean;
  status: 'active' | 'cooling' | 'disabled' | 'waiting_for_proxy';
  cooldowns: Cooldown[];
  quotaResetAt: string | null;
  /** False when Redis did not answer: the live fields are then empty or null. */
  stateAvailable: boolean;
  rateWindow: { requests: number | null; windowSeconds: number; limit: number | null };
  lastUsedAt: string | null;
  lastError: { class: string; status: number; at: string; message: string } | null;
  affinityBindings: number | null;
  proxy: { id: number; label: string; url: string; healthy: boolean } | null;
}

export interface Proxy {
  id: number;
  label: string;
  proxyUrl: string;
  capacity: number;
  maxFailures: number;
  failureCount: number;
  isActive: boolean;
  accounts: number;
}

export interface Assignment {
  proxyId: number;
  label: string;
  capacity: number;
  isActive: boolean;
  used: number;
  accounts: Array<{ id: number; label: string }>;
}

export interface KeySpend {
  periodStart: string;
  periodEnd: string | null;
  spentUsd: number;
  remainingUsd: number | null;
}

export interface ApiKey {
  id: number;
  name: string;
  prefix: string;
  rateLimitPerMin: number | null;
  tokensPerMin: number | null;
  maxBudget: number | null;
  /** Null without a budget. */
  budgetPeriod: 'day' | 'week' | 'month' | 'total' | null;
  expiresAt: string | null;
  /** Null: every model; []: none. */
  models: string[] | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  spend: KeySpend | null;
}

export interface UsageRow {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  costUsd: number;
}

export interface KeyUsage {
  keyId: number;
  from: string;
  days: Array<UsageRow & { day: string }>;
  byModel: Array<UsageRow & { model: string }>;
  totals: UsageRow;
}

export interface RequestLog {
  id: number;
  requestId: string;
  clientRequestId: string | null;
  apiKeyId: number | null;
  providerId: number | null;
  model: string;
  upstreamModel: string | null;
  accountId: number | null;
  proxyId: number | null;
  statusCode: number;
  inputTokens: number;
  outputTokens: number;
  cachedTokens: number;
  latencyMs: number;
  upstreamLatencyMs: number;
  errorClass: string | null;
  isStream: boolean;
  attempts: number;
  clientFormat: string;
  droppedFields: string | null;
  affinity: string | null;
  costUsd: number | null;
  startedAt: string;
  createdAt: string;
}

export interface TimeseriesPoint {
  t: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface Timeseries {
  bucket: 'hour' | 'day';
  from: string;
  to: string;
  series: Array<{ key: string; label: string; points: TimeseriesPoint[] }>;
}

export interface OAuthLogin {
  id: string;
  providerId: number;
  provider: string;
  kind: 'antigravity' | 'anthropic' | 'openai';
  label: string | null;
  egress: 'pool' | 'direct';
  authorizationUrl: string;
  redirectUri: string;
  createdAt: string;
  expiresAt: string;
  status: 'pending' | 'completed' | 'failed' | 'expired';
  accountId: number | null;
  error: string | null;
}

/** POST /oauth/logins/:id/complete: the login, and the account it made (or renewed). */
export interface CompletedLogin extends OAuthLogin {
  accountCreated: boolean;
  account: Account;
}

export interface ImportResult {
  name: string;
  status: 'imported' | 'skipped' | 'failed';
  format: string | null;
  accountId: number | null;
  label: string | null;
  message: string | null;
}
