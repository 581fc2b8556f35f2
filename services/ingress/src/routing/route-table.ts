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
}

/** A model as the model-list endpoints show it. */
export interface ListedModel {
  id: string;
  /** Name of the provider that serves it. */
  ownedBy: string;
  createdAtMs: number;
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
    };
  }

  /** `model` as a model list shows it, when it is routed to a provider with an active account. */
  describe(model: string): ListedModel | undefined {
    const rule = this.ruleFor(model);
    if (rule === null || !rule.providerHasAccounts) return undefined;
    return { id: model, ownedBy: rule.providerName, createdAtMs: rule.createdAtMs };
  }

  /**
   * The models a client can list. Candidates are the concrete names the operator wrote: every pattern
   * without `*`, and every upstream model without `*` (so a wildcard route lists only its upstream model,
   * if it has one). A candidate is listed when it resolves (a higher-priority route may own it: that
   * route's provider is shown) to a provider with at least one active account. Sorted by id.
   */
  listModels(): ListedModel[] {
    const listed = new Map<string, ListedModel>();
    for (const { rule } of this.rules) {
      for (const name of [rule.pattern, rule.upstreamModel]) {
        if (!name || name.includes('*') || listed.has(name)) continue;
        const model = this.describe(name);
        if (model) listed.set(name, model);
      }
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
