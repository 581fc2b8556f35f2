import type { EncodeContext, StreamEncoder } from '../../adapters/client-codec.js';
import { ZERO_USAGE, type IrError, type IrStopReason, type IrStreamEvent, type IrUsage } from '../../ir/chat-ir.js';
import { toolArgumentsObject } from '../../ir/tool-arguments.js';
import { EventFramer } from '@aigw/formats';
import { googleErrorBody } from './google-errors.js';
import { IR_TO_FINISH_REASON } from './gemini-response-encoder.js';
import { irUsageToGemini } from './gemini-response.js';

interface OpenCall {
  id: string;
  name: string;
  args: string;
  signature?: string;
}

/**
 * Writes IR events as streamGenerateContent?alt=sse events: each a GenerateContentResponse with the
 * new parts. Gemini sends function calls whole, so a call's argument deltas are collected and the
 * call goes out once the next event shows it is complete. The last event has the finishReason and
 * the usage. A signature for the next part waits for that part. Events are framed as the client asked:
 * SSE, or the elements of one JSON array (streamGenerateContent without alt=sse).
 */
export class GeminiStreamEncoder implements StreamEncoder {
  readonly #ctx: EncodeContext;
  #model: string;
  #stop: IrStopReason = 'end_turn';
  #usage: IrUsage = ZERO_USAGE;
  #reasoningOpen = false;
  #pendingSignature: string | undefined;
  #calls: OpenCall[] = [];
  readonly #callsByIndex = new Map<number, OpenCall>();
  readonly #framer: EventFramer;

  constructor(ctx: EncodeContext) {
    this.#ctx = ctx;
    this.#model = ctx.model;
    this.#framer = new EventFramer(ctx.framing);
  }

  begin(): string {
    return '';
  }

  push(event: IrStreamEvent): string {
    switch (event.type) {
      case 'text':
        this.#reasoningOpen = false;
        return this.#flushCalls() + this.#event([this.#signed({ text: event.text })]);
      case 'reasoning':
        this.#reasoningOpen = true;
        return this.#flushCalls() + this.#event([this.#signed({ text: event.text, thought: true })]);
      case 'reasoning_end': {
        const wasOpen = this.#reasoningOpen;
        this.#reasoningOpen = false;
        if (event.signature === undefined) return '';
        if (!wasOpen) {
          this.#pendingSignature = event.signature;
          return '';
        }
        return this.#event([{ text: '', thought: true, thoughtSignature: event.signature }]);
      }
      case 'reasoning_redacted':
        return '';
      case 'tool_call_start': {
        this.#reasoningOpen = false;
        const call: OpenCall = { id: event.id, name: event.name, args: '' };
        if (this.#pendingSignature !== undefined) call.signature = this.#pendingSignature;
        this.#pendingSignature = undefined;
        this.#calls.push(call);
        this.#callsByIndex.set(event.index, call);
        return '';
      }
      case 'tool_call_delta': {
        const call = this.#callsByIndex.get(event.index);
        if (call !== undefined) call.args += event.arguments;
        return '';
      }
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
    const parts = this.#callParts();
    if (this.#pendingSignature !== undefined) parts.push({ text: '', thoughtSignature: this.#pendingSignature });
    this.#pendingSignature = undefined;
    const candidate: Record<string, unknown> = { finishReason: IR_TO_FINISH_REASON[this.#stop], index: 0 };
    if (parts.length > 0) candidate.content = { role: 'model', parts };
    const last = this.#framer.event(JSON.stringify({ candidates: [candidate], usageMetadata: irUsageToGemini(this.#usage), ...this.#meta() }));
    return last + this.#framer.close();
  }

  fail(error: IrError): string {
    return this.#framer.event(googleErrorBody(error)) + this.#framer.close();
  }

  #signed(part: Record<string, unknown>): Record<string, unknown> {
    if (this.#pendingSignature !== undefined) part.thoughtSignature = this.#pendingSignature;
    this.#pendingSignature = undefined;
    return part;
  }

  #callParts(): Array<Record<string, unknown>> {
    const parts = this.#calls.map((call) => ({
      functionCall: { id: call.id, name: call.name, args: toolArgumentsObject(call.args) },
      ...(call.signature === undefined ? {} : { thoughtSignature: call.signature }),
    }));
    this.#calls = [];
    return parts;
  }

  #flushCalls(): string {
    const parts = this.#callParts();
    return parts.length === 0 ? '' : this.#event(parts);
  }

  #event(parts: Array<Record<string, unknown>>): string {
    return this.#framer.event(JSON.stringify({ candidates: [{ content: { role: 'model', parts }, index: 0 }], ...this.#meta() }));
  }

  #meta(): Record<string, string> {
    return { modelVersion: this.#model, responseId: this.#ctx.requestId };
  }
}
