import { DIRECTIVE_PATTERN } from './steering.js';

// The format-neutral "what to answer": every wire format parses its request into a ChatRequest and
// renders the same Reply, so a request gets the same text and token counts whatever format it used.
// Everything here is deterministic so tests (here and in other packages) can assert exact content.

/** What every wire format extracts from its request body. */
export interface ChatRequest {
  model: string;
  stream: boolean;
  /** Text of the last user message (its text parts joined by "\n"); where steering directives live. */
  lastUserText: string;
  /** Whitespace-separated words of all input text: system prompt and every message. */
  inputTokens: number;
  /** Output cap asked by the client (max_tokens, maxOutputTokens), in the emulator's word tokens. */
  maxOutputTokens?: number;
  /** Whether a stream ends with usage (OpenAI only when stream_options.include_usage). */
  streamUsage: boolean;
}

export type FinishReason = 'stop' | 'length';

export interface Reply {
  text: string;
  inputTokens: number;
  outputTokens: number;
  finish: FinishReason;
}

/** Longest echo of the user text kept in a reply, in characters (code points). */
export const ECHO_LIMIT = 200;

/**
 * The full (uncut) reply text for a model and the last user text: `Hello from <model>: <echo>`, where
 * the echo is the user text without `[emu ...]` directives, trimmed and capped at ECHO_LIMIT.
 */
export function composeReplyText(model: string, lastUserText: string): string {
  const withoutDirectives = lastUserText.includes('[emu') ? lastUserText.replace(DIRECTIVE_PATTERN, ' ') : lastUserText;
  let echo = withoutDirectives.trim();
  if (echo.length > ECHO_LIMIT) echo = Array.from(echo).slice(0, ECHO_LIMIT).join('').trimEnd();
  return echo === '' ? `Hello from ${model}.` : `Hello from ${model}: ${echo}`;
}

/** Counts whitespace-separated words: the emulator's token unit. */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const space = c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xa0;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

/** Keeps the first `words` words of the text, with their original spacing. */
export function truncateWords(text: string, words: number): string {
  if (words <= 0) return '';
  let seen = 0;
  for (const match of text.matchAll(/\S+/g)) {
    seen++;
    if (seen === words) return text.slice(0, match.index + match[0].length);
  }
  return text;
}

/** Builds the reply for a parsed request, cutting it to maxOutputTokens when that is smaller. */
export function buildReply(req: ChatRequest): Reply {
  const full = composeReplyText(req.model, req.lastUserText);
  const fullTokens = countWords(full);
  const cap = req.maxOutputTokens;
  if (cap !== undefined && cap < fullTokens) {
    const text = truncateWords(full, cap);
    return { text, inputTokens: req.inputTokens, outputTokens: countWords(text), finish: 'length' };
  }
  return { text: full, inputTokens: req.inputTokens, outputTokens: fullTokens, finish: 'stop' };
}

/**
 * Splits text into `parts` pieces of near-equal length (fewer when the text is shorter), never inside
 * a surrogate pair. Joining the pieces gives the text back.
 */
export function splitIntoChunks(text: string, parts: number): string[] {
  const chars = Array.from(text);
  const n = Math.max(1, Math.min(Math.floor(parts), chars.length));
  if (n === 1) return [text];
  const pieces: string[] = [];
  for (let i = 0; i < n; i++) {
    const from = Math.floor((i * chars.length) / n);
    const to = Math.floor(((i + 1) * chars.length) / n);
    pieces.push(chars.slice(from, to).join(''));
  }
  return pieces;
}
