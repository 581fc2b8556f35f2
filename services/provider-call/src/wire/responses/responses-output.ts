import type { IrStopReason, IrUsage } from '../../ir/chat-ir.js';
import type { ResponsesAnswerContext } from './responses-answer-context.js';
import { REDACTED_REASONING_MARK } from './responses-request-items.js';
import type { ClientToolName } from './responses-request-tools.js';

// The pieces of a Responses answer, shared by the whole answer and the stream: output items, usage and the
// response object around them, with OpenAI's field names and order.

export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';
export type ResponseStatus = 'in_progress' | 'completed' | 'incomplete' | 'failed';

/** IR usage → Responses usage (input_tokens include the cached ones, output_tokens the reasoning ones). */
export function responsesUsage(usage: IrUsage): Record<string, unknown> {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** How an answer that stopped for `reason` ends: completed, or incomplete with OpenAI's reason. */
export function endOf(reason: IrStopReason): { status: 'completed' | 'incomplete'; incompleteDetails: { reason: string } | null } {
  if (reason === 'max_tokens') return { status: 'incomplete', incompleteDetails: { reason: 'max_output_tokens' } };
  if (reason === 'content_filter') return { status: 'incomplete', incompleteDetails: { reason: 'content_filter' } };
  return { status: 'completed', incompleteDetails: null };
}

/** A reasoning item: its text as one summary, its signature (when any) as encrypted_content. */
export function reasoningItem(id: string, text: string, signature: string | undefined): Record<string, unknown> {
  const item: Record<string, unknown> = { id, type: 'reasoning', summary: text === '' ? [] : [{ type: 'summary_text', text }] };
  if (signature !== undefined && signature !== '') item.encrypted_content = signature;
  return item;
}

/** Anthropic's redacted reasoning as a reasoning item with nothing to read (see REDACTED_REASONING_MARK). */
export function redactedReasoningItem(id: string, data: string): Record<string, unknown> {
  return reasoningItem(id, '', `${REDACTED_REASONING_MARK}${data}`);
}

export function outputTextPart(text: string): Record<string, unknown> {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

/** An assistant message; `text` undefined while it is being streamed (no part yet). */
export function messageItem(id: string, status: ItemStatus, text?: string): Record<string, unknown> {
  return { id, type: 'message', status, content: text === undefined ? [] : [outputTextPart(text)], role: 'assistant' };
}

/** The client's name of a tool the model called by its IR name (the IR name itself for plain functions). */
export function clientToolName(irName: string, answer: ResponsesAnswerContext): ClientToolName {
  return answer.toolNames.get(irName) ?? { name: irName, custom: false };
}

/** A custom tool's free-form input from the arguments of its one-argument function (the text itself when unreadable). */
export function customToolInput(args: string): string {
  try {
    const parsed: unknown = JSON.parse(args);
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { input?: unknown }).input === 'string') return (parsed as { input: string }).input;
  } catch {
    // Not JSON: the model wrote the input itself.
  }
  return args;
}

/** A function_call item, or a custom_tool_call item for a custom tool; `args` are the IR arguments. */
export function toolCallItem(id: string, callId: string, tool: ClientToolName, args: string, status: ItemStatus): Record<string, unknown> {
  const namespace = tool.namespace === undefined ? {} : { namespace: tool.namespace };
  if (tool.custom) return { id, type: 'custom_tool_call', status, call_id: callId, input: status === 'in_progress' ? '' : customToolInput(args), name: tool.name, ...namespace };
  return { id, type: 'function_call', status, arguments: args, call_id: callId, name: tool.name, ...namespace };
}

export interface ResponseState {
  id: string;
  createdAt: number;
  status: ResponseStatus;
  model: string;
  output: unknown[];
  usage: IrUsage | undefined;
  incompleteDetails?: { reason: string } | null;
  error?: { code: string; message: string } | null;
}

/** The response object, as OpenAI answers it and as its stream events carry it. */
export function responseObject(state: ResponseState, answer: ResponsesAnswerContext): Record<string, unknown> {
  const { echo } = answer;
  const done = state.status === 'completed' || state.status === 'incomplete';
  return {
    id: state.id,
    object: 'response',
    created_at: state.createdAt,
    status: state.status,
    background: false,
    completed_at: done ? Math.floor(Date.now() / 1000) : null,
    error: state.error ?? null,
    incomplete_details: state.incompleteDetails ?? null,
    instructions: echo.instructions ?? null,
    max_output_tokens: echo.max_output_tokens ?? null,
    max_tool_calls: null,
    model: state.model,
    output: state.output,
    parallel_tool_calls: echo.parallel_tool_calls ?? true,
    previous_response_id: echo.previous_response_id ?? null,
    prompt_cache_key: echo.prompt_cache_key ?? null,
    reasoning: echo.reasoning ?? { effort: null, summary: null },
    safety_identifier: echo.safety_identifier ?? null,
    store: echo.store ?? true,
    temperature: echo.temperature ?? 1,
    text: echo.text ?? { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: echo.tool_choice ?? 'auto',
    tools: echo.tools ?? [],
    top_logprobs: echo.top_logprobs ?? 0,
    top_p: echo.top_p ?? 1,
    truncation: echo.truncation ?? 'disabled',
    usage: state.usage === undefined ? null : responsesUsage(state.usage),
    user: echo.user ?? null,
    metadata: echo.metadata ?? {},
  };
}
