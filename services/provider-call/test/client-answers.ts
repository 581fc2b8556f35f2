import { SseParser } from '@aigw/formats';

// Reads what a client would see: the text, the stop reason and the usage of an answer in its own protocol.

export interface ClientAnswer {
  text: string;
  stopReason: string | undefined;
  inputTokens: number | undefined;
  outputTokens: number | undefined;
  events: Array<{ event: string; data: string }>;
}

function sseEvents(text: string) {
  const parser = new SseParser();
  return [...parser.push(new TextEncoder().encode(text)), ...parser.end()];
}

export function openAiAnswer(body: string): ClientAnswer {
  const json = JSON.parse(body);
  return {
    text: json.choices[0].message.content,
    stopReason: json.choices[0].finish_reason,
    inputTokens: json.usage?.prompt_tokens,
    outputTokens: json.usage?.completion_tokens,
    events: [],
  };
}

export function anthropicAnswer(body: string): ClientAnswer {
  const json = JSON.parse(body);
  return {
    text: json.content.map((b: { text?: string }) => b.text ?? '').join(''),
    stopReason: json.stop_reason,
    inputTokens: json.usage?.input_tokens,
    outputTokens: json.usage?.output_tokens,
    events: [],
  };
}

export function openAiStreamAnswer(sse: string): ClientAnswer {
  const events = sseEvents(sse);
  const answer: ClientAnswer = { text: '', stopReason: undefined, inputTokens: undefined, outputTokens: undefined, events };
  for (const e of events) {
    if (e.data === '[DONE]') continue;
    const chunk = JSON.parse(e.data);
    if (chunk.error) continue;
    answer.text += chunk.choices?.[0]?.delta?.content ?? '';
    answer.stopReason = chunk.choices?.[0]?.finish_reason ?? answer.stopReason;
    if (chunk.usage) {
      answer.inputTokens = chunk.usage.prompt_tokens;
      answer.outputTokens = chunk.usage.completion_tokens;
    }
  }
  return answer;
}

export function anthropicStreamAnswer(sse: string): ClientAnswer {
  const events = sseEvents(sse);
  const answer: ClientAnswer = { text: '', stopReason: undefined, inputTokens: undefined, outputTokens: undefined, events };
  for (const e of events) {
    const data = JSON.parse(e.data);
    if (e.event === 'content_block_delta' && data.delta.type === 'text_delta') answer.text += data.delta.text;
    if (e.event === 'message_delta') {
      answer.stopReason = data.delta.stop_reason;
      answer.inputTokens = data.usage.input_tokens;
      answer.outputTokens = data.usage.output_tokens;
    }
  }
  return answer;
}
