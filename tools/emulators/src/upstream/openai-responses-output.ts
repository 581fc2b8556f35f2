import { parseAnswerDirectives } from './answer-directives.js';
import type { JsonObject } from './json-fields.js';
import { OPENAI_MODELS } from './model-catalog.js';
import type { ResponsesRequest } from './openai-responses-request.js';
import { encryptedReasoning } from './openai-responses-reasoning.js';
import type { Reply } from './reply.js';
import type { RenderContext } from './wire-format.js';

// The Responses API's answer objects, shared by the whole body and the stream (whose final event carries
// the same response): output items in OpenAI's order (reasoning, then the message or the function call),
// the response object with what it echoes from the request, and usage.

/** Ids of one answer's objects: OpenAI's prefixes on the emulator's unique id. */
export function answerIds(ctx: RenderContext): { response: string; message: string; call: string; callId: string; reasoning: string } {
  return { response: `resp_${ctx.id}`, message: `msg_${ctx.id}`, call: `fc_${ctx.id}`, callId: `call_${ctx.id}`, reasoning: `rs_${ctx.id}` };
}

/** Usage: cached tokens are part of input_tokens, reasoning tokens part of output_tokens. */
export function responsesUsage(reply: Reply): JsonObject {
  const cached = reply.cachedTokens ?? 0;
  const reasoning = reply.thinking?.tokens ?? 0;
  const input = reply.inputTokens + cached;
  const output = reply.outputTokens + reasoning;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output,
  };
}

/** Whether the reasoning's summary is shown: asked in `reasoning.summary`, or the answer was steered to think. */
export function showsSummary(req: ResponsesRequest): boolean {
  return req.responses.summary || parseAnswerDirectives(req.lastUserText)?.thinking === true;
}

/** The reasoning item, done; `summary` false leaves the summary empty (as OpenAI does unless asked). */
export function reasoningItem(reply: Reply, req: ResponsesRequest, ctx: RenderContext): JsonObject | undefined {
  const thinking = reply.thinking;
  if (thinking === undefined) return undefined;
  const item: JsonObject = { id: answerIds(ctx).reasoning, type: 'reasoning', summary: showsSummary(req) ? [{ type: 'summary_text', text: thinking.text }] : [] };
  if (req.responses.encryptedReasoning) item.encrypted_content = encryptedReasoning(thinking.text);
  return item;
}

export const outputText = (text: string): JsonObject => ({ type: 'output_text', annotations: [], logprobs: [], text });

/** The answer's own item, done: the function call, or the assistant message. */
export function answerItem(reply: Reply, req: ResponsesRequest, ctx: RenderContext): JsonObject {
  const ids = answerIds(ctx);
  const call = reply.toolCall;
  if (call !== undefined) {
    // A function of a namespace tool is called by its own name, with its namespace beside it.
    const namespaced = req.responses.namespaces.get(call.name);
    const name = namespaced === undefined ? { name: call.name } : { name: namespaced.name, namespace: namespaced.namespace };
    return { id: ids.call, type: 'function_call', status: 'completed', arguments: call.argumentsJson, call_id: ids.callId, ...name };
  }
  const status = reply.finish === 'length' ? 'incomplete' : 'completed';
  return { id: ids.message, type: 'message', status, content: [outputText(reply.text)], role: 'assistant' };
}

/** Every output item of the answer, in order. */
export function outputItems(reply: Reply, req: ResponsesRequest, ctx: RenderContext): JsonObject[] {
  const reasoning = reasoningItem(reply, req, ctx);
  return reasoning === undefined ? [answerItem(reply, req, ctx)] : [reasoning, answerItem(reply, req, ctx)];
}

/** The response object; `state` in_progress (created), or the finished response with its output and usage. */
export function responseObject(req: ResponsesRequest, ctx: RenderContext, state: { reply: Reply; output: JsonObject[] } | 'in_progress'): JsonObject {
  const echo = req.responses.echo;
  const reasoningModel = OPENAI_MODELS.find((m) => m.id === req.model)?.reasoning === true;
  const asked = (echo.reasoning ?? {}) as JsonObject;
  const finished = state === 'in_progress' ? undefined : state;
  const incomplete = finished?.reply.finish === 'length';
  return {
    id: answerIds(ctx).response,
    object: 'response',
    created_at: ctx.created,
    status: finished === undefined ? 'in_progress' : incomplete ? 'incomplete' : 'completed',
    background: false,
    error: null,
    incomplete_details: incomplete ? { reason: 'max_output_tokens' } : null,
    instructions: req.responses.instructions,
    max_output_tokens: echo.max_output_tokens ?? null,
    max_tool_calls: null,
    model: req.model,
    output: finished?.output ?? [],
    parallel_tool_calls: echo.parallel_tool_calls ?? true,
    previous_response_id: req.responses.previousResponseId,
    prompt_cache_key: echo.prompt_cache_key ?? null,
    reasoning: { effort: asked.effort ?? (reasoningModel ? 'medium' : null), summary: asked.summary ?? null },
    safety_identifier: echo.safety_identifier ?? null,
    service_tier: 'default',
    store: req.responses.store,
    temperature: echo.temperature ?? 1,
    text: echo.text ?? { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: echo.tool_choice ?? 'auto',
    tools: echo.tools ?? [],
    top_logprobs: 0,
    top_p: echo.top_p ?? 1,
    truncation: 'disabled',
    usage: finished === undefined ? null : responsesUsage(finished.reply),
    user: echo.user ?? null,
    metadata: echo.metadata ?? {},
  };
}
