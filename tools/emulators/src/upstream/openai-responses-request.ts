import { isObject, nonNegativeInteger, type JsonObject } from './json-fields.js';
import { OPENAI_MODELS } from './model-catalog.js';
import { namespacedToolName, readItems } from './openai-responses-items.js';
import type { ChatRequest } from './reply.js';
import { KEPT_RESPONSES } from './responses-memory.js';
import { parseResponsesTextFormat, strictSchemaProblem } from './response-format-request.js';
import type { ToolChoice, ToolDeclaration } from './tool-answer.js';
import type { ParseFailure } from './wire-format.js';
import { countWords } from './words.js';

// Responses API request (`POST /v1/responses`) → ChatRequest, checked as OpenAI checks it: flat function tools
// and the functions of namespace tools (a schema must meet strict mode when the tool says `strict: true`; with
// `strict` omitted OpenAI makes it strict where it can and otherwise calls best-effort, so nothing is refused),
// `text.format`, `reasoning` and encrypted reasoning (not on the models OpenAI lists as non-reasoning),
// `max_output_tokens` of at least 16, `previous_response_id` only for a response this emulator kept. Any model
// name is served, as by the Chat Completions endpoint. What the answer needs beyond ChatRequest rides in `responses`.

/** What a Responses answer echoes and how it shapes itself. */
export interface ResponsesOptions {
  /** The whole conversation: a continued response's items and output, then this request's input. */
  items: unknown[];
  instructions: string | null;
  store: boolean;
  /** `include` asked for reasoning.encrypted_content. */
  encryptedReasoning: boolean;
  /** `reasoning.summary` asked for a summary. */
  summary: boolean;
  previousResponseId: string | null;
  /** Request fields the response object repeats (tools, tool_choice, text, reasoning, …). */
  echo: JsonObject;
  /** The functions of namespace tools by the emulator's name for them: what a call of one carries on the wire. */
  namespaces: ReadonlyMap<string, { namespace: string; name: string }>;
}

export interface ResponsesRequest extends ChatRequest {
  responses: ResponsesOptions;
}

const EFFORTS = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];
const MIN_OUTPUT_TOKENS = 16;

/** A function tool checked as OpenAI checks it (a top-level name; a strict-mode schema when it asks for strict). */
function parseFunction(tool: JsonObject, path: string, name = (n: string) => n): ToolDeclaration | ParseFailure {
  // The Chat Completions shape ({function: {name}}) has no top-level name: OpenAI's 400 names the field it misses.
  if (typeof tool.name !== 'string' || tool.name === '') return { error: `Missing required parameter: '${path}.name'.`, param: `${path}.name`, code: 'missing_required_parameter' };
  // Only an explicit `strict: true` is refused for a schema strict mode cannot take (OpenAI's function
  // calling guide: an omitted `strict` falls back to non-strict when the schema cannot be made strict).
  if (tool.strict === true && isObject(tool.parameters)) {
    const problem = strictSchemaProblem(tool.parameters);
    if (problem !== undefined) return { error: `Invalid schema for function '${tool.name}': ${problem}`, param: `${path}.parameters`, code: 'invalid_function_parameters' };
  }
  return tool.parameters === undefined ? { name: name(tool.name) } : { name: name(tool.name), parameters: tool.parameters };
}

/** Function tools, and the functions of namespace tools (named by namespacedToolName); `namespaces` learns those. */
function parseTools(tools: unknown, namespaces: Map<string, { namespace: string; name: string }>): ToolDeclaration[] | ParseFailure | undefined {
  if (tools === undefined || tools === null) return undefined;
  if (!Array.isArray(tools)) return { error: "Invalid type for 'tools': expected an array.", param: 'tools', code: 'invalid_type' };
  const out: ToolDeclaration[] = [];
  for (const [i, tool] of tools.entries()) {
    if (!isObject(tool)) return { error: `Invalid type for 'tools[${i}]': expected an object.`, param: `tools[${i}]`, code: 'invalid_type' };
    if (tool.type === 'namespace' && typeof tool.name === 'string' && Array.isArray(tool.tools)) {
      const namespace = tool.name;
      for (const [j, inner] of tool.tools.entries()) {
        if (!isObject(inner) || inner.type !== 'function') continue;
        const parsed = parseFunction(inner, `tools[${i}].tools[${j}]`, (n) => namespacedToolName(namespace, n));
        if ('error' in parsed) return parsed;
        namespaces.set(parsed.name, { namespace, name: inner.name as string });
        out.push(parsed);
      }
      continue;
    }
    if (tool.type !== 'function') continue; // built-in and custom tools: nothing the emulator calls
    const parsed = parseFunction(tool, `tools[${i}]`);
    if ('error' in parsed) return parsed;
    out.push(parsed);
  }
  return out.length > 0 ? out : undefined;
}

function parseToolChoice(choice: unknown): ToolChoice | undefined {
  if (choice === 'none' || choice === 'required' || choice === 'auto') return choice;
  if (isObject(choice) && choice.type === 'function' && typeof choice.name === 'string') return { name: choice.name };
  return undefined;
}

/** `reasoning` → [asked, summary]; a failure for an effort OpenAI does not know, or reasoning on a model without it. */
function parseReasoning(value: unknown, reasoningModel: boolean): { thinking: boolean; summary: boolean } | ParseFailure {
  if (value === undefined || value === null) return { thinking: false, summary: false };
  if (!isObject(value)) return { error: "Invalid type for 'reasoning': expected an object.", param: 'reasoning', code: 'invalid_type' };
  const effort = value.effort ?? undefined;
  if (effort !== undefined && (typeof effort !== 'string' || !EFFORTS.includes(effort))) {
    return { error: `Invalid value: '${String(effort)}'. Supported values are: ${EFFORTS.map((e) => `'${e}'`).join(', ')}.`, param: 'reasoning.effort', code: 'invalid_value' };
  }
  if (!reasoningModel && effort !== undefined && effort !== 'none') {
    return { error: "Unsupported parameter: 'reasoning.effort' is not supported with this model.", param: 'reasoning.effort', code: 'unsupported_parameter' };
  }
  const summary = value.summary === 'auto' || value.summary === 'concise' || value.summary === 'detailed';
  return { thinking: reasoningModel && effort !== 'none', summary };
}

const ECHOED = ['tools', 'tool_choice', 'parallel_tool_calls', 'temperature', 'top_p', 'max_output_tokens', 'text', 'reasoning', 'metadata', 'user', 'prompt_cache_key', 'safety_identifier'];

/** Parses a Responses request body into the format-neutral request (plus what the answer echoes). */
export function parseResponsesRequest(body: unknown): ResponsesRequest | ParseFailure {
  if (!isObject(body)) return { error: 'Request body must be a JSON object.' };
  const b = body;
  if (typeof b.model !== 'string' || b.model === '') return { error: "Missing required parameter: 'model'.", param: 'model', code: 'missing_required_parameter' };
  const previousResponseId = b.previous_response_id ?? null;
  if (previousResponseId !== null && typeof previousResponseId !== 'string') {
    return { error: "Invalid type for 'previous_response_id': expected a string.", param: 'previous_response_id', code: 'invalid_type' };
  }
  let input: unknown[];
  if (typeof b.input === 'string') input = [{ type: 'message', role: 'user', content: b.input }];
  else if (Array.isArray(b.input)) input = b.input;
  else if (b.input === undefined && previousResponseId !== null) input = [];
  else return { error: "Missing required parameter: 'input'.", param: 'input', code: 'missing_required_parameter' };
  const instructions = b.instructions ?? null;
  if (instructions !== null && typeof instructions !== 'string') return { error: "Invalid type for 'instructions': expected a string.", param: 'instructions', code: 'invalid_type' };
  const store = b.store !== false;

  const kept = previousResponseId === null ? undefined : KEPT_RESPONSES.get(previousResponseId);
  if (previousResponseId !== null && kept === undefined) {
    return { error: `Previous response with id '${previousResponseId}' not found.`, param: 'previous_response_id', code: 'previous_response_not_found' };
  }
  const earlier = kept === undefined ? [] : [...kept.items, ...kept.output];
  const items = [...earlier, ...input];
  const reading = readItems(items, earlier.length, store, (id) => KEPT_RESPONSES.item(id));
  if ('error' in reading) return reading;

  const namespaces = new Map<string, { namespace: string; name: string }>();
  const tools = parseTools(b.tools, namespaces);
  if (tools !== undefined && !Array.isArray(tools)) return tools;
  const responseFormat = parseResponsesTextFormat(b.text);
  if (responseFormat !== undefined && 'error' in responseFormat) return responseFormat;
  const saysJson = reading.saysJson || (instructions !== null && /json/i.test(instructions));
  if (responseFormat?.type === 'json_object' && !saysJson) {
    return { error: "Response input messages must contain the word 'json' in some form to use 'text.format' of type 'json_object'.", param: 'input' };
  }
  let maxOutputTokens: number | undefined;
  if (b.max_output_tokens !== undefined && b.max_output_tokens !== null) {
    maxOutputTokens = nonNegativeInteger(b.max_output_tokens);
    if (maxOutputTokens === undefined) return { error: "Invalid type for 'max_output_tokens': expected an integer.", param: 'max_output_tokens', code: 'invalid_type' };
    if (maxOutputTokens < MIN_OUTPUT_TOKENS) {
      return {
        error: `Invalid 'max_output_tokens': integer below minimum value. Expected a value >= ${MIN_OUTPUT_TOKENS}, but got ${maxOutputTokens} instead.`,
        param: 'max_output_tokens',
        code: 'integer_below_min_value',
      };
    }
  }
  // A model OpenAI lists keeps its own rules (reasoning or not); any other name is served as the Chat Completions
  // endpoint serves it (a compatible server's own model, a test's name), reasoning when asked.
  const listed = OPENAI_MODELS.find((m) => m.id === b.model);
  const reasons = listed === undefined || listed.reasoning === true;
  const reasoning = parseReasoning(b.reasoning, reasons);
  if ('error' in reasoning) return reasoning;
  const include = Array.isArray(b.include) ? b.include : [];
  if (include.includes('reasoning.encrypted_content') && !reasons) {
    return { error: 'Encrypted content is not supported with this model.', param: 'include' };
  }

  const echo: JsonObject = {};
  for (const key of ECHOED) if (b[key] !== undefined) echo[key] = b[key];
  const chat: ResponsesRequest = {
    model: b.model,
    stream: b.stream === true,
    lastUserText: reading.lastUserText,
    inputTokens: reading.inputTokens + (instructions === null ? 0 : countWords(instructions)),
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    streamUsage: true,
    responses: {
      items,
      instructions,
      store,
      encryptedReasoning: include.includes('reasoning.encrypted_content'),
      summary: reasoning.summary,
      previousResponseId,
      echo,
      namespaces,
    },
  };
  if (tools !== undefined) chat.tools = tools;
  const toolChoice = parseToolChoice(b.tool_choice);
  if (toolChoice !== undefined && toolChoice !== 'auto') chat.toolChoice = toolChoice;
  if (reading.toolResults.length > 0) chat.toolResults = reading.toolResults;
  if (reasoning.thinking) chat.thinking = true;
  if (reading.images > 0) chat.images = reading.images;
  if (responseFormat !== undefined) chat.responseFormat = responseFormat;
  return chat;
}
