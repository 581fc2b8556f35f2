import type { Reply } from './reply.js';
import { answerPieces, textPieces } from './stream-pieces.js';
import { countWords } from './words.js';

// Response pieces shared by the Google formats (Gemini, Cloud Code Assist): candidate parts, usage,
// finish reason. Reasoning is `{text, thought: true}` parts, the last of them carrying the
// `thoughtSignature` (Cloud Code serving Claude puts it there; Gemini 3 may put it on the next part);
// a tool call is one whole `functionCall` part, in streams too, as Google sends it.

/** Google frames SSE events with CRLF; so do we, so parsers that only split on "\n\n" fail here. */
export const GOOGLE_SSE_END = '\r\n\r\n';

type Part = Record<string, unknown>;

/** One streamed part and the output counted so far (Gemini repeats cumulative usage in every chunk). */
export interface StreamStep {
  part: Part;
  candidatesTokens: number;
  thoughtsTokens: number;
}

export function googleFinishReason(reply: Reply): string {
  return reply.finish === 'length' ? 'MAX_TOKENS' : 'STOP';
}

/**
 * usageMetadata: cachedContentTokenCount is part of promptTokenCount, thoughtsTokenCount is not part of
 * candidatesTokenCount (both are part of totalTokenCount). Counts default to the whole reply's.
 */
export function googleUsage(reply: Reply, candidates = reply.outputTokens, thoughts = reply.thinking?.tokens ?? 0): Part {
  const cached = reply.cachedTokens ?? 0;
  const prompt = reply.inputTokens + cached;
  const usage: Part = { promptTokenCount: prompt, candidatesTokenCount: candidates, totalTokenCount: prompt + candidates + thoughts };
  if (cached > 0) usage.cachedContentTokenCount = cached;
  if (reply.thinking !== undefined) usage.thoughtsTokenCount = thoughts;
  return usage;
}

/** Parts of a whole (non-streamed) answer. */
export function answerParts(reply: Reply): Part[] {
  const parts: Part[] = [];
  if (reply.thinking !== undefined) parts.push({ text: reply.thinking.text, thought: true, thoughtSignature: reply.thinking.signature });
  if (reply.toolCall !== undefined) parts.push({ functionCall: { name: reply.toolCall.name, args: reply.toolCall.arguments } });
  else parts.push({ text: reply.text });
  return parts;
}

/** Parts of a streamed answer, one per event: reasoning deltas, then text deltas or the whole call. */
export function streamSteps(reply: Reply, chunks: number | undefined): StreamStep[] {
  const steps: StreamStep[] = [];
  let thoughtsTokens = 0;
  const thinking = reply.thinking;
  if (thinking !== undefined) {
    const pieces = textPieces(thinking.text, chunks);
    let soFar = '';
    pieces.forEach((text, i) => {
      soFar += text;
      thoughtsTokens = countWords(soFar);
      const part: Part = i === pieces.length - 1 ? { text, thought: true, thoughtSignature: thinking.signature } : { text, thought: true };
      steps.push({ part, candidatesTokens: 0, thoughtsTokens });
    });
  }
  const call = reply.toolCall;
  if (call !== undefined) {
    steps.push({ part: { functionCall: { name: call.name, args: call.arguments } }, candidatesTokens: reply.outputTokens, thoughtsTokens });
    return steps;
  }
  let soFar = '';
  for (const text of answerPieces(reply, chunks)) {
    soFar += text;
    steps.push({ part: { text }, candidatesTokens: countWords(soFar), thoughtsTokens });
  }
  return steps;
}
