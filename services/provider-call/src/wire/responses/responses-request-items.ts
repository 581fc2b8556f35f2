import { AppError } from '@aigw/errors';
import { uncarriedFields, type ResponsesContentPart, type ResponsesInputItem, type ResponsesOutputPart } from '@aigw/formats';
import type { IrImageSource, IrMessage, IrPart } from '../../ir/chat-ir.js';
import { imageSourceFromUrl } from '../openai/openai-request.js';
import { irToolName } from './responses-request-tools.js';

// Responses input items → IR messages. The Responses API lists a turn's pieces as separate items (reasoning,
// an assistant message, function calls); the IR groups them into turns: consecutive assistant-side items
// form one assistant message, consecutive tool outputs one user message, as the other client formats do.

/**
 * Encrypted reasoning only Anthropic can read (its redacted_thinking) travels in a reasoning item's
 * `encrypted_content` behind this mark, so that the next turn gives it back as what it was.
 */
export const REDACTED_REASONING_MARK = 'aigw-redacted:';

/** The IR image of an input_image part; undefined (reported) for a file id, which only OpenAI can resolve. */
function imageOf(part: Extract<ResponsesContentPart, { type: 'input_image' }>, dropped: Set<string>): IrImageSource | undefined {
  if (part.detail !== undefined && part.detail !== null && part.detail !== 'auto') dropped.add('input.content.input_image.detail');
  if (typeof part.image_url === 'string') return imageSourceFromUrl(part.image_url);
  dropped.add('input.content.input_image.file_id');
  return undefined;
}

/** Fields of each part type that are carried or only describe the part; any other (a cache breakpoint, …) is reported. */
const PART_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  input_text: new Set(['type', 'text']),
  output_text: new Set(['type', 'text', 'annotations', 'logprobs']),
  refusal: new Set(['type', 'refusal']),
  input_image: new Set(['type', 'image_url', 'file_id', 'detail']),
};

/** A message's parts: text of every text-like part, images where the role may have them; the rest reported. */
function partsOf(content: string | ResponsesContentPart[], images: boolean, dropped: Set<string>): IrPart[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  const parts: IrPart[] = [];
  for (const part of content) {
    const known = PART_FIELDS[part.type];
    if (known !== undefined) for (const key of uncarriedFields(part, known)) dropped.add(`input.content.${part.type}.${key}`);
    switch (part.type) {
      case 'input_text':
      case 'output_text':
        parts.push({ type: 'text', text: part.text });
        break;
      case 'refusal':
        parts.push({ type: 'text', text: part.refusal });
        break;
      case 'input_image': {
        const source = images ? imageOf(part, dropped) : undefined;
        if (!images) dropped.add('input.content.input_image');
        if (source !== undefined) parts.push({ type: 'image', source });
        break;
      }
      case 'input_file':
        dropped.add('input.content.input_file');
        break;
      case 'unsupported':
        dropped.add(`input.content.${part.name}`);
        break;
    }
  }
  return parts;
}

/** A tool's output: its text parts joined, its images; files reported. */
function toolOutput(output: string | ResponsesOutputPart[], dropped: Set<string>): { content: string; images: IrImageSource[] } {
  if (typeof output === 'string') return { content: output, images: [] };
  const texts: string[] = [];
  const images: IrImageSource[] = [];
  for (const part of output) {
    if (part.type === 'input_text') texts.push(part.text);
    else if (part.type === 'input_image') {
      const source = imageOf(part, dropped);
      if (source !== undefined) images.push(source);
    } else dropped.add(`input.output.${part.type === 'unsupported' ? part.name : part.type}`);
  }
  return { content: texts.join('\n'), images };
}

/** A reasoning item's text: its summaries, else its raw reasoning text (what OpenAI-compatible servers send). */
function reasoningPart(item: Extract<ResponsesInputItem, { type: 'reasoning' }>): IrPart | undefined {
  const encrypted = item.encrypted_content ?? undefined;
  if (encrypted?.startsWith(REDACTED_REASONING_MARK)) return { type: 'redacted_reasoning', data: encrypted.slice(REDACTED_REASONING_MARK.length) };
  const summary = (item.summary ?? []).map((s) => s.text).filter((t) => t !== '');
  const text = (summary.length > 0 ? summary : (item.content ?? []).map((c) => c.text)).join('\n\n');
  if (text === '' && (encrypted === undefined || encrypted === '')) return undefined;
  return encrypted === undefined || encrypted === '' ? { type: 'reasoning', text } : { type: 'reasoning', text, signature: encrypted };
}

/** Builds IR turns from items one at a time; `system` collects the system text that leads the conversation. */
class TurnBuilder {
  readonly messages: IrMessage[] = [];
  readonly system: string[] = [];
  /** The IR tool name of each call id seen, for the results that answer it. */
  readonly #callNames = new Map<string, string>();

  constructor(private readonly dropped: Set<string>) {}

  add(item: ResponsesInputItem, index: number): void {
    switch (item.type) {
      case 'message':
        return this.#message(item);
      case 'reasoning': {
        const part = reasoningPart(item);
        if (part !== undefined) this.#assistant(part);
        return;
      }
      case 'function_call':
        return this.#call(item.call_id, irToolName(item.name, item.namespace), item.arguments);
      case 'custom_tool_call':
        return this.#call(item.call_id, irToolName(item.name, item.namespace), JSON.stringify({ input: item.input }));
      case 'function_call_output':
      case 'custom_tool_call_output':
        return this.#result(item.call_id, toolOutput(item.output, this.dropped));
      case 'item_reference':
        throw new AppError('INVALID_REQUEST', `input[${index}]: item_reference "${item.id}" does not name an item of a response stored by the gateway`, {
          details: { param: `input[${index}]` },
        });
      case 'unsupported':
        this.dropped.add(`input[${index}].type=${item.name}`);
        return;
    }
  }

  #message(item: Extract<ResponsesInputItem, { type: 'message' }>): void {
    if (item.role === 'system' || item.role === 'developer') {
      const text = partsOf(item.content, false, this.dropped).map((p) => (p.type === 'text' ? p.text : '')).join('\n');
      // Before any other message: the system prompt; later: an instruction given at that point.
      if (this.messages.length === 0) this.system.push(text);
      else if (text !== '') this.messages.push({ role: 'system', parts: [{ type: 'text', text }] });
      return;
    }
    const parts = partsOf(item.content, item.role === 'user', this.dropped);
    if (item.role === 'assistant') for (const part of parts) this.#assistant(part);
    else if (parts.length > 0) this.messages.push({ role: 'user', parts });
  }

  #assistant(part: IrPart): void {
    const last = this.messages.at(-1);
    if (last?.role === 'assistant') last.parts.push(part);
    else this.messages.push({ role: 'assistant', parts: [part] });
  }

  #call(id: string, name: string, args: string): void {
    this.#callNames.set(id, name);
    this.#assistant({ type: 'tool_call', id, name, arguments: args });
  }

  #result(callId: string, output: { content: string; images: IrImageSource[] }): void {
    const name = this.#callNames.get(callId);
    const part: IrPart = {
      type: 'tool_result',
      toolCallId: callId,
      ...(name === undefined ? {} : { name }),
      content: output.content,
      ...(output.images.length === 0 ? {} : { images: output.images }),
      isError: false,
    };
    const last = this.messages.at(-1);
    if (last?.role === 'user' && last.parts.every((p) => p.type === 'tool_result')) last.parts.push(part);
    else this.messages.push({ role: 'user', parts: [part] });
  }
}

/** Input (a string or items) → IR messages and the system texts that lead them. */
export function inputToIr(input: string | readonly ResponsesInputItem[] | undefined, dropped: Set<string>): { messages: IrMessage[]; system: string[] } {
  if (input === undefined) return { messages: [], system: [] };
  if (typeof input === 'string') return { messages: [{ role: 'user', parts: [{ type: 'text', text: input }] }], system: [] };
  const builder = new TurnBuilder(dropped);
  input.forEach((item, i) => builder.add(item, i));
  return { messages: builder.messages, system: builder.system };
}
