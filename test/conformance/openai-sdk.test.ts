import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletion, ChatCompletionContentPart, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { defineConformanceSuite } from './support/conformance-suite.js';
import { capturingFetch } from './support/response-headers.js';
import type { Conversation, Mode, Observed } from './support/scenarios.js';

// The `openai` SDK against the gateway's Chat Completions endpoint, for every provider behind it:
// `chat.completions.create` for whole answers, the `chat.completions.stream` helper (which assembles
// content and tool-call deltas and refuses malformed chunks) for streams. Structured output is asked the
// SDK's own way, `zodResponseFormat`, and read back from `message.parsed` (`chat.completions.parse`, and
// the stream helper, which parse and validate the answer with the zod schema).

/** OpenAI's beta-API header (the SDK sends it itself for the Assistants API). */
const PROBE = { name: 'openai-beta', value: 'assistants=v2' };

function messagesOf(conversation: Conversation): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = conversation.system === undefined ? [] : [{ role: 'system', content: conversation.system }];
  for (const turn of conversation.turns) {
    if (turn.role === 'user') {
      if (turn.image === undefined) {
        messages.push({ role: 'user', content: turn.text });
      } else {
        const url = 'url' in turn.image ? turn.image.url : `data:${turn.image.mimeType};base64,${turn.image.base64}`;
        const parts: ChatCompletionContentPart[] = [
          { type: 'text', text: turn.text },
          { type: 'image_url', image_url: { url } },
        ];
        messages.push({ role: 'user', content: parts });
      }
    } else if (turn.role === 'assistant') {
      messages.push({ role: 'assistant', content: turn.text });
    } else if (turn.role === 'assistant-reply') {
      // As the SDK's own examples do: the returned message goes back into the history as it is.
      messages.push(turn.reply.native as ChatCompletionMessageParam);
    } else if (turn.role === 'system') {
      messages.push({ role: 'system', content: turn.text });
    } else {
      messages.push({ role: 'tool', tool_call_id: turn.callId ?? '', content: turn.result });
    }
  }
  return messages;
}

function toolsOf(conversation: Conversation): ChatCompletionTool[] | undefined {
  return conversation.tools?.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
}

/** `reasoning_content`, which OpenAI-compatible servers (DeepSeek, vLLM, GLM) add and the SDK passes through untyped. */
const reasoningOf = (value: unknown): string => {
  const reasoning = (value as { reasoning_content?: unknown } | undefined)?.reasoning_content;
  return typeof reasoning === 'string' ? reasoning : '';
};

function observe(completion: ChatCompletion, dropped: string[], streamedReasoning?: string): Observed {
  const choice = completion.choices[0];
  const message = choice?.message;
  const parsed = (message as { parsed?: unknown } | undefined)?.parsed;
  return {
    text: message?.content ?? '',
    reasoning: streamedReasoning ?? reasoningOf(message),
    signatures: [],
    toolCalls: (message?.tool_calls ?? []).map((call) => {
      if (call.type !== 'function') throw new Error(`unexpected ${call.type} tool call`);
      return { id: call.id, name: call.function.name, args: JSON.parse(call.function.arguments) as unknown };
    }),
    stop: choice?.finish_reason,
    usage: completion.usage as unknown as Record<string, unknown> | undefined,
    model: completion.model,
    dropped,
    native: message,
    ...(parsed === undefined || parsed === null ? {} : { parsed }),
  };
}

defineConformanceSuite({
  client: 'openai',
  sdk: 'openai',
  testFile: import.meta.url,
  countsTokens: false,
  connect: (stack) => ({
    probeHeader: PROBE,
    async send(model: string, conversation: Conversation, mode: Mode, probe = false): Promise<Observed> {
      const capture = capturingFetch();
      const client = new OpenAI({ apiKey: stack.clientKey, baseURL: `${stack.ingressUrl}/v1`, fetch: capture.fetch, maxRetries: 0 });
      const tools = toolsOf(conversation);
      const params = {
        model,
        messages: messagesOf(conversation),
        ...(tools === undefined ? {} : { tools }),
        ...(conversation.maxTokens === undefined ? {} : { max_completion_tokens: conversation.maxTokens }),
        ...(conversation.reasoning === true ? { reasoning_effort: 'low' as const } : {}),
      };
      // As users add a header the SDK has no parameter for: per request, in the options.
      const options = probe ? { headers: { [PROBE.name]: PROBE.value } } : {};
      if (conversation.output !== undefined) {
        const response_format = zodResponseFormat(conversation.output.schema, conversation.output.name);
        if (mode === 'json') return observe(await client.chat.completions.parse({ ...params, response_format }, options), capture.dropped());
        const stream = client.chat.completions.stream({ ...params, response_format, stream_options: { include_usage: true } }, options);
        return observe(await stream.finalChatCompletion(), capture.dropped());
      }
      if (mode === 'json') return observe(await client.chat.completions.create(params, options), capture.dropped());
      const stream = client.chat.completions.stream({ ...params, stream_options: { include_usage: true } }, options);
      // The helper keeps only the last fragment of fields it does not know, so reasoning is gathered here.
      let reasoning = '';
      stream.on('chunk', (chunk) => {
        reasoning += reasoningOf(chunk.choices[0]?.delta);
      });
      return observe(await stream.finalChatCompletion(), capture.dropped(), reasoning);
    },
  }),
});
