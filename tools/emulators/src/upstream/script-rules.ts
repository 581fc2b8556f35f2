import { pickSteering, type Steering } from './steering.js';

// Scripted rules steer requests the test cannot touch (e.g. "the next 2 calls with this account's token
// get 429"). First matching rule wins; a rule with `times` expires after that many matches.

export interface ScriptMatch {
  /** Exact credential as sent: the bearer token after "Bearer ", or the API key. */
  credential?: string;
  model?: string;
  /** Request path without the query string, e.g. `/v1/chat/completions`. */
  path?: string;
}

export interface ScriptRule extends Steering {
  match?: ScriptMatch;
  /** Number of requests the rule applies to; forever when absent. */
  times?: number;
}

export interface MatchContext {
  credential: string;
  model: string;
  path: string;
}

interface ActiveRule {
  readonly rule: ScriptRule;
  readonly steering: Steering;
  remaining: number;
}

/** The set of active scripted rules of one emulator. */
export class ScriptBook {
  #rules: ActiveRule[] = [];

  add(rule: ScriptRule): void {
    const checked = parseScriptRule(rule);
    const { match: _match, times, ...steering } = checked;
    this.#rules.push({ rule: checked, steering, remaining: times ?? Infinity });
  }

  clear(): void {
    this.#rules = [];
  }

  /** Active rules with their remaining uses (for GET /_emu/script). */
  list(): Array<ScriptRule & { remaining: number | null }> {
    return this.#rules.map((r) => ({ ...r.rule, remaining: Number.isFinite(r.remaining) ? r.remaining : null }));
  }

  /** Steering of the first rule matching the request, consuming one of its uses. */
  take(ctx: MatchContext): Steering | undefined {
    if (this.#rules.length === 0) return undefined;
    for (let i = 0; i < this.#rules.length; i++) {
      const active = this.#rules[i] as ActiveRule;
      const match = active.rule.match;
      if (match !== undefined) {
        if (match.credential !== undefined && match.credential !== ctx.credential) continue;
        if (match.model !== undefined && match.model !== ctx.model) continue;
        if (match.path !== undefined && match.path !== ctx.path) continue;
      }
      active.remaining--;
      if (active.remaining <= 0) this.#rules.splice(i, 1);
      return active.steering;
    }
    return undefined;
  }
}

const MATCH_KEYS = ['credential', 'model', 'path'] as const;

/** Validates an untrusted rule (from POST /_emu/script); throws TypeError naming the bad field. */
export function parseScriptRule(value: unknown): ScriptRule {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError('rule must be an object');
  const source = value as Record<string, unknown>;
  const rule: ScriptRule = pickSteering(source);
  if (source.match !== undefined) {
    if (typeof source.match !== 'object' || source.match === null) throw new TypeError('match must be an object');
    const match: ScriptMatch = {};
    for (const key of MATCH_KEYS) {
      const v = (source.match as Record<string, unknown>)[key];
      if (v === undefined) continue;
      if (typeof v !== 'string') throw new TypeError(`match.${key} must be a string`);
      match[key] = v;
    }
    rule.match = match;
  }
  if (source.times !== undefined) {
    if (typeof source.times !== 'number' || !Number.isInteger(source.times) || source.times < 1) {
      throw new TypeError('times must be a positive integer');
    }
    rule.times = source.times;
  }
  return rule;
}
