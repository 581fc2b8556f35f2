import type { StreamDecoder } from '../../adapters/provider-adapter.js';
import { midStreamError, truncatedStream } from '../../adapters/stream-failure.js';
import type { IrStreamEvent, IrUsage } from '../../ir/chat-ir.js';
import { asCount, asRecord, asString, parseJson, type JsonRecord } from '../../ir/json-shape.js';
import type { SseEvent } from '@aigw/formats';
import { anthropicTypeStatus } from './anthropic-errors.js';
import { anthropicUsageToIr, STOP_REASON_TO_IR } from './anthropic-usage.js';

type Block = { kind: 'text' } | { kind: 'thinking'; signature: string } | { kind: 'tool'; index: number; hasArguments: boolean } | { kind: 'other' };

/**
 * Reads Messages API stream events into IR events. Usage arrives in two halves: the prompt counts
 * in message_start, the (cumulative) output count in message_delta, which newer API versions may
 * also fill with prompt counts; later values win.
 */
export class AnthropicStreamDecoder implements StreamDecoder {
  readonly #blocks = new Map<number, Block>();
  #tools = 0;
  #usage: JsonRecord = {};
  #finished = false;

  push(event: SseEvent): IrStreamEvent[] {
    const data = asRecord(parseJson(event.data));
    if (data === undefined) throw midStreamError('upstream sent an unreadable stream event');
    const type = asString(data.type) ?? event.event;
    switch (type) {
      case 'message_start': {
        const message = asRecord(data.message);
        this.#usage = { ...asRecord(message?.usage) };
        const model = asString(message?.model);
        // Usage now too, so that a stream that breaks later still reports its prompt.
        return [...(model === undefined ? [] : [{ type: 'model' as const, model }]), { type: 'usage', usage: anthropicUsageToIr(this.#usage) }];
      }
      case 'content_block_start':
        return this.#start(asCount(data.index), asRecord(data.content_block) ?? {});
      case 'content_block_delta':
        return this.#delta(asCount(data.index), asRecord(data.delta) ?? {});
      case 'content_block_stop':
        return this.#stop(asCount(data.index));
      case 'message_delta':
        return this.#messageDelta(data);
      case 'message_stop':
        this.#finished = true;
        return [];
      case 'error': {
        const error = asRecord(data.error);
        throw midStreamError(asString(error?.message) ?? 'upstream reported an error mid-stream', anthropicTypeStatus(asString(error?.type)));
      }
      default:
        return []; // ping and event types added later
    }
  }

  end(): IrStreamEvent[] {
    if (!this.#finished) throw truncatedStream();
    return [];
  }

  #start(index: number, block: JsonRecord): IrStreamEvent[] {
    switch (block.type) {
      case 'text': {
        this.#blocks.set(index, { kind: 'text' });
        const text = asString(block.text);
        return text ? [{ type: 'text', text }] : [];
      }
      case 'thinking': {
        this.#blocks.set(index, { kind: 'thinking', signature: asString(block.signature) ?? '' });
        const text = asString(block.thinking);
        return text ? [{ type: 'reasoning', text }] : [];
      }
      case 'redacted_thinking':
        this.#blocks.set(index, { kind: 'other' });
        return [{ type: 'reasoning_redacted', data: asString(block.data) ?? '' }];
      case 'tool_use': {
        const tool = this.#tools++;
        this.#blocks.set(index, { kind: 'tool', index: tool, hasArguments: false });
        return [{ type: 'tool_call_start', index: tool, id: asString(block.id) ?? `toolu_${tool}`, name: asString(block.name) ?? '' }];
      }
      default:
        this.#blocks.set(index, { kind: 'other' });
        return [];
    }
  }

  #delta(index: number, delta: JsonRecord): IrStreamEvent[] {
    const block = this.#blocks.get(index);
    switch (delta.type) {
      case 'text_delta': {
        const text = asString(delta.text);
        return text ? [{ type: 'text', text }] : [];
      }
      case 'thinking_delta': {
        const text = asString(delta.thinking);
        return text ? [{ type: 'reasoning', text }] : [];
      }
      case 'signature_delta':
        if (block?.kind === 'thinking') block.signature += asString(delta.signature) ?? '';
        return [];
      case 'input_json_delta': {
        const json = asString(delta.partial_json);
        if (block?.kind !== 'tool' || !json) return [];
        block.hasArguments = true;
        return [{ type: 'tool_call_delta', index: block.index, arguments: json }];
      }
      default:
        return [];
    }
  }

  #stop(index: number): IrStreamEvent[] {
    const block = this.#blocks.get(index);
    this.#blocks.delete(index);
    if (block?.kind === 'thinking') return [block.signature === '' ? { type: 'reasoning_end' } : { type: 'reasoning_end', signature: block.signature }];
    // A call without arguments still needs valid JSON for clients that parse them.
    if (block?.kind === 'tool' && !block.hasArguments) return [{ type: 'tool_call_delta', index: block.index, arguments: '{}' }];
    return [];
  }

  #messageDelta(data: JsonRecord): IrStreamEvent[] {
    const out: IrStreamEvent[] = [];
    const delta = asRecord(data.delta);
    const reason = asString(delta?.stop_reason);
    if (reason !== undefined) {
      const sequence = asString(delta?.stop_sequence);
      out.push({ type: 'stop', reason: STOP_REASON_TO_IR[reason] ?? 'end_turn', ...(sequence === undefined ? {} : { sequence }) });
    }
    const usage = asRecord(data.usage);
    if (usage !== undefined) {
      for (const [key, value] of Object.entries(usage)) if (typeof value === 'number') this.#usage[key] = value;
      const ir: IrUsage = anthropicUsageToIr(this.#usage);
      out.push({ type: 'usage', usage: ir });
    }
    return out;
  }
}
