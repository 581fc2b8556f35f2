import type { ClientError } from '../client-error.js';
import type { ClientFormatModule } from '../client-format.js';
import { openAiErrorBody, openAiErrorNames } from '../openai/openai-format.js';
import type { StreamEvent } from '../sse/stream-framing.js';
import { validateBody } from '../validation/validate-body.js';
import { responsesEnvelopeSchema } from './responses-schema.js';

/**
 * The `error` event of a Responses stream. OpenAI documents `code`, `message` and `param` at the top of the
 * event, but sends them nested under `error` (as in its error bodies); clients read one or the other (the
 * openai SDK throws on a nested `error`, the AI SDK accepts both, typed clients read the top), so the event
 * carries both.
 */
export function responsesErrorEvent(error: ClientError, sequenceNumber: number): StreamEvent {
  const [type, code] = openAiErrorNames(error);
  const param = error.param ?? null;
  const data = { type: 'error', code, message: error.message, param, error: { type, code, message: error.message, param }, sequence_number: sequenceNumber };
  return { event: 'error', data: JSON.stringify(data) };
}

/**
 * OpenAI Responses: POST /v1/responses. Errors have Chat Completions' shape; every stream event is named
 * (`event: response.created`, …) and numbered (`sequence_number`).
 */
export const responsesFormat: ClientFormatModule = {
  name: 'responses',
  checkRequest(body) {
    const envelope = validateBody(responsesEnvelopeSchema, body, false);
    return { model: envelope.model, stream: envelope.stream === true };
  },
  errorBody: openAiErrorBody,
  // Raised by ingress after provider-call's events, whose count it does not keep: the number cannot continue
  // theirs. No client we know orders events by it (the openai SDK, the AI SDK, the Agents SDK, Codex); all
  // of them fail the call on this event, or, Codex, on the stream ending without `response.completed`.
  errorEvent: (error) => responsesErrorEvent(error, 0),
};
