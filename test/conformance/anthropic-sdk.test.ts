import Anthropic from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import type { ContentBlockParam, Message, MessageParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { defineConformanceSuite } from './support/conformance-suite.js';
import type { Counted } from './support/header-and-count-cases.js';
import { capturingFetch } from './support/response-headers.js';
import type { Conversation, Mode, Observed } from './support/scenarios.js';

// The `@anthropic-ai/sdk` SDK against the gateway's Messages endpoint, for every provider behind it:
// `messages.create` for whole answers, the `messages.stream` helper (which assembles text and
// input_json_delta fragments into the final message) for streams. Structured output: whole answers use
// `messages.parse` with `output_config.format` (`zodOutputFormat`, parsed and validated into
// `parsed_output`); streams send the older beta spelling, a top-level `output_format` with the
// structured-outputs beta header, as clients written against the beta still do.

const MAX_TOKENS = 1024;
/** A beta as Claude Code and SDK users turn one on: `betas` on the SDK's beta namespace sends `anthropic-beta`. */
const PROBE_BETA = 'interleaved-thinking-2025-05-14';
const THINKING_BUDGET = 1024;

function messagesOf(conversation: Conversation): MessageParam[] {
  const messages: MessageParam[] = [];
  for (const turn of conversation.turns) {
    if (turn.role === 'user') {
      if (turn.image === undefined) {
        messages.push({ role: 'user', content: turn.text });
      } else {
        const image: ContentBlockParam =
          'url' in turn.image
            ? { type: 'image', source: { type: 'url', url: turn.image.url } }
            : { type: 'image', source: { type: 'base64', media_type: turn.image.mimeType as 'image/png', data: turn.image.base64 } };
        messages.push({ role: 'user', content: [{ type: 'text', text: turn.text }, image] });
      }
    } else if (turn.role === 'assistant') {
      messages.push({ role: 'assistant', content: turn.text });
    } else if (turn.role === 'assistant-reply') {
      // As the SDK's tool-use examples do: the returned content goes back as the assistant turn.
      messages.push({ role: 'assistant', content: (turn.reply.native as Message).content });
    } else if (turn.role === 'system') {
      // A mid-conversation system message (SystemMessageParam), as Claude Code sends one.
      messages.push({ role: 'system', content: turn.text });
    } else {
      messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: turn.callId ?? '', content: turn.result }] });
    }
  }
  return messages;
}

function toolsOf(conversation: Conversation): Tool[] | undefined {
  return conversation.tools?.map((t) => ({ name: t.name, description: t.description, input_schema: t.parameters as Tool['input_schema'] }));
}

function observe(message: Message, dropped: string[], parsed?: unknown): Observed {
  let text = '';
  let reasoning = '';
  const signatures: string[] = [];
  const toolCalls: Observed['toolCalls'] = [];
  for (const block of message.content) {
    if (block.type === 'text') text += block.text;
    else if (block.type === 'tool_use') toolCalls.push({ id: block.id, name: block.name, args: block.input });
    else if (block.type === 'thinking') {
      reasoning += block.thinking;
      if (block.signature !== '') signatures.push(block.signature);
    }
  }
  return {
    text,
    reasoning,
    signatures,
    toolCalls,
    stop: message.stop_reason,
    usage: message.usage as unknown as Record<string, unknown>,
    model: message.model,
    dropped,
    native: message,
    ...(parsed === undefined || parsed === null ? {} : { parsed }),
  };
}

defineConformanceSuite({
  client: 'anthropic',
  sdk: '@anthropic-ai/sdk',
  countsTokens: true,
  testFile: import.meta.url,
  connect: (stack) => ({
    probeHeader: { name: 'anthropic-beta', value: PROBE_BETA },
    async countTokens(model: string, conversation: Conversation): Promise<Counted> {
      const capture = capturingFetch();
      const client = new Anthropic({ apiKey: stack.clientKey, baseURL: stack.ingressUrl, fetch: capture.fetch, maxRetries: 0 });
      const counted = await client.messages.countTokens({
        model,
        messages: messagesOf(conversation),
        ...(conversation.system === undefined ? {} : { system: conversation.system }),
      });
      return { tokens: counted.input_tokens, how: capture.header('x-aigw-token-count'), dropped: capture.dropped() };
    },
    async send(model: string, conversation: Conversation, mode: Mode, probe = false): Promise<Observed> {
      const capture = capturingFetch();
      const client = new Anthropic({ apiKey: stack.clientKey, baseURL: stack.ingressUrl, fetch: capture.fetch, maxRetries: 0 });
      const tools = toolsOf(conversation);
      const params = {
        model,
        // budget_tokens must stay below max_tokens.
        max_tokens: conversation.maxTokens ?? (conversation.reasoning === true ? MAX_TOKENS + THINKING_BUDGET : MAX_TOKENS),
        messages: messagesOf(conversation),
        ...(conversation.system === undefined ? {} : { system: conversation.system }),
        ...(tools === undefined ? {} : { tools }),
        ...(conversation.reasoning === true ? { thinking: { type: 'enabled' as const, budget_tokens: THINKING_BUDGET } } : {}),
      };
      if (probe) {
        const beta = { ...params, betas: [PROBE_BETA] } as Parameters<typeof client.beta.messages.create>[0] & { stream?: false };
        const message = mode === 'json' ? await client.beta.messages.create(beta) : await client.beta.messages.stream(beta).finalMessage();
        return observe(message as unknown as Message, capture.dropped());
      }
      if (conversation.output !== undefined) {
        const format = zodOutputFormat(conversation.output.schema);
        if (mode === 'json') {
          const message = await client.messages.parse({ ...params, output_config: { format } });
          return observe(message, capture.dropped(), message.parsed_output);
        }
        const legacy = { ...params, output_format: { type: 'json_schema', schema: format.schema } } as Parameters<Anthropic['messages']['stream']>[0];
        const message = await client.messages.stream(legacy, { headers: { 'anthropic-beta': 'structured-outputs-2025-11-13' } }).finalMessage();
        const observed = observe(message, capture.dropped());
        return { ...observed, parsed: conversation.output.schema.parse(JSON.parse(observed.text)) };
      }
      if (mode === 'json') return observe(await client.messages.create(params), capture.dropped());
      return observe(await client.messages.stream(params).finalMessage(), capture.dropped());
    },
  }),
});
