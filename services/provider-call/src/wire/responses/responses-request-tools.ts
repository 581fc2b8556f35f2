import { createHash } from 'node:crypto';
import type { ResponsesRequest, ResponsesTool } from '@aigw/formats';
import type { IrTool, IrToolChoice } from '../../ir/chat-ir.js';

// Responses tools → IR tools. Function tools map one to one; a namespace (Codex groups its sub-agent tools
// so) is flattened into functions named `<namespace>__<name>`; a custom tool (free-form text input, e.g.
// Codex's apply_patch) becomes a function of one string argument, `input`. The answer names each call as the
// client's tools did, from the ClientToolName kept per IR name. Built-in tools the gateway cannot run when
// it translates (web_search, file_search, computer_use, …) are dropped and reported, never refused: Codex
// always sends web_search and must still work.

/** How the client names a tool that the IR knows by another name, and whether it takes free-form input. */
export interface ClientToolName {
  name: string;
  namespace?: string;
  custom: boolean;
}

/** Names every provider accepts: OpenAI's and Anthropic's characters, starting as Gemini requires. */
const SAFE_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]{0,63}$/;

/**
 * The IR name of a tool of a namespace (or of none): `<namespace>__<name>`, made safe for every provider
 * when it is not (too long, other characters) by replacing characters and ending in a digest of the whole.
 */
export function irToolName(name: string, namespace?: string | null): string {
  if (namespace === undefined || namespace === null || namespace === '') return name;
  const joined = `${namespace}__${name}`;
  if (SAFE_NAME.test(joined)) return joined;
  const digest = createHash('sha256').update(joined).digest('hex').slice(0, 8);
  const safe = joined.replace(/[^a-zA-Z0-9_-]/g, '_');
  return `${/^[a-zA-Z_]/.test(safe) ? '' : '_'}${safe.slice(0, 54)}_${digest}`;
}

/** The one string argument a custom tool's free-form input travels in. */
export const CUSTOM_INPUT_PARAMETERS: Readonly<Record<string, unknown>> = Object.freeze({
  type: 'object',
  properties: { input: { type: 'string', description: 'The free-form input of the tool.' } },
  required: ['input'],
  additionalProperties: false,
});

type FunctionTool = Extract<ResponsesTool, { type: 'function' }>;
type CustomTool = Extract<ResponsesTool, { type: 'custom' }>;

function functionTool(tool: FunctionTool, irName: string, path: string, dropped: Set<string>): IrTool {
  if (tool.strict === true) dropped.add(`${path}.strict`);
  return {
    name: irName,
    ...(tool.description === null || tool.description === undefined ? {} : { description: tool.description }),
    parameters: tool.parameters ?? { type: 'object', properties: {} },
  };
}

/** A grammar constrains what OpenAI's model may write; elsewhere it can only be told, so it is told and reported. */
function customTool(tool: CustomTool, irName: string, path: string, dropped: Set<string>): IrTool {
  let description = tool.description ?? '';
  const format = tool.format;
  if (format !== null && format !== undefined && format.type !== 'text') {
    dropped.add(`${path}.format`);
    if (format.definition !== undefined) {
      description += `${description === '' ? '' : '\n\n'}The input must follow this ${format.syntax ?? ''} grammar:\n${format.definition}`;
    }
  }
  return { name: irName, ...(description === '' ? {} : { description }), parameters: { ...CUSTOM_INPUT_PARAMETERS } };
}

/** IR tools and, per IR name, the client's name of each; unrunnable tools reported as `tools[i].type=<type>`. */
export function toolsToIr(tools: readonly ResponsesTool[], dropped: Set<string>): { tools: IrTool[]; names: Map<string, ClientToolName> } {
  const out: IrTool[] = [];
  const names = new Map<string, ClientToolName>();
  const add = (tool: FunctionTool | CustomTool, path: string, namespace?: string) => {
    const irName = irToolName(tool.name, namespace);
    if (names.has(irName)) return;
    const custom = tool.type === 'custom';
    names.set(irName, { name: tool.name, ...(namespace === undefined ? {} : { namespace }), custom });
    out.push(custom ? customTool(tool, irName, path, dropped) : functionTool(tool, irName, path, dropped));
  };
  tools.forEach((tool, i) => {
    if (tool.type === 'unsupported') dropped.add(`tools[${i}].type=${tool.name}`);
    else if (tool.type === 'namespace') {
      tool.tools.forEach((member, j) => {
        if (member.type === 'unsupported') dropped.add(`tools[${i}].tools[${j}].type=${member.name}`);
        else add(member, `tools[${i}].tools[${j}]`, tool.name);
      });
    } else add(tool, `tools[${i}]`);
  });
  return { tools: out, names };
}

/**
 * The IR name of the tool a tool_choice names: it has no namespace field, so a namespaced tool is named
 * `<namespace>.<name>` (as the Agents SDK writes it) or by its own name alone.
 */
function irNameOf(name: string, names: ReadonlyMap<string, ClientToolName>): string {
  if (names.has(name)) return name;
  for (const [irName, client] of names) if (client.name === name || `${client.namespace}.${client.name}` === name) return irName;
  return name;
}

/** tool_choice → IR; allowed_tools keeps its mode and is reported, a built-in tool's choice is reported. */
export function toolChoiceToIr(choice: NonNullable<ResponsesRequest['tool_choice']>, names: ReadonlyMap<string, ClientToolName>, dropped: Set<string>): IrToolChoice | undefined {
  if (typeof choice === 'string') return { type: choice };
  if ((choice.type === 'function' || choice.type === 'custom') && typeof choice.name === 'string') return { type: 'tool', name: irNameOf(choice.name, names) };
  if (choice.type === 'allowed_tools' && (choice.mode === 'auto' || choice.mode === 'required')) {
    dropped.add('tool_choice.allowed_tools');
    return { type: choice.mode };
  }
  dropped.add(`tool_choice.type=${choice.type}`);
  return undefined;
}
