import type { StreamDecoder } from '../../adapters/provider-adapter.js';
import { detachedSignature, midStreamError, truncatedStream } from '../../adapters/stream-failure.js';
import type { IrStreamEvent } from '../../ir/chat-ir.js';
import { asCount, asRecord, asString, parseJson, type JsonRecord } from '../../ir/json-shape.js';
import type { SseEvent } from '@aigw/formats';
import { decodeGoogleError } from './google-errors.js';
import { candidateParts, geminiStopReason, geminiUsageToIr } from './gemini-response.js';

/**
 * Reads streamGenerateContent?alt=sse events into IR events. Each event is a whole
 * GenerateContentResponse holding text and thought deltas; function calls arrive complete, so each
 * becomes a tool_call_start plus one delta with all its arguments. `unwrap` takes the response out
 * of a provider's envelope (Cloud Code's `{response: …}`).
 */
export class GeminiStreamDecoder implements StreamDecoder {
  #calls = 0;
  #modelSeen = false;
  #finished = false;

  constructor(
    private readonly unwrap: (event: JsonRecord) => JsonRecord | undefined,
    private readonly newToolCallId: () => string,
  ) {}

  push(event: SseEvent): IrStreamEvent[] {
    const root = asRecord(parseJson(event.data));
    if (root?.error !== undefined) {
      const code = asCount(asRecord(root.error)?.code);
      throw midStreamError(decodeGoogleError(0, event.data).message, code >= 400 ? code : undefined);
    }
    const response = root === undefined ? undefined : this.unwrap(root);
    if (response === undefined) throw midStreamError('upstream sent an unreadable stream event');
    const out: IrStreamEvent[] = [];
    const model = asString(response.modelVersion);
    if (!this.#modelSeen && model !== undefined) {
      this.#modelSeen = true;
      out.push({ type: 'model', model });
    }
    // Usage first: it describes the whole answer so far, and an encoder that opens the answer with the
    // prompt's token count (Anthropic's message_start) finds it before the chunk's content.
    if (response.usageMetadata !== undefined) out.push({ type: 'usage', usage: geminiUsageToIr(response.usageMetadata) });
    const { parts, finishReason } = candidateParts(response);
    for (const part of parts) this.#part(part, out);
    if (finishReason !== undefined) {
      this.#finished = true;
      out.push({ type: 'stop', reason: geminiStopReason(finishReason, this.#calls > 0) });
    } else if (asRecord(response.promptFeedback)?.blockReason !== undefined) {
      this.#finished = true;
      out.push({ type: 'stop', reason: 'content_filter' });
    }
    return out;
  }

  /** A body that ended before any finishReason was cut off, whatever the transport said. */
  end(): IrStreamEvent[] {
    if (!this.#finished) throw truncatedStream();
    return [];
  }

  #part(part: JsonRecord, out: IrStreamEvent[]): void {
    const signature = asString(part.thoughtSignature) || undefined;
    const text = asString(part.text);
    if (part.thought === true) {
      if (text) out.push({ type: 'reasoning', text });
      if (signature !== undefined) out.push({ type: 'reasoning_end', signature });
      return;
    }
    if (signature !== undefined) out.push(...detachedSignature(signature));
    if (text) out.push({ type: 'text', text });
    const call = asRecord(part.functionCall);
    const name = asString(call?.name);
    if (call !== undefined && name !== undefined) {
      const index = this.#calls++;
      out.push({ type: 'tool_call_start', index, id: asString(call.id) || this.newToolCallId(), name });
      out.push({ type: 'tool_call_delta', index, arguments: JSON.stringify(call.args ?? {}) });
    }
  }
}
