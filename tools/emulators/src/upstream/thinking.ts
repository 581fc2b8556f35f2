import { createHash } from 'node:crypto';
import { countWords } from './words.js';

// The deterministic reasoning block an answer starts with when thinking is on. Its signature is derived
// from the text (not random), so the same request always yields the same block and a later version can
// check that a client handed back the signature unchanged.

export interface Thinking {
  text: string;
  /** Opaque signature (Anthropic `signature`, Google `thoughtSignature`). */
  signature: string;
  /** Reasoning tokens, in words. */
  tokens: number;
}

/** What the answer after the reasoning is, which the reasoning text names. */
export type ThinkingPlan = { kind: 'text' } | { kind: 'tool-call'; tool: string } | { kind: 'tool-result'; tools: string[] };

/** The signature of a reasoning text. */
export function thinkingSignature(text: string): string {
  return `emu1${createHash('sha256').update(text).digest('base64')}`;
}

/** The reasoning block for a request whose (directive-free, capped) user text is `echo`. */
export function composeThinking(echo: string, plan: ThinkingPlan): Thinking {
  const asked = echo === '' ? 'The request has no text.' : `The user wrote: ${echo}.`;
  let next: string;
  if (plan.kind === 'tool-call') next = `I should call the tool ${plan.tool} with arguments from its schema.`;
  else if (plan.kind === 'tool-result') next = `The tool ${plan.tools.join(', ')} answered, so I report its result.`;
  else next = 'I should answer with a greeting that echoes it.';
  const text = `${asked} ${next}`;
  return { text, signature: thinkingSignature(text), tokens: countWords(text) };
}
