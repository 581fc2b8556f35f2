import { parseAnswerDirectives } from './answer-directives.js';
import { DIRECTIVE_PATTERN } from './steering.js';
import { structuredAnswerText, type ResponseFormat } from './structured-answer.js';
import { composeThinking, type Thinking, type ThinkingPlan } from './thinking.js';
import {
  buildToolCall,
  chooseTool,
  composeToolResultText,
  type ToolCall,
  type ToolChoice,
  type ToolDeclaration,
  type ToolResult,
} from './tool-answer.js';
import { capCodePoints, countWords, truncateWords } from './words.js';

// The format-neutral "what to answer": every wire format parses its request into a ChatRequest and
// renders the same Reply, so a request gets the same text, tool call, reasoning and token counts
// whatever format it used. Everything here is deterministic so tests (here and in other packages) can
// assert exact content.

export { countWords, truncateWords } from './words.js';
export { splitIntoChunks } from './stream-pieces.js';

/** What every wire format extracts from its request body. */
export interface ChatRequest {
  model: string;
  stream: boolean;
  /**
   * Text of the last user message (its text parts joined by "\n"); where directives live. A user turn
   * that only carries tool results does not count (OpenAI sends those as role `tool`, the others as
   * user content), so every format keeps the directives of the message that started the tool loop.
   */
  lastUserText: string;
  /** Words of all input text: system prompt, every message, tool results. Images count 0. */
  inputTokens: number;
  /** Output cap asked by the client (max_tokens, maxOutputTokens), in the emulator's word tokens. */
  maxOutputTokens?: number;
  /** Whether a stream ends with usage (OpenAI only when stream_options.include_usage). */
  streamUsage: boolean;
  /** Function tools the request declares, in order. */
  tools?: ToolDeclaration[];
  toolChoice?: ToolChoice;
  /** Tool results the conversation ends with. */
  toolResults?: ToolResult[];
  /** The request itself asks for reasoning (thinking config, reasoning_effort). */
  thinking?: boolean;
  /** Images anywhere in the conversation. */
  images?: number;
  /** Structured output the request asks for: the answer text is then a JSON document (structured-answer.ts). */
  responseFormat?: ResponseFormat;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls';

export interface Reply {
  /** Answer text; '' when the answer is a tool call. */
  text: string;
  /** Uncached input tokens (ChatRequest.inputTokens). */
  inputTokens: number;
  /** Tokens of the answer: words of the text, or of `<name> <arguments JSON>` for a tool call. */
  outputTokens: number;
  finish: FinishReason;
  toolCall?: ToolCall;
  /** Reasoning the answer starts with; its tokens come on top of outputTokens. */
  thinking?: Thinking;
  /** Cached input tokens (`[emu cached=N]`), a cached prefix on top of inputTokens. */
  cachedTokens?: number;
  /** The text is a JSON document (structured output): streams cut it as JSON fragments, not word groups. */
  structured?: boolean;
}

/** Longest echo of the user text kept in a reply, in characters (code points). */
export const ECHO_LIMIT = 200;

/**
 * Context a client tucks into the user's own turn before the prompt: Claude Code's `<system-reminder>`
 * blocks (agent list, date, CLAUDE.md), Gemini CLI's `<session_context>` (date, OS, directory tree), Codex CLI's
 * `<environment_context>` (directory, shell, date; a user message of its own, merged into the prompt's turn where a
 * provider joins consecutive user messages), and the `<system>` text a gateway puts in place of a system message the upstream has no turn for. A model reads them
 * but answers the prompt.
 */
const CLIENT_CONTEXT = /<(system-reminder|session_context|environment_context|system)>[\s\S]*?<\/\1>/g;

/** The user text without `[emu ...]` directives and client context blocks, trimmed and capped at ECHO_LIMIT. */
export function echoOf(lastUserText: string): string {
  const withoutContext = /<(system-reminder|session_context|environment_context|system)>/.test(lastUserText) ? lastUserText.replace(CLIENT_CONTEXT, ' ') : lastUserText;
  const withoutDirectives = withoutContext.includes('[emu') ? withoutContext.replace(DIRECTIVE_PATTERN, ' ') : withoutContext;
  const echo = withoutDirectives.trim();
  return echo.length > ECHO_LIMIT ? capCodePoints(echo, ECHO_LIMIT).trimEnd() : echo;
}

/**
 * The full (uncut) reply text for a model and the last user text: `Hello from <model>: <echo>`, where
 * the echo is the user text without `[emu ...]` directives and client context blocks (CLIENT_CONTEXT),
 * trimmed and capped at ECHO_LIMIT.
 */
export function composeReplyText(model: string, lastUserText: string): string {
  const echo = echoOf(lastUserText);
  return echo === '' ? `Hello from ${model}.` : `Hello from ${model}: ${echo}`;
}

/** ` [N image(s)]`, appended to text answers so tests can see the images reached the upstream. */
export function imageSuffix(images: number | undefined): string {
  if (images === undefined || images <= 0) return '';
  return images === 1 ? ' [1 image]' : ` [${images} images]`;
}

/** The full (uncut) text answer: the tool-result report, or the greeting; plus the image mark. */
export function composeAnswerText(req: ChatRequest): string {
  const base =
    req.toolResults !== undefined && req.toolResults.length > 0
      ? composeToolResultText(req.toolResults)
      : composeReplyText(req.model, req.lastUserText);
  return base + imageSuffix(req.images);
}

/** Builds the reply for a parsed request: a tool call or text (cut to maxOutputTokens), reasoning, cache. */
export function buildReply(req: ChatRequest): Reply {
  const directives = parseAnswerDirectives(req.lastUserText);
  const endsWithResults = req.toolResults !== undefined && req.toolResults.length > 0;
  const tool = chooseTool(req.tools, req.toolChoice, endsWithResults, directives?.tool);
  let reply: Reply;
  let plan: ThinkingPlan;
  if (tool !== undefined) {
    const toolCall = buildToolCall(tool, directives?.args);
    const outputTokens = countWords(`${toolCall.name} ${toolCall.argumentsJson}`);
    reply = { text: '', inputTokens: req.inputTokens, outputTokens, finish: 'tool_calls', toolCall };
    plan = { kind: 'tool-call', tool: tool.name };
  } else {
    const prose = composeAnswerText(req);
    const full = req.responseFormat === undefined ? prose : structuredAnswerText(req.responseFormat, prose);
    const fullTokens = countWords(full);
    const cap = req.maxOutputTokens;
    if (cap !== undefined && cap < fullTokens) {
      const text = truncateWords(full, cap);
      reply = { text, inputTokens: req.inputTokens, outputTokens: countWords(text), finish: 'length' };
    } else {
      reply = { text: full, inputTokens: req.inputTokens, outputTokens: fullTokens, finish: 'stop' };
    }
    if (req.responseFormat !== undefined) reply.structured = true;
    plan = endsWithResults ? { kind: 'tool-result', tools: (req.toolResults ?? []).map((r) => r.name) } : { kind: 'text' };
  }
  if (directives?.thinking ?? req.thinking === true) reply.thinking = composeThinking(echoOf(req.lastUserText), plan);
  if (directives?.cachedTokens !== undefined && directives.cachedTokens > 0) reply.cachedTokens = directives.cachedTokens;
  return reply;
}
