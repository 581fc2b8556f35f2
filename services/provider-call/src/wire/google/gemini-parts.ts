import type { IrImageSource, IrPart } from '../../ir/chat-ir.js';
import { asRecord, asString, type JsonRecord } from '../../ir/json-shape.js';
import { toolArgumentsObject } from '../../ir/tool-arguments.js';

// Gemini Content parts ↔ IR parts, for requests and answers alike. Gemini puts `thoughtSignature` on
// any part (a thought, a function call, a text); the IR keeps a signature on reasoning parts only, so
// a signature on another part becomes an empty signed reasoning part right before it (see
// IrReasoningPart), and goes back onto the part that follows it on the way out.

/** Documented value that makes Gemini 3 skip the signature check of a function call it did not sign. */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

/** The text of a functionResponse's `response` object (output/error keys, as Gemini documents them). */
export function functionResponseContent(response: unknown): { content: string; isError: boolean } {
  const r = asRecord(response);
  if (r === undefined) return { content: response === undefined ? '' : JSON.stringify(response), isError: false };
  const keys = Object.keys(r);
  if (keys.length === 1 && typeof r.output === 'string') return { content: r.output, isError: false };
  if (keys.length === 1 && typeof r.error === 'string') return { content: r.error, isError: true };
  return { content: JSON.stringify(r), isError: false };
}

export interface PartsToIrOptions {
  /** Names calls that Gemini left without an id. */
  newToolCallId: () => string;
  /** Receives names of parts the IR cannot carry; answers leave it out and skip them. */
  dropped?: Set<string>;
}

/** Reads one non-thought part's payload into `out`. */
function payloadToIr(part: JsonRecord, out: IrPart[], options: PartsToIrOptions): void {
  const text = asString(part.text);
  if (text !== undefined && text !== '') out.push({ type: 'text', text });
  const call = asRecord(part.functionCall);
  const name = asString(call?.name);
  if (call !== undefined && name !== undefined) {
    out.push({ type: 'tool_call', id: asString(call.id) || options.newToolCallId(), name, arguments: JSON.stringify(call.args ?? {}) });
  }
  const result = asRecord(part.functionResponse);
  const resultName = asString(result?.name);
  if (result !== undefined && resultName !== undefined) {
    const images: IrImageSource[] = [];
    for (const nested of Array.isArray(result.parts) ? result.parts : []) {
      const inline = asRecord(asRecord(nested)?.inlineData);
      const mediaType = asString(inline?.mimeType) ?? '';
      const data = asString(inline?.data);
      if (mediaType.startsWith('image/') && data !== undefined) images.push({ kind: 'base64', mediaType, data });
      else options.dropped?.add('contents.parts.functionResponse.parts');
    }
    const content = functionResponseContent(result.response);
    out.push({ type: 'tool_result', toolCallId: asString(result.id) ?? '', name: resultName, ...content, ...(images.length > 0 ? { images } : {}) });
  }
  for (const key of ['inlineData', 'fileData'] as const) {
    const media = asRecord(part[key]);
    if (media === undefined) continue;
    const mimeType = asString(media.mimeType) ?? '';
    const data = asString(media.data);
    const uri = asString(media.fileUri);
    if (mimeType.startsWith('image/') && key === 'inlineData' && data !== undefined) {
      out.push({ type: 'image', source: { kind: 'base64', mediaType: mimeType, data } });
    } else if (mimeType.startsWith('image/') && key === 'fileData' && uri !== undefined) {
      out.push({ type: 'image', source: { kind: 'url', url: uri } });
    } else options.dropped?.add(`contents.parts.${key}:${mimeType || 'no_mime_type'}`);
  }
  for (const key of ['executableCode', 'codeExecutionResult', 'videoMetadata']) {
    if (part[key] !== undefined) options.dropped?.add(`contents.parts.${key}`);
  }
}

/** Gemini parts → IR parts: consecutive thought parts form one reasoning part, closed by a signature. */
export function geminiPartsToIr(parts: readonly JsonRecord[], options: PartsToIrOptions): IrPart[] {
  const out: IrPart[] = [];
  for (const part of parts) {
    const signature = asString(part.thoughtSignature) || undefined;
    if (part.thought === true) {
      const last = out.at(-1);
      const text = asString(part.text) ?? '';
      if (last?.type === 'reasoning' && last.signature === undefined) last.text += text;
      else out.push({ type: 'reasoning', text });
      if (signature !== undefined) (out.at(-1) as { signature?: string }).signature = signature;
      continue;
    }
    if (signature !== undefined) out.push({ type: 'reasoning', text: '', signature });
    payloadToIr(part, out, options);
  }
  return out;
}

export interface PartsToGeminiOptions {
  /** Answers show unsigned reasoning as thoughts; requests drop it (Gemini accepts only its own, signed). */
  keepUnsigned: boolean;
  dropped: Set<string>;
  /** Call id → function name, filled from calls and read for results. */
  toolNames: Map<string, string>;
  /**
   * Whether images a tool returned go inside its functionResponse (`parts`, Gemini 3's multimodal
   * function responses) rather than as inlineData parts right after it (what older models read).
   */
  nestResultImages?: boolean;
}

/** An image as a Gemini inlineData part; remote URLs have no Gemini form (reported). */
function inlineImage(source: IrImageSource, dropped: Set<string>): JsonRecord | undefined {
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  dropped.add('image_url:remote');
  return undefined;
}

/** The images of a tool result, as inlineData parts. */
function resultImages(part: IrPart): JsonRecord[] {
  const out: JsonRecord[] = [];
  if (part.type !== 'tool_result') return out;
  for (const image of part.images ?? []) {
    const inline = inlineImage(image, new Set());
    if (inline !== undefined) out.push(inline);
  }
  return out;
}

/** One IR part → a Gemini part without signature; undefined when there is none. */
function geminiPayload(part: IrPart, options: PartsToGeminiOptions): JsonRecord | undefined {
  switch (part.type) {
    case 'text':
      return { text: part.text };
    case 'image':
      return inlineImage(part.source, options.dropped);
    case 'tool_call':
      options.toolNames.set(part.id, part.name);
      return { functionCall: { id: part.id, name: part.name, args: toolArgumentsObject(part.arguments) } };
    case 'tool_result': {
      for (const image of part.images ?? []) if (image.kind !== 'base64') options.dropped.add('image_url:remote');
      const images = options.nestResultImages === true ? resultImages(part) : [];
      return {
        functionResponse: {
          id: part.toolCallId,
          // Gemini pairs a result with its call by function name.
          name: part.name ?? options.toolNames.get(part.toolCallId) ?? part.toolCallId,
          response: part.isError ? { error: part.content } : { output: part.content },
          ...(images.length > 0 ? { parts: images } : {}),
        },
      };
    }
    case 'reasoning':
      return part.text === '' ? undefined : { text: part.text, thought: true };
    case 'redacted_reasoning':
      options.dropped.add('redacted_thinking');
      return undefined;
  }
}

/** IR parts → Gemini parts, putting each detached signature back on the part after it. */
export function irPartsToGemini(parts: readonly IrPart[], options: PartsToGeminiOptions): JsonRecord[] {
  const out: JsonRecord[] = [];
  let pending: string | undefined;
  for (const part of parts) {
    if (part.type === 'reasoning') {
      if (part.signature === undefined && !options.keepUnsigned) {
        if (part.text !== '') options.dropped.add('thinking:unsigned');
        continue;
      }
      if (part.text === '' && part.signature !== undefined) {
        pending = part.signature;
        continue;
      }
    }
    if (part.type === 'text' && part.text === '' && pending === undefined) continue;
    const mapped = geminiPayload(part, options);
    if (mapped === undefined) continue;
    const signature = part.type === 'reasoning' ? (part.signature ?? pending) : pending;
    if (signature !== undefined) mapped.thoughtSignature = signature;
    pending = undefined;
    out.push(mapped);
    if (options.nestResultImages !== true) out.push(...resultImages(part));
  }
  if (pending !== undefined) out.push({ text: '', thoughtSignature: pending });
  return out;
}
