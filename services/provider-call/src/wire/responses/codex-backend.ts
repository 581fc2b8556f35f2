import { AppError } from '@aigw/errors';
import { SseParser } from '@aigw/formats';
import type { UpstreamRequest, UpstreamTarget } from '../../adapters/provider-adapter.js';
import { asArray, asRecord, asString, parseJson } from '../../ir/json-shape.js';

// The ChatGPT (Codex) backend: an `openai` provider on the Responses wire whose accounts are ChatGPT
// subscriptions logged in as the Codex CLI does (an OAuth access token, and the ChatGPT account id from the
// id_token in settings.chatgptAccountId). The operator sets the provider's baseUrl to
// https://chatgpt.com/backend-api/codex, so requests go to …/codex/responses. The backend wants what Codex
// sends: the bearer token, `chatgpt-account-id`, `OpenAI-Beta: responses=experimental` and an `originator`;
// and it takes only streamed, unstored requests that carry `instructions` (400 {"detail":…} otherwise), so a
// client that asked for a whole answer gets one collected from the stream.

/** What the Codex CLI names itself as (the backend's `originator` header). */
export const CODEX_ORIGINATOR = 'codex_cli_rs';

/** The account's ChatGPT account id when it is a ChatGPT subscription (an OAuth account with settings.chatgptAccountId). */
export function chatGptAccountId(target: UpstreamTarget): string | undefined {
  const id = target.settings.chatgptAccountId;
  if (typeof id !== 'string' || id === '') return undefined;
  return target.oauth === true && target.credential?.headerName.toLowerCase() === 'authorization' ? id : undefined;
}

/**
 * Codex's headers beside the bearer; the answer is always a stream. Codex names its conversation in `session_id`
 * (the backend's prompt cache follows it): the client's `prompt_cache_key` is sent there when it has one.
 */
export function codexHeaders(headers: Record<string, string>, accountId: string, body: Record<string, unknown>): Record<string, string> {
  const session: Record<string, string> = typeof body.prompt_cache_key === 'string' && /^[\x21-\x7e]{1,256}$/.test(body.prompt_cache_key) ? { session_id: body.prompt_cache_key } : {};
  return {
    ...headers,
    accept: 'text/event-stream',
    'chatgpt-account-id': accountId,
    'openai-beta': 'responses=experimental',
    originator: CODEX_ORIGINATOR,
    ...session,
  };
}

/** Responses fields the backend refuses as unsupported parameters (CLIProxyAPI leaves them out too). */
const UNSUPPORTED: readonly string[] = ['prompt_cache_retention', 'safety_identifier', 'stream_options'];

/**
 * The body as the backend takes it: streamed, not stored, with instructions ('' when the client gave none),
 * without the fields it refuses (`dropped` names those the client sent).
 */
export function codexBody(body: Record<string, unknown>): { body: Record<string, unknown>; dropped: string[] } {
  const out: Record<string, unknown> = { ...body, stream: true, store: false, instructions: typeof body.instructions === 'string' ? body.instructions : '' };
  const dropped = UNSUPPORTED.filter((field) => field in out);
  for (const field of dropped) delete out[field];
  return { body: out, dropped };
}

/**
 * The response object a whole Responses stream ends with (response.completed or response.incomplete), with
 * the finished output items filled in where the final event lists none. A stream that failed or never
 * finished is UPSTREAM_ERROR with the upstream's message.
 */
export function collectResponsesStream(text: string): string {
  const parser = new SseParser();
  const events = [...parser.push(Buffer.from(text, 'utf8')), ...parser.end()];
  const items: unknown[] = [];
  for (const event of events) {
    const data = asRecord(parseJson(event.data));
    const type = asString(data?.type) ?? event.event;
    if (type === 'response.output_item.done' && data?.item !== undefined) items.push(data.item);
    else if (type === 'response.completed' || type === 'response.incomplete') {
      const response = asRecord(data?.response);
      if (response === undefined) break;
      const output = asArray(response.output);
      return JSON.stringify(output === undefined || output.length === 0 ? { ...response, output: items } : response);
    } else if (type === 'response.failed' || type === 'error') {
      const error = asRecord(type === 'error' ? data : asRecord(data?.response)?.error);
      throw new AppError('UPSTREAM_ERROR', asString(error?.message) ?? 'upstream response failed');
    }
  }
  throw new AppError('UPSTREAM_ERROR', 'upstream stream ended before the response completed');
}

/**
 * The request for a ChatGPT account: Codex's headers and body; a whole answer is collected from the stream.
 * `dropped`: the body's fields the backend refuses, left out.
 */
export function codexRequest(request: UpstreamRequest, body: Record<string, unknown>, accountId: string, stream: boolean): { request: UpstreamRequest; dropped: string[] } {
  const codex = codexBody(body);
  return {
    request: {
      ...request,
      headers: codexHeaders(request.headers, accountId, body),
      body: JSON.stringify(codex.body),
      ...(stream ? {} : { streamedAnswer: collectResponsesStream }),
    },
    dropped: codex.dropped,
  };
}
