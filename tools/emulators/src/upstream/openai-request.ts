import { isImageUrl, isObject, nonNegativeInteger } from './json-fields.js';
import type { ChatRequest } from './reply.js';
import { parseOpenAiResponseFormat } from './response-format-request.js';
import { toolResultText, type ToolChoice, type ToolDeclaration, type ToolResult } from './tool-answer.js';
import type { ParseFailure } from './wire-format.js';
import { countWords } from './words.js';

// Chat Completions request → ChatRequest. Tool results are `role: "tool"` messages naming the call by
// tool_call_id, so the tool name is looked up in the assistant's earlier tool_calls. Reasoning is
// asked with `reasoning_effort` (OpenAI) or `thinking: {type: "enabled"}` (GLM / DeepSeek style).

/** Text of a message's content: a string, or the text parts of a content array. */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (typeof part === 'object' && part !== null && (part as { type?: unknown }).type === 'text') {
      const t = (part as { text?: unknown }).text;
      if (typeof t === 'string') text = text === '' ? t : `${text}\n${t}`;
    }
  }
  return text;
}

/** Image parts of a content array, or the failure for a malformed one. */
function contentImages(content: unknown, where: string): number | ParseFailure {
  if (!Array.isArray(content)) return 0;
  let images = 0;
  for (const part of content) {
    if (!isObject(part) || part.type !== 'image_url') continue;
    const url = isObject(part.image_url) ? part.image_url.url : part.image_url;
    if (!isImageUrl(url)) return { error: `Invalid image URL in '${where}': expected an http(s) URL or a base64 data URL.` };
    images++;
  }
  return images;
}

function parseTools(tools: unknown): ToolDeclaration[] | ParseFailure | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) return { error: "Invalid type for 'tools': expected an array." };
  const out: ToolDeclaration[] = [];
  for (const [i, tool] of tools.entries()) {
    if (!isObject(tool) || tool.type !== 'function') continue; // custom / built-in tools have no schema
    const fn = tool.function;
    if (!isObject(fn) || typeof fn.name !== 'string' || fn.name === '') {
      return { error: `Missing required parameter: 'tools[${i}].function.name'.` };
    }
    out.push(fn.parameters === undefined ? { name: fn.name } : { name: fn.name, parameters: fn.parameters });
  }
  return out.length > 0 ? out : undefined;
}

function parseToolChoice(choice: unknown): ToolChoice | undefined {
  if (choice === 'none' || choice === 'required' || choice === 'auto') return choice;
  if (isObject(choice) && isObject(choice.function) && typeof choice.function.name === 'string') return { name: choice.function.name };
  return undefined;
}

/** Parses a Chat Completions request body into the format-neutral request. */
/** The roles OpenAI takes in `messages`; any other is its 400 `invalid_value` (messages[i].role). */
const OPENAI_ROLES: ReadonlySet<string> = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

export function parseOpenAiRequest(body: unknown): ChatRequest | ParseFailure {
  if (!isObject(body)) return { error: 'Request body must be a JSON object.' };
  const b = body;
  if (typeof b.model !== 'string' || b.model === '') return { error: "Missing required parameter: 'model'." };
  if (!Array.isArray(b.messages) || b.messages.length === 0) return { error: "Missing required parameter: 'messages'." };
  let inputTokens = 0;
  let lastUserText = '';
  let images = 0;
  let results: ToolResult[] = [];
  const callNames = new Map<string, string>();
  let saysJson = false;
  for (const [i, message] of (b.messages as unknown[]).entries()) {
    if (!isObject(message)) return { error: 'Invalid message: expected an object.' };
    const m = message;
    if (typeof m.role !== 'string') return { error: "Missing required parameter: 'messages[].role'." };
    if (!OPENAI_ROLES.has(m.role)) {
      return { error: `Invalid value: '${m.role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.` };
    }
    const text = contentText(m.content);
    if (!saysJson && /json/i.test(text)) saysJson = true;
    inputTokens += countWords(text);
    const found = contentImages(m.content, `messages[${i}].content`);
    if (typeof found !== 'number') return found;
    images += found;
    // A user message with no text right after tool results carries what the tools returned (gateways
    // put a tool's images there, as `tool` messages take text only): the results still end the turn.
    const attachment = m.role === 'user' && text === '' && results.length > 0;
    if (m.role === 'user' && !attachment) lastUserText = text;
    if (m.role === 'assistant' && Array.isArray(m.tool_calls)) {
      for (const call of m.tool_calls) {
        if (isObject(call) && typeof call.id === 'string' && isObject(call.function) && typeof call.function.name === 'string') {
          callNames.set(call.id, call.function.name);
        }
      }
    }
    if (m.role === 'tool' || m.role === 'function') {
      const byId = typeof m.tool_call_id === 'string' ? callNames.get(m.tool_call_id) : undefined;
      const name = byId ?? (typeof m.name === 'string' ? m.name : 'unknown');
      results.push({ name, text: toolResultText(m.content) });
    } else if (!attachment) {
      results = []; // only results at the very end of the conversation count
    }
  }
  const tools = parseTools(b.tools);
  if (tools !== undefined && !Array.isArray(tools)) return tools;
  const toolChoice = parseToolChoice(b.tool_choice);
  const responseFormat = parseOpenAiResponseFormat(b.response_format);
  if (responseFormat !== undefined && 'error' in responseFormat) return responseFormat;
  if (responseFormat?.type === 'json_object' && !saysJson) {
    return { error: "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'." };
  }
  const streamOptions = b.stream_options as { include_usage?: unknown } | undefined;
  const maxOutputTokens = nonNegativeInteger(b.max_completion_tokens) ?? nonNegativeInteger(b.max_tokens);
  const effort = b.reasoning_effort;
  const thinking = (typeof effort === 'string' && effort !== 'none') || (isObject(b.thinking) && b.thinking.type === 'enabled');
  const chat: ChatRequest = {
    model: b.model,
    stream: b.stream === true,
    lastUserText,
    inputTokens,
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    streamUsage: b.stream === true && streamOptions?.include_usage === true,
  };
  if (tools !== undefined) chat.tools = tools;
  if (toolChoice !== undefined && toolChoice !== 'auto') chat.toolChoice = toolChoice;
  if (results.length > 0) chat.toolResults = results;
  if (thinking) chat.thinking = true;
  if (images > 0) chat.images = images;
  if (responseFormat !== undefined) chat.responseFormat = responseFormat;
  return chat;
}
