import type { StreamDecoder } from '../../adapters/provider-adapter.js';
import { midStreamError, truncatedStream } from '../../adapters/stream-failure.js';
import type { IrStreamEvent } from '../../ir/chat-ir.js';
import { asCount, asRecord, asString, parseJson, type JsonRecord } from '../../ir/json-shape.js';
import type { SseEvent } from '@aigw/formats';
import { responsesStopReason, responsesUsageToIr } from './responses-response-decoder.js';

// Responses API typed stream events → IR stream events. Text, function-call arguments and reasoning
// summaries arrive as deltas of the output item at `output_index`; usage and the stop reason only with
// the final `response.completed` / `response.incomplete`. `response.failed` and `error` are failures the
// client must see as such, and a body that ends before a final event was cut off.

/** Status an in-stream error code stands for, where the code says (OpenAI names codes, not statuses). */
const CODE_STATUS: Readonly<Record<string, number>> = {
  rate_limit_exceeded: 429,
  insufficient_quota: 429,
  server_error: 500,
  server_is_overloaded: 503,
  slow_down: 503,
  invalid_prompt: 400,
  context_length_exceeded: 400,
  invalid_request_error: 400,
};

/** The error a `response.failed` or `error` event stands for. */
export function responsesEventError(error: JsonRecord | undefined, fallback: string): Error {
  const code = asString(error?.code) ?? asString(error?.type);
  const message = asString(error?.message) ?? fallback;
  return midStreamError(message, code === undefined ? undefined : CODE_STATUS[code]);
}

export class ResponsesStreamDecoder implements StreamDecoder {
  /** output_index of each function call → the IR's call index (0, 1, … in order of appearance). */
  readonly #calls = new Map<number, { index: number; sentArguments: boolean }>();
  #modelSeen = false;
  #finished = false;

  push(event: SseEvent): IrStreamEvent[] {
    const data = asRecord(parseJson(event.data));
    if (data === undefined) throw midStreamError('upstream sent an unreadable stream event');
    const type = asString(data.type) ?? event.event;
    const index = asCount(data.output_index);
    switch (type) {
      case 'response.created':
      case 'response.in_progress':
        return this.#model(asRecord(data.response));
      case 'response.output_item.added':
        return this.#itemAdded(asRecord(data.item), index);
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        return this.#text(asString(data.delta));
      case 'response.function_call_arguments.delta':
        return this.#arguments(index, asString(data.delta));
      case 'response.function_call_arguments.done':
        // Some compatible servers send the arguments only whole, at the end.
        return this.#calls.get(index)?.sentArguments === false ? this.#arguments(index, asString(data.arguments)) : [];
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return this.#reasoning(asString(data.delta));
      case 'response.reasoning_summary_part.added':
        // Summary parts read as paragraphs of one reasoning block.
        return asCount(data.summary_index) > 0 ? [{ type: 'reasoning', text: '\n\n' }] : [];
      case 'response.output_item.done':
        return this.#itemDone(asRecord(data.item));
      case 'response.completed':
      case 'response.incomplete':
        return this.#finish(asRecord(data.response));
      case 'response.failed':
        throw responsesEventError(asRecord(asRecord(data.response)?.error), 'upstream response failed');
      case 'error':
        throw responsesEventError(data, 'upstream reported an error mid-stream');
      default:
        return []; // content_part, *.done repeats of the deltas, annotations, built-in tool progress
    }
  }

  end(): IrStreamEvent[] {
    if (!this.#finished) throw truncatedStream();
    return [];
  }

  #model(response: JsonRecord | undefined): IrStreamEvent[] {
    const model = asString(response?.model);
    if (this.#modelSeen || model === undefined) return [];
    this.#modelSeen = true;
    return [{ type: 'model', model }];
  }

  #text(delta: string | undefined): IrStreamEvent[] {
    return delta === undefined || delta === '' ? [] : [{ type: 'text', text: delta }];
  }

  #itemAdded(item: JsonRecord | undefined, outputIndex: number): IrStreamEvent[] {
    if (item?.type !== 'function_call') return [];
    const name = asString(item.name);
    if (name === undefined || this.#calls.has(outputIndex)) return [];
    const index = this.#calls.size;
    this.#calls.set(outputIndex, { index, sentArguments: false });
    const start: IrStreamEvent = { type: 'tool_call_start', index, id: asString(item.call_id) ?? asString(item.id) ?? `call_${index}`, name };
    const args = asString(item.arguments);
    return args === undefined || args === '' ? [start] : [start, ...this.#arguments(outputIndex, args)];
  }

  #arguments(outputIndex: number, args: string | undefined): IrStreamEvent[] {
    const call = this.#calls.get(outputIndex);
    if (call === undefined || args === undefined || args === '') return [];
    call.sentArguments = true;
    return [{ type: 'tool_call_delta', index: call.index, arguments: args }];
  }

  #reasoning(delta: string | undefined): IrStreamEvent[] {
    if (delta === undefined || delta === '') return [];
    return [{ type: 'reasoning', text: delta }];
  }

  /** A reasoning item closes with its encrypted content as the block's signature (or as an empty signed block). */
  #itemDone(item: JsonRecord | undefined): IrStreamEvent[] {
    if (item?.type !== 'reasoning') return [];
    const signature = asString(item.encrypted_content);
    // Unsigned, the next event closes the block anyway.
    return signature === undefined || signature === '' ? [] : [{ type: 'reasoning_end', signature }];
  }

  #finish(response: JsonRecord | undefined): IrStreamEvent[] {
    this.#finished = true;
    const out: IrStreamEvent[] = [...this.#model(response)];
    if (response === undefined) return [...out, { type: 'stop', reason: 'end_turn' }];
    out.push({ type: 'usage', usage: responsesUsageToIr(response.usage) });
    out.push({ type: 'stop', reason: responsesStopReason(response, this.#calls.size > 0) });
    return out;
  }
}
