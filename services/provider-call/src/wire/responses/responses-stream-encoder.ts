import { AppError } from '@aigw/errors';
import { formatSseEvent, newResponsesId, openAiErrorNames, responsesErrorEvent } from '@aigw/formats';
import type { EncodeContext, StreamEncoder } from '../../adapters/client-codec.js';
import type { IrError, IrStopReason, IrStreamEvent, IrUsage } from '../../ir/chat-ir.js';
import { ZERO_USAGE } from '../../ir/chat-ir.js';
import { responsesAnswerOf, type ResponsesAnswerContext } from './responses-answer-context.js';
import type { ClientToolName } from './responses-request-tools.js';
import {
  clientToolName,
  customToolInput,
  endOf,
  messageItem,
  outputTextPart,
  reasoningItem,
  redactedReasoningItem,
  responseObject,
  toolCallItem,
  type ResponseStatus,
} from './responses-output.js';

// IR stream events → the Responses API's typed events, in the order OpenAI sends them: response.created and
// response.in_progress; per output item output_item.added, its content events, output_item.done; then
// response.completed (or response.incomplete) with the whole response. Every event names itself
// (`event: <type>`) and carries the next sequence_number.

type OpenItem =
  | { kind: 'message'; index: number; id: string; text: string }
  | { kind: 'reasoning'; index: number; id: string; text: string }
  | { kind: 'call'; index: number; id: string; callId: string; tool: ClientToolName; args: string };

export class ResponsesStreamEncoder implements StreamEncoder {
  readonly #id: string;
  readonly #createdAt = Math.floor(Date.now() / 1000);
  readonly #answer: ResponsesAnswerContext;
  #model: string;
  #sequence = 0;
  readonly #output: Array<Record<string, unknown>> = [];
  #open: OpenItem | undefined;
  /** Each IR tool call index's item; a closed call's index stays, so late arguments are caught. */
  readonly #calls = new Map<number, OpenItem & { kind: 'call' }>();
  #stop: IrStopReason = 'end_turn';
  #usage: IrUsage | undefined;

  constructor(ctx: EncodeContext) {
    this.#id = ctx.responseId || newResponsesId('resp');
    this.#model = ctx.model;
    this.#answer = responsesAnswerOf(ctx);
  }

  begin(): string {
    const response = this.#response('in_progress');
    return this.#event('response.created', { response }) + this.#event('response.in_progress', { response });
  }

  push(event: IrStreamEvent): string {
    switch (event.type) {
      case 'text':
        if (event.text === '') return '';
        return this.#openMessage() + this.#textDelta(event.text);
      case 'reasoning':
        if (event.text === '') return '';
        return this.#openReasoning() + this.#reasoningDelta(event.text);
      case 'reasoning_end':
        if (this.#open?.kind === 'reasoning') return this.#close(event.signature);
        // A signature with no open block stands for an empty signed block (see IrStreamEvent).
        return event.signature === undefined || event.signature === '' ? '' : this.#close() + this.#whole(reasoningItem(newResponsesId('rs'), '', event.signature));
      case 'reasoning_redacted':
        return this.#close() + this.#whole(redactedReasoningItem(newResponsesId('rs'), event.data));
      case 'tool_call_start':
        return this.#close() + this.#openCall(event.index, event.id, event.name);
      case 'tool_call_delta':
        return this.#callDelta(event.index, event.arguments);
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
    const { status, incompleteDetails } = endOf(this.#stop);
    const out = this.#close(undefined, status === 'completed' ? 'completed' : 'incomplete');
    const response = this.#response(status, { incompleteDetails, usage: this.#usage ?? ZERO_USAGE });
    return out + this.#event(status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
  }

  /**
   * `error` then `response.failed`: the openai SDK (and the Agents SDK through it) throws on the first, the
   * AI SDK fails the stream on the first and ignores the second, Codex ignores `error` and fails the turn
   * with the second's message. Items left open are given as they stood, incomplete.
   */
  fail(error: IrError): string {
    const open = this.#open;
    if (open !== undefined) this.#output[open.index] = this.#item(open, 'incomplete');
    this.#open = undefined;
    const errorEvent = responsesErrorEvent(error, this.#sequence++);
    const code = openAiErrorNames(error)[1];
    const response = this.#response('failed', { error: { code, message: error.message }, usage: this.#usage });
    return formatSseEvent(errorEvent.data, errorEvent.event) + this.#event('response.failed', { response });
  }

  #openMessage(): string {
    if (this.#open?.kind === 'message') return '';
    const out = this.#close();
    const item: OpenItem = { kind: 'message', index: this.#output.length, id: newResponsesId('msg'), text: '' };
    this.#begin(item);
    return (
      out +
      this.#event('response.output_item.added', { output_index: item.index, item: this.#output[item.index] }) +
      this.#event('response.content_part.added', { item_id: item.id, output_index: item.index, content_index: 0, part: outputTextPart('') })
    );
  }

  #textDelta(text: string): string {
    const open = this.#open as OpenItem & { kind: 'message' };
    open.text += text;
    return this.#event('response.output_text.delta', { item_id: open.id, output_index: open.index, content_index: 0, delta: text, logprobs: [] });
  }

  #openReasoning(): string {
    if (this.#open?.kind === 'reasoning') return '';
    const out = this.#close();
    const item: OpenItem = { kind: 'reasoning', index: this.#output.length, id: newResponsesId('rs'), text: '' };
    this.#begin(item);
    return (
      out +
      this.#event('response.output_item.added', { output_index: item.index, item: this.#output[item.index] }) +
      this.#event('response.reasoning_summary_part.added', { item_id: item.id, output_index: item.index, summary_index: 0, part: { type: 'summary_text', text: '' } })
    );
  }

  #reasoningDelta(text: string): string {
    const open = this.#open as OpenItem & { kind: 'reasoning' };
    open.text += text;
    return this.#event('response.reasoning_summary_text.delta', { item_id: open.id, output_index: open.index, summary_index: 0, delta: text });
  }

  #openCall(index: number, callId: string, irName: string): string {
    const tool = clientToolName(irName, this.#answer);
    const item: OpenItem = { kind: 'call', index: this.#output.length, id: newResponsesId(tool.custom ? 'ctc' : 'fc'), callId, tool, args: '' };
    this.#calls.set(index, item);
    this.#begin(item);
    return this.#event('response.output_item.added', { output_index: item.index, item: this.#output[item.index] });
  }

  #callDelta(index: number, args: string): string {
    const call = this.#calls.get(index);
    // A call's arguments must arrive whole in its done events; those of a call already closed cannot.
    if (call === undefined || call !== this.#open) throw new AppError('UPSTREAM_ERROR', `upstream sent arguments of tool call ${index} outside that call`);
    call.args += args;
    // A custom tool's input is the `input` string inside these JSON arguments: it goes out whole at the end.
    if (call.tool.custom || args === '') return '';
    return this.#event('response.function_call_arguments.delta', { item_id: call.id, output_index: call.index, delta: args });
  }

  #begin(item: OpenItem): void {
    this.#open = item;
    this.#output.push(this.#item(item, 'in_progress'));
  }

  /** Closes the open item with its done events; `signature` is a closing reasoning block's. */
  #close(signature?: string, status: 'completed' | 'incomplete' = 'completed'): string {
    const open = this.#open;
    if (open === undefined) return '';
    this.#open = undefined;
    const done = this.#item(open, status, signature);
    this.#output[open.index] = done;
    const at = { item_id: open.id, output_index: open.index };
    let out = '';
    if (open.kind === 'message') {
      out += this.#event('response.output_text.done', { ...at, content_index: 0, text: open.text, logprobs: [] });
      out += this.#event('response.content_part.done', { ...at, content_index: 0, part: outputTextPart(open.text) });
    } else if (open.kind === 'reasoning') {
      out += this.#event('response.reasoning_summary_text.done', { ...at, summary_index: 0, text: open.text });
      out += this.#event('response.reasoning_summary_part.done', { ...at, summary_index: 0, part: { type: 'summary_text', text: open.text } });
    } else if (open.tool.custom) {
      const input = customToolInput(open.args);
      if (input !== '') out += this.#event('response.custom_tool_call_input.delta', { ...at, delta: input });
      out += this.#event('response.custom_tool_call_input.done', { ...at, input });
    } else {
      out += this.#event('response.function_call_arguments.done', { ...at, name: open.tool.name, arguments: open.args });
    }
    return out + this.#event('response.output_item.done', { output_index: open.index, item: done });
  }

  /** An item that arrives whole (a signed or redacted reasoning block with no text): added, then done. */
  #whole(item: Record<string, unknown>): string {
    const index = this.#output.length;
    this.#output.push(item);
    return this.#event('response.output_item.added', { output_index: index, item }) + this.#event('response.output_item.done', { output_index: index, item });
  }

  #item(open: OpenItem, status: 'in_progress' | 'completed' | 'incomplete', signature?: string): Record<string, unknown> {
    switch (open.kind) {
      case 'message':
        return messageItem(open.id, status, status === 'in_progress' ? undefined : open.text);
      case 'reasoning':
        return reasoningItem(open.id, open.text, signature);
      case 'call':
        return toolCallItem(open.id, open.callId, open.tool, open.args, status);
    }
  }

  #response(status: ResponseStatus, end: { incompleteDetails?: { reason: string } | null; usage?: IrUsage | undefined; error?: { code: string; message: string } } = {}): Record<string, unknown> {
    return responseObject(
      { id: this.#id, createdAt: this.#createdAt, status, model: this.#model, output: [...this.#output], usage: end.usage, incompleteDetails: end.incompleteDetails ?? null, error: end.error ?? null },
      this.#answer,
    );
  }

  #event(type: string, fields: Record<string, unknown>): string {
    return formatSseEvent(JSON.stringify({ type, sequence_number: this.#sequence++, ...fields }), type);
  }
}
