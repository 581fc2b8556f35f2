import { field, isObject, nonNegativeInteger, type JsonObject } from './json-fields.js';
import type { ChatRequest } from './reply.js';
import { parseGoogleResponseFormat } from './response-format-request.js';
import { toolResultText, type ToolChoice, type ToolDeclaration, type ToolResult } from './tool-answer.js';
import type { ParseFailure } from './wire-format.js';
import { countWords } from './words.js';

// The Gemini GenerateContentRequest ({contents, systemInstruction, generationConfig, tools, toolConfig})
// → ChatRequest. Gemini sends it as the body; Cloud Code Assist (antigravity) wraps it in {request}.
// Tool results are functionResponse parts (role "user", or the legacy "function"); a content without
// a role is the user's, as in Gemini's single-turn examples.

/** Where the request sits in the body, for error messages: '' (Gemini) or 'request.' (antigravity). */
export type FieldPrefix = '' | 'request.';

interface ContentScan {
  text: string;
  images: number;
  results: ToolResult[];
}

/** Whether an inlineData / fileData part is an image (no MIME type: assume it is). */
function isImageMime(mime: unknown): boolean {
  return typeof mime !== 'string' || mime.startsWith('image/');
}

/** Text, images and tool results of a Content (or a bare string, as some clients send systemInstruction). */
function scanContent(content: unknown, where: string): ContentScan | ParseFailure {
  const scan: ContentScan = { text: '', images: 0, results: [] };
  if (typeof content === 'string') return { ...scan, text: content };
  if (!isObject(content) || !Array.isArray(content.parts)) return scan;
  for (const [i, part] of content.parts.entries()) {
    if (!isObject(part)) continue;
    if (typeof part.text === 'string') scan.text = scan.text === '' ? part.text : `${scan.text}\n${part.text}`;
    const inline = field(part, 'inlineData', 'inline_data');
    if (inline !== undefined) {
      if (!isObject(inline) || typeof inline.data !== 'string' || inline.data === '') {
        return { error: `Invalid value at '${where}.parts[${i}].inline_data': data is required.` };
      }
      if (isImageMime(field(inline, 'mimeType', 'mime_type'))) scan.images++;
    }
    const file = field(part, 'fileData', 'file_data');
    if (file !== undefined) {
      if (!isObject(file) || typeof field(file, 'fileUri', 'file_uri') !== 'string') {
        return { error: `Invalid value at '${where}.parts[${i}].file_data': file_uri is required.` };
      }
      if (isImageMime(field(file, 'mimeType', 'mime_type'))) scan.images++;
    }
    const response = field(part, 'functionResponse', 'function_response');
    if (isObject(response)) {
      scan.results.push({ name: typeof response.name === 'string' ? response.name : 'unknown', text: toolResultText(response.response) });
      // Gemini 3's multimodal function responses: the tool's images inside the response.
      for (const nested of Array.isArray(response.parts) ? response.parts : []) {
        const data = isObject(nested) ? field(nested, 'inlineData', 'inline_data') : undefined;
        if (isObject(data) && isImageMime(field(data, 'mimeType', 'mime_type'))) scan.images++;
      }
    }
  }
  return scan;
}

function parseTools(tools: unknown): ToolDeclaration[] | undefined {
  if (!Array.isArray(tools)) return undefined;
  const out: ToolDeclaration[] = [];
  for (const tool of tools) {
    if (!isObject(tool)) continue;
    const declarations = field(tool, 'functionDeclarations', 'function_declarations');
    if (!Array.isArray(declarations)) continue; // googleSearch, codeExecution, … have no schema
    for (const d of declarations) {
      if (!isObject(d) || typeof d.name !== 'string' || d.name === '') continue;
      const parameters = d.parameters ?? field(d, 'parametersJsonSchema', 'parameters_json_schema');
      out.push(parameters === undefined ? { name: d.name } : { name: d.name, parameters });
    }
  }
  return out.length > 0 ? out : undefined;
}

function parseToolChoice(toolConfig: unknown): ToolChoice | undefined {
  if (!isObject(toolConfig)) return undefined;
  const config = field(toolConfig, 'functionCallingConfig', 'function_calling_config');
  if (!isObject(config) || typeof config.mode !== 'string') return undefined;
  const mode = config.mode.toUpperCase();
  if (mode === 'NONE') return 'none';
  if (mode !== 'ANY') return undefined;
  const allowed = field(config, 'allowedFunctionNames', 'allowed_function_names');
  return Array.isArray(allowed) && typeof allowed[0] === 'string' ? { name: allowed[0] } : 'required';
}

/** Parses a GenerateContentRequest for `model` into the format-neutral request. */
export function parseGoogleRequest(request: JsonObject, model: string, stream: boolean, prefix: FieldPrefix): ChatRequest | ParseFailure {
  const contents = request.contents;
  if (!Array.isArray(contents) || contents.length === 0) return { error: `Invalid value at '${prefix}contents': contents must not be empty.` };
  const system = scanContent(field(request, 'systemInstruction', 'system_instruction'), `${prefix}system_instruction`);
  if ('error' in system) return system;
  let inputTokens = countWords(system.text);
  let lastUserText = '';
  let images = system.images;
  let results: ToolResult[] = [];
  for (const [i, content] of (contents as unknown[]).entries()) {
    if (!isObject(content)) return { error: `Invalid value at '${prefix}contents': expected an object.` };
    const scan = scanContent(content, `${prefix}contents[${i}]`);
    if ('error' in scan) return scan;
    inputTokens += countWords(scan.text);
    for (const r of scan.results) inputTokens += countWords(r.text);
    images += scan.images;
    results = scan.results;
    const role = content.role;
    if ((role === 'user' || role === undefined) && !(scan.results.length > 0 && scan.text === '')) lastUserText = scan.text;
  }
  const config = field(request, 'generationConfig', 'generation_config');
  const generation = isObject(config) ? config : {};
  const maxOutputTokens = nonNegativeInteger(field(generation, 'maxOutputTokens', 'max_output_tokens'));
  const thinkingConfig = field(generation, 'thinkingConfig', 'thinking_config');
  const thinking = isObject(thinkingConfig) && field(thinkingConfig, 'includeThoughts', 'include_thoughts') === true;
  const responseFormat = parseGoogleResponseFormat(generation, prefix);
  if (responseFormat !== undefined && 'error' in responseFormat) return responseFormat;
  const chat: ChatRequest = {
    model,
    stream,
    lastUserText,
    inputTokens,
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    streamUsage: true,
  };
  const tools = parseTools(request.tools);
  if (tools !== undefined) chat.tools = tools;
  const toolChoice = parseToolChoice(field(request, 'toolConfig', 'tool_config'));
  if (toolChoice !== undefined) chat.toolChoice = toolChoice;
  if (results.length > 0) chat.toolResults = results;
  if (thinking) chat.thinking = true;
  if (images > 0) chat.images = images;
  if (responseFormat !== undefined) chat.responseFormat = responseFormat;
  return chat;
}
