import { AppError } from '@aigw/errors';
import { responsesRequestSchema, uncarriedFields, validateBody, type ResponsesRequest } from '@aigw/formats';
import type { DecodedRequest } from '../../adapters/client-codec.js';
import type { IrRequest, IrResponseFormat, IrThinking } from '../../ir/chat-ir.js';
import { requestEcho, ResponsesAnswerContext } from './responses-answer-context.js';
import { inputToIr } from './responses-request-items.js';
import { toolChoiceToIr, toolsToIr } from './responses-request-tools.js';

// A Responses API request (client side) → IR. Each top-level field is either carried into the IR, or
// repeated in the answer as OpenAI repeats it (see requestEcho) and reported when it asks for a behaviour the
// translation cannot give, or reported; the tables below say which.

/** Fields carried into the IR (or honoured by the encoders: stream_options, reasoning.summary). */
const CARRIED = [
  'model', 'input', 'instructions', 'tools', 'tool_choice', 'parallel_tool_calls', 'text', 'reasoning', 'max_output_tokens',
  'temperature', 'top_p', 'user', 'safety_identifier', 'stream', 'stream_options',
];
/**
 * Fields the answer repeats and that ask nothing of the model: `store` and `previous_response_id` are ingress's
 * business, `metadata` is the client's label. Those that can ask for a behaviour are checked one by one below.
 */
const ECHOED = ['store', 'previous_response_id', 'metadata', 'include', 'truncation', 'top_logprobs', 'background'];
const KNOWN: ReadonlySet<string> = new Set([...CARRIED, ...ECHOED]);

/** What `include` may ask that every answer already has: encrypted reasoning (sent whenever there is some). */
const HONOURED_INCLUDES: ReadonlySet<string> = new Set(['reasoning.encrypted_content']);

/** reasoning.effort → IR thinking: 'none' turns reasoning off; OpenAI's efforts above high become high (reported). */
export function thinkingOfEffort(effort: NonNullable<NonNullable<ResponsesRequest['reasoning']>['effort']>, dropped: Set<string>): IrThinking {
  if (effort === 'none') return { enabled: false };
  if (effort === 'xhigh' || effort === 'max') {
    dropped.add(`reasoning.effort=${effort}`);
    return { enabled: true, effort: 'high' };
  }
  return { enabled: true, effort };
}

/** text.format → IR response format (plain text: none); an unknown type is reported. */
export function textFormatToIr(format: NonNullable<NonNullable<ResponsesRequest['text']>['format']>, dropped: Set<string>): IrResponseFormat | undefined {
  switch (format.type) {
    case 'text':
      return undefined;
    case 'json_object':
      return { type: 'json_object' };
    case 'json_schema':
      return {
        type: 'json_schema',
        schema: format.schema,
        name: format.name,
        ...(format.description === null || format.description === undefined ? {} : { description: format.description }),
        ...(format.strict === null || format.strict === undefined ? {} : { strict: format.strict }),
      };
    case 'unsupported':
      dropped.add(`text.format.type=${format.name}`);
      return undefined;
  }
}

/** Fields the answer repeats that asked for something the translation does not do. */
function reportInertSettings(req: ResponsesRequest, dropped: Set<string>): void {
  for (const entry of req.include ?? []) if (!HONOURED_INCLUDES.has(entry)) dropped.add(`include=${entry}`);
  if (req.truncation === 'auto') dropped.add('truncation');
  if (req.top_logprobs !== null && req.top_logprobs !== undefined && req.top_logprobs > 0) dropped.add('top_logprobs');
  // Answered in the foreground: the client gets the finished response instead of a queued one.
  if (req.background === true) dropped.add('background');
  if (req.text?.verbosity !== null && req.text?.verbosity !== undefined) dropped.add('text.verbosity');
}

/** Validates a Responses body and maps it to the IR, keeping what its answer must repeat. */
export function responsesRequestToIr(body: unknown, stream: boolean): DecodedRequest {
  const req = validateBody(responsesRequestSchema, body);
  // A continuation's input is filled in by ingress from the stored response; without either there is nothing to answer.
  if (req.input === undefined) throw new AppError('INVALID_REQUEST', 'input: Field required', { details: { param: 'input' } });
  const dropped = new Set(uncarriedFields(req, KNOWN));
  reportInertSettings(req, dropped);
  const { tools, names } = toolsToIr(req.tools ?? [], dropped);
  const { messages, system } = inputToIr(req.input, dropped);
  if (req.instructions !== null && req.instructions !== undefined && req.instructions !== '') system.unshift(req.instructions);

  const ir: IrRequest = { messages, tools, stop: [], stream, dropped: [] };
  if (system.length > 0) ir.system = system.join('\n\n');
  const toolChoice = req.tool_choice === null || req.tool_choice === undefined ? undefined : toolChoiceToIr(req.tool_choice, names, dropped);
  if (toolChoice !== undefined) ir.toolChoice = toolChoice;
  if (req.parallel_tool_calls !== null && req.parallel_tool_calls !== undefined) ir.parallelToolCalls = req.parallel_tool_calls;
  const effort = req.reasoning?.effort;
  if (effort !== null && effort !== undefined) ir.thinking = thinkingOfEffort(effort, dropped);
  if (req.max_output_tokens !== null && req.max_output_tokens !== undefined) ir.maxTokens = req.max_output_tokens;
  if (req.temperature !== null && req.temperature !== undefined) ir.temperature = req.temperature;
  if (req.top_p !== null && req.top_p !== undefined) ir.topP = req.top_p;
  if (typeof req.user === 'string' && req.user !== '') {
    ir.user = { id: req.user, field: 'user' };
    if (typeof req.safety_identifier === 'string' && req.safety_identifier !== '') dropped.add('safety_identifier');
  } else if (typeof req.safety_identifier === 'string' && req.safety_identifier !== '') ir.user = { id: req.safety_identifier, field: 'safety_identifier' };
  const format = req.text?.format;
  const responseFormat = format === null || format === undefined ? undefined : textFormatToIr(format, dropped);
  if (responseFormat !== undefined) ir.responseFormat = responseFormat;
  ir.dropped = [...dropped];
  return { ir, streamUsage: true, answer: new ResponsesAnswerContext(requestEcho(req, body as Record<string, unknown>), names) };
}
