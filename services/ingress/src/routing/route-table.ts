import type { PriceOverride } from '@aigw/pricing';

/** One active row of model_routes, with its provider's name. */
export interface RouteRule {
  id: number;
  pattern: string;
  providerId: number;
  providerName: string;
  upstreamModel: string | null;
  priority: number;
  fallbackModel: string | null;
  /** Keep each conversation on one account while it is healthy (session affinity). */
  sessionAffinity: boolean;
  /** Whether the provider had at least one active account when the table was loaded (model lists only). */
  providerHasAccounts: boolean;
  /** When the route was created (ms since epoch); model lists show it as the model's creation time. */
  createdAtMs: number;
  /** Names the operator lists for this route (model_routes.models), e.g. for a wildcard pattern. */
  models?: readonly string[];
  /** Names the operator says the route's provider serves (providers.models). */
  providerModels?: readonly string[];
  /** The provider's adapter kind (openai, anthropic, gemini, antigravity): how the price table names its models. */
  providerKind?: string;
  /** The operator's price (the route's, else its provider's); null = the price table. */
  price?: PriceOverride | null;
}

/** Where a client model goes. */
export interface ResolvedRoute {
  routeId: number;
  providerId: number;
  providerName: string;
  /** The model the client asked for. */
  model: string;
  /** The model sent upstream: the route's upstream model, else the client's. */
  upstreamModel: string;
  fallbackModel: string | null;
  sessionAffinity: boolean;
  /** The provider's adapter kind, for pricing ('' when unknown). */
  providerKind?: string;
  /** The operator's price for this route; null = the price table. */
  price?: PriceOverride | null;
}

/** A model as the model-list endpoints show it. */
export interface ListedModel {
  id: string;
  providerId: number;
  /** Name of the provider that serves it. */
  ownedBy: string;
  createdAtMs: number;
  /** What the provider's own model list says, when it says it. */
  displayName?: string;
  inputTokenLimit?: number;
  outputTokenLimit?: number;
}

/** A provider the routing table sends models to. */
export interface RoutedProvider {
  providerId: number;
  providerName: string;
}

interface CompiledRule {
  rule: RouteRule;
  matches: (model: string) => boolean;
}

/** `*` matches any run of characters; everything else is literal. */
export function compilePattern(pattern: string): (model: string) => boolean {
  if (!pattern.includes('*')) return (model) => model === pattern;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 's');
  return (model) => regex.test(model);
}

/** Highest priority first, then the longest (most specific) pattern, then the oldest row. */
function byPrecedence(a: RouteRule, b: RouteRule): number {
  return b.priority - a.priority || b.pattern.length - a.pattern.length || a.id - b.id;
}

/** Code-unit order, the same on every machine (model-list pages depend on it). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const MEMO_LIMIT = 10_000;

/** An immutable snapshot of the routing rules; a new one replaces it on every refresh. */
export class RouteTable {
  private readonly rules: CompiledRule[];
  private readonly memo = new Map<string, RouteRule | null>();

  constructor(rules: readonly RouteRule[]) {
    this.rules = [...rules].sort(byPrecedence).map((rule) => ({ rule, matches: compilePattern(rule.pattern) }));
  }

  get size(): number {
    return this.rules.length;
  }

  /** The route for `model`, or undefined when no pattern matches. */
  resolve(model: string): ResolvedRoute | undefined {
    const rule = this.ruleFor(model);
    if (rule === null) return undefined;
    return {
      routeId: rule.id,
      providerId: rule.providerId,
      providerName: rule.providerName,
      model,
      upstreamModel: rule.upstreamModel ?? model,
      fallbackModel: rule.fallbackModel,
      sessionAffinity: rule.sessionAffinity,
      providerKind: rule.providerKind ?? '',
      price: rule.price ?? null,
    };
  }

  /** `model` as a model list shows it, when it is routed to a provider with an active account. */
  describe(model: string): ListedModel | undefined {
    const rule = this.ruleFor(model);
    if (rule === null || !rule.providerHasAccounts) return undefined;
    return { id: model, providerId: rule.providerId, ownedBy: rule.providerName, createdAtMs: rule.createdAtMs };
  }

  /** The providers with an active account that at least one route points to (whose models can be listed). */
  providersWithAccounts(): RoutedProvider[] {
    const found = new Map<number, RoutedProvider>();
    for (const { rule } of this.rules) {
      if (rule.providerHasAccounts && !found.has(rule.providerId)) found.set(rule.providerId, { providerId: rule.providerId, providerName: rule.providerName });
    }
    return [...found.values()];
  }

  /**
   * The models a client can list from the routing table alone. Candidates are the concrete names the operator
   * wrote: every pattern without `*`, every upstream model without `*` (so a wildcard route lists only its
   * upstream model, if it has one) and every name in a route's `models`. A candidate is listed when it
   * resolves (a higher-priority route may own it: that route's provider is shown) to a provider with at least
   * one active account. A name in a provider's `models` is listed only when it resolves to that provider, as
   * a discovered one is (model-listing.ts). Sorted by id.
   */
  listModels(): ListedModel[] {
    const listed = new Map<string, ListedModel>();
    const consider = (name: string | null, providerId?: number) => {
      if (!name || name.includes('*') || listed.has(name)) return;
      const model = this.describe(name);
      if (model && (providerId === undefined || model.providerId === providerId)) listed.set(name, model);
    };
    for (const { rule } of this.rules) {
      consider(rule.pattern);
      consider(rule.upstreamModel);
      for (const name of rule.models ?? []) consider(name);
      for (const name of rule.providerModels ?? []) consider(name, rule.providerId);
    }
    return [...listed.values()].sort((a, b) => compareIds(a.id, b.id));
  }

  private ruleFor(model: string): RouteRule | null {
    let rule = this.memo.get(model);
    if (rule === undefined) {
      rule = this.rules.find((candidate) => candidate.matches(model))?.rule ?? null;
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(model, rule);
    }
    return rule;
  }
}
