import type { EncodeContext, StreamEncoder } from '../../adapters/client-codec.js';
import type { IrError, IrStopReason, IrStreamEvent, IrUsage } from '../../ir/chat-ir.js';
import { ZERO_USAGE } from '../../ir/chat-ir.js';
import { formatSseEvent } from '@aigw/formats';
import { openAiErrorBody } from './openai-errors.js';
import { IR_TO_FINISH, irUsageToOpenAi } from './openai-response.js';

/**
 * Writes IR events as chat.completion.chunk events, ending with the finish chunk, usage and [DONE].
 * Reasoning goes out as `reasoning_content` deltas; a signature standing for the next tool call rides
 * on that call as Google's `extra_content`; other signatures have no place in this format.
 */
export class OpenAiStreamEncoder implements StreamEncoder {
  readonly #id: string;
  readonly #created = Math.floor(Date.now() / 1000);
  readonly #streamUsage: boolean;
  #model: string;
  #stop: IrStopReason = 'end_turn';
  #usage: IrUsage = ZERO_USAGE;
  #reasoningOpen = false;
  #pendingSignature: string | undefined;

  constructor(ctx: EncodeContext & { streamUsage: boolean }) {
    this.#id = `chatcmpl-${ctx.requestId}`;
    this.#model = ctx.model;
    this.#streamUsage = ctx.streamUsage;
  }

  begin(): string {
    return this.#chunk({ role: 'assistant', content: '' }, null);
  }

  push(event: IrStreamEvent): string {
    if (event.type !== 'reasoning' && event.type !== 'reasoning_end' && event.type !== 'tool_call_start') this.#pendingSignature = undefined;
    switch (event.type) {
      case 'text':
        this.#reasoningOpen = false;
        return this.#chunk({ content: event.text }, null);
      case 'reasoning':
        this.#reasoningOpen = true;
        this.#pendingSignature = undefined;
        return this.#chunk({ reasoning_content: event.text }, null);
      case 'reasoning_end':
        if (!this.#reasoningOpen && event.signature !== undefined) this.#pendingSignature = event.signature;
        this.#reasoningOpen = false;
        return '';
      case 'reasoning_redacted':
        return '';
      case 'tool_call_start': {
        this.#reasoningOpen = false;
        const call: Record<string, unknown> = { index: event.index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } };
        if (this.#pendingSignature !== undefined) call.extra_content = { google: { thought_signature: this.#pendingSignature } };
        this.#pendingSignature = undefined;
        return this.#chunk({ tool_calls: [call] }, null);
      }
      case 'tool_call_delta':
        return this.#chunk({ tool_calls: [{ index: event.index, function: { arguments: event.arguments } }] }, null);
      case 'stop':
        this.#stop = event.reason;
        return '';
      case 'usage':
        this.#usage = event.usage;
        return '';
      case 'model':
        this.#model = event.model;
        return '';
    }
  }

  end(): string {
    let out = this.#chunk({}, IR_TO_FINISH[this.#stop]);
    if (this.#streamUsage) out += this.#envelope([], irUsageToOpenAi(this.#usage));
    return `${out}data: [DONE]\n\n`;
  }

  fail(error: IrError): string {
    return formatSseEvent(openAiErrorBody(error));
  }

  #chunk(delta: Record<string, unknown>, finish: string | null): string {
    return this.#envelope([{ index: 0, delta, logprobs: null, finish_reason: finish }]);
  }

  #envelope(choices: unknown[], usage?: unknown): string {
    const chunk: Record<string, unknown> = { id: this.#id, object: 'chat.completion.chunk', created: this.#created, model: this.#model, choices };
    if (usage !== undefined) chunk.usage = usage;
    return formatSseEvent(JSON.stringify(chunk));
  }
}
