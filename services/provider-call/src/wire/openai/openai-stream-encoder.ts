import type { EncodeContext, StreamEncoder } from '../../adapters/client-codec.js';
import type { IrStopReason, IrStreamEvent, IrUsage } from '../../ir/chat-ir.js';
import { ZERO_USAGE } from '../../ir/chat-ir.js';
import { formatSseEvent } from '../../sse/sse-parser.js';
import { openAiErrorBody } from './openai-errors.js';
import { IR_TO_FINISH, irUsageToOpenAi } from './openai-response.js';

/** Writes IR events as chat.completion.chunk events, ending with the finish chunk, usage and [DONE]. */
export class OpenAiStreamEncoder implements StreamEncoder {
  readonly #id: string;
  readonly #created = Math.floor(Date.now() / 1000);
  readonly #streamUsage: boolean;
  #model: string;
  #stop: IrStopReason = 'end_turn';
  #usage: IrUsage = ZERO_USAGE;

  constructor(ctx: EncodeContext & { streamUsage: boolean }) {
    this.#id = `chatcmpl-${ctx.requestId}`;
    this.#model = ctx.model;
    this.#streamUsage = ctx.streamUsage;
  }

  begin(): string {
    return this.#chunk({ role: 'assistant', content: '' }, null);
  }

  push(event: IrStreamEvent): string {
    switch (event.type) {
      case 'text':
        return this.#chunk({ content: event.text }, null);
      case 'tool_call_start':
        return this.#chunk(
          { tool_calls: [{ index: event.index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } }] },
          null,
        );
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

  fail(message: string): string {
    return formatSseEvent(openAiErrorBody({ status: 502, message }));
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
