import type { ResponsesRequest } from '@aigw/formats';
import type { AnswerContext, EncodeContext } from '../../adapters/client-codec.js';
import type { ClientToolName } from './responses-request-tools.js';

// A Responses answer repeats the parameters of its request (OpenAI's response object carries instructions,
// tools, tool_choice, text, reasoning, sampling settings, store, metadata, …) and names each tool call as
// the client's tools named it. The decoder keeps both here; the encoders read them from EncodeContext.answer.

/** What the decoder of a Responses request leaves for the encoders of its answer. */
export class ResponsesAnswerContext implements AnswerContext {
  readonly format = 'responses' as const;

  constructor(
    /** The request's parameters as the answer repeats them, in OpenAI's order, with OpenAI's defaults. */
    readonly echo: Readonly<Record<string, unknown>>,
    /** The client's name of each tool the IR names otherwise (namespaced and custom tools). */
    readonly toolNames: ReadonlyMap<string, ClientToolName>,
  ) {}
}

const EMPTY = new ResponsesAnswerContext({}, new Map());

/** The context of this answer; an empty one when the encoder is used without the decoder (tests, probes). */
export function responsesAnswerOf(ctx: EncodeContext): ResponsesAnswerContext {
  return ctx.answer instanceof ResponsesAnswerContext ? ctx.answer : EMPTY;
}

const orNull = <T>(value: T | null | undefined): T | null => value ?? null;

/**
 * The parameters an answer repeats, as OpenAI answers them: each the request's value or OpenAI's default.
 * tools, tool_choice and text.format come from the raw body (the schema marks what it does not model).
 */
export function requestEcho(req: ResponsesRequest, body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const text = body.text as { format?: unknown } | null | undefined;
  return {
    instructions: orNull(req.instructions),
    max_output_tokens: orNull(req.max_output_tokens),
    max_tool_calls: null,
    parallel_tool_calls: req.parallel_tool_calls ?? true,
    previous_response_id: orNull(req.previous_response_id),
    prompt_cache_key: orNull(req.prompt_cache_key),
    reasoning: { effort: orNull(req.reasoning?.effort), summary: orNull(req.reasoning?.summary ?? req.reasoning?.generate_summary) },
    safety_identifier: orNull(req.safety_identifier),
    store: req.store ?? true,
    temperature: req.temperature ?? 1,
    text: { format: text?.format ?? { type: 'text' }, verbosity: req.text?.verbosity ?? 'medium' },
    tool_choice: body.tool_choice ?? 'auto',
    tools: Array.isArray(body.tools) ? body.tools : [],
    top_logprobs: req.top_logprobs ?? 0,
    top_p: req.top_p ?? 1,
    truncation: req.truncation ?? 'disabled',
    user: orNull(req.user),
    metadata: req.metadata ?? {},
  };
}
