import type { StreamDecoder } from '../../adapters/provider-adapter.js';
import { detachedSignature, midStreamError, truncatedStream } from '../../adapters/stream-failure.js';
import type { IrStreamEvent } from '../../ir/chat-ir.js';
import { asArray, asCount, asRecord, asString, parseJson } from '../../ir/json-shape.js';
import type { SseEvent } from '@aigw/formats';
import { FINISH_TO_IR, openAiUsageToIr, reasoningText, toolCallSignature } from './openai-response.js';

/** Reads chat.completion.chunk events into IR events (tool-call arguments arrive as deltas). */
export class OpenAiStreamDecoder implements StreamDecoder {
  readonly #startedCalls = new Set<number>();
  #modelSeen = false;
  #finished = false;

  push(event: SseEvent): IrStreamEvent[] {
    if (event.data === '[DONE]') return [];
    const chunk = asRecord(parseJson(event.data));
    if (chunk === undefined) throw midStreamError('upstream sent an unreadable stream event');
    if (chunk.error !== undefined) {
      const error = asRecord(chunk.error);
      const code = asCount(error?.code);
      throw midStreamError(asString(error?.message) ?? asString(chunk.error) ?? 'upstream reported an error mid-stream', code >= 400 ? code : undefined);
    }
    const out: IrStreamEvent[] = [];
    const model = asString(chunk.model);
    if (!this.#modelSeen && model !== undefined) {
      this.#modelSeen = true;
      out.push({ type: 'model', model });
    }
    // Usage first (servers that report it on every chunk, e.g. vLLM's continuous_usage_stats, give the
    // prompt's count with the first content).
    if (asRecord(chunk.usage) !== undefined) out.push({ type: 'usage', usage: openAiUsageToIr(chunk.usage) });
    const choice = asRecord(asArray(chunk.choices)?.[0]);
    const delta = asRecord(choice?.delta);
    const reasoning = reasoningText(delta);
    if (reasoning !== undefined && reasoning !== '') out.push({ type: 'reasoning', text: reasoning });
    const content = asString(delta?.content);
    if (content !== undefined && content !== '') out.push({ type: 'text', text: content });
    for (const raw of asArray(delta?.tool_calls) ?? []) this.#toolCall(asRecord(raw), out);
    const finish = asString(choice?.finish_reason);
    if (finish !== undefined) {
      this.#finished = true;
      out.push({ type: 'stop', reason: FINISH_TO_IR[finish] ?? 'end_turn' });
    }
    return out;
  }

  /** A body that ended without a finish_reason was cut off, whatever the transport said. */
  end(): IrStreamEvent[] {
    if (!this.#finished) throw truncatedStream();
    return [];
  }

  #toolCall(call: Record<string, unknown> | undefined, out: IrStreamEvent[]): void {
    if (call === undefined) return;
    const index = asCount(call.index);
    const fn = asRecord(call.function);
    if (!this.#startedCalls.has(index)) {
      const name = asString(fn?.name);
      if (name === undefined) return; // arguments before a name cannot be placed; real upstreams never do this
      this.#startedCalls.add(index);
      const signature = toolCallSignature(call);
      if (signature !== undefined) out.push(...detachedSignature(signature));
      out.push({ type: 'tool_call_start', index, id: asString(call.id) ?? `call_${index}`, name });
    }
    const args = asString(fn?.arguments);
    if (args !== undefined && args !== '') out.push({ type: 'tool_call_delta', index, arguments: args });
  }
}
