import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { structuredAnswerText } from '@aigw/emulators';
import { ClientFormat, InvokeRequest } from '@aigw/proto';
import { PROTOCOLS } from './client-protocols.js';
import { PROVIDERS, providerAccounts, upstreamModelOf } from './matrix-stack.js';
import { invokeRequest, startTestStack, streamText, type TestStack } from './test-stack.js';

// A Responses client's text.format json_schema reaches every provider kind as that provider's structured
// output, and the JSON the upstream wrote comes back as the message's output_text, whole and streamed.

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' }, days: { type: 'integer' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
  required: ['city', 'days', 'unit'],
  additionalProperties: false,
};

describe.each(PROVIDERS.flatMap((provider) => [false, true].map((stream) => [provider, stream] as const)))('Responses structured output → %s (stream: %s)', (provider, stream) => {
  it('answers JSON valid against the schema as output_text', async () => {
    const target = providerAccounts(stack)[provider];
    const body = { model: 'm', input: 'Plan a trip.', text: { format: { type: 'json_schema', name: 'trip', schema: SCHEMA, strict: true } }, ...(stream ? { stream } : {}) };
    const request = InvokeRequest.fromPartial({
      ...invokeRequest({ clientFormat: ClientFormat.CLIENT_FORMAT_OPENAI_RESPONSES, account: target.account, body, stream }),
      credential: target.credential,
      // The Responses API (OpenAI's, emulated) answers only models it lists.
      upstreamModel: upstreamModelOf(provider),
    });
    const text = stream ? PROTOCOLS.responses.streamAnswer(streamText(await stack.invokeStream(request))).text : PROTOCOLS.responses.answer((await stack.invoke(request)).body.toString('utf8')).text;
    expect(JSON.parse(text)).toEqual(JSON.parse(structuredAnswerText({ type: 'json_schema', schema: SCHEMA }, '')));
  });
});
