import { systemTextAsUserText, type IrImageSource, type IrMessage, type IrPart, type IrRequest, type IrToolChoice, type IrToolResultPart } from '../../ir/chat-ir.js';
import { thinkingBudget } from '../../ir/thinking-budget.js';
import { toolArgumentsObject } from '../../ir/tool-arguments.js';
import { irToAnthropicOutputConfig } from './anthropic-output-format.js';

// IR → a Messages API request for an Anthropic upstream.

/** max_tokens is required by Anthropic; sent when the client named no limit. */
export const DEFAULT_MAX_TOKENS = 4096;
/** Anthropic's smallest thinking budget. */
export const MIN_THINKING_BUDGET = 1024;

/** Tool-use ids must match ^[a-zA-Z0-9_-]+$; other formats' ids are mapped (the same way for calls and results). */
export function anthropicToolId(id: string): string {
  const safe = id.replace(/[^a-zA-Z0-9_-]/g, '_');
  return safe === '' ? 'toolu_empty' : safe;
}

function imageBlock(source: IrImageSource): Record<string, unknown> {
  return {
    type: 'image',
    source: source.kind === 'base64' ? { type: 'base64', media_type: source.mediaType, data: source.data } : { type: 'url', url: source.url },
  };
}

/** A tool result's content: its text alone, or text and image blocks when the tool returned images. */
function toolResultContent(part: IrToolResultPart): string | Array<Record<string, unknown>> {
  if (part.images === undefined || part.images.length === 0) return part.content;
  return [...(part.content === '' ? [] : [{ type: 'text', text: part.content }]), ...part.images.map(imageBlock)];
}

/** One IR part → a content block, or undefined (reported in `dropped`) when Anthropic cannot take it. */
function contentBlock(part: IrPart, dropped: Set<string>): Record<string, unknown> | undefined {
  switch (part.type) {
    case 'text':
      return part.text === '' ? undefined : { type: 'text', text: part.text };
    case 'image':
      return imageBlock(part.source);
    case 'tool_call':
      return { type: 'tool_use', id: anthropicToolId(part.id), name: part.name, input: toolArgumentsObject(part.arguments) };
    case 'tool_result':
      return { type: 'tool_result', tool_use_id: anthropicToolId(part.toolCallId), content: toolResultContent(part), ...(part.isError ? { is_error: true } : {}) };
    case 'reasoning':
      // Anthropic accepts only thinking it signed; an empty signed block is another provider's signature.
      if (part.signature === undefined || part.signature === '' || part.text === '') {
        dropped.add(part.signature ? 'thinking.signature' : 'thinking:unsigned');
        return undefined;
      }
      return { type: 'thinking', thinking: part.text, signature: part.signature };
    case 'redacted_reasoning':
      return { type: 'redacted_thinking', data: part.data };
  }
}

type AnthropicTurn = { role: string; content: Array<Record<string, unknown>> };

/**
 * Models that take a `system` message inside `messages`: Claude Opus 4.8 (no beta header needed),
 * also under an operator's prefix (`anthropic/claude-opus-4-8`, `team-claude-opus-4-8-fast`).
 */
export function acceptsMidConversationSystem(model: string): boolean {
  return /(^|[^a-z0-9])claude-opus-4-8/.test(model);
}

/** Appends `blocks` as a turn of `role`, merged into the last turn when it has the same role. */
function appendTurn(out: AnthropicTurn[], role: string, blocks: Array<Record<string, unknown>>): void {
  const last = out.at(-1);
  if (last?.role === role) last.content.push(...blocks);
  else out.push({ role, content: blocks });
}

/**
 * Anthropic's placement rule for a system message in `messages`: right after a user turn, and either
 * last or followed by an assistant turn.
 */
function placedWell(turns: readonly AnthropicTurn[], i: number): boolean {
  return turns[i - 1]?.role === 'user' && (i === turns.length - 1 || turns[i + 1]?.role === 'assistant');
}

/**
 * IR messages → Anthropic messages: same-role turns merged, tool results first in a user turn. A
 * system message stays a system turn where the model takes one and Anthropic's placement rule allows
 * it; elsewhere its text stays in place as user text (reported), keeping the order it was given in.
 */
export function anthropicMessages(messages: IrMessage[], dropped: Set<string>, inPlaceSystem = false): AnthropicTurn[] {
  const turns: AnthropicTurn[] = [];
  for (const message of messages) {
    const blocks: Array<Record<string, unknown>> = [];
    for (const part of message.parts) {
      const block = contentBlock(part, dropped);
      if (block !== undefined) blocks.push(block);
    }
    if (blocks.length > 0) appendTurn(turns, message.role, blocks);
  }
  const out: AnthropicTurn[] = [];
  turns.forEach((turn, i) => {
    if (turn.role === 'system' && !(inPlaceSystem && placedWell(turns, i))) {
      dropped.add('system_message:user_turn');
      appendTurn(out, 'user', turn.content.map((b) => (b.type === 'text' && typeof b['text'] === 'string' ? { ...b, text: systemTextAsUserText(b['text']) } : b)));
    } else appendTurn(out, turn.role, turn.content);
  });
  for (const message of out) {
    if (message.role !== 'user') continue;
    message.content = [...message.content.filter((b) => b.type === 'tool_result'), ...message.content.filter((b) => b.type !== 'tool_result')];
  }
  return out;
}

function toolChoice(choice: IrToolChoice | undefined, parallel: boolean | undefined): Record<string, unknown> | undefined {
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  switch (choice?.type) {
    case undefined:
      return parallel === false ? { type: 'auto', ...noParallel } : undefined;
    case 'none':
      return { type: 'none' };
    case 'auto':
      return { type: 'auto', ...noParallel };
    case 'required':
      return { type: 'any', ...noParallel };
    case 'tool':
      return { type: 'tool', name: choice.name, ...noParallel };
  }
}

/** Sampling fields; thinking forbids temperature and top_k and a top_p under 0.95 (reported). */
function sampling(ir: IrRequest, thinking: boolean, body: Record<string, unknown>, dropped: Set<string>): void {
  if (ir.temperature !== undefined) {
    if (thinking) dropped.add('temperature:with_thinking');
    else if (ir.temperature > 1) {
      body.temperature = 1;
      dropped.add('temperature:clamped');
    } else body.temperature = ir.temperature;
  }
  if (ir.topP !== undefined) {
    if (thinking && ir.topP < 0.95) dropped.add('top_p:with_thinking');
    else body.top_p = ir.topP;
  }
  if (ir.topK !== undefined) {
    if (thinking) dropped.add('top_k:with_thinking');
    else body.top_k = ir.topK;
  }
}

/** IR → Messages API body for `model`; `dropped` lists what Anthropic cannot carry. */
export function irToAnthropicRequest(ir: IrRequest, model: string): { body: Record<string, unknown>; dropped: string[] } {
  const dropped = new Set<string>();
  const messages = anthropicMessages(ir.messages, dropped, acceptsMidConversationSystem(model));
  const body: Record<string, unknown> = { model, max_tokens: ir.maxTokens ?? DEFAULT_MAX_TOKENS, messages };
  if (ir.system !== undefined && ir.system !== '') body.system = ir.system;
  if (ir.user !== undefined) body.metadata = { user_id: ir.user.id };
  let thinking = false;
  if (ir.thinking?.enabled === true) {
    const wanted = thinkingBudget(ir.thinking, MIN_THINKING_BUDGET * 4);
    if (ir.maxTokens === undefined) body.max_tokens = wanted + DEFAULT_MAX_TOKENS;
    const budget = Math.min(wanted, (body.max_tokens as number) - 1);
    if (budget >= MIN_THINKING_BUDGET) {
      body.thinking = { type: 'enabled', budget_tokens: budget };
      thinking = true;
    } else dropped.add('thinking:budget_below_minimum');
  }
  if (ir.tools.length > 0) {
    body.tools = ir.tools.map((t) => ({
      name: t.name,
      ...(t.description === undefined ? {} : { description: t.description }),
      input_schema: { type: 'object', ...t.parameters },
    }));
  }
  const choice = toolChoice(ir.toolChoice, ir.tools.length > 0 ? ir.parallelToolCalls : undefined);
  if (choice !== undefined) body.tool_choice = choice;
  sampling(ir, thinking, body, dropped);
  if (ir.stop.length > 0) body.stop_sequences = ir.stop;
  const outputConfig = ir.responseFormat === undefined ? undefined : irToAnthropicOutputConfig(ir.responseFormat, dropped);
  if (outputConfig !== undefined) body.output_config = outputConfig;
  if (ir.stream) body.stream = true;
  return { body, dropped: [...dropped] };
}
