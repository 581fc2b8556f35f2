import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import {
  anthropicFormat,
  checkAnthropicCountTokens,
  checkModelName,
  embeddingsFormat,
  geminiFormat,
  geminiStreamFraming,
  objectBody,
  openAiFormat,
  parseGeminiTarget,
  responsesFormat,
  type ClientFormatModule,
  type StreamFramingName,
} from '@aigw/formats';
import type { ClientProtocol } from '../protocol/client-protocol.js';
import type { ResponsesTurns } from '../responses/responses-turn.js';
import { pathParam } from './path-param.js';

/** What ingress reads from one chat request, wherever its protocol puts it. */
export interface ChatCall {
  model: string;
  stream: boolean;
  /** How a streamed answer is laid out; provider-call frames it (InvokeRequest.stream_framing). */
  framing: StreamFramingName;
}

/**
 * A chat body checked against its format's rules (the only validation ingress does, once, before any
 * backend call); model and stream flag as the body names them.
 */
function bodyCall(format: ClientFormatModule, body: unknown): ChatCall {
  const envelope = format.checkRequest(body);
  return { model: envelope.model ?? '', stream: envelope.stream, framing: 'sse' };
}

/**
 * One client route that proxies chat requests. `R` is what the route reads from the request: express's Request
 * where the path or query says something (Gemini), node's IncomingMessage where only the body does.
 */
export interface ChatEndpoint<R extends IncomingMessage = Request> {
  protocol: ClientProtocol;
  /** Model, stream mode and framing from the request's path, query and parsed body; throws INVALID_REQUEST. */
  decode(req: R, body: unknown): ChatCall;
  /** The Responses API's store around the call (`previous_response_id`, `item_reference`, `store`); that route only. */
  responses?: ResponsesTurns;
  /**
   * False for calls that are no conversation (embeddings): no upstream prompt cache to keep warm, so no session
   * affinity, plain round robin (the prompt digest of such bodies would bind every call of a key to one account).
   */
  affinity?: false;
}

/** One client route that asks for a token count. */
export interface CountTokensEndpoint {
  protocol: ClientProtocol;
  /** The operation as the protocol names it, for messages. */
  operation: string;
  decode(req: Request, body: unknown): { model: string };
}

/** POST /v1/chat/completions */
export const openaiChat: ChatEndpoint<IncomingMessage> = {
  protocol: 'openai',
  decode: (_req, body) => bodyCall(openAiFormat, body),
};

/** POST /v1/messages */
export const anthropicMessages: ChatEndpoint<IncomingMessage> = {
  protocol: 'anthropic',
  decode: (_req, body) => bodyCall(anthropicFormat, body),
};

/** POST /v1/responses, continuing and storing responses with `turns`. */
export function responsesCreate(turns: ResponsesTurns): ChatEndpoint<IncomingMessage> {
  return { protocol: 'responses', decode: (_req, body) => bodyCall(responsesFormat, body), responses: turns };
}
/** POST /v1/embeddings: OpenAI's shape, never streamed. */
export const openaiEmbeddings: ChatEndpoint<IncomingMessage> = {
  protocol: 'embeddings',
  decode: (_req, body) => bodyCall(embeddingsFormat, body),
  affinity: false,
};

/** POST /v1/messages/count_tokens */
export const anthropicCountTokens: CountTokensEndpoint = {
  protocol: 'anthropic',
  operation: 'count_tokens',
  decode: (_req, body) => ({ model: checkAnthropicCountTokens(body) }),
};

/** The model of a `/v1beta/models/*target` request, checked like a body's `model`. */
function geminiModel(req: Request): string {
  return checkModelName(parseGeminiTarget(pathParam(req, 'target')).model);
}

/** POST /v1beta/models/{model}:generateContent (stream false) and :streamGenerateContent (stream true). */
export function geminiGenerate(stream: boolean): ChatEndpoint {
  return {
    protocol: 'gemini',
    decode(req, body) {
      geminiFormat.checkRequest(body);
      const model = geminiModel(req);
      return { model, stream, framing: stream ? geminiStreamFraming(req.query.alt) : 'sse' };
    },
  };
}

/** POST /v1beta/models/{model}:countTokens: `{contents}` or `{generateContentRequest}`, checked like generateContent's. */
export const geminiCountTokens: CountTokensEndpoint = {
  protocol: 'gemini',
  operation: 'countTokens',
  decode(req, body) {
    const fields = objectBody(body);
    geminiFormat.checkRequest(fields.generateContentRequest ?? fields);
    return { model: geminiModel(req) };
  },
};
