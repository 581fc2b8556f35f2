import type { IncomingHttpHeaders } from 'node:http';
import type { ChatRequest, Reply } from './reply.js';
import type { WireFormatName } from './request-log.js';

// One provider wire format = one file implementing this contract. The server owns HTTP, steering and
// recording; a format only knows its paths, its auth header, its body shapes and its error shape.
// A new format is one more file, added to the list in upstream-emulator.ts.

/** A request path this format serves. */
export interface RouteMatch {
  /** Known from the path (Google formats); otherwise the body decides. */
  stream?: boolean;
  /** Model named in the path (Gemini), when the body does not carry it. */
  pathModel?: string;
}

/** How a format authenticates: API keys are opaque, OAuth bearers are checked by validateBearer. */
export type CredentialKind = 'api-key' | 'oauth-bearer';

export interface ParseFailure {
  error: string;
  /** The provider's status for this refusal; 400 when absent (404 for an unknown model or stored item). */
  status?: number;
  /** The request field the provider names (OpenAI's `param`), where the format has one. */
  param?: string;
  /** The provider's error code (OpenAI's `code`), where it names one. */
  code?: string;
}

/** What a format needs to render its responses beyond the reply itself. */
export interface RenderContext {
  /** Unique per response (OpenAI id, Google responseId / traceId). */
  id: string;
  /** Unix seconds. */
  created: number;
}

export interface WireFormat {
  readonly name: WireFormatName;
  readonly credentialKind: CredentialKind;
  /** Whether this format serves method + path (+ raw query without "?"). */
  match(method: string, pathname: string, query: string): RouteMatch | undefined;
  /** The credential as sent (token after "Bearer ", or key; raw query without "?"); '' when absent. */
  credential(headers: IncomingHttpHeaders, query: string): string;
  /** A required header missing or invalid: the 400 message; undefined when the headers are fine. */
  headerError?(headers: IncomingHttpHeaders): string | undefined;
  /**
   * The kind of the credential this request carries, where a format takes both (Anthropic: an API key in
   * x-api-key or an OAuth bearer); `credentialKind` when absent.
   */
  credentialKindOf?(headers: IncomingHttpHeaders): CredentialKind;
  /** A credential sent in a form the provider refuses (checked before the token itself): the 401 message. */
  authError?(headers: IncomingHttpHeaders): string | undefined;
  /** Validates and normalizes the decoded JSON body. */
  parse(body: unknown, route: RouteMatch): ChatRequest | ParseFailure;
  /** Non-streaming response body. */
  renderJson(reply: Reply, req: ChatRequest, ctx: RenderContext): string;
  /**
   * Streaming response: complete SSE events (framing included), in order. Streamed strings are split
   * by stream-pieces.ts: `chunks` equal pieces when steered, realistic small deltas when undefined.
   */
  renderStream(reply: Reply, req: ChatRequest, ctx: RenderContext, chunks: number | undefined): string[];
  /**
   * Error body for a non-2xx status; message defaults to the provider's usual text for the status. `failure`:
   * the parse failure it reports, for formats that name its param and code.
   */
  renderError(status: number, message?: string, failure?: ParseFailure): string;
  /**
   * One framed SSE event carrying an error, as the provider sends when it fails mid-stream. `at`: the stream
   * it ends (its request, ids and how many events went before), for formats whose events number themselves.
   */
  renderStreamError(status: number, at?: { req: ChatRequest; ctx: RenderContext; sent: number }): string;
}

export function isParseFailure(value: ChatRequest | ParseFailure): value is ParseFailure {
  return (value as ParseFailure).error !== undefined;
}

/** Token after "Bearer " in the Authorization header, or ''. */
export function bearerToken(headers: IncomingHttpHeaders): string {
  const auth = headers.authorization;
  if (auth === undefined || auth.length < 7) return '';
  return auth.slice(0, 7).toLowerCase() === 'bearer ' ? auth.slice(7).trim() : '';
}
