import type { ClientError } from './client-error.js';
import type { StreamEvent } from './sse/stream-framing.js';

/** The client wire formats the gateway speaks; each has a folder here. */
export type ClientFormatName = 'openai' | 'anthropic' | 'gemini' | 'responses' | 'embeddings';

/** What ingress learns from a request body that passed its format's rules. */
export interface RequestEnvelope {
  /** The model the body names; undefined for formats that name it in the path (Gemini). */
  model: string | undefined;
  /** Whether the body asks for a stream (formats that stream by path say false here). */
  stream: boolean;
}

/**
 * Everything the services need to know about one client format, besides translation. Adding a format
 * means a folder with its schema, its error names and one of these, and an entry in CLIENT_FORMATS.
 */
export interface ClientFormatModule {
  readonly name: ClientFormatName;
  /**
   * Checks the rules every request of the format must meet, whatever provider it goes to (its envelope
   * schema); AppError INVALID_REQUEST naming the field. Ingress calls it once, before any backend call.
   */
  checkRequest(body: unknown): RequestEnvelope;
  /** The format's error JSON for an error. */
  errorBody(error: ClientError): Record<string, unknown>;
  /** The format's error as a stream event: what ends a stream that broke after it began. */
  errorEvent(error: ClientError): StreamEvent;
}
