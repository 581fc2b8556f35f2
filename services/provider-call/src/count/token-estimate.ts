import type { IrPart, IrRequest } from '../ir/chat-ir.js';

// A local count for upstreams without a count endpoint (OpenAI-compatible) and for when a count endpoint
// fails: the o200k_base tokenizer (GPT-4o's and later OpenAI models'; other models' tokenizers differ by some
// per cent, hence "estimate"), applied to the text the model reads, plus the chat format's per-message
// overhead as OpenAI documents it. The tokenizer's tables cost about 20 MB of heap, so they are loaded on the
// first estimate, never in a process that does not need them.

/** Tokens around each message (role and separators) and priming the reply, as OpenAI's chat format counts them. */
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;
/** What OpenAI bills a low-detail image; a fair middle for an image whose size the gateway does not measure. */
const PER_IMAGE = 85;

type Counter = (text: string) => number;

let loading: Promise<Counter> | undefined;

/** The o200k_base counter, loaded once on first use. */
function counter(): Promise<Counter> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then((tokenizer) => (text: string) => (text === '' ? 0 : tokenizer.countTokens(text)));
  return loading;
}

/** The texts a model reads in one part, and how many images. */
function partTexts(part: IrPart, texts: string[]): number {
  switch (part.type) {
    case 'text':
      texts.push(part.text);
      return 0;
    case 'image':
      return 1;
    case 'tool_call':
      texts.push(part.name, part.arguments);
      return 0;
    case 'tool_result':
      texts.push(part.content);
      return 0;
    case 'reasoning':
      texts.push(part.text);
      return 0;
    case 'redacted_reasoning':
      return 0;
  }
}

/** Every text of a request the model reads (system, messages, tool declarations), and the image count. */
export function inputTexts(ir: IrRequest): { texts: string[]; images: number; messages: number } {
  const texts: string[] = [];
  let images = 0;
  if (ir.system !== undefined && ir.system !== '') texts.push(ir.system);
  for (const message of ir.messages) for (const part of message.parts) images += partTexts(part, texts);
  for (const tool of ir.tools) texts.push(JSON.stringify({ name: tool.name, description: tool.description ?? '', parameters: tool.parameters }));
  return { texts, images, messages: ir.messages.length + (ir.system === undefined || ir.system === '' ? 0 : 1) };
}

/** The estimated input tokens of a request. */
export async function estimateInputTokens(ir: IrRequest): Promise<number> {
  const count = await counter();
  const { texts, images, messages } = inputTexts(ir);
  let tokens = REPLY_PRIMING + messages * PER_MESSAGE + images * PER_IMAGE;
  for (const text of texts) tokens += count(text);
  return tokens;
}

/** The estimated tokens of texts read on their own (no chat framing), e.g. the inputs of an embeddings call. */
export async function estimateTextTokens(texts: readonly string[]): Promise<number> {
  const count = await counter();
  let tokens = 0;
  for (const text of texts) tokens += count(text);
  return tokens;
}
