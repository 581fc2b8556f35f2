import { createHash } from 'node:crypto';
import type { WireFormatName } from './request-log.js';
import { countWords } from './words.js';

// A provider's prompt cache, as clients see it: a request whose conversation prefix (system prompt and earlier
// turns) the same account sent a little while ago reads that prefix from cache and says so in its usage.
// Real providers keep the cache per account or organisation, which is why session affinity matters; so does this
// one (per credential). Off unless asked for: most tests predict usage exactly without it.

/** One conversation prefix: its identity and its input tokens (the emulator's word tokens). */
export interface PromptPrefix {
  key: string;
  tokens: number;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[name] : undefined;
}

/** System prompt first, then the turns, in the request's own format (Cloud Code wraps Gemini's in `request`). */
function turnsOf(format: WireFormatName, body: unknown): unknown[] {
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  switch (format) {
    case 'openai':
      return list(field(body, 'messages'));
    case 'responses':
      return [field(body, 'instructions') ?? null, ...list(field(body, 'input'))];
    case 'anthropic':
      return [field(body, 'system') ?? null, ...list(field(body, 'messages'))];
    case 'gemini':
      return [field(body, 'systemInstruction') ?? null, ...list(field(body, 'contents'))];
    case 'antigravity': {
      const request = field(body, 'request');
      return [field(request, 'systemInstruction') ?? null, ...list(field(request, 'contents'))];
    }
  }
}

/** Words of the text in a turn (`content` strings and `text` parts; not roles or part types), as the emulator counts input. */
function wordsIn(value: unknown, textual = true): number {
  if (typeof value === 'string') return textual ? countWords(value) : 0;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + wordsIn(item, textual), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let words = 0;
  for (const [name, item] of Object.entries(value)) {
    if (typeof item === 'string') words += name === 'text' || name === 'content' ? countWords(item) : 0;
    else words += wordsIn(item, false);
  }
  return words;
}

/**
 * The prefixes a request could read from cache, shortest first: everything before its newest turn, cut at
 * every turn. Cache breakpoints (`cache_control`) are ignored, as clients move them from turn to turn.
 */
export function promptPrefixes(format: WireFormatName, body: unknown): PromptPrefix[] {
  const turns = turnsOf(format, body).slice(0, -1);
  const hash = createHash('sha256').update(format);
  const prefixes: PromptPrefix[] = [];
  let tokens = 0;
  for (const turn of turns) {
    hash.update(JSON.stringify(turn, (name, value: unknown) => (name === 'cache_control' ? undefined : value)) ?? 'null');
    tokens += wordsIn(turn);
    prefixes.push({ key: hash.copy().digest('base64url'), tokens });
  }
  return prefixes;
}

/** Prompt prefixes seen per credential, each for `ttlMs` after its last use. */
export class PromptCache {
  readonly #byCredential = new Map<string, Map<string, number>>();

  constructor(
    private readonly ttlMs = 5 * 60_000,
    private readonly maxPerCredential = 10_000,
  ) {}

  /** Tokens of the longest prefix this credential sent within the TTL (0 when none); then remembers them all. */
  read(credential: string, prefixes: readonly PromptPrefix[], now = Date.now()): number {
    let seen = this.#byCredential.get(credential);
    if (seen === undefined) this.#byCredential.set(credential, (seen = new Map()));
    let cached = 0;
    for (const prefix of prefixes) {
      const expires = seen.get(prefix.key);
      if (expires !== undefined && expires > now) cached = prefix.tokens;
      // Re-inserted, so that the map's order is least recently used first.
      seen.delete(prefix.key);
      seen.set(prefix.key, now + this.ttlMs);
    }
    while (seen.size > this.maxPerCredential) seen.delete(seen.keys().next().value as string);
    return cached;
  }
}
