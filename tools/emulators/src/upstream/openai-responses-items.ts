import { isImageUrl, isObject, type JsonObject } from './json-fields.js';
import { toolResultText, type ToolResult } from './tool-answer.js';
import type { ParseFailure } from './wire-format.js';
import { countWords } from './words.js';
import { isEmuEncryptedReasoning } from './openai-responses-reasoning.js';

// The Responses API's `input` items read as OpenAI reads them: messages (user, system, developer with input
// parts; assistant with output parts), function calls and their outputs (an output must answer a call made
// earlier in the conversation), reasoning items (handed back with the encrypted content this upstream made),
// and the other item kinds of the API (built-in tool calls), which carry nothing the emulator answers from.

/** What the conversation's items tell the answer. */
export interface ItemsReading {
  inputTokens: number;
  lastUserText: string;
  images: number;
  /** Function outputs the conversation ends with. */
  toolResults: ToolResult[];
  saysJson: boolean;
}

const ROLES: ReadonlySet<string> = new Set(['user', 'assistant', 'system', 'developer']);
const INPUT_PARTS: ReadonlySet<string> = new Set(['input_text', 'input_image', 'input_file']);
const OUTPUT_PARTS: ReadonlySet<string> = new Set(['output_text', 'refusal']);

/** Item kinds of the API that carry no text the emulator reads (built-in tools, MCP, shell). */
const OTHER_ITEMS: ReadonlySet<string> = new Set([
  'file_search_call', 'computer_call', 'computer_call_output', 'web_search_call', 'image_generation_call', 'code_interpreter_call',
  'local_shell_call', 'local_shell_call_output', 'shell_call', 'shell_call_output', 'apply_patch_call', 'apply_patch_call_output',
  'mcp_list_tools', 'mcp_approval_request', 'mcp_approval_response', 'mcp_call', 'custom_tool_call', 'custom_tool_call_output', 'compaction',
]);
const ITEM_TYPES = ['message', 'function_call', 'function_call_output', 'reasoning', 'item_reference', ...OTHER_ITEMS];

/**
 * The emulator's name for a function of a namespace tool (Codex groups its sub-agent tools so): what
 * `[emu tool=…]` names and what a reply calls it. It is the name a translating gateway gives such a tool,
 * so one conversation reads alike whichever wire carried it; on the wire the call keeps `name` and `namespace`.
 */
export function namespacedToolName(namespace: string, name: string): string {
  return `${namespace}__${name}`;
}

const invalid = (value: unknown, supported: string, param: string): ParseFailure => ({
  error: `Invalid value: '${String(value)}'. Supported values are: ${supported}.`,
  param,
  code: 'invalid_value',
});
const missing = (param: string): ParseFailure => ({ error: `Missing required parameter: '${param}'.`, param, code: 'missing_required_parameter' });

/** A message's text (its text parts joined by "\n"), or the failure for a part OpenAI refuses. */
function messageText(item: JsonObject, at: string, counts: { images: number }): string | ParseFailure {
  const role = item.role;
  if (typeof role !== 'string' || !ROLES.has(role)) return invalid(role, "'assistant', 'system', 'developer', and 'user'", `${at}.role`);
  const content = item.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return missing(`${at}.content`);
  const allowed = role === 'assistant' ? OUTPUT_PARTS : INPUT_PARTS;
  const supported = role === 'assistant' ? "'output_text' and 'refusal'" : "'input_text', 'input_image', and 'input_file'";
  const texts: string[] = [];
  for (const [j, part] of content.entries()) {
    const where = `${at}.content[${j}]`;
    if (!isObject(part)) return { error: `Invalid type for '${where}': expected an object.`, param: where, code: 'invalid_type' };
    if (typeof part.type !== 'string' || !allowed.has(part.type)) return invalid(part.type, supported, `${where}.type`);
    if (part.type === 'input_image') {
      if (part.image_url === undefined && part.file_id === undefined) return missing(`${where}.image_url`);
      if (part.image_url !== undefined && !isImageUrl(part.image_url)) {
        return { error: `Invalid '${where}.image_url'. Expected a valid URL, but got a value with an invalid format.`, param: `${where}.image_url`, code: 'invalid_value' };
      }
      counts.images++;
    } else if (part.type === 'input_file') continue;
    else {
      const text = part.type === 'refusal' ? part.refusal : part.text;
      if (typeof text !== 'string') return missing(`${where}.${part.type === 'refusal' ? 'refusal' : 'text'}`);
      texts.push(text);
    }
  }
  return texts.join('\n');
}

/** Output items the upstream kept, by id (an `item_reference`, a stored reasoning item handed back by id). */
export type KeptItem = (id: string) => unknown;

/**
 * Reads the conversation's items; `offset`: how many of them came from a continued response (the upstream's
 * own, so not checked again), `kept`: the items it stored.
 */
export function readItems(items: readonly unknown[], offset: number, store: boolean, kept: KeptItem): ItemsReading | ParseFailure {
  const reading: ItemsReading = { inputTokens: 0, lastUserText: '', images: 0, toolResults: [], saysJson: false };
  const callNames = new Map<string, string>();
  const counts = { images: 0 };
  /** Outputs came since the last call: the next call starts a new round. */
  let answered = false;
  for (const [n, given] of items.entries()) {
    const at = `input[${Math.max(0, n - offset)}]`;
    if (!isObject(given)) return { error: `Invalid type for '${at}': expected an object.`, param: at, code: 'invalid_type' };
    let raw = given;
    if (given.type === 'item_reference') {
      const item = typeof given.id === 'string' ? kept(given.id) : undefined;
      if (!isObject(item)) return { error: `Item with id '${String(given.id)}' not found.`, status: 404, param: 'input' };
      raw = item;
    }
    const type = raw.type ?? (raw.role !== undefined ? 'message' : undefined);
    if (type === 'message') {
      const text = messageText(raw, at, counts);
      if (typeof text !== 'string') return text;
      reading.inputTokens += countWords(text);
      if (!reading.saysJson && /json/i.test(text)) reading.saysJson = true;
      if (raw.role === 'user') reading.lastUserText = text;
      reading.toolResults = []; // only outputs at the very end of the conversation count
      answered = false;
    } else if (type === 'function_call') {
      for (const key of ['call_id', 'name', 'arguments']) if (typeof raw[key] !== 'string') return missing(`${at}.${key}`);
      const namespace = typeof raw.namespace === 'string' && raw.namespace !== '' ? raw.namespace : undefined;
      callNames.set(raw.call_id as string, namespace === undefined ? (raw.name as string) : namespacedToolName(namespace, raw.name as string));
      if (answered) reading.toolResults = []; // a new round of calls: the model has read the earlier outputs
      answered = false;
    } else if (type === 'function_call_output') {
      if (typeof raw.call_id !== 'string') return missing(`${at}.call_id`);
      const name = callNames.get(raw.call_id);
      if (name === undefined) return { error: `No tool call found for function call output with call_id ${raw.call_id}.`, param: 'input' };
      if (raw.output === undefined) return missing(`${at}.output`);
      const text = toolResultText(raw.output);
      reading.inputTokens += countWords(text);
      reading.toolResults.push({ name, text });
      answered = true;
      // An output can hold images (a screenshot the tool took) beside its text.
      if (Array.isArray(raw.output)) counts.images += raw.output.filter((part) => isObject(part) && part.type === 'input_image').length;
    } else if (type === 'reasoning') {
      if (!Array.isArray(raw.summary)) return missing(`${at}.summary`);
      const problem = n < offset ? undefined : reasoningProblem(raw, at, store, kept);
      if (problem !== undefined) return problem;
    } else if (typeof type !== 'string' || !OTHER_ITEMS.has(type)) {
      return invalid(type, ITEM_TYPES.map((t) => `'${t}'`).join(', '), `${at}.type`);
    }
  }
  reading.images = counts.images;
  return reading;
}

/** A reasoning item handed back: with encrypted content this upstream made, or (stored) an id it knows. */
function reasoningProblem(item: JsonObject, at: string, store: boolean, kept: KeptItem): ParseFailure | undefined {
  const encrypted = item.encrypted_content;
  if (typeof encrypted === 'string') {
    if (isEmuEncryptedReasoning(encrypted)) return undefined;
    return { error: `The encrypted content for item ${String(item.id ?? at)} could not be verified.`, param: `${at}.encrypted_content`, code: 'invalid_encrypted_content' };
  }
  const id = typeof item.id === 'string' ? item.id : '';
  if (id !== '' && kept(id) !== undefined) return undefined;
  const why = store ? '' : ' Items are not persisted when `store` is set to false. Try again with `store` set to true, or remove this item from your input.';
  return { error: `Item with id '${id}' not found.${why}`, status: 404, param: 'input' };
}
