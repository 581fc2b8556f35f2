import { argumentsFromSchema } from './tool-arguments.js';
import { capCodePoints } from './words.js';

// When the emulator calls a tool and what it says once the tool has answered. Every format parses its
// tool declarations, tool choice and trailing tool results into these shapes, so the decision is the
// same whatever format carried the conversation.

/** A function tool the request declares. */
export interface ToolDeclaration {
  name: string;
  /** JSON Schema of the arguments (OpenAI `parameters`, Anthropic `input_schema`, Gemini `parameters`). */
  parameters?: unknown;
}

/** A tool result the conversation ends with. */
export interface ToolResult {
  name: string;
  /** The result as text (see toolResultText). */
  text: string;
}

/** The request's tool choice: auto (default), none, required (any tool), or one named tool. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export interface ToolCall {
  name: string;
  arguments: Record<string, unknown>;
  /** `arguments` as compact JSON: what OpenAI sends and what streams split into fragments. */
  argumentsJson: string;
}

/** Longest tool result echoed in an answer, in code points. */
export const TOOL_RESULT_LIMIT = 200;

/**
 * The tool to call, or undefined for a text answer. A named or `required` tool choice always calls; with
 * `auto` the emulator calls while the conversation does not end with tool results, so an agent loop
 * ends after one round trip. The directive (`[emu tool=none]` / `[emu tool=<name>]`) overrides auto.
 */
export function chooseTool(
  tools: readonly ToolDeclaration[] | undefined,
  choice: ToolChoice | undefined,
  endsWithToolResults: boolean,
  directive: string | undefined,
): ToolDeclaration | undefined {
  const first = tools?.[0];
  if (tools === undefined || first === undefined || directive === 'none' || choice === 'none') return undefined;
  if (typeof choice === 'object') return tools.find((t) => t.name === choice.name) ?? first;
  if (choice === 'required') return first;
  if (endsWithToolResults) return undefined;
  return (directive === undefined ? undefined : tools.find((t) => t.name === directive)) ?? first;
}

/** The call of `tool`, with arguments built from its schema and the ones the conversation asked for. */
export function buildToolCall(tool: ToolDeclaration, given?: Readonly<Record<string, string>>): ToolCall {
  const args = argumentsFromSchema(tool.parameters, given);
  return { name: tool.name, arguments: args, argumentsJson: JSON.stringify(args) };
}

/** `Tool <name> returned: <text>` for each result (capped), joined by a space. */
export function composeToolResultText(results: readonly ToolResult[]): string {
  return results.map((r) => `Tool ${r.name} returned: ${capCodePoints(r.text.trim(), TOOL_RESULT_LIMIT)}`).join(' ');
}

/**
 * A tool result payload as text, the same whatever format carried it: a string as is; content parts
 * (OpenAI, Anthropic) their text joined by "\n"; an object with a single string field (how gateways
 * wrap a text result into a Gemini functionResponse, e.g. {content:"sunny"}) that string; anything
 * else its JSON.
 */
export function toolResultText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    let text = '';
    for (const part of value) {
      const t = typeof part === 'string' ? part : (part as { text?: unknown } | null)?.text;
      if (typeof t === 'string') text = text === '' ? t : `${text}\n${t}`;
    }
    return text;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.values(value);
    if (entries.length === 1 && typeof entries[0] === 'string') return entries[0];
  }
  return value === undefined ? '' : JSON.stringify(value);
}
