import { createHash, type Hash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { conversationOpening } from '@aigw/formats';
import type { ClientProtocol } from '../protocol/client-protocol.js';

// Session affinity (DESIGN.md section 8): the key that names one conversation, taken from what clients already
// send. Selector binds it to an account; this file only derives it. The key is a digest (no client text reaches
// Redis) scoped to the client key, so two tenants never share a binding.

/**
 * Headers that carry a per-conversation id, most specific first: Claude Code (2.1.86+), Codex (`session_id`
 * before, `session-id` now; `conversation_id` in older builds), and the generic ones other agents and proxies use.
 */
export const SESSION_HEADERS = ['x-claude-code-session-id', 'session-id', 'session_id', 'conversation_id', 'x-session-id'] as const;

/** Where the key came from; part of the digest, so that ids of different kinds never collide. */
export type AffinitySource = 'session' | 'cache-key' | 'prompt';

/** Longest id taken from a header or field; longer values are not ids (and are not hashed whole). */
const MAX_ID_LENGTH = 512;
/** Characters of the system prompt and first message that go into the fallback digest. */
const PROMPT_BUDGET = 32 * 1024;
/** Nesting followed into the first message; deeper parts do not tell conversations apart in practice. */
const MAX_DEPTH = 16;

/** A non-blank string id of sane length, trimmed. */
function idOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const id = value.trim();
  return id !== '' && id.length <= MAX_ID_LENGTH ? id : undefined;
}

function fieldOf(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>)[name] : undefined;
}

/**
 * The session id inside Anthropic's `metadata.user_id` as Claude Code writes it: a JSON string with
 * `session_id` (2.1.78+), or `user_<hash>_account_<uuid>_session_<uuid>` before. Undefined for any other value
 * (an end-user id, which names a person rather than a conversation).
 */
export function claudeCodeSessionId(userId: string): string | undefined {
  if (userId.startsWith('{')) {
    try {
      return idOf(fieldOf(JSON.parse(userId), 'session_id'));
    } catch {
      return undefined;
    }
  }
  return /_session_([0-9a-fA-F-]{8,64})$/.exec(userId)?.[1];
}

/** The first session header the request carries. */
function sessionHeader(headers: IncomingHttpHeaders): string | undefined {
  for (const name of SESSION_HEADERS) {
    const value = headers[name];
    const id = idOf(Array.isArray(value) ? value[0] : value);
    if (id !== undefined) return id;
  }
  return undefined;
}

/** What opens the conversation: the system prompt and the first non-system message, per client format. */
function conversationStart(protocol: ClientProtocol, body: unknown): unknown[] {
  if (protocol === 'gemini') {
    const contents = fieldOf(body, 'contents');
    return [fieldOf(body, 'systemInstruction') ?? fieldOf(body, 'system_instruction'), Array.isArray(contents) ? contents[0] : undefined];
  }
  // Responses: `instructions` and the first input item, alike however the item is written (a string input,
  // or that message carried into a continuation).
  if (protocol === 'responses') return conversationOpening(body);
  const messages = fieldOf(body, 'messages');
  const list: unknown[] = Array.isArray(messages) ? messages : [];
  if (protocol === 'anthropic') return [fieldOf(body, 'system'), list[0]];
  // OpenAI: the leading system/developer messages are the system prompt.
  const first = list.findIndex((message) => {
    const role = fieldOf(message, 'role');
    return role !== 'system' && role !== 'developer';
  });
  return first < 0 ? list : list.slice(0, first + 1);
}

/**
 * Feeds a JSON value into the hash, structure included, until the budget of characters is spent. Skips
 * `cache_control`: clients move their cache breakpoints from turn to turn (Claude Code marks the latest
 * messages), and the conversation must hash the same on every turn.
 */
function feed(hash: Hash, value: unknown, budget: { chars: number }, depth = 0): void {
  if (budget.chars <= 0 || depth > MAX_DEPTH) return;
  budget.chars -= 1;
  if (typeof value === 'string') {
    const text = value.length > budget.chars ? value.slice(0, budget.chars) : value;
    budget.chars -= text.length;
    hash.update(`"${text.length}:`).update(text);
  } else if (typeof value === 'number' || typeof value === 'boolean' || value === null) {
    hash.update(`#${String(value)}`);
  } else if (Array.isArray(value)) {
    hash.update('[');
    for (const item of value) feed(hash, item, budget, depth + 1);
    hash.update(']');
  } else if (typeof value === 'object') {
    hash.update('{');
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      if (name === 'cache_control' || item === undefined) continue;
      hash.update(`${name}=`);
      feed(hash, item, budget, depth + 1);
    }
    hash.update('}');
  } else {
    hash.update('~');
  }
}

/** Where the conversation's identity comes from, before hashing. */
export function affinitySource(protocol: ClientProtocol, headers: IncomingHttpHeaders, body: unknown): { source: AffinitySource; id?: string; user?: string } {
  const header = sessionHeader(headers);
  if (header !== undefined) return { source: 'session', id: header };
  const userId = idOf(fieldOf(fieldOf(body, 'metadata'), 'user_id'));
  const claudeSession = protocol === 'anthropic' && userId !== undefined ? claudeCodeSessionId(userId) : undefined;
  if (claudeSession !== undefined) return { source: 'session', id: claudeSession };
  const openAi = protocol === 'openai' || protocol === 'responses';
  const cacheKey = openAi ? idOf(fieldOf(body, 'prompt_cache_key')) : undefined;
  if (cacheKey !== undefined) return { source: 'cache-key', id: cacheKey };
  // `user` / `safety_identifier` (OpenAI; the second replaces the first) and a plain `metadata.user_id`
  // (Anthropic) name a person, not a conversation: they only scope the prompt digest, as OpenAI's own cache
  // routing combines its key with the prompt prefix.
  const user = openAi ? (idOf(fieldOf(body, 'safety_identifier')) ?? idOf(fieldOf(body, 'user'))) : protocol === 'anthropic' ? userId : undefined;
  return user === undefined ? { source: 'prompt' } : { source: 'prompt', user };
}

/**
 * The affinity key of one request: `<client key id>:<source>:<digest>`. The digest covers a session id
 * (session header, Claude Code's `metadata.user_id`), else OpenAI's `prompt_cache_key`, else (a Responses
 * continuation's stored key, `continued`, or) the system prompt and the first message (with `user` /
 * `safety_identifier` / `metadata.user_id` when present) of the already parsed body, read up to a bounded
 * number of characters: cheap, and never the whole body.
 */
export function affinityKey(protocol: ClientProtocol, headers: IncomingHttpHeaders, body: unknown, apiKeyId: number, continued?: string): string {
  const found = affinitySource(protocol, headers, body);
  // A Responses continuation (`previous_response_id`) with nothing naming its session keeps the key its
  // conversation was stored with, whatever this turn's instructions say.
  if (continued !== undefined && found.source === 'prompt') return continued;
  const hash = createHash('sha256').update(`${found.source}\n`);
  if (found.id !== undefined) hash.update(found.id);
  else {
    hash.update(`${found.user ?? ''}\n`);
    const budget = { chars: PROMPT_BUDGET };
    for (const part of conversationStart(protocol, body)) feed(hash, part, budget);
  }
  return `${apiKeyId}:${found.source}:${hash.digest('base64url').slice(0, 22)}`;
}
