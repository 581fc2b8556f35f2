import type { EncodeContext, StreamEncoder } from '../../adapters/client-codec.js';
import { ZERO_USAGE, type IrError, type IrStopReason, type IrStreamEvent, type IrUsage } from '../../ir/chat-ir.js';
import { formatSseEvent } from '@aigw/formats';
import { anthropicErrorBody } from './anthropic-errors.js';
import { IR_TO_STOP_REASON, irUsageToAnthropic } from './anthropic-usage.js';

// Anthropic streams are block-structured: every text run, thinking run or tool call is a content block
// opened with content_block_start and closed with content_block_stop, and blocks never interleave.
// The upstream's deltas are flat, so the encoder opens and closes blocks as the kind of delta changes.
//
// message_start waits for the answer's first content (or its end): clients such as LangChain's
// ChatAnthropic read the input token count there and nowhere else, and by then Gemini and Cloud Code
// have sent it (their first chunk carries usageMetadata with promptTokenCount). An OpenAI-compatible
// upstream reports usage only after the last token (stream_options.include_usage); holding the whole
// answer for it would end streaming, so there message_start carries a local estimate (ctx.promptTokens,
// o200k tokenizer) and the final message_delta, which always carries input_tokens too, has the real count.
// Output tokens in message_start stay 0 so that a client adding message_start and message_delta counts them once.

function event(type: string, payload: Record<string, unknown>): string {
  return formatSseEvent(JSON.stringify({ type, ...payload }), type);
}

type OpenBlock = 'text' | 'thinking' | 'tool';

/** Writes IR events as Messages API stream events. */
export class AnthropicStreamEncoder implements StreamEncoder {
  readonly #ctx: EncodeContext & { promptTokens?: number };
  #model: string;
  #open: OpenBlock | undefined;
  #nextBlock = 0;
  /** Tool-call index → its block index, so late deltas still land in their own block. */
  readonly #toolBlocks = new Map<number, number>();
  #stop: IrStopReason = 'end_turn';
  #sequence: string | null = null;
  #usage: IrUsage = ZERO_USAGE;
  #started = false;

  constructor(ctx: EncodeContext & { promptTokens?: number }) {
    this.#ctx = ctx;
    this.#model = ctx.model;
  }

  /** Nothing yet: message_start goes out with the first content, carrying the usage known by then. */
  begin(): string {
    return '';
  }

  push(e: IrStreamEvent): string {
    if (e.type === 'usage' || e.type === 'model' || e.type === 'stop') return this.#note(e);
    const out = this.#content(e);
    return out === '' ? '' : this.#start() + out;
  }

  end(): string {
    return (
      this.#start() +
      this.#closeBlock() +
      event('message_delta', {
        delta: { stop_reason: IR_TO_STOP_REASON[this.#stop], stop_sequence: this.#sequence },
        usage: irUsageToAnthropic(this.#usage),
      }) +
      event('message_stop', {})
    );
  }

  fail(error: IrError): string {
    return formatSseEvent(anthropicErrorBody(error), 'error');
  }

  #start(): string {
    if (this.#started) return '';
    this.#started = true;
    return event('message_start', {
      message: {
        id: `msg_${this.#ctx.requestId}`,
        type: 'message',
        role: 'assistant',
        model: this.#model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: irUsageToAnthropic({ ...this.#promptUsage(), outputTokens: 0 }),
      },
    });
  }

  /** The upstream's usage once it has sent any, else the local estimate of the prompt (when there is one). */
  #promptUsage(): IrUsage {
    const estimate = this.#ctx.promptTokens;
    return this.#usage === ZERO_USAGE && estimate !== undefined ? { ...ZERO_USAGE, inputTokens: estimate } : this.#usage;
  }

  #note(e: Extract<IrStreamEvent, { type: 'usage' | 'model' | 'stop' }>): string {
    if (e.type === 'usage') this.#usage = e.usage;
    else if (e.type === 'model') this.#model = e.model;
    else {
      this.#stop = e.reason;
      this.#sequence = e.sequence ?? null;
    }
    return '';
  }

  #content(e: Exclude<IrStreamEvent, { type: 'usage' | 'model' | 'stop' }>): string {
    switch (e.type) {
      case 'text': {
        const open = this.#open === 'text' ? '' : this.#openBlock('text', { type: 'text', text: '' });
        return open + this.#delta({ type: 'text_delta', text: e.text });
      }
      case 'reasoning': {
        const open = this.#open === 'thinking' ? '' : this.#openBlock('thinking', { type: 'thinking', thinking: '', signature: '' });
        return open + this.#delta({ type: 'thinking_delta', thinking: e.text });
      }
      case 'reasoning_end': {
        if (this.#open !== 'thinking' && e.signature === undefined) return '';
        const open = this.#open === 'thinking' ? '' : this.#openBlock('thinking', { type: 'thinking', thinking: '', signature: '' });
        const signature = e.signature === undefined || e.signature === '' ? '' : this.#delta({ type: 'signature_delta', signature: e.signature });
        return open + signature + this.#closeBlock();
      }
      case 'reasoning_redacted':
        return this.#openBlock('thinking', { type: 'redacted_thinking', data: e.data }) + this.#closeBlock();
      case 'tool_call_start':
        this.#toolBlocks.set(e.index, this.#nextBlock);
        return this.#openBlock('tool', { type: 'tool_use', id: e.id, name: e.name, input: {} });
      case 'tool_call_delta': {
        const index = this.#toolBlocks.get(e.index);
        if (index === undefined) return '';
        return event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: e.arguments } });
      }
    }
  }

  #delta(delta: Record<string, unknown>): string {
    return event('content_block_delta', { index: this.#nextBlock - 1, delta });
  }

  #openBlock(block: OpenBlock, contentBlock: Record<string, unknown>): string {
    const closed = this.#closeBlock();
    this.#open = block;
    return closed + event('content_block_start', { index: this.#nextBlock++, content_block: contentBlock });
  }

  #closeBlock(): string {
    if (this.#open === undefined) return '';
    this.#open = undefined;
    return event('content_block_stop', { index: this.#nextBlock - 1 });
  }
}
