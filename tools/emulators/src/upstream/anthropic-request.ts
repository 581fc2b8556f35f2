import { isImageUrl, isObject, nonNegativeInteger, type JsonObject } from './json-fields.js';
import type { ChatRequest } from './reply.js';
import { parseAnthropicOutputFormat } from './response-format-request.js';
import { toolResultText, type ToolChoice, type ToolDeclaration, type ToolResult } from './tool-answer.js';
import type { ParseFailure } from './wire-format.js';
import { countWords } from './words.js';

// Messages API request → ChatRequest. Content is a string or blocks (text, image, tool_use,
// tool_result, thinking, …); tool results are tool_result blocks in a user message, naming the call by
// tool_use_id, so the tool name is looked up in the assistant's earlier tool_use blocks.

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

interface MessageScan {
  text: string;
  images: number;
  results: ToolResult[];
}

function imageError(source: unknown, where: string): ParseFailure | undefined {
  if (!isObject(source)) return { error: `${where}.source: Field required` };
  if (source.type === 'base64') {
    if (typeof source.media_type !== 'string' || !IMAGE_TYPES.has(source.media_type)) {
      return { error: `${where}.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'` };
    }
    return typeof source.data === 'string' && source.data !== '' ? undefined : { error: `${where}.source.base64.data: Field required` };
  }
  if (source.type === 'url') return isImageUrl(source.url) ? undefined : { error: `${where}.source.url.url: Input should be a valid URL` };
  return { error: `${where}.source: Input tag '${String(source.type)}' found using 'type' does not match any of the expected tags: 'base64', 'url'` };
}

/** Text, images and tool results of one message's content; records tool_use ids in `callNames`. */
function scanMessage(content: unknown, where: string, callNames: Map<string, string>): MessageScan | ParseFailure {
  const scan: MessageScan = { text: '', images: 0, results: [] };
  if (typeof content === 'string') return { ...scan, text: content };
  if (!Array.isArray(content)) return { error: `${where}: Input should be a valid string or list of content blocks` };
  for (const [j, block] of content.entries()) {
    if (!isObject(block)) continue;
    const at = `${where}.${j}`;
    if (block.type === 'text' && typeof block.text === 'string') {
      scan.text = scan.text === '' ? block.text : `${scan.text}\n${block.text}`;
    } else if (block.type === 'image') {
      const failure = imageError(block.source, `${at}.image`);
      if (failure !== undefined) return failure;
      scan.images++;
    } else if (block.type === 'tool_use' && typeof block.id === 'string' && typeof block.name === 'string') {
      callNames.set(block.id, block.name);
    } else if (block.type === 'tool_result') {
      const id = typeof block.tool_use_id === 'string' ? block.tool_use_id : '';
      if (Array.isArray(block.content)) {
        for (const inner of block.content) {
          if (isObject(inner) && inner.type === 'image') {
            const failure = imageError(inner.source, `${at}.tool_result.content.image`);
            if (failure !== undefined) return failure;
            scan.images++;
          }
        }
      }
      scan.results.push({ name: callNames.get(id) ?? 'unknown', text: toolResultText(block.content) });
    }
  }
  return scan;
}

function parseTools(tools: unknown): ToolDeclaration[] | ParseFailure | undefined {
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return { error: 'tools: Input should be a valid list' };
  const out: ToolDeclaration[] = [];
  for (const [i, tool] of tools.entries()) {
    if (!isObject(tool)) return { error: `tools.${i}: Input should be an object` };
    // Server tools (web_search_20250305, bash_…) carry a versioned type and no schema.
    if (tool.type !== undefined && tool.type !== 'custom') continue;
    if (typeof tool.name !== 'string' || tool.name === '') return { error: `tools.${i}.custom.name: Field required` };
    if (!isObject(tool.input_schema)) return { error: `tools.${i}.custom.input_schema: Field required` };
    out.push({ name: tool.name, parameters: tool.input_schema });
  }
  return out.length > 0 ? out : undefined;
}

function parseToolChoice(choice: unknown): ToolChoice | undefined {
  if (!isObject(choice)) return undefined;
  if (choice.type === 'none') return 'none';
  if (choice.type === 'any') return 'required';
  if (choice.type === 'tool' && typeof choice.name === 'string') return { name: choice.name };
  return undefined;
}

function systemText(system: unknown): string {
  if (typeof system === 'string') return system;
  if (!Array.isArray(system)) return '';
  return system
    .filter((b): b is JsonObject => isObject(b) && typeof b.text === 'string')
    .map((b) => b.text as string)
    .join('\n');
}

/**
 * Models that take `role: "system"` messages inside `messages` (Claude Opus 4.8; no beta header). The
 * emulator serves any model name: one that names Claude Opus 4.8 anywhere counts as that model.
 */
const MID_CONVERSATION_SYSTEM = /claude-opus-4-8/;

/**
 * Anthropic's rules for a system message inside `messages`: the model must take them, and it must come
 * right after a user message and be last or followed by an assistant message.
 */
function systemPlacementError(model: string, messages: readonly unknown[], i: number): ParseFailure | undefined {
  if (!MID_CONVERSATION_SYSTEM.test(model)) return { error: `messages.${i}.role: system messages in 'messages' are not supported by model ${model}` };
  const role = (j: number) => (isObject(messages[j]) ? (messages[j] as JsonObject).role : undefined);
  if (role(i - 1) !== 'user') return { error: `messages.${i}: a system message must follow a user message` };
  if (i < messages.length - 1 && role(i + 1) !== 'assistant') {
    return { error: `messages.${i}: a system message must be the last message or be followed by an assistant message` };
  }
  return undefined;
}

/** Parses a Messages API request body into the format-neutral request. */
export function parseAnthropicRequest(body: unknown): ChatRequest | ParseFailure {
  if (!isObject(body)) return { error: 'Request body must be a JSON object.' };
  if (typeof body.model !== 'string' || body.model === '') return { error: 'model: Field required' };
  const maxTokens = nonNegativeInteger(body.max_tokens);
  if (maxTokens === undefined || maxTokens < 1) return { error: 'max_tokens: Field required' };
  if (!Array.isArray(body.messages) || body.messages.length === 0) return { error: 'messages: Field required' };
  let inputTokens = countWords(systemText(body.system));
  let lastUserText = '';
  let images = 0;
  let results: ToolResult[] = [];
  const callNames = new Map<string, string>();
  for (const [i, message] of (body.messages as unknown[]).entries()) {
    if (!isObject(message)) return { error: `messages.${i}: Input should be an object` };
    if (message.role !== 'user' && message.role !== 'assistant' && message.role !== 'system') {
      return { error: `messages.${i}.role: Input should be 'user', 'assistant' or 'system'` };
    }
    if (message.role === 'system') {
      const misplaced = systemPlacementError(body.model, body.messages as unknown[], i);
      if (misplaced !== undefined) return misplaced;
    }
    const scan = scanMessage(message.content, `messages.${i}.content`, callNames);
    if ('error' in scan) return scan;
    if (message.role === 'system') {
      inputTokens += countWords(scan.text);
      continue;
    }
    inputTokens += countWords(scan.text);
    for (const r of scan.results) inputTokens += countWords(r.text);
    images += scan.images;
    results = message.role === 'user' ? scan.results : [];
    if (message.role === 'user' && !(scan.results.length > 0 && scan.text === '')) lastUserText = scan.text;
  }
  const tools = parseTools(body.tools);
  if (tools !== undefined && !Array.isArray(tools)) return tools;
  const toolChoice = parseToolChoice(body.tool_choice);
  const responseFormat = parseAnthropicOutputFormat(body);
  if (responseFormat !== undefined && 'error' in responseFormat) return responseFormat;
  const thinking = isObject(body.thinking) && (body.thinking.type === 'enabled' || body.thinking.type === 'adaptive');
  const chat: ChatRequest = {
    model: body.model,
    stream: body.stream === true,
    lastUserText,
    inputTokens,
    maxOutputTokens: maxTokens,
    streamUsage: true,
  };
  if (tools !== undefined) chat.tools = tools;
  if (toolChoice !== undefined) chat.toolChoice = toolChoice;
  if (results.length > 0) chat.toolResults = results;
  if (thinking) chat.thinking = true;
  if (images > 0) chat.images = images;
  if (responseFormat !== undefined) chat.responseFormat = responseFormat;
  return chat;
}
