/** One active row of model_routes, with its provider's name. */
export interface RouteRule {
  id: number;
  pattern: string;
  providerId: number;
  providerName: string;
  upstreamModel: string | null;
  priority: number;
  fallbackModel: string | null;
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
    let rule = this.memo.get(model);
    if (rule === undefined) {
      rule = this.rules.find((candidate) => candidate.matches(model))?.rule ?? null;
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      this.memo.set(model, rule);
    }
    if (rule === null) return undefined;
    return {
      routeId: rule.id,
      providerId: rule.providerId,
      providerName: rule.providerName,
      model,
      upstreamModel: rule.upstreamModel ?? model,
      fallbackModel: rule.fallbackModel,
    };
  }

  /** Concrete model names a client can ask for: non-wildcard patterns, each owned by its provider. */
  listModels(): { id: string; ownedBy: string }[] {
    const seen = new Map<string, string>();
    for (const { rule } of this.rules) {
      if (!rule.pattern.includes('*') && !seen.has(rule.pattern)) seen.set(rule.pattern, rule.providerName);
      const upstream = rule.upstreamModel;
      if (upstream && !upstream.includes('*') && !seen.has(upstream) && this.resolve(upstream)) {
        seen.set(upstream, rule.providerName);
      }
    }
    return [...seen].map(([id, ownedBy]) => ({ id, ownedBy })).sort((a, b) => a.id.localeCompare(b.id));
  }
}
